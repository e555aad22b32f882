"""Input checks (celoss._checks) and how every public function applies them.

One table describes the public API; every bad input is tried on every function, and the
dtype / scalar / broadcasting rules are checked for all of them at once.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

import celoss
from celoss import _checks

#: public function → its parameters, in order.
SIGNATURES = {
    celoss.sigmoid: ("z",),
    celoss.log_sigmoid: ("z",),
    celoss.mse: ("y", "y_hat"),
    celoss.bce: ("y", "y_hat"),
    celoss.bce_with_logits: ("y", "z"),
    celoss.mse_with_logits: ("y", "z"),
    celoss.mse_with_logits_grad: ("y", "z"),
    celoss.bce_with_logits_grad: ("y", "z"),
    celoss.bce_grad: ("y", "z"),
    celoss.mse_grad: ("y", "z"),
    celoss.logit: ("p",),
    celoss.entropy: ("p",),
    celoss.kl_divergence: ("p", "q"),
}
FUNCTIONS = list(SIGNATURES)
GOOD = {"z": 1.5, "y": 1.0, "y_hat": 0.25, "p": 0.5, "q": 0.25}
PROBABILITY = {"y", "y_hat", "p", "q"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")

NOT_REAL = {
    "str": "0.5",
    "bytes": b"0.5",
    "None": None,
    "complex": 0.5 + 1j,
    "complex array": np.array([0.5 + 0j]),
    "object array": np.array([0.5, None], dtype=object),
    "string array": np.array(["0.5"]),
    "mixed list": [0.5, "a"],
}
NAN = {"nan": np.nan, "nan in array": [0.5, np.nan], "float32 nan": np.float32("nan")}
OUTSIDE_UNIT = {"negative": -0.5, "above one": 1.5, "inf": np.inf, "-inf": -np.inf, "tiny negative": -5e-324}


def _call(func, **override):
    return func(*(override.get(name, GOOD[name]) for name in SIGNATURES[func]))


def _cases(bad_values, only=None):
    """(function, parameter, value) for every function, parameter and bad value."""
    return [
        pytest.param(func, name, value, id=f"{func.__name__}-{name}-{label}")
        for func, names in SIGNATURES.items()
        for name in names
        if only is None or name in only
        for label, value in bad_values.items()
    ]


def _assert_names(excinfo, name):
    message = str(excinfo.value)
    assert message.startswith(f"{name} "), message
    assert CHINESE.search(message), message


# --- _checks on its own -------------------------------------------------------------------


def test_as_real_converts_integers_and_booleans_to_float64():
    assert _checks.as_real([1, 2], "z").dtype == np.float64
    assert _checks.as_real(np.array([True, False]), "y").dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_as_real_keeps_float_precision(dtype):
    assert _checks.as_real(np.ones(2, dtype), "z").dtype == dtype


def test_as_real_reduces_longdouble_to_float64():
    assert _checks.as_real(np.longdouble(0.5), "z").dtype == np.float64


def test_as_real_rejects_ragged_lists():
    with pytest.raises(ValueError, match=r"^z .*形状规整"):
        _checks.as_real([[1.0, 2.0], [3.0]], "z")


def test_check_finite_names_the_bad_value():
    with pytest.raises(ValueError, match=r"^z 必须是有限实数，收到 -inf$"):
        _checks.check_finite(np.array([0.0, -np.inf]), "z")
    assert _checks.check_finite(np.array([0.0, 1.0]), "z").shape == (2,)


def test_check_unit_interval_accepts_both_ends():
    assert _checks.check_unit_interval(np.array([0.0, 1.0]), "p").shape == (2,)


def test_as_probability_on_a_zero_dimensional_array():
    with pytest.raises(ValueError, match=r"^q 必须在 \[0, 1\] 区间内，收到 2.0$"):
        _checks.as_probability(np.float64(2.0), "q")


def test_broadcast_names_both_arguments_and_shapes():
    with pytest.raises(ValueError, match=r"^y 与 z 的形状无法广播：\(2,\) 与 \(3,\)$"):
        _checks.broadcast({"y": np.zeros(2), "z": np.zeros(3)})


@pytest.mark.parametrize(
    ("originals", "expected"),
    [
        ((1, 2.0), np.float64),
        ((np.float32(1), 2.0), np.float32),
        ((np.ones(2, np.int64), np.ones(2, np.float32)), np.float32),
        ((np.ones(2, np.float16),), np.float32),
        ((np.ones(2, np.float32), np.ones(2)), np.float64),
        (([1.0, 2.0], np.float32(1)), np.float32),
    ],
)
def test_result_dtype(originals, expected):
    assert _checks.result_dtype(*originals) == expected


def test_finish_returns_numpy_scalars_for_zero_dimensional_results():
    scalar = _checks.finish(np.array(0.5), np.dtype(np.float32))
    assert isinstance(scalar, np.float32)
    array = _checks.finish(np.array([0.5]), np.dtype(np.float32))
    assert isinstance(array, np.ndarray)
    assert array.dtype == np.float32


# --- the public surface -------------------------------------------------------------------


def test_public_functions_are_exported():
    # a subset check: other modules (multi-class losses, ...) add their own names to __all__
    for func in FUNCTIONS:
        assert func.__name__ in celoss.__all__
        assert getattr(celoss, func.__name__) is func
    assert all(hasattr(celoss, name) for name in celoss.__all__)
    assert isinstance(celoss.__version__, str)


def test_import_celoss_loads_no_plotting_library():
    code = "import sys, celoss; print(sorted(m for m in ('bokeh', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- every bad input, for every public function -------------------------------------------


@pytest.mark.parametrize(("func", "name", "value"), _cases(NOT_REAL))
def test_non_real_input_is_a_type_error(func, name, value):
    with pytest.raises(TypeError) as excinfo:
        _call(func, **{name: value})
    _assert_names(excinfo, name)


@pytest.mark.parametrize(("func", "name", "value"), _cases(NAN))
def test_nan_is_a_value_error(func, name, value):
    with pytest.raises(ValueError, match="不能包含 NaN") as excinfo:
        _call(func, **{name: value})
    _assert_names(excinfo, name)


@pytest.mark.parametrize(("func", "name", "value"), _cases(OUTSIDE_UNIT, only=PROBABILITY))
def test_probability_outside_unit_interval_is_a_value_error(func, name, value):
    with pytest.raises(ValueError, match=r"必须在 \[0, 1\] 区间内") as excinfo:
        _call(func, **{name: value})
    _assert_names(excinfo, name)


@pytest.mark.parametrize(("func", "name", "value"), _cases({"ragged": [[0.5, 0.5], [0.5]]}))
def test_ragged_input_is_a_value_error(func, name, value):
    with pytest.raises(ValueError, match="形状规整") as excinfo:
        _call(func, **{name: value})
    _assert_names(excinfo, name)


@pytest.mark.parametrize("func", [f for f in FUNCTIONS if len(SIGNATURES[f]) == 2], ids=lambda f: f.__name__)
def test_shapes_that_do_not_broadcast_are_a_value_error(func):
    first, second = SIGNATURES[func]
    with pytest.raises(ValueError, match=rf"^{first} 与 {second} 的形状无法广播：\(3,\) 与 \(4,\)$"):
        _call(func, **{first: np.full(3, GOOD[first]), second: np.full(4, GOOD[second])})


# --- dtype, scalars and broadcasting --------------------------------------------------------


@pytest.mark.parametrize("func", FUNCTIONS, ids=lambda f: f.__name__)
def test_python_scalars_give_a_float64_numpy_scalar(func):
    out = _call(func)
    assert type(out) is np.float64


@pytest.mark.parametrize("func", FUNCTIONS, ids=lambda f: f.__name__)
def test_zero_dimensional_arrays_give_numpy_scalars(func):
    out = _call(func, **{name: np.array(GOOD[name], np.float32) for name in SIGNATURES[func]})
    assert type(out) is np.float32


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("func", FUNCTIONS, ids=lambda f: f.__name__)
def test_float_arrays_keep_their_precision(func, dtype):
    out = _call(func, **{name: np.full(3, GOOD[name], dtype) for name in SIGNATURES[func]})
    assert out.dtype == (np.float64 if dtype == np.float64 else np.float32)
    assert out.shape == (3,)


@pytest.mark.parametrize("func", [f for f in FUNCTIONS if len(SIGNATURES[f]) == 2], ids=lambda f: f.__name__)
def test_integer_labels_do_not_decide_precision(func):
    first, second = SIGNATURES[func]
    out = _call(func, **{first: np.array([0, 1]), second: np.float32(GOOD[second])})
    assert out.dtype == np.float32
    mixed = _call(func, **{first: np.ones(2, np.float32), second: np.full(2, GOOD[second])})
    assert mixed.dtype == np.float64


@pytest.mark.parametrize("func", [f for f in FUNCTIONS if len(SIGNATURES[f]) == 2], ids=lambda f: f.__name__)
def test_one_argument_broadcasts_to_the_other(func):
    first, second = SIGNATURES[func]
    row = np.full(4, GOOD[second])
    out = _call(func, **{first: GOOD[first], second: row})  # a scalar label against a batch
    assert out.shape == (4,)
    grid = np.full((3, 4), GOOD[first])
    assert _call(func, **{first: grid, second: row}).shape == (3, 4)  # a row against a matrix


@pytest.mark.parametrize(("first_shape", "second_shape"), [((5,), (5, 1)), ((3, 1), (4,)), ((1, 2), (3, 1))])
@pytest.mark.parametrize("func", [f for f in FUNCTIONS if len(SIGNATURES[f]) == 2], ids=lambda f: f.__name__)
def test_shape_rule_refuses_results_of_neither_shape(func, first_shape, second_shape):
    # issue 11: bce_with_logits(y, z) with y (5,) and z (5, 1) used to return a (5, 5) array
    first, second = SIGNATURES[func]
    with pytest.raises(ValueError, match="会广播成") as excinfo:
        _call(func, **{first: np.full(first_shape, GOOD[first]), second: np.full(second_shape, GOOD[second])})
    message = str(excinfo.value)
    assert message.startswith(f"{first} 与 {second} 的形状 {first_shape} 与 {second_shape} 会广播成"), message


@pytest.mark.parametrize("func", FUNCTIONS, ids=lambda f: f.__name__)
def test_lists_are_accepted(func):
    out = _call(func, **{name: [GOOD[name], GOOD[name]] for name in SIGNATURES[func]})
    assert isinstance(out, np.ndarray)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.full(2, _call(func)))


@pytest.mark.parametrize("func", [f for f in FUNCTIONS if "y" in SIGNATURES[f]], ids=lambda f: f.__name__)
def test_boolean_labels_mean_zero_and_one(func):
    np.testing.assert_array_equal(_call(func, y=np.array([True, False])), _call(func, y=[1.0, 0.0]))


# --- the declarative layer: specs, the shape rule, scalars, class rows ------------------------


def test_elementwise_applies_specs_and_the_shape_rule():
    (y, z), dtype, shape = _checks.elementwise(y=(1, _checks.PROBABILITY), z=(np.zeros(3, np.float32), _checks.LOGIT))
    assert shape == (3,)
    assert dtype == np.float32
    assert y.dtype == z.dtype == np.float64
    assert _checks.elementwise(a=(1.0, _checks.FINITE), b=(None, None)).shape == ()
    with pytest.raises(ValueError, match=r"^w 必须在 \(0, ∞\) 区间内"):
        _checks.elementwise(w=(0.0, _checks.interval(0, np.inf, "neither")))
    with pytest.raises(ValueError, match=r"^y 不能包含 NaN"):
        _checks.elementwise(y=([0.5, np.nan], _checks.PROBABILITY))


@pytest.mark.parametrize(
    ("shapes", "ok"),
    [
        ({"y": (), "z": (4,)}, True),
        ({"y": (2, 3), "z": (3,)}, True),
        ({"y": (5,), "z": (5, 1)}, False),  # issue 11's example: (5, 5) is neither shape
        ({"y": (3, 1), "z": (1, 4)}, False),
        ({"y": (2, 1), "z": (2, 3), "w": (3,)}, True),
    ],
)
def test_shape_rule(shapes, ok):
    if ok:
        assert _checks.shape_rule(shapes) == np.broadcast_shapes(*shapes.values())
    else:
        with pytest.raises(ValueError, match="会广播成"):
            _checks.shape_rule(shapes)


def test_as_scalar():
    assert _checks.as_scalar(np.float32(0.5), "eps", 0, 1) == 0.5
    with pytest.raises(ValueError, match=r"^eps 必须在 \[0, 1\) 区间内"):
        _checks.as_scalar(1.0, "eps", 0, 1, closed="left")
    with pytest.raises(ValueError, match=r"^lr 必须是有限实数"):
        _checks.as_scalar(np.inf, "lr", 0, np.inf)
    with pytest.raises(TypeError, match=r"^lr "):
        _checks.as_scalar("0.1", "lr")


def test_as_class_rows():
    rows, axis = _checks.as_class_rows(np.zeros((2, 3, 4), np.float32), axis=1)
    assert rows.dtype == np.float64
    assert axis == -2
    for bad, message in [([np.nan, 0.0], "不能包含 NaN"), ([np.inf, 0.0], "不能含 \\+inf"), (0.0, "至少要有一维")]:
        with pytest.raises(ValueError, match="^z " + message):
            _checks.as_class_rows(bad)


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_finish_reduces(reduction):
    out = _checks.finish(np.array([1.0, 2.0, 3.0]), np.dtype(np.float32), reduction)
    expected = {"none": [1.0, 2.0, 3.0], "mean": 2.0, "sum": 6.0}[reduction]
    np.testing.assert_array_equal(out, expected)
    assert out.dtype == np.float32
