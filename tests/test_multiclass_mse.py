"""celoss.multiclass (softmax_mse family): the softmax Jacobian and the squared error on softmax outputs, against
finite differences, the Jacobian form J^T (p − t) and an mpmath reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

import celoss
from celoss.multiclass import softmax_jacobian, softmax_mse, softmax_mse_grad

from . import _reference_multiclass as mref

ROWS = [
    [2.0, 0.5, -1.0],
    [-4.0, 0.0, 4.0],
    [-8.0, 0.0, 8.0],
    [40.0, 0.0, 0.0],
    [0.0, 0.0, 0.0],
    [300.0, -1e-3, 1e-3, 7.0],
    [-60.0, 60.0],
    [1e4, -1e4, 0.0],
]


def _reference_grad(target, z):
    """(gradient, scale) at high precision: g_i = p_i Σ_j p_j (d_i − d_j), d = p − t."""
    k = len(z)
    p, q = mref.softmax(z), mref.one_minus_softmax(z)  # 1 − p_i without cancellation
    t = mref.effective_target(target, k)
    with mp.workprec(mref.PREC):
        d = [pi * (1 - ti) - ti * qi for pi, qi, ti in zip(p, q, t, strict=True)]
        size = [pi * (1 - ti) + ti * qi for pi, qi, ti in zip(p, q, t, strict=True)]
        grad = [p[i] * mp.fsum(p[j] * (d[i] - d[j]) for j in range(k)) for i in range(k)]
        scale = [p[i] * mp.fsum(p[j] * (size[i] + size[j]) for j in range(k)) for i in range(k)]
    return grad, scale


def _ulps(got, exact, size, dtype):
    unit = mpf(float(np.finfo(dtype).eps)) * max(abs(size), mpf(float(np.finfo(dtype).smallest_subnormal)))
    return float(abs(mpf(float(got)) - exact) / unit)


@pytest.mark.parametrize("z", ROWS)
def test_gradient_against_mpmath_for_every_label(z):
    for label in range(len(z)):
        got = softmax_mse_grad(label, np.array(z))
        exact, scale = _reference_grad(label, z)
        for i in range(len(z)):
            # the true-class entry is a sum of same-signed terms: plain relative accuracy
            size = exact[i] if i == label else scale[i]
            assert _ulps(got[i], exact[i], size, np.float64) <= 8, (z, label, i, got[i], exact[i])


@pytest.mark.parametrize("z", ROWS[:6])
def test_gradient_against_mpmath_for_soft_targets(z):
    rng = np.random.default_rng(len(z))
    t = rng.dirichlet(np.ones(len(z)))
    got = softmax_mse_grad(t, np.array(z))
    exact, scale = _reference_grad([float(v) for v in t], z)
    for i in range(len(z)):
        assert _ulps(got[i], exact[i], scale[i], np.float64) <= 16, (z, i)


def test_confident_correct_prediction_keeps_its_tiny_true_class_gradient():
    z = np.array([40.0, 0.0, 0.0])
    g = softmax_mse_grad(0, z)
    # −p_c[(1 − p_c)² + Σ p_j²] ≈ −(4 + 2) e^(−80); the literal J^T (softmax(z) − t) rounds
    # p_c − 1 to 0 and so misses the (1 − p_c)² term: it is off by a factor of 3
    assert g[0] == pytest.approx(-6 * np.exp(-80.0), rel=1e-12)
    d = celoss.softmax(z) - [1.0, 0.0, 0.0]
    assert (softmax_jacobian(z).T @ d)[0] == pytest.approx(-2 * np.exp(-80.0), rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_gradient_against_central_differences(seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=2.0, size=4)
    label = int(rng.integers(4))
    h = 1e-6
    fd = [(softmax_mse(label, z + h * e) - softmax_mse(label, z - h * e)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(softmax_mse_grad(label, z), fd, atol=1e-9)
    jac_fd = np.array([(celoss.softmax(z + h * e) - celoss.softmax(z - h * e)) / (2 * h) for e in np.eye(4)]).T
    np.testing.assert_allclose(softmax_jacobian(z), jac_fd, atol=1e-9)


@settings(max_examples=60)
@given(
    st.lists(st.floats(-30, 30, allow_nan=False), min_size=2, max_size=6),
    st.data(),
)
def test_gradient_equals_jacobian_times_residual(row, data):
    z = np.array(row)
    label = data.draw(st.integers(0, len(row) - 1))
    t = np.eye(len(row))[label]
    jac = softmax_jacobian(z)
    np.testing.assert_allclose(jac, jac.T, rtol=0, atol=1e-17)
    np.testing.assert_allclose(jac.sum(axis=1), 0.0, atol=1e-15)
    expected = jac.T @ (celoss.softmax(z) - t)
    np.testing.assert_allclose(softmax_mse_grad(label, z), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(softmax_mse_grad(t, z), softmax_mse_grad(label, z), rtol=1e-13, atol=1e-300)
    assert abs(softmax_mse_grad(label, z).sum()) <= 1e-15
    loss = softmax_mse(label, z)
    assert 0.0 <= loss <= 1.0
    # the literal ½‖softmax(z) − t‖² cancels in p_c − 1: compare in absolute terms only
    np.testing.assert_allclose(loss, 0.5 * np.sum((celoss.softmax(z) - t) ** 2), rtol=1e-12, atol=1e-15)


def test_true_class_gradient_vanishes_when_confidently_wrong():
    for gap in (4.0, 8.0, 16.0):
        z = np.array([-gap, 0.0, gap])
        p = celoss.softmax(z)
        g = softmax_mse_grad(0, z)
        assert abs(g[0]) <= 2 * p[0]
        assert celoss.cross_entropy_grad(0, z)[0] < -0.99
    z = np.array([-4.0, 0.0, 4.0])
    assert celoss.cross_entropy_grad(0, z)[0] / softmax_mse_grad(0, z)[0] == pytest.approx(1546.086, rel=1e-6)


def test_shapes_axes_and_dtypes():
    z = np.arange(12.0).reshape(2, 3, 2) / 4
    labels = np.array([[0, 1], [2, 0]])
    g = softmax_mse_grad(labels, z, axis=1)
    assert g.shape == (2, 3, 2)
    np.testing.assert_allclose(g[1, :, 0], softmax_mse_grad(2, z[1, :, 0]), rtol=1e-15)
    loss = softmax_mse(labels, z, axis=1)
    assert loss.shape == (2, 2)
    assert softmax_jacobian(z, axis=1).shape == (2, 2, 3, 3)
    z32 = np.float32([1.0, 2.0, 3.0])
    assert softmax_mse_grad(0, z32).dtype == np.float32
    assert softmax_mse(0, z32).dtype == np.float32
    assert softmax_jacobian(z32).dtype == np.float32
    assert isinstance(softmax_mse(1, [0.0, 0.0]), np.float64)
    np.testing.assert_allclose(softmax_mse_grad(0, z32), softmax_mse_grad(0, z32.astype(np.float64)), rtol=1e-6)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: softmax_mse_grad(3, [1.0, 2.0]), ValueError, "target 必须是"),
        (lambda: softmax_mse_grad(0.0, [1.0, 2.0]), ValueError, "类别轴"),
        (lambda: softmax_mse(0, [np.inf, 0.0]), ValueError, "z 不能含 \\+inf"),
        (lambda: softmax_jacobian(2.0), ValueError, "至少要有一维"),
        (lambda: softmax_jacobian("ab"), TypeError, "z 必须是实数"),
        (lambda: softmax_mse(np.array([0.5, 0.6]), [0.0, 0.0]), ValueError, "之和必须为 1"),
        (lambda: softmax_mse_grad(0, [1.0, 2.0], axis=2), ValueError, "axis 超出范围"),
    ],
)
def test_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()
