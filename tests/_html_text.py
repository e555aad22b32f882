"""从构建好的页面里取出正文文字：``<article>`` 里的段落、标题、列表、表格、提示框……

代码（``pre``/``code``/``kbd``）、公式（``.math``）、脚本、图表与 API 签名不算正文。
每个块级元素各成一段，段与段之间不相连（两个段落之间的换行不是句中的空白）。
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK = {
    "p", "div", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption",
    "section", "ul", "ol", "table", "tr", "blockquote", "br", "hr", "aside", "nav", "details", "summary",
    "article", "header", "footer", "dl", "tbody", "thead", "form", "button", "label", "main",
}
SKIP_TAGS = {"pre", "code", "kbd", "script", "style", "svg", "math", "mjx-container", "template"}
SKIP_CLASSES = {"math", "celoss-chart", "sig", "highlight", "headerlink", "cell_input", "MathJax"}
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed"}

#: 汉字与中文标点（与 docs/_ext/celoss_sphinx/typography.py 的 CJK 相同）。
CJK = (
    "\u2014\u2026\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)


class _BodyText(HTMLParser):
    def __init__(self, skip_classes: frozenset[str] = frozenset()):
        super().__init__(convert_charrefs=True)
        self.skip_classes = SKIP_CLASSES | skip_classes
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.in_article = 0

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def _flush(self):
        text = "".join(self.current)
        if text.strip():
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "bd-article" in (attrs.get("class") or ""):
            self.in_article += 1
        if tag in BLOCK:
            self._flush()
        if tag in VOID:
            return
        classes = set((attrs.get("class") or "").split())
        skip = tag in SKIP_TAGS or bool(classes & self.skip_classes)
        if skip and not self._skipping() and self.in_article and tag not in BLOCK:
            self.current.append("x")  # inline code or math stands in the sentence as a non-Chinese word
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            name, _ = self.stack.pop()
            if name == tag:
                break
        if tag in BLOCK:
            self._flush()
        if tag == "article" and self.in_article:
            self.in_article -= 1

    def handle_data(self, data):
        if self.in_article and not self._skipping():
            self.current.append(data)


def body_blocks(html: str, skip_classes: frozenset[str] = frozenset()) -> list[str]:
    """一页 HTML 正文的各个块（每块是一段连续的文字）；``skip_classes`` 里的类另外跳过。"""
    parser = _BodyText(skip_classes)
    parser.feed(html)
    parser.close()
    return parser.blocks


def around(text: str, match: re.Match, width: int = 12) -> str:
    return text[max(0, match.start() - width): match.end() + width].replace("\n", "⏎")
