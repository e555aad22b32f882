"""「变体」一章的图：标签平滑让最优 logit 变成有限值；Focal Loss 随 γ 压低容易样本的损失。

初始数据由 :func:`celoss.bce_with_logits`、:func:`celoss.bce_grad`、:func:`celoss.smooth_labels`、
:func:`celoss.entropy`、:func:`celoss.focal_loss` 与 :func:`celoss.focal_loss_grad` 算出；
滑块的 ``CustomJS`` （``js/smoothing.js``、``js/focal_loss.js``）在浏览器里用同样的稳定公式重算，
Focal Loss 图的标题也由它写出（载入页面时运行一次）。
两张图都取真实标签 y = 1；y = 0 的情形把 z 换成 −z 即可。
"""

from __future__ import annotations

import numpy as np
from bokeh.models import ColumnDataSource, Range1d, Span

from celoss._checks import as_scalar
from celoss.activations import logit
from celoss.information import entropy
from celoss.losses import bce_grad, bce_with_logits
from celoss.variants import focal_loss, focal_loss_grad, smooth_labels

from ._js import callback
from ._style import COLORS, SAMPLES, chart, legend_below, new_figure, slider

__all__ = ["smoothing_chart", "focal_loss_chart", "FOCAL_MARK"]

#: Focal Loss 图的标题在真实类别的概率 qₜ 为 0.9 处比较 FL 与交叉熵（Lin 等，2017 的例子）。
FOCAL_MARK = 0.9

def _smoothing_optimum(eps: float) -> dict[str, np.ndarray]:
    """平滑后损失的最小点 z* = logit(ỹ) 与最小值 H(ỹ)；εₗₛ = 0 时没有最小点（NaN，不画）。"""
    if eps == 0:
        return {"z": np.array([np.nan]), "loss": np.array([np.nan]), "grad": np.array([0.0])}
    target = smooth_labels(1.0, eps)
    return {"z": np.atleast_1d(logit(target)), "loss": np.atleast_1d(entropy(target)), "grad": np.array([0.0])}


