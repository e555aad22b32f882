"""softmax, log_softmax, cross_entropy and cross_entropy_grad against mpmath, in ulp.

Logits go to ±1e4 in float64 and ±80 in float32 (plus the extremes of each format for the
no-warning checks); targets are labels, one-hot and soft probability rows, with class weights
and label smoothing.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celoss import bce_grad, bce_with_logits
from celoss.multiclass import cross_entropy, cross_entropy_grad, log_softmax, softmax

from . import _reference as ref
from . import _reference_multiclass as mref

#: verified bounds in ulp (float32 is computed in float64 and rounded once).
ULP = {np.float64: 4.0, np.float32: 1.0}
DTYPES = list(ULP)
LIMIT = {np.float64: 1e4, np.float32: 80.0}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _rows(dtype, seed=0):
    """Random logit rows of several widths and scales, then hand-picked extreme rows."""
    rng = np.random.default_rng(seed)
    limit = LIMIT[dtype]
    rows = []
    for scale in (1.0, 10.0, limit / 10, limit):
        for k in (2, 3, 5, 10):
            rows.extend(np.clip(rng.normal(size=(3, k)) * scale, -limit, limit))
    if dtype == np.float64:
        rows += [
            [700.0, 0.0], [745.0, 0.0], [745.2, 0.0, -3.0], [36.7, 0.0], [40.0, 0.0, 0.0],
            [1e4, -1e4], [1e4, 1e4 - 1.0, -1e4], [-1e4, -1e4 + 1e-12, 0.5], [1.0, 1.0 + 2**-52],
            [5e-324, 0.0], [1e-300, -1e-300, 0.0], [0.0, 0.0, 0.0, 0.0], [1e4, 0.1, 0.2, 0.3],
            [3.0, 2.0, 1.0, 0.0, -1.0, -2.0, -3.0, -4.0, -5.0, -6.0, -7.0, -8.0],
        ]
    else:
        rows += [
            [80.0, 0.0], [-80.0, 80.0], [80.0, -80.0, 0.0], [16.6, 0.0], [1.0, 1.0 + 2**-23],
            [80.0, 79.0, 78.0], [0.0, 0.0, 0.0], [1e-45, 0.0], [-3.0, 80.0, 2.0, 1.0],
        ]
    return [np.asarray(r, dtype) for r in rows]


def _floats(row):
    return [float(v) for v in row]


def _worst(pairs, dtype):
    """Largest ulp error over (got, reference, scale, where) tuples, and where it occurs."""
    worst, where = 0.0, None
    for got, want, scale, point in pairs:
        error = ref.ulp_error(got, want, dtype, scale)
        if error > worst or where is None:
            worst, where = error, point
    return worst, where


def _probability_rows(rng, k, dtype):
    """A soft row (Dirichlet), a row with zeros, and a one-hot row, each summing to 1."""
    soft = rng.dirichlet(np.ones(k))
    sparse = np.zeros(k)
    sparse[: max(1, k // 2)] = rng.dirichlet(np.ones(max(1, k // 2)))
    onehot = np.eye(k)[rng.integers(k)]
    return [np.asarray(t, dtype) for t in (soft, sparse, onehot)]


# --- accuracy against mpmath --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_log_softmax_and_softmax_against_reference(dtype):
    pairs = []
    for row in _rows(dtype):
        ls, sm = log_softmax(row), softmax(row)
        assert ls.dtype == sm.dtype == dtype
        for got, want in zip(ls, mref.log_softmax(_floats(row)), strict=True):
            pairs.append((got, want, None, ("log_softmax", _floats(row))))
        for got, want in zip(sm, mref.softmax(_floats(row)), strict=True):
            pairs.append((got, want, None, ("softmax", _floats(row))))
    error, where = _worst(pairs, dtype)
    assert error <= ULP[dtype], f"{error:.2f} ulp at {where}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_every_label_against_reference(dtype):
    pairs = []
    for row in _rows(dtype):
        k = len(row)
        labels = np.arange(k)
        loss, grad = cross_entropy(labels, row), cross_entropy_grad(labels, row)  # labels broadcast
        assert loss.shape == (k,)
        assert grad.shape == (k, k)
        assert loss.dtype == grad.dtype == dtype
        for c in range(k):
            where = (c, _floats(row))
            pairs.append((loss[c], mref.cross_entropy(c, _floats(row)), None, where))
            g_ref, _ = mref.cross_entropy_grad(c, _floats(row))
            pairs += [(g, r, None, where) for g, r in zip(grad[c], g_ref, strict=True)]
    error, where = _worst(pairs, dtype)
    assert error <= ULP[dtype], f"{error:.2f} ulp at label, z = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_probability_rows_against_reference(dtype):
    rng = np.random.default_rng(1)
    loss_pairs, grad_pairs = [], []
    for row in _rows(dtype):
        for t in _probability_rows(rng, len(row), dtype):
            where = (_floats(t), _floats(row))
            want = mref.cross_entropy(_floats(t), _floats(row))
            loss_pairs.append((cross_entropy(t, row), want, None, where))
            g_ref, scale = mref.cross_entropy_grad(_floats(t), _floats(row))
            got = cross_entropy_grad(t, row)
            grad_pairs += [(g, r, s, where) for g, r, s in zip(got, g_ref, scale, strict=True)]
    error, where = _worst(loss_pairs, dtype)
    assert error <= ULP[dtype], f"loss: {error:.2f} ulp at t, z = {where}"
    # soft targets: the gradient p_i·Σ_{j≠i}t_j − t_i(1 − p_i) cancels near p = t, so the
    # error is measured against the size of its two terms (the condition of the problem).
    error, where = _worst(grad_pairs, dtype)
    assert error <= ULP[dtype], f"gradient: {error:.2f} ulp at t, z = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("weighted", "eps"), [(True, 0.0), (False, 0.1), (True, 0.3)])
def test_class_weights_and_label_smoothing_against_reference(dtype, weighted, eps):
    rng = np.random.default_rng(2)
    pairs = []
    for row in _rows(dtype)[::3]:
        k = len(row)
        weight = rng.uniform(0.0, 3.0, k).astype(dtype) if weighted else None
        w_ref = None if weight is None else _floats(weight)
        targets = [int(c) for c in range(k)] + _probability_rows(rng, k, dtype)
        for t in targets:
            t_ref = t if isinstance(t, int) else _floats(t)
            where = (t_ref, _floats(row))
            loss = cross_entropy(t, row, weight=weight, label_smoothing=eps)
            pairs.append((loss, mref.cross_entropy(t_ref, _floats(row), w_ref, eps), None, where))
            g_ref, scale = mref.cross_entropy_grad(t_ref, _floats(row), w_ref, eps)
            got = cross_entropy_grad(t, row, weight=weight, label_smoothing=eps)
            pairs += [(g, r, s, where) for g, r, s in zip(got, g_ref, scale, strict=True)]
    error, where = _worst(pairs, dtype)
    # ε/K and (1 − ε) are rounded before they reach the sum: one more rounding than the plain loss
    assert error <= ULP[dtype] + 1, f"{error:.2f} ulp at t, z = {where}"


@settings(max_examples=60)
@given(
    data=st.data(),
    dtype=st.sampled_from(DTYPES),
    k=st.integers(2, 8),
)
def test_random_logits_against_reference(data, dtype, k):
    width = 32 if dtype == np.float32 else 64
    limit = LIMIT[dtype]
    row = np.array(data.draw(st.lists(st.floats(-limit, limit, width=width), min_size=k, max_size=k)), dtype)
    label = data.draw(st.integers(0, k - 1))
    z = _floats(row)
    pairs = [(a, b, None, "log_softmax") for a, b in zip(log_softmax(row), mref.log_softmax(z), strict=True)]
    pairs += [(a, b, None, "softmax") for a, b in zip(softmax(row), mref.softmax(z), strict=True)]
    pairs.append((cross_entropy(label, row), mref.cross_entropy(label, z), None, "cross_entropy"))
    g_ref, _ = mref.cross_entropy_grad(label, z)
    pairs += [(a, b, None, "grad") for a, b in zip(cross_entropy_grad(label, row), g_ref, strict=True)]
    error, where = _worst(pairs, dtype)
    assert error <= ULP[dtype], f"{error:.2f} ulp in {where} at z = {z}, label = {label}"


# --- the reference itself -----------------------------------------------------------------------


@pytest.mark.parametrize("z", [[2.0, 0.5, -1.0], [40.0, 0.0, -3.0], [300.0, -1e-3, 1e-3, 7.0], [-60.0, 60.0]])
def test_reference_identities_match_the_naive_formula(z):
    # the references use log1p(S) and exact differences; the textbook formula agrees to ≥ 70 digits
    for a, b in zip(mref.log_softmax(z), mref.naive_log_softmax(z), strict=True):
        assert abs(a - b) <= abs(b) * 1e-70


@pytest.mark.parametrize(
    ("target", "z", "weight", "eps"),
    [
        (0, [2.0, 0.5, -1.0], None, 0.0),
        (2, [30.0, 0.0, -5.0, 1.0], [0.5, 1.0, 2.0, 3.0], 0.0),
        ([0.2, 0.5, 0.3], [1.0, -2.0, 0.25], None, 0.1),
        (1, [-20.0, 20.0], [1.0, 4.0], 0.2),
    ],
)
def test_gradient_derivation_matches_numerical_derivative(target, z, weight, eps):
    # mp.diff of the naive loss at high precision checks p_i·Σu − u_i independently of celoss
    g_ref, _ = mref.cross_entropy_grad(target, z, weight, eps)
    for i in range(len(z)):
        numeric = mref.cross_entropy_diff(target, z, i, weight, eps)
        assert abs(numeric - g_ref[i]) <= 1e-60 * (1 + abs(g_ref[i]))


# --- finite differences ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_gradient_against_central_differences(seed):
    rng = np.random.default_rng(seed)
    k = 2 + seed
    z = rng.normal(size=(5, k)) * 3.0
    targets = [rng.integers(0, k, 5), rng.dirichlet(np.ones(k), 5)]
    weight = rng.uniform(0.5, 2.0, k)
    h = 1e-6
    for t in targets:
        for kwargs in ({}, {"weight": weight, "label_smoothing": 0.15}):
            grad = cross_entropy_grad(t, z, **kwargs)
            numeric = np.empty_like(z)
            for i in range(k):
                step = np.zeros(k)
                step[i] = h
                up, down = cross_entropy(t, z + step, **kwargs), cross_entropy(t, z - step, **kwargs)
                numeric[:, i] = (up - down) / (2 * h)
            np.testing.assert_allclose(grad, numeric, rtol=1e-7, atol=1e-8)


# --- tiny losses, consistency with the binary functions -------------------------------------------


@pytest.mark.parametrize(
    ("z", "dtype"),
    [
        ([80.0, 0.0], np.float32),
        ([80.0, -80.0, 0.0], np.float32),
        ([700.0, 0.0], np.float64),
        ([40.0, 0.0], np.float64),
    ],
)
def test_confident_correct_prediction_keeps_its_tiny_loss(z, dtype):
    row = np.array(z, dtype)
    expected = mref.cross_entropy(0, _floats(row))
    loss = cross_entropy(0, row)
    assert loss > 0
    assert ref.ulp_error(loss, expected, dtype) <= ULP[dtype]
    grad = cross_entropy_grad(0, row)
    want, _ = mref.cross_entropy_grad(0, _floats(row))
    assert grad[0] < 0
    assert ref.ulp_error(grad[0], want[0], dtype) <= ULP[dtype]
    # the plain log-sum-exp trick, m + log Σ e^(z − m), loses it entirely
    assert row[0] - (row.max() + np.log(np.sum(np.exp(row - row.max())))) == 0


@pytest.mark.parametrize("dtype", DTYPES)
def test_two_classes_match_binary_cross_entropy(dtype):
    # softmax over (0, x) gives p_1 = σ(x): cross_entropy(c, (0, x)) = bce_with_logits(c, x)
    x = ref.LOGITS.astype(dtype)
    z = np.stack([np.zeros_like(x), x], axis=-1)
    for c in (0, 1):
        got, want = cross_entropy(c, z), bce_with_logits(c, x)
        error = max(ref.ulp_error(a, b, dtype) for a, b in zip(got, want, strict=True))
        assert error <= 2 * ULP[dtype]
        grad, want = cross_entropy_grad(c, z), bce_grad(c, x)  # ∂/∂x = σ(x) − c, ∂/∂0 = c − σ(x)
        for got in (grad[:, 1], -grad[:, 0]):
            error = max(ref.ulp_error(a, b, dtype) for a, b in zip(got, want, strict=True))
            assert error <= 2 * ULP[dtype]


# --- properties -------------------------------------------------------------------------------------


def _logit_rows(dtype=np.float64):
    width = 32 if dtype == np.float32 else 64
    limit = LIMIT[dtype]
    return st.integers(1, 8).flatmap(
        lambda k: st.lists(st.floats(-limit, limit, width=width), min_size=k, max_size=k)
    ).map(lambda r: np.array(r, dtype))


@given(_logit_rows())
def test_softmax_is_a_distribution(row):
    p = softmax(row)
    assert np.all((p >= 0) & (p <= 1))
    assert abs(p.sum() - 1.0) <= len(row) * 4 * 2**-53
    assert np.all(log_softmax(row) <= 0)


@given(_logit_rows(), st.integers(-1000, 1000))
def test_shift_invariance(row, shift):
    # integers and their small shifts are exact: log_softmax(z + c) = log_softmax(z) to a few ulp
    row = np.round(row)
    got, want = log_softmax(row + shift), log_softmax(row)
    np.testing.assert_allclose(got, want, rtol=8 * 2**-53, atol=0)


@given(_logit_rows(), st.data())
def test_labels_one_hot_rows_and_trivial_options_agree(row, data):
    k = len(row)
    c = data.draw(st.integers(0, k - 1))
    onehot = np.eye(k)[c]
    loss = cross_entropy(c, row)
    assert loss >= 0
    assert loss == cross_entropy(onehot, row) == cross_entropy(c, row, weight=np.ones(k), label_smoothing=0.0)
    assert loss == -log_softmax(row)[c]
    grad = cross_entropy_grad(c, row)
    np.testing.assert_array_equal(grad, cross_entropy_grad(onehot, row))
    # Σ_i ∂ℓ/∂z_i = Σ_i p_i − 1 = 0 up to rounding of terms no larger than 1
    assert abs(grad.sum()) <= 4 * k * 2**-53
    assert grad[c] <= 0
    assert np.all(np.delete(grad, c) >= 0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_integer_label_shortcut_equals_the_one_hot_path_digit_for_digit(dtype):
    """整数标签走只算标签那一类的捷径；它与概率行（通用写法）给出完全相同的位。"""
    rng = np.random.default_rng(7)
    big = 1e4 if dtype is np.float64 else 80.0
    z = np.concatenate([rng.normal(0, 5, (300, 6)), rng.uniform(-big, big, (300, 6)),
                        np.array([[big, 0, 0, 0, 0, -big], [0.0] * 6])]).astype(dtype)
    labels = rng.integers(0, 6, len(z))
    onehot = np.eye(6, dtype=dtype)[labels]
    weight = np.array([0.0, 0.5, 1.0, 2.0, 3.0, 1e-3], dtype=dtype)
    np.testing.assert_array_equal(cross_entropy(labels, z), cross_entropy(onehot, z))
    np.testing.assert_array_equal(cross_entropy(labels, z, weight=weight), cross_entropy(onehot, z, weight=weight))
    np.testing.assert_array_equal(
        cross_entropy(labels[:5], z[:5].T, axis=0), cross_entropy(onehot[:5].T, z[:5].T, axis=0)
    )


@given(_logit_rows(np.float32))
def test_float32_rows_are_the_rounded_float64_results(row):
    wide = row.astype(np.float64)
    np.testing.assert_array_equal(log_softmax(row), log_softmax(wide).astype(np.float32))
    np.testing.assert_array_equal(softmax(row), softmax(wide).astype(np.float32))


# --- shapes, axes, dtypes ---------------------------------------------------------------------------


def test_axis_moves_the_class_axis():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(4, 3, 5))
    labels = rng.integers(0, 3, size=(4, 5))
    moved = np.moveaxis(z, 1, -1)
    np.testing.assert_array_equal(log_softmax(z, axis=1), np.moveaxis(log_softmax(moved), -1, 1))
    np.testing.assert_array_equal(softmax(z, axis=-2), softmax(z, axis=1))
    np.testing.assert_array_equal(cross_entropy(labels, z, axis=1), cross_entropy(labels, moved))
    grad = cross_entropy_grad(labels, z, axis=1)
    assert grad.shape == z.shape
    np.testing.assert_array_equal(np.moveaxis(grad, 1, -1), cross_entropy_grad(labels, moved))
    t = rng.dirichlet(np.ones(3), size=(4, 5))  # class axis last …
    np.testing.assert_array_equal(cross_entropy(np.moveaxis(t, -1, 1), z, axis=1), cross_entropy(t, moved))


def test_batch_dimensions_broadcast():
    z = np.array([2.0, -1.0, 0.5])
    np.testing.assert_array_equal(cross_entropy([0, 1, 2], z), -log_softmax(z))  # one row, three labels
    zz = np.array([[2.0, -1.0, 0.5], [0.0, 0.0, 0.0]])
    t = np.array([0.25, 0.25, 0.5])  # one probability row against two logit rows
    assert cross_entropy(t, zz).shape == (2,)
    assert cross_entropy_grad(t, zz).shape == (2, 3)
    # a column of labels (N, 1) against (N, K) logits used to give an (N, N) result: refused
    with pytest.raises(ValueError, match=r"^target 与 z（去掉类别轴） 的形状 \(2, 1\) 与 \(2,\) 会广播成 \(2, 2\)"):
        cross_entropy(np.array([[0], [2]]), zz)


def test_scalars_and_empty_batches():
    loss = cross_entropy(1, [0.0, 1.0])
    assert isinstance(loss, np.float64)
    assert loss.ndim == 0
    assert isinstance(cross_entropy(1, np.array([0.0, 1.0], np.float32)), np.float32)
    assert softmax([3.0]).tolist() == [1.0]
    assert cross_entropy(0, [3.0]) == 0.0
    assert cross_entropy(np.zeros(0, int), np.zeros((0, 4))).shape == (0,)
    assert cross_entropy_grad(np.zeros(0, int), np.zeros((0, 4))).shape == (0, 4)


@pytest.mark.parametrize(
    ("target", "z", "weight", "expected"),
    [
        (1, np.zeros(3, np.float32), None, np.float32),  # integer labels do not decide the dtype
        (np.float32([0.5, 0.5, 0]), np.zeros(3, np.float32), None, np.float32),
        (np.float64([0.5, 0.5, 0]), np.zeros(3, np.float32), None, np.float64),
        (1, np.zeros(3, np.float32), np.ones(3), np.float64),
        (1, np.zeros(3, np.float32), [1.0, 2.0, 3.0], np.float32),
        (1, np.zeros(3, np.float16), None, np.float32),
        (1, [0, 0, 0], None, np.float64),
    ],
)
def test_dtype_rules(target, z, weight, expected):
    assert cross_entropy(target, z, weight=weight).dtype == expected
    assert cross_entropy_grad(target, z, weight=weight).dtype == expected


def test_zero_targets_contribute_nothing_even_against_huge_logits():
    # 0·log 0 = 0: the impossible class (−log p = 2e4) with target 0 adds exactly nothing
    z = np.array([1e4, -1e4, 0.0])
    assert cross_entropy(np.array([1.0, 0.0, 0.0]), z) == cross_entropy(0, z)
    assert cross_entropy(1, z) == 2e4


@pytest.mark.parametrize("dtype", DTYPES)
def test_extreme_logits_raise_no_floating_point_warning(dtype):
    big = np.finfo(dtype).max
    rows = np.array([[big, -big, 0.0], [-big, -big, -big], [LIMIT[dtype], -LIMIT[dtype], 0.0]], dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        ls, sm = log_softmax(rows), softmax(rows)
        loss = cross_entropy(np.array([1, 0, 1]), rows)
        grad = cross_entropy_grad(np.array([1, 0, 1]), rows)
    assert not np.isnan(ls).any()
    assert np.all(np.isfinite(sm))
    assert np.all(np.isfinite(grad))
    assert ls[0, 1] == -np.inf
    assert loss[0] == np.inf
    np.testing.assert_array_equal(sm[0], [1.0, 0.0, 0.0])
    assert loss[1] == np.log(np.float64(3)).astype(dtype)
    assert np.isfinite(loss[2])
    assert loss[2] == 2 * LIMIT[dtype]


# --- bad input ----------------------------------------------------------------------------------------

Z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
BAD = [
    # (kwargs for cross_entropy, exception, argument named first in the message)
    ({"target": [0, 3]}, ValueError, "target"),  # label out of range
    ({"target": [0, -1]}, ValueError, "target"),  # negative label
    ({"target": [0.0, 1.0]}, ValueError, "target"),  # floats used as labels
    ({"target": [0.5, 1.5]}, ValueError, "target"),  # non-integer floats
    ({"target": np.array([True, False])}, TypeError, "target"),
    ({"target": [[0.5, 0.5, 0.5], [1.0, 0.0, 0.0]]}, ValueError, "target"),  # row sum 1.5
    ({"target": [[1.2, -0.2, 0.0], [1.0, 0.0, 0.0]]}, ValueError, "target"),  # outside [0, 1]
    ({"target": [[np.nan, 0.5, 0.5], [1.0, 0.0, 0.0]]}, ValueError, "target"),
    ({"target": np.ones((3, 3)) / 3}, ValueError, "target"),  # batch 3 vs 2
    ({"target": np.ones((2, 4)) / 4}, ValueError, "target"),  # 4 classes vs 3
    ({"target": [0, 1, 2]}, ValueError, "target"),  # 3 labels vs 2 rows
    ({"target": "0"}, TypeError, "target"),
    ({"target": None}, TypeError, "target"),
    ({"target": 1 + 0j}, TypeError, "target"),
    ({"z": [[np.nan, 0.0, 0.0], [0.0, 0.0, 0.0]]}, ValueError, "z"),
    ({"z": [[np.inf, 0.0, 0.0], [0.0, 0.0, 0.0]]}, ValueError, "z"),
    ({"z": 1.0}, ValueError, "z"),  # no class axis
    ({"z": np.zeros((2, 0))}, ValueError, "z"),  # no class
    ({"z": "abc"}, TypeError, "z"),
    ({"z": None}, TypeError, "z"),
    ({"z": np.array([[1j, 0, 0], [0, 0, 0]])}, TypeError, "z"),
    ({"axis": 2}, ValueError, "axis"),
    ({"axis": -3}, ValueError, "axis"),
    ({"axis": 1.0}, TypeError, "axis"),
    ({"axis": None}, TypeError, "axis"),
    ({"weight": [1.0, 2.0]}, ValueError, "weight"),
    ({"weight": [1.0, -2.0, 1.0]}, ValueError, "weight"),
    ({"weight": [1.0, np.inf, 1.0]}, ValueError, "weight"),
    ({"weight": [1.0, np.nan, 1.0]}, ValueError, "weight"),
    ({"weight": "heavy"}, TypeError, "weight"),
    ({"label_smoothing": 1.5}, ValueError, "label_smoothing"),
    ({"label_smoothing": -0.1}, ValueError, "label_smoothing"),
    ({"label_smoothing": [0.1, 0.2]}, ValueError, "label_smoothing"),
    ({"label_smoothing": np.nan}, ValueError, "label_smoothing"),
    ({"label_smoothing": None}, TypeError, "label_smoothing"),
]


@pytest.mark.parametrize("func", [cross_entropy, cross_entropy_grad], ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("override", "exception", "name"), BAD, ids=[f"{name}-{i}" for i, (_, _, name) in enumerate(BAD)]
)
def test_bad_input_is_refused_with_a_chinese_message(func, override, exception, name):
    kwargs = {"target": [0, 2], "z": Z, "axis": -1} | override
    with pytest.raises(exception) as excinfo:
        func(**kwargs)
    message = str(excinfo.value)
    assert message.startswith(f"{name} "), message
    assert CHINESE.search(message), message


@pytest.mark.parametrize("func", [softmax, log_softmax], ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    ("z", "axis", "exception", "name"),
    [
        ([0.0, np.nan], -1, ValueError, "z"),
        ([0.0, np.inf], -1, ValueError, "z"),
        ([-np.inf, -np.inf], -1, ValueError, "z"),
        (3.0, -1, ValueError, "z"),
        ("abc", -1, TypeError, "z"),
        ([[1.0, 2.0]], 2, ValueError, "axis"),
        ([[1.0, 2.0]], "0", TypeError, "axis"),
    ],
)
def test_bad_logits_are_refused(func, z, axis, exception, name):
    with pytest.raises(exception, match=f"^{name} "):
        func(z, axis=axis)


def test_float_labels_message_points_at_integer_dtype():
    with pytest.raises(ValueError, match="整数 dtype"):
        cross_entropy(np.array([0.0, 2.0]), Z)


def test_rows_summing_to_one_within_tolerance_are_accepted():
    t32 = np.array([0.1, 0.2, 0.7], np.float32)  # sums to 1 only within float32 rounding
    assert math.isfinite(cross_entropy(t32, np.zeros(3, np.float32)))
    with pytest.raises(ValueError, match=r"^target "):
        cross_entropy(np.array([0.1, 0.2, 0.7 + 1e-6]), np.zeros(3))
