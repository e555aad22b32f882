"""第四章「凸性与损失曲面」：w 滑块在浏览器里重算两种损失、切线与斜率，与 celoss.landscape 一致。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss.activations import sigmoid
from celoss.charts.landscape import TANGENT_HALF_WIDTH, _readout
from celoss.landscape import mean_bce, mean_bce_dw, mean_mse, mean_mse_dw

from .conftest import SHOTS
from .test_pages import open_ready

PAGE = "convexity.html"

STATE = """
() => {
  for (const doc of Bokeh.documents) {
    const slider = doc.get_model_by_name('w-slider');
    if (slider) {
      const get = (name) => {
        const data = doc.get_model_by_name(name).data;
        return Object.fromEntries(Object.keys(data).map((k) => [k, Array.from(data[k])]));
      };
      return {w: slider.value, readout: doc.get_model_by_name('tangent-readout').text,
              mse_point: get('mse-point-source'), bce_point: get('bce-point-source'),
              mse_tangent: get('mse-tangent-source'), bce_tangent: get('bce-tangent-source'),
              model: get('model-source')};
    }
  }
  return null;
}
"""

SET_W = """
(w) => {
  for (const doc of Bokeh.documents) {
    const slider = doc.get_model_by_name('w-slider');
    if (slider) { slider.value = w; return true; }
  }
  return false;
}
"""


def _check_against_celoss(state):
    w = state["w"]
    for name, loss, dw in [("mse", mean_mse, mean_mse_dw), ("bce", mean_bce, mean_bce_dw)]:
        point, tangent = state[f"{name}_point"], state[f"{name}_tangent"]
        assert point["w"] == [w]
        assert point["loss"][0] == pytest.approx(float(loss(w)), rel=1e-13)
        assert point["slope"][0] == pytest.approx(float(dw(w)), rel=1e-11, abs=1e-16)
        ends = np.array([w - TANGENT_HALF_WIDTH, w + TANGENT_HALF_WIDTH])
        np.testing.assert_allclose(tangent["w"], ends)
        np.testing.assert_allclose(tangent["loss"], float(loss(w)) + float(dw(w)) * (ends - w), rtol=1e-11)
    x = np.array(state["model"]["x"])
    np.testing.assert_allclose(state["model"]["p"], sigmoid(w * x), rtol=1e-13, atol=1e-300)
    assert state["readout"] == _readout(w, float(mean_mse_dw(w)), float(mean_bce_dw(w)))


def test_three_charts_drawn(new_page):
    page, watch = open_ready(new_page, PAGE)
    assert page.locator(".celoss-chart").count() == 3
    assert page.locator(".celoss-chart.celoss-widgets").count() == 1
    assert watch.errors == [] and watch.outside == []


def test_w_slider_moves_the_tangents(new_page):
    page, watch = open_ready(new_page, PAGE)
    before = page.evaluate(STATE)
    assert before["w"] == -4.0
    _check_against_celoss(before)
    handle = page.locator(".celoss-chart.celoss-widgets .noUi-handle").first
    handle.focus()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({STATE})().w > -2.01", timeout=5000)
    after = page.evaluate(STATE)
    assert after["w"] == pytest.approx(-2.0)
    _check_against_celoss(after)
    # nearer the valley the MSE slope is steeper than on the plateau
    assert abs(after["mse_point"]["slope"][0]) > abs(before["mse_point"]["slope"][0])
    page.locator(".celoss-chart.celoss-widgets").first.screenshot(path=SHOTS / "convexity-slider-w-2.png")
    assert watch.errors == []


@pytest.mark.parametrize("w", [-6.0, 0.0, 1.05, 6.0])
def test_tangent_values_across_the_range(new_page, w):
    page, watch = open_ready(new_page, PAGE)
    assert page.evaluate(SET_W, w)
    page.wait_for_function(f"() => ({STATE})().mse_point.w[0] === {w!r}", timeout=5000)
    _check_against_celoss(page.evaluate(STATE))
    assert watch.errors == []
