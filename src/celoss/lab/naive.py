r"""故意保留的朴素公式：教科书或框架文档里的直白写法，按输入的精度逐步计算。

.. seealso:: :doc:`/numerics` （全部函数）与 :doc:`/multiclass` （:func:`naive_softmax`）。

float32 的输入就用 float32 计算，不做任何额外保护：上溢、下溢、0/0、0·log 0 都照常发生，
结果里直接是 ``inf``、``NaN`` 或 0；但计算放在 ``numpy.errstate(all="ignore")`` 里，不发出
``RuntimeWarning``。它们只用来和 celoss 的稳定实现对照，不要用来训练。

输入检查与中文错误信息来自 ``celoss._checks``，与其余 celoss 函数一致。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import (
    as_finite_class_rows,
    as_probability,
    as_real,
    as_scalar,
    broadcast,
    check_finite,
    result_dtype,
)

__all__ = [
    "naive_sigmoid",
    "naive_bce_from_logits",
    "clipped_bce_from_logits",
    "bce_with_logits_max_form",
    "naive_softmax",
    "naive_log_sum_exp",
    "shifted_log_sum_exp",
    "naive_bce_breakdown",
    "softplus_bce",
    "log1p_cross_entropy",
    "as_float_dtype",
]


def _naive_args(y, z) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    checked = {"y": as_probability(y, "y"), "z": as_real(z, "z")}
    dtype = result_dtype(y, z)
    y_arr, z_arr = (a.astype(dtype) for a in broadcast(checked))
    return y_arr, z_arr, dtype


def _logit_rows(z, axis) -> tuple[np.ndarray, int]:
    """z 按 :func:`celoss._checks.as_finite_class_rows` 检查，转成计算精度（float32 输入保持 float32）。"""
    z_arr, pos = as_finite_class_rows(z, axis)
    return z_arr.astype(result_dtype(z)), pos


def _as_result(value) -> np.ndarray | np.generic:
    """0 维结果返回 numpy 标量，其余原样返回（精度已经是计算精度）。"""
    value = np.asarray(value)
    return value[()] if value.ndim == 0 else value


def _sigmoid_literal(z: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return 1 / (1 + np.exp(-z))


def naive_sigmoid(z):
    r"""照字面计算的 sigmoid :math:`1 / (1 + e^{-z})`，在输入精度里逐步求值。

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.naive import naive_sigmoid
    >>> print(naive_sigmoid(40.0), naive_sigmoid(np.float32(17.0)))
    1.0 1.0
    >>> print(naive_sigmoid(-800.0))
    0.0
    """
    z_arr = as_real(z, "z")
    return _as_result(_sigmoid_literal(z_arr.astype(result_dtype(z))))


def naive_bce_from_logits(y, z):
    r"""教科书写法的二元交叉熵：先算 :math:`\hat y = \sigma(z)`，再算 :math:`-[y\log\hat y + (1 - y)\log(1 - \hat y)]`。

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.naive import naive_bce_from_logits
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
    return _as_result(loss)


