"""Loss variants (pos_weight BCE, label smoothing, focal loss) against mpmath, in ulp."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celoss import bce_grad, bce_with_logits
from celoss.multiclass import cross_entropy
from celoss.variants import (
    focal_loss,
    focal_loss_grad,
    smooth_labels,
    weighted_bce_with_logits,
    weighted_bce_with_logits_grad,
)

from . import _reference as ref
from . import _reference_multiclass as mref

#: verified bounds in ulp (float32 is computed in float64 and rounded once).
ULP = {np.float64: 4.0, np.float32: 1.0}
DTYPES = list(ULP)
CHINESE = re.compile(r"[\u4e00-\u9fff]")

#: every 8th point of the shared grid (−1000 … 1000, dense in the middle) plus its tail points
LOGITS = np.unique(
    np.concatenate([ref.LOGITS[::8], ref.LOGITS[np.abs(ref.LOGITS) >= 600], [-36.7, 36.7, 40.0]])
)
HARD = np.array([0.0, 1.0])
SOFT = np.array([0.5, 0.3, 0.9, 1e-10])
POS_WEIGHTS = np.array([0.1, 1.0, 3.7, 100.0])
GAMMAS = np.array([0.0, 0.5, 1.0, 2.0, 5.0])


def _value(reference):
    return lambda *point: reference(*point)[0]


def _size(reference):
    """The scale of a (value, scale) reference: the size of the terms the result cancels."""
    return lambda *point: reference(*point)[1]


# --- weighted BCE --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("labels", [HARD, SOFT], ids=["hard", "soft"])
def test_weighted_bce_against_reference(dtype, labels):
    y, z, w = ref.grid(dtype, labels, LOGITS, POS_WEIGHTS)
    loss = weighted_bce_with_logits(y, z, w)
    assert loss.dtype == dtype
    error, where = ref.max_ulp_error(loss, mref.weighted_bce_with_logits, (y, z, w), dtype)
    assert error <= ULP[dtype], f"{error:.2f} ulp at y, z, pos_weight = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("labels", [HARD, SOFT], ids=["hard", "soft"])
def test_weighted_bce_grad_against_reference(dtype, labels):
    y, z, w = ref.grid(dtype, labels, LOGITS[::2], POS_WEIGHTS)
    grad = weighted_bce_with_logits_grad(y, z, w)
    # hard labels leave one term (relative error); soft labels are measured against the terms' size
    reference = mref.weighted_bce_with_logits_grad
    error, where = ref.max_ulp_error(grad, _value(reference), (y, z, w), dtype, _size(reference))
    assert error <= ULP[dtype], f"{error:.2f} ulp at y, z, pos_weight = {where}"


def test_pos_weight_one_is_bce_with_logits_bit_for_bit():
    y, z = ref.grid(np.float64, np.concatenate([HARD, SOFT]), ref.LOGITS)
    np.testing.assert_array_equal(weighted_bce_with_logits(y, z), bce_with_logits(y, z))
    np.testing.assert_array_equal(weighted_bce_with_logits_grad(y, z, 1.0), bce_grad(y, z))


def test_pos_weight_scales_only_the_positive_term():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(weighted_bce_with_logits(1, z, 3.0), 3 * bce_with_logits(1, z), rtol=2e-16)
    np.testing.assert_array_equal(weighted_bce_with_logits(0, z, 3.0), bce_with_logits(0, z))


# --- focal loss -------------------------------------------------------------------------------------

def focal_ulp(dtype, gamma):
    """pow(σ, γ) multiplies σ's few-ulp error by γ: the float64 bound grows with γ.

    Measured maxima (loss / gradient, float64): γ = 0: 2.8 / 2.2, γ = 2: 4.9 / 4.9,
    γ = 5: 8.1 / 8.9 ulp.
    """
    return 4.0 + 1.5 * gamma if dtype == np.float64 else 1.0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("labels", [HARD, SOFT], ids=["hard", "soft"])
@pytest.mark.parametrize("alpha", [None, 0.25])
def test_focal_loss_against_reference(dtype, labels, alpha):
    for gamma in map(float, GAMMAS):
        y, z = ref.grid(dtype, labels, LOGITS)
        loss = focal_loss(y, z, gamma, alpha)
        assert loss.dtype == dtype
        reference = lambda a, b: mref.focal_loss(a, b, gamma, alpha)  # noqa: B023, E731
        error, where = ref.max_ulp_error(loss, reference, (y, z), dtype)
        assert error <= focal_ulp(dtype, gamma), f"{error:.2f} ulp at y, z = {where}, gamma = {gamma}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("labels", [HARD, SOFT], ids=["hard", "soft"])
@pytest.mark.parametrize("alpha", [None, 0.25])
def test_focal_loss_grad_against_reference(dtype, labels, alpha):
    for gamma in map(float, GAMMAS):
        y, z = ref.grid(dtype, labels, LOGITS)
        grad = focal_loss_grad(y, z, gamma, alpha)
        reference = lambda a, b: mref.focal_loss_grad(a, b, gamma, alpha)  # noqa: B023, E731
        # hard labels: relative error; soft labels: against the size of the two terms
        error, where = ref.max_ulp_error(grad, _value(reference), (y, z), dtype, _size(reference))
        assert error <= focal_ulp(dtype, gamma), f"{error:.2f} ulp at y, z = {where}, gamma = {gamma}"


@settings(max_examples=60)
@given(
    y=st.sampled_from([0.0, 1.0, 0.25]),
    z=st.floats(-1000, 1000),
    gamma=st.floats(0, 5),
    alpha=st.one_of(st.none(), st.floats(0, 1)),
)
def test_focal_loss_random_against_reference(y, z, gamma, alpha):
    bound = focal_ulp(np.float64, gamma)
    want = mref.focal_loss(y, z, gamma, alpha)
    assert ref.ulp_error(focal_loss(y, z, gamma, alpha), want, np.float64) <= bound
    want, scale = mref.focal_loss_grad(y, z, gamma, alpha)
    assert ref.ulp_error(focal_loss_grad(y, z, gamma, alpha), want, np.float64, scale) <= bound


@pytest.mark.parametrize(
    ("z", "gamma"), [(-30.0, 2.0), (-1.5, 0.5), (0.0, 2.0), (2.5, 5.0), (40.0, 1.0), (300.0, 2.0)]
)
def test_reference_derivatives_match_numerical_differentiation(z, gamma):
    # the textbook derivatives in the reference against mp.diff of the naive terms
    by_hand = mref._term_derivatives(z, gamma)
    numeric = mref.term_derivatives_by_mp_diff(z, gamma)
    for a, b in zip(by_hand, numeric, strict=True):
        assert abs(a - b) <= 1e-60 * abs(b)


def test_gamma_zero_is_bce_with_logits_bit_for_bit():
    y, z = ref.grid(np.float64, np.concatenate([HARD, SOFT]), ref.LOGITS)
    np.testing.assert_array_equal(focal_loss(y, z, gamma=0.0), bce_with_logits(y, z))
    np.testing.assert_array_equal(focal_loss_grad(y, z, gamma=0.0), bce_grad(y, z))


def test_focal_loss_down_weights_easy_examples():
    z = np.array([-4.0, 0.0, 4.0])
    ratio = focal_loss(1, z) / bce_with_logits(1, z)  # = (1 − p)^γ with γ = 2
    np.testing.assert_allclose(ratio, (1 / (1 + np.exp(z))) ** 2, rtol=1e-15)
    assert ratio[2] < 1e-3
    assert ratio[0] > 0.9


def test_confident_correct_prediction_keeps_its_tiny_focal_loss():
    # γ = 2, z = 30: (e^-30)^2 · e^-30 ≈ 8.2e-40 — tiny but exact, not 0
    want = mref.focal_loss(1.0, 30.0, 2.0)
    assert ref.ulp_error(focal_loss(1.0, 30.0), want, np.float64) <= 4
    z32 = np.float32(25.0)  # ≈ 2.7e-33 in float32
    assert ref.ulp_error(focal_loss(1, z32), mref.focal_loss(1.0, 25.0, 2.0), np.float32) <= 1


@pytest.mark.parametrize(
    "func", [focal_loss, focal_loss_grad, weighted_bce_with_logits, weighted_bce_with_logits_grad]
)
def test_infinite_logits_give_the_limits(func):
    z = np.array([-np.inf, np.inf])
    out = {0: func(0, z), 1: func(1, z)}
    assert not np.isnan(out[0]).any()
    assert not np.isnan(out[1]).any()
    if func in (focal_loss, weighted_bce_with_logits):
        np.testing.assert_array_equal(out[0], [0.0, np.inf])
        np.testing.assert_array_equal(out[1], [np.inf, 0.0])
    else:
        np.testing.assert_array_equal(out[0], [0.0, 1.0])
        np.testing.assert_array_equal(out[1], [-1.0, 0.0])


# --- finite differences ---------------------------------------------------------------------------


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
@pytest.mark.parametrize(
    ("loss", "grad", "kwargs"),
    [
        (focal_loss, focal_loss_grad, {"gamma": 2.0}),
        (focal_loss, focal_loss_grad, {"gamma": 0.5, "alpha": 0.25}),
        (weighted_bce_with_logits, weighted_bce_with_logits_grad, {"pos_weight": 3.7}),
    ],
)
def test_gradients_against_central_differences(y, loss, grad, kwargs):
    z = np.linspace(-12.0, 12.0, 49)
    h = 1e-6
    numeric = (loss(y, z + h, **kwargs) - loss(y, z - h, **kwargs)) / (2 * h)
    np.testing.assert_allclose(grad(y, z, **kwargs), numeric, rtol=1e-7, atol=1e-9)


# --- label smoothing --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_smooth_labels_against_reference(dtype):
    y, eps = ref.grid(dtype, ref.PROBABILITIES, [0.0, 1e-12, 0.1, 0.3, 0.999, 1.0])
    out = smooth_labels(y, eps)  # binary labels: K = 2
    assert out.dtype == dtype
    error, where = ref.max_ulp_error(out, lambda a, b: mref.smooth_labels(a, b, 2), (y, eps), dtype)
    assert error <= 2.0, f"{error:.2f} ulp at y, eps = {where}"
    rng = np.random.default_rng(5)
    for k in (3, 10):  # K-class rows: one-hot and soft
        rows = np.concatenate([np.eye(k), rng.dirichlet(np.ones(k), 4)]).astype(dtype)
        for e in (0.0, 1e-12, 0.1, 0.999, 1.0):
            out = smooth_labels(rows, e, num_classes=k)
            assert out.dtype == dtype
            reference = lambda a, b: mref.smooth_labels(a, b, k)  # noqa: B023, E731
            error, where = ref.max_ulp_error(out, reference, (rows, np.full(rows.shape, e, dtype)), dtype)
            assert error <= 2.0, f"{error:.2f} ulp at y, eps = {where}, K = {k}"


@given(st.floats(0, 1), st.floats(0, 1))
def test_smooth_labels_stays_in_range(y, eps):
    out = smooth_labels(y, eps)
    assert eps / 2 * (1 - 4 * 2**-53) <= out <= 1.0
    assert smooth_labels(y, 0.0) == y
    assert smooth_labels(y, 1.0) == 0.5  # ε = 1: the uniform distribution


def test_smooth_labels_refuses_rows_of_the_wrong_length():
    # reader review A8: a 3-class one-hot row with num_classes=4 used to give a row summing to 1.05
    with pytest.raises(ValueError, match=r"^y 的最后一轴是类别轴，长度必须等于 num_classes=4"):
        smooth_labels([0.0, 0.0, 1.0], 0.1, num_classes=4)
    with pytest.raises(ValueError, match=r"^y 的每一行"):
        smooth_labels([0.5, 0.0, 1.0], 0.1, num_classes=3)
    np.testing.assert_allclose(smooth_labels(np.eye(3), 1.0, num_classes=3), np.full((3, 3), 1 / 3), rtol=1e-16)


def test_smoothed_rows_still_sum_to_one_and_match_cross_entropy_option():
    rng = np.random.default_rng(4)
    z = rng.normal(size=(6, 5)) * 4
    labels = rng.integers(0, 5, 6)
    rows = smooth_labels(np.eye(5)[labels], 0.2, num_classes=5)
    np.testing.assert_allclose(rows.sum(axis=-1), 1.0, rtol=0, atol=4e-16)
    smoothed_option = cross_entropy(labels, z, label_smoothing=0.2)
    np.testing.assert_allclose(cross_entropy(rows, z), smoothed_option, rtol=4e-16)


# --- shapes and dtypes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("func", "kwargs"),
    [
        (weighted_bce_with_logits, {"pos_weight": 2.0}),
        (weighted_bce_with_logits_grad, {"pos_weight": 2.0}),
        (focal_loss, {"gamma": 2.0, "alpha": 0.25}),
        (focal_loss_grad, {"gamma": 2.0, "alpha": 0.25}),
    ],
)
def test_dtype_scalar_and_broadcasting_rules(func, kwargs):
    assert isinstance(func(1, 0.5, **kwargs), np.float64)
    assert func(1, np.float32(0.5), **kwargs).dtype == np.float32  # Python numbers do not decide
    assert func(np.ones(3), np.float32(0.5), **kwargs).dtype == np.float64
    assert func(np.ones((2, 3)), np.zeros(3, np.float32), **kwargs).shape == (2, 3)
    param = next(iter(kwargs))  # array-valued parameters broadcast too (a per-column weight)
    assert func(1, np.zeros((2, 3)), **(kwargs | {param: np.array([1.0, 2.0, 3.0])})).shape == (2, 3)
    with pytest.raises(ValueError, match=r"^y 与 z"):  # the shape rule: no outer products
        func(np.ones((2, 1)), np.zeros(3), **kwargs)


# --- bad input ------------------------------------------------------------------------------------

GOOD = {"y": 1.0, "z": 0.5}
BAD = [
    ({"y": 1.5}, ValueError, "y"),
    ({"y": np.nan}, ValueError, "y"),
    ({"y": "1"}, TypeError, "y"),
    ({"z": np.nan}, ValueError, "z"),
    ({"z": None}, TypeError, "z"),
    ({"z": 1j}, TypeError, "z"),
    ({"y": np.ones(2), "z": np.ones(3)}, ValueError, "y"),
]
SPECIFIC = {
    weighted_bce_with_logits: [
        ({"pos_weight": 0.0}, ValueError, "pos_weight"),
        ({"pos_weight": -1.0}, ValueError, "pos_weight"),
        ({"pos_weight": np.inf}, ValueError, "pos_weight"),
        ({"pos_weight": np.nan}, ValueError, "pos_weight"),
        ({"pos_weight": "3"}, TypeError, "pos_weight"),
    ],
    focal_loss: [
        ({"gamma": -0.5}, ValueError, "gamma"),
        ({"gamma": np.inf}, ValueError, "gamma"),
        ({"gamma": np.nan}, ValueError, "gamma"),
        ({"gamma": None}, TypeError, "gamma"),
        ({"alpha": 1.5}, ValueError, "alpha"),
        ({"alpha": -0.1}, ValueError, "alpha"),
        ({"alpha": "a"}, TypeError, "alpha"),
    ],
}
SPECIFIC[weighted_bce_with_logits_grad] = SPECIFIC[weighted_bce_with_logits]
SPECIFIC[focal_loss_grad] = SPECIFIC[focal_loss]
CASES = [
    pytest.param(func, override, exc, name, id=f"{func.__name__}-{name}-{i}")
    for func, specific in SPECIFIC.items()
    for i, (override, exc, name) in enumerate(BAD + specific)
]


@pytest.mark.parametrize(("func", "override", "exception", "name"), CASES)
def test_bad_input_is_refused_with_a_chinese_message(func, override, exception, name):
    with pytest.raises(exception) as excinfo:
        func(**(GOOD | override))
    message = str(excinfo.value)
    assert message.startswith(f"{name} "), message
    assert CHINESE.search(message), message


@pytest.mark.parametrize(
    ("kwargs", "exception", "name"),
    [
        ({"label_smoothing": 1.5}, ValueError, "label_smoothing"),
        ({"label_smoothing": -0.1}, ValueError, "label_smoothing"),
        ({"label_smoothing": np.nan}, ValueError, "label_smoothing"),
        ({"label_smoothing": "0.1"}, TypeError, "label_smoothing"),
        ({"y": 1.2}, ValueError, "y"),
        ({"y": None}, TypeError, "y"),
        ({"num_classes": 1}, ValueError, "num_classes"),
        ({"num_classes": 2.0}, TypeError, "num_classes"),
        ({"num_classes": True}, TypeError, "num_classes"),
    ],
)
def test_smooth_labels_refuses_bad_input(kwargs, exception, name):
    with pytest.raises(exception, match=f"^{name} ") as excinfo:
        smooth_labels(**({"y": 1.0, "label_smoothing": 0.1} | kwargs))
    assert CHINESE.search(str(excinfo.value))
