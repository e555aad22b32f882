"""Losses and their gradients against the mpmath reference, finite differences and identities.

Bounds are in ulp of the reference.  For soft labels, ``σ(z) − y`` (and so both gradients) has
a root where ``σ(z) = y``; there the error is measured in ulp of the size of its terms,
``(1 − y)σ(z) + yσ(−z)`` (times ``σ(z)σ(−z)`` for ``mse_grad``), which is the problem's own
condition.  For hard labels that size equals the result, so the bound is a plain relative one.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mpmath import mp, mpf

from celoss import bce, bce_grad, bce_with_logits, log_sigmoid, mse, mse_grad, sigmoid

from . import _reference as ref


def _mse_grad_scale(y, z):
    return ref.soft_label_scale(y, z) * ref.sigmoid(z) * ref.sigmoid(-z)


#: function → (verified ulp bound for float64, for float32, error scale or None).
#: mse_grad multiplies three rounded factors (σ(z) − y, σ(z), σ(−z)), hence its wider bound.
LOGIT_FUNCTIONS = {
    bce_with_logits: (4.0, 1.0, None),
    bce_grad: (4.0, 1.0, ref.soft_label_scale),
    mse_grad: (8.0, 1.0, _mse_grad_scale),
}
PROBABILITY_FUNCTIONS = {mse: (4.0, 1.0), bce: (4.0, 1.0)}
DTYPES = [np.float64, np.float32]


def _bound(table, func, dtype):
    return table[func][0 if dtype == np.float64 else 1]


def _floats(dtype, lo, hi):
    return st.floats(lo, hi, width=32 if dtype == np.float32 else 64)


# --- against the reference ------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", LOGIT_FUNCTIONS, ids=lambda f: f.__name__)
def test_logit_functions_on_the_grid(func, dtype):
    y, z = ref.grid(dtype, ref.LABELS, ref.LOGITS)
    out = func(y, z)
    assert out.dtype == dtype
    scale = LOGIT_FUNCTIONS[func][2]
    error, where = ref.max_ulp_error(out, getattr(ref, func.__name__), (y, z), dtype, scale)
    assert error <= _bound(LOGIT_FUNCTIONS, func, dtype), f"{error:.2f} ulp at (y, z) = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", LOGIT_FUNCTIONS, ids=lambda f: f.__name__)
@given(data=st.data())
def test_logit_functions_on_random_points(func, dtype, data):
    pairs = data.draw(st.lists(st.tuples(_floats(dtype, 0, 1), _floats(dtype, -1000, 1000)), min_size=1, max_size=10))
    y, z = np.array(pairs, dtype).T
    scale = LOGIT_FUNCTIONS[func][2]
    error, where = ref.max_ulp_error(func(y, z), getattr(ref, func.__name__), (y, z), dtype, scale)
    assert error <= _bound(LOGIT_FUNCTIONS, func, dtype), f"{error:.2f} ulp at (y, z) = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", PROBABILITY_FUNCTIONS, ids=lambda f: f.__name__)
def test_probability_functions_on_the_grid(func, dtype):
    y, y_hat = ref.grid(dtype, ref.PROBABILITIES, ref.PROBABILITIES)
    error, where = ref.max_ulp_error(func(y, y_hat), getattr(ref, func.__name__), (y, y_hat), dtype)
    assert error <= _bound(PROBABILITY_FUNCTIONS, func, dtype), f"{error:.2f} ulp at (y, y_hat) = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", PROBABILITY_FUNCTIONS, ids=lambda f: f.__name__)
@given(data=st.data())
def test_probability_functions_on_random_points(func, dtype, data):
    pairs = data.draw(st.lists(st.tuples(_floats(dtype, 0, 1), _floats(dtype, 0, 1)), min_size=1, max_size=10))
    y, y_hat = np.array(pairs, dtype).T
    error, where = ref.max_ulp_error(func(y, y_hat), getattr(ref, func.__name__), (y, y_hat), dtype)
    assert error <= _bound(PROBABILITY_FUNCTIONS, func, dtype), f"{error:.2f} ulp at (y, y_hat) = {where}"


# --- the tails where naive formulas lose everything -----------------------------------------


@pytest.mark.parametrize(
    ("func", "y", "z", "approx"),
    [
        (bce_with_logits, 1, 40.0, 4.248e-18),  # −log σ(40); log(σ(40)) is log(1.0) = 0
        (bce_with_logits, 0, 40.0, 40.0),  # −log(1 − σ(40)); naive: −log(0) = inf
        (bce_with_logits, 1, -1000.0, 1000.0),
        (bce_grad, 1, 40.0, -4.248e-18),  # σ(40) − 1; naive: 0
        (bce_grad, 0, -184.0, 1.2297e-80),
        (mse_grad, 1, -184.0, -1.2297e-80),  # the vanishing gradient of the squared loss
        (mse_grad, 0, 184.0, 1.2297e-80),
        (mse_grad, 0, -100.0, 1.3839e-87),  # σ(z)²σ(−z)
    ],
)
def test_tails(func, y, z, approx):
    out = func(y, z)
    assert out == pytest.approx(approx, rel=1e-3)
    bound = LOGIT_FUNCTIONS[func][0]
    assert ref.ulp_error(out, getattr(ref, func.__name__)(y, z), np.float64) <= bound


def test_bce_exact_edges():
    np.testing.assert_array_equal(
        bce([0, 1, 1, 0, 0.5, 0.5], [0, 1, 0, 1, 0, 1]), [0.0, 0.0, np.inf, np.inf, np.inf, np.inf]
    )
    assert not np.signbit(bce(0, 0))
    assert not np.signbit(bce(1, 1))
    assert bce(0, 1e-20) == 1e-20  # log1p(−ŷ), not log(1 − ŷ) = log(1.0) = 0


def test_mse_is_bounded_by_one_half():
    assert mse(1, 0) == mse(0, 1) == 0.5


# --- infinite logits: the exact limits --------------------------------------------------------


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("z", [-np.inf, np.inf])
def test_infinite_logits_give_the_limits(y, z):
    sig = 1.0 if z > 0 else 0.0
    assert bce_with_logits(y, z) == bce(y, sig)
    assert bce_grad(y, z) == sig - y
    assert mse_grad(y, z) == 0.0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", LOGIT_FUNCTIONS, ids=lambda f: f.__name__)
def test_extreme_logits_raise_no_floating_point_warning(func, dtype):
    info = np.finfo(dtype)
    z = np.array([-info.max, -1e4, -info.smallest_subnormal, 0.0, info.smallest_subnormal, 1e4, info.max], dtype)
    y = np.array([0.0, 1e-30, 0.5, 1.0], dtype)[:, None]
    y, z = np.broadcast_arrays(y, z)  # the shape rule: celoss does not form outer products
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(np.isfinite(func(y, z)))


# --- gradients: finite differences and the mpmath derivative ------------------------------------

GRADIENTS = {mse_grad: lambda y, z: mse(y, sigmoid(z)), bce_grad: bce_with_logits}
LABEL_SAMPLE = [0.0, 1.0, 0.3, 0.5, 0.9]
LOGIT_SAMPLE = np.linspace(-8.0, 8.0, 33)


@pytest.mark.parametrize("y", LABEL_SAMPLE)
@pytest.mark.parametrize("grad", GRADIENTS, ids=lambda f: f.__name__)
def test_gradient_matches_central_differences(grad, y):
    loss, z, h = GRADIENTS[grad], LOGIT_SAMPLE, 1e-5
    numeric = (loss(y, z + h) - loss(y, z - h)) / (2 * h)
    np.testing.assert_allclose(grad(y, z), numeric, rtol=1e-6, atol=1e-10)


def test_bce_grad_matches_central_differences_of_bce():
    z, h = LOGIT_SAMPLE, 1e-6
    for y in LABEL_SAMPLE:
        numeric = (bce(y, sigmoid(z + h)) - bce(y, sigmoid(z - h))) / (2 * h)
        np.testing.assert_allclose(bce_grad(y, z), numeric, rtol=1e-5, atol=1e-9)


def _mp_derivative(name, y, z):
    """d/dz of the loss behind gradient ``name``, by mpmath's numerical differentiation."""
    y = mpf(y)

    def loss(t):
        sig = 1 / (1 + mp.exp(-t))
        if name.startswith("mse"):
            return (y - sig) ** 2 / 2
        return -(y * mp.log(sig) + (1 - y) * mp.log(1 - sig))

    with mp.workdps(80):
        return mp.diff(loss, mpf(z))


