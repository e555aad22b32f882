"""实时预览（``nox -s serve``）：sphinx-autobuild 在改动后重建，并让打开的页面自动刷新。

与 ``nox -s serve`` 用同样的参数（``-n -T``，``--watch`` 包的源码目录），但作用在临时目录里的
一本两页小书上（``tests/_tiny_book.py``），所以几秒就能跑完，也不碰仓库里的文件：

* 服务器给出的页面带 sphinx-autobuild 注入的自动刷新脚本；
* 改一页的文字，服务器很快给出新内容；
* 改被 ``--watch`` 的包源码，页面的代码单元格重新执行（执行缓存按包的指纹失效）。
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from ._tiny_book import make_book


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, what: str, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"等了 {timeout:.0f} 秒仍然没有{what}")


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def test_serve_rebuilds_on_page_and_package_changes(tmp_path):
    book, pkg, log = make_book(tmp_path)

    port = _free_port()
    out = tmp_path / "out"
    server = subprocess.Popen(
        [sys.executable, "-m", "sphinx_autobuild", "-b", "html", "-n", "-T", "-d", str(out / "doctrees"),
         "--watch", str(pkg), "--host", "127.0.0.1", "--port", str(port), str(book), str(out / "html")],
        env={**os.environ, "EXEC_LOG": str(log)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}/a.html"
    try:
        page = _wait_for(lambda: "第 a 页" in (text := _get(url)) and text, "拿到第一次构建的页面")
        assert "websocket" in page.lower()  # the reload script sphinx-autobuild injects
        assert sorted(log.read_text().split()) == ["a", "b"]

        # a reader edits the prose: the server soon serves the new text
        (book / "a.md").write_text((book / "a.md").read_text("utf-8").replace("第 a 页", "第 a 页（改过）"), "utf-8")
        _wait_for(lambda: "第 a 页（改过）" in _get(url), "给出改过的页面")

        # celoss changes: every page executes again, so no stale output survives a live session
        log.write_text("")
        (pkg / "__init__.py").write_text("VALUE = 2\n")
        _wait_for(lambda: sorted(log.read_text().split()) == ["a", "b"], "在包改动后重新执行两页")
    finally:
        server.terminate()
        try:
            output, _ = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            output, _ = server.communicate()
    # ipykernel sometimes logs a traceback of its own while a kernel shuts down under load
    # ("Uncaught exception in ZMQStream callback … Socket operation on non-socket"): that is the
    # kernel's teardown, not a failed build, so it is cut out before looking for tracebacks
    ours = re.sub(r"ERROR:tornado\.general:Uncaught exception in ZMQStream callback\n.*?zmq\.error\.ZMQError: [^\n]*\n",
                  "", output, flags=re.DOTALL)
    assert "Traceback" not in ours, output
