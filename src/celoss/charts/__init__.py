"""celoss 的交互图表（Bokeh）。

每个函数返回一个 Bokeh 布局，不调用 ``show``。在 IPython/Jupyter 里导入本模块后，
以图表结尾的单元格会直接显示图表（读者自己的 Jupyter 需先运行一次
``bokeh.io.output_notebook()`` 加载 BokehJS）。

``import celoss`` 不会导入本模块，所以只用数学函数时不会加载 Bokeh。
"""

from ._display import CHART_CLASS, WIDGETS_CLASS, register_ipython_formatter, to_html
from .basics import bce_chart, mse_loss_chart, sigmoid_chart

__all__ = ["sigmoid_chart", "mse_loss_chart", "bce_chart", "to_html", "CHART_CLASS", "WIDGETS_CLASS"]

register_ipython_formatter()
