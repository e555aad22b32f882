"""celoss.charts.likelihood 的结构：滑块、样本示意、CustomJS 参数、初始曲线等于
celoss.analysis.bernoulli_log_likelihood，极大值点在 k/n；并用 Node.js 执行 JS 常量比对。"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from bokeh.models import CustomJS, Div, Label, Slider, Span
from bokeh.plotting import figure

from celoss.analysis import bernoulli_log_likelihood
from celoss.charts.likelihood import LOG_LIKELIHOOD_JS, log_likelihood_chart

NODE = shutil.which("node")


def labels(k: int, n: int) -> np.ndarray:
    return np.r_[np.ones(k), np.zeros(n - k)]


def test_log_likelihood_chart_structure():
    layout = log_likelihood_chart()
    slider, sample, fig = layout.children
    assert isinstance(slider, Slider) and isinstance(sample, Div) and isinstance(fig, figure)
    assert (slider.start, slider.end, slider.step, slider.value) == (0, 10, 1, 7)
    assert slider.name == "k-slider" and "k" in slider.title and "n = 10" in slider.title
    assert layout.sizing_mode == "stretch_width" and fig.sizing_mode == "stretch_width"
    (cb,) = slider.js_property_callbacks["change:value"]
    assert isinstance(cb, CustomJS) and cb.code == LOG_LIKELIHOOD_JS
    assert set(cb.args) == {"source", "peak", "span", "label", "sample", "slider", "n"}
    assert cb.args["source"] is layout.select_one({"name": "ll-source"})
    assert cb.args["peak"] is layout.select_one({"name": "ll-peak"})
    assert cb.args["sample"] is sample and cb.args["n"] == 10
    assert isinstance(cb.args["span"], Span) and isinstance(cb.args["label"], Label)
    assert sample.text.startswith("样本：●●●●●●●○○○")


@pytest.mark.parametrize(("k", "n"), [(7, 10), (0, 10), (10, 10), (3, 20)])
def test_initial_curve_and_maximiser_are_celoss_values(k, n):
    layout = log_likelihood_chart(k=k, n=n)
    source = layout.select_one({"name": "ll-source"})
    p = source.data["p"]
    assert isinstance(p, np.ndarray) and 0 < p[0] < p[-1] < 1
    np.testing.assert_array_equal(source.data["ll"], bernoulli_log_likelihood(labels(k, n), p[:, None]))
    assert np.isfinite(source.data["ll"]).all()
    peak = layout.select_one({"name": "ll-peak"})
    assert peak.data["p"][0] == k / n
    assert peak.data["ll"][0] == bernoulli_log_likelihood(labels(k, n), k / n)
    assert peak.data["ll"][0] >= source.data["ll"].max()  # p* = k/n is the maximiser
    (cb,) = layout.children[0].js_property_callbacks["change:value"]
    assert cb.args["span"].location == k / n
    assert cb.args["label"].text == f"p* = {k}/{n} = {k / n:.2f}"


def test_bad_k_is_rejected():
    with pytest.raises(ValueError, match="k 必须在 0 到 n"):
        log_likelihood_chart(k=11, n=10)


def run_js(k: int, n: int) -> dict:
    """Run LOG_LIKELIHOOD_JS in Node with plain objects for the models; return what it set."""
    p = log_likelihood_chart(k=7, n=n).select_one({"name": "ll-source"}).data["p"]
    script = (
        f"const source = {{data: {{p: Float64Array.from({json.dumps(p.tolist())})}}}};\n"
        "const peak = {data: {}}, span = {}, label = {}, sample = {};\n"
        f"const slider = {{value: {k}}}, n = {n};\n"
        f"(function (source, peak, span, label, sample, slider, n) {{\n{LOG_LIKELIHOOD_JS}\n}})"
        "(source, peak, span, label, sample, slider, n);\n"
        "console.log(JSON.stringify({p: Array.from(source.data.p), ll: Array.from(source.data.ll),"
        " peak_p: peak.data.p[0], peak_ll: peak.data.ll[0], span: span.location, label: label.text,"
        " sample: sample.text}));"
    )
    out = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(out.stdout)


@pytest.mark.skipif(NODE is None, reason="需要 Node.js 才能执行图表的 JS")
@pytest.mark.parametrize("k", [0, 1, 4, 7, 10])
def test_js_matches_python(k):
    n = 10
    out = run_js(k, n)
    expected = log_likelihood_chart(k=k, n=n)
    source = expected.select_one({"name": "ll-source"})
    np.testing.assert_allclose(out["ll"], source.data["ll"], rtol=1e-13)
    assert out["peak_p"] == k / n and out["span"] == k / n
    np.testing.assert_allclose(out["peak_ll"], bernoulli_log_likelihood(labels(k, n), k / n), rtol=1e-13, atol=0)
    (cb,) = expected.children[0].js_property_callbacks["change:value"]
    assert out["label"] == cb.args["label"].text
    assert out["sample"] == expected.children[1].text