def smoothing_chart(eps: float = 0.1, z_range: tuple[float, float] = (-2.0, 12.0), n: int = SAMPLES):
    r"""标签平滑：y = 1 时交叉熵（上图）与它对 z 的梯度（下图），带一个平滑系数 εₗₛ 滑块。

    灰线是不平滑的 :math:`-\log\sigma(z)` 与 :math:`\sigma(z) - 1`：损失一路下降、梯度
    永远小于 0，最优 logit 在无穷远。彩色线是目标换成 :math:`\tilde y = 1 - \varepsilon_{\mathrm{ls}}/2`
    之后的 :math:`\ell(\tilde y, z)` 与 :math:`\sigma(z) - \tilde y`：梯度在
    :math:`z^* = \log\frac{1 - \varepsilon_{\mathrm{ls}}/2}{\varepsilon_{\mathrm{ls}}/2}` 处为 0，损失在那里取最小值
    :math:`H(\tilde y)`\ （紫色点）。

    Parameters
    ----------
    eps : float
        滑块的初始平滑系数 :math:`\varepsilon_{\mathrm{ls}}`，在 [0, 0.5] 内，默认 0.1。
    z_range : tuple of float
        横轴 z 的范围。
    n : int
        采样点数。

    Returns
    -------
    bokeh.layouts.column
        滑块、损失图、梯度图（两图共用横轴）。

    Examples
    --------
    >>> from celoss.charts.variants import smoothing_chart
    >>> layout = smoothing_chart()
    >>> slider, losses, grads = layout.children
    >>> slider.start, slider.end, slider.step, slider.value
    (0.0, 0.5, 0.01, 0.1)
    >>> optimum = layout.select_one({"name": "smooth-optimum"})
    >>> print(round(float(optimum.data["z"][0]), 4))  # log 19
    2.9444
    """
    eps = as_scalar(eps, "eps", 0.0, 0.5)
    z = np.linspace(*z_range, n)
    target = smooth_labels(1.0, eps)
    source = ColumnDataSource({
        "z": z,
        "ce": bce_with_logits(1.0, z),
        "ce_grad": bce_grad(1.0, z),
        "ls": bce_with_logits(target, z),
        "ls_grad": bce_grad(target, z),
    }, name="smooth-source")
    optimum = ColumnDataSource(_smoothing_optimum(eps), name="smooth-optimum")

    losses = new_figure("z", "损失", title="y = 1 时的交叉熵", height=260, x_range=Range1d(*z_range),
                        y_range=Range1d(0.0, 2.2))
    losses.line("z", "ce", source=source, line_width=2, color=COLORS["muted"], legend_label="−log σ(z)")
    losses.line("z", "ls", source=source, line_width=2.5, color=COLORS["bce"], legend_label="平滑后 ℓ(ỹ, z)")
    losses.scatter("z", "loss", source=optimum, size=10, color=COLORS["accent"], line_color="white",
                   legend_label="最小点")
    legend_below(losses)

    grads = new_figure("z", "∂ℓ/∂z", title="对 z 的梯度", height=240, x_range=losses.x_range,
                       y_range=Range1d(-0.95, 0.3))
    grads.add_layout(Span(location=0, dimension="width", line_color=COLORS["muted"], line_width=1))
    grads.line("z", "ce_grad", source=source, line_width=2, color=COLORS["muted"], legend_label="σ(z) − 1")
    grads.line("z", "ls_grad", source=source, line_width=2.5, color=COLORS["bce"], legend_label="σ(z) − ỹ")
    grads.scatter("z", "grad", source=optimum, size=10, color=COLORS["accent"], line_color="white")
    legend_below(grads)

    eps_slider = slider(0.0, 0.5, 0.01, eps, "εₗₛ（标签平滑系数）", "smooth-eps-slider",
                        label="标签平滑系数 εₗₛ（0 到 0.5），改变平滑后的损失曲线、梯度曲线和最小点")
    eps_slider.js_on_change("value", callback("smoothing", source=source, optimum=optimum))
    return chart(eps_slider, losses, grads, description=(
        "标签平滑：上图是 y = 1 时不平滑的交叉熵（灰）与平滑后的交叉熵（绿），下图是它们对 z 的梯度。"
        "平滑后梯度在有限的 z* 处为 0，损失在那里取最小值（紫色点）。滑块改变平滑系数 εₗₛ。"))


