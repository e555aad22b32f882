"""所有交互图表的读者体验：无障碍名称与说明、键盘、读数、暗色下的对比度，以及截图。

* 每个滑块把手（role="slider"）有说明它改变什么的名称，读数文本与标题里显示的数相同；
* 每张图表的根元素是 role="figure"，有中文说明；
* Tab 能到达每个滑块与按钮，焦点看得见（有轮廓线）；方向键移动滑块，图的数据随之改变；
* 滑块标题里的数总是同样的小数位数，拖到两端也不被裁掉、不压住标题（没有浮动提示）；
* 暗色主题下强调色的文字对比度达到 WCAG AA（4.5:1），KL 阴影加深。
"""

from __future__ import annotations

import pytest

from .conftest import PHONE, js_prop, next_frames, shot, wait_until

CHART_PAGES = ["why-cross-entropy.html", "gradients.html", "likelihood.html", "information.html",
               "convexity.html", "multiclass.html", "numerics.html", "variants-smoothing.html", "variants-focal.html",
               "training.html"]

#: 页面上每张图表：根元素的 role 与说明，以及其中每个滑块把手与按钮的无障碍属性（穿过 shadow DOM）。
CONTROLS = """
() => Array.from(document.querySelectorAll('.celoss-chart')).map((chart) => {
  const root = chart.querySelector('[role]');
  const out = {role: root && root.getAttribute('role'), label: root && root.getAttribute('aria-label'),
               sliders: [], buttons: [], titles: []};
  const walk = (node) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.getAttribute('role') === 'slider') {
        out.sliders.push({label: el.getAttribute('aria-label'), text: el.getAttribute('aria-valuetext'),
                          tabindex: el.tabIndex});
      }
      if (el.matches('.bk-slider-title')) out.titles.push(el.textContent);
      if (el.matches('button.bk-btn')) out.buttons.push({text: el.textContent, tabindex: el.tabIndex});
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(chart);
  return out;
})
"""


@pytest.mark.parametrize("path", CHART_PAGES)
def test_every_chart_and_control_has_a_name(shared_page, path):
    page, _ = shared_page(path)
    charts = page.evaluate(CONTROLS)
    assert charts
    for chart in charts:
        assert chart["role"] == "figure", chart
        assert len(chart["label"]) >= 20, chart
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chart["label"])  # a Chinese description
        for slider, title in zip(chart["sliders"], chart["titles"], strict=True):
            assert slider["label"], slider
            assert slider["tabindex"] == 0, slider
            # the accessible value is the value the title shows (same decimals, real minus sign)
            assert title.endswith(slider["text"].replace("−", "-")), (title, slider)
        for button in chart["buttons"]:
            assert button["text"]
            assert button["tabindex"] == 0


def _title_values(page) -> list[str]:
    return [t.split(": ")[-1] for chart in page.evaluate(CONTROLS) for t in chart["titles"]]


def test_slider_values_keep_their_decimals_and_are_never_clipped(new_page):
    page, watch = new_page("gradients.html")
    assert _title_values(page) == ["1.00", "1.00"]
    handle = page.locator(".celoss-chart").first.locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("End")  # y = 1 → the right end; then the left end
    page.keyboard.press("Home")
    wait_until(page, f"{js_prop('grad-y-slider', 'value')} === 0")
    assert _title_values(page)[0] == "0.00"
    page.keyboard.press("ArrowRight")
    wait_until(page, f"{js_prop('grad-y-slider', 'value')} > 0")
    assert _title_values(page)[0] == "0.01"
    # no floating tooltip that could cover the title at the left end or be clipped at the right end
    assert page.locator(".celoss-chart .noUi-tooltip").count() == 0
    watch.assert_clean()


