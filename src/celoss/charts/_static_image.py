"""印刷版用的图表静态图：同一个 Bokeh 布局，在无头 Chromium 里画出来再截图成 PNG。

PDF 与 EPUB 放不下可交互的 BokehJS，每张图在印刷版里是它的一张忠实的静态图：同样的数据、
标签、颜色，滑块停在初始值。图由本机的 Chromium（Debian ``chromium``）经 playwright 画出，
BokehJS 取自已安装的 bokeh 包，全程不联网。

只有环境变量 :data:`PRINT_IMAGES_ENV` 为非空时，IPython 才给图表额外登记 ``image/png`` 格式
（见 :func:`celoss.charts._display.register_ipython_formatter`），所以网页版的构建不会变慢。
印刷版构建（``nox -s pdf`` / ``nox -s epub``）设置它，并用单独的执行缓存。

IPython 内核里有一个正在运行的 asyncio 事件循环，playwright 的同步接口不能在其中使用；
所以浏览器在一个后台线程里打开、一直开着，各图依次交给它画。
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from typing import Any

from bokeh.embed import json_item
from bokeh.models import LayoutDOM
from bokeh.util.paths import bokehjs_path

__all__ = ["PRINT_IMAGES_ENV", "CHROMIUM", "render_png", "png_for_print"]

#: 设为非空（如 ``1``）时，图表在 IPython 中同时给出 PNG 静态图。
PRINT_IMAGES_ENV = "CELOSS_PRINT_IMAGES"
#: 画图用的浏览器；可用环境变量 ``CELOSS_CHROMIUM`` 改。
CHROMIUM = os.environ.get("CELOSS_CHROMIUM", "/usr/bin/chromium")
#: 截图的像素密度：印刷用 2 倍（A4 版心宽约 16 cm，700 像素宽的图约 180 dpi）。
SCALE = 2

#: draws one json_item and hides its toolbars (page.evaluate takes the function expression)
_EMBED = "".join(line for line in (Path(__file__).with_name("js") / "page" / "static_image.js")
                 .read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("//"))
_PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #ffffff; font-family: "Noto Sans CJK SC", sans-serif; }
#target { display: inline-block; padding: 4px; }
</style></head><body></body></html>"""


def _bokeh_scripts() -> list[Path]:
    js = Path(bokehjs_path()) / "js"
    return [js / "bokeh.min.js", js / "bokeh-widgets.min.js"]


class _Painter(threading.Thread):
    """后台线程：持有 playwright 与一个 Chromium，按请求逐个截图。"""

    def __init__(self) -> None:
        super().__init__(name="celoss-static-image", daemon=True)
        self.requests: queue.Queue = queue.Queue()

    def run(self) -> None:  # pragma: no cover - exercised through render_png
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--font-render-hinting=none"]
            )
            while True:
                item, reply = self.requests.get()
                try:
                    reply.put(("ok", self._paint(browser, item)))
                except Exception as error:  # noqa: BLE001 - any failure is handed back to the caller's thread
                    reply.put(("error", error))

    page: Any = None  # playwright Page, created on the first request
    charts = 0

    def _paint(self, browser, item: dict) -> bytes:
        # one page with BokehJS loaded serves several charts (a fresh one every 8)
        if self.page is None or self.charts >= 8:
            if self.page is not None:
                self.page.close()
            self.page = browser.new_page(device_scale_factor=SCALE, viewport={"width": 1000, "height": 800})
            self.page.set_content(_PAGE)
            for script in _bokeh_scripts():
                self.page.add_script_tag(path=str(script))
            self.charts = 0
        self.charts += 1
        self.page.evaluate(_EMBED, item)
        return self.page.locator("#target").screenshot(type="png", animations="disabled")


_painter: _Painter | None = None
_lock = threading.Lock()


def render_png(layout: LayoutDOM) -> bytes:
    """把一个 Bokeh 布局画成 PNG（无头 Chromium，2 倍像素密度）。

    Parameters
    ----------
    layout : bokeh.models.LayoutDOM
        任意 Bokeh 图或布局，滑块等控件保持初始值。

    Returns
    -------
    bytes
        PNG 文件的内容。
    """
    global _painter  # noqa: PLW0603 - one lazily started painter thread per process
    with _lock:
        if _painter is None or not _painter.is_alive():
            _painter = _Painter()
            _painter.start()
        reply: queue.Queue = queue.Queue()
        _painter.requests.put((json_item(layout), reply))
        status, value = reply.get(timeout=120)
    if status == "error":
        raise value
    return value


def png_for_print(layout: LayoutDOM) -> tuple[bytes, dict]:
    """IPython 的 ``image/png`` 格式化器：返回 PNG 与其元数据（替代文字）。"""
    return render_png(layout), {"alt": "图表的静态图（网页版中可交互）"}
