"""「多分类」一章的图：三个 logit 滑块下的 softmax 概率、交叉熵与两种梯度。

初始数据由 :func:`celoss.softmax`、:func:`celoss.cross_entropy`、:func:`celoss.cross_entropy_grad`
与 :func:`celoss.softmax_mse_grad` 算出；滑块与「真实类别」按钮的 ``CustomJS``
（``js/softmax.js``）在浏览器里用同样的稳定公式重算（减去最大值、``log1p``、不做 1 − p 的相减），
读数与柱子上的数也由它写出（载入页面时运行一次）。
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import row
from bokeh.models import ColumnDataSource, Div, FixedTicker, LabelSet, Range1d, Span
from bokeh.transform import dodge

from celoss._checks import check_interval
from celoss.multiclass import cross_entropy_grad, softmax, softmax_mse_grad

from ._js import callback
from ._style import COLORS, buttons, chart, legend_below, new_figure, slider

__all__ = ["softmax_chart", "LOGIT_RANGE"]

#: 三个 logit 滑块的范围。
LOGIT_RANGE = (-8.0, 8.0)

#: 真实类别的柱子用强调色，其余类别用蓝色。
_TRUE_COLOR = COLORS["accent"]
_OTHER_COLOR = COLORS["sigmoid"]


def _class_axis(fig) -> None:
    fig.xaxis.ticker = FixedTicker(ticks=[1, 2, 3])
    fig.xaxis.major_label_overrides = {1: "类别 1", 2: "类别 2", 3: "类别 3"}
    fig.xgrid.grid_line_alpha = 0.0


def softmax_chart(z=(2.0, 0.5, -1.0), label: int = 0, logit_range: tuple[float, float] = LOGIT_RANGE):
    """三个 logit 滑块（z₁、z₂、z₃）与「真实类别」按钮：softmax 概率、两种损失与两种梯度。

    上图是 softmax 概率（真实类别的柱子为紫色），下图是对每个 logit 的梯度：交叉熵的
    ŷ − onehot(c) 与 softmax 输出上平方损失的梯度并排；读数给出两种损失与真实类别上的两个梯度。
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
    check_interval(z_arr, "z", low, high)
    if isinstance(label, bool) or label not in (0, 1, 2):
        raise ValueError(f"label 必须是 0、1 或 2（类别 1、2、3），收到 {label!r}")

    p = softmax(z_arr)
    ce_grad = cross_entropy_grad(label, z_arr)
    mse_grad = softmax_mse_grad(label, z_arr)
    source = ColumnDataSource({
        "x": np.array([1.0, 2.0, 3.0]),
        "z": z_arr,
        "p": p,
        "p_text": [""] * 3,  # written by js/softmax.js when the page loads
        "color": [_TRUE_COLOR if i == label else _OTHER_COLOR for i in range(3)],
        "ce_grad": ce_grad,
        "mse_grad": mse_grad,
    }, name="mc-source")

    probs = new_figure("类别", "预测概率 ŷₖ", title="softmax 概率（紫色：真实类别）", height=250,
                       x_range=Range1d(0.4, 3.6), y_range=Range1d(0, 1.15))
    probs.vbar(x="x", top="p", width=0.6, source=source, fill_color="color", line_color=None)
    probs.add_layout(LabelSet(x="x", y="p", text="p_text", source=source, y_offset=4, text_align="center",
                              text_font_size="12px"))
    _class_axis(probs)

    grads = new_figure("类别", "∂ℓ/∂zₖ", title="对每个 logit 的梯度", height=270,
                       x_range=probs.x_range, y_range=Range1d(-1.08, 1.08))
    grads.add_layout(Span(location=0, dimension="width", line_color=COLORS["muted"], line_width=1))
    grads.vbar(x=dodge("x", -0.17, range=grads.x_range), top="ce_grad", width=0.3, source=source,
               color=COLORS["bce"], legend_label="交叉熵")
    grads.vbar(x=dodge("x", 0.17, range=grads.x_range), top="mse_grad", width=0.3, source=source,
               color=COLORS["mse"], legend_label="平方损失")
    _class_axis(grads)
    legend_below(grads)

    sliders = [
        slider(low, high, 0.1, float(v), f"z{sub}", f"mc-z{i + 1}",
               label=f"类别 {i + 1} 的 logit z{sub}，改变三个类别的 softmax 概率与梯度")
        for i, (v, sub) in enumerate(zip(z_arr, "₁₂₃", strict=True))
    ]
    chooser = buttons(["类别 1", "类别 2", "类别 3"], label, "mc-label", label="真实类别")
    # the numbers are written by js/softmax.js when the page loads, as when a slider moves
    readout = Div(text="真实类别 …<br>对 z 的梯度 …", name="mc-readout", sizing_mode="stretch_width",
                  styles={"font-size": "14px", "padding": "4px 0"})
    update = callback("softmax", source=source, sliders=sliders, label=chooser, readout=readout,
                      true_color=_TRUE_COLOR, other_color=_OTHER_COLOR)
    for s in sliders:
        s.js_on_change("value", update)
    chooser.js_on_change("active", update)
    choose = row(Div(text="真实类别", styles={"font-size": "14px", "white-space": "nowrap"}, width=64),
                 chooser, sizing_mode="stretch_width")
    return chart(*sliders, choose, readout, probs, grads, on_load=[update], description=(
        "三个类别的 softmax：上图是三个 logit（由三个滑块设定）给出的概率，紫色柱子是真实类别（由按钮选择）；"
        "下图是交叉熵与平方损失对每个 logit 的梯度，并排比较。读数给出两种损失与真实类别上的两个梯度。"))
