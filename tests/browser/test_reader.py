"""读者体验：明暗主题切换时图表跟着变色、手机宽度下不横向滚动且滑块可用触摸拖动。"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from .conftest import SHOTS, pages
from .test_pages import open_ready

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}

PLOT_BACKGROUNDS = """
() => Bokeh.documents.flatMap(doc => Array.from(doc.all_models)
    .filter(m => m.properties && 'border_fill_color' in m.properties && 'outline_line_color' in m.properties)
    .map(m => m.background_fill_color))
"""


def _chart_background(page) -> tuple[float, float, float]:
    """第一张图左上角绘图区内一小块的平均颜色。"""
    png = page.locator(".celoss-chart").first.screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = image.size
    # a patch just inside the plot frame, away from the curve (sigmoid is ~0 on the left, drawn low)
    patch = image.crop((int(w * 0.15), int(h * 0.25), int(w * 0.30), int(h * 0.35)))
    return tuple(np.asarray(patch, dtype=float).reshape(-1, 3).mean(axis=0))


def _switch_theme(page, theme: str) -> None:
    """像读者一样用主题的明暗菜单切换。"""
    page.locator("button.theme-switch-button:visible").first.click()
    page.locator(f"button.theme-change-button[data-mode={theme}]:visible").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == theme


def test_charts_follow_dark_mode_without_reload(new_page):
    page, watch = open_ready(new_page, "why-cross-entropy.html", color_scheme="light")
    _switch_theme(page, "light")
    page.wait_for_timeout(200)
    light = _chart_background(page)
    light_colors = set(page.evaluate(PLOT_BACKGROUNDS))
    page.screenshot(path=SHOTS / "why-cross-entropy-light.png")

    _switch_theme(page, "dark")
    page.wait_for_function(f"() => !({PLOT_BACKGROUNDS})().includes({list(light_colors)[0]!r})")
    page.wait_for_timeout(200)
    dark = _chart_background(page)
    page.screenshot(path=SHOTS / "why-cross-entropy-dark.png")

    assert sum(light) / 3 > 200, light  # light chart on a light page
    assert sum(dark) / 3 < 80, dark  # dark chart on a dark page
    assert len(set(page.evaluate(PLOT_BACKGROUNDS))) == 1
    assert watch.errors == []


@pytest.mark.parametrize("path", pages())
def test_phone_width_no_sideways_scroll(new_page, path):
    page, watch = open_ready(new_page, path, **PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} 在 390 px 宽时可横向滚动 {overflow} px"
    for box in page.locator(".celoss-chart").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= 390
    page.screenshot(path=SHOTS / ("phone-" + path.replace("/", "_").removesuffix(".html") + ".png"),
                    full_page=True)
    assert watch.errors == []


SLIDER_VALUE = """
() => { for (const doc of Bokeh.documents) { const s = doc.get_model_by_name('y-slider');
        if (s) return s.value; } return null; }
"""


def test_slider_works_with_touch(new_page):
    page, watch = open_ready(new_page, "why-cross-entropy.html", **PHONE)
    assert page.evaluate(SLIDER_VALUE) == 1.0
    track = page.locator(".celoss-chart .noUi-base").first
    track.scroll_into_view_if_needed()
    box = track.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    page.wait_for_function(f"() => ({SLIDER_VALUE})() < 0.5", timeout=5000)
    assert watch.errors == []
