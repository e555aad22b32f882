"""读者体验：明暗主题切换时图表（连同滑块、按钮、读数与色标）跟着变色，手机宽度下没有被裁掉
或撑破页面的内容，滑块可用触摸拖动。"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from .conftest import OUTPUT_BOXES, PHONE, js_prop, next_frames, pages, shot, wait_until

PLOT_BACKGROUNDS = """
() => Bokeh.documents.flatMap(doc => Array.from(doc.all_models)
    .filter(m => m.properties && 'border_fill_color' in m.properties && 'outline_line_color' in m.properties)
    .map(m => m.background_fill_color))
"""

#: 图表里的控件（滑块轨道、按钮、读数 Div）在 shadow DOM 里的计算颜色。
WIDGET_COLORS = """
() => {
  function* walk(root) {
    for (const el of root.querySelectorAll('*')) { yield el; if (el.shadowRoot) yield* walk(el.shadowRoot); }
  }
  const out = [];
  for (const chart of document.querySelectorAll('.celoss-chart.celoss-widgets')) {
    for (const el of walk(chart)) {
      const kind = el.matches('.noUi-target') ? 'slider' : el.matches('.bk-btn') ? 'button'
                 : el.matches('.bk-Div') ? 'readout' : null;
      if (kind === null) continue;
      const style = getComputedStyle(el);
      out.push({kind, background: style.backgroundColor, color: style.color});
    }
  }
  return out;
}
"""

#: 页面上的色标（ColorBar，等高线图的 ContourColorBar）的颜色，以及主题当前的配色。
COLORBARS = """
() => {
  const css = getComputedStyle(document.documentElement);
  const theme = Object.fromEntries(['background', 'text-base', 'text-muted'].map(
      (name) => [name, css.getPropertyValue('--pst-color-' + name).trim()]));
  const bars = Bokeh.documents.flatMap((doc) => Array.from(doc.all_models))
      .filter((m) => m.type.endsWith('ColorBar'))
      .map((m) => ({background: m.background_fill_color, title: m.title_text_color,
                    labels: m.major_label_text_color}));
  return {theme, bars};
}
"""


def _brightness(css_color: str) -> float:
    """``rgb(r, g, b)`` / ``rgba(...)`` 的平均亮度（0–255）。"""
    r, g, b = (float(v) for v in re.findall(r"[\d.]+", css_color)[:3])
    return (r + g + b) / 3


def _image(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def _chart_background(page) -> tuple[float, float, float]:
    """第一张图左上角绘图区内一小块的平均颜色。"""
    image = _image(page.locator(".celoss-chart").first.screenshot())
    h, w, _ = image.shape
    # a patch just inside the plot frame, away from the curve (sigmoid is ~0 on the left, drawn low)
    patch = image[int(h * 0.25):int(h * 0.35), int(w * 0.15):int(w * 0.30)]
    return tuple(patch.reshape(-1, 3).mean(axis=0))


def _left_edge(page) -> np.ndarray:
    """第一张图最左一列像素（中间三分之一高度，那里是图，不是控件）的亮度。"""
    image = _image(page.locator(".celoss-chart").first.screenshot())
    h = image.shape[0]
    return image[h // 3: 2 * h // 3, 0].mean(axis=1)


def _widget_strip(page) -> np.ndarray:
    """第一张带控件的图最上面 40 px（滑块或按钮那一行）的截图。"""
    return _image(page.locator(".celoss-chart.celoss-widgets").first.screenshot())[:40]


def _switch_theme(page, theme: str) -> None:
    """像读者一样用主题的明暗菜单切换。"""
    page.locator("button.theme-switch-button:visible").first.click()
    page.locator(f"button.theme-change-button[data-mode={theme}]:visible").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == theme


def _check_dark_widgets(page) -> None:
    """暗色下：控件那一行是深色底、浅色字，滑块轨道、按钮是深色，读数是浅色字。"""
    strip = _widget_strip(page)
    assert strip.mean() < 80, strip.mean()  # a dark strip ...
    assert strip.max() > 150, strip.max()  # ... with light text on it
    widgets = page.evaluate(WIDGET_COLORS)
    assert {w["kind"] for w in widgets} & {"slider", "button"}, widgets
    for widget in widgets:
        if widget["kind"] != "readout":
            assert _brightness(widget["background"]) < 80, widget
        assert _brightness(widget["color"]) > 150, widget


def test_charts_follow_dark_mode_without_reload(new_page):
    page, watch = new_page("why-cross-entropy.html", color_scheme="light")
    _switch_theme(page, "light")
    next_frames(page)
    light = _chart_background(page)
    (light_color,) = set(page.evaluate(PLOT_BACKGROUNDS))  # one background for every plot
    light_widgets = page.evaluate(WIDGET_COLORS)
    light_strip = _widget_strip(page).mean()
    shot(page, "why-cross-entropy-light.png")

    _switch_theme(page, "dark")
    wait_until(page, f"!({PLOT_BACKGROUNDS})().includes({light_color!r})")
    next_frames(page)
    dark = _chart_background(page)
    shot(page, "why-cross-entropy-dark.png")

    assert sum(light) / 3 > 200, light  # light chart on a light page
    assert sum(dark) / 3 < 80, dark  # dark chart on a dark page
    assert len(set(page.evaluate(PLOT_BACKGROUNDS))) == 1
    assert light_strip > 200, light_strip
    _check_dark_widgets(page)
    assert _left_edge(page).max() < 40  # no thin light line left over at the chart's edge

    # and back: the widgets look exactly as they did before
    _switch_theme(page, "light")
    wait_until(page, f"({PLOT_BACKGROUNDS})().includes({light_color!r})")
    next_frames(page)
    assert page.evaluate(WIDGET_COLORS) == light_widgets
    assert _left_edge(page).min() > 215  # nor a dark one
    watch.assert_clean()


@pytest.mark.parametrize("path", ["convexity.html", "training.html", "gradients.html"])
def test_widgets_tables_and_colour_bars_dark_on_first_visit(new_page, path):
    """系统是暗色、页面第一次打开：控件、表格与色标一开始就是暗色的。"""
    page, watch = new_page(path, color_scheme="dark")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    wait_until(page, f"({PLOT_BACKGROUNDS})().every((c) => c !== '#ffffff')")
    next_frames(page)
    _check_dark_widgets(page)
    assert _left_edge(page).max() < 40
    # no light-grey frame around the book's charts and tables, and on a desktop nothing needs scrolling
    boxes = page.evaluate(OUTPUT_BOXES)
    assert boxes
    assert all(box == {"background": "rgba(0, 0, 0, 0)", "scrolls": False} for box in boxes), boxes
    if path == "convexity.html":
        colorbars = page.evaluate(COLORBARS)
        theme, bars = colorbars["theme"], colorbars["bars"]
        assert theme["background"] not in ("#fff", "#ffffff"), theme
        assert len(bars) == 2, bars  # the two contour charts
        for bar in bars:
            assert bar == {"background": theme["background"], "title": theme["text-base"],
                           "labels": theme["text-muted"]}, (bar, theme)
    shot(page, f"dark-{path.removesuffix('.html')}.png", full_page=True)
    watch.assert_clean()


#: 手机宽度下超出屏幕（或超出所在图表）的可见内容。
#:
#: 规则：画出东西的元素（文字、公式字形、画布、图片、有底色或边框的框）必须整个在屏幕内；
#: 图表里的元素必须在图表的框内（图表的框会裁掉超出的部分）。例外只有本来就该横向滚动的框：
#: 代码块 ``pre``、单元格输出 ``.output``、独立成行的公式、表格的滚动框——它们里面的内容
#: 可以更宽，但这些框本身也必须在屏幕内。屏幕阅读器用的隐藏 MathML 不算。
OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  // an inline KaTeX formula becomes its own scroll box on a phone (celoss.css); the chapters'
  // formulas are held to "no scrolling at all" by test_phone_width_chapter_formulas_need_no_scrolling
  const SCROLLERS = 'pre, .output, mjx-container[display="true"], .katex-display .katex-html, '
    + '.bd-article .katex:not(.katex-display .katex), .celoss-table-scroll, .pst-scrollable-table-container';
  const parent = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;
  function* walk(root) {
    for (const el of root.querySelectorAll('*')) { yield el; if (el.shadowRoot) yield* walk(el.shadowRoot); }
  }
  const seen = (c) => c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c);
  const paints = (el) => {
    if (['CANVAS', 'IMG', 'svg', 'VIDEO', 'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA'].includes(el.tagName)) return true;
    if (Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim())) return true;
    // MathJax draws its glyphs as ::before content
    if (['::before', '::after'].some((p) => !['none', 'normal'].includes(getComputedStyle(el, p).content))) return true;
    const s = getComputedStyle(el);
    if (seen(s.backgroundColor) || s.backgroundImage !== 'none') return true;
    return ['Top', 'Right', 'Bottom', 'Left'].some((side) =>
        parseFloat(s[`border${side}Width`]) > 0 && seen(s[`border${side}Color`]));
  };
  const out = [];
  for (const el of walk(document.body)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let limit = {left: 0, right: width}, inside = false;
    for (let e = parent(el); e; e = parent(e)) {
      if (e.tagName === 'MJX-ASSISTIVE-MML' || e.matches('.katex-mathml')) { inside = true; break; }
      if (e.matches(SCROLLERS) && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) {
        inside = !el.matches('.celoss-chart'); break;
      }
      if (e.matches('.celoss-chart')) { limit = e.getBoundingClientRect(); break; }
    }
    if (inside || (box.left >= limit.left - 1 && box.right <= limit.right + 1)) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    if (!el.matches(SCROLLERS + ', .celoss-chart') && !paints(el)) continue;
    out.push(`${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\\s+/).join('.')} ` +
             `[${Math.round(box.left)}, ${Math.round(box.right)}] «${(el.textContent || '').trim().slice(0, 40)}»`);
  }
  return out;
}
"""


