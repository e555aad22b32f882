"""Chapter 4 charts: structure, names, CustomJS wiring and initial data equal to celoss values."""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import BoxAnnotation, ContourColorBar, ContourRenderer, CustomJS, Div, Range1d, Slider

from celoss.activations import sigmoid
from celoss.charts._display import to_html
from celoss.charts.landscape import (
    TANGENT_HALF_WIDTH,
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

from .conftest import assert_js_close, js_callback, readout_numbers


def _named(layout, name):
    model = layout.select_one({"name": name})
    assert model is not None, name
    return model


def test_tangent_chart_structure_and_wiring():
    layout = tangent_chart(w=-4.0)
    slider, readout, _data_fig, mse_fig, bce_fig = layout.children
    assert isinstance(slider, Slider)
    assert slider.name == "w-slider"
    assert (slider.start, slider.end, slider.step, slider.value) == (-6.0, 6.0, 0.05, -4.0)
    assert isinstance(readout, Div)
    assert readout.name == "tangent-readout"
    for model in layout.children:
        assert model.sizing_mode == "stretch_width"
    # one fixed w axis for the two loss panels: it does not jump while the reader drags
    assert mse_fig.x_range is bce_fig.x_range
    assert isinstance(mse_fig.x_range, Range1d)
    assert mse_fig.x_range.start < -6
    assert mse_fig.x_range.end > 6
    assert slider.format == "0.00"
    assert slider.tooltips is False
    callback = js_callback(slider, "tangent")
    assert isinstance(callback, CustomJS)
    assert callback in layout.js_event_callbacks["document_ready"]  # the readout is written at load too
    x, y = logistic_data()
    args = callback.args
    np.testing.assert_array_equal(args["x"], x)
    np.testing.assert_array_equal(args["y"], y)
    assert args["b"] == 0.0
    assert args["half"] == TANGENT_HALF_WIDTH
    assert args["readout"] is readout
    assert args["slider"] is slider
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
        assert point["loss"][0] == loss(w, b)
        assert point["slope"][0] == dw(w, b)
        tangent = _named(layout, f"{name}-tangent-source").data
        np.testing.assert_allclose(tangent["w"], [w - TANGENT_HALF_WIDTH, w + TANGENT_HALF_WIDTH])
        np.testing.assert_allclose(tangent["loss"], loss(w, b) + dw(w, b) * (tangent["w"] - w), rtol=1e-15)
    model = _named(layout, "model-source").data
    np.testing.assert_array_equal(model["p"], sigmoid(w * model["x"] + b))
    mse_curve = layout.children[3].renderers[0].data_source.data
    np.testing.assert_array_equal(mse_curve["y"], mean_mse(mse_curve["x"], b))
    assert "…" in layout.children[1].text  # a placeholder: the numbers come from js/tangent.js


@pytest.mark.parametrize(("w", "b"), [(-6.0, 0.0), (-4.0, 0.0), (-0.05, 0.0), (0.0, -0.5), (1.0, 0.0), (2.5, -0.5),
                                    (6.0, 0.0), (30.0, -0.5), (-700.0, 0.0), (1000.0, -0.5)])
def test_tangent_js_matches_python(run_callback, w, b):
    """在 Chromium 里执行 js/tangent.js（含 w = 30、−700、1000 这样的极端权重）：两种平均损失、斜率、
    切线、模型曲线与读数都与 celoss.landscape 一致。"""
    x, y = logistic_data()
    xs = np.linspace(-4.0, 4.0, 9)
    args = {"slider": {"value": w}, "x": x.tolist(), "y": y.tolist(), "b": b, "half": TANGENT_HALF_WIDTH,
            "model": {"data": {"x": xs.tolist()}}, "mse_tangent": {}, "bce_tangent": {}, "mse_point": {},
            "bce_point": {}, "readout": {}}
    out = run_callback("tangent", args)
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
    text = out["readout"]["text"]
    assert text.startswith("w = ")
    assert "均方误差的斜率 <b>" in text
    assert "交叉熵的斜率 <b>" in text
    shown_w, shown_mse, shown_bce = readout_numbers(text)
    assert shown_w == pytest.approx(w, abs=0.005)
    for shown, want in ((shown_mse, mean_mse_dw(w, b)), (shown_bce, mean_bce_dw(w, b))):
        assert shown == pytest.approx(float(want), rel=5e-3, abs=5e-5)
    if (w, b) == (-4.0, 0.0):
        assert text == "w = −4.00：均方误差的斜率 <b>−0.0101</b>，交叉熵的斜率 <b>−1.3836</b>"


def test_curvature_chart_data():
    fig = curvature_chart(n=161)
    data = _named(fig, "curvature-source").data
    w = data["w"]
    assert (w[0], w[-1], len(w)) == (-8.0, 8.0, 161)
    np.testing.assert_array_equal(data["mse"], mean_mse_d2w(w))
    np.testing.assert_array_equal(data["bce"], mean_bce_d2w(w))
    np.testing.assert_array_equal(data["mse_negative"], np.minimum(mean_mse_d2w(w), 0))
    assert data["mse_negative"].min() < 0
    assert data["bce"].min() > 0
    assert fig.sizing_mode == "stretch_width"
    # both stretches where the MSE bends down are shaded full height (the right one is far too thin
    # to see as an area under the curve)
    boxes = [b for b in fig.center if isinstance(b, BoxAnnotation)]
    negative = w[data["mse"] < 0]
    assert len(boxes) == 2
    assert boxes[0].left == negative.min()
    assert boxes[1].right == negative.max()
    assert boxes[0].right < 0 < boxes[1].left
    assert fig.html_attributes["role"] == "figure"
    assert "二阶导数" in fig.html_attributes["aria-label"]


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
        assert levels[0] == pytest.approx(values.min())
        assert levels[-1] == pytest.approx(values.max())
        (bar,) = [r for r in fig.right if isinstance(r, ContourColorBar)]
        ticks = np.asarray(bar.ticker.ticks)  # labelled levels never closer than a ninth of the range
        assert set(ticks) <= set(levels)
        assert np.all(np.diff(ticks) >= (levels[-1] - levels[0]) / 9)
        # the red cross marks the grid minimum
        mark = fig.renderers[-1].data_source.data
        row, col = np.unravel_index(np.argmin(values), values.shape)
        assert (mark["x"][0], mark["y"][0]) == (w[col], w[row])
    assert np.all(np.diff(np.log(np.asarray(_named(bce_fig, "bce-contour").levels))) > 0)
