"""章号跨部分连续：第一部分是第 1–3 章，第二部分接着从第 4 章编起。

Sphinx 给每个带 ``:numbered:`` 的 toctree 都从 1 重新编号（``TocTreeCollector.assign_section_numbers``
里写着 "every numbered toctree gets new numbering"）。本书把章节分成几个部分，每个部分一个带标题的
toctree，于是第二部分的第一章也会是「1」，练习、图和公式的编号（练习 1.2、图 1.1、式 (1.3)）就会在
几章之间重复。这里在 Sphinx 编完号之后，把后面各个 toctree 里的章号依次加上前面各部分的章数。
图、表、练习和公式的编号由 Sphinx 随后按这些章号算出，所以它们也跟着连续。
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.environment.collectors.toctree import TocTreeCollector

_sphinx_assign_section_numbers = TocTreeCollector.assign_section_numbers


def _shift(env, docname: str, offset: int) -> None:
    """把一章（及其各节）的章号加上 ``offset``：编号表、侧栏里的链接和页面标题三处。"""
    numbers = env.toc_secnumbers[docname]
    for anchor, number in numbers.items():
        if number:
            numbers[anchor] = (number[0] + offset, *number[1:])
    for reference in env.tocs[docname].findall(nodes.reference):
        number = numbers.get(reference.get("anchorname"))
        if number:
            reference["secnumber"] = list(number)
    title = env.titles.get(docname)
    if title is not None and numbers.get(""):
        title["secnumber"] = list(numbers[""])


def assign_section_numbers(self, env) -> list[str]:
    """先按 Sphinx 的规则编号，再让各个编号 toctree 的章号首尾相接。"""
    rewrite = _sphinx_assign_section_numbers(self, env)
    offset = 0
    for docname in sorted(env.numbered_toctrees):
        for toctree in env.get_doctree(docname).findall(addnodes.toctree):
            if not toctree.get("numbered"):
                continue
            chapters = [ref for _title, ref in toctree["entries"] if env.toc_secnumbers.get(ref)]
            if offset:
                for ref in chapters:
                    _shift(env, ref, offset)
                    if ref not in rewrite:
                        rewrite.append(ref)
            # the highest chapter number so far (already shifted)
            offset = max((number[0] for ref in chapters for number in env.toc_secnumbers[ref].values() if number),
                         default=offset)
    return rewrite


def setup(app):
    TocTreeCollector.assign_section_numbers = assign_section_numbers
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
