"""第一章「梯度」在浏览器里：两个「y 真实值」滑块重算的数据与 celoss 的 Python 结果一致。"""

from __future__ import annotations

import numpy as np
import pytest

import celoss

from .conftest import SHOTS
from .test_pages import open_ready

PAGE = "gradients.html"

#: 按名字取某个数据源的一列（所有 Bokeh 文档里找）。
COLUMN = """
([name, column]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return Array.from(model.data[column]);
  }
  return null;
}
"""

VALUE = """
(name) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return model.value;
  }
  return null;
}
"""


def column(page, name, col):
    return np.array(page.evaluate(COLUMN, [name, col]))


def press(page, chart_index, key, times):
    handle = page.locator(".celoss-chart").nth(chart_index).locator(".noUi-handle").first
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


@pytest.fixture
def gradients_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    yield page
    assert watch.errors == [] and watch.outside == []


def test_page_has_two_charts_a_table_and_glued_numbers(gradients_page):
    page = gradients_page
    assert page.locator(".celoss-chart").count() == 2
    assert page.locator("table.celoss-table tbody tr").count() == 7
    text = page.inner_text("article")
    assert "{glue" not in text
    ratio = float(celoss.mse_grad(1, -8.0) / celoss.bce_grad(1, -8.0))
    assert f"{ratio:.4e}" in text
    assert f"{ratio * np.exp(8.0):.4f}" in text


def test_y_slider_redraws_losses_and_gradients(gradients_page):
    page = gradients_page
    z = column(page, "grad-source", "z")
    before = column(page, "grad-source", "bce_grad")
    np.testing.assert_allclose(before, celoss.bce_grad(1.0, z), rtol=1e-12, atol=1e-15)
    press(page, 0, "ArrowLeft", 30)
    page.wait_for_function(f"() => ({COLUMN})(['grad-source', 'bce_grad'])[0] !== {float(before[0])!r}", timeout=5000)
    y = page.evaluate(VALUE, "grad-y-slider")
    assert y == pytest.approx(0.7)
    # the browser's numbers are celoss's numbers
    np.testing.assert_allclose(column(page, "grad-source", "bce_grad"), celoss.bce_grad(y, z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(column(page, "grad-source", "mse_grad"), celoss.mse_grad(y, z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(column(page, "grad-source", "bce"), celoss.bce_with_logits(y, z), rtol=1e-12)
    np.testing.assert_allclose(column(page, "grad-source", "mse"), celoss.mse(y, celoss.sigmoid(z)),
                               rtol=1e-12, atol=1e-15)


def test_y_slider_redraws_log_magnitudes_and_marks(gradients_page):
    page = gradients_page
    marks = column(page, "grad-log-marks", "g")
    # at y = 1, z = -8 the MSE gradient is about e^-8 times the cross-entropy gradient
    assert marks[0] / marks[1] == pytest.approx(np.exp(-8.0), rel=1e-3)
    press(page, 1, "ArrowLeft", 100)
    page.wait_for_function(f"() => ({COLUMN})(['grad-log-marks', 'g'])[1] !== {float(marks[1])!r}", timeout=5000)
    assert page.evaluate(VALUE, "grad-log-y-slider") == 0.0
    z = column(page, "grad-log-source", "z")
    np.testing.assert_allclose(column(page, "grad-log-source", "bce_abs"), np.abs(celoss.bce_grad(0.0, z)), rtol=1e-12)
    np.testing.assert_allclose(column(page, "grad-log-source", "mse_abs"), np.abs(celoss.mse_grad(0.0, z)), rtol=1e-12)
    after = column(page, "grad-log-marks", "g")
    np.testing.assert_allclose(after, [abs(celoss.mse_grad(0.0, -8.0)), abs(celoss.bce_grad(0.0, -8.0))], rtol=1e-12)


PHONE_FIT = """
() => Array.from(document.querySelectorAll('.celoss-chart')).map((el) => {
  const box = el.getBoundingClientRect();
  return {left: box.left, right: box.right, width: document.documentElement.clientWidth};
})
"""


def check_fits_a_phone(new_page, path, shot_name):
    """在 390 px 宽的视口里：每张图都不超出屏幕，画布仍有可读的宽度；存一张截图供人查看。"""
    page, watch = open_ready(new_page, path, viewport={"width": 390, "height": 844})
    for box in page.evaluate(PHONE_FIT):
        assert box["left"] >= 0 and box["right"] <= box["width"] + 1, box
    charts = page.locator(".celoss-chart")
    for i in range(charts.count()):
        canvas = charts.nth(i).locator("canvas").first.bounding_box()
        assert canvas is not None and 250 <= canvas["width"] <= 390, (i, canvas)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / shot_name, full_page=True)
    assert watch.errors == [] and watch.outside == []


def test_charts_fit_a_phone(new_page):
    check_fits_a_phone(new_page, PAGE, "gradients-390.png")
