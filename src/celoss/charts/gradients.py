"""第一章「梯度」的图：两种损失与两种梯度随 z 的变化，以及对数坐标下的梯度大小。

初始数据由 :func:`celoss.mse`、:func:`celoss.bce_with_logits`、:func:`celoss.mse_grad`、
:func:`celoss.bce_grad` 算出；「y 真实值」滑块的 ``CustomJS`` （``js/loss_gradient.js``、``js/gradient_magnitude.js``）
在浏览器里用同样的稳定公式重算。灰色阴影是 sigmoid 的饱和区 σ(z)(1 − σ(z)) < 阈值，
边界由 :func:`celoss.lab.gradients.saturation_bound` 给出，与 y 无关。
"""

from __future__ import annotations

import numpy as np
from bokeh.models import BoxAnnotation, ColumnDataSource, Label, Range1d, Span

from celoss.activations import logit, sigmoid
from celoss.lab.gradients import saturation_bound
from celoss.losses import bce_grad, bce_with_logits, mse, mse_grad

from ._js import callback
from ._style import COLORS, DARK_ACCENT, SAMPLES, chart, dark, legend_below, new_figure, y_slider

__all__ = [
    "loss_gradient_chart",
    "gradient_magnitude_chart",
    "SATURATION_THRESHOLD",
    "LOG_FLOOR",
]

#: 饱和区的阈值：σ(z)(1 − σ(z)) 低于它（最大值 1/4 的 4%）的区域画成灰色。
SATURATION_THRESHOLD = 0.01

#: 对数坐标下 ``|∂ℓ/∂z|`` 的下限：恰好为 0 的梯度（σ(z) = y）画在这里，低于纵轴的可见范围。
LOG_FLOOR = 1e-12

def _with_zero(grid: np.ndarray, y: float) -> np.ndarray:
    """采样网格加上梯度恰为 0 的点 z = logit(y)（0 < y < 1 时），与 js/gradient_magnitude.js 相同。"""
    if not 0.0 < y < 1.0:
        return grid
    return np.unique(np.r_[grid, float(logit(y))])


def _shade_saturated(fig, bound: float, label_y: tuple[float, float]) -> None:
    """把 |z| > bound 的两段涂成灰色，并在每段里写「饱和区」。"""
    shade = {"fill_color": COLORS["muted"], "fill_alpha": 0.18, "line_alpha": 0.0}
    fig.add_layout(BoxAnnotation(right=-bound, **shade))
    fig.add_layout(BoxAnnotation(left=bound, **shade))
    for x, y, align in ((-bound, label_y[0], "right"), (bound, label_y[1], "left")):
        fig.add_layout(Label(x=x, y=y, text="饱和区", text_align=align, x_offset=-6 if align == "right" else 6,
                             text_font_size="12px", text_color="#666666"))



def loss_gradient_chart(y: float = 1.0, z_range: tuple[float, float] = (-10.0, 10.0), n: int = SAMPLES,
                        threshold: float = SATURATION_THRESHOLD):
    """两种损失（上图）与它们对 z 的梯度（下图），带一个「y 真实值」滑块。

    上图是 ½(y − σ(z))² 与交叉熵；下图是 (σ − y)σ(1 − σ) 与 σ − y。灰色阴影是饱和区
    σ(z)(1 − σ(z)) < ``threshold``。拖动滑块时两张图在浏览器里重算。

    Parameters
    ----------
    y : float
        滑块的初始真实值，默认 1。
    z_range : tuple of float
        横轴 z 的范围。
    n : int
        采样点数。
    threshold : float
        饱和区的阈值，默认 :data:`SATURATION_THRESHOLD`。

    Returns
    -------
    bokeh.layouts.column
        滑块、损失图、梯度图（两图共用横轴）。

    Examples
    --------
    >>> from celoss.charts.gradients import loss_gradient_chart
    >>> layout = loss_gradient_chart()
    >>> slider, losses, grads = layout.children
    >>> slider.title, slider.start, slider.end, slider.step, slider.format
    ('y 真实值', 0.0, 1.0, 0.01, '0.00')
    >>> sorted(layout.select_one({"name": "grad-source"}).data)
    ['bce', 'bce_grad', 'mse', 'mse_grad', 'z']
    """
    z = np.linspace(*z_range, n)
    source = ColumnDataSource({
        "z": z,
        "mse": mse(y, sigmoid(z)),
        "bce": bce_with_logits(y, z),
        "mse_grad": mse_grad(y, z),
        "bce_grad": bce_grad(y, z),
    }, name="grad-source")
    bound = float(saturation_bound(threshold))

    losses = new_figure("z", "损失 ℓ", title="两种损失", height=260, x_range=Range1d(*z_range))
    losses.line("z", "mse", source=source, line_width=2.5, color=COLORS["mse"], legend_label="MSE ½(y − σ)²")
    losses.line("z", "bce", source=source, line_width=2.5, color=COLORS["bce"], legend_label="交叉熵")
    losses.legend.location = "top_center"

    grads = new_figure("z", "∂ℓ/∂z", title="对 z 的梯度（灰色：饱和区）", height=260,
                       x_range=losses.x_range, y_range=Range1d(-1.08, 1.08))
    _shade_saturated(grads, bound, label_y=(0.45, -0.45))
    grads.add_layout(Span(location=0, dimension="width", line_color=COLORS["muted"], line_width=1))
    grads.line("z", "mse_grad", source=source, line_width=2.5, color=COLORS["mse"],
               legend_label="MSE (σ − y)σ(1 − σ)")
    grads.line("z", "bce_grad", source=source, line_width=2.5, color=COLORS["bce"], legend_label="交叉熵 σ − y")
    legend_below(grads)

    slider = y_slider(y, "grad-y-slider", changes="两种损失与梯度")
    slider.js_on_change("value", callback("loss_gradient", source=source))
    return chart(slider, losses, grads, description=(
        "上图：MSE 与交叉熵两种损失随 z 的变化；下图：它们对 z 的梯度，灰色阴影是 sigmoid 的饱和区。"
        "滑块改变真实值 y。在饱和区里 MSE 的梯度几乎为 0，交叉熵的梯度仍接近 ±1。"))


