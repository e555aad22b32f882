"""第四章「凸性与损失曲面」：w 滑块在浏览器里重算两种损失、切线与斜率，与 celoss.landscape 一致。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss.activations import sigmoid
from celoss.charts.landscape import TANGENT_HALF_WIDTH, _readout
from celoss.lab.convexity import mean_bce, mean_bce_dw, mean_mse, mean_mse_dw

from .conftest import MODEL_JS, js_prop, press, set_prop, shot, wait_until

PAGE = "convexity.html"

#: 滑块、读数和各数据源的当前内容。
STATE = f"""
() => {{
  const model = {MODEL_JS};
  const get = (name) => {{
    const data = model(name).data;
    return Object.fromEntries(Object.keys(data).map((k) => [k, Array.from(data[k])]));
  }};
  return {{w: model('w-slider').value, readout: model('tangent-readout').text,
          mse_point: get('mse-point-source'), bce_point: get('bce-point-source'),
          mse_tangent: get('mse-tangent-source'), bce_tangent: get('bce-tangent-source'),
          model: get('model-source')}};
}}
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


def test_three_charts_drawn(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 3
    assert page.locator(".celoss-chart.celoss-widgets").count() == 1


def test_w_slider_moves_the_tangents(chapter_page):
    page = chapter_page
    before = page.evaluate(STATE)
    assert before["w"] == -4.0
    _check_against_celoss(before)
    press(page, "ArrowRight", 40, charts=".celoss-chart.celoss-widgets")
    wait_until(page, f"({STATE})().w > -2.01")
    after = page.evaluate(STATE)
    assert after["w"] == pytest.approx(-2.0)
    _check_against_celoss(after)
    # nearer the valley the MSE slope is steeper than on the plateau
    assert abs(after["mse_point"]["slope"][0]) > abs(before["mse_point"]["slope"][0])
    shot(page.locator(".celoss-chart.celoss-widgets").first, "convexity-slider-w-2.png")


@pytest.mark.parametrize("w", [-6.0, 0.0, 1.05, 6.0])
def test_tangent_values_across_the_range(shared_page, w):
    page, _ = shared_page(PAGE, tag="w-slider set by each case")
    set_prop(page, "w-slider", "value", w)
    wait_until(page, f"{js_prop('mse-point-source', 'data')}.w[0] === {w!r}")
    _check_against_celoss(page.evaluate(STATE))
