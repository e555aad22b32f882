"""本书各章的实验：数据、训练器、朴素公式与高精度参考值、对照表。

这些模块不属于 ``import celoss`` 的库本身；每个模块的说明里写着用到它的章节。

* :mod:`celoss.lab.datasets` —— 唯一的数据生成器 ``two_blobs`` （:doc:`/training`、:doc:`/variants`）；
* :mod:`celoss.lab.training` —— 唯一的训练器（:doc:`/training`、:doc:`/variants`）；
* :mod:`celoss.lab.gradients` —— 梯度对照表与饱和区边界（:doc:`/gradients`）；
* :mod:`celoss.lab.likelihood` —— 伯努利与高斯似然（:doc:`/likelihood`）；
* :mod:`celoss.lab.convexity` —— 一维逻辑回归的损失曲面（:doc:`/convexity`）；
* :mod:`celoss.lab.naive` —— 故意保留的朴素公式（:doc:`/numerics`、:doc:`/multiclass`）；
* :mod:`celoss.lab.reference` —— 标准库 ``decimal`` 的高精度参考值与 ``ulp_error`` （:doc:`/numerics`）；
* :mod:`celoss.lab.numerics` —— 稳定性、精度对照表（:doc:`/numerics`）；
* :mod:`celoss.lab.variants` —— 类别权重与标签平滑的小实验（:doc:`/variants`）；
* :mod:`celoss.lab.tables` —— 唯一的表格渲染器与中文标签表。
"""

__all__: list[str] = []
