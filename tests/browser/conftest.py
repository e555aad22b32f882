"""浏览器测试的夹具与共用小工具：把构建好的站点放到 127.0.0.1 上，用无头 Chromium 打开。

站点须先构建（``nox -s tests`` 会先构建，或手动 ``nox -s docs``）。Chromium 用 Debian 的
``chromium`` 包（``/usr/bin/chromium``），由 playwright 驱动；缺少时测试失败而不是跳过。

打开页面的三种方式：

* ``chapter_page``：本模块 ``PAGE`` 那一页，每个测试新开一个（会拖滑块、点按钮的测试用它）；
* ``shared_page(path, **options)``：同一路径、同一设置的页面整个会话只打开一次，给只读的
  测试共用（数图表、读文字、量尺寸、截图）。**改变页面状态的测试不能用它**；
* ``new_page(path, **options)``：一个新的浏览器上下文里的新页面（切换主题等要隔离的测试）。
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from .._chromium import CHROMIUM_FLAGS, require_chromium
from .._site import SITE

SHOTS = SITE.parent / "screenshots"

#: 桌面浏览器的视口。
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
#: 手机：390 px 宽、可触摸、高清屏。不设 ``is_mobile``：那样 Chromium 会把布局视口放宽到
#: 页面内容的宽度，横向溢出就看不出来了。
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "device_scale_factor": 2}


#: Moderate and minor axe-core findings collected by test_a11y.py, printed in the terminal summary.
A11Y_NOTES = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter, config) -> None:
    notes = config.stash.get(A11Y_NOTES, [])
    if notes:
        terminalreporter.section(f"axe-core: {len(notes)} moderate/minor finding(s), listed, not failing")
        for note in notes:
            terminalreporter.write_line(note)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def base_url(site):
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class PageWatch:
    """记录一个页面上的控制台错误、未捕获异常和离开 127.0.0.1 的请求。"""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.route("**/*", self._route)

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} @ {msg.location.get('url')}")

    def _route(self, route):
        url = route.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def assert_clean(self):
        """页面上没有控制台错误，也没有向外的请求。"""
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside


#: 所有 Bokeh 文档渲染完、公式字体已加载（若页面有公式）才算加载完成。
READY_JS = """
() => {
  const charts = document.querySelectorAll('.celoss-chart').length;
  const bokehReady = charts === 0 || (window.Bokeh !== undefined &&
      Bokeh.documents.length === charts &&
      Bokeh.index !== undefined && Object.keys(Bokeh.index).length >= charts);
  // formulas are rendered at build time (KaTeX): present in the HTML, once the fonts are in
  const mathReady = document.querySelectorAll('.math').length === 0 ||
      (document.querySelectorAll('.math .katex').length > 0 && document.fonts.status === 'loaded');
  return bokehReady && mathReady;
}
"""


def _open(context, base_url: str, path: str):
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(f"{base_url}/{path}", wait_until="load")
    page.wait_for_function(READY_JS, timeout=20_000)
    page.evaluate("() => window.MathJax ? MathJax.startup.promise : null")
    return page, watch


@pytest.fixture
def new_page(browser, base_url):
    """``new_page(path, **context_options)``：在新的浏览器上下文里打开一页并等它画完，返回 (page, watch)。"""
    contexts = []

    def open_page(path: str, **options):
        context = browser.new_context(**{**DESKTOP, **options})
        contexts.append(context)
        return _open(context, base_url, path)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def _shared_pages(browser, base_url):
    """会话内打开过的共用页面：每种上下文设置一个浏览器上下文，(路径, tag, 设置) 各一个页面。"""
    contexts: dict[str, object] = {}
    opened: dict[tuple[str, str, str], tuple] = {}

    def get(path: str, tag: str = "", **options):
        key = json.dumps({**DESKTOP, **options}, sort_keys=True)
        if (path, tag, key) not in opened:
            if key not in contexts:
                contexts[key] = browser.new_context(**{**DESKTOP, **options})
            opened[path, tag, key] = _open(contexts[key], base_url, path)
        return opened[path, tag, key]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture
def shared_page(_shared_pages):
    """``shared_page(path, tag="", **context_options)``：只读测试共用的页面，返回 (page, watch)。

    同一路径、同一 ``tag``、同一设置只打开一次；每个用到它的测试结束时都检查控制台错误与
    外部请求。一组测试若都先把页面设成自己要的确定状态（例如把滑块设到某个值）再检查，
    可以用自己的 ``tag`` 共用另一个页面。
    """
    used = []

    def get(path: str, tag: str = "", **options):
        used.append(_shared_pages(path, tag, **options))
        return used[-1]

    yield get
    for _, watch in used:
        watch.assert_clean()


@pytest.fixture
def chapter_page(new_page, request):
    """本模块 ``PAGE`` 那一页（新开、可以随意操作）；测试结束时检查控制台错误与外部请求。"""
    page, watch = new_page(request.module.PAGE)
    yield page
    watch.assert_clean()


@pytest.fixture
def shared_chapter_page(shared_page, request):
    """本模块 ``PAGE`` 那一页，桌面宽度，只读测试共用。"""
    return shared_page(request.module.PAGE)[0]


@pytest.fixture
def phone_chapter_page(shared_page, request):
    """本模块 ``PAGE`` 那一页，手机宽度（:data:`PHONE`），只读测试共用。"""
    return shared_page(request.module.PAGE, **PHONE)[0]


def pages(site_dir: Path = SITE) -> list[str]:
    """站点中所有由源文件生成的页面（相对路径）。"""
    skip = {"genindex.html", "py-modindex.html"}
    return sorted(
        str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).parts[0].startswith("_") and p.name not in skip
    )


#: 书里图表与表格所在的单元格输出框：背景色，以及内容是否比框宽（框里出现横向滚动条）。
OUTPUT_BOXES = """
() => Array.from(document.querySelectorAll('.cell_output .output.text_html'))
  .filter((el) => el.querySelector('.celoss-chart, .celoss-table'))
  .map((el) => ({background: getComputedStyle(el).backgroundColor, scrolls: el.scrollWidth > el.clientWidth}))
