"""「多分类」一章在浏览器里：三个 logit 滑块（键盘）与「真实类别」按钮（鼠标、键盘）重画数据与读数；
只查接线与交互（粗查数值），逐点一致在 tests/test_charts_multiclass.py 里。"""

from __future__ import annotations

import numpy as np

import celoss
from celoss.multiclass import softmax_mse_grad

from .conftest import click_button, column, js_column, js_prop, press, prop, wait_until

PAGE = "multiclass.html"


def drag(page, slider_index, key, times, name):
    """像读者一样用键盘拖动第 slider_index 个滑块，等到滑块的值变了为止。"""
    before = prop(page, name, "value")
    press(page, key, times, handle=slider_index)
    wait_until(page, f"{js_prop(name, 'value')} !== {before!r}")


def check_matches_celoss(page, z, label):
    np.testing.assert_allclose(column(page, "mc-source", "z"), z, rtol=0, atol=1e-12)
    np.testing.assert_allclose(column(page, "mc-source", "p"), celoss.softmax(z), rtol=1e-6, atol=1e-300)
    np.testing.assert_allclose(column(page, "mc-source", "ce_grad"), celoss.cross_entropy_grad(label, z),
                               rtol=1e-6, atol=1e-300)
    np.testing.assert_allclose(column(page, "mc-source", "mse_grad"), softmax_mse_grad(label, z),
                               rtol=1e-6, atol=1e-300)


def test_page_has_the_chart_and_glued_numbers(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 1
    text = page.inner_text("article")
    assert "{glue" not in text
    z = np.array([-4.0, 0.0, 4.0])
    ratio = float(celoss.cross_entropy_grad(0, z)[0] / softmax_mse_grad(0, z)[0])
    assert f"小了约 {ratio:.0f} 倍" in text
    assert page.locator(".exercise").count() >= 3
    assert page.locator(".solution").count() >= 3
    # answers are hidden until clicked
    assert not page.locator(".solution .section").first.is_visible()


def test_sliders_and_label_buttons_redraw(chapter_page):
    page = chapter_page
    check_matches_celoss(page, np.array([2.0, 0.5, -1.0]), 0)
    # readout and bar labels written by js/softmax.js at load, with a real minus sign
    readout = prop(page, "mc-readout", "text")
    assert "= 0.7856" in readout
    assert "−0.2144" in readout
    assert "-0." not in readout
    assert page.evaluate(f"() => {js_column('mc-source', 'p_text')}") == ["0.7856", "0.1753", "0.0391"]
    drag(page, 0, "ArrowLeft", 60, "mc-z1")
    drag(page, 2, "ArrowRight", 50, "mc-z3")
    z = np.array([prop(page, f"mc-z{i}", "value") for i in (1, 2, 3)])
    np.testing.assert_allclose(z, [-4.0, 0.5, 4.0], atol=1e-9)
    wait_until(page, f"{js_column('mc-source', 'z')}[2] === {float(z[2])!r}")
    check_matches_celoss(page, z, 0)
    readout = prop(page, "mc-readout", "text")
    assert "真实类别 1" in readout
    assert "交叉熵" in readout
    # the MSE gradient on the true class is far smaller than the cross-entropy one
    assert abs(column(page, "mc-source", "mse_grad")[0]) < abs(column(page, "mc-source", "ce_grad")[0]) / 100

    click_button(page, "类别 3")
    wait_until(page, f"{js_prop('mc-label', 'active')} === 2")
    wait_until(page, f"{js_prop('mc-readout', 'text')}.includes('真实类别 3')")
    check_matches_celoss(page, z, 2)
    colors = page.evaluate(f"() => {js_column('mc-source', 'color')}")
    assert colors[2] != colors[0] == colors[1]

    # the class buttons work from the keyboard too: focus one, press Enter
    page.locator(".celoss-chart").get_by_role("button", name="类别 2", exact=True).first.focus()
    page.keyboard.press("Enter")
    wait_until(page, f"{js_prop('mc-label', 'active')} === 1")
    wait_until(page, f"{js_prop('mc-readout', 'text')}.includes('真实类别 2')")
