"""「变体」一章的「标签平滑」一节在浏览器里：ε 滑块重算的数据与 celoss 的 Python 结果一致。

ε 为 0 时最小点是 NaN（不画）：playwright 把 NaN 原样传回 Python。
"""

from __future__ import annotations

import numpy as np
import pytest

import celoss
from celoss.lab.variants import smoothing_study

from .conftest import column, js_column, js_prop, press, wait_until

PAGE = "variants-smoothing.html"


def wait_for_value(page, slider, value):
    wait_until(page, f"Math.abs({js_prop(slider, 'value')} - {value}) < 1e-9")


def test_page_has_the_chart_table_and_glued_numbers(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 1
    tables = page.locator("table.celoss-table")
    assert tables.count() == 1
    assert tables.nth(0).locator("tbody tr").count() == 6
    text = page.inner_text("article")
    assert "{glue" not in text
    smooth = smoothing_study(np.random.default_rng(1))
    assert f"{smooth.weight_norm[smooth.row(0.0, 1000)]:.2f}" in text
    assert f"{np.log(19):.4f}" in text  # the finite optimum under label smoothing


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
    assert title.inner_text().replace("\n", "") == "εₗₛ（标签平滑系数）: 0.50"
    assert page.locator(".celoss-chart").nth(0).locator(".noUi-tooltip").count() == 0

    press(page, "ArrowLeft", 50, chart=0)  # ε = 0: no finite optimum, the point disappears
    wait_for_value(page, "smooth-eps-slider", 0.0)
    wait_until(page, f"Number.isNaN({js_column('smooth-optimum', 'z')}[0])")
    np.testing.assert_allclose(column(page, "smooth-source", "ls"), column(page, "smooth-source", "ce"), rtol=1e-14)
