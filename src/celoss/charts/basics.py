"""原文（第一章）的四张图：sigmoid 曲线、带 y 滑块的 MSE 损失、y=1 与 y=0 的交叉熵。

每个函数返回一个 Bokeh 布局；初始数据由 celoss 的数学函数算出，
滑块的 ``CustomJS`` （``js/mse_loss.js``）在浏览器里用同一个公式重算。
"""

from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource

from celoss.activations import sigmoid
from celoss.losses import bce, mse

from ._js import callback
from ._style import COLORS, SAMPLES, chart, describe, new_figure, y_slider

__all__ = ["sigmoid_chart", "mse_loss_chart", "bce_chart"]

def sigmoid_chart(z_range: tuple[float, float] = (-10.0, 10.0), n: int = SAMPLES):
    """sigmoid 函数 σ(z) = 1 / (1 + e^(−z)) 的曲线。

    Parameters
    ----------
    z_range : tuple of float
        横轴 z 的范围，默认与原文相同的 [−10, 10]。
    n : int
        采样点数。

    Returns
    -------
    bokeh.plotting.figure
        一张图。

    Examples
    --------
    >>> from celoss.charts import sigmoid_chart
    >>> fig = sigmoid_chart()
    >>> len(fig.renderers[0].data_source.data["z"])
    200
    """
    z = np.linspace(*z_range, n)
    source = ColumnDataSource({"z": z, "s": sigmoid(z)})
    fig = new_figure("z", "σ(z)", y_range=(0, 1))
    fig.line("z", "s", source=source, line_width=2.5, color=COLORS["sigmoid"])
    return describe(fig, "sigmoid 函数 σ(z) 的曲线：z 从很负到很正时，σ(z) 从 0 平滑地升到 1，z = 0 处为 0.5。")


def mse_loss_chart(y: float = 1.0, z_range: tuple[float, float] = (-10.0, 10.0), n: int = SAMPLES):
    """MSE 损失 ½(y − σ(z))² 随 z 的变化，带一个「y 真实值」滑块。

    滑块范围 0 到 1、步长 0.01；拖动时曲线在浏览器里重算，不需要 Python。

    Parameters
    ----------
    y : float
        滑块的初始真实值，默认 1（与原文一致）。
    z_range : tuple of float
        横轴范围。原文只画 [−1, 1]，那里看不到饱和；默认改为 [−10, 10]。
    n : int
        采样点数。

    Returns
    -------
    bokeh.layouts.column
        滑块在上、图在下的布局。

    Examples
    --------
    >>> from celoss.charts import mse_loss_chart
    >>> layout = mse_loss_chart()
    >>> slider, fig = layout.children
    >>> slider.start, slider.end, slider.step, slider.value, slider.format
    (0.0, 1.0, 0.01, 1.0, '0.00')
    """
    z = np.linspace(*z_range, n)
    source = ColumnDataSource({"z": z, "loss": mse(y, sigmoid(z))}, name="mse-loss-source")
    fig = new_figure("z", "ℓ(y, ŷ)")
    fig.line("z", "loss", source=source, line_width=2.5, color=COLORS["mse"])
    slider = y_slider(y, "y-slider", changes="损失曲线")
    slider.js_on_change("value", callback("mse_loss", source=source))
    return chart(slider, fig, description=(
        "MSE 损失 ½(y − σ(z))² 随 z 变化的曲线，上方的滑块改变真实值 y。y = 1 时 z 很负处曲线"
        "是一片平台：预测错得很离谱，损失却几乎不再变化。"))


def bce_chart(y: int, y_hat_range: tuple[float, float] = (0.01, 0.99), n: int = SAMPLES):
    """真实标签 y 固定为 0 或 1 时，交叉熵 ℓ(y, ŷ) 随预测概率 ŷ 的变化。

    ``y = 1`` 时是 −log ŷ，``y = 0`` 时是 −log(1 − ŷ)。

    Parameters
    ----------
    y : {0, 1}
        真实标签。
    y_hat_range : tuple of float
        横轴 ŷ 的范围，默认与原文相同的 [0.01, 0.99]。
    n : int
        采样点数。

    Returns
    -------
    bokeh.plotting.figure
        一张图。

    Examples
    --------
    >>> from celoss.charts import bce_chart
    >>> fig = bce_chart(1)
    >>> fig.yaxis.axis_label
    'ℓ(1, ŷ)'
    """
    if y not in (0, 1):
        raise ValueError(f"y 必须是 0 或 1，收到 {y!r}")
    y_hat = np.linspace(*y_hat_range, n)
    source = ColumnDataSource({"y_hat": y_hat, "loss": bce(y, y_hat)})
    fig = new_figure("ŷ", f"ℓ({y}, ŷ)")
    fig.line("y_hat", "loss", source=source, line_width=2.5, color=COLORS[f"bce{y}"])
    toward = "0" if y == 1 else "1"
    return describe(fig, f"真实标签 y = {y} 时交叉熵随预测概率 ŷ 变化的曲线：ŷ 越接近 {y} 损失越接近 0，"
                         f"ŷ 越接近 {toward} 损失越大，没有上限。")
