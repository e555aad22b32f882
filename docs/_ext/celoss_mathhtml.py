"""HTML 里公式节点的外壳，网页版（``celoss_katex``）与 EPUB（``celoss_svgmath``）共用。

行内公式是 ``<span class="math">``，行间公式是 ``<div class="math">``，编号写成 ``(章.序号)``
并带 Sphinx 的永久链接；里面的内容由各自的渲染函数给出（KaTeX 的 HTML + MathML，或 SVG 图）。
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx.locale import _
from sphinx.util.math import get_node_equation_number


def renderers(render: Callable[..., str]) -> dict:
    """``app.add_html_math_renderer`` 的两组访问函数；``render(translator, node, display)`` 返回公式的 HTML。"""

    def visit_math(self, node) -> None:
        self.body.append(self.starttag(node, "span", "", CLASS="math notranslate"))
        self.body.append(render(self, node, display=False))
        self.body.append("</span>")
        raise nodes.SkipNode

    def visit_displaymath(self, node) -> None:
        self.body.append(self.starttag(node, "div", CLASS="math notranslate"))
        if node["number"]:
            number = get_node_equation_number(self, node)
            self.body.append(f'<span class="eqno">({number})')
            self.add_permalink_ref(node, _("Link to this equation"))
            self.body.append("</span>")
        self.body.append(render(self, node, display=True))
        self.body.append("</div>\n")
        raise nodes.SkipNode

    return {"inline_renderers": (visit_math, None), "block_renderers": (visit_displaymath, None)}
