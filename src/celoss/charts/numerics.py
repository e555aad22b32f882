"""「数值稳定性」一章的图：朴素写法、截断写法与 celoss 的二元交叉熵随 z 的变化，可切换 float32 / float64。

所有数据都在 Python 里由 :mod:`celoss.lab.naive` 的朴素公式与 :func:`celoss.bce_with_logits`
算出（两种精度各一份）；按钮的 ``CustomJS`` （``js/switch_dtype.js``）只在两份数据之间切换，
不在浏览器里重算，所以浏览器里看到的就是 numpy 在该精度下真正算出的数。
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import row
from bokeh.models import ColumnDataSource, Div, FixedTicker, Label, Range1d, Span

from celoss._checks import check_choice
from celoss.lab.naive import clipped_bce_from_logits, naive_bce_breakdown, naive_bce_from_logits
from celoss.losses import bce_with_logits

from ._js import callback
from ._style import COLORS, buttons, chart, legend_below, new_figure

__all__ = ["naive_vs_stable_chart", "DTYPES"]

#: 按钮的两种精度（顺序即按钮顺序）。
DTYPES = ("float32", "float64")

#: 每条曲线的 (列名前缀, 图例, 颜色, 线型)。
_CURVES = (
    ("celoss", "celoss bce_with_logits", COLORS["bce"], "solid"),
    ("naive", "朴素：先 σ(z) 再取 log", COLORS["mse"], "dashed"),
    ("clipped", "截断：σ(z) 夹在 [δ, 1 − δ]", COLORS["accent"], "dotted"),
)

def _plottable(values, log: bool) -> np.ndarray:
    """画图用的 float64：inf、NaN（对数坐标下还有 ≤ 0）换成 NaN，线在那里断开。"""
    out = np.asarray(values, dtype=np.float64).copy()
    bad = ~np.isfinite(out)
    if log:
        bad |= out <= 0
    out[bad] = np.nan
    return out


def _columns(z: np.ndarray, dtype: str) -> dict[str, np.ndarray]:
    """一种精度下三种写法在 y = 1（损失很小）与 y = 0（损失很大）两侧的值。"""
    z_dt = z.astype(dtype)
    small = {"celoss": bce_with_logits(1, z_dt), "naive": naive_bce_from_logits(1, z_dt),
             "clipped": clipped_bce_from_logits(1, z_dt)}
    big = {"celoss": bce_with_logits(0, z_dt), "naive": naive_bce_from_logits(0, z_dt),
           "clipped": clipped_bce_from_logits(0, z_dt)}
    cols = {}
    for name, _, _, _ in _CURVES:
        cols[f"{name}_small"] = _plottable(small[name], log=True)
        cols[f"{name}_big"] = _plottable(big[name], log=False)
    return cols


def naive_vs_stable_chart(dtype: str = "float32", z_range: tuple[float, float] = (0.0, 45.0), n: int = 451):
    """二元交叉熵的三种算法随 z 的变化：上图 y = 1（对数纵轴），下图 y = 0；按钮切换 float32 / float64。

    上图是很有把握又答对的一侧：精确损失约为 exp(−z)，朴素写法在 σ(z) 舍入成 1 之后变成 NaN
    （线断开），截断写法停在约 δ （把 σ(z) 截断到 [δ, 1 − δ]，δ 取机器精度）。
    下图是很有把握却答错的一侧：精确损失约为 z，朴素写法变成 inf（线断开），截断写法被压在 −log δ。
    竖线标出 :func:`celoss.lab.naive.naive_bce_breakdown`。

    Parameters
    ----------
    dtype : {"float32", "float64"}
        初始精度，默认 float32。
    z_range : tuple of float
        横轴 z 的范围，默认 [0, 45]。
    n : int
        采样点数。

    Returns
    -------
    bokeh.layouts.column
        精度按钮、上图、下图。

    Raises
    ------
    ValueError
        ``dtype`` 不是 "float32" 或 "float64"。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.charts.numerics import naive_vs_stable_chart
    >>> layout = naive_vs_stable_chart()
    >>> layout.select_one({"name": "ns-dtype"}).labels
    ['float32', 'float64']
    >>> source = layout.select_one({"name": "ns-source"})
    >>> print(float(np.nanmax(source.data["clipped_big"])) < 16)
    True
    """
    check_choice(dtype, "dtype", DTYPES)
    z = np.linspace(*z_range, n)
    per_dtype = {d: _columns(z, d) for d in DTYPES}
    source = ColumnDataSource({"z": z, **per_dtype[dtype]}, name="ns-source")
    store = ColumnDataSource({f"{k}_{d}": v for d in DTYPES for k, v in per_dtype[d].items()}, name="ns-store")
    breakdown = {d: naive_bce_breakdown(d) for d in DTYPES}

    small = new_figure("z", "损失（对数坐标）", title="y = 1：答对了，精确损失 ≈ exp(−z)", height=300,
                       y_axis_type="log", x_range=Range1d(*z_range), y_range=Range1d(1e-21, 10.0))
    small.yaxis.ticker = FixedTicker(ticks=[1.0, 1e-5, 1e-10, 1e-15, 1e-20])
    big = new_figure("z", "损失", title="y = 0：答错了，精确损失 ≈ z", height=300,
                     x_range=small.x_range, y_range=Range1d(0, z_range[1] * 1.05))
    spans, labels = [], []
    for fig, side, label_y in ((small, "small", 1e-19), (big, "big", z_range[1] * 0.9)):
        for name, legend, color, dash in _CURVES:
            # the exact curve is wide and pale, so that the dashed ones drawn over it stay visible
            wide = name == "celoss"
            fig.line("z", f"{name}_{side}", source=source, line_width=6 if wide else 2.5,
                     line_alpha=0.45 if wide else 1.0, color=color, line_dash=dash, legend_label=legend)
        span = Span(location=breakdown[dtype], dimension="height", line_color=COLORS["muted"],
                    line_dash="dashed", line_width=1.5)
        fig.add_layout(span)
        # the text is written by js/switch_dtype.js when the page loads, as when the buttons switch
        label = Label(x=breakdown[dtype], y=label_y, text="", x_offset=-6, text_align="right",
                      text_font_size="12px", text_color="#5a5a5a", name=f"ns-breakdown-{side}")
        fig.add_layout(label)
        spans.append(span)
        labels.append(label)
        legend_below(fig, orientation="vertical")

    toggle = buttons(list(DTYPES), DTYPES.index(dtype), "ns-dtype", label="浮点精度")
    switch = callback("switch_dtype", source=source, store=store, toggle=toggle, dtypes=list(DTYPES),
                      names=[c[0] for c in _CURVES], spans=spans, labels=labels, breakdown=breakdown)
    toggle.js_on_change("active", switch)
    choose = row(Div(text="精度", styles={"font-size": "14px", "white-space": "nowrap"}, width=48),
                 toggle, sizing_mode="stretch_width")
    return chart(choose, small, big, on_load=[switch], description=(
        "二元交叉熵的三种算法（celoss、朴素、截断）随 z 的变化，按钮切换 float32 与 float64。"
        "上图 y = 1（对数纵轴）：朴素写法在 σ(z) 舍入成 1 后变成 NaN，线断开；下图 y = 0：朴素写法变成 inf，"
        "截断写法被压在 −log δ。灰色竖线标出朴素写法失效的 z。"))
