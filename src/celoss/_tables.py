"""结果表格的两种显示：终端里的等宽文字表，Jupyter 与本书页面里的 HTML 表。

:mod:`celoss.analysis`、:mod:`celoss.experiments` 与 :mod:`celoss.numerics` 的结果对象
（``GradientTable``、``PosWeightStudy``、``StabilityTable`` ……）都用这里的函数实现
``__str__`` 与 ``_repr_html_``，所以三处的表格长得一样。
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["display_width", "text_table", "html_table", "scrollable"]

#: 数字列的单元格：右对齐，数字不在中间折行。
NUMBER_CELL = "text-align: right; white-space: nowrap"
#: 表头：右对齐（与数字对齐），可以折行。
NUMBER_HEAD = "text-align: right"
#: 表格本身：等宽数字，列与列的数字对齐。
TABLE = "font-variant-numeric: tabular-nums"


def display_width(text: str) -> int:
    """等宽字体下的显示宽度：汉字等全角字符占两格。

    Examples
    --------
    >>> display_width("z"), display_width("梯度")
    (1, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """右对齐的文字表：列间两个空格，按显示宽度（汉字算两格）对齐。

    Examples
    --------
    >>> print(text_table(["z", "梯度"], [["-8", "0.0003"], ["0", "0.5"]]))
     z    梯度
    -8  0.0003
     0     0.5
    """
    lines = [list(header), *map(list, rows)]
    widths = [max(display_width(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(" " * (w - display_width(cell)) + cell for cell, w in zip(row, widths, strict=True))
        for row in lines
    )


def html_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, cell_style: str = NUMBER_CELL,
               head_style: str = NUMBER_HEAD, table_style: str = TABLE, kind: str | None = None) -> str:
    """HTML 表：一行表头，单元格是已经格式化好的字符串。

    ``kind`` 写进 ``data-kind`` 属性，供页面的测试找到这张表。

    Examples
    --------
    >>> html_table(["z"], [["1"]], cell_style="", head_style="", table_style="")
    '<table class="celoss-table table"><thead><tr><th>z</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
    """
    def style(s: str) -> str:
        return f' style="{s}"' if s else ""

    head = "".join(f"<th{style(head_style)}>{title}</th>" for title in header)
    body = "".join("<tr>" + "".join(f"<td{style(cell_style)}>{c}</td>" for c in row) + "</tr>" for row in rows)
    data = f' data-kind="{kind}"' if kind else ""
    return (f'<table class="celoss-table table"{data}{style(table_style)}>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def scrollable(table_html: str) -> str:
    """把宽表格放进可以横向滚动的容器：手机上不撑破页面。

    Examples
    --------
    >>> scrollable("<table></table>")
    '<div class="celoss-table-scroll" style="overflow-x: auto; max-width: 100%"><table></table></div>'
    """
    return f'<div class="celoss-table-scroll" style="overflow-x: auto; max-width: 100%">{table_html}</div>'
