"""「变体」一章在浏览器里：γ 与 ε 滑块重算的数据与 celoss 的 Python 结果一致，标题随 γ 改写。

ε 为 0 时最小点是 NaN（不画）：playwright 把 NaN 原样传回 Python。
"""

from __future__ import annotations

import numpy as np
import pytest

import celoss
from celoss.charts.variants import focal_title
from celoss.experiments import pos_weight_study, smoothing_study

from .conftest import SHOTS
from .test_pages import open_ready

PAGE = "variants.html"

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

#: 按名字取某个模型的一个属性。
PROPERTY = """
([name, prop]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return model[prop];
  }
  return null;
}
"""


def column(page, name, col):
    return np.array(page.evaluate(COLUMN, [name, col]), dtype=float)


def prop(page, name, attr):
    return page.evaluate(PROPERTY, [name, attr])


def press(page, chart_index, key, times):
    handle = page.locator(".celoss-chart").nth(chart_index).locator(".noUi-handle").first
    handle.focus()
    for _ in range(times):
        page.keyboard.press(key)


def wait_for_value(page, slider, value):
    page.wait_for_function(f"() => Math.abs(({PROPERTY})([{slider!r}, 'value']) - {value}) < 1e-9", timeout=5000)


@pytest.fixture
def variants_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    yield page
    assert watch.errors == [] and watch.outside == []


def test_page_has_charts_tables_and_glued_numbers(variants_page):
    page = variants_page
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


def test_gamma_slider_redraws_focal_loss_and_title(variants_page):
    page = variants_page
    z = column(page, "focal-source", "z")
    np.testing.assert_allclose(column(page, "focal-source", "fl"), celoss.focal_loss(1.0, z, gamma=2.0), rtol=1e-13)
    assert prop(page, "focal-title", "text") == focal_title(2.0)

    press(page, 1, "ArrowLeft", 20)  # γ: 2.0 → 0.0, the cross-entropy curve
    wait_for_value(page, "focal-gamma-slider", 0.0)
    page.wait_for_function(f"() => ({PROPERTY})(['focal-title', 'text']) === {focal_title(0.0)!r}", timeout=5000)
    np.testing.assert_allclose(column(page, "focal-source", "fl"), column(page, "focal-source", "ce"), rtol=1e-15)
    np.testing.assert_allclose(column(page, "focal-source", "fl_push"), column(page, "focal-source", "ce_push"),
                               rtol=1e-15)

    press(page, 1, "ArrowRight", 30)  # γ = 3.0: p_t = 0.9 is 1000 times smaller
    wait_for_value(page, "focal-gamma-slider", 3.0)
    gamma = prop(page, "focal-gamma-slider", "value")
    page.wait_for_function(f"() => ({PROPERTY})(['focal-title', 'text']) === {focal_title(gamma)!r}", timeout=5000)
    assert prop(page, "focal-title", "text").endswith("1/1000")
    # the browser's numbers are celoss's numbers
    np.testing.assert_allclose(column(page, "focal-source", "fl"), celoss.focal_loss(1.0, z, gamma=gamma),
                               rtol=1e-12)
    np.testing.assert_allclose(column(page, "focal-source", "fl_push"), -celoss.focal_loss_grad(1.0, z, gamma=gamma),
                               rtol=1e-12)


def test_eps_slider_moves_the_finite_optimum(variants_page):
    page = variants_page
    assert column(page, "smooth-optimum", "z")[0] == pytest.approx(np.log(19.0), rel=1e-14)

    press(page, 0, "ArrowRight", 10)  # ε = 0.2
    wait_for_value(page, "smooth-eps-slider", 0.2)
    eps = prop(page, "smooth-eps-slider", "value")
    page.wait_for_function(f"() => Math.abs(({COLUMN})(['smooth-optimum', 'z'])[0] - {np.log(9.0)}) < 1e-9",
                           timeout=5000)
    z = column(page, "smooth-source", "z")
    target = celoss.smooth_labels(1.0, eps)
    np.testing.assert_allclose(column(page, "smooth-source", "ls"), celoss.bce_with_logits(target, z), rtol=1e-13)
    np.testing.assert_allclose(column(page, "smooth-source", "ls_grad"), celoss.bce_grad(target, z),
                               rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(column(page, "smooth-optimum", "loss"), [celoss.entropy(target)], rtol=1e-13)

    press(page, 0, "ArrowLeft", 20)  # ε = 0: no finite optimum, the point disappears
    wait_for_value(page, "smooth-eps-slider", 0.0)
    page.wait_for_function(f"() => Number.isNaN(({COLUMN})(['smooth-optimum', 'z'])[0])", timeout=5000)
    assert np.isnan(column(page, "smooth-optimum", "z")[0])
    np.testing.assert_allclose(column(page, "smooth-source", "ls"), column(page, "smooth-source", "ce"), rtol=1e-14)


def test_charts_fit_a_phone(new_page):
    page, watch = open_ready(new_page, PAGE, viewport={"width": 390, "height": 844})
    # nothing on the page (a wide formula, a long inline code) makes it wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    charts = page.locator(".celoss-chart")
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 391, (i, box)
        canvas = charts.nth(i).locator("canvas").first.bounding_box()
        assert canvas is not None and 250 <= canvas["width"] <= 390, (i, canvas)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "variants-390.png", full_page=True)
    assert watch.errors == [] and watch.outside == []
