r"""数值稳定性：故意保留的朴素公式、它们在极端 logit 处的表现，以及高精度参考值。

本模块只为「数值稳定性」一章服务，分三组：

* **朴素公式** （:func:`naive_sigmoid`、:func:`naive_bce_from_logits`、
  :func:`clipped_bce_from_logits`、:func:`naive_softmax`、:func:`naive_log_sum_exp`、
  :func:`shifted_log_sum_exp`、:func:`bce_with_logits_max_form`）：教科书或框架文档里的
  直白写法，**按输入的精度** （float32 就用 float32）逐步计算，不做任何额外保护。上溢、下溢、
  0/0、0·log 0 都照常发生，结果里直接是 ``inf``、``NaN`` 或 0；但计算放在
  ``numpy.errstate(all="ignore")`` 里，不发出 ``RuntimeWarning``。它们只用来和 celoss 的
  稳定实现对照，不要用来训练。
* **对照表** （:func:`stability_table`、:func:`agreement_table`）：在一组 logit 处并排列出
  各种写法的结果，标出 inf、NaN、错误的 0 与不准的值，或给出以 ulp 计的误差。
* **参考值** （:func:`reference_bce_with_logits`、:func:`reference_cross_entropy`、
  :func:`ulp_error`）：只用标准库 :mod:`decimal`，以任意位十进制有效数字计算的损失，
  以及一个浮点数离它有几个 ulp。

输入检查与中文错误信息来自 ``celoss._checks``，与其余 celoss 函数一致。
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from celoss._checks import (
    as_count,
    as_labels,
    as_probability,
    as_real,
    broadcast,
    check_axis,
    check_finite,
    check_interval,
    result_dtype,
)
from celoss._tables import html_table, scrollable, text_table
from celoss.losses import bce_with_logits
from celoss.multiclass import cross_entropy

__all__ = [
    "naive_sigmoid",
    "naive_bce_from_logits",
    "clipped_bce_from_logits",
    "bce_with_logits_max_form",
    "naive_softmax",
    "naive_log_sum_exp",
    "shifted_log_sum_exp",
    "naive_bce_breakdown",
    "reference_bce_with_logits",
    "reference_cross_entropy",
    "ulp_error",
    "StabilityColumn",
    "StabilityTable",
    "stability_table",
    "STATUS_NOTES",
    "AgreementTable",
    "agreement_table",
    "EXTREME_LOGITS",
    "AGREEMENT_POINTS",
]

#: 对照表默认使用的极端 logit：±10、±20、±40、±100、±800、±10⁴。
EXTREME_LOGITS = (-1e4, -800.0, -100.0, -40.0, -20.0, -10.0, 10.0, 20.0, 40.0, 100.0, 800.0, 1e4)


# --- 检查与精度 ---------------------------------------------------------------------------------


def _naive_args(y, z) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    checked = {"y": as_probability(y, "y"), "z": as_real(z, "z")}
    dtype = result_dtype(y, z)
    y_arr, z_arr = (a.astype(dtype) for a in broadcast(checked))
    return y_arr, z_arr, dtype


def _logit_rows(z, axis) -> tuple[np.ndarray, int]:
    """z：有限实数、至少一维，类别轴非空；返回计算精度的数组与非负轴号（不移动轴）。"""
    z_arr = check_finite(as_real(z, "z"), "z")
    if z_arr.ndim == 0:
        raise ValueError("z 至少要有一维：类别轴 axis 上的各个 logit")
    pos = check_axis(axis, z_arr.ndim)
    if z_arr.shape[pos] == 0:
        raise ValueError(f"z 的类别轴（axis={axis}）长度为 0：至少要有一个类别")
    return z_arr.astype(result_dtype(z)), pos


def _scalar(value) -> np.ndarray | np.generic:
    """0 维结果返回 numpy 标量，其余原样返回（精度已经是计算精度）。"""
    value = np.asarray(value)
    return value[()] if value.ndim == 0 else value


# --- 朴素公式（故意不稳定） ----------------------------------------------------------------------


def _sigmoid_literal(z: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return 1 / (1 + np.exp(-z))


def naive_sigmoid(z):
    r"""照字面计算的 sigmoid :math:`1 / (1 + e^{-z})`，在输入精度里逐步求值。

    Parameters
    ----------
    z : array_like
        logit，实数（可以是 ``±inf``）。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        :math:`\sigma(z)` 的朴素值：``z`` 是 float32 数组时用 float32 计算并返回 float32，
        否则用 float64。

    Raises
    ------
    TypeError
        ``z`` 不是实数。
    ValueError
        ``z`` 含 NaN。

    Notes
    -----
    .. math::

        \sigma(z) = \frac{1}{1 + e^{-z}} .

    :math:`z` 很大时 :math:`1 + e^{-z}` 舍入成 1，结果恰好是 1，:math:`1 - \sigma(z)`
    的信息全部丢失（float64 在 :math:`z \approx 36.7` 之后，float32 在 :math:`z \approx 16.6`
    之后）；:math:`z` 很负时 :math:`e^{-z}` 上溢成 ``inf``，结果是 0。不发出警告。
    稳定的写法见 :func:`celoss.sigmoid`。

    References
    ----------
    .. [1] D. Goldberg, "What Every Computer Scientist Should Know About Floating-Point
           Arithmetic", *ACM Computing Surveys* 23(1), 1991, 5–48.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.numerics import naive_sigmoid
    >>> print(naive_sigmoid(40.0), naive_sigmoid(np.float32(17.0)))
    1.0 1.0
    >>> print(naive_sigmoid(-800.0))
    0.0
    """
    z_arr = as_real(z, "z")
    return _scalar(_sigmoid_literal(z_arr.astype(result_dtype(z))))


def naive_bce_from_logits(y, z):
    r"""教科书写法的二元交叉熵：先算 :math:`\hat y = \sigma(z)`，再算 :math:`-[y\log\hat y + (1 - y)\log(1 - \hat y)]`。

    两步都照字面、在输入精度里计算（σ 用 :func:`naive_sigmoid`），不截断、不处理
    :math:`0 \cdot \log 0`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，实数。与 ``y`` 按 numpy 规则广播。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        朴素的损失，可能是 ``inf`` 或 ``NaN``；精度规则同 :func:`celoss.bce_with_logits`
        （计算也在这个精度里进行）。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    .. math::

        \ell = -\bigl[y\log\hat y + (1 - y)\log(1 - \hat y)\bigr],
        \qquad \hat y = \frac{1}{1 + e^{-z}} .

    :math:`\hat y` 舍入成 1 之后，:math:`\log(1 - \hat y) = -\infty`：标签 :math:`y < 1`
    时损失是 ``inf``，:math:`y = 1` 时是 :math:`0 \cdot (-\infty) =` ``NaN``；
    :math:`e^{-z}` 上溢使 :math:`\hat y = 0` 时同理。出现的位置见 :func:`naive_bce_breakdown`。
    稳定的写法是 :func:`celoss.bce_with_logits`。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §4.1 "Overflow and Underflow".

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import bce_with_logits
    >>> from celoss.numerics import naive_bce_from_logits
    >>> print(naive_bce_from_logits(0, 40.0), bce_with_logits(0, 40.0))
    inf 40.0
    >>> print(naive_bce_from_logits(1, 40.0))
    nan
    >>> print(naive_bce_from_logits(0, np.float32(20.0)), bce_with_logits(0, np.float32(20.0)))
    inf 20.0
    """
    y_arr, z_arr, _ = _naive_args(y, z)
    y_hat = _sigmoid_literal(z_arr)
    with np.errstate(all="ignore"):
        loss = -(y_arr * np.log(y_hat) + (1 - y_arr) * np.log(1 - y_hat))
    return _scalar(loss)


def clipped_bce_from_logits(y, z, eps=None):
    r"""常见的「补丁」：先把 :math:`\hat y = \sigma(z)` 截断到 :math:`[\varepsilon, 1 - \varepsilon]`，再算二元交叉熵。

    这样不再出现 ``inf`` 与 ``NaN``，但损失被悄悄限制在 :math:`-\log\varepsilon` 以内，
    很小的损失也被抬高到约 :math:`\varepsilon`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，实数。与 ``y`` 按 numpy 规则广播。
    eps : float, optional
        截断阈值 :math:`\varepsilon \in (0, 1/2)`；默认取计算精度的机器 ε
        （float64 为 :math:`2^{-52}`，float32 为 :math:`2^{-23}`）。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        截断后的损失，在 :math:`[-\log(1 - \varepsilon), -\log\varepsilon]` 内；
        精度规则同 :func:`naive_bce_from_logits`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内、``eps`` 不在 (0, 1/2) 内，或形状无法广播。

    Notes
    -----
    .. math::

        \tilde y = \min\bigl(\max(\sigma(z), \varepsilon), 1 - \varepsilon\bigr), \qquad
        \ell = -\bigl[y\log\tilde y + (1 - y)\log(1 - \tilde y)\bigr] \le -\log\varepsilon .

    对 :math:`y = 0`、:math:`z = 100`，真实损失约为 100，截断后只有 :math:`-\log\varepsilon`
    （float64 约 36.04）：梯度也随之变成 0，模型不再因为这个错得离谱的样本受罚。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016, §4.1.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.numerics import clipped_bce_from_logits
    >>> print(round(float(clipped_bce_from_logits(0, 100.0)), 4))
    36.0437
    >>> print(round(float(clipped_bce_from_logits(0, np.float32(100.0))), 4))
    15.9424
    >>> print(round(float(clipped_bce_from_logits(0, 100.0, eps=1e-7)), 4))
    16.1181
    """
    y_arr, z_arr, dtype = _naive_args(y, z)
    if eps is None:
        eps_value = np.finfo(dtype).eps
    else:
        eps_arr = as_real(eps, "eps")
        if eps_arr.ndim != 0:
            raise ValueError(f"eps 必须是标量，收到形状 {eps_arr.shape}")
        eps_value = float(check_interval(eps_arr, "eps", 0, 0.5, closed="neither"))
    eps_value = dtype.type(eps_value)
    y_hat = np.clip(_sigmoid_literal(z_arr), eps_value, 1 - eps_value)
    with np.errstate(all="ignore"):
        loss = -(y_arr * np.log(y_hat) + (1 - y_arr) * np.log(1 - y_hat))
    return _scalar(loss)


def bce_with_logits_max_form(y, z):
    r"""框架文档给出的 logit 形式 :math:`\max(z, 0) - z\,y + \log(1 + e^{-|z|})`，照字面、在输入精度里计算。

    TensorFlow 的 ``tf.nn.sigmoid_cross_entropy_with_logits`` 文档写的就是这个式子；
    这里的 :math:`\log(1 + \cdot)` 用 ``log1p`` 求值。它不会上溢，也不产生 ``inf`` 或 ``NaN``，
    但 :math:`\max(z, 0) - z y` 在软标签 :math:`y \approx 1`、:math:`z \gg 0` 时是两个相近
    大数之差，可能丢掉有效数字。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，有限实数。与 ``y`` 按 numpy 规则广播。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        损失；精度规则同 :func:`naive_bce_from_logits`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    由 :math:`-\log\sigma(z) = \log(1 + e^{-z})` 与
    :math:`-\log(1 - \sigma(z)) = z + \log(1 + e^{-z})` 得
    :math:`\ell = (1 - y)z + \log(1 + e^{-z})`；为避免 :math:`z < 0` 时 :math:`e^{-z}`
    上溢，改写成

    .. math::

        \ell = \max(z, 0) - z\,y + \operatorname{log1p}\bigl(e^{-|z|}\bigr).

    :func:`celoss.bce_with_logits` 用的是 :math:`y\,(-\log\sigma(z)) + (1 - y)(-\log\sigma(-z))`，
    两项都非负，没有这一步相减。

    References
    ----------
    .. [1] TensorFlow API documentation, ``tf.nn.sigmoid_cross_entropy_with_logits``,
           https://www.tensorflow.org/api_docs/python/tf/nn/sigmoid_cross_entropy_with_logits

    Examples
    --------
    >>> from celoss import bce_with_logits
    >>> from celoss.numerics import bce_with_logits_max_form
    >>> print(bce_with_logits_max_form(0, 800.0), bce_with_logits_max_form(1, 40.0))
    800.0 4.248354255291589e-18

    接近 1 的软标签：max 形式丢掉了约 9 位有效数字（精确值是 3.0000000919971621…e-06）：

    >>> y = 0.9999999
    >>> print(bce_with_logits_max_form(y, 30.0), bce_with_logits(y, 30.0))
    3.000000093107385e-06 3.000000091997162e-06
    """
    checked = {"y": as_probability(y, "y"), "z": check_finite(as_real(z, "z"), "z")}
    dtype = result_dtype(y, z)
    y_arr, z_arr = (a.astype(dtype) for a in broadcast(checked))
    with np.errstate(all="ignore"):
        loss = np.maximum(z_arr, 0) - z_arr * y_arr + np.log1p(np.exp(-np.abs(z_arr)))
    return _scalar(loss)


def naive_softmax(z, axis=-1):
    r"""照字面计算的 softmax :math:`e^{z_j} / \sum_k e^{z_k}`，不减最大值。

    Parameters
    ----------
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray
        与 ``z`` 同形状；可能含 ``NaN`` （:math:`\infty/\infty`）或 0（下溢）。``z`` 是
        float32 数组时在 float32 里计算，否则用 float64。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    .. math::

        p_j = \frac{e^{z_j}}{\sum_k e^{z_k}} .

    某个 :math:`z_k` 超过 :math:`\log(\text{最大浮点数})` （float64 约 709.78，float32 约
    88.72）时 :math:`e^{z_k} = \infty`，:math:`p_k = \infty/\infty =` ``NaN``；所有
    :math:`z_k` 都很负时分母下溢成 0，得到 :math:`0/0`。稳定的写法见
    :func:`celoss.softmax`。

    References
    ----------
    .. [1] P. Blanchard, D. J. Higham, N. J. Higham, "Accurately computing the log-sum-exp
           and softmax functions", *IMA Journal of Numerical Analysis* 41(4), 2021, 2311–2330.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.numerics import naive_softmax
    >>> print(np.round(naive_softmax([1.0, 2.0, 3.0]), 6))
    [0.090031 0.244728 0.665241]
    >>> print(naive_softmax([800.0, 0.0]))
    [nan  0.]
    """
    z_arr, pos = _logit_rows(z, axis)
    with np.errstate(all="ignore"):
        e = np.exp(z_arr)
        return e / np.sum(e, axis=pos, keepdims=True)


def naive_log_sum_exp(z, axis=-1):
    r"""照字面计算的 log-sum-exp :math:`\log\sum_k e^{z_k}`，不减最大值。

    Parameters
    ----------
    z : array_like
        有限实数，至少一维；沿 ``axis`` 求和。
    axis : int, optional
        求和的轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        去掉 ``axis`` 后的形状；0 维时返回 numpy 标量。可能是 ``inf`` （上溢）或
        ``-inf`` （下溢）。精度规则同 :func:`naive_softmax`。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    .. math::

        \operatorname{LSE}(z) = \log\sum_k e^{z_k} .

    最大的 :math:`z_k` 超过约 709.78 （float64）或 88.72 （float32）时上溢成 ``inf``；
    所有 :math:`z_k` 都很负时和下溢成 0，结果是 ``-inf``。

    References
    ----------
    .. [1] P. Blanchard, D. J. Higham, N. J. Higham, "Accurately computing the log-sum-exp
           and softmax functions", *IMA Journal of Numerical Analysis* 41(4), 2021, 2311–2330.

    Examples
    --------
    >>> from celoss.numerics import naive_log_sum_exp
    >>> print(round(float(naive_log_sum_exp([1.0, 2.0, 3.0])), 6))
    3.407606
    >>> print(naive_log_sum_exp([800.0, 0.0]), naive_log_sum_exp([-800.0, -800.0]))
    inf -inf
    """
    z_arr, pos = _logit_rows(z, axis)
    with np.errstate(all="ignore"):
        return _scalar(np.log(np.sum(np.exp(z_arr), axis=pos)))


def shifted_log_sum_exp(z, axis=-1):
    r"""常见的「减最大值」写法 :math:`m + \log\sum_k e^{z_k - m}`，:math:`m = \max_k z_k`。

    它不会上溢，但 :math:`\log(1 + S)` 直接用 ``log``：其余各项之和 :math:`S` 小于精度的
    一半时 :math:`1 + S` 舍入成 1，之后再减去 :math:`z_c` 得到的损失就成了 0。
    :func:`celoss.log_softmax` 与 :func:`celoss.cross_entropy` 用 ``log1p(S)`` 保留它。

    Parameters
    ----------
    z : array_like
        有限实数，至少一维；沿 ``axis`` 求和。
    axis : int, optional
        求和的轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        去掉 ``axis`` 后的形状；精度规则同 :func:`naive_softmax`。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    .. math::

        \operatorname{LSE}(z) = m + \log\sum_k e^{z_k - m}, \qquad m = \max_k z_k .

    每个指数都不超过 :math:`e^0 = 1`，和在 :math:`[1, K]` 内，所以既不上溢也不下溢到 0。

    References
    ----------
    .. [1] P. Blanchard, D. J. Higham, N. J. Higham, "Accurately computing the log-sum-exp
           and softmax functions", *IMA Journal of Numerical Analysis* 41(4), 2021, 2311–2330.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import cross_entropy
    >>> from celoss.numerics import shifted_log_sum_exp
    >>> print(shifted_log_sum_exp([800.0, 0.0]))
    800.0
    >>> z = np.array([80.0, 0.0], dtype=np.float32)
    >>> print(shifted_log_sum_exp(z) - z[0], cross_entropy(0, z))
    0.0 1.8048513e-35
    """
    z_arr, pos = _logit_rows(z, axis)
    m = np.max(z_arr, axis=pos, keepdims=True)
    with np.errstate(all="ignore"):
        out = m + np.log(np.sum(np.exp(z_arr - m), axis=pos, keepdims=True))
    return _scalar(np.squeeze(out, axis=pos))


# --- 朴素公式在哪里坏掉 -------------------------------------------------------------------------


def _as_float_dtype(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype 必须是 float32 或 float64，收到 {dtype!r}") from None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype 必须是 float32 或 float64，收到 {dt}")
    return dt


def naive_bce_breakdown(dtype=np.float64) -> float:
    r"""朴素二元交叉熵开始失效的 logit：使 :func:`~celoss.numerics.naive_sigmoid` 恰好等于 1 的最小正数 :math:`z`。

    从这个 :math:`z` 起，:func:`naive_bce_from_logits` 对 :math:`y < 1` 给出 ``inf``，
    对 :math:`y = 1` 给出 ``NaN``。

    Parameters
    ----------
    dtype : {numpy.float64, numpy.float32}, optional
        计算精度，默认 float64。

    Returns
    -------
    float
        该精度下的临界 logit（本身是该精度可以表示的数）。

    Raises
    ------
    TypeError
        ``dtype`` 不是数据类型。
    ValueError
        ``dtype`` 不是 float32 或 float64。

    Notes
    -----
    在 ``dtype`` 的所有正浮点数上二分查找（浮点数的位模式与数值同序），判据就是朴素的
    :math:`1/(1 + e^{-z}) = 1`。粗略估计：:math:`e^{-z}` 小于机器 ε 的一半时
    :math:`1 + e^{-z}` 舍入成 1，即 :math:`z > \log(2/\varepsilon)`，float64 约 36.74，
    float32 约 16.64。

    References
    ----------
    .. [1] IEEE Standard for Floating-Point Arithmetic, IEEE Std 754-2019.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.numerics import naive_bce_breakdown, naive_sigmoid
    >>> z = naive_bce_breakdown(np.float64)
    >>> print(round(z, 4), float(naive_sigmoid(z)), float(naive_sigmoid(np.nextafter(z, 0))) < 1)
    36.7368 1.0 True
    >>> print(round(naive_bce_breakdown(np.float32), 4))
    16.6355
    """
    dt = _as_float_dtype(dtype)
    ints = np.int32 if dt == np.float32 else np.int64
    lo, hi = 0, int(np.array(1000.0, dtype=dt).view(ints))  # σ(0) < 1, σ(1000) = 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        z = np.array(mid, dtype=ints).view(dt)
        if _sigmoid_literal(z) == 1:
            hi = mid
        else:
            lo = mid
    return float(np.array(hi, dtype=ints).view(dt))


# --- 高精度参考值（标准库 decimal） ---------------------------------------------------------------

_GUARD_DIGITS = 12


def _context(digits: int) -> decimal.Context:
    return decimal.Context(prec=digits + _GUARD_DIGITS, rounding=decimal.ROUND_HALF_EVEN,
                           Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX)


def _log1p(t: Decimal, ctx: decimal.Context) -> Decimal:
    """log(1 + t)，t ≥ 0：t 小时用级数（没有 1 + t 的舍入），否则直接 ln。"""
    if t == 0:
        return Decimal(0)
    if t > Decimal("1e-3"):
        wider = decimal.Context(prec=ctx.prec + 5, Emin=ctx.Emin, Emax=ctx.Emax)
        return ctx.plus(wider.ln(wider.add(1, t)))
    # t − t²/2 + t³/3 − …：每项至少缩小 1000 倍，交错级数的截断误差小于第一个舍去的项
    total, power, k = Decimal(0), t, 1
    tiny = ctx.multiply(t, ctx.power(10, -ctx.prec - 2))
    while True:
        term = ctx.divide(power, k)
        if term < tiny:
            return total
        total = ctx.add(total, term) if k % 2 else ctx.subtract(total, term)
        power = ctx.multiply(power, t)
        k += 1


def _softplus(x: Decimal, ctx: decimal.Context) -> Decimal:
    """log(1 + e^x)：x > 0 时写成 x + log1p(e^(−x))，指数都不超过 1。"""
    if x > 0:
        return ctx.add(x, _log1p(ctx.exp(x.copy_negate()), ctx))
    return _log1p(ctx.exp(x), ctx)


def _scalar_arg(value, name: str, check) -> float:
    arr = check(value, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} 必须是标量（参考值逐个计算），收到形状 {arr.shape}")
    return float(arr)


def reference_bce_with_logits(y, z, digits=50) -> Decimal:
    r"""二元交叉熵 ``bce(y, sigmoid(z))`` 的高精度参考值，只用标准库 :mod:`decimal`。

    ``y`` 与 ``z`` 取它们作为浮点数的**精确值** （float32 的 0.3 就是
    0.300000011920928955078125），结果有 ``digits`` 位正确的十进制有效数字。

    Parameters
    ----------
    y : float
        标签，[0, 1] 内的实数标量。
    z : float
        logit，有限实数标量。
    digits : int, optional
        结果的十进制有效数字位数，默认 50。

    Returns
    -------
    decimal.Decimal
        损失，舍入到 ``digits`` 位有效数字。

    Raises
    ------
    TypeError
        ``y`` 或 ``z`` 不是实数，``digits`` 不是整数。
    ValueError
        ``y``、``z`` 不是标量或含 NaN，``y`` 不在 [0, 1] 内，``z`` 是 ``±inf``，
        或 ``digits`` 小于 1。

    Notes
    -----
    记 :math:`\operatorname{softplus}(x) = \log(1 + e^{x})`，则

    .. math::

        \ell(y, z) = y\,\operatorname{softplus}(-z) + (1 - y)\,\operatorname{softplus}(z),

    两项都非负。:math:`x > 0` 时用 :math:`x + \log(1 + e^{-x})`；:math:`\log(1 + t)` 在
    :math:`t \le 10^{-3}` 时用交错级数 :math:`t - t^2/2 + t^3/3 - \cdots`，
    否则用 ``Decimal.ln``。``Decimal`` 的 ``exp``、``ln`` 与四则运算都是正确舍入的；
    中间结果比 ``digits`` 多保留 12 位，最后再舍入一次。:math:`|z| = 10^4` 时
    :math:`e^{-|z|} \approx 10^{-4343}` 也不会下溢（指数范围放到了最大）。

    References
    ----------
    .. [1] Python documentation, ``decimal`` — Decimal fixed-point and floating-point
           arithmetic, https://docs.python.org/3/library/decimal.html
    .. [2] M. F. Cowlishaw, *General Decimal Arithmetic Specification*, IBM, version 1.70, 2009.

    Examples
    --------
    >>> from celoss.numerics import reference_bce_with_logits
    >>> print(reference_bce_with_logits(1, 0.0, digits=20))
    0.69314718055994530942
    >>> print(reference_bce_with_logits(1, 40.0, digits=20))
    4.2483542552915889863E-18
    >>> print(reference_bce_with_logits(0, 1e4, digits=20))
    10000.000000000000000
    """
    y_f = _scalar_arg(y, "y", as_probability)
    z_f = _scalar_arg(z, "z", lambda v, n: check_finite(as_real(v, n), n))
    digits = as_count(digits, "digits", 1)
    ctx = _context(digits)
    y_d, z_d = Decimal(y_f), Decimal(z_f)
    total = Decimal(0)
    if y_d != 0:
        total = ctx.add(total, ctx.multiply(y_d, _softplus(z_d.copy_negate(), ctx)))
    if y_d != 1:
        total = ctx.add(total, ctx.multiply(ctx.subtract(1, y_d), _softplus(z_d, ctx)))
    return decimal.Context(prec=digits).plus(total)


def reference_cross_entropy(label, z, digits=50) -> Decimal:
    r"""多类交叉熵 ``cross_entropy(label, z)`` 的高精度参考值，只用标准库 :mod:`decimal`。

    Parameters
    ----------
    label : int
        真实类别，:math:`[0, K)` 内的整数。
    z : array_like
        一行 logit（一维，长度 :math:`K \ge 1`），有限实数；取它们作为浮点数的精确值。
    digits : int, optional
        结果的十进制有效数字位数，默认 50。

    Returns
    -------
    decimal.Decimal
        :math:`-\log\operatorname{softmax}(z)_c`，舍入到 ``digits`` 位有效数字。

    Raises
    ------
    TypeError
        参数类型不对（``label`` 不是整数、``z`` 不是实数、``digits`` 不是整数）。
    ValueError
        ``z`` 不是一维或含 NaN、``±inf``，``label`` 超出范围，或 ``digits`` 小于 1。

    Notes
    -----
    记 :math:`m = \max_k z_k`，:math:`S_c = \sum_{k \ne c} e^{z_k - z_c}`：

    .. math::

        -\log p_c = \log\sum_k e^{z_k - z_c}
        = \begin{cases}
            \log(1 + S_c), & z_c = m, \\
            (m - z_c) + \log\sum_k e^{z_k - m}, & z_c < m,
          \end{cases}

    第一种情况用与 :func:`reference_bce_with_logits` 相同的 ``log1p`` 级数，所以
    :math:`S_c` 再小也不会丢失；各项都非负，没有相消。

    References
    ----------
    .. [1] Python documentation, ``decimal``, https://docs.python.org/3/library/decimal.html

    Examples
    --------
    >>> from celoss.numerics import reference_cross_entropy
    >>> print(reference_cross_entropy(0, [80.0, 0.0], digits=20))
    1.8048513878454151723E-35
    >>> print(reference_cross_entropy(1, [80.0, 0.0], digits=20))
    80
    """
    z_arr = check_finite(as_real(z, "z"), "z")
    if z_arr.ndim != 1 or z_arr.size == 0:
        raise ValueError(f"z 必须是非空的一维数组（一行 logit），收到形状 {z_arr.shape}")
    c = int(as_labels(label, "label", z_arr.size).reshape(-1)[0]) if np.ndim(label) == 0 else None
    if c is None:
        raise ValueError(f"label 必须是标量（参考值逐行计算），收到形状 {np.shape(label)}")
    digits = as_count(digits, "digits", 1)
    ctx = _context(digits)
    zs = [Decimal(float(v)) for v in z_arr]
    m = max(zs)
    if zs[c] == m:
        rest = Decimal(0)
        skipped = False
        for k, v in enumerate(zs):
            if k == c and not skipped:
                skipped = True
                continue
            rest = ctx.add(rest, ctx.exp(ctx.subtract(v, zs[c])))
        total = _log1p(rest, ctx)
    else:
        s = Decimal(0)
        for v in zs:
            s = ctx.add(s, ctx.exp(ctx.subtract(v, m)))  # s ≥ 1：直接取 ln
        total = ctx.add(ctx.subtract(m, zs[c]), ctx.ln(s))
    return decimal.Context(prec=digits).plus(total)


def ulp_error(value, reference) -> float:
    r"""浮点数 ``value`` 与参考值 ``reference`` 相差几个 ulp（以参考值处的 ulp 为单位）。

    Parameters
    ----------
    value : float or numpy.floating
        待检查的结果；numpy 的 float32 标量按 float32 的 ulp 衡量，其余按 float64。
    reference : decimal.Decimal or float
        精确值（或足够精确的参考值）。

    Returns
    -------
    float
        :math:`|v - r| / \operatorname{ulp}(r)`；``value`` 是 ``inf`` 或 ``NaN`` 时返回 ``inf``。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数不是标量或 ``reference`` 不是有限数。

    Notes
    -----
    精度为 :math:`p` 位（float64 为 53，float32 为 24）时，
    :math:`\operatorname{ulp}(r) = 2^{\max(e, e_{\min}) - p + 1}`，其中
    :math:`2^e \le |r| < 2^{e+1}`，:math:`e_{\min}` 是最小正规数的指数；
    参考值落在次正规数范围或更小时，ulp 取次正规数的间距，误差按绝对值衡量。
    正确舍入的结果误差不超过 0.5 ulp。

    References
    ----------
    .. [1] J.-M. Muller, "On the definition of ulp(x)", INRIA Research Report RR-5504, 2005.

    Examples
    --------
    >>> import numpy as np
    >>> from decimal import Decimal
    >>> from celoss.numerics import ulp_error
    >>> print(ulp_error(1.0 + 2**-52, Decimal(1)))
    1.0
    >>> print(ulp_error(np.float32(1.0), Decimal(1) + Decimal(2) ** -23))
    1.0
    >>> print(ulp_error(0.1, Decimal("0.1")) < 0.5)
    True
    """
    dtype = np.dtype(value.dtype) if isinstance(value, np.floating) else np.dtype(np.float64)
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return math.inf  # NaN 与任何参考值都不一致（as_real 会拒绝 NaN，所以先处理）
    v = as_real(value, "value")
    if v.ndim != 0:
        raise ValueError(f"value 必须是标量，收到形状 {v.shape}")
    if isinstance(reference, Decimal):
        if not reference.is_finite():
            raise ValueError(f"reference 必须是有限数，收到 {reference}")
        ref = reference
    else:
        r = check_finite(as_real(reference, "reference"), "reference")
        if r.ndim != 0:
            raise ValueError(f"reference 必须是标量，收到形状 {r.shape}")
        ref = Decimal(float(r))
    v_f = float(v)
    if not math.isfinite(v_f):
        return math.inf
    info = np.finfo(dtype)
    ref_f = float(ref)
    exponent = math.frexp(ref_f)[1] - 1 if ref_f != 0 and math.isfinite(ref_f) else info.minexp
    if math.isinf(ref_f):
        exponent = info.maxexp
    ctx = decimal.Context(prec=60, Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX)
    unit = ctx.power(2, max(exponent, info.minexp) - info.nmant)
    return float(ctx.divide(ctx.abs(ctx.subtract(Decimal(v_f), ref)), unit))


# --- 对照表 -------------------------------------------------------------------------------------

#: 单元格状态的中文说明（HTML 表格里悬停可见，也用于文字表的标记）。
STATUS_NOTES = {
    "ok": "相对误差不超过 0.1%",
    "inaccurate": "相对误差超过 0.1%",
    "zero": "精确值在该精度下不为 0，结果却是 0",
    "inf": "精确值有限，结果却是 inf",
    "nan": "结果是 NaN",
}

#: 表格的两种内容：(标题, 精确值的说明, [(公式名, 计算函数)])。
_KINDS = {
    "bce": "二元交叉熵 −log σ(z)（y = 1）",
    "cross_entropy": "softmax 交叉熵 −log softmax(z, 0, 0)₀",
}


def _formulas(kind: str):
    if kind == "bce":
        return (
            ("朴素", lambda z: naive_bce_from_logits(1, z)),
            ("截断到 ε", lambda z: clipped_bce_from_logits(1, z)),
            ("celoss", lambda z: bce_with_logits(1, z)),
        )

    def rows(z):
        return np.stack([z, np.zeros_like(z), np.zeros_like(z)], axis=-1)

    def naive(z):
        with np.errstate(all="ignore"):
            return -np.log(naive_softmax(rows(z))[..., 0])

    def shifted(z):
        r = rows(z)
        return shifted_log_sum_exp(r) - r[..., 0]

    return (
        ("朴素", naive),
        ("减最大值", shifted),
        ("celoss", lambda z: cross_entropy(0, rows(z))),
    )


def _exact(kind: str, z: float, digits: int) -> Decimal:
    if kind == "bce":
        return reference_bce_with_logits(1, z, digits=digits)
    return reference_cross_entropy(0, [z, 0.0, 0.0], digits=digits)


def _status(value: float, exact: Decimal, dtype: np.dtype) -> str:
    """单元格的状态；与正确舍入的值相差不超过 1 ulp 的结果总算作 ``"ok"`` （含次正规数）。"""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf"
    rounded = np.array(float(exact)).astype(dtype)  # float(exact) 在 float64 范围外下溢成 0
    if value == 0:
        return "ok" if rounded == 0 else "zero"
    if abs(np.array(value).astype(dtype) - rounded) <= np.spacing(rounded):
        return "ok"
    ctx = decimal.Context(prec=30, Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX)
    rel = ctx.abs(ctx.divide(ctx.subtract(Decimal(value), exact), exact)) if exact else Decimal(1)
    return "ok" if rel <= Decimal("1e-3") else "inaccurate"


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return "0" if value == 0 else f"{value:.4g}"


def _fmt_decimal(value: Decimal, digits: int) -> str:
    """与 Python 浮点数的 ``g`` 格式一致的写法，但不受浮点范围限制（1.135e-4343 也能写出）。"""
    if value == 0:
        return "0"
    value = decimal.Context(prec=digits).plus(value)
    exponent = value.adjusted()
    if -4 <= exponent < digits:
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa = f"{value.scaleb(-exponent, decimal.Context(prec=digits)):f}"
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    return f"{mantissa}e{exponent:+03d}"


def _fmt_exact(value: Decimal) -> str:
    return _fmt_decimal(value, 4)


#: 单元格的紧凑样式：右对齐、不换行、比主题默认更小的内边距，让宽表格在桌面上尽量放得下。
_CELL = "text-align: right; white-space: nowrap; padding: 0.25rem 0.45rem"
_HEAD = "text-align: right; padding: 0.25rem 0.45rem"  # 表头可以换行
_TABLE = "font-variant-numeric: tabular-nums; font-size: 0.82em; width: auto"


_CELL_STYLE = {
    "ok": "",
    "inaccurate": "color: #b35c00; font-weight: 600",
    "zero": "color: #c0392b; font-weight: 600",
    "inf": "color: #c0392b; font-weight: 600",
    "nan": "color: #c0392b; font-weight: 600",
}


@dataclass(frozen=True)
class StabilityColumn:
    """:class:`~celoss.numerics.StabilityTable` 的一列：一种写法在一种精度下的结果。"""

    formula: str
    dtype: str
    values: np.ndarray
    status: tuple[str, ...]


@dataclass(frozen=True)
class StabilityTable:
    """:func:`~celoss.numerics.stability_table` 的结果：每行一个 logit，每列一种写法与精度。

    在 Jupyter 或本书页面里作为单元格结果时显示为 HTML 表格（失效的单元格标红）；
    ``str()`` 给出纯文本表，失效的单元格后面加 ``!``。
    """

    kind: str
    title: str
    logits: np.ndarray
    exact: tuple[Decimal, ...]
    columns: tuple[StabilityColumn, ...]

    def column(self, formula: str, dtype) -> StabilityColumn:
        """按公式名与精度取一列。"""
        name = np.dtype(dtype).name
        for col in self.columns:
            if col.formula == formula and col.dtype == name:
                return col
        raise KeyError(f"没有这一列：{formula}，{name}")

    def failures(self, formula: str, dtype) -> list[tuple[float, str]]:
        """某一列中所有失效的单元格：[(z, 状态), …]，状态见 :data:`STATUS_NOTES`。"""
        col = self.column(formula, dtype)
        return [(float(z), s) for z, s in zip(self.logits, col.status, strict=True) if s != "ok"]

    @property
    def rows(self) -> list[dict]:
        """逐行的纯数据：``{"z": …, "exact": Decimal, (公式, 精度): (值, 状态), …}``。"""
        out = []
        for i, z in enumerate(self.logits):
            row = {"z": float(z), "exact": self.exact[i]}
            for col in self.columns:
                row[(col.formula, col.dtype)] = (float(col.values[i]), col.status[i])
            out.append(row)
        return out

    def __str__(self) -> str:
        header = ["z", "精确值"] + [f"{c.formula} {c.dtype}" for c in self.columns]
        body = [
            [f"{z:g}", _fmt_exact(self.exact[i])]
            + [_fmt(float(c.values[i])) + ("" if c.status[i] == "ok" else "!") for c in self.columns]
            for i, z in enumerate(self.logits)
        ]
        return text_table(header, body)

    def _repr_html_(self) -> str:
        right = _CELL
        dtypes = list(dict.fromkeys(c.dtype for c in self.columns))
        groups = "".join(
            f'<th colspan="{sum(c.dtype == d for c in self.columns)}" style="text-align: center; padding: 0.3rem">{d}</th>'
            for d in dtypes
        )
        ordered = [c for d in dtypes for c in self.columns if c.dtype == d]
        names = "".join(f'<th style="{right}">{c.formula}</th>' for c in ordered)
        head = (f'<tr><th rowspan="2" style="{right}">z</th><th rowspan="2" style="{right}">精确值</th>'
                f"{groups}</tr><tr>{names}</tr>")
        body = []
        for i, z in enumerate(self.logits):
            cells = [f'<td style="{right}">{z:g}</td>', f'<td style="{right}">{_fmt_exact(self.exact[i])}</td>']
            for c in ordered:
                s = c.status[i]
                style = f"{right}; {_CELL_STYLE[s]}" if _CELL_STYLE[s] else right
                cells.append(f'<td style="{style}" title="{STATUS_NOTES[s]}" data-status="{s}">'
                             f"{_fmt(float(c.values[i]))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        table = (f'<table class="celoss-table table" data-kind="{self.kind}" '
                 f'style="{_TABLE}">'
                 f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>")
        return scrollable(table)


def stability_table(kind="bce", z=EXTREME_LOGITS, dtypes=("float32", "float64"), digits=30) -> StabilityTable:
    r"""在极端 logit 处并排计算朴素写法与稳定写法，标出哪些给出 inf、NaN、错误的 0 或不准的值。

    Parameters
    ----------
    kind : {"bce", "cross_entropy"}, optional
        ``"bce"``：标签 :math:`y = 1` 的二元交叉熵 :math:`-\log\sigma(z)`，三种写法是
        :func:`naive_bce_from_logits`、:func:`clipped_bce_from_logits` （ε 取机器精度）与
        :func:`celoss.bce_with_logits`。``"cross_entropy"``：logit 为 :math:`(z, 0, 0)`、
        真实类别为第 0 类的 softmax 交叉熵，三种写法是 :math:`-\log` :func:`naive_softmax`、
        :func:`shifted_log_sum_exp` :math:`- z` 与 :func:`celoss.cross_entropy`。
    z : array_like, optional
        一组有限的 logit，默认 :data:`EXTREME_LOGITS`。
    dtypes : sequence, optional
        计算精度，float32 和/或 float64，默认两者都算。
    digits : int, optional
        精确值（由 :func:`reference_bce_with_logits` 或 :func:`reference_cross_entropy`
        计算）的有效数字位数，默认 30。

    Returns
    -------
    StabilityTable
        每行一个 logit；每列一种写法在一种精度下的值与状态：``"ok"``、
        ``"inaccurate"`` （相对误差超过 0.1%）、``"zero"`` （精确值在该精度下不为 0）、
        ``"inf"``、``"nan"``。

    Raises
    ------
    TypeError
        ``z`` 不是实数，``dtypes`` 中有不是数据类型的元素。
    ValueError
        ``kind`` 未知，``z`` 含 NaN 或 ``±inf``，``dtypes`` 为空或含 float32/float64 以外的类型。

    Notes
    -----
    每个 logit 先转成该精度（这里的默认值在两种精度下都精确可表示），精确值按转换后的
    数计算，再判断结果：NaN、inf，以及精确值舍入到该精度后不为 0 而结果为 0 的情况算作失效；
    其余按相对误差是否超过 :math:`10^{-3}` 判断。朴素写法产生的上溢、下溢与无效运算都
    不发出警告，直接体现在表里。

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM, 2002,
           ch. 1–2.

    Examples
    --------
    >>> from celoss.numerics import stability_table
    >>> t = stability_table("bce", z=[-100.0, 40.0])
    >>> t.failures("朴素", "float32")
    [(-100.0, 'inf'), (40.0, 'nan')]
    >>> t.failures("celoss", "float32"), t.failures("celoss", "float64")
    ([], [])
    >>> print(t)
       z     精确值  朴素 float32  截断到 ε float32  celoss float32  朴素 float64  截断到 ε float64  celoss float64
    -100        100          inf!            15.94!             100           100            36.04!             100
      40  4.248e-18          NaN!        1.192e-07!       4.248e-18          NaN!         2.22e-16!       4.248e-18
    """
    if kind not in _KINDS:
        raise ValueError(f"kind 必须是 {' 或 '.join(repr(k) for k in _KINDS)} 之一，收到 {kind!r}")
    z_arr = check_finite(as_real(z, "z"), "z").astype(np.float64).reshape(-1)
    if isinstance(dtypes, (str, np.dtype, type)):
        dtypes = (dtypes,)
    dts = [_as_float_dtype(d) for d in dtypes]
    if not dts:
        raise ValueError("dtypes 不能为空：至少给出 float32 或 float64 之一")
    digits = as_count(digits, "digits", 1)
    columns = []
    exact_by_dtype = {}
    for dt in dts:
        z_dt = z_arr.astype(dt)
        exact_by_dtype[dt] = [_exact(kind, float(v), digits) for v in z_dt]
        for name, fn in _formulas(kind):
            values = np.asarray(fn(z_dt))
            status = tuple(_status(float(v), e, dt) for v, e in zip(values, exact_by_dtype[dt], strict=True))
            columns.append(StabilityColumn(name, dt.name, values, status))
    # 精确值一列按最宽的精度（float64 优先）给出
    shown = exact_by_dtype[np.dtype(np.float64)] if np.dtype(np.float64) in exact_by_dtype else exact_by_dtype[dts[0]]
    return StabilityTable(kind, _KINDS[kind], z_arr, tuple(shown), tuple(columns))


# --- celoss 与参考值的一致性 ---------------------------------------------------------------------

#: 默认的 (y, z) 检查点：硬标签、软标签，很小与很大的损失，接近 1 的软标签。
AGREEMENT_POINTS = (
    (1.0, 0.0), (1.0, 3.7), (0.3, -2.5), (1.0, 40.0), (0.0, 40.0), (1.0, -800.0),
    (0.0, 1e4), (0.5, 700.0), (0.9999999, 30.0), (1e-10, -36.0),
)


@dataclass(frozen=True)
class AgreementTable:
    """:func:`~celoss.numerics.agreement_table` 的结果：每行一个 (y, z)，列出参考值、celoss 的值与各自的 ulp 误差。"""

    y: np.ndarray
    z: np.ndarray
    reference: tuple[Decimal, ...]
    celoss64: np.ndarray
    ulp64: np.ndarray
    ulp32: np.ndarray
    max_form_ulp64: np.ndarray

    _HEADER = ("y", "z", "参考值（前 17 位）", "celoss float64", "float64 误差 (ulp)", "float32 误差 (ulp)",
               "max 形式误差 (ulp)")

    def _cells(self) -> list[list[str]]:
        return [
            [f"{self.y[i]:.10g}", f"{self.z[i]:g}", _fmt_decimal(self.reference[i], 17),
             repr(float(self.celoss64[i])), f"{self.ulp64[i]:.2g}", f"{self.ulp32[i]:.2g}",
             f"{self.max_form_ulp64[i]:.3g}"]
            for i in range(len(self.y))
        ]

    def __str__(self) -> str:
        return text_table(self._HEADER, self._cells())

    def _repr_html_(self) -> str:
        return scrollable(html_table(self._HEADER, self._cells(), cell_style=_CELL, head_style=_HEAD,
                                     table_style=_TABLE.replace("0.82em", "0.75em"), kind="agreement"))


def agreement_table(points=AGREEMENT_POINTS, digits=50) -> AgreementTable:
    r"""celoss 的 :func:`celoss.bce_with_logits` 与 :func:`~celoss.numerics.reference_bce_with_logits` 逐点对照，误差以 ulp 计。

    Parameters
    ----------
    points : sequence of (float, float), optional
        若干 (y, z)；y 在 [0, 1] 内，z 有限。默认 :data:`AGREEMENT_POINTS`。
    digits : int, optional
        参考值的有效数字位数，默认 50。

    Returns
    -------
    AgreementTable
        每行：y、z、参考值、celoss 的 float64 结果及其 ulp 误差、输入与计算都换成 float32
        时的 ulp 误差（参考值按 float32 输入的精确值另算），以及照字面在 float64 里计算的
        :func:`bce_with_logits_max_form` 的 ulp 误差。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        ``points`` 不是 (y, z) 对的序列，y 不在 [0, 1] 内，或 z 不是有限数。

    Notes
    -----
    正确舍入的结果误差不超过 0.5 ulp；celoss 的公式由同号项相加，通常在 0 到 2 ulp 之间。
    max 形式在 :math:`y` 是接近 1 的软标签、:math:`z` 很大时要做相近数的相减，误差可以很大。

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM, 2002.

    Examples
    --------
    >>> from celoss.numerics import agreement_table
    >>> t = agreement_table([(1.0, 40.0), (0.0, 1e4)])
    >>> print(float(t.ulp64.max()) <= 2, float(t.ulp32.max()) <= 2)
    True True
    """
    pts = as_real(points, "points")
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"points 必须是 (y, z) 对的序列，形状 (n, 2)，收到形状 {pts.shape}")
    pts = pts.astype(np.float64)
    y, z = pts[:, 0], pts[:, 1]
    as_probability(y, "y")
    check_finite(z, "z")
    digits = as_count(digits, "digits", 1)
    ref64 = [reference_bce_with_logits(a, b, digits) for a, b in zip(y, z, strict=True)]
    got64 = np.asarray(bce_with_logits(y, z))
    y32, z32 = y.astype(np.float32), z.astype(np.float32)
    got32 = np.asarray(bce_with_logits(y32, z32))
    ref32 = [reference_bce_with_logits(float(a), float(b), digits) for a, b in zip(y32, z32, strict=True)]
    max_form = np.asarray(bce_with_logits_max_form(y, z))
    return AgreementTable(
        y=y, z=z, reference=tuple(ref64), celoss64=got64,
        ulp64=np.array([ulp_error(g, r) for g, r in zip(got64, ref64, strict=True)]),
        ulp32=np.array([ulp_error(g, r) for g, r in zip(got32, ref32, strict=True)]),
        max_form_ulp64=np.array([ulp_error(g, r) for g, r in zip(max_form, ref64, strict=True)]),
    )
