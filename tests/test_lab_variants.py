"""celoss.lab.variants (and the pieces it uses from celoss.lab.datasets / celoss.lab.training):
data, the weighted/smoothed trainer, metrics and the two studies; gradients vs finite differences, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

import celoss
from celoss.lab import training
from celoss.lab.datasets import two_blobs
from celoss.lab.training import Params
from celoss.lab.variants import (
    Metrics,
    PosWeightStudy,
    SmoothingStudy,
    binary_metrics,
    pos_weight_study,
    smoothing_study,
)


def rng(seed=0):
    return np.random.default_rng(seed)


def imbalanced_blobs(rng, n, positive_fraction=0.1, separation=2.5, noise=1.0):
    """The variants chapter's data: two_blobs with centres ±separation/(2√2)·(1, 1)."""
    return two_blobs(rng, n, positive_fraction=positive_fraction,
                     centre=separation / (2 * np.sqrt(2)) * np.ones(2), noise=noise)


def fit_logistic(X, y, *, pos_weight=1.0, label_smoothing=0.0, **kwargs):
    """The one trainer with the weighted / smoothed cross-entropy LossSpec."""
    return training.fit_logistic(X, y, loss=training.weighted(pos_weight, label_smoothing), **kwargs)


# ---------------------------------------------------------------------------------------------
# imbalanced_blobs


def test_blobs_shapes_fraction_and_determinism():
    X, y = imbalanced_blobs(rng(3), 500, positive_fraction=0.2)
    assert X.shape == (500, 2)
    assert y.shape == (500,)
    assert y.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0}
    assert y.sum() == 100
    X2, y2 = imbalanced_blobs(rng(3), 500, positive_fraction=0.2)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    # the positives sit around +μ, the negatives around −μ, with |2μ| = separation
    mu = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
    assert np.linalg.norm(mu) == pytest.approx(2.5, abs=0.3)


def test_blobs_keep_at_least_one_sample_of_each_class():
    _, y = imbalanced_blobs(rng(), 10, positive_fraction=0.01)
    assert y.sum() == 1
    _, y = imbalanced_blobs(rng(), 10, positive_fraction=0.99)
    assert y.sum() == 9


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"rng": 0}, TypeError, "rng"),
    ({"n": 1}, ValueError, "n"),
    ({"n": 2.0}, TypeError, "n"),
    ({"positive_fraction": 1.0}, ValueError, "positive_fraction"),
    ({"positive_fraction": "x"}, TypeError, "positive_fraction"),
    ({"centre": [1.0, 2.0, 3.0]}, ValueError, "centre"),
    ({"centre": [np.inf, 0.0]}, ValueError, "centre"),
    ({"noise": 0.0}, ValueError, "noise"),
    ({"noise": [1.0, 2.0]}, ValueError, "标量"),
])
def test_blobs_reject_bad_input(kwargs, error, match):
    args = {"rng": rng(), "n": 100, **kwargs}
    with pytest.raises(error, match=match):
        two_blobs(args.pop("rng"), args.pop("n"), **args)


# ---------------------------------------------------------------------------------------------
# fit_logistic


def mean_loss(X, y, w, b, pos_weight, eps):
    target = celoss.smooth_labels(y, eps)
    return float(celoss.weighted_bce_with_logits(target, X @ w + b, pos_weight).mean())


@pytest.mark.parametrize(("pos_weight", "eps"), [(1.0, 0.0), (4.0, 0.0), (1.0, 0.2), (0.3, 0.1)])
def test_one_step_is_the_finite_difference_gradient(pos_weight, eps):
    X, y = imbalanced_blobs(rng(1), 60)
    start = Params(weights=[0.3, -0.2], bias=0.1)
    rate = 1e-3
    step = fit_logistic(X, y, pos_weight=pos_weight, label_smoothing=eps, learning_rate=rate, steps=1, start=start)
    grad_w = (start.weights - step.weights) / rate
    grad_b = (start.bias - step.bias) / rate
    h = 1e-6
    numeric_w = [
        (mean_loss(X, y, start.weights + h * e, start.bias, pos_weight, eps)
         - mean_loss(X, y, start.weights - h * e, start.bias, pos_weight, eps)) / (2 * h)
        for e in np.eye(2)
    ]
    numeric_b = (mean_loss(X, y, start.weights, start.bias + h, pos_weight, eps)
                 - mean_loss(X, y, start.weights, start.bias - h, pos_weight, eps)) / (2 * h)
    np.testing.assert_allclose(grad_w, numeric_w, rtol=1e-6, atol=1e-9)
    assert grad_b == pytest.approx(numeric_b, rel=1e-6, abs=1e-9)