"""


def shot(page_or_locator, name: str, **options) -> None:
    """截图存进 :data:`SHOTS`，供人查看。整页截图前先滚回顶部，固定在顶端的页眉才不会出现在页面中间。"""
    SHOTS.mkdir(parents=True, exist_ok=True)
    if options.get("full_page"):
        page_or_locator.evaluate("() => window.scrollTo(0, 0)")
    page_or_locator.screenshot(path=SHOTS / name, **options)


# --- Bokeh 模型：按名字在页面上所有 Bokeh 文档里找

#: JS 函数：按名字找 Bokeh 模型，找不到时为 null。
MODEL_JS = """(name) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return model;
  }
  return null;
}"""


def js_model(name: str) -> str:
    """JS 表达式：名为 ``name`` 的 Bokeh 模型。"""
    return f"({MODEL_JS})({json.dumps(name)})"


def js_prop(name: str, attr: str) -> str:
    """JS 表达式：名为 ``name`` 的模型的属性 ``attr``。"""
    return f"{js_model(name)}[{json.dumps(attr)}]"


def js_column(name: str, col: str) -> str:
    """JS 表达式：名为 ``name`` 的数据源的一列（普通数组）。"""
    return f"Array.from({js_model(name)}.data[{json.dumps(col)}])"


def prop(page, name: str, attr: str):
    """名为 ``name`` 的 Bokeh 模型的属性 ``attr`` 在浏览器里的当前值。"""
    return page.evaluate(f"() => {js_prop(name, attr)}")


def column(page, name: str, col: str) -> np.ndarray:
    """名为 ``name`` 的数据源的一列，作为 float 数组（NaN 原样保留）。"""
    return np.array(page.evaluate(f"() => {js_column(name, col)}"), dtype=float)


def set_prop(page, name: str, attr: str, value) -> None:
    """直接给模型赋值（像 Bokeh 的回调那样触发 CustomJS）。"""
    assert page.evaluate(f"(value) => {{ const m = {js_model(name)}; if (!m) return false; "
                         f"m[{json.dumps(attr)}] = value; return true; }}", value)


def wait_until(page, condition: str, timeout: float = 5000) -> None:
    """等到 JS 条件表达式 ``condition`` 为真。"""
    page.wait_for_function(f"() => {condition}", timeout=timeout)


def press(page, key: str, times: int, *, chart: int = 0, handle: int = 0, charts: str = ".celoss-chart") -> None:
    """像读者一样用键盘拖动滑块：聚焦第 ``chart`` 张图里第 ``handle`` 个滑块，按 ``times`` 次 ``key``。"""
    page.locator(charts).nth(chart).locator(".noUi-handle").nth(handle).focus()
    for _ in range(times):
        page.keyboard.press(key)


def click_button(page, label: str) -> None:
    """像读者一样点图表里的一个按钮（Bokeh 控件在 shadow DOM 里，playwright 的定位器可以穿透）。"""
    page.locator(".celoss-chart").get_by_role("button", name=label, exact=True).first.click()


def next_frames(page, count: int = 2) -> None:
    """等浏览器再画 ``count`` 帧（Bokeh 在下一帧重画改了颜色的图）。"""
    page.evaluate("(n) => new Promise((done) => { const step = (k) => k ? requestAnimationFrame(() => step(k - 1)) "
                  ": done(); step(n); })", count)
