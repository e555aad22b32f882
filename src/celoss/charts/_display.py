"""图表如何显示：把 Bokeh 布局变成一段自包含的 HTML（div + 内嵌脚本）。

书里的代码单元格以图表结尾时，IPython 用这里注册的格式化器得到 ``text/html``；
myst-nb 把它原样写进页面，页面上的 BokehJS 由 Sphinx 从 ``_static`` 加载（不走 CDN）。
读者在自己的 Jupyter 里只需先运行一次 ``bokeh.io.output_notebook()`` 加载 BokehJS。
"""

from __future__ import annotations

import os

from bokeh.document import Document
from bokeh.model import Model
from bokeh.models import LayoutDOM
from bokeh.models.widgets import Widget

from ._embed import early_components
from ._js import callback, module
from ._static_image import PRINT_IMAGES_ENV

__all__ = ["CHART_CLASS", "WIDGETS_CLASS", "CHART_MARK", "WIDGETS_MARK", "to_html", "register_ipython_formatter"]

#: 每张图表外层 div 的类名：Sphinx 端据此判断页面是否需要 BokehJS（公开为 ``celoss.charts.CHART_CLASS``）。
CHART_CLASS = "celoss-chart"
#: 图表里含滑块等控件时外层 div 多加的类名：页面还需要 bokeh-widgets 包（``celoss.charts.WIDGETS_CLASS``）。
WIDGETS_CLASS = "celoss-widgets"
#: 旧名字，等 docs/_ext 改用上面两个公开名字后删除。
CHART_MARK, WIDGETS_MARK = CHART_CLASS, WIDGETS_CLASS


def has_widgets(layout: Model) -> bool:
    """布局中是否含有控件（滑块、按钮……）。"""
    return any(isinstance(model, Widget) for model in layout.references())


def to_html(layout: LayoutDOM) -> str:
    """返回嵌入页面用的 HTML：带标记类名的 div，加上渲染它的脚本。

    本书的页面靠这两个类名决定加载什么：有 ``celoss-chart`` 的页面才加载 BokehJS，
    再有 ``celoss-widgets`` 的页面才加载滑块、按钮所需的 widgets 包。

    Parameters
    ----------
    layout : bokeh.models.LayoutDOM
        任意 Bokeh 图或布局，例如本模块各图表函数的返回值。

    Returns
    -------
    str
        ``<div class="celoss-chart">…</div>`` 加一段 ``<script>``；页面须另外加载 BokehJS。

    Examples
    --------
    >>> from celoss.charts import to_html
    >>> from bokeh.plotting import figure
    >>> fig = figure(width=200, height=150)
    >>> line = fig.line([0, 1], [0, 1])
    >>> html = to_html(fig)
    >>> html.startswith('<div class="celoss-chart">')
    True
    """
    _hoist_load_callbacks(layout)
    widgets = has_widgets(layout)
    script, div = early_components(layout, widgets)  # draws as soon as BokehJS is there
    marks = CHART_CLASS + (f" {WIDGETS_CLASS}" if widgets else "")
    return f'<div class="{marks}">{div}</div>\n{script}'


def _hoist_load_callbacks(layout: LayoutDOM) -> None:
    """把图表记在布局上的 ``document_ready`` 回调（见 ``_style.chart``）放到布局所在的文档上，
    另加一个 ``js/ready.js``：图表画完时在页面上发出 ``celoss:chart-ready`` 事件。

    BokehJS 只在文档上触发 ``document_ready``（文档画完、空闲时一次，``components`` 嵌入时也是）；
    布局上的同名回调不会被触发。布局还没有文档时新建一个，``components`` 会沿用它。
    """
    wanted = layout.js_event_callbacks.get("document_ready", [])
    if not any(cb.code == module("ready") for cb in wanted):
        # tell the page that the chart is drawn: the book's celoss-charts.js then gives it the theme's colours
        layout.js_on_event("document_ready", callback("ready"))
        wanted = layout.js_event_callbacks["document_ready"]
    doc = layout.document
    if doc is None:
        doc = Document()
        doc.add_root(layout)
    have = doc.callbacks.js_event_callbacks.get("document_ready", [])
    missing = [cb for cb in wanted if cb not in have]
    if missing:
        doc.js_on_event("document_ready", *missing)


def register_ipython_formatter() -> bool:
    """在 IPython/Jupyter 中让 Bokeh 布局作为单元格结果时显示为图表。

    不在 IPython 里时什么也不做，返回 ``False``。
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.display_formatter.formatters["text/html"].for_type(LayoutDOM, to_html)
    if os.environ.get(PRINT_IMAGES_ENV):  # print builds only: a static PNG of the same layout
        from celoss.charts._static_image import png_for_print

        shell.display_formatter.formatters["image/png"].for_type(LayoutDOM, png_for_print)
    return True
