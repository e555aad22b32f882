"""第四章「凸性与损失曲面」：w 滑块（键盘）重画切线与读数，横轴不跳；只查接线与交互。

数值与 Python 逐点一致在 tests/test_charts_landscape.py 里（Chromium 执行同一份 js/tangent.js）。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss.activations import sigmoid
from celoss.charts.landscape import TANGENT_HALF_WIDTH
from celoss.lab.convexity import mean_bce_dw, mean_mse_dw

from ..conftest import readout_numbers
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
  const figs = [model('mse-figure'), model('bce-figure')];
  return {{w: model('w-slider').value, readout: model('tangent-readout').text,
          x_range: figs.map((f) => [f.x_range.start, f.x_range.end]),
          mse_point: get('mse-point-source'), bce_point: get('bce-point-source'),
          mse_tangent: get('mse-tangent-source'), bce_tangent: get('bce-tangent-source'),
          model: get('model-source')}};
}}
"""


def _check_wiring(state):
    """点、切线、模型曲线与读数都对应滑块当前的 w；斜率就是读数里的数（与 celoss 的相符，粗查）。"""
    w = state["w"]
    shown_w, shown_mse, shown_bce = readout_numbers(state["readout"])
    assert shown_w == pytest.approx(w, abs=0.005)
    for name, shown, dw in [("mse", shown_mse, mean_mse_dw), ("bce", shown_bce, mean_bce_dw)]:
        point, tangent = state[f"{name}_point"], state[f"{name}_tangent"]
        assert point["w"] == [w]
        assert shown == pytest.approx(point["slope"][0], rel=5e-3, abs=5e-5)
        assert point["slope"][0] == pytest.approx(float(dw(w)), rel=1e-6, abs=1e-12)
        np.testing.assert_allclose(tangent["w"], [w - TANGENT_HALF_WIDTH, w + TANGENT_HALF_WIDTH])
    x = np.array(state["model"]["x"])
    np.testing.assert_allclose(state["model"]["p"], sigmoid(w * x), rtol=1e-6, atol=1e-300)
    # the two loss panels keep one fixed w axis, whatever w is
    assert state["x_range"] == [[-6.24, 6.24], [-6.24, 6.24]]


def test_three_charts_drawn(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 3
    assert page.locator(".celoss-chart.celoss-widgets").count() == 1


def test_w_slider_moves_the_tangents(chapter_page):
    page = chapter_page
    before = page.evaluate(STATE)
    assert before["w"] == -4.0
    # written by js/tangent.js when the page loaded
    assert before["readout"] == "w = −4.00：均方误差的斜率 <b>−0.0101</b>，交叉熵的斜率 <b>−1.3836</b>"
    _check_wiring(before)
    press(page, "ArrowRight", 40, charts=".celoss-chart.celoss-widgets")
    wait_until(page, f"({STATE})().w > -2.01")
    after = page.evaluate(STATE)
    assert after["w"] == pytest.approx(-2.0)
    _check_wiring(after)
    # nearer the valley the MSE slope is steeper than on the plateau
    assert abs(after["mse_point"]["slope"][0]) > abs(before["mse_point"]["slope"][0])
    shot(page.locator(".celoss-chart.celoss-widgets").first, "convexity-slider-w-2.png")


@pytest.mark.parametrize("w", [-6.0, 0.0, 1.05, 6.0])
def test_tangent_values_across_the_range(shared_page, w):
    page, _ = shared_page(PAGE, tag="w-slider set by each case")
    set_prop(page, "w-slider", "value", w)
    wait_until(page, f"{js_prop('mse-point-source', 'data')}.w[0] === {w!r}")
    _check_wiring(page.evaluate(STATE))
