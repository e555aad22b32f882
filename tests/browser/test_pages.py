"""每一页都在无头 Chromium 里打开：无控制台错误、无外部请求、图表画出、公式排版、截图存档。"""

from __future__ import annotations

import pytest

from .conftest import SHOTS, pages

CHAPTERS = ["index.html", "why-cross-entropy.html"]

#: 所有 Bokeh 文档渲染完、MathJax 排版完（若页面有公式）才算加载完成。
READY_JS = """
() => {
  const charts = document.querySelectorAll('.celoss-chart').length;
  const bokehReady = charts === 0 || (window.Bokeh !== undefined &&
      Bokeh.documents.length === charts &&
      Bokeh.index !== undefined && Object.keys(Bokeh.index).length >= charts);
  const mathReady = document.querySelectorAll('.math').length === 0 ||
      (window.MathJax !== undefined && MathJax.startup !== undefined &&
       MathJax.startup.promise !== undefined &&
       document.querySelectorAll('mjx-container').length > 0);
  return bokehReady && mathReady;
}
"""


def open_ready(new_page, path, **options):
    page, watch = new_page(path, **options)
    page.wait_for_function(READY_JS, timeout=20_000)
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    return page, watch


def test_site_has_every_chapter(site):
    built = pages(site)
    for chapter in CHAPTERS + ["search.html"]:
        assert chapter in built


@pytest.mark.parametrize("path", pages())
def test_page_clean_offline_and_drawn(new_page, path):
    page, watch = open_ready(new_page, path)
    n_charts = page.locator(".celoss-chart").count()
    # every chart has a sized canvas inside Bokeh's shadow DOM (playwright pierces it)
    for i in range(n_charts):
        canvas = page.locator(".celoss-chart").nth(i).locator("canvas").first
        box = canvas.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100, (path, i, box)
    # no raw TeX left on the page
    if page.locator(".math").count():
        assert page.locator("mjx-container").count() >= page.locator(".math").count()
        assert "\\frac" not in page.inner_text("article")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / (path.replace("/", "_").removesuffix(".html") + ".png"), full_page=True)
    assert watch.errors == []
    assert watch.outside == []


def test_seed_chapter_has_four_charts_and_bokeh_once(new_page):
    page, watch = open_ready(new_page, "why-cross-entropy.html")
    assert page.locator(".celoss-chart").count() == 4
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    bokeh = [s for s in scripts if "/bokeh/" in s]
    assert len(bokeh) == 2 and any("bokeh-widgets" in s for s in bokeh), bokeh
    assert watch.errors == [] and watch.outside == []


def test_page_without_charts_loads_no_bokehjs(new_page):
    page, _ = open_ready(new_page, "index.html")
    scripts = page.eval_on_selector_all("script[src]", "els => els.map(e => e.getAttribute('src'))")
    assert not any("bokeh" in s for s in scripts)


MSE_LOSS = """
() => {
  for (const doc of Bokeh.documents) {
    const source = doc.get_model_by_name('mse-loss-source');
    if (source) return Array.from(source.data.loss);
  }
  return null;
}
"""


def test_y_slider_redraws_mse_curve(new_page):
    page, watch = open_ready(new_page, "why-cross-entropy.html")
    before = page.evaluate(MSE_LOSS)
    assert before is not None and len(before) == 200
    handle = page.locator(".celoss-chart .noUi-handle").first
    handle.focus()
    for _ in range(30):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => ({MSE_LOSS})()[0] !== {before[0]!r}", timeout=5000)
    after = page.evaluate(MSE_LOSS)
    assert after != before
    # at y = 1 the loss at z = -10 is about 1/2; after lowering y it must shrink
    assert after[0] < before[0]
    assert watch.errors == []


@pytest.mark.parametrize("query", ["交叉熵", "均方误差"])
def test_chinese_search_finds_the_chapter(new_page, query):
    page, watch = new_page(f"search.html?q={query}")
    page.wait_for_selector("#search-results li", timeout=15_000)
    links = page.eval_on_selector_all("#search-results li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("why-cross-entropy" in href for href in links), links
    assert watch.errors == [] and watch.outside == []
