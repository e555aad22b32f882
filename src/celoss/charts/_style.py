"""所有图表共用的外观与控件：尺寸、配色、字体、滑块、按钮组、图例，以及图表的无障碍文本。

只在这里改样式，各个图表函数不再各自设置。
"""

from __future__ import annotations

import math

from bokeh.layouts import column
from bokeh.models import RadioButtonGroup, Slider
from bokeh.plotting import figure

from ._js import callback

__all__ = [
    "COLORS",
    "DARK_ACCENT",
    "SAMPLES",
    "CJK_FONTS",
    "new_figure",
    "legend_below",
    "slider",
    "y_slider",
    "buttons",
    "dark",
    "describe",
    "chart",
    "cjk_rc",
]

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

#: 暗色主题下强调色文字的颜色：#B10DC9 画在 #121212 上只有 3.4:1，这个颜色是 6.4:1（WCAG AA 要 4.5:1）。
DARK_ACCENT = "#D070E8"

#: 原文每条曲线用 200 个采样点。
SAMPLES = 200

_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

#: matplotlib 的中文字体：按顺序回退，最后是 matplotlib 自带的 DejaVu Sans（希腊字母、负号）。
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "PingFang SC",
             "Microsoft YaHei", "WenQuanYi Zen Hei", "DejaVu Sans"]

#: 键盘焦点看得见：滑块把手与按钮获得焦点时画一圈主题的主色（书里跟随明暗主题）。
#: （CSS 文本而不是 InlineStyleSheet 模型：一个模型只能属于一个文档，而每张图表是一个文档。）
_FOCUS = (".noUi-handle:focus-visible, .bk-btn:focus-visible {"
          " outline: 3px solid var(--pst-color-primary, #176de8); outline-offset: 2px; z-index: 10; }")


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
        # a title shares the row above the plot with the toolbar: on a phone a long title ran under it
        toolbar_location="above" if title is None else "right",
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


def legend_below(fig, *, font_size: str = "12px", orientation: str = "horizontal") -> None:
    """把图的图例移到图框下方：滑块怎么拖都不会压住曲线，条目之间留出空隙。"""
    legend = fig.legend[0]
    legend.orientation = orientation
    legend.location = "center"
    legend.label_text_font_size = font_size
    legend.spacing = 16 if orientation == "horizontal" else 2  # room between one entry and the next
    fig.add_layout(legend, "below")


def slider(start: float, end: float, step: float, value: float, title: str, name: str, *, label: str) -> Slider:
    """一个随页面伸缩的滑块：标题里的数总是同样的小数位数（由步长决定），不显示拖动时的浮动提示
    （它在两端会压住标题或被裁掉）；``label`` 是读屏软件读出的名称，说明拖动它改变什么。

    Examples
    --------
    >>> s = slider(0.0, 1.0, 0.01, 0.5, "y 真实值", "y", label="真实标签 y")
    >>> s.format, s.tooltips, s.tags
    ('0.00', False, [{'aria-label': '真实标签 y'}])
    """
    digits = max(0, math.ceil(-math.log10(step) - 1e-9))
    return Slider(start=start, end=end, step=step, value=value, title=title, name=name,
                  format="0" if digits == 0 else "0." + "0" * digits, tooltips=False,
                  sizing_mode="stretch_width", tags=[{"aria-label": label}], stylesheets=[_FOCUS])


def y_slider(y: float, name: str, *, changes: str = "曲线") -> Slider:
    """第一、二章共用的「y 真实值」滑块：0 到 1、步长 0.01。"""
    return slider(0.0, 1.0, 0.01, float(y), "y 真实值", name, label=f"真实标签 y（0 到 1），改变{changes}")


def buttons(labels: list[str], active: int, name: str, *, label: str) -> RadioButtonGroup:
    """一组单选按钮：Tab 键可以到达、焦点看得见，整组有读屏软件读出的名称 ``label``。"""
    return RadioButtonGroup(labels=labels, active=active, name=name, sizing_mode="stretch_width",
                            html_attributes={"role": "group", "aria-label": label}, stylesheets=[_FOCUS])


def dark(model, **props):
    """记下 ``model`` 在暗色主题下要换的属性（书里由 celoss-charts.js 换上、切回亮色时还原）。

    Examples
    --------
    >>> from bokeh.models import Label
    >>> dark(Label(text="z", text_color=COLORS["accent"]), text_color=DARK_ACCENT).tags
    [{'dark': {'text_color': '#D070E8'}}]
    """
    model.tags = [*model.tags, {"dark": props}]
    return model


def describe(model, description: str):
    """给一张图（或整个图表）加上读屏软件读出的中文说明：它画的是什么。"""
    model.html_attributes = {**model.html_attributes, "role": "figure", "aria-label": description}
    return model


def chart(*children, description: str, on_load=(), **kwargs):
    """把控件和图竖排成一个图表，加上说明；``on_load`` 里的回调在页面载入时运行一次
    （给出读数的初始文字，与拖动时同一段 JS），滑块的把手得到无障碍名称与读数。

    载入时运行靠 Bokeh 的 ``document_ready`` 事件：Bokeh 只在文档上触发它，
    :func:`celoss.charts.to_html` 把这里记在布局上的回调移到文档上。
    """
    layout = describe(column(*children, sizing_mode="stretch_width", **kwargs), description)
    sliders = list(layout.select({"type": Slider}))
    if sliders:
        labels = [next(t["aria-label"] for t in s.tags if isinstance(t, dict) and "aria-label" in t)
                  for s in sliders]
        a11y = callback("a11y", sliders=sliders, labels=labels)
        for s in sliders:
            s.js_on_change("value", a11y)
        on_load = (*on_load, a11y)
    for cb in on_load:
        layout.js_on_event("document_ready", cb)
    return layout


def _available_fonts() -> list[str]:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed] or ["DejaVu Sans"]


def cjk_rc() -> dict:
    """matplotlib 画中文用的 rcParams：:data:`CJK_FONTS` 中本机已安装的字体，按顺序回退。

    只列出已安装的字体，因为 matplotlib 对列表里每个找不到的名字都会记一条日志。

    与 ``matplotlib.rc_context(cjk_rc())`` 一起使用，不改全局设置。列表里写的是具体
    字体名（不是 ``"sans-serif"`` 这样的类名），因为字体在图保存时才查找，到那时
    ``rc_context`` 早已退出。

    Examples
    --------
    >>> from celoss.charts._style import cjk_rc
    >>> cjk_rc()["font.family"][0]
    'Noto Sans CJK SC'
    """
    return {"font.family": _available_fonts(), "axes.unicode_minus": True}
