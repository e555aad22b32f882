"""「变体」一章的图：标签平滑让最优 logit 变成有限值；Focal Loss 随 γ 压低容易样本的损失。

初始数据由 :func:`celoss.bce_with_logits`、:func:`celoss.bce_grad`、:func:`celoss.smooth_labels`、
:func:`celoss.entropy`、:func:`celoss.focal_loss` 与 :func:`celoss.focal_loss_grad` 算出；
滑块的 ``CustomJS`` 在浏览器里用同样的稳定公式重算（JS 放在模块级常量里）。
两张图都取真实标签 y = 1；y = 0 的情形把 z 换成 −z 即可。
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import column
from bokeh.models import ColumnDataSource, CustomJS, Range1d, Slider, Span

from celoss.information import entropy
from celoss.losses import bce_grad, bce_with_logits
from celoss.variants import focal_loss, focal_loss_grad, smooth_labels

from ._js import with_helpers
from ._style import COLORS, SAMPLES, legend_below, new_figure

__all__ = [
    "smoothing_chart",
    "focal_loss_chart",
    "FOCAL_MARK",
    "SMOOTHING_JS",
    "FOCAL_LOSS_JS",
    "focal_title",
]

#: Focal Loss 图的标题里比较 FL 与交叉熵的位置 p_t = 0.9（Lin 等，2017 的例子）。
FOCAL_MARK = 0.9

#: 滑块改变 ε 时重算平滑后的目标 ỹ = (1 − ε)·1 + ε/2、交叉熵 ℓ(ỹ, z)、梯度 σ(z) − ỹ，
#: 以及最优点 z* = log((1 − ε/2)/(ε/2))、最小值 H(ỹ)（ε = 0 时没有最优点：NaN，不画）。
SMOOTHING_JS = with_helpers("""
const eps = slider.value;
const t = (1 - eps) * 1 + eps / 2;  // celoss.smooth_labels(1, eps)
const z = source.data.z;
const n = z.length;
const ls = new Float64Array(n), ls_grad = new Float64Array(n);
for (let i = 0; i < n; i++) {
  ls[i] = bceWithLogits(t, z[i]);
  ls_grad[i] = bceGrad(t, z[i]);
}
source.data = {z, ce: source.data.ce, ce_grad: source.data.ce_grad, ls, ls_grad};
const h = eps / 2;
const zStar = eps > 0 ? Math.log1p(-h) - Math.log(h) : NaN;
const hStar = eps > 0 ? bceProb(t, t) : NaN;  // celoss.entropy(ỹ)
optimum.data = {z: Float64Array.from([zStar]), loss: Float64Array.from([hStar]), grad: Float64Array.from([0])};
""", "bceWithLogits", "bceGrad", "bceProb")

#: 滑块改变 γ 时重算 FL = σ(−z)^γ·(−log σ(z)) 与 −∂FL/∂z = σ(−z)^γ·(γ σ(z)(−log σ(z)) + σ(−z))，
#: 并改写标题里 p_t = 0.9 处 FL 与交叉熵之比（与 :func:`focal_title` 相同的格式）。
FOCAL_LOSS_JS = with_helpers("""
function focal(gamma, v) {
  const [s, u] = sigmoidPair(v);
  const lp = -logSigmoid(v);
  const m = Math.pow(u, gamma);
  return [m * lp, m * (gamma * s * lp + u)];
}
const gamma = slider.value;
const d = source.data;
const n = d.z.length;
const fl = new Float64Array(n), fl_push = new Float64Array(n);
for (let i = 0; i < n; i++) {
  [fl[i], fl_push[i]] = focal(gamma, d.z[i]);
}
source.data = {p: d.p, z: d.z, ce: d.ce, ce_push: d.ce_push, fl, fl_push};
const factor = -logSigmoid(markZ) / focal(gamma, markZ)[0];
const shown = factor < 10 ? factor.toFixed(2) : String(Math.round(factor));
title.text = "p_t = " + mark + " 处 FL 只有交叉熵的 1/" + shown;
""", "sigmoidPair", "logSigmoid")


def _logit(p: float) -> float:
    return float(np.log(p) - np.log1p(-p))


def focal_title(gamma: float, mark: float = FOCAL_MARK) -> str:
    """Focal Loss 图的标题：p_t = ``mark`` 处 FL 是交叉熵的几分之一（浏览器端用同样的格式改写）。

    标题要在 390 px 宽的手机上放得下，所以不重复滑块上已有的 γ。

    Examples
    --------
    >>> from celoss.charts.variants import focal_title
    >>> focal_title(2.0)
    'p_t = 0.9 处 FL 只有交叉熵的 1/100'
    >>> focal_title(0.5)
    'p_t = 0.9 处 FL 只有交叉熵的 1/3.16'
    """
    z = _logit(mark)
    factor = float(bce_with_logits(1, z) / focal_loss(1, z, gamma=gamma))
    shown = f"{factor:.2f}" if factor < 10 else str(int(np.floor(factor + 0.5)))
    return f"p_t = {mark:g} 处 FL 只有交叉熵的 1/{shown}"


def _smoothing_optimum(eps: float) -> dict[str, np.ndarray]:
    """平滑后损失的最小点 z* = log((1 − ε/2)/(ε/2)) 与最小值 H(ỹ)；ε = 0 时为 NaN。"""
    if eps == 0:
        return {"z": np.array([np.nan]), "loss": np.array([np.nan]), "grad": np.array([0.0])}
    h = eps / 2
    return {
        "z": np.array([np.log1p(-h) - np.log(h)]),
        "loss": np.array([float(entropy(smooth_labels(1.0, eps)))]),
        "grad": np.array([0.0]),
    }



def smoothing_chart(eps: float = 0.1, z_range: tuple[float, float] = (-2.0, 12.0), n: int = SAMPLES):
    r"""标签平滑：y = 1 时交叉熵（上图）与它对 z 的梯度（下图），带一个 ε 滑块。

    灰线是不平滑的 :math:`-\log\sigma(z)` 与 :math:`\sigma(z) - 1`：损失一路下降、梯度
    永远小于 0，最优 logit 在无穷远。彩色线是目标换成 :math:`\tilde y = 1 - \varepsilon/2`
    之后的 :math:`\ell(\tilde y, z)` 与 :math:`\sigma(z) - \tilde y`：梯度在
    :math:`z^* = \log\frac{1 - \varepsilon/2}{\varepsilon/2}` 处为 0，损失在那里取最小值
    :math:`H(\tilde y)`\ （紫色点）。

    Parameters
    ----------
    eps : float
        滑块的初始平滑系数，在 [0, 0.5] 内，默认 0.1。
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
    if not 0.0 <= eps <= 0.5:
        raise ValueError(f"eps 必须在 [0, 0.5] 区间内，收到 {eps!r}")
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

    slider = Slider(start=0.0, end=0.5, step=0.01, value=float(eps), title="ε（标签平滑系数）", format="0.00",
                    sizing_mode="stretch_width", name="smooth-eps-slider")
    slider.js_on_change("value", CustomJS(args={"source": source, "optimum": optimum, "slider": slider},
                                          code=SMOOTHING_JS))
    return column(slider, losses, grads, sizing_mode="stretch_width")