def test_keyboard_reaches_every_control_and_shows_the_focus(new_page):
    """Tab 依次到达滑块把手和按钮，获得焦点的控件画出轮廓线；方向键改变数据。"""
    page, watch = new_page("multiclass.html")
    first = page.locator(".celoss-chart .noUi-handle").first
    first.focus()
    seen = []
    for _ in range(6):  # three sliders, then the three class buttons
        info = page.evaluate("""() => {
          let el = document.activeElement;
          while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
          const style = getComputedStyle(el);
          return {role: el.getAttribute('role'), text: el.textContent, label: el.getAttribute('aria-label'),
                  outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
        }""")
        seen.append(info)
        page.keyboard.press("Tab")
    assert [s["role"] for s in seen[:3]] == ["slider"] * 3
    assert [s["text"] for s in seen[3:]] == ["类别 1", "类别 2", "类别 3"]
    for s in seen:
        assert s["outline"] == "solid", s  # a visible focus ring
        assert s["width"] >= 2, s
    # arrow keys on the focused handle move the slider and the chart redraws
    before = page.evaluate(f"() => Array.from({js_prop('mc-source', 'data')}.p)")
    first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_until(page, f"Math.abs({js_prop('mc-z1', 'value')} - 2.5) < 1e-9")
    wait_until(page, f"{js_prop('mc-source', 'data')}.p[0] !== {before[0]!r}")
    assert page.evaluate(CONTROLS)[0]["sliders"][0]["text"] == "2.5"
    shot(page.locator(".celoss-chart").first, "multiclass-keyboard-focus.png")
    watch.assert_clean()


def _contrast(a: str, b: str) -> float:
    def lum(color: str) -> float:
        rgb = [int(v) for v in color[color.index("(") + 1:color.index(")")].split(",")[:3]]
        lin = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted([lum(a), lum(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


ACCENT = """
() => {
  const out = [];
  for (const doc of Bokeh.documents) for (const m of doc.all_models) {
    const dark = (m.tags || []).find((t) => t && typeof t === 'object' && 'dark' in t);
    if (dark && 'text_color' in dark.dark) out.push(m.text_color);
  }
  return out;
}
"""


def _css_rgb(page, color: str) -> str:
    return page.evaluate("(c) => { const el = document.createElement('i'); el.style.color = c; "
                         "document.body.append(el); const v = getComputedStyle(el).color; el.remove(); return v; }",
                         color)


@pytest.mark.parametrize("path", ["gradients.html", "likelihood.html"])
def test_accent_text_reaches_aa_contrast_in_both_themes(new_page, path):
    page, watch = new_page(path)
    for theme in ("light", "dark"):
        page.evaluate(f"() => document.documentElement.dataset.theme = '{theme}'")
        wait_until(page, f"document.documentElement.dataset.celossCharts === '{theme}'")
        next_frames(page, 4)
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        colors = page.evaluate(ACCENT)
        assert colors, "no accent text on the page"
        for color in colors:
            assert _contrast(_css_rgb(page, color), background) >= 4.5, (theme, color, background)
        shot(page.locator(".celoss-chart").last, f"{path[:-5]}-accent-{theme}.png")
    watch.assert_clean()


def test_kl_shading_is_stronger_in_dark_mode(new_page):
    page, watch = new_page("information.html")
    alpha = ("() => { for (const d of Bokeh.documents) for (const m of d.all_models) "
             "if (m.type === 'VArea') return m.fill_alpha.value ?? m.fill_alpha; }")
    assert page.evaluate(alpha) == pytest.approx(0.12)
    page.evaluate("() => document.documentElement.dataset.theme = 'dark'")
    wait_until(page, "document.documentElement.dataset.celossCharts === 'dark'")
    assert page.evaluate(alpha) == pytest.approx(0.3)
    next_frames(page, 4)
    shot(page.locator(".celoss-chart.celoss-widgets").first, "information-kl-dark.png")
    page.evaluate("() => document.documentElement.dataset.theme = 'light'")
    wait_until(page, "document.documentElement.dataset.celossCharts === 'light'")
    assert page.evaluate(alpha) == pytest.approx(0.12)
    watch.assert_clean()


@pytest.mark.parametrize("path", ["convexity.html", "multiclass.html", "variants.html", "training.html",
                                  "numerics.html", "gradients.html"])
def test_screenshots_on_a_phone(shared_page, path):
    """手机宽度下的图表截图（供人查看），图表不比页面宽。"""
    page, _ = shared_page(path, **PHONE)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for i in range(page.locator(".celoss-chart").count()):
        chart = page.locator(".celoss-chart").nth(i)
        chart.scroll_into_view_if_needed()
        shot(chart, f"{path[:-5]}-390-chart{i}.png")