@pytest.mark.parametrize("y", LABEL_SAMPLE)
@pytest.mark.parametrize("grad", GRADIENTS, ids=lambda f: f.__name__)
def test_gradient_matches_the_mpmath_derivative(grad, y):
    bound, _, scale = LOGIT_FUNCTIONS[grad]
    for z in [-30.0, -5.0, -1.0, -0.1, 0.0, 0.7, 3.0, 12.0, 30.0]:
        derivative = _mp_derivative(grad.__name__, y, z)
        with mp.workdps(80):  # the reference's closed form is the derivative, to 60 digits
            gap = abs(derivative - getattr(ref, grad.__name__)(y, z))
        assert gap <= mpf(10) ** -60 * abs(derivative) + mpf(10) ** -75
        assert ref.ulp_error(grad(y, z), derivative, np.float64, scale(y, z) if scale else None) <= bound


# --- identities -------------------------------------------------------------------------------


@given(st.floats(0, 1), st.floats(-10, 10))
def test_bce_with_logits_is_bce_of_sigmoid_where_sigma_is_not_saturated(y, z):
    # σ(z) carries a relative rounding error of an ulp; −log(1 − σ) turns it into an absolute
    # error of about ulp·σ/(1 − σ) ≤ 2e4 ulp at |z| = 10, hence the loose tolerance.
    assert bce_with_logits(y, z) == pytest.approx(bce(y, sigmoid(z)), rel=1e-11, abs=1e-11)


@given(st.floats(-1000, 1000))
def test_hard_labels_reduce_to_log_sigmoid(z):
    assert bce_with_logits(1, z) == -log_sigmoid(z)
    assert bce_with_logits(0, z) == -log_sigmoid(-z)


@given(st.floats(0, 1), st.floats(-1000, 1000))
def test_loss_and_gradient_signs(y, z):
    assert bce_with_logits(y, z) >= 0
    # both gradients point from σ(z) towards y (the exact difference can round to 0 only
    # where it is below the error bound, so compare with σ(z) − y computed in mpmath)
    sign = mp.sign(ref.bce_grad(y, z))
    assert np.sign(bce_grad(y, z)) in (sign, 0)
    assert np.sign(mse_grad(y, z)) in (sign, 0)


def test_mse_grad_is_bce_grad_times_the_sigmoid_slope():
    z = np.linspace(-20, 20, 81)
    for y in LABEL_SAMPLE:
        np.testing.assert_allclose(mse_grad(y, z), bce_grad(y, z) * sigmoid(z) * sigmoid(-z), rtol=1e-14)