def gradient_magnitude_chart(y: float = 1.0, mark: float = -8.0, z_range: tuple[float, float] = (-10.0, 10.0),
                             n: int = SAMPLES, threshold: float = SATURATION_THRESHOLD):
    """对数纵轴上的梯度大小 ``|∂ℓ/∂z|``，带「y 真实值」滑块，并在 z = ``mark`` 处画竖线与两个点。

    对数坐标下两条曲线的竖直距离是 −log[σ(z)(1 − σ(z))]（只要 σ(z) ≠ y，与 y 无关）；
    σ(z) = y 时梯度恰为 0，画在 :data:`LOG_FLOOR`，位于纵轴可见范围之下。采样点是 ``z_range`` 上
    ``n`` 个等距点再加上这个零点 z = logit(y)（0 < y < 1 时），曲线在那里真的扎到底。

    Parameters
    ----------
    y : float
        滑块的初始真实值，默认 1。
    mark : float
        标出两种梯度的位置，默认 z = −8（模型很自信地答错）。
    z_range : tuple of float
        横轴 z 的范围。
    n : int
        采样点数。
    threshold : float
        饱和区的阈值。

    Returns
    -------
    bokeh.layouts.column
        滑块在上、图在下。

    Examples
    --------
    >>> from celoss.charts.gradients import gradient_magnitude_chart
    >>> layout = gradient_magnitude_chart()
    >>> slider, fig = layout.children
    >>> fig.y_scale.__class__.__name__
    'LogScale'
    >>> marks = layout.select_one({"name": "grad-log-marks"})
    >>> [float(v) for v in marks.data["z"]]
    [-8.0, -8.0]
    """
    grid = np.linspace(*z_range, n)
    z = _with_zero(grid, float(y))
    source = ColumnDataSource({
        "z": z,
        "mse_abs": np.maximum(np.abs(mse_grad(y, z)), LOG_FLOOR),
        "bce_abs": np.maximum(np.abs(bce_grad(y, z)), LOG_FLOOR),
    }, name="grad-log-source")
    marks = ColumnDataSource({
        "z": np.array([mark, mark]),
        "g": np.maximum(np.abs([float(mse_grad(y, mark)), float(bce_grad(y, mark))]), LOG_FLOOR),
        "color": [COLORS["mse"], COLORS["bce"]],
    }, name="grad-log-marks")
    bound = float(saturation_bound(threshold))

    fig = new_figure("z", "|∂ℓ/∂z|（对数坐标）", title="梯度的大小", height=340,
                     y_axis_type="log", x_range=Range1d(*z_range), y_range=Range1d(1e-9, 3.0))
    _shade_saturated(fig, bound, label_y=(1e-8, 1e-8))
    fig.add_layout(Span(location=mark, dimension="height", line_color=COLORS["accent"],
                        line_dash="dashed", line_width=1.5))
    fig.add_layout(dark(Label(x=mark, y=1e-6, text=f"z = {mark:g}".replace("-", "−"), x_offset=6,
                              text_font_size="12px", text_color=COLORS["accent"]), text_color=DARK_ACCENT))
    fig.line("z", "mse_abs", source=source, line_width=2.5, color=COLORS["mse"], legend_label="MSE")
    fig.line("z", "bce_abs", source=source, line_width=2.5, color=COLORS["bce"], legend_label="交叉熵")
    fig.scatter("z", "g", source=marks, size=9, color="color", line_color="white")
    legend_below(fig)

    slider = y_slider(y, "grad-log-y-slider", changes="梯度大小的曲线")
    slider.js_on_change("value", callback("gradient_magnitude", source=source, marks=marks, grid=grid,
                                          floor=LOG_FLOOR, mark=float(mark)))
    return chart(slider, fig, description=(
        f"对数纵轴上两种损失的梯度大小 |∂ℓ/∂z| 随 z 的变化，紫色虚线标出 z = {mark:g} 处的两个值。"
        "滑块改变真实值 y；在 σ(z) = y 处梯度为 0，曲线向下扎出图外。").replace("-", "−"))
