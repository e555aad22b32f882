"""公式在构建时由 KaTeX 渲染：读者的浏览器里不排版公式，页面不加载任何数学脚本。

这个模块登记一个 HTML 公式渲染器 ``katex``（``conf.py``：``html_math_renderer = "katex"``）。
EPUB 不用它：许多阅读器不运行脚本、也不显示 MathML，``nox -s epub`` 用 ``celoss_svgmath.py`` 的
``svg``，公式是 LaTeX 排好的 SVG 图。公式节点的 HTML 外壳两者共用（``celoss_mathhtml.py``）：

1. **构建时渲染**：写页面时把每个公式交给一个 Node.js 进程（``node``，Debian 的 ``nodejs``），
   用 npm ``katex`` 包里的 ``katex.min.js`` 渲染成 HTML，旁边带 MathML（``output:
   "htmlAndMathml"``，读屏软件读 MathML）。每个 Python 进程一个 Node 进程，经管道逐行问答；
   Python 进程结束、管道关闭时 Node 随之退出，``-j`` 并行写页面时分叉出的进程各自另起一个。
2. **写错即失败**：KaTeX 的解析错误（``throwOnError``）变成 Sphinx 警告，``-W`` 下构建失败，
   而不是在页面上留一段红字。
3. **样式与字体来自 ``_static``**：``katex.min.css``（只引用 woff2，删去 woff/ttf 的引用）、
   woff2 字体和几行版式 CSS 复制进 ``_static/katex/``，没有 CDN。

npm 包的位置由 ``celoss_katex_dist`` 给出（``katex`` 包里的 ``dist`` 目录，默认
``docs/_build/.katex/package/dist``）；``nox -s docs`` 在构建前用 ``npm pack`` 取来它
（见 noxfile.py 的 ``_katex``，版本为 :data:`KATEX_VERSION`）。
"""

from __future__ import annotations

import atexit
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from celoss_mathhtml import renderers
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: npm 上 ``katex`` 包的版本（noxfile.py 取这个版本）
KATEX_VERSION = "0.16.22"

#: ``url(fonts/X.woff2) format("woff2"),url(fonts/X.woff) format("woff"),url(...ttf) format("truetype")``
FONT_FALLBACKS = re.compile(
    r'(url\(fonts/[\w-]+\.woff2\) format\("woff2"\)),url\([^)]*\) format\("woff"\),url\([^)]*\) format\("truetype"\)'
)

# one request per line in, one answer per line out; exits when its stdin closes
NODE_SERVER = r"""
const katex = require(process.argv[1]);
const lines = require("readline").createInterface({input: process.stdin});
lines.on("line", (line) => {
  const request = JSON.parse(line);
  let answer;
  try {
    answer = {html: katex.renderToString(request.latex, {
      displayMode: request.display, throwOnError: true, output: request.output, strict: "ignore"})};
  } catch (error) {
    answer = {error: String(error.message || error)};
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
lines.on("close", () => process.exit(0));
"""

LAYOUT_CSS = """/* celoss：KaTeX 公式的版式（构建时渲染，见 docs/_ext/celoss_katex.py） */
div.math { position: relative; }
.katex-display { margin: 1em 0; }
div.math > .katex-display { flex-grow: 1; }  /* pydata-sphinx-theme lays div.math out as a flex row */
.katex-display > .katex { max-width: 100%; }
.katex-display > .katex > .katex-html { max-width: 100%; overflow-x: auto; overflow-y: hidden; padding: 3px 2px 1px; }
div.math .eqno { position: absolute; right: 0; top: 50%; transform: translateY(-50%); }
div.math .eqno .headerlink { visibility: hidden; }
div.math .eqno:hover .headerlink { visibility: visible; }
"""


