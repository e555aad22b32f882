"""结果表格的唯一渲染器（文字、HTML、Markdown），以及全书唯一的一份中文标签表。

``celoss.lab`` 里所有结果对象（``GradientTable``、``RunGrid``、``PosWeightStudy``、
``StabilityTable`` ……）都用这里的函数实现 ``__str__``、``_repr_html_`` 与 Markdown 表，
图表（:mod:`celoss.charts.training` 等）上的中文名也从 :data:`LABELS` 取，所以同一个实验
在表格和图上叫同一个名字。

这些结果对象在 Jupyter 或本书页面里作为单元格结果时显示为 HTML 表格，``str()`` 给出对齐的纯文本表。

.. seealso:: 用到这些表格的章节：:doc:`/gradients`、:doc:`/training`、:doc:`/numerics`、:doc:`/variants`。
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "LABELS",
    "label",
    "labels",
    "Cell",
    "display_width",
    "text_table",
    "html_table",
    "markdown_table",
    "scrollable",
    "scientific",
    "percent",
    "NUMBER_CELL",
    "NUMBER_HEAD",
    "TABLE",
    "COMPACT_CELL",
    "COMPACT_HEAD",
    "COMPACT_TABLE",
]

#: 全书唯一的中文标签表：实验里的英文键（模型、初始化、损失、优化器）→ 页面上显示的名字。
LABELS = {
    # 模型
    "logistic": "逻辑回归",
    "mlp": "MLP",
    # 初始化
    "random": "随机小初始化",
    "confident_wrong": "自信地错",
    # 损失
    "mse": "MSE",
    "bce": "交叉熵",
    "weighted": "加权交叉熵",
    "smoothed": "平滑交叉熵",
    # 优化器
    "gd": "梯度下降",
    "adam": "Adam",
}


def label(key: str) -> str:
    """``key`` 的中文名；表里没有的键原样返回。

    Examples
    --------
    >>> from celoss.lab.tables import label
    >>> print(label("confident_wrong"), label("other"))
    自信地错 other
    """
    return LABELS.get(key, key)


def labels(keys: Iterable[str]) -> dict[str, str]:
    """一组键到中文名的字典（保持顺序）。

    Examples
    --------
    >>> from celoss.lab.tables import labels
    >>> labels(("mse", "bce"))
    {'mse': 'MSE', 'bce': '交叉熵'}
    """
    return {k: label(k) for k in keys}


#: 数字列的单元格：右对齐，数字不在中间折行。
NUMBER_CELL = "text-align: right; white-space: nowrap"
#: 表头：右对齐（与数字对齐），可以折行。
NUMBER_HEAD = "text-align: right"
#: 表格本身：等宽数字，列与列的数字对齐。
TABLE = "font-variant-numeric: tabular-nums"
#: 宽表格的紧凑单元格：更小的内边距，让宽表格在桌面上尽量放得下。
COMPACT_CELL = "text-align: right; white-space: nowrap; padding: 0.25rem 0.45rem"
#: 宽表格的紧凑表头（可以换行）。
COMPACT_HEAD = "text-align: right; padding: 0.25rem 0.45rem"
#: 宽表格本身：等宽数字、较小的字号、宽度随内容。
COMPACT_TABLE = "font-variant-numeric: tabular-nums; font-size: 0.82em; width: auto"


@dataclass(frozen=True)
class Cell:
    """一个带附加信息的单元格：文字之外，还有额外的样式、悬停提示与 ``data-*`` 属性（只在 HTML 里出现）。"""

    text: str
    style: str = ""
    title: str = ""
    data: tuple[tuple[str, str], ...] = ()
    mark: str = ""
    """文字表与 Markdown 表里追加在文字后面的标记（例如失效单元格的 ``!``）。"""

    def __str__(self) -> str:
        return self.text + self.mark


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def scientific(x: float, digits: int = 2, *, sep: str = " × ") -> str:
    """``digits`` 位有效数字的科学计数法，写成 1.3 × 10⁻⁸ （不写 1.3e-08）。

    窄表格里可以传 ``sep="×"``，写成 1.3×10⁻⁸，手机上不折行。

    Examples
    --------
    >>> from celoss.lab.tables import scientific
    >>> print(scientific(1.25e-8), scientific(3.35e-4, 3))
    1.2 × 10⁻⁸ 3.35 × 10⁻⁴
    """
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa}{sep}10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def percent(value: float) -> str:
    """百分数，保留一位小数；NaN 写成「—」。

    Examples
    --------
    >>> from celoss.lab.tables import percent
    >>> print(percent(0.6804), percent(float("nan")))
    68.0% —
    """
    return "—" if math.isnan(value) else f"{100 * value:.1f}%"


def display_width(text: str) -> int:
    """等宽字体下的显示宽度：汉字等全角字符占两格。

    Examples
    --------
    >>> from celoss.lab.tables import display_width
    >>> display_width("z"), display_width("梯度")
    (1, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str | Cell]]) -> str:
    """右对齐的文字表：列间两个空格，按显示宽度（汉字算两格）对齐。

    Examples
    --------
    >>> from celoss.lab.tables import text_table
    >>> print(text_table(["z", "梯度"], [["-8", "0.0003"], ["0", "0.5"]]))
     z    梯度
    -8  0.0003
     0     0.5
    """
    lines = [list(header), *([str(c) for c in row] for row in rows)]
    widths = [max(display_width(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(" " * (w - display_width(cell)) + cell for cell, w in zip(row, widths, strict=True))
        for row in lines
    )


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str | Cell]]) -> str:
    """Markdown 表（管道表格）：一行表头、一行分隔、每行一条。

    Examples
    --------
    >>> from celoss.lab.tables import markdown_table
    >>> print(markdown_table(["损失", "步数"], [["MSE", "21"], ["交叉熵", "1"]]))
    | 损失 | 步数 |
    |---|---|
    | MSE | 21 |
    | 交叉熵 | 1 |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def html_table(header: Sequence[str], rows: Sequence[Sequence[str | Cell]], *, cell_style: str = NUMBER_CELL,
               head_style: str = NUMBER_HEAD, table_style: str = TABLE, kind: str | None = None,
               groups: Sequence[tuple[str, int]] = ()) -> str:
    """HTML 表：一行表头（可选再加一行分组表头），单元格是已经格式化好的字符串或 :class:`Cell`。

    ``groups`` 是 ``[(分组名, 跨几列), …]``，从第一列开始依次覆盖；分组名为空的列在两行表头中合并
    （``rowspan=2``）。``kind`` 写进 ``data-kind`` 属性，供页面的测试找到这张表。

    Examples
    --------
    >>> from celoss.lab.tables import html_table
    >>> html_table(["z"], [["1"]], cell_style="", head_style="", table_style="")
    '<table class="celoss-table table"><thead><tr><th>z</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
    """
    def style(s: str) -> str:
        return f' style="{s}"' if s else ""

    def td(c) -> str:
        if not isinstance(c, Cell):
            return f"<td{style(cell_style)}>{c}</td>"
        s = f"{cell_style}; {c.style}" if c.style and cell_style else (c.style or cell_style)
        extra = (f' title="{c.title}"' if c.title else "") + "".join(f' data-{k}="{v}"' for k, v in c.data)
        return f"<td{style(s)}{extra}>{c.text}</td>"

    if groups:
        top, second, col = [], [], 0
        for name, span in groups:
            if name:
                top.append(f'<th colspan="{span}" style="text-align: center; padding: 0.3rem">{name}</th>')
                second += [f"<th{style(head_style)}>{h}</th>" for h in header[col:col + span]]
            else:
                top += [f'<th rowspan="2"{style(head_style)}>{h}</th>' for h in header[col:col + span]]
            col += span
        head = f"<tr>{''.join(top)}</tr><tr>{''.join(second)}</tr>"
    else:
        head = "<tr>" + "".join(f"<th{style(head_style)}>{title}</th>" for title in header) + "</tr>"
    body = "".join("<tr>" + "".join(td(c) for c in row) + "</tr>" for row in rows)
    data = f' data-kind="{kind}"' if kind else ""
    return (f'<table class="celoss-table table"{data}{style(table_style)}>'
            f"<thead>{head}</thead><tbody>{body}</tbody></table>")


def scrollable(table_html: str) -> str:
    """把宽表格放进可以横向滚动的容器：手机上不撑破页面。

    Examples
    --------
    >>> from celoss.lab.tables import scrollable
    >>> scrollable("<table></table>")
    '<div class="celoss-table-scroll" tabindex="0" style="overflow-x: auto; max-width: 100%"><table></table></div>'
    """
    # tabindex: a keyboard reader can focus the box and scroll a wide table with the arrow keys
    return f'<div class="celoss-table-scroll" tabindex="0" style="overflow-x: auto; max-width: 100%">{table_html}</div>'
