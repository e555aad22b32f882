"""sigmoid and log_sigmoid against the mpmath reference, in ulp, over z ∈ [−1000, 1000]."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from celoss import log_sigmoid, sigmoid

from . import _reference as ref

#: verified bounds in ulp (float32 is computed in float64 and rounded once).
ULP = {np.float64: 4.0, np.float32: 1.0}
DTYPES = list(ULP)


def logits(dtype):
    width = 32 if dtype == np.float32 else 64
    return st.floats(-1000, 1000, width=width)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", [sigmoid, log_sigmoid], ids=lambda f: f.__name__)
def test_grid_against_reference(func, dtype):
    (z,) = ref.grid(dtype, ref.LOGITS)
    out = func(z)
    assert out.dtype == dtype
    error, where = ref.max_ulp_error(out, getattr(ref, func.__name__), (z,), dtype)
    assert error <= ULP[dtype], f"{error:.2f} ulp at z = {where}"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("func", [sigmoid, log_sigmoid], ids=lambda f: f.__name__)
@given(data=st.data())
def test_random_logits_against_reference(func, dtype, data):
    z = np.array(data.draw(st.lists(logits(dtype), min_size=1, max_size=20)), dtype)
    error, where = ref.max_ulp_error(func(z), getattr(ref, func.__name__), (z,), dtype)
    assert error <= ULP[dtype], f"{error:.2f} ulp at z = {where}"


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-40.0, 4.248354255291589e-18),  # = 1 − σ(40), which naive 1 − σ(40) rounds to 0
        (-745.0, 5e-324),  # the last subnormal before e^z underflows
        (-800.0, 0.0),
    ],
)
def test_sigmoid_tail_is_exp_z(z, expected):
    assert sigmoid(z) == expected


def test_log_sigmoid_tails():
    assert log_sigmoid(40.0) == pytest.approx(-4.248354255291589e-18, rel=1e-15)  # not 0
    assert log_sigmoid(-800.0) == -800.0  # not log(0)
    assert log_sigmoid(-1000.0) == -1000.0


def test_infinite_logits_give_the_limits():
    z = np.array([-np.inf, np.inf])
    np.testing.assert_array_equal(sigmoid(z), [0.0, 1.0])
    np.testing.assert_array_equal(log_sigmoid(z), [-np.inf, 0.0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_extreme_inputs_raise_no_floating_point_warning(dtype):
    info = np.finfo(dtype)
    z = np.array([-info.max, -1e4, -info.smallest_subnormal, 0.0, info.smallest_subnormal, 1e4, info.max], dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(np.isfinite(sigmoid(z)))
        assert np.all(np.isfinite(log_sigmoid(z)))


@given(st.floats(-1000, 1000))
def test_sigmoid_symmetry(z):
    # σ(z) + σ(−z) = 1 up to the few-ulp errors of the two terms (ulp ≤ 2**-53 below 1).
    assert sigmoid(z) + sigmoid(-z) == pytest.approx(1.0, abs=8 * 2**-53)


@given(st.floats(-1000, 1000))
def test_log_sigmoid_difference_is_z(z):
    # log σ(z) − log σ(−z) = z exactly; each side is accurate relative to its size.
    scale = abs(log_sigmoid(z)) + abs(log_sigmoid(-z))
    assert log_sigmoid(z) - log_sigmoid(-z) == pytest.approx(z, abs=4 * 2**-52 * scale)


@given(st.floats(-1000, 1000))
def test_ranges(z):
    # Not monotone to the last ulp (σ(z) for z < 0 is a quotient of two rounded numbers),
    # but always inside the range of the true function, on the correct side of 1/2.
    assert 0.0 <= sigmoid(z) <= 1.0
    assert log_sigmoid(z) <= 0.0
    assert sigmoid(z) >= 0.5 if z >= 0 else sigmoid(z) <= 0.5
