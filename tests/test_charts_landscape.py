"""Chapter 4 charts: structure, names, CustomJS wiring and initial data equal to celoss values."""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import ContourColorBar, ContourRenderer, CustomJS, Div, Slider

from celoss.activations import sigmoid
from celoss.charts._display import to_html
from celoss.charts.landscape import (
    TANGENT_HALF_WIDTH,
    TANGENT_JS,
    _readout,
    curvature_chart,
    surface_chart,
    tangent_chart,
)
from celoss.lab.convexity import (
    logistic_data,
    mean_bce,
    mean_bce_d2w,
    mean_bce_dw,
    mean_mse,
    mean_mse_d2w,
    mean_mse_dw,
)

from .conftest import assert_js_close


def _named(layout, name):
    model = layout.select_one({"name": name})
    assert model is not None, name
    return model


def test_tangent_chart_structure_and_wiring():
    layout = tangent_chart(w=-4.0)
    slider, readout, data_fig, mse_fig, bce_fig = layout.children
    assert isinstance(slider, Slider) and slider.name == "w-slider"
    assert (slider.start, slider.end, slider.step, slider.value) == (-6.0, 6.0, 0.05, -4.0)
    assert isinstance(readout, Div) and readout.name == "tangent-readout"
    for model in layout.children:
        assert model.sizing_mode == "stretch_width"
    assert mse_fig.x_range is bce_fig.x_range
    (callback,) = slider.js_property_callbacks["change:value"]
    assert isinstance(callback, CustomJS) and callback.code == TANGENT_JS
    x, y = logistic_data()
    args = callback.args
    np.testing.assert_array_equal(args["x"], x)
    np.testing.assert_array_equal(args["y"], y)
    assert args["b"] == 0.0 and args["half"] == TANGENT_HALF_WIDTH
    assert args["readout"] is readout and args["slider"] is slider
    for key, name in [("model", "model-source"), ("mse_tangent", "mse-tangent-source"),
                      ("bce_tangent", "bce-tangent-source"), ("mse_point", "mse-point-source"),
                      ("bce_point", "bce-point-source")]:
        assert args[key] is _named(layout, name)
    assert 'class="celoss-chart celoss-widgets"' in to_html(layout)


@pytest.mark.parametrize(("w", "b"), [(-4.0, 0.0), (1.0, 0.0), (2.5, -0.5)])
def test_tangent_chart_initial_data_are_celoss_values(w, b):
    layout = tangent_chart(w=w, b=b)
    for name, loss, dw in [("mse", mean_mse, mean_mse_dw), ("bce", mean_bce, mean_bce_dw)]:
        point = _named(layout, f"{name}-point-source").data
        assert point["w"].tolist() == [w]
        assert point["loss"][0] == loss(w, b) and point["slope"][0] == dw(w, b)
        tangent = _named(layout, f"{name}-tangent-source").data
        np.testing.assert_allclose(tangent["w"], [w - TANGENT_HALF_WIDTH, w + TANGENT_HALF_WIDTH])
        np.testing.assert_allclose(tangent["loss"], loss(w, b) + dw(w, b) * (tangent["w"] - w), rtol=1e-15)
    model = _named(layout, "model-source").data
    np.testing.assert_array_equal(model["p"], sigmoid(w * model["x"] + b))
    mse_curve = layout.children[3].renderers[0].data_source.data
    np.testing.assert_array_equal(mse_curve["y"], mean_mse(mse_curve["x"], b))
    readout = layout.children[1].text
    assert readout == _readout(w, float(mean_mse_dw(w, b)), float(mean_bce_dw(w, b)))


def test_readout_format_matches_the_js():
    assert _readout(-4.0, -0.0101, -1.38360285) == (
        "w = −4.00：均方误差的斜率 <b>−0.0101</b>，交叉熵的斜率 <b>−1.3836</b>")
    assert "<b>2.78e-4</b>" in _readout(6.0, 0.000277823, 0.19)
    assert "<b>0.0000</b>" in _readout(0.0, 0.0, -0.0)
    # the JS builds the same text from the same pieces
    assert "toExponential(2)" in TANGENT_JS and "toFixed(digits)" in TANGENT_JS
    assert "均方误差的斜率 <b>${fmt(dmse, 4)}</b>，交叉熵的斜率 <b>${fmt(dbce, 4)}</b>" in TANGENT_JS


