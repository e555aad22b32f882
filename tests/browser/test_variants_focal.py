"""「变体」一章的「Focal Loss」一节在浏览器里：γ 滑块重算的数据与 celoss 的 Python 结果一致，标题随 γ 改写。"""

from __future__ import annotations

import numpy as np

import celoss

from .conftest import column, js_prop, press, prop, wait_until

PAGE = "variants-focal.html"


def wait_for_value(page, slider, value):
    wait_until(page, f"Math.abs({js_prop(slider, 'value')} - {value}) < 1e-9")


def test_page_has_the_chart_and_the_computed_optima(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 1
    text = page.inner_text("article")
    assert "{glue" not in text
    z = np.linspace(-8, 8, 160_001)
    focal = celoss.sigmoid(z[np.argmin(celoss.focal_loss(0.1, z, gamma=2.0))])
    assert f"{focal:.2f}" in text  # celoss's soft-label generalisation: about 0.31


def test_gamma_slider_redraws_focal_loss_and_title(chapter_page):
    page = chapter_page
    z = column(page, "focal-source", "z")
    # the title is written by js/focal_loss.js when the page loads
    assert prop(page, "focal-title", "text") == "qₜ = 0.9 处 FL 只有交叉熵的 1/100"

    press(page, "ArrowLeft", 20, chart=0)  # γ: 2.0 → 0.0, the cross-entropy curve
    wait_for_value(page, "focal-gamma-slider", 0.0)
    wait_until(page, f"{js_prop('focal-title', 'text')} === 'qₜ = 0.9 处 FL 就是交叉熵（γ = 0）'")
    np.testing.assert_allclose(column(page, "focal-source", "fl"), column(page, "focal-source", "ce"), rtol=1e-15)

    press(page, "ArrowRight", 30, chart=0)  # γ = 3.0: p_t = 0.9 is 1000 times smaller
    wait_for_value(page, "focal-gamma-slider", 3.0)
    wait_until(page, f"{js_prop('focal-title', 'text')}.endsWith('1/1000')")
    np.testing.assert_allclose(column(page, "focal-source", "fl"), celoss.focal_loss(1.0, z, gamma=3.0), rtol=1e-6)
