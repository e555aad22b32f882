"""Bernoulli entropy and KL divergence against the mpmath reference, edges and identities."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from celoss import bce, entropy, kl_divergence

from . import _reference as ref

#: verified bounds in ulp per dtype (float32 is computed in float64 and rounded once).  KL adds
#: two terms, each with up to ~4 ulp where neither the series nor the direct formula is at
#: its best (p/q or (1 − p)/(1 − q) near 4 or 1/4); the largest error seen in 10^5 random
#: pairs was 4.6 ulp.
ENTROPY_ULP = {np.float64: 4.0, np.float32: 1.0}
KL_ULP = {np.float64: 5.0, np.float32: 1.0}
DTYPES = [np.float64, np.float32]
EPS = np.finfo(np.float64).eps
TINY = np.finfo(np.float64).smallest_subnormal


def _probabilities(dtype):
    return st.floats(0, 1, width=32 if dtype == np.float32 else 64)


# --- against the reference ------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_entropy_on_the_grid(dtype):
    (p,) = ref.grid(dtype, ref.PROBABILITIES)
    out = entropy(p)
    assert out.dtype == dtype
    error, where = ref.max_ulp_error(out, ref.entropy, (p,), dtype)
    assert error <= ENTROPY_ULP[dtype], f"{error:.2f} ulp at p = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_divergence_on_the_grid(dtype):
    p, q = ref.grid(dtype, ref.PROBABILITIES, ref.PROBABILITIES)
    out = kl_divergence(p, q)
    assert out.dtype == dtype
    error, where = ref.max_ulp_error(out, ref.kl_divergence, (p, q), dtype)
    assert error <= KL_ULP[dtype], f"{error:.2f} ulp at (p, q) = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_entropy_on_random_points(dtype, data):
    p = np.array(data.draw(st.lists(_probabilities(dtype), min_size=1, max_size=10)), dtype)
    error, where = ref.max_ulp_error(entropy(p), ref.entropy, (p,), dtype)
    assert error <= ENTROPY_ULP[dtype], f"{error:.2f} ulp at p = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@given(data=st.data())
def test_kl_divergence_on_random_points(dtype, data):
    pairs = data.draw(st.lists(st.tuples(_probabilities(dtype), _probabilities(dtype)), min_size=1, max_size=10))
    p, q = np.array(pairs, dtype).T
    error, where = ref.max_ulp_error(kl_divergence(p, q), ref.kl_divergence, (p, q), dtype)
    assert error <= KL_ULP[dtype], f"{error:.2f} ulp at (p, q) = {where}"


@given(st.floats(0, 1), st.floats(1 / 16, 16))
def test_kl_divergence_for_ratios_around_the_series_switch(q, ratio):
    # The series is used for p/q ∈ [1/4, 4]; check both sides of the switch, for both terms.
    p = np.array([min(q * ratio, 1.0), max(1.0 - (1.0 - q) * ratio, 0.0)])
    error, where = ref.max_ulp_error(kl_divergence(p, q), ref.kl_divergence, (p, np.full(2, q)), np.float64)
    assert error <= KL_ULP[np.float64], f"{error:.2f} ulp at (p, q) = {where}"


# --- p close to q: the reason for the careful formula -----------------------------------------


def test_kl_divergence_for_nearly_equal_probabilities():
    p, q = 0.3, 0.3 + 1e-9
    expected = ref.kl_divergence(p, q)
    assert float(expected) == pytest.approx(2.380952507591902e-18, rel=1e-15)
    assert ref.ulp_error(kl_divergence(p, q), expected, np.float64) <= KL_ULP[np.float64]
    # what the careful formula avoids: H(p, q) − H(p) has not a single correct digit here
    naive = bce(p, q) - entropy(p)
    assert abs(naive - float(expected)) >= 0.5 * float(expected)


@pytest.mark.parametrize("p", [1e-300, 1e-8, 0.3, 0.5, 0.7, 1 - 1e-8, 1 - 2**-53])
@pytest.mark.parametrize("steps", [-3, -1, 1, 2, 1000])
def test_kl_divergence_a_few_ulp_apart(p, steps):
    q = min(p + steps * np.spacing(p), 1.0)
    p_arr, q_arr = np.array([p, q]), np.array([q, p])
    error, where = ref.max_ulp_error(kl_divergence(p_arr, q_arr), ref.kl_divergence, (p_arr, q_arr), np.float64)
    assert error <= KL_ULP[np.float64], f"{error:.2f} ulp at (p, q) = {where}"


# --- exact edges and limits -------------------------------------------------------------------


def test_entropy_edges():
    np.testing.assert_array_equal(entropy([0.0, 1.0]), [0.0, 0.0])
    assert entropy(0.5) == math.log(2)
    assert entropy(5e-324) > 0


def test_kl_divergence_edges():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 0.5, 1e-300, 1.0])
    q = np.array([0.0, 1.0, 0.25, 0.25, 0.0, 1.0, 0.0, 5e-324])
    expected = [0.0, 0.0, -math.log1p(-0.25), -math.log(0.25), np.inf, np.inf, np.inf, 1074 * math.log(2)]
    np.testing.assert_allclose(kl_divergence(p, q), expected, rtol=EPS)


@pytest.mark.parametrize("dtype", DTYPES)
def test_extreme_probabilities_raise_no_floating_point_warning(dtype):
    info = np.finfo(dtype)
    values = np.array([0.0, info.smallest_subnormal, info.smallest_normal, 0.5, 1 - info.epsneg, 1.0], dtype)
    p, q = np.broadcast_arrays(values[:, None], values[None, :])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert not np.any(np.isnan(kl_divergence(p, q)))
        assert np.all(np.isfinite(entropy(values)))


# --- identities and properties --------------------------------------------------------------


@given(st.floats(0, 1))
def test_kl_divergence_of_equal_distributions_is_exactly_zero(p):
    assert kl_divergence(p, p) == 0.0


@given(st.floats(0, 1), st.floats(0, 1))
def test_kl_divergence_is_non_negative(p, q):
    assert kl_divergence(p, q) >= 0.0


@given(st.floats(0, 1), st.floats(0, 1))
def test_cross_entropy_is_entropy_plus_kl_divergence(p, q):
    # All three are sums of non-negative terms, each accurate to a few ulp (or, when
    # subnormal, to a few multiples of the smallest subnormal).
    assert bce(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), rel=8 * EPS, abs=4 * TINY)


def test_cross_entropy_is_entropy_plus_kl_divergence_on_the_grid():
    p, q = ref.grid(np.float64, ref.PROBABILITIES, ref.PROBABILITIES)
    np.testing.assert_allclose(bce(p, q), entropy(p) + kl_divergence(p, q), rtol=8 * EPS, atol=4 * TINY)


@given(st.floats(0.5, 1))
def test_entropy_is_symmetric(p):
    # 1 − p is exact for p ∈ [1/2, 1], so both sides see the same distribution.
    assert entropy(p) == pytest.approx(entropy(1 - p), rel=4 * EPS)