def test_unweighted_fit_matches_the_positive_rate():
    """最优点处 ∂L/∂b = mean(σ(z) − y) = 0：平均预测概率等于正类比例。"""
    X, y = imbalanced_blobs(rng(), 800)
    params = fit_logistic(X, y)
    assert params.model == "logistic"
    assert float(params.predict_proba(X).mean()) == pytest.approx(float(y.mean()), abs=1e-6)


def test_weighting_shifts_the_intercept_by_about_log_w():
    """设定正确的模型：加权 w₊ 近似于把偏置加上 log w₊，权重方向几乎不变。"""
    X, y = imbalanced_blobs(rng(), 4000)
    plain = fit_logistic(X, y)
    weighted = fit_logistic(X, y, pos_weight=9.0)
    assert weighted.bias - plain.bias == pytest.approx(np.log(9.0), rel=0.15)
    cosine = plain.weights @ weighted.weights / np.linalg.norm(plain.weights) / np.linalg.norm(weighted.weights)
    assert cosine > 0.99


def test_training_can_continue_from_start():
    X, y = imbalanced_blobs(rng(), 200)
    once = fit_logistic(X, y, steps=40)
    twice = fit_logistic(X, y, steps=20, start=fit_logistic(X, y, steps=20))
    np.testing.assert_allclose(twice.weights, once.weights, rtol=1e-14)
    assert twice.bias == pytest.approx(once.bias, rel=1e-14)
    zero = fit_logistic(X, y, steps=0)
    assert zero.bias == 0.0
    assert not zero.weights.any()


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"pos_weight": 0.0}, ValueError, "pos_weight"),
    ({"label_smoothing": 1.0}, ValueError, "label_smoothing"),
    ({"learning_rate": -1.0}, ValueError, "learning_rate"),
    ({"learning_rate": np.inf}, ValueError, "learning_rate"),
    ({"steps": -1}, ValueError, "steps"),
    ({"steps": 1.5}, TypeError, "steps"),
    ({"start": "zero"}, TypeError, "start"),
    ({"start": Params(weights=[1.0, 2.0, 3.0], bias=0.0)}, ValueError, "start"),
])
def test_fit_rejects_bad_input(kwargs, error, match):
    X, y = imbalanced_blobs(rng(), 50)
    with pytest.raises(error, match=match):
        fit_logistic(X, y, **kwargs)


def test_fit_rejects_soft_labels_and_bad_shapes():
    X, y = imbalanced_blobs(rng(), 50)
    with pytest.raises(ValueError, match="0/1"):
        fit_logistic(X, np.full(50, 0.5))
    with pytest.raises(ValueError, match="y"):
        fit_logistic(X, y[:-1])


# ---------------------------------------------------------------------------------------------
# binary_metrics


def test_metrics_by_hand():
    y = [1, 1, 1, 0, 0, 0, 0, 0]
    p = [0.9, 0.6, 0.2, 0.7, 0.3, 0.1, 0.1, 0.1]
    m = binary_metrics(y, p)
    assert isinstance(m, Metrics)
    assert m.recall == pytest.approx(2 / 3)
    assert m.precision == pytest.approx(2 / 3)
    assert m.accuracy == pytest.approx(6 / 8)
    assert m.mean_probability == pytest.approx(np.mean(p))
    low = binary_metrics(y, p, threshold=0.15)
    assert low.recall == 1.0
    assert low.precision == pytest.approx(3 / 5)
    nothing = binary_metrics(y, p, threshold=1.0)
    assert nothing.recall == 0.0
    assert np.isnan(nothing.precision)


@pytest.mark.parametrize(("y", "p", "threshold", "error", "match"), [
    ([1, 0], [0.5, 1.5], 0.5, ValueError, "p"),
    ([1, 0], [0.5, 0.5, 0.5], 0.5, ValueError, "形状"),
    ([0, 0], [0.5, 0.5], 0.5, ValueError, "正类"),
    ([1, 0], [0.5, 0.5], 2.0, ValueError, "threshold"),
    ([1, 0], ["a", "b"], 0.5, TypeError, "p"),
])
def test_metrics_reject_bad_input(y, p, threshold, error, match):
    with pytest.raises(error, match=match):
        binary_metrics(y, p, threshold)


# ---------------------------------------------------------------------------------------------
# the two studies (small and fast versions of the page's runs)


@pytest.fixture(scope="module")
def study() -> PosWeightStudy:
    return pos_weight_study(rng(0), ((1, 0.5), (3, 0.5), (9, 0.5), (1, 0.1)), n=1000)


