"""图表索引：``{figure-index}`` 指令从构建好的文档树里列出全书的每一张图，一张一行。

不维护手写清单。每章的图是 myst-nb 单元格的输出，单元格元数据 ``mystnb: figure: {name, caption}``
把输出包进一个带编号、带图题的 ``figure`` 节点。这里在所有页面都读完、编号都分好之后
（``doctree-resolved``），按目录顺序走一遍各页的文档树：

* 每个 ``figure`` 节点一行：「图 6.1」（链接到图）、图题的第一句、所在的章；
* 没有包进 ``figure`` 的图表输出（Bokeh 图或 matplotlib 图）也列出来，标明「未编号」，
  所以漏加图题的图不会从索引里悄悄消失（tests/test_book_structure.py 要求这一类为空）。

任何一页有增删改时，含这个指令的页面也重新读入，索引因此总是最新的。
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

#: 图表输出的标记：Bokeh 图的 HTML 带这个类名（见 celoss.charts._display）。
CHART_MARK = 'class="celoss-chart'
SENTENCE_END = re.compile(r"[。！？]")


class figure_index(nodes.General, nodes.Element):
    """占位节点：写出页面时换成图表清单。"""


class FigureIndexDirective(SphinxDirective):
    """``{figure-index}``：在这里放全书的图表索引。"""

    has_content = False

    def run(self) -> list[nodes.Node]:
        docs = getattr(self.env, "celoss_figure_index_docs", set())
        docs.add(self.env.docname)
        self.env.celoss_figure_index_docs = docs
        return [figure_index("")]


def _documents_in_order(env, root: str) -> list[str]:
    """按目录（toctree）的阅读顺序列出文档，深度优先。"""
    seen: list[str] = []

    def visit(docname: str) -> None:
        if docname in seen:
            return
        seen.append(docname)
        for child in env.toctree_includes.get(docname, []):
            visit(child)

    visit(root)
    return seen


def _is_chart_output(node: nodes.Element) -> bool:
    """一个 myst-nb 输出（mime bundle）是否是一张图：Bokeh 图表或图片。"""
    if not isinstance(node, nodes.Element) or node.get("nb_element") != "mime_bundle":
        return False
    for child in node.children:
        mime = child.get("mime_type", "") if isinstance(child, nodes.Element) else ""
        if mime.startswith("image/"):
            return True
        if mime == "text/html" and CHART_MARK in child.astext():
            return True
    return False


def _section_of(node: nodes.Node) -> nodes.section | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _caption(figure: nodes.figure) -> list[nodes.Node]:
    """图题的第一句（不含句号），保留其中的公式等行内元素。"""
    for child in figure.children:
        if isinstance(child, nodes.caption):
            sentence: list[nodes.Node] = []
            for part in child.children:
                if isinstance(part, nodes.Text):
                    text = " ".join(part.astext().split("\n"))
                    end = SENTENCE_END.search(text)
                    if end:
                        sentence.append(nodes.Text(text[:end.start()]))
                        return sentence
                    sentence.append(nodes.Text(text))
                else:
                    sentence.append(part.deepcopy())
            return sentence
    return []


def collect_figures(env, root: str) -> list[dict]:
    """全书的图，按阅读顺序：每项有 docname、id、number（元组或 None）、caption、section。"""
    found = []
    for docname in _documents_in_order(env, root):
        doctree = env.get_doctree(docname)
        numbers = env.toc_fignumbers.get(docname, {}).get("figure", {})
        for node in doctree.findall(lambda n: isinstance(n, nodes.figure) or _is_chart_output(n)):
            if isinstance(node, nodes.figure):
                figure_id = node["ids"][0] if node["ids"] else ""
                found.append({
                    "docname": docname, "id": figure_id, "number": numbers.get(figure_id),
                    "caption": _caption(node), "section": _section_of(node),
                })
            elif not any(isinstance(a, nodes.figure) for a in _ancestors(node)):
                found.append({"docname": docname, "id": "", "number": None, "caption": [],
                              "section": _section_of(node)})
    return found


def _ancestors(node: nodes.Node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _line(app, fromdocname: str, item: dict) -> nodes.list_item:
    env = app.env
    builder = app.builder
    uri = builder.get_relative_uri(fromdocname, item["docname"])
    section = item["section"]
    anchor = item["id"] or (section["ids"][0] if section is not None and section["ids"] else "")
    label = "图 " + ".".join(map(str, item["number"])) if item["number"] else "未编号的图"
    paragraph = nodes.paragraph()
    paragraph += nodes.reference("", label, internal=True, refuri=f"{uri}#{anchor}" if anchor else uri)
    paragraph += nodes.Text("　")
    if item["caption"]:
        paragraph.extend(item["caption"])
    elif section is not None:
        paragraph += nodes.Text(section[0].astext())
    title = env.titles.get(item["docname"])
    paragraph += nodes.Text("（")
    paragraph += nodes.reference("", title.astext() if title is not None else item["docname"],
                                 internal=True, refuri=uri)
    paragraph += nodes.Text("）")
    entry = nodes.list_item()
    entry += paragraph
    entry["classes"].append("celoss-figure-entry" if item["number"] else "celoss-figure-unnumbered")
    return entry


def fill_figure_index(app, doctree: nodes.document, fromdocname: str) -> None:
    placeholders = list(doctree.findall(figure_index))
    if not placeholders:
        return
    items = collect_figures(app.env, app.config.root_doc)
    for placeholder in placeholders:
        listing = nodes.bullet_list(classes=["celoss-figure-index"])
        for item in items:
            listing += _line(app, fromdocname, item)
        placeholder.replace_self(listing)


def purge(app, env, docname: str) -> None:
    getattr(env, "celoss_figure_index_docs", set()).discard(docname)


def merge(app, env, docnames, other) -> None:
    env.celoss_figure_index_docs = (getattr(env, "celoss_figure_index_docs", set())
                                    | getattr(other, "celoss_figure_index_docs", set()))


def reread_index(app, env, added, changed, removed) -> list[str]:
    """任何一页变了，索引页也重新读入（于是也重新写出）。"""
    if not (added or changed or removed):
        return []
    return sorted(getattr(env, "celoss_figure_index_docs", set()) - set(added) - set(changed))


def setup(app):
    app.add_node(figure_index)
    app.add_directive("figure-index", FigureIndexDirective)
    app.connect("doctree-resolved", fill_figure_index)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", reread_index)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