WIDE_FORMULAS = """
() => [...document.querySelectorAll('.katex-display .katex-html')]
  .filter((m) => m.scrollWidth > m.clientWidth + 1)
  .map((m) => `${m.scrollWidth} px «${(m.textContent || '').slice(0, 40)}»`)
"""


@pytest.mark.parametrize("path", [p for p in pages() if not p.startswith("api")])
def test_phone_width_chapter_formulas_need_no_scrolling(shared_page, path):
    """章节里的行间公式在手机上整条可见（太长的拆成几行）；API 页面允许公式在自己的框里横向滚动。"""
    page, _ = shared_page(path, **PHONE)
    assert page.evaluate(WIDE_FORMULAS) == []


@pytest.mark.parametrize("path", pages())
def test_phone_width_nothing_cut_off_or_sideways(shared_page, path):
    page, _ = shared_page(path, **PHONE)
    # first the picture, so that a failure below leaves something to look at
    shot(page, "phone-" + path.replace("/", "_").removesuffix(".html") + ".png", full_page=True, scale="css")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} 在 390 px 宽时可横向滚动 {overflow} px"
    assert page.evaluate(OVERFLOW) == [], f"{path} 在 390 px 宽时有内容超出屏幕或图表"
    # every chart still has a readable width
    charts = page.locator(".celoss-chart")
    for i in range(charts.count()):
        canvas = charts.nth(i).locator("canvas").first.bounding_box()
        assert canvas is not None, (path, i, canvas)
        assert 250 <= canvas["width"] <= 390, (path, i, canvas)


def test_slider_works_with_touch(new_page):
    page, watch = new_page("why-cross-entropy.html", **PHONE)
    slider = js_prop("y-slider", "value")
    assert page.evaluate(f"() => {slider}") == 1.0
    track = page.locator(".celoss-chart .noUi-base").first
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    wait_until(page, f"{slider} < 0.5")
    watch.assert_clean()
