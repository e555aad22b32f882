"""尽早画图的嵌入脚本：BokehJS 一就位就画，不等 ``DOMContentLoaded``。

:func:`bokeh.embed.components` 生成的脚本包在 ``DOMContentLoaded`` 回调里：页面上每个同步脚本、
整页 HTML 都处理完之前，图表不会开始画。这里生成同样的 div 与数据（Bokeh 自己的
``standalone_docs_json_and_render_items``），但脚本自己判断何时能画：

- BokehJS（图里有控件时还有 bokeh-widgets）已经加载：立即嵌入；
- 否则在 ``document`` 上捕获脚本的 ``load`` 事件，所需的包一到就嵌入；
  ``DOMContentLoaded`` 时再查一次（页面用同步脚本加载 BokehJS 时走这条路）。

这样页面可以用 ``defer`` 或 ``async`` 加载 BokehJS，解析与下载同时进行，图表在数据与
BokehJS 都到了的那一刻开画。在 Jupyter 里（先运行过 ``output_notebook()``）BokehJS 早已加载，
脚本直接嵌入，与 ``components()`` 的效果相同。
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from bokeh.core.json_encoder import serialize_json
from bokeh.core.templates import MACROS, ROOT_DIV
from bokeh.embed.util import OutputDocumentFor, standalone_docs_json_and_render_items
from bokeh.models import LayoutDOM

__all__ = ["early_components"]

#: the script body, a template with %(docs_json)s, %(render_items)s and %(widgets)s fields
_EARLY_JS = (Path(__file__).with_name("js") / "page" / "early_embed.js").read_text(encoding="utf-8")


def _js_string(docs_json: dict) -> str:
    # the same escaping as bokeh.embed.elements.script_for_render_items: HTML-safe, single-quoted
    text = escape(serialize_json(docs_json, pretty=False), quote=False)
    return "'" + text.replace("'", "&#x27;").replace("\\", "\\\\") + "'"


def early_components(layout: LayoutDOM, widgets: bool) -> tuple[str, str]:
    """像 :func:`bokeh.embed.components` 一样返回 ``(script, div)``，但脚本不等 ``DOMContentLoaded``。

    Parameters
    ----------
    layout : bokeh.models.LayoutDOM
        要嵌入的 Bokeh 图或布局。
    widgets : bool
        布局里是否有控件：有则等 bokeh-widgets 包也加载完再嵌入。

    Returns
    -------
    tuple of str
        ``<script>`` 标签与图表的 ``<div>``。

    Examples
    --------
    >>> from bokeh.plotting import figure
    >>> fig = figure(width=200, height=150)
    >>> script, div = early_components(fig, widgets=False)
    >>> "DOMContentLoaded" in script and "embed_items" in script
    True
    """
    with OutputDocumentFor([layout]):
        docs_json, [render_item] = standalone_docs_json_and_render_items([layout])
    script = '<script type="text/javascript">\n' + _EARLY_JS % {
        "docs_json": _js_string(docs_json),
        "render_items": serialize_json([render_item.to_json()], pretty=False),
        "widgets": " && Bokeh.Widgets !== undefined" if widgets else "",
    } + "</script>"
    div = ROOT_DIV.render(root=render_item.roots[0], macros=MACROS)
    return script, div
