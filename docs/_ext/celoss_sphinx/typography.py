"""中文排版，在构建时做，不改源文件。

* **汉字之间不留空白。** 源文件在句子中间换行，浏览器把两个汉字之间的换行显示成一个空格。
  正文（段落、标题、图注、列表、提示框、练习与答案……）里夹在两个汉字或中文标点之间的空白
  全部去掉；代码、公式、原始 HTML 不动。跨越行内元素的也算：``**交叉熵**\\n的梯度``。
* **一种引号。** 正文里的 “……” 与中文句子里成对的 "……" 都换成「……」（代码里的不动）。
* **科学计数法。** 正文里的 ``3.3524e-04`` 写成 ``3.3524 × 10⁻⁴``（glue 的 ``:.4e`` 格式也一样）。

同一套规则在读入时（标题进入目录与侧栏之前）和写出前（跨页 glue 代入之后）各跑一次；
:func:`tidy` 也供 :mod:`.notebooks` 给下载的笔记本用。
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

#: 汉字、假名、中文标点与全角符号（含破折号 —— 与省略号 ……）。
CJK = (
    "\u2014\u2026\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
CJK_GAP = re.compile(f"(?<=[{CJK}])[ \\t\\r\\n]+(?=[{CJK}])")
ASCII_QUOTE_PAIR = re.compile(r'"([^"\n]*)"')
HAS_CJK = re.compile(f"[{CJK}]")
SCIENTIFIC = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?![\w.])")
SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")

#: 这些节点里的文字原样保留。
VERBATIM = (
    nodes.literal, nodes.FixedTextElement, nodes.math, nodes.math_block, nodes.raw, nodes.comment,
    nodes.system_message, nodes.target, nodes.substitution_definition, addnodes.desc_signature,
)


def scientific(mantissa: str, exponent: str) -> str:
    """``("3.35", "-04")`` → ``"3.35 × 10⁻⁴"``。"""
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def tidy(text: str, before: str = "", after: str = "") -> str:
    """一段正文按本书的中文排版规则改写；``before``/``after`` 是紧挨着它的前后文字（不改）。"""
    whole = before + text + after
    whole = whole.replace("\u201c", "「").replace("\u201d", "」")
    if whole.count('"') % 2 == 0 and HAS_CJK.search(whole):  # Chinese prose: pair them left to right
        whole = ASCII_QUOTE_PAIR.sub(r"「\1」", whole)
    whole = CJK_GAP.sub("", whole)
    whole = SCIENTIFIC.sub(lambda m: scientific(m[1], m[2]), whole)
    return whole[len(before): len(whole) - len(after)]


def _verbatim(node: nodes.Node, block: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None and parent is not block:
        if isinstance(parent, VERBATIM):
            return True
        parent = parent.parent
    return isinstance(block, VERBATIM)


def _blocks(doctree: nodes.Node):
    """正文的块：段落、标题、图注、术语……（不含行内元素，也不含代码块）。"""
    for node in doctree.findall(nodes.TextElement):
        if not isinstance(node, (nodes.Inline, nodes.FixedTextElement)) and not _verbatim(node, doctree):
            yield node


def tidy_doctree(doctree: nodes.Node) -> None:
    for block in list(_blocks(doctree)):
        texts = list(block.findall(nodes.Text))
        for i, text in enumerate(texts):
            if _verbatim(text, block):
                continue
            before = next((t.astext()[-1] for t in reversed(texts[:i]) if t.astext()), "")
            after = next((t.astext()[0] for t in texts[i + 1:] if t.astext()), "")
            old = text.astext()
            new = tidy(old, before, after)
            if new != old:
                # by identity: Text nodes are strings, and Element.replace() finds the first equal one
                parent = text.parent
                index = next(k for k, child in enumerate(parent.children) if child is text)
                parent[index] = texts[i] = nodes.Text(new)


class ChineseTypography(SphinxTransform):
    """读入时：在 SmartQuotes（750）之后，在 ``doctree-read``（880，标题在那时进入目录与侧栏）之前。"""

    default_priority = 870

    def apply(self, **kwargs) -> None:
        tidy_doctree(self.document)


class ChineseTypographyLate(SphinxPostTransform):
    """写出前：别的页面的 glue 数值、交叉引用的文字都已代入。"""

    default_priority = 900

    def run(self, **kwargs) -> None:
        tidy_doctree(self.document)


def setup(app) -> None:
    app.add_transform(ChineseTypography)
    app.add_post_transform(ChineseTypographyLate)