class KatexProcess:
    """本进程专用的 Node.js KaTeX 渲染进程（分叉后的子进程会另起一个）。"""

    def __init__(self) -> None:
        self.pid: int | None = None
        self.process: subprocess.Popen | None = None
        self.cache: dict[tuple[str, bool, str], tuple[str | None, str | None]] = {}

    def _start(self, katex_js: Path) -> None:
        self.process = subprocess.Popen(
            ["node", "-e", NODE_SERVER, str(katex_js)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1,
        )
        self.pid = os.getpid()
        atexit.register(self.close)

    def render(self, katex_js: Path, latex: str, display: bool, output: str) -> tuple[str | None, str | None]:
        """返回 ``(html, None)`` 或 ``(None, 错误信息)``；``output`` 为 KaTeX 的输出格式。"""
        key = (latex, display, output)
        if key not in self.cache:
            if self.process is None or self.pid != os.getpid() or self.process.poll() is not None:
                self._start(katex_js)
            self.process.stdin.write(json.dumps({"latex": latex, "display": display, "output": output}) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline())
            self.cache[key] = (answer.get("html"), answer.get("error"))
        return self.cache[key]

    def close(self) -> None:
        if self.process is not None and self.pid == os.getpid():
            self.process.stdin.close()
            self.process.wait(timeout=10)


KATEX = KatexProcess()


def katex_dist(config) -> Path:
    return Path(config.celoss_katex_dist)


def _render(translator, node, display: bool) -> str:
    latex = node.astext()
    config = translator.builder.config
    katex_js = katex_dist(config) / "katex.min.js"
    rendered, error = KATEX.render(katex_js, latex, display, "htmlAndMathml")
    if error is not None:
        logger.warning("KaTeX 无法渲染公式 %r：%s", latex, error, location=node)
        return f'<code class="katex-error">{html.escape(latex)}</code>'
    return rendered


def check_dist(app) -> None:
    """HTML 构建开始时确认 npm 的 katex 包已就位，且版本正确；给页面加上样式表。"""
    if app.builder.format != "html" or app.config.html_math_renderer != "katex":
        return
    dist = katex_dist(app.config)
    if not (dist / "katex.min.js").is_file() or not (dist / "katex.min.css").is_file():
        raise ExtensionError(
            f"找不到 KaTeX（{dist}）。请运行 `nox -s docs`，或手动执行 `npm pack katex@{KATEX_VERSION}`"
            "并解包，再把 celoss_katex_dist 指向其中的 dist 目录。"
        )
    version = json.loads((dist.parent / "package.json").read_text("utf-8"))["version"]
    if version != KATEX_VERSION:
        raise ExtensionError(f"KaTeX 版本是 {version}，本书需要 {KATEX_VERSION}（样式表与渲染结果要配套）。")
    if shutil.which("node") is None:
        raise ExtensionError("构建时渲染公式需要 Node.js（`node`，Debian 包 nodejs）。")
    if app.config.html_math_renderer != "katex":
        return
    app.add_css_file("katex/katex.min.css", priority=300)
    app.add_css_file("katex/celoss-katex.css", priority=300)


def copy_katex_assets(app, exception) -> None:
    """把 ``katex.min.css``（只引用 woff2）、woff2 字体与版式 CSS 复制进 ``_static/katex/``。"""
    if exception is not None or app.builder.format != "html" or app.config.html_math_renderer != "katex":
        return
    dist, target = katex_dist(app.config), Path(app.outdir) / "_static" / "katex"
    (target / "fonts").mkdir(parents=True, exist_ok=True)
    css = FONT_FALLBACKS.sub(r"\1", (dist / "katex.min.css").read_text("utf-8"))
    (target / "katex.min.css").write_text(css, "utf-8")
    (target / "celoss-katex.css").write_text(LAYOUT_CSS, "utf-8")
    for font in (dist / "fonts").glob("*.woff2"):
        shutil.copyfile(font, target / "fonts" / font.name)


def setup(app):
    # not meant to be set: it changes with this file, so every page is written again
    fingerprint = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    app.add_config_value("celoss_katex_fingerprint", fingerprint, "html", types=[str])
    default = Path(app.confdir) / "_build" / ".katex" / "package" / "dist"
    app.add_config_value("celoss_katex_dist", str(default), "env", types=[str])
    app.add_html_math_renderer("katex", **renderers(_render))
    app.connect("builder-inited", check_dist)
    app.connect("build-finished", copy_katex_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