def focal_loss_chart(gamma: float = 2.0, p_range: tuple[float, float] = (0.005, 0.995), n: int = SAMPLES):
    r"""Focal Loss 随真实类别概率 :math:`p_t` 的变化（上图）与它对 logit 的梯度（下图），带 γ 滑块。

    上图是 :math:`\mathrm{FL}(p_t) = -(1 - p_t)^\gamma \log p_t` （彩色）与交叉熵
    :math:`-\log p_t` （灰色，即 :math:`\gamma = 0`）；下图是把 :math:`p_t` 推向 1 的梯度
    :math:`-\partial\mathrm{FL}/\partial z_t` 与交叉熵的 :math:`1 - p_t` （γ > 0 时，
    :math:`p_t` 较小的一段 FL 的梯度比交叉熵还大，纵轴画到 1.4）。这里
    :math:`z_t` 是真实类别的 logit（y = 1 时就是 z）。标题写出 :math:`p_t = 0.9` 处
    FL 是交叉熵的几分之一，拖动滑块时随之改变。滑块范围 0 到 5、步长 0.1。

    Parameters
    ----------
    gamma : float
        滑块的初始 γ，在 [0, 5] 内，默认 2（论文的推荐值）。
    p_range : tuple of float
        横轴 :math:`p_t` 的范围，在 (0, 1) 内。
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
    >>> losses.title.text
    'p_t = 0.9 处 FL 只有交叉熵的 1/100'
    """
    if not 0.0 <= gamma <= 5.0:
        raise ValueError(f"gamma 必须在 [0, 5] 区间内，收到 {gamma!r}")
    p = np.linspace(*p_range, n)
    z = np.log(p) - np.log1p(-p)  # 真实类别的 logit z_t，使 σ(z_t) = p_t
    source = ColumnDataSource({
        "p": p,
        "z": z,
        "ce": bce_with_logits(1.0, z),
        "ce_push": -bce_grad(1.0, z),
        "fl": focal_loss(1.0, z, gamma=gamma),
        "fl_push": -focal_loss_grad(1.0, z, gamma=gamma),
    }, name="focal-source")

    losses = new_figure("p_t（真实类别的预测概率）", "损失", title=focal_title(gamma), height=280,
                        x_range=Range1d(0.0, 1.0), y_range=Range1d(0.0, 5.0))
    losses.title.name = "focal-title"
    mark = Span(location=FOCAL_MARK, dimension="height", line_color=COLORS["accent"], line_dash="dashed",
                line_width=1.5)
    losses.add_layout(mark)
    losses.line("p", "ce", source=source, line_width=2, color=COLORS["muted"], legend_label="交叉熵")
    losses.line("p", "fl", source=source, line_width=2.5, color=COLORS["accent"], legend_label="Focal Loss")
    legend_below(losses)

    grads = new_figure("p_t（真实类别的预测概率）", "−∂L/∂z_t", title="把 p_t 推向 1 的梯度", height=240,
                       x_range=losses.x_range, y_range=Range1d(0.0, 1.4))
    grads.add_layout(Span(location=FOCAL_MARK, dimension="height", line_color=COLORS["accent"],
                          line_dash="dashed", line_width=1.5))
    grads.line("p", "ce_push", source=source, line_width=2, color=COLORS["muted"], legend_label="交叉熵 1 − p_t")
    grads.line("p", "fl_push", source=source, line_width=2.5, color=COLORS["accent"], legend_label="Focal Loss")
    legend_below(grads)

    slider = Slider(start=0.0, end=5.0, step=0.1, value=float(gamma), title="γ（聚焦参数）", format="0.0",
                    sizing_mode="stretch_width", name="focal-gamma-slider")
    slider.js_on_change("value", CustomJS(
        args={"source": source, "slider": slider, "title": losses.title, "mark": FOCAL_MARK,
              "markZ": _logit(FOCAL_MARK)},
        code=FOCAL_LOSS_JS,
    ))
    return column(slider, losses, grads, sizing_mode="stretch_width")