def clipped_bce_from_logits(y, z, eps=None):
    r"""常见的「补丁」：先把 :math:`\hat y = \sigma(z)` 截断到 :math:`[\delta, 1 - \delta]`，再算二元交叉熵。

    .. seealso:: :doc:`/numerics`。

    这样不再出现 ``inf`` 与 ``NaN``，但损失被悄悄限制在 :math:`-\log\delta` 以内，
    很小的损失也被抬高到约 :math:`\delta`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，实数。与 ``y`` 按 numpy 规则广播。
    eps : float, optional
        截断阈值 :math:`\delta \in (0, 1/2)`；默认取所用精度的机器精度 :math:`\varepsilon_{\mathrm{mach}}`
        （float64 为 :math:`2^{-52}`，float32 为 :math:`2^{-23}`）。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        截断后的损失，在 :math:`[-\log(1 - \delta), -\log\delta]` 内；
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

        \tilde y = \min\bigl(\max(\sigma(z), \delta), 1 - \delta\bigr), \qquad
        \ell = -\bigl[y\log\tilde y + (1 - y)\log(1 - \tilde y)\bigr] \le -\log\delta .

    对 :math:`y = 0`、:math:`z = 100`，真实损失约为 100，截断后只有 :math:`-\log\delta`
    （float64 约 36.04）：梯度也随之变成 0，模型不再因为这个错得离谱的样本受罚。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016, §4.1.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.lab.naive import clipped_bce_from_logits
    >>> print(round(float(clipped_bce_from_logits(0, 100.0)), 4))
    36.0437
    >>> print(round(float(clipped_bce_from_logits(0, np.float32(100.0))), 4))
    15.9424
    >>> print(round(float(clipped_bce_from_logits(0, 100.0, eps=1e-7)), 4))
    16.1181
    """
    y_arr, z_arr, dtype = _naive_args(y, z)
    eps_value = np.finfo(dtype).eps if eps is None else as_scalar(eps, "eps", 0, 0.5, closed="neither")
    eps_value = dtype.type(eps_value)
    y_hat = np.clip(_sigmoid_literal(z_arr), eps_value, 1 - eps_value)
    with np.errstate(all="ignore"):
        loss = -(y_arr * np.log(y_hat) + (1 - y_arr) * np.log(1 - y_hat))
    return _as_result(loss)


def bce_with_logits_max_form(y, z):
    r"""框架文档给出的 logit 形式 :math:`\max(z, 0) - z\,y + \log(1 + e^{-|z|})`，照字面、在输入精度里计算。

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.naive import bce_with_logits_max_form
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
    return _as_result(loss)


def naive_softmax(z, axis=-1):
    r"""照字面计算的 softmax :math:`e^{z_j} / \sum_k e^{z_k}`，不减最大值。

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.naive import naive_softmax
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

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.naive import naive_log_sum_exp
    >>> print(round(float(naive_log_sum_exp([1.0, 2.0, 3.0])), 6))
    3.407606
    >>> print(naive_log_sum_exp([800.0, 0.0]), naive_log_sum_exp([-800.0, -800.0]))
    inf -inf
    """
    z_arr, pos = _logit_rows(z, axis)
    with np.errstate(all="ignore"):
        return _as_result(np.log(np.sum(np.exp(z_arr), axis=pos)))


def shifted_log_sum_exp(z, axis=-1):
    r"""常见的「减最大值」写法 :math:`m + \log\sum_k e^{z_k - m}`，:math:`m = \max_k z_k`。

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.naive import shifted_log_sum_exp
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
    return _as_result(np.squeeze(out, axis=pos))


def as_float_dtype(dtype) -> np.dtype:
    """检查 ``dtype`` 是 float32 或 float64，返回 ``numpy.dtype``。

    .. seealso:: :doc:`/numerics`。

    Examples
    --------
    >>> from celoss.lab.naive import as_float_dtype
    >>> as_float_dtype("float32")
    dtype('float32')
    """
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype 必须是 float32 或 float64，收到 {dtype!r}") from None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype 必须是 float32 或 float64，收到 {dt}")
    return dt


def naive_bce_breakdown(dtype=np.float64) -> float:
    r"""朴素二元交叉熵开始失效的 logit：使 :func:`~celoss.lab.naive.naive_sigmoid` 恰好等于 1 的最小正数 :math:`z`。

    .. seealso:: :doc:`/numerics`。

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
    :math:`1/(1 + e^{-z}) = 1`。粗略估计：:math:`e^{-z}` 小于机器精度 :math:`\varepsilon_{\mathrm{mach}}` 的一半时
    :math:`1 + e^{-z}` 舍入成 1，即 :math:`z > \log(2/\varepsilon_{\mathrm{mach}})`，float64 约 36.74，
    float32 约 16.64。

    References
    ----------
    .. [1] IEEE Standard for Floating-Point Arithmetic, IEEE Std 754-2019.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.lab.naive import naive_bce_breakdown, naive_sigmoid
    >>> z = naive_bce_breakdown(np.float64)
    >>> print(round(z, 4), float(naive_sigmoid(z)), float(naive_sigmoid(np.nextafter(z, 0))) < 1)
    36.7368 1.0 True
    >>> print(round(naive_bce_breakdown(np.float32), 4))
    16.6355
    """
    dt = as_float_dtype(dtype)
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


