"""「多分类」一章在浏览器里：三个 logit 滑块与「真实类别」按钮重算的数据与 celoss 的 Python 结果一致。"""

from __future__ import annotations

import numpy as np
import pytest

import celoss
from celoss.multiclass_mse import softmax_mse_grad

from .test_gradients import check_fits_a_phone
from .test_pages import open_ready

PAGE = "multiclass.html"

#: 按名字取一个模型的属性（所有 Bokeh 文档里找）。
PROP = """
([name, prop]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return model[prop];
  }
  return null;
}
"""

COLUMN = """
([name, column]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return Array.from(model.data[column]);
  }
  return null;
}
"""


@pytest.fixture
def multiclass_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    yield page
    assert watch.errors == [] and watch.outside == []


def column(page, col):
    return np.array(page.evaluate(COLUMN, ["mc-source", col]))


def drag(page, slider_index, key, times, name):
    """像读者一样用键盘拖动第 slider_index 个滑块，等到滑块的值变了为止。"""
    before = page.evaluate(PROP, [name, "value"])
    handle = page.locator(".celoss-chart").first.locator(".noUi-handle").nth(slider_index)
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)
    page.wait_for_function(f"() => ({PROP})([{name!r}, 'value']) !== {before!r}", timeout=5000)


def check_matches_celoss(page, z, label):
    np.testing.assert_allclose(column(page, "z"), z, rtol=0, atol=1e-12)
    np.testing.assert_allclose(column(page, "p"), celoss.softmax(z), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(column(page, "ce_grad"), celoss.cross_entropy_grad(label, z), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(column(page, "mse_grad"), softmax_mse_grad(label, z), rtol=1e-11, atol=1e-300)


def test_page_has_the_chart_and_glued_numbers(multiclass_page):
    page = multiclass_page
    assert page.locator(".celoss-chart").count() == 1
    text = page.inner_text("article")
    assert "{glue" not in text
    z = np.array([-4.0, 0.0, 4.0])
    ratio = float(celoss.cross_entropy_grad(0, z)[0] / softmax_mse_grad(0, z)[0])
    assert f"小了约 {ratio:.0f} 倍" in text
    assert page.locator(".exercise").count() >= 3 and page.locator(".solution").count() >= 3
    # answers are hidden until clicked
    assert not page.locator(".solution .section").first.is_visible()


def test_sliders_and_label_buttons_redraw(multiclass_page):
    page = multiclass_page
    check_matches_celoss(page, np.array([2.0, 0.5, -1.0]), 0)
    drag(page, 0, "ArrowLeft", 60, "mc-z1")
    drag(page, 2, "ArrowRight", 50, "mc-z3")
    z = np.array([page.evaluate(PROP, [f"mc-z{i}", "value"]) for i in (1, 2, 3)])
    np.testing.assert_allclose(z, [-4.0, 0.5, 4.0], atol=1e-9)
    page.wait_for_function(f"() => ({COLUMN})(['mc-source', 'z'])[2] === {float(z[2])!r}", timeout=5000)
    check_matches_celoss(page, z, 0)
    readout = page.evaluate(PROP, ["mc-readout", "text"])
    assert "真实类别 1" in readout and "交叉熵" in readout
    # the MSE gradient on the true class is far smaller than the cross-entropy one
    assert abs(column(page, "mse_grad")[0]) < abs(column(page, "ce_grad")[0]) / 100

    page.locator(".celoss-chart").get_by_role("button", name="类别 3", exact=True).first.click()
    page.wait_for_function(f"() => ({PROP})(['mc-label', 'active']) === 2", timeout=5000)
    page.wait_for_function(f"() => ({PROP})(['mc-readout', 'text']).includes('真实类别 3')", timeout=5000)
    check_matches_celoss(page, z, 2)
    colors = page.evaluate(COLUMN, ["mc-source", "color"])
    assert colors[2] != colors[0] == colors[1]


#: 公式（MathJax 的 mjx-container）不会自动换行：在手机宽度下每一个都不能超出屏幕。
MATH_OVERFLOW = """
() => Array.from(document.querySelectorAll('article mjx-container'))
  .map((e) => [e.getBoundingClientRect().right, e.textContent.slice(0, 40)])
  .filter(([right]) => right > document.documentElement.clientWidth)
"""


def check_math_fits_a_phone(new_page, path):
    page, watch = open_ready(new_page, path, viewport={"width": 390, "height": 844})
    assert page.evaluate(MATH_OVERFLOW) == []
    assert watch.errors == []


def test_chart_and_formulas_fit_a_phone(new_page):
    check_fits_a_phone(new_page, PAGE, "multiclass-390.png")
    check_math_fits_a_phone(new_page, PAGE)
