"""所有图表共用的外观：尺寸、配色、字体，以及一个造 figure 的函数。

只在这里改样式，各个图表函数不再各自设置。
"""

from __future__ import annotations

from bokeh.plotting import figure

__all__ = ["COLORS", "new_figure", "legend_below", "SAMPLES"]

#: 与原文 Plotly 图一致的配色，另加几种供新章节使用。
COLORS = {
    "sigmoid": "#0074D9",
    "mse": "#FF4136",
    "bce1": "#2ECC40",
    "bce0": "#FF851B",
    "bce": "#2ECC40",
    "accent": "#B10DC9",
    "muted": "#AAAAAA",
}

#: 原文每条曲线用 200 个采样点。
SAMPLES = 200

_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'


def new_figure(x_label: str, y_label: str, *, title: str | None = None, height: int = 320, **kwargs):
    """一张宽度随页面伸缩的空白图：统一的字体、网格和工具栏。

    Examples
    --------
    >>> fig = new_figure("z", "σ(z)")
    >>> fig.xaxis.axis_label, fig.sizing_mode
    ('z', 'stretch_width')
    """
    fig = figure(
        height=height,
        sizing_mode="stretch_width",
        min_width=280,
        title=title,
        tools="pan,wheel_zoom,reset,save",
        toolbar_location="above",
        **kwargs,
    )
    fig.toolbar.logo = None
    fig.xaxis.axis_label = x_label
    fig.yaxis.axis_label = y_label
    for axis in (*fig.xaxis, *fig.yaxis):
        axis.axis_label_text_font = _FONT
        axis.axis_label_text_font_style = "normal"
        axis.axis_label_text_font_size = "14px"
        axis.major_label_text_font_size = "12px"
    if fig.title is not None:
        fig.title.text_font = _FONT
        fig.title.text_font_size = "14px"
    fig.grid.grid_line_alpha = 0.4
    # in the book, celoss-charts.js recolours these to follow the light/dark theme
    fig.background_fill_color = fig.border_fill_color = "#ffffff"
    fig.outline_line_alpha = 0.3
    return fig


def legend_below(fig, *, font_size: str = "12px") -> None:
    """把图的图例移到图框下方、横排：滑块怎么拖都不会压住曲线，条目之间留出空隙。"""
    legend = fig.legend[0]
    legend.orientation = "horizontal"
    legend.location = "center"
    legend.label_text_font_size = font_size
    legend.spacing = 16  # room between one label and the next line sample
    fig.add_layout(legend, "below")
