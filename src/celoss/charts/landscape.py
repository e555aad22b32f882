"""第四章「凸性与损失曲面」的图：一维逻辑回归的损失随 w 的变化、切线、二阶导数与 (w, b) 曲面。

所有数据由 :mod:`celoss.lab.convexity` 算出（数据集是 :func:`celoss.lab.convexity.logistic_data`）。
「权重 w」滑块的 ``CustomJS`` （``js/tangent.js``）在浏览器里用同样的稳定公式重算 w 处的损失
与导数，画出两条损失曲线在该点的切线，并写出读数（载入页面时也由同一段 JS 写出）。
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from bokeh.models import BoxAnnotation, ColumnDataSource, Div, FixedTicker, NumeralTickFormatter, Range1d, Span
from bokeh.palettes import Viridis256

from celoss.activations import sigmoid
from celoss.lab.convexity import (
    logistic_data,
    mean_bce,
    mean_bce_d2w,
    mean_bce_dw,
    mean_mse,
    mean_mse_d2w,
    mean_mse_dw,
)

from ._js import callback
from ._style import COLORS, chart, dark, describe, legend_below, new_figure, slider

__all__ = ["tangent_chart", "curvature_chart", "surface_chart", "TANGENT_HALF_WIDTH"]

#: 切线画在 [w − 此值, w + 此值] 上。
TANGENT_HALF_WIDTH = 2.0

def _tangent_panel(name: str, label: str, w_grid, curve, w0, loss0, slope0, color, x_range, y_range):
    """一条损失曲线、w0 处的点与切线；返回 (figure, 切线数据源, 点数据源)。"""
    fig = new_figure("权重 w", label, height=240, x_range=x_range, y_range=y_range, name=f"{name}-figure")
    fig.line(w_grid, curve, line_width=2.5, color=color)
    ends = np.array([w0 - TANGENT_HALF_WIDTH, w0 + TANGENT_HALF_WIDTH])
    tangent = ColumnDataSource({"w": ends, "loss": loss0 + slope0 * (ends - w0)}, name=f"{name}-tangent-source")
    point = ColumnDataSource({"w": np.array([w0]), "loss": np.array([loss0]), "slope": np.array([slope0])},
                             name=f"{name}-point-source")
    fig.line("w", "loss", source=tangent, line_width=3, line_alpha=0.85, color=COLORS["accent"])
    fig.scatter("w", "loss", source=point, size=11, color=COLORS["accent"])
    return fig, tangent, point


def tangent_chart(w: float = -4.0, w_range: tuple[float, float] = (-6.0, 6.0), b: float = 0.0, n: int = 241):
    """带「权重 w」滑块的三联图：数据与模型 σ(w·x + b)、平均 MSE 及其切线、平均交叉熵及其切线。

    切线的斜率就是该处的导数 :func:`celoss.lab.convexity.mean_mse_dw` 与
    :func:`celoss.lab.convexity.mean_bce_dw`，图上方的文字给出两者的数值。

    Parameters
    ----------
    w : float
        滑块的初始权重。默认 −4：模型把大多数样本判反，MSE 停在平台上。
    w_range : tuple of float
        横轴与滑块的范围。
    b : float
        固定的偏置。
    n : int
        损失曲线的采样点数。

    Returns
    -------
    bokeh.layouts.column
        滑块、读数、三张图自上而下排列。

    Examples
    --------
    >>> from celoss.charts.landscape import tangent_chart
    >>> layout = tangent_chart()
    >>> slider, readout, data_fig, mse_fig, bce_fig = layout.children
    >>> slider.start, slider.end, slider.step, slider.value, slider.format
    (-6.0, 6.0, 0.05, -4.0, '0.00')
    """
    w0, b = float(w), float(b)
    x, y = logistic_data()
    w_grid = np.linspace(*w_range, n)

    data_fig = new_figure("特征 x", "ŷ = σ(w·x + b)", height=260, y_range=(-0.08, 1.08))
    data_fig.scatter(x, y, size=9, color=COLORS["bce0"], legend_label="样本 (x, y)")
    xs = np.linspace(x.min() - 0.5, x.max() + 0.5, 121)
    model = ColumnDataSource({"x": xs, "p": sigmoid(w0 * xs + b)}, name="model-source")
    data_fig.line("x", "p", source=model, line_width=2.5, color=COLORS["sigmoid"], legend_label="模型")
    legend_below(data_fig)  # inside the frame the model curve runs behind it for small w > 0

    mse_curve, bce_curve = mean_mse(w_grid, b), mean_bce(w_grid, b)
    m0, g_m = float(mean_mse(w0, b)), float(mean_mse_dw(w0, b))
    c0, g_c = float(mean_bce(w0, b)), float(mean_bce_dw(w0, b))
    # a fixed w axis shared by the two loss panels: the tangent segments beyond it are clipped instead of
    # widening a data range under the reader's hand while they drag
    pad = 0.02 * (w_range[1] - w_range[0])
    w_axis = Range1d(w_range[0] - pad, w_range[1] + pad)
    mse_fig, mse_tangent, mse_point = _tangent_panel(
        "mse", "平均均方误差", w_grid, mse_curve, w0, m0, g_m, COLORS["mse"], w_axis,
        Range1d(0, 0.5 * 1.05))
    bce_fig, bce_tangent, bce_point = _tangent_panel(
        "bce", "平均交叉熵", w_grid, bce_curve, w0, c0, g_c, COLORS["bce"], w_axis,
        Range1d(0, float(bce_curve.max()) * 1.05))
    data_fig.x_range.range_padding = 0.02

    # the numbers are written by js/tangent.js when the page loads, as when the slider moves
    readout = Div(text="w = …：均方误差的斜率 …，交叉熵的斜率 …", sizing_mode="stretch_width",
                  name="tangent-readout", styles={"font-size": "15px"})
    w_slider = slider(float(w_range[0]), float(w_range[1]), 0.05, w0, "权重 w", "w-slider",
                      label="权重 w，改变模型曲线与两条损失曲线上的切点和切线")
    tangent = callback("tangent", slider=w_slider, x=x, y=y, b=b, half=TANGENT_HALF_WIDTH, model=model,
                       mse_tangent=mse_tangent, bce_tangent=bce_tangent, mse_point=mse_point,
                       bce_point=bce_point, readout=readout)
    w_slider.js_on_change("value", tangent)
    return chart(w_slider, readout, data_fig, mse_fig, bce_fig, on_load=[tangent], description=(
        "三张图：数据点与模型曲线 σ(w·x + b)；平均均方误差随 w 的曲线及 w 处的切线；平均交叉熵随 w 的曲线"
        "及 w 处的切线。滑块改变 w，图上方的文字给出两条切线的斜率。"))


def curvature_chart(w_range: tuple[float, float] = (-8.0, 8.0), b: float = 0.0, n: int = 401):
    """两种平均损失对 w 的二阶导数；MSE 的二阶导数为负（曲线向下弯）的部分涂成红色。

    Parameters
    ----------
    w_range : tuple of float
        横轴范围。
    b : float
        固定的偏置。
    n : int
        采样点数。

    Returns
    -------
    bokeh.plotting.figure
        一张图。

    Examples
    --------
    >>> from celoss.charts.landscape import curvature_chart
    >>> fig = curvature_chart()
    >>> data = fig.select_one({"name": "curvature-source"}).data
    >>> bool(data["mse"].min() < 0 < data["bce"].min())
    True
    """
    w = np.linspace(*w_range, n)
    mse_h, bce_h = mean_mse_d2w(w, b), mean_bce_d2w(w, b)
    source = ColumnDataSource({"w": w, "mse": mse_h, "bce": bce_h, "mse_negative": np.minimum(mse_h, 0.0),
                               "zero": np.zeros_like(w)}, name="curvature-source")
    fig = new_figure("权重 w", "对 w 的二阶导数", height=360)
    fig.add_layout(Span(location=0, dimension="width", line_color=COLORS["muted"], line_width=1.5))
    # where the MSE curve bends down the shading spans the full height: on the right, |h| < 0.01 is far too
    # thin to see against a 0.8-high axis
    for left, right in _negative_runs(w, mse_h):
        fig.add_layout(BoxAnnotation(left=left, right=right, fill_color=COLORS["mse"], fill_alpha=0.12,
                                     line_alpha=0.0))
    fig.line("w", "bce", source=source, line_width=2.5, color=COLORS["bce"], legend_label="交叉熵的二阶导数")
    fig.line("w", "mse", source=source, line_width=2.5, color=COLORS["mse"], legend_label="均方误差的二阶导数")
    fig.varea("w", "mse_negative", "zero", source=source, fill_color=COLORS["mse"], fill_alpha=0.3,
              legend_label="均方误差的二阶导数 < 0（非凸）")
    legend_below(fig, orientation="vertical")  # below the plot the legend never covers the peak
    return describe(fig, "两种平均损失对 w 的二阶导数：交叉熵的处处为正（凸）；均方误差的在两段上为负，"
                         "那两段用红色阴影标出（那里曲线向下弯，不是凸的）。")


def _negative_runs(w: np.ndarray, h: np.ndarray) -> list[tuple[float, float]]:
    """h < 0 的各段 [左端, 右端]（取网格点）。"""
    runs, start = [], None
    for i, negative in enumerate(h < 0):
        if negative and start is None:
            start = i
        if start is not None and (not negative or i == len(h) - 1):
            runs.append((float(w[start]), float(w[i if negative else i - 1])))
            start = None
    return runs


def _surface_panel(title: str, w, b, values, levels, mark, name: str):
    fig = new_figure("权重 w", "偏置 b", title=title, height=330,
                     x_range=(float(w[0]), float(w[-1])), y_range=(float(b[0]), float(b[-1])))
    contour = fig.contour(w, b, values, levels, fill_color=Viridis256, line_color="white", line_alpha=0.5,
                          line_width=1)
    contour.name = name
    # a transparent bar whose labels celoss-charts.js lightens on the dark theme (AA contrast on both);
    # a label only every so often, so that the close geometric levels near the bottom do not overlap
    bar = contour.construct_color_bar(width=10, label_standoff=4, major_label_text_font_size="11px",
                                      major_label_text_color="#5a5a5a", background_fill_alpha=0.0)
    dark(bar, major_label_text_color="#9ca4af")
    gap = (levels[-1] - levels[0]) / 9
    ticks = [float(levels[0])]
    for level in levels[1:]:
        if level - ticks[-1] >= gap:
            ticks.append(float(level))
    bar.ticker = FixedTicker(ticks=ticks)
    bar.formatter = NumeralTickFormatter(format="0.0[0]")
    fig.add_layout(bar, "right")
    fig.scatter([mark[0]], [mark[1]], marker="x", size=14, line_width=3, color=COLORS["mse"])
    fig.grid.visible = False
    return fig


def surface_chart(w_range: tuple[float, float] = (-6.0, 6.0), b_range: tuple[float, float] = (-6.0, 6.0),
                  n: int = 121, levels: int = 12):
    """两种平均损失在 (w, b) 平面上的等高线图，红叉是网格上的最小值。

    MSE 的等高线间距不规则，外围是大片颜色不变的平台；交叉熵的等高线一圈套一圈，
    每一条围出的区域都是凸的。交叉熵的等高线取几何级数，使底部附近也看得清。

    Parameters
    ----------
    w_range, b_range : tuple of float
        两个参数的范围。
    n : int
        每个方向的网格点数。
    levels : int
        等高线条数。

    Returns
    -------
    bokeh.layouts.column
        上 MSE、下交叉熵两张图。

    Examples
    --------
    >>> from celoss.charts.landscape import surface_chart
    >>> layout = surface_chart(n=31)
    >>> [fig.title.text for fig in layout.children]
    ['平均均方误差', '平均交叉熵']
    """
    w = np.linspace(*w_range, n)
    b = np.linspace(*b_range, n)
    grid_w, grid_b = np.meshgrid(w, b)  # rows: b, columns: w
    figs = []
    panels: list[tuple[str, Callable[..., Any], str, Callable[..., Any]]] = [
        ("平均均方误差", mean_mse, "mse-contour", np.linspace),
        ("平均交叉熵", mean_bce, "bce-contour", np.geomspace),
    ]
    for title, func, name, spacing in panels:
        values = func(grid_w, grid_b)
        low, high = float(values.min()), float(values.max())
        row, col = np.unravel_index(int(np.argmin(values)), values.shape)
        figs.append(describe(_surface_panel(title, w, b, values, spacing(low, high, levels),
                                            (float(w[col]), float(b[row])), name),
                             f"{title}在 (w, b) 平面上的等高线图，颜色越亮损失越大，红叉是网格上的最小值。"))
    return chart(*figs, description=(
        "两种平均损失在 (w, b) 平面上的等高线图：上图均方误差，外围是大片颜色不变的平台；"
        "下图交叉熵，等高线一圈套一圈，每一圈围出的区域都是凸的。"))
