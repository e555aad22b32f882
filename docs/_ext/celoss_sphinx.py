"""celoss 这本书的 Sphinx 胶水：让站点完全离线、只在需要的页面加载 BokehJS、修好中文搜索。

做三件事：

1. **BokehJS**：把与已安装 bokeh *完全同版本* 的 ``bokeh.min.js``（以及有控件时的
   ``bokeh-widgets.min.js``）复制到 ``_static/bokeh/``，并且只加到真正显示了图表的页面上。
   页面是否含图表、含不含控件，看 :mod:`celoss.charts` 输出里的标记类名。
2. **MathJax**：从 ``sphinx-mathjax-offline`` 轮子里只复制 ``tex-chtml.js`` 及其字体与
   TeX 扩展（约 2 MB，而不是整包 24 MB），``mathjax_path`` 指向它。没有任何 CDN。
3. **中文搜索**：Sphinx 的中文分词（jieba）会丢掉单字词，于是「熵」搜不到。这里注册一个
   子类，保留用户词典（``docs/_ext/zh_terms.txt``）里列出的单字术语。

``conf.py`` 需要设置 ``mathjax_path = "mathjax/tex-chtml.js"`` 与
``html_search_options = {"dict": <zh_terms.txt 的绝对路径>}``。
"""

from __future__ import annotations

import shutil
from importlib.metadata import distribution
from pathlib import Path

import bokeh
from bokeh.util.paths import bokehjs_path
from sphinx.search.zh import SearchChinese

from celoss.charts._display import CHART_MARK, WIDGETS_MARK

TERMS_FILE = Path(__file__).with_name("zh_terms.txt")

#: MathJax 3 中 tex-chtml 组件运行时可能按需加载的部分（相对 mathjax 目录）。
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")


def _mathjax_source() -> Path:
    dist = distribution("sphinx-mathjax-offline")
    return Path(dist.locate_file("sphinx-mathjax-offline/static/mathjax"))


def _bokeh_files(widgets: bool) -> list[str]:
    names = ["bokeh"] + (["bokeh-widgets"] if widgets else [])
    return [f"bokeh/{name}-{bokeh.__version__}.min.js" for name in names]


def add_bokehjs(app, pagename, templatename, context, doctree) -> None:
    """只给含图表的页面加 BokehJS；只给含控件的页面加 widgets 包。"""
    body = context.get("body", "")
    if CHART_MARK not in body:
        return
    for path in _bokeh_files(widgets=WIDGETS_MARK in body):
        app.add_js_file(path)


def copy_assets(app, exception) -> None:
    """构建成功后把 BokehJS 与 MathJax 的所需文件复制进 ``_static``。"""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    js_dir = Path(bokehjs_path()) / "js"
    (static / "bokeh").mkdir(parents=True, exist_ok=True)
    for name in ("bokeh", "bokeh-widgets"):
        shutil.copyfile(js_dir / f"{name}.min.js", static / "bokeh" / f"{name}-{bokeh.__version__}.min.js")
    source = _mathjax_source()
    for part in MATHJAX_PARTS:
        src, dst = source / part, static / "mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def _single_char_terms() -> frozenset[str]:
    words = (line.split()[0] for line in TERMS_FILE.read_text("utf-8").splitlines() if line.strip())
    return frozenset(w for w in words if len(w) == 1)


class SearchChineseWithTerms(SearchChinese):
    """jieba 分词的中文搜索，但保留术语表里的单字词（如「熵」）。"""

    single_char_terms = _single_char_terms()

    def word_filter(self, stemmed_word: str) -> bool:
        return stemmed_word in self.single_char_terms or super().word_filter(stemmed_word)


def setup(app):
    app.add_search_language(SearchChineseWithTerms)
    app.connect("html-page-context", add_bokehjs)
    app.connect("build-finished", copy_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
