r"""高精度参考值：只用标准库 :mod:`decimal`，以任意位十进制有效数字计算的损失，以及 ``ulp_error``。

.. seealso:: :doc:`/numerics`。

库的运行时不依赖 mpmath；测试另用 mpmath 交叉检验这里的参考值。
"""

from __future__ import annotations

import decimal
import math
from decimal import Decimal

import numpy as np

from celoss._checks import as_count, as_labels, as_real, as_scalar, check_finite

__all__ = ["reference_bce_with_logits", "reference_cross_entropy", "ulp_error"]

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


def reference_bce_with_logits(y, z, digits=50) -> Decimal:
    r"""二元交叉熵 ``bce(y, sigmoid(z))`` 的高精度参考值，只用标准库 :mod:`decimal`。

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.reference import reference_bce_with_logits
    >>> print(reference_bce_with_logits(1, 0.0, digits=20))
    0.69314718055994530942
    >>> print(reference_bce_with_logits(1, 40.0, digits=20))
    4.2483542552915889863E-18
    >>> print(reference_bce_with_logits(0, 1e4, digits=20))
    10000.000000000000000
    """
    y_f = as_scalar(y, "y", 0.0, 1.0)
    z_f = as_scalar(z, "z")
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

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.reference import reference_cross_entropy
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

    .. seealso:: :doc:`/numerics`。

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
    >>> from celoss.lab.reference import ulp_error
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
