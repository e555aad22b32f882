"""EPUB 的公式：构建时用 LaTeX 排成 SVG（字形是路径），阅读器不必运行脚本、也不必懂 MathML。

这个模块登记一个 HTML 公式渲染器 ``svg``（``nox -s epub`` 传 ``-D html_math_renderer=svg``；网页版
仍用 ``katex``，见 ``celoss_katex.py``）：

1. **一次排完**：读完全部页面后（``env-updated``），把书里所有还没有排过的公式写进同一个 LaTeX
   文档，每个公式一页（``preview`` 宏包，``tightpage``），``xelatex`` 排一次，再用
   ``dvisvgm --pdf`` 把每一页转成一个 SVG，字形画成路径，阅读器不需要任何数学字体；
   ``\\text{梯度}`` 这样的中文由 xeCJK 用 Noto Serif CJK SC 排（与 PDF 相同的字体）。
   行间公式用 ``aligned`` 排，多行公式（``\\\\``、``&``）与网页版一样对齐。
2. **缓存**：SVG 以「导言区 + 公式」的 SHA-1 命名，存在 ``celoss_svgmath_cache``（默认
   ``docs/_build/.svgmath``），再次构建只排新公式。写页面时用到的 SVG 复制进 ``_images/math/``，
   EPUB 构建器把它们放进书里。
3. **版式与无障碍**：``<img>`` 的宽、高与基线偏移按 TeX 的盒子尺寸换算成 em（12 pt = 1 em），
   公式随阅读器的字号缩放、与正文基线对齐；``alt`` 是公式的 TeX 源码。行间公式的编号
   （``(3.1)``）和网页版一样写在 HTML 里。
4. **写错即失败**：LaTeX 报错时逐个重排，找出出错的公式，作为 Sphinx 警告（``-W`` 下构建失败）。

需要 ``xelatex``（Debian 的 ``texlive-xetex``）、``xeCJK``（``texlive-lang-chinese``）、``preview``
（``texlive-latex-extra``）、``dvisvgm``（Debian 包 ``dvisvgm``，读 PDF 用它依赖的 Ghostscript 库 ``libgs``）、
Noto CJK 字体（``fonts-noto-cjk``）；``.ci/run`` 会装好。
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from celoss_mathhtml import renderers
from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: TeX 的字号（pt）：这么大的公式在 EPUB 里是 1 em
FONT_SIZE = 12

PREAMBLE = r"""\documentclass[12pt]{article}
\usepackage{amsmath,amssymb,bm}
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\pagestyle{empty}
\usepackage[active,tightpage]{preview}
\newsavebox{\celossbox}
"""

# each page writes its box's height and depth to the log; preview's border around each page
BOX = re.compile(r"^celoss-svgmath:(-?[\d.]+)pt,(-?[\d.]+)pt$", re.MULTILINE)
TIGHTPAGE = re.compile(r"Preview: Tightpage (-?\d+) (-?\d+) (-?\d+) (-?\d+)")
VIEWBOX = re.compile(r"viewBox='([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)'")
# myst's amsmath blocks (nowrap): their environment becomes the inline-able one
NOWRAP_ENVIRONMENTS = {"align": "aligned", "align*": "aligned", "gather": "gathered", "gather*": "gathered",
                       "equation": "", "equation*": "", "multline": "gathered", "multline*": "gathered"}


def _body(latex: str, display: bool, nowrap: bool = False) -> str:
    """The TeX that goes on the formula's page: inline ``$…$``, display ``$\\displaystyle …$``."""
    latex = latex.strip()
    if not display:
        return f"${latex}$"
    if nowrap:
        def swap(match: re.Match) -> str:
            name = NOWRAP_ENVIRONMENTS.get(match.group(2), match.group(2))
            return f"\\{match.group(1)}{{{name}}}" if name else ""
        latex = re.sub(r"\\(begin|end)\{([a-z]+\*?)\}", swap, latex)
        return f"$\\displaystyle {latex}$"
    parts = [part.strip() for part in latex.split("\n\n") if part.strip()]  # as Sphinx's wrap_displaymath
    aligned = "\\\\\n".join(f"\\begin{{aligned}}{part}\\end{{aligned}}" for part in parts)
    return f"$\\displaystyle \\begin{{gathered}}{aligned}\\end{{gathered}}$" if len(parts) > 1 \
        else f"$\\displaystyle {aligned}$"


