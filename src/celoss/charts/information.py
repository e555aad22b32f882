"""第三章「信息论视角」的图：伯努利分布的熵，以及交叉熵 H(p, q) 与 KL 散度随 q 的变化。

初始数据由 :func:`celoss.entropy`、:func:`celoss.bce` （即伯努利交叉熵 H(p, q)）与
:func:`celoss.kl_divergence` 算出；「真实分布 p」滑块的 ``CustomJS`` （``js/cross_entropy_kl.js``）
在浏览器里用同样的公式重算，p = 0 与 p = 1 两端按 0·log 0 = 0 处理。
"""

from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, Legend, Range1d, Span

from celoss._checks import as_scalar
from celoss.information import entropy, kl_divergence
from celoss.losses import bce

from ._js import callback
from ._style import COLORS, SAMPLES, chart, dark, describe, new_figure, slider

__all__ = ["entropy_chart", "cross_entropy_kl_chart"]

def entropy_chart(n: int = SAMPLES + 1):
    """伯努利分布的熵 H(p) 随 p 的变化，分别以 nat（自然对数）和 bit（以 2 为底）为单位。

    Parameters
    ----------
    n : int
        采样点数（含两端 p = 0 与 p = 1）；默认取奇数，使 p = 1/2（熵最大，恰为 1 bit）落在网格上。

    Returns
    -------
    bokeh.plotting.figure
        一张图，两条曲线：nat 与 bit。

    Examples
    --------
    >>> from celoss.charts.information import entropy_chart
    >>> fig = entropy_chart()
    >>> data = fig.select_one({"name": "entropy-source"}).data
    >>> print(float(data["bits"].max()))
    1.0
    """
    p = np.linspace(0.0, 1.0, n)
    nats = entropy(p)
    source = ColumnDataSource({"p": p, "nats": nats, "bits": nats / np.log(2.0)}, name="entropy-source")
    fig = new_figure("p（取 1 的概率）", "熵 H(p)", y_range=(0, 1.05))
    fig.line("p", "bits", source=source, line_width=2.5, color=COLORS["sigmoid"], legend_label="单位 bit（log₂）")
    fig.line("p", "nats", source=source, line_width=2.5, color=COLORS["bce"], legend_label="单位 nat（ln）")
    fig.legend.location = "bottom_center"
    fig.legend.label_text_font_size = "12px"
    fig.legend.background_fill_alpha = 0.7
    return describe(fig, "伯努利分布的熵 H(p) 随 p 的变化，两条曲线分别以 bit 和 nat 为单位："
                         "p = 0 或 1 时熵为 0，p = 0.5 时最大（1 bit）。")


def cross_entropy_kl_chart(p: float = 0.3, n: int = SAMPLES):
    """固定真实分布 p 时，交叉熵 H(p, q)、熵 H(p) 与 KL 散度 D(p‖q) 随模型分布 q 的变化。

    H(p, q) 与 H(p) 之间的阴影就是 D(p‖q)；两条曲线都在 q = p 处取最小值（竖虚线）。
    「真实分布 p」滑块范围 0 到 1、步长 0.01，拖动时三条曲线与竖线在浏览器里重算。

    Parameters
    ----------
    p : float
        滑块的初始值，在 [0, 1] 内。
    n : int
        q 的采样点数：取 (0, 1) 内 n 个等分小区间的中点，不含两端（那里 H(p, q) 可以是无穷大）。

    Returns
    -------
    bokeh.layouts.column
        滑块在上、图在下的布局。

    Examples
    --------
    >>> from celoss.charts.information import cross_entropy_kl_chart
    >>> layout = cross_entropy_kl_chart()
    >>> slider, fig = layout.children
    >>> slider.start, slider.end, slider.step, slider.value
    (0.0, 1.0, 0.01, 0.3)
    """
    p = as_scalar(p, "p", 0.0, 1.0)
    q = (np.arange(n) + 0.5) / n
    h = entropy(p)
    source = ColumnDataSource(
        {"q": q, "cross": bce(p, q), "kl": kl_divergence(p, q), "ent": np.full(n, h)},
        name="cross-entropy-source",
    )
    fig = new_figure("q（模型认为取 1 的概率）", "信息量（nat）", y_range=Range1d(0, 3, bounds=(0, 10)))
    gap = fig.varea("q", "ent", "cross", source=source, fill_color=COLORS["accent"], fill_alpha=0.12)
    dark(gap.glyph, fill_alpha=0.3)  # 12 % of purple on the dark page is all but invisible
    cross = fig.line("q", "cross", source=source, line_width=2.5, color=COLORS["bce"])
    ent = fig.line("q", "ent", source=source, line_width=2, line_dash="dashed", color=COLORS["muted"])
    kl = fig.line("q", "kl", source=source, line_width=2.5, color=COLORS["accent"])
    argmin = Span(location=p, dimension="height", line_dash="dotted", line_width=2,
                  line_color=COLORS["sigmoid"], name="argmin-span")
    fig.add_layout(argmin)
    legend = Legend(
        items=[("交叉熵 H(p, q)", [cross]), ("熵 H(p)", [ent]), ("KL 散度 D(p‖q)", [kl]), ("两者之差 = KL", [gap])],
        location="top_center", label_text_font_size="12px", background_fill_alpha=0.7,
        spacing=0, padding=6,
    )
    fig.add_layout(legend)
    p_slider = slider(0.0, 1.0, 0.01, p, "真实分布 p", "p-slider",
                      label="真实分布 p（取 1 的概率，0 到 1），改变交叉熵、熵与 KL 散度的曲线")
    p_slider.js_on_change("value", callback("cross_entropy_kl", source=source))
    p_slider.js_link("value", argmin, "location")
    return chart(p_slider, fig, description=(
        "固定真实分布 p 时，交叉熵 H(p, q)（绿）、熵 H(p)（灰色虚线）与 KL 散度 D(p‖q)（紫）随模型分布 q "
        "的变化；交叉熵与熵之间的紫色阴影就是 KL 散度，两者都在 q = p（蓝色点线）处最小。滑块改变 p。"))