def softplus_bce(y, z):
    r"""稳定公式 :math:`y\,\operatorname{softplus}(-z) + (1 - y)\,\operatorname{softplus}(z)`，在输入精度里逐步计算。

    :math:`\operatorname{softplus}(x) = \max(x, 0) + \operatorname{log1p}(e^{-|x|})`。这是框架在 GPU 上
    用 float32 计算 ``BCEWithLogitsLoss`` 的方式：公式是稳定的（不上溢、不出 NaN），但每一步都舍入到
    float32。:func:`celoss.bce_with_logits` 用的是同一个公式，却一律先换成 float64 计算、最后只舍入一次，
    所以它的 float32 结果更准。两者对照见 :func:`celoss.lab.numerics.ulp_survey`。

    .. seealso:: :doc:`/numerics`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，有限实数。与 ``y`` 按 numpy 规则广播。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        损失；``y``、``z`` 中有 float32 数组（且没有 float64 数组）时用 float32 计算并返回 float32。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内，或形状无法广播。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.lab.naive import softplus_bce
    >>> print(softplus_bce(0, 800.0), softplus_bce(1, np.float32(40.0)))
    800.0 4.248354e-18
    """
    checked = {"y": as_probability(y, "y"), "z": check_finite(as_real(z, "z"), "z")}
    dtype = result_dtype(y, z)
    y_arr, z_arr = (a.astype(dtype) for a in broadcast(checked))
    one = dtype.type(1)

    def softplus(x):
        return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))

    with np.errstate(all="ignore"):
        return _as_result(y_arr * softplus(-z_arr) + (one - y_arr) * softplus(z_arr))


def log1p_cross_entropy(z, axis=-1):
    r"""第 0 类的 softmax 交叉熵的稳定写法 :math:`(m - z_0) + \log\sum_k e^{z_k - m}`。

    最大项单独拿出来用 ``log1p``，在输入精度里计算。

    :math:`z_0` 是最大值时结果是 :math:`\operatorname{log1p}(S)`，:math:`S = \sum_{k \ne 0} e^{z_k - z_0}`；
    否则是 :math:`(m - z_0) + \operatorname{log1p}(S')`，:math:`S'` 是除最大项外各项之和。
    :func:`celoss.cross_entropy` 用同样的写法，但先换成 float64 计算。

    .. seealso:: :doc:`/numerics`。

    Parameters
    ----------
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上，真实类别是第 0 类。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray or numpy.float32 or numpy.float64
        去掉 ``axis`` 后的形状；精度规则同 :func:`naive_softmax`。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.lab.naive import log1p_cross_entropy
    >>> print(log1p_cross_entropy(np.array([80.0, 0.0], dtype=np.float32)))
    1.8048515e-35
    """
    z_arr, pos = _logit_rows(z, axis)
    z_arr = np.moveaxis(z_arr, pos, -1)
    top = np.argmax(z_arr, axis=-1)[..., None]
    m = np.take_along_axis(z_arr, top, axis=-1)
    with np.errstate(all="ignore"):
        e = np.exp(z_arr - m)
        np.put_along_axis(e, top, 0, axis=-1)
        out = (m[..., 0] - z_arr[..., 0]) + np.log1p(np.sum(e, axis=-1))
    return _as_result(out)
