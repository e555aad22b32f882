"""「多分类」一章的图：三个 logit 滑块下的 softmax 概率、交叉熵与两种梯度。

初始数据由 :func:`celoss.softmax`、:func:`celoss.cross_entropy`、:func:`celoss.cross_entropy_grad`
与 :func:`celoss.softmax_mse_grad` 算出；滑块与「真实类别」按钮的 ``CustomJS``
在浏览器里用同样的稳定公式重算（减去最大值、``log1p``、不做 1 − p 的相减），JS 放在模块级常量里。
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import column, row
from bokeh.models import (
    ColumnDataSource,
    CustomJS,
    Div,
    FixedTicker,
    LabelSet,
    RadioButtonGroup,
    Range1d,
    Slider,
    Span,
)
from bokeh.transform import dodge

from celoss.multiclass import cross_entropy, cross_entropy_grad, softmax
from celoss.multiclass import softmax_mse, softmax_mse_grad

from ._style import COLORS, legend_below, new_figure

__all__ = ["softmax_chart", "SOFTMAX_JS", "LOGIT_RANGE"]

#: 三个 logit 滑块的范围。
LOGIT_RANGE = (-8.0, 8.0)

#: 真实类别的柱子用强调色，其余类别用蓝色。
_TRUE_COLOR = COLORS["accent"]
_OTHER_COLOR = COLORS["sigmoid"]

#: 浏览器端重算：与 celoss.multiclass 的 _softmax_parts 相同的稳定写法
#: （减去最大值；最大项以外之和 S 用 log1p；1 − p_i 直接对其余各项求和），
#: 交叉熵梯度 p − onehot 与平方损失的梯度 p_i Σ_j p_j (d_i − d_j)。
SOFTMAX_JS = """
const z = sliders.map((s) => s.value);
const c = label.active;
const K = z.length;
let top = 0;
for (let j = 1; j < K; j++) if (z[j] > z[top]) top = j;
const m = z[top];
const e = z.map((v) => Math.exp(v - m));
let rest = 0;
for (let j = 0; j < K; j++) if (j !== top) rest += e[j];
const total = 1 + rest;
const p = e.map((v) => v / total);
const q = e.map((_, i) => {
  let s = 0;
  for (let j = 0; j < K; j++) if (j !== i) s += e[j];
  return s / total;
});
const d = p.map((v, i) => (i === c ? -q[i] : v));  // p − onehot(c)，真实类别上是 −(1 − p_c)
const mse_grad = p.map((pi, i) => {
  let s = 0;
  for (let j = 0; j < K; j++) s += p[j] * (d[i] - d[j]);
  return pi * s;
});
const ce = Math.log1p(rest) - (z[c] - m);  // −log p_c
let mse = 0;
for (let j = 0; j < K; j++) mse += 0.5 * d[j] * d[j];
const fmt = (v) => (v === 0 || Math.abs(v) >= 1e-3 ? v.toFixed(4) : v.toExponential(2));
source.data = {
  x: source.data.x,
  z: Float64Array.from(z),
  p: Float64Array.from(p),
  p_text: p.map((v) => fmt(v)),
  color: p.map((_, i) => (i === c ? true_color : other_color)),
  ce_grad: Float64Array.from(d),
  mse_grad: Float64Array.from(mse_grad),
};
readout.text = readout_template
  .replaceAll("{c}", String(c + 1))
  .replace("{p}", fmt(p[c]))
  .replace("{ce}", fmt(ce))
  .replace("{mse}", fmt(mse))
  .replace("{ce_grad}", fmt(d[c]))
  .replace("{mse_grad}", fmt(mse_grad[c]));
