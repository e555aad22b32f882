"""「梯度」一章的小工具：梯度对照表与 sigmoid 饱和区的边界。

.. seealso:: :doc:`/gradients`。

这里只组合 ``celoss.losses`` 与 ``celoss.activations`` 中的函数，不重新实现损失或梯度：

* :func:`gradient_table` —— 在若干个 logit 处并排列出 σ、两种损失和两种梯度；
* :func:`saturation_bound` —— σ(z)(1 − σ(z)) 小于给定阈值的区域 ``|z| > bound``。
"""

from __future__ import annotations

from typing import NamedTuple

import numpy  # noqa: ICN001 - spelled out in GradientTable's field types, which Sphinx resolves as numpy.ndarray
import numpy as np

from celoss._checks import as_probability, as_real, broadcast, finish, result_dtype
from celoss.activations import sigmoid
from celoss.lab.tables import html_table, markdown_table, text_table
from celoss.losses import bce_grad, bce_with_logits, mse, mse_grad

__all__ = ["GradientTable", "gradient_table", "saturation_bound"]

#: 表格的列：(字段名, 中文表头)。
_COLUMNS = (
    ("z", "z"),
    ("y", "y"),
    ("y_hat", "ŷ = σ(z)"),
    ("slope", "σ(z)(1 − σ(z))"),
    ("mse", "MSE 损失"),
    ("bce", "交叉熵损失"),
    ("mse_grad", "MSE 梯度"),
    ("bce_grad", "交叉熵梯度"),
)


def _fmt(value: float, exact: bool = False) -> str:
    """数值列保留四位有效数字（含末尾的 0）；z、y 这类输入列原样显示。"""
    return f"{value:g}" if exact else f"{value:#.4g}"


class GradientTable(NamedTuple):
    """:func:`~celoss.lab.gradients.gradient_table` 的结果：每个字段是一列（一维数组），第 i 行对应第 i 个 z。

    .. seealso:: :doc:`/gradients`。

    显示方式见 :mod:`celoss.lab.tables`。
    """

    z: numpy.ndarray
    """logit :math:`z`。"""
    y: numpy.ndarray
    """标签 :math:`y`\\ （每行相同）。"""
    y_hat: numpy.ndarray
    """预测概率 :math:`\\hat y = \\sigma(z)`。"""
    slope: numpy.ndarray
    """sigmoid 的斜率 :math:`\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))`。"""
    mse: numpy.ndarray
    """MSE 损失 :math:`\\tfrac12 (y - \\hat y)^2`。"""
    bce: numpy.ndarray
    """交叉熵损失，由 logit 计算（:func:`celoss.bce_with_logits`）。"""
    mse_grad: numpy.ndarray
    """MSE 对 :math:`z` 的梯度 :math:`(\\hat y - y)\\,\\sigma'(z)`。"""
    bce_grad: numpy.ndarray
    """交叉熵对 :math:`z` 的梯度 :math:`\\hat y - y`。"""

    def _cells(self) -> list[list[str]]:
        return [
            [_fmt(float(v), exact=i < 2) for i, v in enumerate(row)] for row in zip(*self, strict=True)
        ]

    def __str__(self) -> str:
        return text_table([title for _, title in _COLUMNS], self._cells())

    def _repr_html_(self) -> str:
        return html_table([title for _, title in _COLUMNS], self._cells(), cell_style="text-align: right")

    def _repr_markdown_(self) -> str:
        return markdown_table([title for _, title in _COLUMNS], self._cells())


