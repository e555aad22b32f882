"""书中推导用到的小工具：梯度对照表、饱和区边界、伯努利与高斯似然。

这里只组合 ``celoss.losses`` 与 ``celoss.activations`` 中的函数，不重新实现损失或梯度：

* :func:`gradient_table` —— 在若干个 logit 处并排列出 σ、两种损失和两种梯度（第一章）；
* :func:`saturation_bound` —— σ(z)(1 − σ(z)) 小于给定阈值的区域 ``|z| > bound``\\ （第一章）；
* :func:`bernoulli_likelihood`、:func:`bernoulli_log_likelihood` —— 一组标签的伯努利似然
  与对数似然（第二章）；
* :func:`gaussian_log_likelihood` —— 单位方差高斯模型下的对数似然，它对应 MSE（第二章）。
"""

from __future__ import annotations

from typing import NamedTuple

import numpy  # spelled out in GradientTable's field types, which Sphinx resolves as numpy.ndarray
import numpy as np

from celoss import _kernels
from celoss._checks import as_probability, as_real, broadcast, finish, result_dtype
from celoss._tables import html_table, text_table
from celoss.activations import sigmoid
from celoss.losses import bce, bce_grad, bce_with_logits, mse, mse_grad

__all__ = [
    "GradientTable",
    "gradient_table",
    "saturation_bound",
    "bernoulli_likelihood",
    "bernoulli_log_likelihood",
    "gaussian_log_likelihood",
]

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
    """:func:`~celoss.analysis.gradient_table` 的结果：每个字段是一列（一维数组），第 i 行对应第 i 个 z。

    在 Jupyter 或本书页面里作为单元格结果时显示为 HTML 表格；``str()`` 给出对齐的纯文本表。
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


def gradient_table(z, y=1.0) -> GradientTable:
    r"""在若干个 logit ``z`` 处，并排计算 σ(z)、两种损失和它们对 z 的梯度。

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
    >>> from celoss.analysis import gradient_table
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
    >>> from celoss.analysis import saturation_bound
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


def _sum_last(values: np.ndarray):
    """沿最后一个轴求和；标量看作只有一个元素的样本。"""
    return np.sum(np.atleast_1d(values), axis=-1)


def bernoulli_likelihood(labels, p):
    r"""一组标签在伯努利模型下的似然 :math:`\prod_i \hat y_i^{\,y_i}(1 - \hat y_i)^{1 - y_i}`，按定义逐项相乘。

    Parameters
    ----------
    labels : array_like
        标签 :math:`y_i`，取值在 [0, 1]（0/1 或软标签），沿最后一个轴排成一个样本。
    p : array_like
        预测概率 :math:`\hat y_i`，取值在 [0, 1]；与 ``labels`` 按 numpy 规则广播，
        所以一个数表示"所有样本共用同一个概率"。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        沿最后一个轴的乘积，在 [0, 1] 内；精度规则同 :func:`celoss.bce`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    .. math::

        \mathcal{L} = \prod_{i=1}^{n} \hat y_i^{\,y_i}\,(1 - \hat y_i)^{1 - y_i},
        \qquad 0^0 = 1 .

    这是定义式，故意不取对数：每个因子都不超过 1，样本一大乘积就会下溢成 0
    （见下例）。实际计算请用 :func:`bernoulli_log_likelihood`，它等于
    :math:`-\sum_i \mathrm{bce}(y_i, \hat y_i)`。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §2.1 "Binary Variables"（式 2.5）。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.analysis import bernoulli_likelihood
    >>> print(round(bernoulli_likelihood([1, 0, 1], [0.9, 0.2, 0.6]), 12))  # 0.9 × 0.8 × 0.6
    0.432

    每个因子都是 1/2 时，1075 个标签的似然 :math:`2^{-1075}` 已经小于最小的正浮点数
    :math:`2^{-1074}`，舍入成 0：

    >>> print(bernoulli_likelihood(np.ones(1074), 0.5), bernoulli_likelihood(np.ones(1075), 0.5))
    5e-324 0.0
    """
    y_arr, p_arr = (
        a.astype(np.float64)
        for a in broadcast({"labels": as_probability(labels, "labels"), "p": as_probability(p, "p")})
    )
    factors = p_arr**y_arr * (1.0 - p_arr) ** (1.0 - y_arr)
    return finish(np.prod(np.atleast_1d(factors), axis=-1), result_dtype(labels, p))