"""

#: 读数的模板：{c} 是真实类别（从 1 数起），其余是数值。
_READOUT = (
    "真实类别 {c}：p<sub>{c}</sub> = {p}，交叉熵 −log p<sub>{c}</sub> = {ce}，"
    "平方损失 ½‖p − t‖² = {mse}<br>"
    "对 z<sub>{c}</sub> 的梯度：交叉熵 {ce_grad}，平方损失 {mse_grad}"
)


def _fmt(value: float) -> str:
    """与 JS 的 ``fmt`` 相同：绝对值 ≥ 10⁻³ 时四位小数，否则两位有效数字的科学计数法。"""
    if value == 0 or abs(value) >= 1e-3:
        return f"{value:.4f}"
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _readout(c: int, p: float, ce: float, mse: float, ce_grad: float, mse_grad: float) -> str:
    text = _READOUT.replace("{c}", str(c + 1))
    for key, value in (("p", p), ("ce", ce), ("mse", mse), ("ce_grad", ce_grad), ("mse_grad", mse_grad)):
        text = text.replace("{" + key + "}", _fmt(value))
    return text


def _class_axis(fig) -> None:
    fig.xaxis.ticker = FixedTicker(ticks=[1, 2, 3])
    fig.xaxis.major_label_overrides = {1: "类别 1", 2: "类别 2", 3: "类别 3"}
    fig.xgrid.grid_line_alpha = 0.0


def softmax_chart(z=(2.0, 0.5, -1.0), label: int = 0, logit_range: tuple[float, float] = LOGIT_RANGE):
    """三个 logit 滑块（z₁、z₂、z₃）与「真实类别」按钮：softmax 概率、两种损失与两种梯度。

    上图是 softmax 概率（真实类别的柱子为紫色），下图是对每个 logit 的梯度：交叉熵的
    p − onehot 与 softmax 输出上平方损失的梯度并排；读数给出两种损失与真实类别上的两个梯度。
    拖动滑块或换真实类别时，数据在浏览器里重算。

    Parameters
    ----------
    z : sequence of 3 floats
        三个 logit 的初始值，默认 (2, 0.5, −1)。
    label : {0, 1, 2}
        初始的真实类别（从 0 数起；图上显示为类别 1、2、3）。
    logit_range : tuple of float
        滑块的范围，默认 :data:`LOGIT_RANGE`。

    Returns
    -------
    bokeh.layouts.column
        三个滑块、真实类别按钮、读数、概率图、梯度图。

    Raises
    ------
    ValueError
        ``z`` 不是三个数、超出滑块范围，或 ``label`` 不是 0、1、2。

    Examples
    --------
    >>> from celoss.charts.multiclass import softmax_chart
    >>> layout = softmax_chart()
    >>> [s.title for s in layout.children[:3]]
    ['z₁', 'z₂', 'z₃']
    >>> source = layout.select_one({"name": "mc-source"})
    >>> print([round(float(v), 4) for v in source.data["p"]])
    [0.7856, 0.1753, 0.0391]
    """
    z_arr = np.asarray(z, dtype=np.float64)
    if z_arr.shape != (3,):
        raise ValueError(f"z 必须是三个 logit，收到形状 {z_arr.shape}")
    low, high = float(logit_range[0]), float(logit_range[1])
    if not (low < high and np.all((z_arr >= low) & (z_arr <= high))):
        raise ValueError(f"z 必须在滑块范围 [{low:g}, {high:g}] 内，收到 {z_arr.tolist()}")
    if isinstance(label, bool) or label not in (0, 1, 2):
        raise ValueError(f"label 必须是 0、1 或 2（类别 1、2、3），收到 {label!r}")

    p = softmax(z_arr)
    ce_grad = cross_entropy_grad(label, z_arr)
    mse_grad = softmax_mse_grad(label, z_arr)
    source = ColumnDataSource({
        "x": np.array([1.0, 2.0, 3.0]),
        "z": z_arr,
        "p": p,
        "p_text": [_fmt(float(v)) for v in p],
        "color": [_TRUE_COLOR if i == label else _OTHER_COLOR for i in range(3)],
        "ce_grad": ce_grad,
        "mse_grad": mse_grad,
    }, name="mc-source")

    probs = new_figure("类别", "概率 p", title="softmax 概率（紫色：真实类别）", height=250,
                       x_range=Range1d(0.4, 3.6), y_range=Range1d(0, 1.15))
    probs.vbar(x="x", top="p", width=0.6, source=source, fill_color="color", line_color=None)
    probs.add_layout(LabelSet(x="x", y="p", text="p_text", source=source, y_offset=4, text_align="center",
                              text_font_size="12px"))
    _class_axis(probs)

    grads = new_figure("类别", "∂L/∂z", title="对每个 logit 的梯度", height=270,
                       x_range=probs.x_range, y_range=Range1d(-1.08, 1.08))
    grads.add_layout(Span(location=0, dimension="width", line_color=COLORS["muted"], line_width=1))
    grads.vbar(x=dodge("x", -0.17, range=grads.x_range), top="ce_grad", width=0.3, source=source,
               color=COLORS["bce"], legend_label="交叉熵")
    grads.vbar(x=dodge("x", 0.17, range=grads.x_range), top="mse_grad", width=0.3, source=source,
               color=COLORS["mse"], legend_label="平方损失")
    _class_axis(grads)
    legend_below(grads)

    sliders = [
        Slider(start=low, end=high, step=0.1, value=float(v), title=f"z{sub}", name=f"mc-z{i + 1}",
               sizing_mode="stretch_width")
        for i, (v, sub) in enumerate(zip(z_arr, "₁₂₃", strict=True))
    ]
    chooser = RadioButtonGroup(labels=["类别 1", "类别 2", "类别 3"], active=label, name="mc-label",
                               sizing_mode="stretch_width")
    readout = Div(text=_readout(label, float(p[label]), float(cross_entropy(label, z_arr)),
                                float(softmax_mse(label, z_arr)), float(ce_grad[label]), float(mse_grad[label])),
                  name="mc-readout", sizing_mode="stretch_width", styles={"font-size": "14px", "padding": "4px 0"})
    callback = CustomJS(
        args={"source": source, "sliders": sliders, "label": chooser, "readout": readout,
              "readout_template": _READOUT, "true_color": _TRUE_COLOR, "other_color": _OTHER_COLOR},
        code=SOFTMAX_JS,
    )
    for slider in sliders:
        slider.js_on_change("value", callback)
    chooser.js_on_change("active", callback)
    choose = row(Div(text="真实类别", styles={"font-size": "14px", "white-space": "nowrap"}, width=64),
                 chooser, sizing_mode="stretch_width")
    return column(*sliders, choose, readout, probs, grads, sizing_mode="stretch_width")
