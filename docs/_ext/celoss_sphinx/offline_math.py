"""离线公式：从 ``sphinx-mathjax-offline`` 轮子里只复制 ``tex-chtml.js`` 及其字体与 TeX 扩展。

约 2 MB，而不是整包 24 MB；没有任何 CDN。``conf.py`` 设
``mathjax_path = "mathjax/tex-chtml.js"``。换成别的公式渲染（例如 KaTeX）时只换这个模块。
"""

from __future__ import annotations

import shutil
from importlib.metadata import distribution
from pathlib import Path

#: MathJax 3 中 tex-chtml 组件运行时可能按需加载的部分（相对 mathjax 目录）。
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")


def mathjax_source() -> Path:
    dist = distribution("sphinx-mathjax-offline")
    return Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    if not str(getattr(app.config, "mathjax_path", "")).startswith("mathjax/"):
        return  # another renderer, or MathJax from elsewhere
    source, static = mathjax_source(), Path(app.outdir) / "_static"
    for part in MATHJAX_PARTS:
        src, dst = source / part, static / "mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def setup(app) -> None:
    app.connect("build-finished", copy_mathjax)
