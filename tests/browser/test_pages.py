"""每一页都在无头 Chromium 里打开：无控制台错误、无外部请求、图表画出、公式排版、截图存档。"""

from __future__ import annotations

import pytest

from .conftest import OUTPUT_BOXES, js_column, pages, press, shot, wait_until

CHAPTERS = ["index.html", "notation.html", "why-cross-entropy.html"]


def test_site_has_every_chapter(site):
    built = pages(site)
    for chapter in [*CHAPTERS, "search.html"]:
        assert chapter in built


@pytest.mark.parametrize("path", pages())
def test_page_clean_offline_and_drawn(shared_page, path):
    page, _ = shared_page(path)  # no console errors, no outside requests: checked when the test ends
    shot(page, path.replace("/", "_").removesuffix(".html") + ".png", full_page=True)
    n_charts = page.locator(".celoss-chart").count()
    # every chart has a sized canvas inside Bokeh's shadow DOM (playwright pierces it)
    for i in range(n_charts):
        canvas = page.locator(".celoss-chart").nth(i).locator("canvas").first
        box = canvas.bounding_box()
        assert box is not None, (path, i, box)
        assert box["width"] > 200, (path, i, box)
        assert box["height"] > 100, (path, i, box)
    # on a desktop the book's charts and tables fit their output box: no scrollbar under them
    assert [box for box in page.evaluate(OUTPUT_BOXES) if box["scrolls"]] == []
    # no raw TeX left on the page
    if page.locator(".math").count():
        assert page.locator(".math .katex").count() >= page.locator(".math").count()
        assert "\\frac" not in page.inner_text("article")


def test_seed_chapter_has_four_charts_and_bokeh_once(shared_page):
    page, _ = shared_page("why-cross-entropy.html")
    assert page.locator(".celoss-chart").count() == 4
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    bokeh = [s for s in scripts if "/bokeh/" in s]
    assert len(bokeh) == 2, bokeh
    assert any("bokeh-widgets" in s for s in bokeh), bokeh


def test_page_without_charts_loads_no_bokehjs(shared_page):
    page, _ = shared_page("notation.html")
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    assert not any("bokeh" in s for s in scripts)


ICONS = """() => [...document.querySelectorAll('.bd-header-article i, .bd-header-article span')]
  .filter((e) => /\\bfa[srb]?\\b|fa-solid/.test(e.className) && e.checkVisibility({visibilityProperty: true}))
  .map((e) => [e.className, e.getBoundingClientRect().width,
               getComputedStyle(e, '::before').fontFamily, getComputedStyle(e, '::before').content])"""


def test_theme_icons_drawn_without_the_icon_script(shared_page):
    """页头的图标（目录开关、下载、明暗切换）由主题 CSS 的图标字体画出，不需要 fontawesome.js。"""
    page, _ = shared_page("why-cross-entropy.html")
    icons = page.evaluate(ICONS)
    assert len(icons) >= 3, icons
    for name, width, family, content in icons:
        assert width > 10, (name, width, family)
        assert "Font Awesome" in family, (name, width, family)
        assert content not in ("none", "normal"), (name, width, family)
    assert page.evaluate("document.fonts.check('900 16px \"Font Awesome 7 Free\"')")


def test_one_search_field_and_no_empty_top_bar(shared_page):
    """桌面宽度下只有侧栏里一个搜索框；页面顶部没有多出一条只放搜索框的横栏。"""
    page, _ = shared_page("why-cross-entropy.html")
    visible = page.evaluate("""() => [...document.querySelectorAll('.search-button-field')]
        .filter((e) => e.checkVisibility({visibilityProperty: true})).length""")
    assert visible == 1
    assert page.evaluate("document.querySelector('header.bd-header').getBoundingClientRect().height") == 0


MSE_LOSS = js_column("mse-loss-source", "loss")


def test_y_slider_redraws_mse_curve(new_page):
    page, watch = new_page("why-cross-entropy.html")
    before = page.evaluate(f"() => {MSE_LOSS}")
    assert before is not None
    assert len(before) == 200
    press(page, "ArrowLeft", 30, charts=".celoss-chart.celoss-widgets")
    wait_until(page, f"{MSE_LOSS}[0] !== {before[0]!r}")
    after = page.evaluate(f"() => {MSE_LOSS}")
    assert after != before
    # at y = 1 the loss at z = -10 is about 1/2; after lowering y it must shrink
    assert after[0] < before[0]
    watch.assert_clean()


@pytest.mark.parametrize("query", ["交叉熵", "均方误差"])
def test_chinese_search_finds_the_chapter(new_page, query):
    page, watch = new_page(f"search.html?q={query}")
    page.wait_for_selector("#search-results li", timeout=15_000)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("why-cross-entropy" in href for href in links), links
    assert watch.errors == []
    assert watch.outside == []
