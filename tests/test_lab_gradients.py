"""celoss.lab.gradients 与 celoss.lab.likelihood：与 celoss 其余函数一致，
以及第一、二章的关键公式（有限差分与 mpmath 验证）。"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

import celoss
from celoss.lab.gradients import GradientTable, gradient_table, saturation_bound
from celoss.lab.likelihood import bernoulli_likelihood, bernoulli_log_likelihood, gaussian_log_likelihood

ZS = np.array([-8.0, -4.0, -2.0, 0.0, 2.0, 4.0, 8.0])
logits = st.floats(-30.0, 30.0, allow_nan=False)
probabilities = st.floats(0.0, 1.0, allow_nan=False)


def central_difference(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# ---------------------------------------------------------------------------------------------
# gradient_table


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_gradient_table_columns_are_celoss_values(y):
    t = gradient_table(ZS, y)
    assert isinstance(t, GradientTable)
    np.testing.assert_array_equal(t.z, ZS)
    np.testing.assert_array_equal(t.y, np.full(ZS.shape, y))
    np.testing.assert_array_equal(t.y_hat, celoss.sigmoid(ZS))
    np.testing.assert_array_equal(t.mse, celoss.mse(y, celoss.sigmoid(ZS)))
    np.testing.assert_array_equal(t.bce, celoss.bce_with_logits(y, ZS))
    np.testing.assert_array_equal(t.mse_grad, celoss.mse_grad(y, ZS))
    np.testing.assert_array_equal(t.bce_grad, celoss.bce_grad(y, ZS))


def test_gradient_table_shapes_and_dtypes():
    assert gradient_table(0.0).z.shape == (1,)
    assert gradient_table([1.0, 2.0], [0.0, 1.0]).y.tolist() == [0.0, 1.0]
    t32 = gradient_table(np.float32([-8.0, 0.0]), 1)
    assert all(col.dtype == np.float32 for col in t32)
    assert all(col.dtype == np.float64 for col in gradient_table([-8, 0], 1))


def test_gradient_table_renders_as_text_and_html():
    t = gradient_table(ZS, 1)
    html = t._repr_html_()
    assert html.startswith("<table")
    assert html.count("<tr>") == len(ZS) + 1
    assert "交叉熵梯度" in html
    lines = str(t).splitlines()
    assert len(lines) == len(ZS) + 1
    assert "MSE 梯度" in lines[0]
    # Markdown for the PDF, which has no HTML: header, rule, one row per z, the same cells as the text
    markdown = t._repr_markdown_().splitlines()
    assert len(markdown) == len(ZS) + 2
    assert markdown[0].startswith("| z | y |")
    assert set(markdown[1]) <= set("|-: ")
    assert markdown[2].split("|")[1].strip() == lines[1].split()[0]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("abc", 1), TypeError, "z 必须是实数"),
        (([0.0], 1.5), ValueError, "y 必须在 [0, 1] 区间内"),
        (([np.nan], 1), ValueError, "z 不能包含 NaN"),
        ((np.zeros(3), np.zeros(2)), ValueError, "z 与 y 的形状无法广播"),
    ],
)
def test_gradient_table_rejects_bad_input(args, error, message):
    with pytest.raises(error, match=re.escape(message)):
        gradient_table(*args)




# --- chapter 1 derivations ------------------------------------------------------------------


@pytest.mark.parametrize("z", ZS)
def test_sigmoid_derivative_is_sigma_times_one_minus_sigma(z):
    slope = gradient_table(z).slope[0]
    fd = central_difference(lambda v: float(celoss.sigmoid(v)), z)
    np.testing.assert_allclose(slope, fd, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
@pytest.mark.parametrize("z", ZS)
def test_both_gradients_are_derivatives_of_the_losses(y, z):
    t = gradient_table(z, y)
    fd_mse = central_difference(lambda v: float(celoss.mse(y, celoss.sigmoid(v))), z)
    fd_bce = central_difference(lambda v: float(celoss.bce_with_logits(y, v)), z)
    np.testing.assert_allclose(t.mse_grad[0], fd_mse, rtol=1e-5, atol=1e-10)
    np.testing.assert_allclose(t.bce_grad[0], fd_bce, rtol=1e-5, atol=1e-10)
    # (σ − y)σ(1 − σ) and σ − y, written out
    s = 1 / (1 + math.exp(-z))
    np.testing.assert_allclose(t.mse_grad[0], (s - y) * s * (1 - s), rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(t.bce_grad[0], s - y, rtol=1e-12, atol=1e-16)


@given(z=logits, y=probabilities)
def test_ratio_of_gradients_is_the_sigmoid_slope(z, y):
    t = gradient_table(z, y)
    if t.bce_grad[0] != 0:
        np.testing.assert_allclose(t.mse_grad[0] / t.bce_grad[0], t.slope[0], rtol=1e-12)


def test_ratio_at_minus_eight_is_about_e_to_minus_eight():
    t = gradient_table(-8.0, 1)
    ratio = t.mse_grad[0] / t.bce_grad[0]
    with mp.workdps(50):
        exact = mp.exp(-8) / (1 + mp.exp(-8)) ** 2  # σ(−8)σ(8)
        assert abs(mpf(float(ratio)) - exact) / exact < 1e-14
        assert float(exact * mp.exp(8)) == pytest.approx(1 / (1 + math.exp(-8)) ** 2, rel=1e-15)
    assert ratio * math.exp(8) == pytest.approx(0.99933, abs=1e-5)


@given(z=logits, y=probabilities)
def test_cross_entropy_gradient_is_bounded_by_one(z, y):
    t = gradient_table(z, y)
    assert abs(t.bce_grad[0]) <= 1.0
    assert abs(t.mse_grad[0]) <= 0.25 * abs(t.bce_grad[0]) + 1e-300


def test_mse_gradient_peaks_at_minus_log_two_for_label_one():
    """练习：y = 1 时 |MSE 梯度| 最大在 z = −log 2，最大值 4/27。"""
    z = np.linspace(-5, 5, 200_001)
    g = np.abs(celoss.mse_grad(1, z))
    assert z[g.argmax()] == pytest.approx(-math.log(2), abs=1e-4)
    assert g.max() == pytest.approx(4 / 27, rel=1e-9)


@pytest.mark.parametrize("z", [-20.0, -8.0, -1.0, 3.0])
def test_log_derivative_times_sigmoid_slope_is_sigma_minus_one(z):
    """−log ŷ 对 ŷ 的导数 −1/ŷ 很大，乘上 σ′(z) = ŷ(1 − ŷ) 后得 σ(z) − 1，绝对值 ≤ 1。"""
    y_hat = float(celoss.sigmoid(z))
    d_dyhat = central_difference(lambda p: float(celoss.bce(1, p)), y_hat, h=y_hat * 1e-6)
    np.testing.assert_allclose(d_dyhat, -1 / y_hat, rtol=1e-6)
    product = (-1 / y_hat) * float(gradient_table(z).slope[0])
    np.testing.assert_allclose(product, celoss.bce_grad(1, z), rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# saturation_bound


@pytest.mark.parametrize("t", [1e-12, 1e-4, 0.01, 0.1, 0.2, 0.2499])
def test_saturation_bound_solves_the_equation(t):
    b = float(saturation_bound(t))
    with mp.workdps(40):
        s = 1 / (1 + mp.exp(-mpf(b)))
        assert abs(s * (1 - s) - t) / t < 1e-12
    # just inside the bound the slope is larger, just outside it is smaller
    assert celoss.sigmoid(b - 1e-6) * celoss.sigmoid(-(b - 1e-6)) > t
    assert celoss.sigmoid(b + 1e-6) * celoss.sigmoid(-(b + 1e-6)) < t


def test_saturation_bound_edges_and_tail():
    assert saturation_bound(0.0) == math.inf
    assert saturation_bound(0.25) == 0.0
    assert saturation_bound(1.0) == 0.0
    assert float(saturation_bound(1e-10)) == pytest.approx(math.log(1e10), rel=1e-9)
    bounds = saturation_bound(np.array([0.2, 0.1, 0.01, 0.001]))
    assert np.all(np.diff(bounds) > 0)
    assert saturation_bound(np.float32(0.01)).dtype == np.float32


def test_saturation_bound_rejects_bad_threshold():
    with pytest.raises(ValueError, match="threshold"):
        saturation_bound(-0.1)
    with pytest.raises(TypeError, match="threshold"):
        saturation_bound("0.01")


# ---------------------------------------------------------------------------------------------
# Bernoulli likelihood (chapter 2)

LABELS = np.array([1, 0, 1, 1, 0])
Y_HAT = np.array([0.9, 0.2, 0.7, 0.6, 0.1])


def test_likelihood_of_one_label_is_y_hat_or_one_minus_y_hat():
    assert bernoulli_likelihood(1, 0.8) == pytest.approx(0.8)
    assert bernoulli_likelihood(0, 0.8) == pytest.approx(0.2)
    assert bernoulli_likelihood(0, 0.0) == 1.0
    assert bernoulli_likelihood(1, 1.0) == 1.0


def test_minus_log_likelihood_is_sum_of_bce():
    likelihood = bernoulli_likelihood(LABELS, Y_HAT)
    assert likelihood == pytest.approx(0.9 * 0.8 * 0.7 * 0.6 * 0.9, rel=1e-15)
    np.testing.assert_allclose(-np.log(likelihood), celoss.bce(LABELS, Y_HAT).sum(), rtol=1e-14)
    assert bernoulli_log_likelihood(LABELS, Y_HAT) == -celoss.bce(LABELS, Y_HAT).sum()


@settings(max_examples=50)
@given(st.lists(st.tuples(probabilities, st.floats(0.01, 0.99)), min_size=1, max_size=30))
def test_log_of_product_equals_sum_of_logs(pairs):
    labels, preds = map(np.array, zip(*pairs, strict=True))
    np.testing.assert_allclose(np.log(bernoulli_likelihood(labels, preds)),
                               bernoulli_log_likelihood(labels, preds), rtol=1e-12, atol=1e-12)


def test_log_likelihood_against_mpmath():
    with mp.workdps(50):
        exact = sum(mp.log(mpf(p)) if y else mp.log(1 - mpf(p)) for y, p in zip(LABELS, Y_HAT, strict=True))
    assert abs(mpf(float(bernoulli_log_likelihood(LABELS, Y_HAT))) - exact) < 1e-15 * abs(exact)


def test_product_underflows_but_log_likelihood_does_not():
    assert bernoulli_likelihood(np.ones(1074), 0.5) == 2.0**-1074
    assert bernoulli_likelihood(np.ones(1075), 0.5) == 0.0
    np.testing.assert_allclose(bernoulli_log_likelihood(np.ones(1075), 0.5), 1075 * math.log(0.5), rtol=1e-14)


def test_impossible_label_gives_minus_infinity_without_warnings():
    assert bernoulli_log_likelihood([1, 0], [0.0, 0.5]) == -math.inf
    assert bernoulli_likelihood([1, 0], [0.0, 0.5]) == 0.0


def test_shapes_broadcast_and_sum_over_the_last_axis():
    grid = np.linspace(0.1, 0.9, 9)
    assert bernoulli_log_likelihood(LABELS, grid[:, None]).shape == (9,)
    assert bernoulli_likelihood(LABELS, grid[:, None]).shape == (9,)
    assert np.ndim(bernoulli_log_likelihood(1, 0.5)) == 0
    assert bernoulli_log_likelihood(np.float32([1, 0]), np.float32(0.5)).dtype == np.float32
    assert bernoulli_likelihood(np.float32([1, 0]), np.float32(0.5)).dtype == np.float32


@pytest.mark.parametrize("fn", [bernoulli_likelihood, bernoulli_log_likelihood, gaussian_log_likelihood])
def test_likelihoods_reject_bad_input(fn):
    with pytest.raises(ValueError, match="必须在 \\[0, 1\\] 区间内"):
        fn([1, 2], 0.5)
    with pytest.raises(TypeError, match="必须是实数"):
        fn([1, 0], "0.5")
    with pytest.raises(ValueError, match="形状无法广播"):
        fn(np.ones(3), np.full(2, 0.5))


@pytest.mark.parametrize("k", [1, 3, 7, 9])
def test_maximum_likelihood_estimate_is_the_sample_mean(k):
    n = 10
    labels = (np.arange(n) < k).astype(float)
    p_star = k / n
    ll = lambda p: float(bernoulli_log_likelihood(labels, p))  # noqa: E731
    # ℓ′(p*) = 0 and ℓ″(p*) < 0 (finite differences), so p* = k/n is the maximum
    assert abs(central_difference(ll, p_star, h=1e-5)) < 1e-6
    assert ll(p_star + 1e-3) - 2 * ll(p_star) + ll(p_star - 1e-3) < 0
    np.testing.assert_allclose(central_difference(ll, 0.45, h=1e-6), k / 0.45 - (n - k) / 0.55, rtol=1e-6)
    grid = np.linspace(0.001, 0.999, 999)
    assert grid[bernoulli_log_likelihood(labels, grid[:, None]).argmax()] == pytest.approx(p_star)


@given(st.lists(probabilities, min_size=1, max_size=20), st.floats(0.01, 0.99))
def test_soft_labels_maximiser_and_expected_nll(labels, p):
    """软标签：共用 p 时最大值点仍是标签均值；平均 NLL 等于 bce(均值, p)。"""
    labels = np.array(labels)
    mean = labels.mean()
    np.testing.assert_allclose(-bernoulli_log_likelihood(labels, p) / labels.size, celoss.bce(mean, p),
                               rtol=1e-12, atol=1e-12)
    if 0.01 < mean < 0.99:
        derivative = labels.sum() / mean - (labels.size - labels.sum()) / (1 - mean)
        assert abs(derivative) < 1e-9 * labels.size / (mean * (1 - mean))


def test_hard_labels_average_nll_is_soft_label_cross_entropy():
    sample = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])
    np.testing.assert_allclose(-bernoulli_log_likelihood(sample, 0.6) / 10, celoss.bce(0.7, 0.6), rtol=1e-15)


# ---------------------------------------------------------------------------------------------
# Gaussian likelihood


def test_gaussian_log_likelihood_against_mpmath_density():
    with mp.workdps(50):
        exact = sum(mp.log(mp.npdf(mpf(float(y)), mpf(float(m)), 1)) for y, m in zip(LABELS, Y_HAT, strict=True))
    got = gaussian_log_likelihood(LABELS, Y_HAT)
    assert abs(mpf(float(got)) - exact) < 1e-15 * abs(exact)


def test_gaussian_negative_log_likelihood_is_mse_plus_constant():
    n = LABELS.size
    np.testing.assert_allclose(-gaussian_log_likelihood(LABELS, Y_HAT) - n / 2 * math.log(2 * math.pi),
                               celoss.mse(LABELS, Y_HAT).sum(), rtol=1e-13)
    assert gaussian_log_likelihood(np.float32([1, 0]), np.float32(0.5)).dtype == np.float32
    assert gaussian_log_likelihood(LABELS, np.linspace(0.1, 0.9, 4)[:, None]).shape == (4,)


def test_gaussian_maximiser_is_also_the_sample_mean():
    """练习：常数模型下高斯极大似然也给出样本均值。"""
    sample = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])
    ll = lambda m: float(gaussian_log_likelihood(sample, m))  # noqa: E731
    assert abs(central_difference(ll, 0.7, h=1e-5)) < 1e-8
    assert ll(0.7) > max(ll(0.69), ll(0.71))
