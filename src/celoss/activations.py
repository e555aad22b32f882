"""激活函数：sigmoid、它的对数与反函数 logit，在整条实轴上都保持满精度。

计算核心在 :mod:`celoss._kernels`（``sigmoid_pair``、``log_sigmoid``、``logit``）；这里只做
「检查、计算、收尾」。
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from celoss import _kernels
from celoss._checks import LOGIT, PROBABILITY, elementwise, finish

__all__ = ["sigmoid", "log_sigmoid", "logit"]



def sigmoid(z: ArrayLike) -> np.ndarray | np.floating:
    r"""Logistic sigmoid 函数 σ(z) = 1 / (1 + e^(−z))，逐元素计算。

    Parameters
    ----------
    z : array_like
        logit，任意实数，也可以是 ``±inf``。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        σ(z)，取值在 [0, 1]；输入是 float32 时结果也是 float32，0 维输入返回 numpy 标量。

    Raises
    ------
    TypeError
        ``z`` 不是实数（字符串、``None``、复数、对象数组）。
    ValueError
        ``z`` 含 NaN。

    Notes
    -----
    只对 :math:`e = \exp(-|z|) \le 1` 求指数，所以任何输入都不会上溢：

    .. math::

        \sigma(z) = \begin{cases}
            \dfrac{1}{1 + e}, & z \ge 0,\\[1ex]
            \dfrac{e}{1 + e}, & z < 0.
        \end{cases}

    两个分支的相对误差都只有几个 ulp；:math:`z < 0` 时尾部
    :math:`\sigma(z) \approx e^{z}` 一直精确到下溢为止。:math:`\sigma(\pm\infty)`
    按极限取 1 与 0。

    需要 :math:`1 - \sigma(z)` 时应当计算 ``sigmoid(-z)``：当 :math:`z` 较大时
    :math:`\sigma(z)` 已经舍入成 1，相减会丢掉全部有效数字（见下例）。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §3.10 "Useful Properties of Common Functions".

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import sigmoid
    >>> print(sigmoid(0.0))
    0.5
    >>> sigmoid(np.array([-np.inf, -1000.0, 1000.0, np.inf]))
    array([0., 0., 1., 1.])

    尾部 :math:`1 - \sigma(40)` 只能用 ``sigmoid(-40)`` 求，直接相减得 0：

    >>> print(sigmoid(-40.0))
    4.248354255291589e-18
    >>> print(1.0 - sigmoid(40.0))
    0.0

    float32 进、float32 出：

    >>> sigmoid(np.float32(2.0)).dtype
    dtype('float32')
    """
    (z_arr,), dtype, _ = elementwise(z=(z, LOGIT))
    sig, _ = _kernels.sigmoid_pair(z_arr)
    return finish(sig, dtype)


def log_sigmoid(z: ArrayLike) -> np.ndarray | np.floating:
    r"""σ(z) 的自然对数 log σ(z) = −log(1 + e^(−z))，逐元素、数值稳定地计算。

    它是交叉熵的基本零件：:math:`\log\sigma(z)` 与
    :math:`\log(1 - \sigma(z)) = \log\sigma(-z)` 都由它给出。

    Parameters
    ----------
    z : array_like
        logit，任意实数，也可以是 ``±inf``。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        :math:`\log\sigma(z) \le 0`；精度规则与 :func:`~celoss.sigmoid` 相同。

    Raises
    ------
    TypeError
        ``z`` 不是实数。
    ValueError
        ``z`` 含 NaN。

    Notes
    -----
    .. math::

        \log\sigma(z) = \min(z, 0) - \operatorname{log1p}\!\left(e^{-|z|}\right).

    两项都不为正，相加没有相消；``log1p`` 保证 :math:`z \gg 0` 时
    :math:`\log\sigma(z) \approx -e^{-z}` 不会被舍入成 0，而 :math:`z \ll 0` 时
    不经过已经下溢成 0 的 :math:`\sigma(z)`，结果 :math:`\approx z` 依然精确。
    极限：:math:`\log\sigma(-\infty) = -\infty`，:math:`\log\sigma(+\infty) = 0`。

    References
    ----------
    .. [1] M. Mächler, "Accurately Computing :math:`\log(1 - \exp(-|a|))`",
           Rmpfr package vignette, 2012（其中 log1pexp 一节）。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import log_sigmoid, sigmoid
    >>> print(log_sigmoid(0.0))
    -0.6931471805599453

    朴素写法 ``log(sigmoid(z))`` 在两端都失效：

    >>> print(log_sigmoid(40.0), np.log(sigmoid(40.0)))
    -4.248354255291589e-18 0.0
    >>> print(log_sigmoid(-800.0), sigmoid(-800.0))
    -800.0 0.0
    """
    (z_arr,), dtype, _ = elementwise(z=(z, LOGIT))
    return finish(_kernels.log_sigmoid(z_arr), dtype)


def logit(p: ArrayLike) -> np.ndarray | np.floating:
    r"""sigmoid 的反函数 :math:`\operatorname{logit}(p) = \log\dfrac{p}{1 - p}`，逐元素计算。

    Parameters
    ----------
    p : array_like
        概率，取值在 [0, 1]；两端给出 ``-inf`` 与 ``inf``。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        满足 ``sigmoid(logit(p)) ≈ p`` 的 logit；精度规则同 :func:`~celoss.sigmoid`。

    Raises
    ------
    TypeError
        ``p`` 不是实数。
    ValueError
        ``p`` 含 NaN 或不在 [0, 1] 内。

    Notes
    -----
    .. math::

        \operatorname{logit}(p) = \log p - \operatorname{log1p}(-p).

    :math:`1 - p` 用 ``log1p`` 计算，:math:`p` 很小时不会被舍入成 1；:math:`p` 接近 1 时
    :math:`1 - p` 本身在浮点数里只有有限的分辨率，这是输入决定的，结果对它是精确的。
    :math:`p = 1/2` 时恰好为 0。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §4.2, eq. (4.58)（logit 是 sigmoid 的反函数）。

    Examples
    --------
    >>> from celoss import logit, sigmoid
    >>> print(logit(0.5), logit(0.75))
    0.0 1.0986122886681098
    >>> print(sigmoid(logit(0.2)))
    0.2
    >>> print(logit(1e-20))
    -46.051701859880914
    >>> logit([0.0, 1.0])
    array([-inf,  inf])
    """
    (p_arr,), dtype, _ = elementwise(p=(p, PROBABILITY))
    return finish(_kernels.logit(p_arr), dtype)
