"""celoss.charts.gradients 的结构：子元素、滑块、CustomJS 参数、初始数据等于 celoss 的值；
另在无头 Chromium 里执行模块里的 JS 常量，检查它与 Python 公式逐点一致（含 z = ±30、±700、±1000）。"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import BoxAnnotation, CustomJS, Label, LogScale, Slider, Span
from bokeh.plotting import figure

import celoss
from celoss.charts.gradients import LOG_FLOOR, SATURATION_THRESHOLD, gradient_magnitude_chart, loss_gradient_chart
from celoss.lab.gradients import saturation_bound

from .conftest import assert_js_close, js_callback

#: JS 比对用的 z：[−40, 40] 上的网格加上两侧的极端值。
Z_JS = np.unique(np.r_[np.linspace(-40, 40, 401), [-1000.0, -745.0, -700.0, -30.0, 30.0, 700.0, 745.0, 1000.0]])


def callback(slider: Slider, name: str) -> CustomJS:
    return js_callback(slider, name)


def saturated_boxes(fig) -> list[BoxAnnotation]:
    return [r for r in fig.center if isinstance(r, BoxAnnotation)]


# ---------------------------------------------------------------------------------------------
# loss_gradient_chart


def test_loss_gradient_chart_structure():
    layout = loss_gradient_chart()
    slider, losses, grads = layout.children
    assert isinstance(slider, Slider)
    assert isinstance(losses, figure)
    assert isinstance(grads, figure)
    assert (slider.start, slider.end, slider.step, slider.value) == (0.0, 1.0, 0.01, 1.0)
    assert slider.title == "y 真实值"
    assert slider.name == "grad-y-slider"
    assert layout.sizing_mode == "stretch_width"
    assert losses.sizing_mode == "stretch_width"
    assert grads.x_range is losses.x_range
    cb = callback(slider, "loss_gradient")
    source = layout.select_one({"name": "grad-source"})
    assert cb.args == {"source": source}
    assert {r.data_source for r in losses.renderers + grads.renderers} == {source}


@pytest.mark.parametrize("y", [1.0, 0.3, 0.0])
def test_loss_gradient_chart_initial_data_are_celoss_values(y):
    source = loss_gradient_chart(y=y).select_one({"name": "grad-source"})
    z = source.data["z"]
    assert isinstance(z, np.ndarray)
    assert len(z) == 200
    assert z[0] == -10
    assert z[-1] == 10
    np.testing.assert_array_equal(source.data["mse"], celoss.mse(y, celoss.sigmoid(z)))
    np.testing.assert_array_equal(source.data["bce"], celoss.bce_with_logits(y, z))
    np.testing.assert_array_equal(source.data["mse_grad"], celoss.mse_grad(y, z))
    np.testing.assert_array_equal(source.data["bce_grad"], celoss.bce_grad(y, z))


def test_saturated_region_is_shaded_at_the_bound():
    _, _, grads = loss_gradient_chart().children
    bound = float(saturation_bound(SATURATION_THRESHOLD))
    assert bound == pytest.approx(4.5849, abs=1e-4)
    left, right = saturated_boxes(grads)
    assert left.right == -bound
    assert right.left == bound
    assert [label.text for label in grads.center if isinstance(label, Label)] == ["饱和区", "饱和区"]
    _, _, wider = loss_gradient_chart(threshold=0.001).children
    assert saturated_boxes(wider)[1].left == pytest.approx(float(saturation_bound(0.001)))


# ---------------------------------------------------------------------------------------------
# gradient_magnitude_chart


def test_gradient_magnitude_chart_structure():
    layout = gradient_magnitude_chart()
    slider, fig = layout.children
    assert isinstance(fig.y_scale, LogScale)
    assert fig.y_range.start > LOG_FLOOR  # the floor lies below the visible range
    assert slider.name == "grad-log-y-slider"
    assert slider.title == "y 真实值"
    assert (slider.start, slider.end, slider.step) == (0.0, 1.0, 0.01)
    cb = callback(slider, "gradient_magnitude")
    assert set(cb.args) == {"source", "marks", "grid", "floor", "mark"}
    np.testing.assert_array_equal(cb.args["grid"], np.linspace(-10, 10, 200))
    assert cb.args["floor"] == LOG_FLOOR
    assert cb.args["mark"] == -8.0
    assert cb.args["source"] is layout.select_one({"name": "grad-log-source"})
    assert cb.args["marks"] is layout.select_one({"name": "grad-log-marks"})
    (span,) = [s for s in fig.center if isinstance(s, Span) and s.dimension == "height"]
    assert span.location == -8.0
    assert len(saturated_boxes(fig)) == 2


@pytest.mark.parametrize("y", [1.0, 0.5, 0.0])
def test_gradient_magnitude_initial_data_are_celoss_values(y):
    layout = gradient_magnitude_chart(y=y)
    source = layout.select_one({"name": "grad-log-source"})
    z = source.data["z"]
    grid = np.linspace(-10, 10, 200)
    if 0 < y < 1:  # the exact zero z = logit(y) is one of the points: the dip reaches the floor
        assert len(z) == 201
        assert np.log(y) - np.log1p(-y) in z
        assert source.data["bce_abs"].min() == LOG_FLOOR
    else:
        np.testing.assert_array_equal(z, grid)
    np.testing.assert_array_equal(source.data["mse_abs"], np.maximum(np.abs(celoss.mse_grad(y, z)), LOG_FLOOR))
    np.testing.assert_array_equal(source.data["bce_abs"], np.maximum(np.abs(celoss.bce_grad(y, z)), LOG_FLOOR))
    assert source.data["mse_abs"].min() >= LOG_FLOOR
    marks = layout.select_one({"name": "grad-log-marks"})
    np.testing.assert_array_equal(marks.data["z"], [-8.0, -8.0])
    np.testing.assert_array_equal(
        marks.data["g"],
        np.maximum([abs(celoss.mse_grad(y, -8.0)), abs(celoss.bce_grad(y, -8.0))], LOG_FLOOR),
    )


def test_marks_at_minus_eight_differ_by_about_e_to_the_eight():
    marks = gradient_magnitude_chart(y=1.0).select_one({"name": "grad-log-marks"})
    mse_abs, bce_abs = marks.data["g"]
    assert mse_abs / bce_abs == pytest.approx(np.exp(-8.0), rel=1e-3)


# ---------------------------------------------------------------------------------------------
# The JS mirrors the Python formulas


def terms(y: float, z):
    """σ(z)、σ(−z) 与 σ(z) − y 中两项绝对值之和（梯度比对的误差尺度）。"""
    s, t = celoss.sigmoid(z), celoss.sigmoid(-np.asarray(z))
    return s, t, (1 - y) * s + y * t


@pytest.mark.parametrize("y", [0.0, 0.01, 0.37, 0.5, 1.0])
def test_loss_gradient_js_matches_python(run_callback, y):
    out = run_callback("loss_gradient", {"source": {"data": {"z": Z_JS.tolist()}}}, {"value": y})["source"]
    assert out["data"]["z"] == Z_JS.tolist()
    s, t, scale = terms(y, Z_JS)
    assert_js_close(out["data"]["mse_grad"], celoss.mse_grad(y, Z_JS), scale=scale * s * t)
    assert_js_close(out["data"]["bce_grad"], celoss.bce_grad(y, Z_JS), scale=scale)
    # ½(y − σ)²: the error of y − σ is relative to y + σ
    assert_js_close(out["data"]["mse"], celoss.mse(y, s), scale=np.abs(y - s) * (y + s))
    assert_js_close(out["data"]["bce"], celoss.bce_with_logits(y, Z_JS))


@pytest.mark.parametrize("y", [0.0, 0.5, 0.83, 1.0])
def test_gradient_magnitude_js_matches_python(run_callback, y):
    args = {
        "source": {"data": {"z": Z_JS.tolist()}},
        "marks": {"data": {"z": [-8.0, -8.0], "g": [0, 0], "color": ["a", "b"]}},
        "grid": Z_JS.tolist(), "floor": LOG_FLOOR, "mark": -8.0,
    }
    out = run_callback("gradient_magnitude", args, {"value": y})
    z = np.asarray(out["source"]["data"]["z"])
    # the same points as the Python chart: the grid plus the exact zero logit(y)
    want_z = Z_JS if y in (0.0, 1.0) else np.unique(np.r_[Z_JS, np.log(y) - np.log1p(-y)])
    assert_js_close(z, want_z)
    s, t, scale = terms(y, z)
    assert_js_close(out["source"]["data"]["mse_abs"], np.maximum(np.abs(celoss.mse_grad(y, z)), LOG_FLOOR),
                    scale=scale * s * t)
    assert_js_close(out["source"]["data"]["bce_abs"], np.maximum(np.abs(celoss.bce_grad(y, z)), LOG_FLOOR),
                    scale=scale)
    assert min(out["source"]["data"]["mse_abs"]) == LOG_FLOOR  # the flat tails sit on the floor
    assert_js_close(out["marks"]["data"]["g"], [abs(celoss.mse_grad(y, -8.0)), abs(celoss.bce_grad(y, -8.0))])
    assert out["marks"]["data"]["z"] == [-8.0, -8.0]
    assert out["marks"]["data"]["color"] == ["a", "b"]
