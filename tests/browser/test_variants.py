"""「变体」一章在浏览器里：γ 与 ε 滑块（键盘）重画曲线，标题随 γ 改写；只查接线与交互。

数值与 Python 逐点一致在 tests/test_charts_variants.py 里。ε 为 0 时最小点是 NaN（不画）：
playwright 把 NaN 原样传回 Python。
"""

from __future__ import annotations

import numpy as np
import pytest

import celoss
from celoss.experiments import pos_weight_study, smoothing_study

from .conftest import column, js_column, js_prop, press, prop, wait_until

PAGE = "variants.html"


def wait_for_value(page, slider, value):
    wait_until(page, f"Math.abs({js_prop(slider, 'value')} - {value}) < 1e-9")


def test_page_has_charts_tables_and_glued_numbers(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 2
    tables = page.locator("table.celoss-table")
    assert tables.count() == 2
    assert tables.nth(0).locator("tbody tr").count() == 4
    assert tables.nth(1).locator("tbody tr").count() == 6
    text = page.inner_text("article")
    assert "{glue" not in text
    study = pos_weight_study(np.random.default_rng(0))
    assert f"{study.recall[study.row(9, 0.5)]:.1%}" in text
    smooth = smoothing_study(np.random.default_rng(1))
    assert f"{smooth.weight_norm[smooth.row(0.0, 1000)]:.2f}" in text
    assert f"{np.log(19):.4f}" in text  # the finite optimum under label smoothing
    assert page.locator(".exercise").count() >= 3
    assert page.locator(".solution.dropdown").count() == page.locator(".exercise").count()


def test_gamma_slider_redraws_focal_loss_and_title(chapter_page):
    page = chapter_page
    z = column(page, "focal-source", "z")
    # the title is written by js/focal_loss.js when the page loads
    assert prop(page, "focal-title", "text") == "pₜ = 0.9 处 FL 只有交叉熵的 1/100"

    press(page, "ArrowLeft", 20, chart=1)  # γ: 2.0 → 0.0, the cross-entropy curve
    wait_for_value(page, "focal-gamma-slider", 0.0)
    wait_until(page, f"{js_prop('focal-title', 'text')} === 'pₜ = 0.9 处 FL 就是交叉熵（γ = 0）'")
    np.testing.assert_allclose(column(page, "focal-source", "fl"), column(page, "focal-source", "ce"), rtol=1e-15)

    press(page, "ArrowRight", 30, chart=1)  # γ = 3.0: p_t = 0.9 is 1000 times smaller
    wait_for_value(page, "focal-gamma-slider", 3.0)
    wait_until(page, f"{js_prop('focal-title', 'text')}.endsWith('1/1000')")
    np.testing.assert_allclose(column(page, "focal-source", "fl"), celoss.focal_loss(1.0, z, gamma=3.0), rtol=1e-6)


def test_eps_slider_moves_the_finite_optimum(chapter_page):
    page = chapter_page
    assert column(page, "smooth-optimum", "z")[0] == pytest.approx(np.log(19.0), rel=1e-14)

    press(page, "ArrowRight", 10, chart=0)  # ε = 0.2
    wait_for_value(page, "smooth-eps-slider", 0.2)
    wait_until(page, f"Math.abs({js_column('smooth-optimum', 'z')}[0] - {np.log(9.0)}) < 1e-9")
    z = column(page, "smooth-source", "z")
    np.testing.assert_allclose(column(page, "smooth-source", "ls"), celoss.bce_with_logits(0.9, z), rtol=1e-6)

    press(page, "ArrowRight", 40, chart=0)  # ε = 0.5 at the right end: the value is shown in full
    wait_for_value(page, "smooth-eps-slider", 0.5)
    title = page.locator(".celoss-chart").nth(0).locator(".bk-slider-title").first
    assert title.inner_text().replace("\n", "") == "ε（标签平滑系数）: 0.50"
    assert page.locator(".celoss-chart").nth(0).locator(".noUi-tooltip").count() == 0

    press(page, "ArrowLeft", 50, chart=0)  # ε = 0: no finite optimum, the point disappears
    wait_for_value(page, "smooth-eps-slider", 0.0)
    wait_until(page, f"Number.isNaN({js_column('smooth-optimum', 'z')}[0])")
    np.testing.assert_allclose(column(page, "smooth-source", "ls"), column(page, "smooth-source", "ce"), rtol=1e-14)