@pytest.mark.parametrize(("w", "b"), [(-6.0, 0.0), (-4.0, 0.0), (-0.05, 0.0), (0.0, -0.5), (1.0, 0.0), (2.5, -0.5),
                                    (6.0, 0.0), (30.0, -0.5), (-700.0, 0.0), (1000.0, -0.5)])
def test_tangent_js_matches_python(run_callback, w, b):
    """在 Chromium 里执行 TANGENT_JS（含 w = 30、−700、1000 这样的极端权重）：两种平均损失、斜率、
    切线、模型曲线与读数都与 celoss.landscape 一致。"""
    x, y = logistic_data()
    xs = np.linspace(-4.0, 4.0, 9)
    args = {"slider": {"value": w}, "x": x.tolist(), "y": y.tolist(), "b": b, "half": TANGENT_HALF_WIDTH,
            "model": {"data": {"x": xs.tolist()}}, "mse_tangent": {}, "bce_tangent": {}, "mse_point": {},
            "bce_point": {}, "readout": {}}
    out = run_callback(TANGENT_JS, args)
    ends = [w - TANGENT_HALF_WIDTH, w + TANGENT_HALF_WIDTH]
    for name, loss, dw in [("mse", mean_mse, mean_mse_dw), ("bce", mean_bce, mean_bce_dw)]:
        point = out[f"{name}_point"]["data"]
        assert point["w"] == [w]
        assert_js_close(point["loss"], [loss(w, b)])
        assert_js_close(point["slope"], [dw(w, b)])
        tangent = out[f"{name}_tangent"]["data"]
        assert tangent["w"] == ends
        assert_js_close(tangent["loss"], loss(w, b) + dw(w, b) * (np.array(ends) - w),
                        scale=abs(loss(w, b)) + abs(dw(w, b)) * TANGENT_HALF_WIDTH)  # the two terms may cancel
    assert out["model"]["data"]["x"] == xs.tolist()
    assert_js_close(out["model"]["data"]["p"], sigmoid(w * xs + b))
    assert out["readout"]["text"] == _readout(w, float(mean_mse_dw(w, b)), float(mean_bce_dw(w, b)))


def test_curvature_chart_data():
    fig = curvature_chart(n=161)
    data = _named(fig, "curvature-source").data
    w = data["w"]
    assert (w[0], w[-1], len(w)) == (-8.0, 8.0, 161)
    np.testing.assert_array_equal(data["mse"], mean_mse_d2w(w))
    np.testing.assert_array_equal(data["bce"], mean_bce_d2w(w))
    np.testing.assert_array_equal(data["mse_negative"], np.minimum(mean_mse_d2w(w), 0))
    assert data["mse_negative"].min() < 0 and data["bce"].min() > 0
    assert fig.sizing_mode == "stretch_width"


def test_surface_chart():
    layout = surface_chart(n=41, levels=9)
    mse_fig, bce_fig = layout.children
    assert [mse_fig.title.text, bce_fig.title.text] == ["平均均方误差", "平均交叉熵"]
    for fig, name, func in [(mse_fig, "mse-contour", mean_mse), (bce_fig, "bce-contour", mean_bce)]:
        contour = _named(fig, name)
        assert isinstance(contour, ContourRenderer)
        levels = np.asarray(contour.levels)
        assert len(levels) == 9
        w = np.linspace(-6, 6, 41)
        values = func(*np.meshgrid(w, w))
        assert levels[0] == pytest.approx(values.min()) and levels[-1] == pytest.approx(values.max())
        assert any(isinstance(r, ContourColorBar) for r in fig.right)
        # the red cross marks the grid minimum
        mark = fig.renderers[-1].data_source.data
        row, col = np.unravel_index(np.argmin(values), values.shape)
        assert (mark["x"][0], mark["y"][0]) == (w[col], w[row])
    assert np.all(np.diff(np.log(np.asarray(_named(bce_fig, "bce-contour").levels))) > 0)
