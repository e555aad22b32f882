"""伯努利分布的熵与 KL 散度。

伯努利交叉熵 H(p, q) 就是 :func:`~celoss.bce`，这里不再另写；三者满足
``bce(p, q) == entropy(p) + kl_divergence(p, q)``。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import as_probability, finish, result_dtype
from celoss._exact import two_diff
from celoss.losses import _bce, _float64_args

__all__ = ["entropy", "kl_divergence"]

# |s| ≤ _NEAR（即 a/b ∈ [1/4, 4]）时用级数，否则用直接公式：级数的舍入误差随 |s| 增大，
# 直接公式的相消随 |s| 减小，两者在 0.6 附近相当；级数 Σ w^m/(2m + 3)（w = s² ≤ 0.36）
# 取 40 项后余项 < 0.36^40 ≈ 2e-18，低于 float64 的舍入误差。
_NEAR = 0.6
_SERIES = 1.0 / (2.0 * np.arange(40) + 3.0)


def _divergence_term(a, b, d, d_lo) -> np.ndarray:
    """a·log(a/b) − a + b ≥ 0（a, b ∈ [0, 1]），其中 d + d_lo 是 a − b 的精确值。

    令 s = (a − b)/(a + b)、w = s²，恒等式 log(a/b) = 2·artanh(s) 给出无相消的

        a·log(a/b) − a + b = (a − b)·s·(1 + s(1 + s)·Σ_m w^m/(2m + 3)),

    各因子同号；``abs(s) > _NEAR`` 时直接计算，a/b 上溢时改用 log a − log b。
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        total = a + b
        s = d / total + d_lo / total  # a = b = 0 时为 NaN，落到直接公式
        series = (d * s + d_lo * s) * (1.0 + s * (1.0 + s) * np.polynomial.polynomial.polyval(s * s, _SERIES))
        ratio = a / b
        log_ratio = np.where(np.isinf(ratio), np.log(a) - np.log(b), np.log(ratio))
        direct = (np.where(a == 0, 0.0, a * log_ratio) - d) - d_lo
    return np.where(np.abs(s) <= _NEAR, series, direct)


def entropy(p):
    r"""伯努利分布的熵（单位 nat）\ :math:`H(p) = -p\log p - (1 - p)\log(1 - p)`。

    Parameters
    ----------
    p : array_like
        伯努利分布取 1 的概率，取值在 [0, 1]。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的熵，在 :math:`[0, \log 2]` 内；``p`` 是 float32 数组时为 float32，
        否则为 float64。0 维结果返回 numpy 标量。

    Raises
    ------
    TypeError
        ``p`` 不是实数（字符串、``None``、复数、对象数组）。
    ValueError
        ``p`` 含 NaN 或不在 [0, 1] 内。

    Notes
    -----
    .. math::

        H(p) = p\,(-\log p) + (1 - p)\,(-\operatorname{log1p}(-p)),
        \qquad 0 \cdot \log 0 = 0 ,

    即 ``bce(p, p)``：两项都非负，:math:`\log(1 - p)` 用 ``log1p`` 计算，
    所以 :math:`p` 很小或很接近 1 时仍有几个 ulp 的相对精度。:math:`H(0) = H(1) = 0`，
    :math:`H(1/2) = \log 2` 最大。

    References
    ----------
    .. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, §2.1 (Example 2.1.1, binary entropy).

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import entropy
    >>> print(entropy(0.5) == np.log(2))
    True
    >>> entropy([0.0, 1.0])
    array([0., 0.])

    p 很小时 :math:`H(p) \approx p(1 - \log p)`；朴素的 :math:`\log(1 - p)` 已经舍入成 0，
    丢掉了 :math:`p` 这一项：

    >>> p = 1e-20
    >>> print(entropy(p), -p * np.log(p) - (1 - p) * np.log(1 - p))
    4.705170185988092e-19 4.605170185988091e-19
    """
    p_arr = as_probability(p, "p").astype(np.float64)
    return finish(_bce(p_arr, p_arr), result_dtype(p))


