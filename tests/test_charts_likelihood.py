"""celoss.charts.likelihood 的结构：滑块、样本示意、CustomJS 参数、初始曲线等于
celoss.lab.likelihood.bernoulli_log_likelihood，极大值点在 k/n；
并在无头 Chromium 里执行 js/log_likelihood.js 逐点比对。"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import CustomJS, Div, Label, Slider, Span
from bokeh.plotting import figure

from celoss.charts.likelihood import log_likelihood_chart
from celoss.lab.likelihood import bernoulli_log_likelihood

from .conftest import assert_js_close, js_callback


def labels(k: int, n: int) -> np.ndarray:
    return np.r_[np.ones(k), np.zeros(n - k)]


def test_log_likelihood_chart_structure():
    layout = log_likelihood_chart()
    slider, sample, fig = layout.children
    assert isinstance(slider, Slider)
    assert isinstance(sample, Div)
    assert isinstance(fig, figure)
    assert (slider.start, slider.end, slider.step, slider.value) == (0, 10, 1, 7)
    assert slider.name == "k-slider"
    # notation.md: n₁ of the n labels are 1, the constant model predicts q, the likelihood is ℒ
    assert "n₁" in slider.title
    assert (fig.xaxis[0].axis_label, fig.yaxis[0].axis_label) == ("预测概率 q", "对数似然 log ℒ(q)")
    assert "n = 10" in slider.title
    assert layout.sizing_mode == "stretch_width"
    assert fig.sizing_mode == "stretch_width"
    cb = js_callback(slider, "log_likelihood")
    assert isinstance(cb, CustomJS)
    assert cb in layout.js_event_callbacks["document_ready"]
    assert set(cb.args) == {"source", "peak", "span", "label", "sample", "slider", "n"}
    assert cb.args["source"] is layout.select_one({"name": "ll-source"})
    assert cb.args["peak"] is layout.select_one({"name": "ll-peak"})
    assert cb.args["sample"] is sample
    assert cb.args["n"] == 10
    assert isinstance(cb.args["span"], Span)
    assert isinstance(cb.args["label"], Label)
    assert sample.text == "样本："  # the dots are drawn by js/log_likelihood.js at load


@pytest.mark.parametrize(("k", "n"), [(7, 10), (0, 10), (10, 10), (3, 20)])
def test_initial_curve_and_maximiser_are_celoss_values(k, n):
    layout = log_likelihood_chart(k=k, n=n)
    source = layout.select_one({"name": "ll-source"})
    p = source.data["p"]
    assert isinstance(p, np.ndarray)
    assert 0 < p[0] < p[-1] < 1
    np.testing.assert_array_equal(source.data["ll"], bernoulli_log_likelihood(labels(k, n), p[:, None]))
    assert np.isfinite(source.data["ll"]).all()
    peak = layout.select_one({"name": "ll-peak"})
    assert peak.data["p"][0] == k / n
    assert peak.data["ll"][0] == bernoulli_log_likelihood(labels(k, n), k / n)
    assert peak.data["ll"][0] >= source.data["ll"].max()  # p* = k/n is the maximiser
    cb = js_callback(layout.children[0], "log_likelihood")
    assert cb.args["span"].location == k / n
    assert cb.args["label"].x == k / n


def test_bad_k_is_rejected():
    with pytest.raises(ValueError, match="k 必须在 0 到 n"):
        log_likelihood_chart(k=11, n=10)


def run_js(run_callback, k: int, n: int, p: np.ndarray) -> dict:
    """在 Chromium 里执行 js/log_likelihood.js（模型换成普通对象），返回它改写后的各对象。"""
    args = {"source": {"data": {"p": p.tolist()}}, "peak": {"data": {}}, "span": {}, "label": {}, "sample": {},
            "slider": {"value": k}, "n": n}
    return run_callback("log_likelihood", args)


@pytest.mark.parametrize("k", [0, 1, 4, 7, 10])
def test_js_matches_python(run_callback, k):
    n = 10
    expected = log_likelihood_chart(k=k, n=n)
    # the chart's own grid, plus p = 0 and 1 (−inf unless that side has no labels) and points next to them
    p = np.unique(np.r_[expected.select_one({"name": "ll-source"}).data["p"], 0.0, 1e-300, 1e-12, 1 - 1e-12, 1.0])
    out = run_js(run_callback, k, n, p)
    want = bernoulli_log_likelihood(labels(k, n), p[:, None])
    assert_js_close(out["source"]["data"]["ll"], want)
    assert np.isfinite(want[1:-1]).all()
    peak = out["peak"]["data"]
    assert peak["p"] == [k / n]
    assert out["span"]["location"] == k / n
    assert_js_close(peak["ll"], [bernoulli_log_likelihood(labels(k, n), k / n)])
    assert out["label"]["text"] == f"q* = {k}/{n} = {k / n:.2f}"
    assert out["label"]["x"] == k / n
    assert (out["label"]["text_align"], out["label"]["x_offset"]) == (("right", -6) if k / n > 0.5 else ("left", 6))
    assert out["sample"]["text"] == f"样本：{'●' * k}{'○' * (n - k)}（● = 1 共 {k} 个，○ = 0 共 {n - k} 个）"
