"""「似然」一章的小工具：一组标签的伯努利似然、对数似然，以及单位方差高斯模型的对数似然。

.. seealso:: :doc:`/likelihood`。

* :func:`bernoulli_likelihood`、:func:`bernoulli_log_likelihood` —— 一组标签的伯努利似然
  与对数似然；
* :func:`gaussian_log_likelihood` —— 单位方差高斯模型下的对数似然，它对应 MSE。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import as_probability, broadcast, finish, result_dtype
from celoss.losses import bce, mse

__all__ = ["bernoulli_likelihood", "bernoulli_log_likelihood", "gaussian_log_likelihood"]


def _sum_last(values: np.ndarray):
    """沿最后一个轴求和；标量看作只有一个元素的样本。"""
    return np.sum(np.atleast_1d(values), axis=-1)


def bernoulli_likelihood(y, p):
    r"""一组标签在伯努利模型下的似然 :math:`\prod_i \hat y_i^{\,y_i}(1 - \hat y_i)^{1 - y_i}`，按定义逐项相乘。

    .. seealso:: :doc:`/likelihood`。

    Parameters
    ----------
    y : array_like
        标签 :math:`y_i`，取值在 [0, 1]（0/1 或软标签），沿最后一个轴排成一个样本。
    p : array_like
        预测概率 :math:`\hat y_i`，取值在 [0, 1]；与 ``y`` 按 numpy 规则广播，
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
    >>> from celoss.lab.likelihood import bernoulli_likelihood
    >>> print(round(bernoulli_likelihood([1, 0, 1], [0.9, 0.2, 0.6]), 12))  # 0.9 × 0.8 × 0.6
    0.432

    每个因子都是 1/2 时，1075 个标签的似然 :math:`2^{-1075}` 已经小于最小的正浮点数
    :math:`2^{-1074}`，舍入成 0：

    >>> print(bernoulli_likelihood(np.ones(1074), 0.5), bernoulli_likelihood(np.ones(1075), 0.5))
    5e-324 0.0
    """
    y_arr, p_arr = (
        a.astype(np.float64)
        for a in broadcast({"y": as_probability(y, "y"), "p": as_probability(p, "p")})
    )
    factors = p_arr**y_arr * (1.0 - p_arr) ** (1.0 - y_arr)
    return finish(np.prod(np.atleast_1d(factors), axis=-1), result_dtype(y, p))


def bernoulli_log_likelihood(y, p):
    r"""一组标签在伯努利模型下的对数似然 :math:`\sum_i [y_i\log\hat y_i + (1 - y_i)\log(1 - \hat y_i)]`。

    .. seealso:: :doc:`/likelihood`。

    Parameters
    ----------
    y : array_like
        标签 :math:`y_i`，取值在 [0, 1]，沿最后一个轴排成一个样本。
    p : array_like
        预测概率，取值在 [0, 1]；与 ``y`` 按 numpy 规则广播。要在许多个候选概率上
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
    >>> from celoss.lab.likelihood import bernoulli_log_likelihood
    >>> y = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])
    >>> print(round(float(bernoulli_log_likelihood(y, 0.7)), 6))
    -6.108643
    >>> grid = np.array([0.5, 0.7, 0.9])
    >>> bernoulli_log_likelihood(y, grid[:, None]).argmax()
    np.int64(1)

    与定义式不同，大样本也不会下溢：

    >>> print(round(float(bernoulli_log_likelihood(np.ones(1075), 0.5)), 3))
    -745.133
    """
    # the book's cells pair one label vector with a grid of p (an outer product): broadcast explicitly,
    # since celoss's losses refuse a result shape that equals neither argument's
    y_arr, p_arr = broadcast({"y": as_probability(y, "y"), "p": as_probability(p, "p")})
    return _sum_last(-bce(y_arr, p_arr))


def gaussian_log_likelihood(y, mean):
    r"""把标签看成均值为 ``mean``、方差为 1 的高斯随机变量时，样本的对数似然。

    .. seealso:: :doc:`/likelihood`。

    Parameters
    ----------
    y : array_like
        标签 :math:`y_i`，取值在 [0, 1]，沿最后一个轴排成一个样本。
    mean : array_like
        高斯分布的均值（即模型的预测 :math:`\hat y_i`），取值在 [0, 1]；与 ``y`` 广播。

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
    >>> from celoss.lab.likelihood import gaussian_log_likelihood
    >>> y, y_hat = np.array([1, 0, 1]), np.array([0.9, 0.2, 0.6])
    >>> ll = gaussian_log_likelihood(y, y_hat)
    >>> print(round(float(ll), 6))
    -2.861816
    >>> print(round(float(-ll - 1.5 * np.log(2 * np.pi)), 12), round(float(mse(y, y_hat).sum()), 12))
    0.105 0.105
    """
    y_arr, mean_arr = broadcast({"y": as_probability(y, "y"), "mean": as_probability(mean, "mean")})
    squared = mse(y_arr, mean_arr)
    n = np.atleast_1d(squared).shape[-1]
    log_norm = np.asarray(0.5 * n * np.log(2.0 * np.pi), dtype=np.asarray(squared).dtype)
    return _sum_last(-squared) - log_norm
