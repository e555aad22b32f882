"""第二章「极大似然」的图：一个 0/1 样本的对数似然随预测概率 p 的变化。

样本是 n 个标签，其中 k 个为 1。初始曲线由 :func:`celoss.lab.likelihood.bernoulli_log_likelihood`
算出；「正类个数 k」滑块的 ``CustomJS`` （``js/log_likelihood.js``）在浏览器里按同一公式
k·log p + (n − k)·log(1 − p) 重算，并把极大值点 p* = k/n 标出来（载入页面时也由同一段 JS 写出标注）。
"""

from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, Div, Label, Range1d, Span

from celoss.lab.likelihood import bernoulli_log_likelihood

from ._js import callback
from ._style import COLORS, DARK_ACCENT, SAMPLES, chart, dark, new_figure, slider

__all__ = ["log_likelihood_chart"]

def _sample_labels(k: int, n: int) -> np.ndarray:
    """n 个 0/1 标签，前 k 个为 1（顺序不影响似然）。

    Examples
    --------
    >>> _sample_labels(2, 4)
    array([1., 1., 0., 0.])
    """
    if not 0 <= k <= n:
        raise ValueError(f"k 必须在 0 到 n = {n} 之间，收到 {k!r}")
    return (np.arange(n) < k).astype(np.float64)


def log_likelihood_chart(k: int = 7, n: int = 10, p_range: tuple[float, float] = (0.005, 0.995),
                         samples: int = SAMPLES):
    """n 个标签中有 n₁ 个为 1 时，常数模型的伯努利对数似然 log ℒ(q) 随预测概率 q 的曲线，带「正类个数 n₁」滑块。

    曲线在 q* = n₁/n（样本均值）处取得最大值，图中用竖线和圆点标出。记号见 :doc:`/notation`。

    Parameters
    ----------
    k : int
        滑块的初始值：样本中标签为 1 的个数 n₁。
    n : int
        样本大小（滑块范围 0 到 n）。
    p_range : tuple of float
        横轴 q 的范围（不含 0 和 1，那里对数似然可能是 −∞）。
    samples : int
        曲线的采样点数。

    Returns
    -------
    bokeh.layouts.column
        滑块、样本示意、图。

    Examples
    --------
    >>> from celoss.charts.likelihood import log_likelihood_chart
    >>> layout = log_likelihood_chart()
    >>> slider, sample, fig = layout.children
    >>> slider.start, slider.end, slider.step, slider.value
    (0, 10, 1, 7)
    >>> peak = layout.select_one({"name": "ll-peak"})
    >>> print(float(peak.data["p"][0]), round(float(peak.data["ll"][0]), 4))
    0.7 -6.1086
    """
    labels = _sample_labels(k, n)
    p = np.linspace(*p_range, samples)
    best = k / n
    source = ColumnDataSource({"p": p, "ll": bernoulli_log_likelihood(labels, p[:, None])}, name="ll-source")
    peak = ColumnDataSource({"p": np.array([best]), "ll": np.atleast_1d(bernoulli_log_likelihood(labels, best))},
                            name="ll-peak")

    fig = new_figure("预测概率 q", "对数似然 log ℒ(q)", title="样本的对数似然", height=320,
                     x_range=Range1d(0.0, 1.0), y_range=Range1d(-2.5 * n, 0.05 * n))
    span = Span(location=best, dimension="height", line_color=COLORS["accent"], line_dash="dashed", line_width=1.5)
    fig.add_layout(span)
    # text and side are written by js/log_likelihood.js when the page loads, as when the slider moves
    label = dark(Label(x=best, y=-2.4 * n, text="", text_font_size="13px", text_color=COLORS["accent"],
                       name="ll-label"), text_color=DARK_ACCENT)
    fig.add_layout(label)
    fig.line("p", "ll", source=source, line_width=2.5, color=COLORS["bce"])
    fig.scatter("p", "ll", source=peak, size=10, color=COLORS["accent"], line_color="white")

    sample = Div(text="样本：", sizing_mode="stretch_width", name="ll-sample", styles={"font-size": "15px"})
    k_slider = slider(0, n, 1, k, f"正类个数 n₁（共 n = {n} 个标签）", "k-slider",
                      label=f"正类个数 n₁（0 到 {n}），改变样本和对数似然曲线")
    update = callback("log_likelihood", source=source, peak=peak, span=span, label=label, sample=sample,
                      slider=k_slider, n=n)
    k_slider.js_on_change("value", update)
    return chart(k_slider, sample, fig, on_load=[update], description=(
        f"n = {n} 个 0/1 标签中有 n₁ 个为 1 时，伯努利对数似然 log ℒ(q) 随预测概率 q 的曲线；"
        "紫色虚线与圆点标出它的最大值点 q* = n₁/n。滑块改变 n₁。"))
