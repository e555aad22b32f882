"""激活函数：sigmoid 及其对数，在整条实轴上都保持满精度。

两个私有助手是其余模块共用的"唯一一处"：

* ``_sigmoid_pair(z)`` 同时给出 σ(z) 与 σ(−z)，两者都没有 ``1 − σ`` 式的相消；
* ``_log_sigmoid(z)`` 给出 log σ(z)，其中 log(1 − σ(z)) 就是 ``_log_sigmoid(-z)``。

它们只接受 float64 数组、不做检查；公开函数负责检查与精度。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import as_real, finish, result_dtype

__all__ = ["sigmoid", "log_sigmoid"]


def _sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """返回 (σ(z), σ(−z))，只对 ``e = exp(-abs(z)) <= 1`` 求值，因此不会上溢。"""
    e = np.exp(-np.abs(z))
    big = 1.0 / (1.0 + e)  # σ(|z|) ∈ [1/2, 1]
    small = e / (1.0 + e)  # σ(−|z|) ∈ [0, 1/2]
    nonneg = z >= 0
    return np.where(nonneg, big, small), np.where(nonneg, small, big)


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    """log σ(z) = ``min(z, 0) - log1p(exp(-abs(z)))``：两项同号，没有相消。"""
    return np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))


def _neg_log_sigmoid_pair(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(−log σ(z), −log σ(−z))，与 ``-_log_sigmoid(±z)`` 逐位相同，但 exp 与 log1p 只算一次。"""
    tail = np.log1p(np.exp(-np.abs(z)))
    return np.maximum(-z, 0.0) + tail, np.maximum(z, 0.0) + tail


def sigmoid(z):
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
    sig, _ = _sigmoid_pair(as_real(z, "z").astype(np.float64))
    return finish(sig, result_dtype(z))


def log_sigmoid(z):
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
    return finish(_log_sigmoid(as_real(z, "z").astype(np.float64)), result_dtype(z))
