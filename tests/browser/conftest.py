"""浏览器测试的夹具：把构建好的站点放到 127.0.0.1 上，用无头 Chromium 打开。

站点须先构建（``nox -s tests`` 会先构建，或手动 ``nox -s docs``）。Chromium 用 Debian 的
``chromium`` 包（``/usr/bin/chromium``），由 playwright 驱动；缺少时测试失败而不是跳过。
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("CELOSS_SITE", ROOT / "docs" / "_build" / "html"))
SHOTS = SITE.parent / "screenshots"
CHROMIUM = os.environ.get("CELOSS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


@pytest.fixture(scope="session")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"没有找到构建好的站点 {SITE}：请先运行 `nox -s docs`（`nox -s tests` 会自动构建）。")
    return SITE


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
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"没有找到 Chromium（{CHROMIUM}）。请安装 Debian 的 chromium 包："
            "`apt-get install -y chromium fonts-noto-cjk`，或用 CELOSS_CHROMIUM 指定路径。"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
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


@pytest.fixture
def new_page(browser, base_url):
    """``new_page(path, **context_options)`` 打开站点里的一页，返回 (page, watch)。"""
    contexts = []

    def open_page(path: str, **options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch(page)
        page.goto(f"{base_url}/{path}", wait_until="load")
        return page, watch

    yield open_page
    for context in contexts:
        context.close()


def pages(site_dir: Path = SITE) -> list[str]:
    """站点中所有由源文件生成的页面（相对路径）。"""
    skip = {"genindex.html", "py-modindex.html"}
    return sorted(
        str(p.relative_to(site_dir)) for p in site_dir.rglob("*.html")
        if not p.relative_to(site_dir).parts[0].startswith("_") and p.name not in skip
    )
