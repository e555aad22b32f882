"""BokehJS：与已安装 bokeh *完全同版本* 的脚本放进 ``_static/bokeh/``，只加到有图表的页面上。

页面要不要 BokehJS，看的是本页的文档树：myst-nb 把单元格的 ``text/html`` 输出放进
``raw`` 节点，:func:`celoss.charts.to_html` 写的图表以 ``<div class="celoss-chart">`` 开头，
含滑块等控件的再带上 ``celoss-widgets``。文档里别处出现这两个词（API 页的锚点、文档字符串）
不会被误认，因为它们不是以这个开头标签开始的原始 HTML 节点。
"""

from __future__ import annotations

import shutil
from pathlib import Path

import bokeh
from bokeh.util.paths import bokehjs_path
from docutils import nodes

try:  # public since the charts' layer split; the fallback keeps older trees building
    from celoss.charts import CHART_CLASS, WIDGETS_CLASS
except ImportError:  # pragma: no cover
    CHART_CLASS, WIDGETS_CLASS = "celoss-chart", "celoss-widgets"

BUNDLES = ("bokeh", "bokeh-widgets")


def chart_kinds(doctree: nodes.Node) -> list[bool]:
    """文档树里的每张图表，各记一个「是否含控件」。"""
    plain, widgets = f'<div class="{CHART_CLASS}">', f'<div class="{CHART_CLASS} {WIDGETS_CLASS}">'
    found = []
    for node in doctree.findall(nodes.raw):
        if "html" not in node.get("format", "").split():
            continue
        text = node.astext().lstrip()
        if text.startswith(widgets):
            found.append(True)
        elif text.startswith(plain):
            found.append(False)
    return found


def bundle_path(name: str) -> str:
    return f"bokeh/{name}-{bokeh.__version__}.min.js"


def add_bokehjs(app, pagename, templatename, context, doctree) -> None:
    """只给含图表的页面加 BokehJS；只给含控件的页面加 widgets 包。"""
    if doctree is None:
        return
    charts = chart_kinds(doctree)
    if not charts:
        return
    app.add_js_file(bundle_path("bokeh"))
    if any(charts):
        app.add_js_file(bundle_path("bokeh-widgets"))
    app.add_js_file("celoss-charts.js")


def copy_bokehjs(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "bokeh"
    target.mkdir(parents=True, exist_ok=True)
    js_dir = Path(bokehjs_path()) / "js"
    for name in BUNDLES:
        shutil.copyfile(js_dir / f"{name}.min.js", Path(app.outdir) / "_static" / bundle_path(name))


def setup(app) -> None:
    app.connect("html-page-context", add_bokehjs)
    app.connect("build-finished", copy_bokehjs)