def bernoulli_log_likelihood(labels, p):
    r"""一组标签在伯努利模型下的对数似然 :math:`\sum_i [y_i\log\hat y_i + (1 - y_i)\log(1 - \hat y_i)]`。

    Parameters
    ----------
    labels : array_like
        标签 :math:`y_i`，取值在 [0, 1]，沿最后一个轴排成一个样本。
    p : array_like
        预测概率，取值在 [0, 1]；与 ``labels`` 按 numpy 规则广播。要在许多个候选概率上
        计算同一个样本的对数似然，把候选排成一列：``p[:, None]``。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        沿最后一个轴求和的结果，:math:`\le 0`，可以是 ``-inf``；精度规则同 :func:`celoss.bce`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    对数把乘积变成和，每一项正是二元交叉熵的相反数：

    .. math::

        \log\mathcal{L} = \sum_{i=1}^{n} \log\bigl[\hat y_i^{\,y_i}(1 - \hat y_i)^{1 - y_i}\bigr]
        = -\sum_{i=1}^{n} \mathrm{bce}(y_i, \hat y_i).

    本函数就按右边计算（调用 :func:`celoss.bce`），不会下溢。所有样本共用一个概率 :math:`p`
    时，它在 :math:`p^* = \bar y`\ （标签的平均值）处取得最大值。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §2.1（式 2.6–2.8）。
    .. [2] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016, §5.5.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.analysis import bernoulli_log_likelihood
    >>> labels = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])
    >>> print(round(float(bernoulli_log_likelihood(labels, 0.7)), 6))
    -6.108643
    >>> grid = np.array([0.5, 0.7, 0.9])
    >>> bernoulli_log_likelihood(labels, grid[:, None]).argmax()
    np.int64(1)

    与定义式不同，大样本也不会下溢：

    >>> print(round(float(bernoulli_log_likelihood(np.ones(1075), 0.5)), 3))
    -745.133
    """
    y_arr, p_arr = broadcast({"labels": as_probability(labels, "labels"), "p": as_probability(p, "p")})
    return _sum_last(-finish(_kernels.bce(y_arr.astype(np.float64), p_arr.astype(np.float64)), result_dtype(labels, p)))


def gaussian_log_likelihood(labels, mean):
    r"""把标签看成均值为 ``mean``、方差为 1 的高斯随机变量时，样本的对数似然。

    Parameters
    ----------
    labels : array_like
        标签 :math:`y_i`，取值在 [0, 1]，沿最后一个轴排成一个样本。
    mean : array_like
        高斯分布的均值（即模型的预测 :math:`\hat y_i`），取值在 [0, 1]；与 ``labels`` 广播。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        沿最后一个轴求和的对数密度；精度规则同 :func:`celoss.mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    .. math::

        \log\prod_{i=1}^{n}\frac{1}{\sqrt{2\pi}}e^{-(y_i - \hat y_i)^2/2}
        = -\sum_{i=1}^{n}\tfrac12 (y_i - \hat y_i)^2 - \frac{n}{2}\log(2\pi),

    即 :math:`-\sum_i \mathrm{mse}(y_i, \hat y_i)` 减去一个与预测无关的常数：在高斯模型下
    最大化似然就是最小化 MSE。这个模型给 0.5、−3 这样的"标签"也分配了概率密度，
    对只取 0 和 1 的标签并不合适。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, §1.2.5.
    .. [2] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016, §5.5.1.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import mse
    >>> from celoss.analysis import gaussian_log_likelihood
    >>> labels, y_hat = np.array([1, 0, 1]), np.array([0.9, 0.2, 0.6])
    >>> ll = gaussian_log_likelihood(labels, y_hat)
    >>> print(round(float(ll), 6))
    -2.861816
    >>> print(round(float(-ll - 1.5 * np.log(2 * np.pi)), 12), round(float(mse(labels, y_hat).sum()), 12))
    0.105 0.105
    """
    y_arr, mean_arr = broadcast({"labels": as_probability(labels, "labels"), "mean": as_probability(mean, "mean")})
    squared = finish(0.5 * (y_arr.astype(np.float64) - mean_arr.astype(np.float64)) ** 2, result_dtype(labels, mean))
    n = np.atleast_1d(squared).shape[-1]
    log_norm = np.asarray(0.5 * n * np.log(2.0 * np.pi), dtype=np.asarray(squared).dtype)
    return _sum_last(-squared) - log_norm