def gradient_table(z, y=1.0) -> GradientTable:
    r"""在若干个 logit ``z`` 处，并排计算 σ(z)、两种损失和它们对 z 的梯度。

    .. seealso:: :doc:`/gradients`。

    Parameters
    ----------
    z : array_like
        一组 logit（任意实数）；标量当作一个元素的一维数组。
    y : array_like, optional
        真实标签，取值在 [0, 1]，默认 1；与 ``z`` 按 numpy 规则广播（通常是一个数）。

    Returns
    -------
    GradientTable
        八列一维数组：``z``、``y``、``y_hat`` = σ(z)、``slope`` = σ(z)(1 − σ(z))、
        ``mse`` = ½(y − σ(z))²、``bce`` = 交叉熵、``mse_grad``、``bce_grad``。
        精度规则与 :func:`celoss.mse` 相同。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    各列由 :func:`celoss.sigmoid`、:func:`celoss.mse`、:func:`celoss.bce_with_logits`、
    :func:`celoss.mse_grad`、:func:`celoss.bce_grad` 算出。两种梯度满足

    .. math::

        \frac{\partial L_{\mathrm{MSE}}}{\partial z}
        = (\sigma - y)\,\sigma(1 - \sigma)
        = \frac{\partial L_{\mathrm{CE}}}{\partial z}\cdot\sigma(1 - \sigma),

    所以只要 :math:`\sigma(z) \ne y`，两列之比就是 ``slope`` 这一列，与 ``y`` 无关。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §6.2.2.2 "Sigmoid Units for Bernoulli Output Distributions".

    Examples
    --------
    >>> from celoss.lab.gradients import gradient_table
    >>> t = gradient_table([-8.0, 0.0], y=1)
    >>> print(t.bce_grad[1], t.mse_grad[1])
    -0.5 -0.125
    >>> print(float(t.mse_grad[0] / t.bce_grad[0]) == float(t.slope[0]))
    True
    >>> print(gradient_table(0.0))
    z  y  ŷ = σ(z)  σ(z)(1 − σ(z))  MSE 损失  交叉熵损失  MSE 梯度  交叉熵梯度
    0  1    0.5000          0.2500    0.1250      0.6931   -0.1250     -0.5000
    """
    checked = {"z": as_real(z, "z"), "y": as_probability(y, "y")}
    z_arr, y_arr = (np.atleast_1d(a) for a in broadcast(checked))
    y_hat = sigmoid(z_arr)
    dtype = result_dtype(z, y)
    return GradientTable(
        z=z_arr.astype(dtype),
        y=y_arr.astype(dtype),
        y_hat=y_hat.astype(dtype),
        slope=(sigmoid(z_arr) * sigmoid(-z_arr)).astype(dtype),
        mse=mse(y_arr, y_hat).astype(dtype),
        bce=bce_with_logits(y_arr, z_arr).astype(dtype),
        mse_grad=mse_grad(y_arr, z_arr).astype(dtype),
        bce_grad=bce_grad(y_arr, z_arr).astype(dtype),
    )


def saturation_bound(threshold):
    r"""sigmoid 饱和区的边界：:math:`\sigma(z)(1 - \sigma(z)) < t` 当且仅当 :math:`|z| > b`。

    .. seealso:: :doc:`/gradients`。

    Parameters
    ----------
    threshold : array_like
        阈值 :math:`t`，取值在 [0, 1]。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        边界 :math:`b \ge 0`；:math:`t = 0` 时为 ``inf``\ （没有饱和区），
        :math:`t \ge 1/4` 时为 0（除 :math:`z = 0` 外处处都低于阈值，因为
        :math:`\sigma(1 - \sigma) \le 1/4`）。精度规则同 :func:`celoss.sigmoid`。

    Raises
    ------
    TypeError
        ``threshold`` 不是实数。
    ValueError
        ``threshold`` 含 NaN 或不在 [0, 1] 内。

    Notes
    -----
    由 :math:`\sigma(z)\,\sigma(-z) = \dfrac{1}{4\cosh^2(z/2)}` 得

    .. math::

        b = 2\,\operatorname{arcosh}\!\left(\frac{1}{2\sqrt{t}}\right),
        \qquad 0 < t \le \tfrac14 .

    :math:`t` 很小时 :math:`b \approx \log(1/t)`，因为尾部 :math:`\sigma(z)(1-\sigma(z)) \approx e^{-|z|}`。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §6.2.2.2（sigmoid 在 :math:`|z|` 很大时饱和）。

    Examples
    --------
    >>> from celoss.lab.gradients import saturation_bound
    >>> from celoss import sigmoid
    >>> b = saturation_bound(0.01)
    >>> print(round(float(b), 4))
    4.5849
    >>> print(round(float(sigmoid(b) * sigmoid(-b)), 12))
    0.01
    >>> print(saturation_bound(0.25), saturation_bound(0.0))
    0.0 inf
    """
    t = as_probability(threshold, "threshold").astype(np.float64)
    with np.errstate(divide="ignore"):
        c = np.maximum(0.5 / np.sqrt(t), 1.0)
    return finish(2.0 * np.arccosh(c), result_dtype(threshold))