def _key(body: str) -> str:
    return hashlib.sha1((PREAMBLE + body).encode("utf-8"), usedforsecurity=False).hexdigest()


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # the caller reads the return code
            command, cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", check=False
        )
    except OSError as error:
        raise ExtensionError(f"EPUB 的公式需要 {command[0]}（见 docs/_ext/celoss_svgmath.py）：{error}") from error


def _to_svg(work: Path, pages: int) -> None:
    """``dvisvgm --pdf`` over ``math.pdf``, its pages split into one range per CPU core, run side by side."""
    parts = max(1, min(os.cpu_count() or 1, pages // 100))
    bounds = [round(pages * i / parts) for i in range(parts + 1)]
    command = ["dvisvgm", "--pdf", "--no-fonts", "-o", "%p.svg"]
    try:
        running = [subprocess.Popen([*command, f"--page={low + 1}-{high}", "math.pdf"], cwd=work, text=True,
                                    encoding="utf-8", errors="replace",
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                   for low, high in itertools.pairwise(bounds)]
    except OSError as error:
        raise ExtensionError(f"EPUB 的公式需要 dvisvgm（见 docs/_ext/celoss_svgmath.py）：{error}") from error
    for process in running:
        _, errors = process.communicate()
        if process.returncode != 0:
            raise ExtensionError(f"dvisvgm 失败：{errors[-2000:]}")


def _typeset(bodies: list[str], cache: Path) -> list[str]:
    """Typeset ``bodies`` (one page each) into ``cache/<key>.svg``; return those that failed.

    xelatex writes a PDF (dvisvgm misplaces CJK glyphs read from XeTeX's XDV, about 5 pt too low),
    and ``dvisvgm --pdf`` turns each page into paths.
    """
    with tempfile.TemporaryDirectory(prefix="celoss-svgmath-") as folder:
        work = Path(folder)
        pages = "\n".join(
            f"\\begin{{preview}}\\sbox{{\\celossbox}}{{{body}}}"
            f"\\typeout{{celoss-svgmath:\\the\\ht\\celossbox,\\the\\dp\\celossbox}}"
            f"\\usebox{{\\celossbox}}\\end{{preview}}"
            for body in bodies
        )
        (work / "math.tex").write_text(f"{PREAMBLE}\\begin{{document}}\n{pages}\n\\end{{document}}\n", "utf-8")
        done = _run(["xelatex", "-interaction=nonstopmode", "-halt-on-error", "math.tex"], work)
        log = (work / "math.log").read_text("utf-8", errors="replace") if (work / "math.log").is_file() else ""
        boxes = BOX.findall(log)
        if done.returncode != 0 or not (work / "math.pdf").is_file() or len(boxes) != len(bodies):
            if len(bodies) == 1:
                return bodies
            # find the culprits by halving (only when something is wrong)
            half = len(bodies) // 2
            return _typeset(bodies[:half], cache) + _typeset(bodies[half:], cache)
        bottom = int(TIGHTPAGE.search(log).group(2))  # sp, negative: the page reaches below the box
        border = -bottom / 65536  # sp → pt
        _to_svg(work, len(bodies))
        cache.mkdir(parents=True, exist_ok=True)
        digits = len(str(len(bodies)))
        for number, (body, (_height, depth)) in enumerate(zip(bodies, boxes, strict=True), 1):
            svg = work / f"{number:0{digits}d}.svg"
            if not svg.is_file():
                svg = work / f"{number}.svg"
            text = svg.read_text("utf-8")
            _x, _y, width, total = (float(value) for value in VIEWBOX.search(text).groups())
            # the baseline's distance from the image's bottom edge (TeX pt → PDF bp, the SVG's unit)
            below = (float(depth) + border) * 72 / 72.27
            # the sizes ride along in the file: <!-- celoss-svgmath width above-baseline below-baseline -->
            text += f"\n<!-- celoss-svgmath {width} {total - below} {below} -->\n"
            (cache / f"{_key(body)}.svg").write_text(text, "utf-8")
    return []


def _extents(path: Path) -> tuple[float, float, float]:
    match = re.search(r"<!-- celoss-svgmath (\S+) (\S+) (\S+) -->", path.read_text("utf-8"))
    return tuple(float(value) for value in match.groups())


def _cache(config) -> Path:
    return Path(config.celoss_svgmath_cache)


def _active(app) -> bool:
    return app.builder.format == "html" and app.config.html_math_renderer == "svg"


def typeset_all(app, env) -> None:
    """After reading: every formula of the book not yet in the cache, typeset in one LaTeX run."""
    if not _active(app):
        return
    for tool in ("xelatex", "dvisvgm"):
        if shutil.which(tool) is None:
            raise ExtensionError(f"EPUB 的公式需要 {tool}（Debian：texlive-xetex、dvisvgm）。")
    cache, bodies = _cache(app.config), {}
    for docname in sorted(env.found_docs):
        for node in env.get_doctree(docname).findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
            body = _body(node.astext(), isinstance(node, nodes.math_block), node.get("nowrap", False))
            if not (cache / f"{_key(body)}.svg").is_file():
                bodies.setdefault(body, None)
    if bodies:
        logger.info("celoss_svgmath：用 xelatex + dvisvgm 排 %d 个公式", len(bodies))
        _typeset(list(bodies), cache)  # failures are reported with their location when the page is written


def _image(self, node, display: bool) -> str:
    """``<img>`` of the formula's SVG (copied into ``_images/math/``), sized in em, TeX as alt text."""
    latex = node.astext()
    body = _body(latex, display, node.get("nowrap", False))
    cache, name = _cache(self.builder.config), f"{_key(body)}.svg"
    if not (cache / name).is_file() and _typeset([body], cache):
        logger.warning("LaTeX 无法排版公式 %r", latex, location=node)
        return f'<code class="math-error">{self.encode(latex)}</code>'
    target = Path(self.builder.outdir) / self.builder.imagedir / "math" / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache / name, target)
    width, height, depth = (value / FONT_SIZE for value in _extents(cache / name))
    style = f"width:{width:.3f}em;height:{height + depth:.3f}em;vertical-align:{-depth:.3f}em"
    src = f"{self.builder.imgpath}/math/{name}"
    return f'<img class="math-svg" src="{src}" alt="{self.encode(latex.strip())}" style="{style}"/>'


CSS = """/* celoss：EPUB 的公式是 SVG 图（docs/_ext/celoss_svgmath.py） */
img.math-svg { display: inline; margin: 0; padding: 0; border: 0; max-width: none; }
div.math { text-align: center; margin: 1em 0; overflow-x: auto; }
div.math > img.math-svg { display: inline-block; }
div.math .eqno { float: right; margin-left: 1em; }
"""


def add_css(app) -> None:
    """The stylesheet goes into the output now: the EPUB builder packs the folder before build-finished."""
    if _active(app):
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "celoss-svgmath.css").write_text(CSS, "utf-8")
        app.add_css_file("celoss-svgmath.css")


def setup(app):
    # not meant to be set: it changes with this file, so every page is written again
    app.add_config_value(
        "celoss_svgmath_fingerprint", hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16], "html",
        types=[str],
    )
    default = Path(app.confdir) / "_build" / ".svgmath"
    app.add_config_value("celoss_svgmath_cache", str(default), "env", types=[str])
    app.add_html_math_renderer("svg", **renderers(_image))
    app.connect("builder-inited", add_css)
    app.connect("env-updated", typeset_all)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