def focal_loss_chart(gamma: float = 2.0, p_range: tuple[float, float] = (0.005, 0.995), n: int = SAMPLES):
    r"""Focal Loss 随真实类别概率 :math:`q_{\mathrm{t}}` 的变化（上图）与它对 logit 的梯度（下图），带 γ 滑块。

    上图是 :math:`\mathrm{FL}(q_{\mathrm{t}}) = -(1 - q_{\mathrm{t}})^\gamma \log q_{\mathrm{t}}` （彩色）与交叉熵
    :math:`-\log q_{\mathrm{t}}` （灰色，即 :math:`\gamma = 0`）；下图是把 :math:`q_{\mathrm{t}}` 推向 1 的梯度
    :math:`-\partial\mathrm{FL}/\partial z_{\mathrm{t}}` 与交叉熵的 :math:`1 - q_{\mathrm{t}}` （γ > 0 时，
    :math:`q_{\mathrm{t}}` 较小的一段 FL 的梯度比交叉熵还大，纵轴画到 1.4）。这里
    :math:`z_{\mathrm{t}}` 是真实类别的 logit（y = 1 时就是 z）；记号见 :doc:`/notation`，
    Lin 等的论文把 :math:`q_{\mathrm{t}}` 记作 :math:`p_t`。标题写出 :math:`q_{\mathrm{t}} = 0.9` 处
    FL 是交叉熵的几分之一，拖动滑块时随之改变。滑块范围 0 到 5、步长 0.1。

    Parameters
    ----------
    gamma : float
        滑块的初始 γ，在 [0, 5] 内，默认 2（论文的推荐值）。
    p_range : tuple of float
        横轴 :math:`q_{\mathrm{t}}` 的范围，在 (0, 1) 内。
    n : int
        采样点数。

    Returns
    -------
    bokeh.layouts.column
        滑块、损失图、梯度图（两图共用横轴）。

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He, P. Dollár, "Focal Loss for Dense
           Object Detection", ICCV 2017, Figure 1.

    Examples
    --------
    >>> from celoss.charts.variants import focal_loss_chart
    >>> layout = focal_loss_chart()
    >>> slider, losses, grads = layout.children
    >>> slider.start, slider.end, slider.step, slider.value
    (0.0, 5.0, 0.1, 2.0)
    >>> slider.format, slider.tooltips
    ('0.0', False)
    """
    gamma = as_scalar(gamma, "gamma", 0.0, 5.0)
    p = np.linspace(*p_range, n)
    z = logit(p)  # 真实类别的 logit zₜ，使 σ(zₜ) = qₜ
    source = ColumnDataSource({
        "p": p,
        "z": z,
        "ce": bce_with_logits(1.0, z),
        "ce_push": -bce_grad(1.0, z),
        "fl": focal_loss(1.0, z, gamma=gamma),
        "fl_push": -focal_loss_grad(1.0, z, gamma=gamma),
    }, name="focal-source")

    # the title is written by js/focal_loss.js when the page loads, as when the slider moves
    losses = new_figure("qₜ（真实类别的预测概率）", "损失", title="Focal Loss 与交叉熵", height=280,
                        x_range=Range1d(0.0, 1.0), y_range=Range1d(0.0, 5.0))
    losses.title.name = "focal-title"
    mark = Span(location=FOCAL_MARK, dimension="height", line_color=COLORS["accent"], line_dash="dashed",
                line_width=1.5)
    losses.add_layout(mark)
    losses.line("p", "ce", source=source, line_width=2, color=COLORS["muted"], legend_label="交叉熵")
    losses.line("p", "fl", source=source, line_width=2.5, color=COLORS["accent"], legend_label="Focal Loss")
    legend_below(losses)

    grads = new_figure("qₜ（真实类别的预测概率）", "−∂ℓ/∂zₜ", title="把 qₜ 推向 1 的梯度", height=240,
                       x_range=losses.x_range, y_range=Range1d(0.0, 1.4))
    grads.add_layout(Span(location=FOCAL_MARK, dimension="height", line_color=COLORS["accent"],
                          line_dash="dashed", line_width=1.5))
    grads.line("p", "ce_push", source=source, line_width=2, color=COLORS["muted"], legend_label="交叉熵 1 − qₜ")
    grads.line("p", "fl_push", source=source, line_width=2.5, color=COLORS["accent"], legend_label="Focal Loss")
    legend_below(grads)

    gamma_slider = slider(0.0, 5.0, 0.1, gamma, "γ（聚焦参数）", "focal-gamma-slider",
                          label="聚焦参数 γ（0 到 5），改变 Focal Loss 的损失曲线与梯度曲线")
    update = callback("focal_loss", source=source, slider=gamma_slider, title=losses.title, mark=FOCAL_MARK)
    gamma_slider.js_on_change("value", update)
    return chart(gamma_slider, losses, grads, on_load=[update], description=(
        "Focal Loss：上图是 Focal Loss（紫）与交叉熵（灰）随真实类别概率 qₜ 的变化，下图是把 qₜ 推向 1 的梯度；"
        f"虚线标出 qₜ = {FOCAL_MARK:g}，标题写出那里 Focal Loss 是交叉熵的几分之一。滑块改变 γ。"))
