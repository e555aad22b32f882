"""celoss.lab.convexity: the 1-D logistic-regression loss surfaces and their w-derivatives.

Three independent checks of every formula:

* central finite differences of the float64 functions (loss → dw → d2w);
* the high-precision (mpmath) value of the naive textbook formulas, measured in ulp;
* mpmath's own numerical differentiation of the high-precision loss, which checks the
  calculus (the analytic derivatives) without any of celoss's code.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

import celoss
from celoss.lab import convexity as ls

from ._reference import ulp_error

X, Y = ls.logistic_data()
FUNCS = [ls.mean_mse, ls.mean_bce, ls.mean_mse_dw, ls.mean_bce_dw, ls.mean_mse_d2w, ls.mean_bce_d2w]
PREC = 600  # bits: 1 − σ(z) for |z| ≤ 60 keeps > 500 significant bits


# --- high-precision references (naive formulas, no numerical tricks) -------------------------


def _terms(w: float, b: float, x=X, y=Y):
    """Per-sample (loss_mse, loss_bce, dmse, dbce, d2mse, d2bce) and their |.| for scaling."""
    out = []
    for x_float, y_float in zip(x.tolist(), y.tolist(), strict=True):
        xi, yi = mpf(x_float), mpf(y_float)
        z = mpf(w) * xi + mpf(b)
        s = 1 / (1 + mp.exp(-z))
        t = 1 - s
        lm = (yi - s) ** 2 / 2
        lb = -((yi * mp.log(s) if yi else 0) + ((1 - yi) * mp.log(t) if yi != 1 else 0))
        dm = (s - yi) * s * t * xi
        db = (s - yi) * xi
        d2m = ((s * t) ** 2 + (s - yi) * s * t * (1 - 2 * s)) * xi**2
        d2m_scale = ((s * t) ** 2 + abs((s - yi) * s * t * (1 - 2 * s))) * xi**2
        d2b = s * t * xi**2
        out.append((lm, lb, dm, db, d2m, d2b, d2m_scale))
    return out


def reference(w: float, b: float = 0.0, x=X, y=Y):
    """(values, scales): the six means, and the mean |term| for the ones that can cancel."""
    with mp.workprec(PREC):
        terms = _terms(w, b, x, y)
        n = len(terms)
        values = [sum(col) / n for col in list(zip(*terms, strict=True))[:6]]
        scale_dm = sum(abs(t[2]) for t in terms) / n
        scale_db = sum(abs(t[3]) for t in terms) / n
        scale_d2m = sum(t[6] for t in terms) / n
    return values, [None, None, scale_dm, scale_db, scale_d2m, None]


# w·x and w·x + b are exact in float64 for these grids (multiples of 1/16 times multiples of 1/2)
W_EXACT = np.arange(-12 * 16, 12 * 16 + 1, 7) / 16.0
B_EXACT = [0.0, -1.25, 2.5]


@pytest.mark.parametrize("b", B_EXACT)
def test_all_six_within_a_few_ulp_of_mpmath(b):
    got = [f(W_EXACT, b) for f in FUNCS]
    for j, w in enumerate(W_EXACT.tolist()):
        values, scales = reference(w, b)
        for k, func in enumerate(FUNCS):
            err = ulp_error(got[k][j], values[k], np.float64, scales[k])
            assert err <= 8, (func.__name__, w, b, err)


@pytest.mark.parametrize("w", [-7.0, -2.5, -0.75, 0.0, 0.3, 1.08, 4.0])
def test_analytic_derivatives_match_mpmath_differentiation(w):
    """The calculus itself: mp.diff of the naive high-precision loss equals the formulas."""
    with mp.workprec(PREC):
        mse = lambda v: sum(t[0] for t in _terms(v, 0.0)) / len(X)  # noqa: E731
        bce = lambda v: sum(t[1] for t in _terms(v, 0.0)) / len(X)  # noqa: E731
        values, _ = reference(w)
        for k, (loss, order) in enumerate([(mse, 1), (bce, 1), (mse, 2), (bce, 2)]):
            numeric = mp.diff(loss, mpf(w), order)
            analytic = values[2 + k]
            assert abs(numeric - analytic) <= mpf(10) ** -60 * (1 + abs(analytic)), (k, w)


@pytest.mark.parametrize("b", [0.0, -0.7, 1.3])
def test_central_finite_differences(b):
    w = np.linspace(-6, 6, 97)
    h = 1e-5
    for loss, dw, d2w in [
        (ls.mean_mse, ls.mean_mse_dw, ls.mean_mse_d2w),
        (ls.mean_bce, ls.mean_bce_dw, ls.mean_bce_d2w),
    ]:
        fd1 = (loss(w + h, b) - loss(w - h, b)) / (2 * h)
        np.testing.assert_allclose(dw(w, b), fd1, rtol=1e-6, atol=1e-9)
        fd2 = (dw(w + h, b) - dw(w - h, b)) / (2 * h)
        np.testing.assert_allclose(d2w(w, b), fd2, rtol=1e-6, atol=1e-9)


def test_values_are_celoss_per_sample_values_averaged():
    w = np.array([-3.0, 0.5, 2.0])
    z = w[:, None] * X
    np.testing.assert_allclose(ls.mean_mse(w), celoss.mse(Y, celoss.sigmoid(z)).mean(-1), rtol=1e-15)
    np.testing.assert_allclose(ls.mean_bce(w), celoss.bce(Y, celoss.sigmoid(z)).mean(-1), rtol=1e-13)
    np.testing.assert_allclose(ls.mean_bce_dw(w), (celoss.bce_grad(Y, z) * X).mean(-1), rtol=1e-15)


# --- convexity: the chapter's claims ---------------------------------------------------------


def test_bce_convex_and_mse_not_on_the_book_data():
    w = np.linspace(-8, 8, 1601)
    assert ls.mean_bce_d2w(w).min() > 0
    h = ls.mean_mse_d2w(w)
    assert h.min() < -0.1
    negative = w[h < 0]
    # two regions: the far-left plateau (w < w₁ < 0) and the right one (w > w₂ > 1)
    assert negative.min() == w[0]
    assert negative.max() == w[-1]
    assert ((w > -0.3) & (w < 1.5) & (h < 0)).sum() == 0


def test_bce_minimum_is_where_its_derivative_vanishes():
    w = np.linspace(-4, 4, 8001)
    i = int(np.argmin(ls.mean_bce(w)))
    assert 0 < i < w.size - 1
    assert abs(float(ls.mean_bce_dw(w[i]))) < 1e-3


def test_separable_data_has_no_finite_bce_minimum():
    x = np.array([-2.0, -1.0, 1.0, 2.0])
    y = np.array([0.0, 0.0, 1.0, 1.0])
    w = np.linspace(0, 50, 11)
    assert np.all(np.diff(ls.mean_bce(w, 0.0, x, y)) < 0)
    assert np.all(ls.mean_bce_dw(w, 0.0, x, y) < 0)


@settings(max_examples=60, deadline=None)
@given(
    w=st.floats(-1e6, 1e6),
    b=st.floats(-1e6, 1e6),
    x=st.lists(st.floats(-1e100, 1e100), min_size=1, max_size=6),
    data=st.data(),
)
def test_bce_second_derivative_never_negative_and_no_warnings(w, b, x, data):
    y = data.draw(st.lists(st.floats(0, 1), min_size=len(x), max_size=len(x)))
    for func in FUNCS:
        value = func(w, b, x, y)
        assert not np.isnan(value), func.__name__
    assert ls.mean_bce_d2w(w, b, x, y) >= 0
    assert ls.mean_bce(w, b, x, y) >= 0


@settings(max_examples=40, deadline=None)
@given(w=st.floats(-30, 30), b=st.floats(-30, 30))
def test_bce_hessian_in_w_is_the_weighted_sum_of_x_squared(w, b):
    z = w * X + b
    expected = np.mean(celoss.sigmoid(z) * celoss.sigmoid(-z) * X**2)
    np.testing.assert_allclose(ls.mean_bce_d2w(w, b), expected, rtol=1e-14, atol=1e-300)


def test_extreme_weights_give_limits_without_warnings():
    big = np.array([-1e308, 1e308])
    assert np.all(np.isinf(ls.mean_bce(big)))
    np.testing.assert_array_equal(ls.mean_mse_dw(big), 0.0)
    np.testing.assert_array_equal(ls.mean_bce_d2w(big), 0.0)
    np.testing.assert_array_equal(ls.mean_mse_d2w(big), 0.0)
    # plateaus: the fraction of samples on the wrong side, halved
    np.testing.assert_allclose(ls.mean_mse(big), [0.4, 0.1])


# --- shapes, precision, data -----------------------------------------------------------------


def test_grid_broadcasting():
    w, b = np.meshgrid(np.linspace(-3, 3, 7), np.linspace(-2, 2, 5))
    for func in FUNCS:
        grid = func(w, b)
        assert grid.shape == (5, 7)
        assert grid[2, 3] == func(w[2, 3], b[2, 3])
    assert ls.mean_bce([0.0, 1.0], [[0.0], [1.0]]).shape == (2, 2)


def test_scalar_in_scalar_out():
    value = ls.mean_bce(0.0)
    assert isinstance(value, np.float64)
    assert np.ndim(value) == 0


@pytest.mark.parametrize("func", FUNCS)
def test_float32_stays_float32(func):
    assert func(np.float32(0.5)).dtype == np.float32
    assert func(np.ones(3, np.float32)).dtype == np.float32
    assert func(0.5, 0.0, np.array([1.0, 2.0], np.float32), [0, 1]).dtype == np.float32
    assert func(np.float32(0.5), np.float64(0.0)).dtype == np.float64
    assert func(0.5).dtype == np.float64
    np.testing.assert_allclose(func(np.float32(0.5)), func(0.5), rtol=1e-6, atol=1e-7)


def test_data_is_fixed_and_returned_as_copies():
    x1, _ = ls.logistic_data()
    x1[0] = 99.0
    x2, y2 = ls.logistic_data()
    assert x2[0] == -3.0
    assert x2.shape == y2.shape == (10,)
    assert set(y2.tolist()) == {0.0, 1.0}
    np.testing.assert_array_equal(x2, -x2[::-1])  # symmetric features


# --- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"w": "a"}, TypeError, "w 必须是实数"),
        ({"w": None}, TypeError, "w 必须是实数"),
        ({"w": 1j}, TypeError, "w 必须是实数"),
        ({"w": np.nan}, ValueError, "w 不能包含 NaN"),
        ({"w": np.inf}, ValueError, "w 必须是有限实数"),
        ({"w": 0.0, "b": -np.inf}, ValueError, "b 必须是有限实数"),
        ({"w": [1.0, 2.0, 3.0], "b": [1.0, 2.0]}, ValueError, "w 与 b 的形状无法广播"),
        ({"w": 0.0, "x": [1.0, np.inf], "y": [0, 1]}, ValueError, "x 必须是有限实数"),
        ({"w": 0.0, "x": [1.0, 2.0], "y": [0, 2]}, ValueError, "y 必须在 [0, 1] 区间内"),
        ({"w": 0.0, "x": [1.0, 2.0, 3.0]}, ValueError, "x 与 y 的形状无法广播"),
        ({"w": 0.0, "x": [], "y": []}, ValueError, "x 与 y 至少要包含一个样本"),
    ],
)
def test_bad_input_raises_chinese_error(func, kwargs, error, message):
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")):
        func(**kwargs)
