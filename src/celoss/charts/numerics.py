"""「数值稳定性」一章的图：朴素写法、截断写法与 celoss 的二元交叉熵随 z 的变化，可切换 float32 / float64。

所有数据都在 Python 里由 :mod:`celoss.lab.naive` 的朴素公式与 :func:`celoss.bce_with_logits`
算出（两种精度各一份）；按钮的 ``CustomJS`` 只在两份数据之间切换，不在浏览器里重算，
所以浏览器里看到的就是 numpy 在该精度下真正算出的数。
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, CustomJS, Div, FixedTicker, Label, RadioButtonGroup, Range1d, Span

from celoss.losses import bce_with_logits
from celoss.lab.naive import clipped_bce_from_logits, naive_bce_breakdown, naive_bce_from_logits

from ._style import COLORS, new_figure

__all__ = ["naive_vs_stable_chart", "SWITCH_DTYPE_JS", "DTYPES"]

#: 按钮的两种精度（顺序即按钮顺序）。
DTYPES = ("float32", "float64")

#: 每条曲线的 (列名前缀, 图例, 颜色, 线型)。
_CURVES = (
    ("celoss", "celoss bce_with_logits", COLORS["bce"], "solid"),
    ("naive", "朴素：先 σ(z) 再取 log", COLORS["mse"], "dashed"),
    ("clipped", "截断：σ(z) 夹在 [ε, 1 − ε]", COLORS["accent"], "dotted"),
)

#: 切换精度：把 store 里该精度的列拷进 source，并移动两条「失效点」竖线。
SWITCH_DTYPE_JS = """
const d = dtypes[toggle.active];
const s = store.data;
const data = {z: source.data.z};
for (const name of names) {
  data[name + "_small"] = s[name + "_small_" + d];
  data[name + "_big"] = s[name + "_big_" + d];
}
source.data = data;
for (const span of spans) span.location = breakdown[d];
for (const label of labels) {
  label.x = breakdown[d];
  label.text = "z = " + breakdown[d].toFixed(2);
}
"""


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

    上图是很有把握又答对的一侧：精确损失约为 e^(−z)，朴素写法在 σ(z) 舍入成 1 之后变成 NaN
    （线断开），截断写法停在约 ε。下图是很有把握却答错的一侧：精确损失约为 z，朴素写法
    变成 inf（线断开），截断写法被压在 −log ε。竖线标出 :func:`celoss.lab.naive.naive_bce_breakdown`。

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
    if dtype not in DTYPES:
        raise ValueError(f"dtype 必须是 {' 或 '.join(DTYPES)}，收到 {dtype!r}")
    z = np.linspace(*z_range, n)
    per_dtype = {d: _columns(z, d) for d in DTYPES}
    source = ColumnDataSource({"z": z, **per_dtype[dtype]}, name="ns-source")
    store = ColumnDataSource({f"{k}_{d}": v for d in DTYPES for k, v in per_dtype[d].items()}, name="ns-store")
    breakdown = {d: naive_bce_breakdown(d) for d in DTYPES}

    small = new_figure("z", "损失（对数坐标）", title="y = 1：答对了，精确损失 ≈ e^(−z)", height=300,
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
        label = Label(x=breakdown[dtype], y=label_y, text=f"z = {breakdown[dtype]:.2f}", x_offset=-6,
                      text_align="right", text_font_size="12px", text_color="#666666")
        fig.add_layout(label)
        spans.append(span)
        labels.append(label)
        legend = fig.legend[0]
        legend.orientation = "vertical"
        legend.location = "center"
        legend.label_text_font_size = "12px"
        fig.add_layout(legend, "below")

    toggle = RadioButtonGroup(labels=list(DTYPES), active=DTYPES.index(dtype), name="ns-dtype",
                              sizing_mode="stretch_width")
    toggle.js_on_change("active", CustomJS(
        args={"source": source, "store": store, "toggle": toggle, "dtypes": list(DTYPES),
              "names": [c[0] for c in _CURVES], "spans": spans, "labels": labels, "breakdown": breakdown},
        code=SWITCH_DTYPE_JS,
    ))
    choose = row(Div(text="精度", styles={"font-size": "14px", "white-space": "nowrap"}, width=48),
                 toggle, sizing_mode="stretch_width")
    return column(choose, small, big, sizing_mode="stretch_width")