def kl_divergence(p, q):
    r"""两个伯努利分布的 KL 散度（相对熵，单位 nat）\ :math:`D(p \,\|\, q)`。

    Parameters
    ----------
    p : array_like
        "真实"分布取 1 的概率，取值在 [0, 1]。
    q : array_like
        "模型"分布取 1 的概率，取值在 [0, 1]。与 ``p`` 按 numpy 规则广播。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的散度，:math:`\ge 0`，可以是 ``inf``；参数中有 float64 数组时为
        float64，否则有 float32 数组时为 float32，其余情况为 float64。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状无法广播。

    Notes
    -----
    .. math::

        D(p \,\|\, q) = p \log\frac{p}{q} + (1 - p)\log\frac{1 - p}{1 - q}
        = H(p, q) - H(p).

    :math:`p \approx q` 时 :math:`D \approx (p - q)^2 / (2q(1 - q))` 远小于各项，
    不能用 ``bce(p, q) - entropy(p)`` 或上式直接计算（两个大数相减）。这里用
    :math:`h(t) = t\log t - t + 1 \ge 0` 把它拆成两个非负项：

    .. math::

        D(p \,\|\, q) = q\,h\!\left(\frac{p}{q}\right)
        + (1 - q)\,h\!\left(\frac{1 - p}{1 - q}\right),
        \qquad b\,h(a/b) = a\log\frac{a}{b} - a + b .

    记 :math:`s = (a - b)/(a + b)`，由 :math:`\log(a/b) = 2\operatorname{artanh}(s)`
    得到没有相消的级数

    .. math::

        b\,h(a/b) = (a - b)\,s\left(1 + s(1 + s)\sum_{m \ge 0}\frac{s^{2m}}{2m + 3}\right),

    在 :math:`|s| \le 0.6` 时使用；其余情况直接计算（:math:`a/b` 上溢时改用
    :math:`\log a - \log b`）。差 :math:`p - q` 用 TwoSum [2]_ 精确地表示成两个浮点数之和；
    第二项的 :math:`a - b` 就是 :math:`q - p`，不经过已舍入的 :math:`1 - p`、:math:`1 - q`。

    边界按极限与 :math:`0\log 0 = 0`：``kl_divergence(p, p) == 0`` 精确成立，
    ``kl_divergence(0, q) == -log1p(-q)``，:math:`p > 0` 时 ``kl_divergence(p, 0) == inf``，
    :math:`p < 1` 时 ``kl_divergence(p, 1) == inf``。

    References
    ----------
    .. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, §2.3 (relative entropy) and Theorem 2.6.3 (:math:`D \ge 0`).
    .. [2] D. E. Knuth, *The Art of Computer Programming*, Vol. 2, 3rd ed., Addison-Wesley,
           1997, §4.2.2 (the exact error of a floating-point sum).

    Examples
    --------
    >>> from celoss import bce, entropy, kl_divergence
    >>> print(kl_divergence(0.5, 0.25))
    0.14384103622589045
    >>> print(kl_divergence(0.3, 0.3))
    0.0

    p 与 q 只差 1e-9 时散度约为 2.4e-18；用 H(p, q) − H(p) 相减得到的只是舍入误差：

    >>> p, q = 0.3, 0.3 + 1e-9
    >>> print(kl_divergence(p, q))
    2.3809525075919026e-18
    >>> print(bce(p, q) - entropy(p))
    0.0
    """
    p_arr, q_arr = _float64_args(p=as_probability(p, "p"), q=as_probability(q, "q"))
    d, d_lo = two_diff(p_arr, q_arr)
    kl = _divergence_term(p_arr, q_arr, d, d_lo) + _divergence_term(1.0 - p_arr, 1.0 - q_arr, -d, -d_lo)
    return finish(kl, result_dtype(p, q))
