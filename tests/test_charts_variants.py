"""celoss.charts.variants 的结构：子元素、滑块、CustomJS 参数、初始数据等于 celoss 的值；
另在无头 Chromium 里执行 js/smoothing.js 与 js/focal_loss.js，检查它与 Python 公式逐点一致
（含 z = ±30、±700、±1000）。"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import CustomJS, Slider, Span
from bokeh.plotting import figure

import celoss
from celoss.charts.variants import FOCAL_MARK, focal_loss_chart, smoothing_chart

from .conftest import assert_js_close, js_callback

#: JS 比对用的 z：[−40, 40] 上的网格加上两侧的极端值。
Z_JS = np.unique(np.r_[np.linspace(-40, 40, 401), [-1000.0, -745.0, -700.0, -30.0, 30.0, 700.0, 745.0, 1000.0]])


def callback(slider: Slider, name: str) -> CustomJS:
    return js_callback(slider, name)


# ---------------------------------------------------------------------------------------------
# smoothing_chart


def test_smoothing_chart_structure():
    layout = smoothing_chart()
    slider, losses, grads = layout.children
    assert isinstance(slider, Slider)
    assert isinstance(losses, figure)
    assert isinstance(grads, figure)
    assert (slider.start, slider.end, slider.step, slider.value) == (0.0, 0.5, 0.01, 0.1)
    assert slider.name == "smooth-eps-slider"
    assert slider.title.startswith("εₗₛ")  # notation: ε alone would be ambiguous (ε_ls, ε_mach)
    assert layout.sizing_mode == "stretch_width"
    assert losses.sizing_mode == "stretch_width"
    assert grads.x_range is losses.x_range
    source = layout.select_one({"name": "smooth-source"})
    optimum = layout.select_one({"name": "smooth-optimum"})
    cb = callback(slider, "smoothing")
    assert cb.args == {"source": source, "optimum": optimum}
    assert slider.format == "0.00"
    assert slider.tooltips is False
    assert {r.data_source for r in losses.renderers} == {source, optimum}
    assert {r.data_source for r in grads.renderers} == {source, optimum}
    assert [item.label["value"] for item in losses.legend[0].items] == ["−log σ(z)", "平滑后 ℓ(ỹ, z)", "最小点"]


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.37, 0.5])
def test_smoothing_chart_initial_data_are_celoss_values(eps):
    layout = smoothing_chart(eps=eps)
    source = layout.select_one({"name": "smooth-source"})
    z = source.data["z"]
    assert isinstance(z, np.ndarray)
    assert len(z) == 200
    assert z[0] == -2
    assert z[-1] == 12
    target = celoss.smooth_labels(1.0, eps)
    np.testing.assert_array_equal(source.data["ce"], celoss.bce_with_logits(1.0, z))
    np.testing.assert_array_equal(source.data["ce_grad"], celoss.bce_grad(1.0, z))
    np.testing.assert_array_equal(source.data["ls"], celoss.bce_with_logits(target, z))
    np.testing.assert_array_equal(source.data["ls_grad"], celoss.bce_grad(target, z))
    optimum = layout.select_one({"name": "smooth-optimum"}).data
    if eps == 0:
        assert np.isnan(optimum["z"][0])
        assert np.isnan(optimum["loss"][0])
    else:
        # the minimiser is log((1 − ε/2)/(ε/2)), where the gradient σ(z) − ỹ vanishes
        np.testing.assert_allclose(optimum["z"], [np.log((1 - eps / 2) / (eps / 2))], rtol=1e-14)
        assert abs(float(celoss.bce_grad(target, optimum["z"][0]))) < 1e-15
        np.testing.assert_allclose(optimum["loss"], [celoss.entropy(target)], rtol=1e-15)
        np.testing.assert_allclose(optimum["loss"], [celoss.bce_with_logits(target, optimum["z"][0])], rtol=1e-14)


def test_smoothing_optimum_is_the_minimum_on_a_grid():
    eps = 0.1
    z = np.linspace(-20, 20, 400_001)
    grid_best = z[np.argmin(celoss.bce_with_logits(celoss.smooth_labels(1.0, eps), z))]
    optimum = smoothing_chart(eps=eps).select_one({"name": "smooth-optimum"}).data["z"][0]
    assert grid_best == pytest.approx(optimum, abs=1e-4)
    assert optimum == pytest.approx(np.log(19.0), rel=1e-15)


def test_smoothing_chart_rejects_bad_eps():
    with pytest.raises(ValueError, match="eps"):
        smoothing_chart(eps=0.6)


# ---------------------------------------------------------------------------------------------
# focal_loss_chart


def test_focal_loss_chart_structure():
    layout = focal_loss_chart()
    slider, losses, grads = layout.children
    assert (slider.start, slider.end, slider.step, slider.value) == (0.0, 5.0, 0.1, 2.0)
    assert slider.name == "focal-gamma-slider"
    assert slider.title.startswith("γ")
    assert grads.x_range is losses.x_range
    assert losses.title.name == "focal-title"
    # notation.md: the probability of the true class is q_t (the focal-loss paper's p_t)
    for fig in (losses, grads):
        assert fig.xaxis[0].axis_label.startswith("qₜ")
        assert "p" not in fig.xaxis[0].axis_label + fig.yaxis[0].axis_label + fig.title.text
    assert grads.yaxis[0].axis_label == "−∂ℓ/∂zₜ"
    source = layout.select_one({"name": "focal-source"})
    cb = callback(slider, "focal_loss")
    assert cb in layout.js_event_callbacks["document_ready"]  # the title is written at load
    assert set(cb.args) == {"source", "slider", "title", "mark"}
    assert cb.args["source"] is source
    assert cb.args["slider"] is slider
    assert cb.args["title"] is losses.title
    assert cb.args["mark"] == FOCAL_MARK
    for fig in (losses, grads):
        (span,) = [s for s in fig.center if isinstance(s, Span)]
        assert span.location == FOCAL_MARK
        assert span.dimension == "height"
        assert {r.data_source for r in fig.renderers} == {source}


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
def test_focal_loss_chart_initial_data_are_celoss_values(gamma):
    source = focal_loss_chart(gamma=gamma).select_one({"name": "focal-source"})
    p, z = source.data["p"], source.data["z"]
    assert isinstance(p, np.ndarray)
    assert len(p) == 200
    assert p[0] == 0.005
    assert p[-1] == 0.995
    np.testing.assert_allclose(celoss.sigmoid(z), p, rtol=1e-15)  # z is the logit of p_t
    np.testing.assert_array_equal(source.data["ce"], celoss.bce_with_logits(1.0, z))
    np.testing.assert_array_equal(source.data["ce_push"], -celoss.bce_grad(1.0, z))
    np.testing.assert_array_equal(source.data["fl"], celoss.focal_loss(1.0, z, gamma=gamma))
    np.testing.assert_array_equal(source.data["fl_push"], -celoss.focal_loss_grad(1.0, z, gamma=gamma))
    if gamma == 0:
        np.testing.assert_array_equal(source.data["fl"], source.data["ce"])


def test_focal_loss_chart_gradient_exceeds_cross_entropy_for_hard_examples():
    """纵轴画到 1.4：γ ≤ 5 时 −∂FL/∂z_t 的最大值约 1.31，高于交叉熵的上限 1。"""
    _, _, grads = focal_loss_chart().children
    top = max(float(focal_loss_chart(gamma=g).select_one({"name": "focal-source"}).data["fl_push"].max())
              for g in (1.0, 2.0, 3.0, 5.0))
    assert 1.0 < top < grads.y_range.end


def test_focal_loss_chart_rejects_bad_gamma():
    with pytest.raises(ValueError, match="gamma"):
        focal_loss_chart(gamma=6.0)


# ---------------------------------------------------------------------------------------------
# The JS mirrors the Python formulas


def source_data(model) -> dict:
    return {k: np.asarray(v).tolist() for k, v in model.data.items()}


@pytest.mark.parametrize("eps", [0.0, 0.01, 0.1, 0.33, 0.5])
def test_smoothing_js_matches_python(run_callback, eps):
    start = smoothing_chart(eps=0.1, z_range=(-40.0, 40.0), n=401).select_one({"name": "smooth-source"})
    data = {**source_data(start), "z": Z_JS.tolist()}
    args = {"source": {"data": data}, "optimum": {"data": {"z": [0.0], "loss": [0.0], "grad": [0.0]}}}
    out = run_callback("smoothing", args, {"value": eps})
    got = out["source"]["data"]
    for key in ("ce", "ce_grad"):
        np.testing.assert_array_equal(got[key], data[key])  # unchanged columns
    assert got["z"] == Z_JS.tolist()
    target = celoss.smooth_labels(1.0, eps)
    s, t = celoss.sigmoid(Z_JS), celoss.sigmoid(-Z_JS)
    assert_js_close(got["ls"], celoss.bce_with_logits(target, Z_JS))
    assert_js_close(got["ls_grad"], celoss.bce_grad(target, Z_JS), scale=(1 - target) * s + target * t)
    opt = smoothing_chart(eps=eps).select_one({"name": "smooth-optimum"}).data
    assert_js_close(out["optimum"]["data"]["z"], opt["z"])  # NaN for ε = 0
    assert_js_close(out["optimum"]["data"]["loss"], opt["loss"])
    assert out["optimum"]["data"]["grad"] == [0.0]


@pytest.mark.parametrize("gamma", [0.0, 0.1, 0.5, 1.0, 2.0, 2.7, 5.0])
def test_focal_js_matches_python(run_callback, gamma):
    start = focal_loss_chart(gamma=2.0, p_range=(1e-6, 1 - 1e-6), n=301).select_one({"name": "focal-source"})
    data = source_data(start)
    z = np.r_[data["z"], Z_JS]
    data = {key: np.r_[column, np.full(len(Z_JS), 0.5)].tolist() for key, column in data.items()}
    data["z"] = z.tolist()
    args = {"source": {"data": data}, "slider": {"value": gamma}, "title": {"text": ""}, "mark": FOCAL_MARK}
    out = run_callback("focal_loss", args)
    got = out["source"]["data"]
    for key in ("p", "z", "ce", "ce_push"):
        np.testing.assert_array_equal(got[key], data[key])
    assert_js_close(got["fl"], celoss.focal_loss(1.0, z, gamma=gamma))
    assert_js_close(got["fl_push"], -celoss.focal_loss_grad(1.0, z, gamma=gamma))
    title = out["title"]["text"]
    assert title.startswith("qₜ = 0.9 处 FL ")
    if gamma == 0:
        assert title == "qₜ = 0.9 处 FL 就是交叉熵（γ = 0）"
    else:  # the ratio at p_t = 0.9 is (1 − 0.9)^−γ = 10^γ
        shown = title.rsplit("1/", 1)[1]
        assert float(shown) == pytest.approx(10**gamma, rel=5e-3)
        assert shown == (f"{10**gamma:.2f}" if 10**gamma < 10 else str(round(10**gamma)))