def test_pos_weight_trades_precision_for_recall(study):
    rows = [study.row(w, 0.5) for w in (1, 3, 9)]
    assert np.all(np.diff(study.recall[rows]) > 0)
    assert np.all(np.diff(study.precision[rows]) < 0)
    assert np.all(np.diff(study.mean_probability[rows]) > 0)
    assert study.mean_probability[rows[0]] == pytest.approx(study.positive_rate, abs=1e-6)
    assert study.positive_rate == pytest.approx(0.1)


def test_weight_nine_is_about_threshold_one_tenth(study):
    weighted, moved = study.row(9, 0.5), study.row(1, 0.1)
    assert study.recall[weighted] == pytest.approx(study.recall[moved], abs=0.03)
    assert study.precision[weighted] == pytest.approx(study.precision[moved], abs=0.03)


def test_study_rows_match_a_direct_fit(study):
    X, y = imbalanced_blobs(rng(0), 1000)
    direct = binary_metrics(y, fit_logistic(X, y, pos_weight=3.0).predict_proba(X))
    i = study.row(3, 0.5)
    assert (study.recall[i], study.precision[i], study.accuracy[i]) == (direct.recall, direct.precision,
                                                                         direct.accuracy)
    with pytest.raises(KeyError):
        study.row(2, 0.5)


def test_study_is_reproducible_and_renders(study):
    again = pos_weight_study(rng(0), ((1, 0.5), (3, 0.5), (9, 0.5), (1, 0.1)), n=1000)
    for a, b in zip(study, again, strict=True):
        np.testing.assert_array_equal(a, b)
    text = str(study)
    assert text.splitlines()[0].split() == ["w₊", "阈值", "召回率", "精确率", "准确率", "平均", "ŷ"]
    assert len(text.splitlines()) == 5
    html = study._repr_html_()
    assert html.startswith('<table class="celoss-table')
    assert html.count("<tr>") == 5
    assert f"{100 * study.recall[0]:.1f}%" in html


@pytest.mark.parametrize(("settings", "match"), [([], "settings"), ([(1, 0.5, 3)], "settings"),
                                                 ([(0, 0.5)], "pos_weight"), ([(1, 1.5)], "threshold")])
def test_study_rejects_bad_settings(settings, match):
    with pytest.raises(ValueError, match=match):
        pos_weight_study(rng(), settings, n=50)


@pytest.fixture(scope="module")
def smooth() -> SmoothingStudy:
    return smoothing_study(rng(1), (0.0, 0.1), (10, 100, 300))


def test_smoothing_stops_the_weights_growing(smooth):
    plain = [smooth.row(0.0, t) for t in (10, 100, 300)]
    smoothed = [smooth.row(0.1, t) for t in (10, 100, 300)]
    assert np.all(np.diff(smooth.weight_norm[plain]) > 0.5)  # keeps growing, like log t
    assert np.all(np.diff(smooth.mean_confidence[plain]) > 0)
    assert smooth.weight_norm[smoothed[2]] == pytest.approx(smooth.weight_norm[smoothed[1]], rel=1e-4)
    assert smooth.mean_confidence[smoothed[2]] < 0.95 < smooth.mean_confidence[plain[2]]
    assert np.all(smooth.max_confidence[smoothed] < 0.999)
    assert smooth.max_confidence[plain[2]] > 1 - 1e-5
    assert np.all(smooth.loss[plain] < smooth.loss[smoothed])


def test_smoothing_study_matches_one_long_fit(smooth):
    X, y = imbalanced_blobs(rng(1), 200, positive_fraction=0.5, separation=4.0, noise=0.6)
    params = fit_logistic(X, y, label_smoothing=0.1, learning_rate=1.0, steps=300)
    i = smooth.row(0.1, 300)
    assert smooth.weight_norm[i] == pytest.approx(np.linalg.norm(params.weights), rel=1e-12)
    text = str(smooth)
    assert f"{1 - smooth.max_confidence[smooth.row(0.0, 300)]:.1e}".split("e")[0] + "×10⁻" in text
    assert smooth._repr_html_().count("<tr>") == 7


@pytest.mark.parametrize(("kwargs", "match"), [({"eps_values": []}, "不能为空"), ({"checkpoints": (10, 10)}, "递增"),
                                               ({"checkpoints": (0,)}, "步数"), ({"eps_values": (1.0,)}, "ε")])
def test_smoothing_study_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        smoothing_study(rng(), **kwargs)
