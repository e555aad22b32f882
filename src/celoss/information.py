"""熵与 KL 散度：默认是伯努利分布（逐元素），给出 ``axis`` 时是沿该轴的类别分布。

伯努利交叉熵 H(p, q) 就是 :func:`~celoss.bce`，这里不再另写；三者满足
``bce(p, q) == entropy(p) + kl_divergence(p, q)``。计算核心（无相消的 KL 项）在
:mod:`celoss._kernels`。
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from celoss import _kernels
from celoss._checks import (
    PROBABILITY,
    as_real,
    check_axis,
    check_rows_sum_to_one,
    check_unit_interval,
    elementwise,
    finish,
    result_dtype,
    shape_rule,
)

__all__ = ["entropy", "kl_divergence"]


def _distributions(axis: Any, **args: ArrayLike) -> tuple[list[np.ndarray], int]:
    """类别分布：[0, 1] 内、沿 ``axis`` 每行和为 1；按形状规则对齐，返回 float64 数组与类别轴号。"""
    arrays = {}
    for name, value in args.items():
        arr = check_unit_interval(as_real(value, name), name)
        if arr.ndim == 0:
            raise ValueError(f"{name} 至少要有一维：给出 axis 时，{name} 沿 axis 是一个类别分布")
        pos = check_axis(axis, arr.ndim)
        arrays[name] = check_rows_sum_to_one(arr, name, axis=pos)
    shape = shape_rule({name: a.shape for name, a in arrays.items()})
    out = [np.broadcast_to(a.astype(np.float64, copy=False), shape) for a in arrays.values()]
    return out, check_axis(axis, len(shape))


def entropy(p: ArrayLike, axis: int | None = None) -> np.ndarray | np.floating:
    r"""熵（单位 nat）：默认是伯努利分布的 :math:`H(p) = -p\log p - (1 - p)\log(1 - p)`。

    给出 ``axis`` 时，沿这一轴的每一行是一个类别分布，返回 :math:`-\sum_j p_j \log p_j`
    （与 ``scipy.stats.entropy`` 相同，但不对行归一化）。

    Parameters
    ----------
    p : array_like
        ``axis=None`` 时是伯努利分布取 1 的概率（逐元素），取值在 [0, 1]；否则沿 ``axis``
        的每一行是一个概率分布（元素在 [0, 1] 内，和为 1，容差同 :func:`~celoss.cross_entropy`）。
    axis : int or None, optional
        类别轴；默认 ``None``：逐元素的伯努利熵。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        伯努利时是每个元素的熵，在 :math:`[0, \log 2]` 内；给出 ``axis`` 时是每一行的熵
        （去掉该轴的形状），在 :math:`[0, \log K]` 内。``p`` 是 float32 数组时为 float32，
        否则为 float64。0 维结果返回 numpy 标量。

    Raises
    ------
    TypeError
        ``p`` 不是实数（字符串、``None``、复数、对象数组）。
    ValueError
        ``p`` 含 NaN 或不在 [0, 1] 内；给出 ``axis`` 时 ``p`` 是 0 维、行和不为 1，
        或 ``axis`` 超出范围。

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

    类别分布（沿 ``axis``）：均匀分布的熵是 :math:`\log K`，一行 one-hot 的熵是 0：

    >>> print(entropy([0.25, 0.25, 0.25, 0.25], axis=-1) == np.log(4))
    True
    >>> entropy([[0.7, 0.2, 0.1], [1.0, 0.0, 0.0]], axis=1)
    array([0.80181855, 0.        ])
    """
    if axis is None:
        (p_arr,), dtype, _ = elementwise(p=(p, PROBABILITY))
        return finish(_kernels.bce(p_arr, p_arr), dtype)
    (p_arr,), pos = _distributions(axis, p=p)
    with np.errstate(divide="ignore"):
        terms = _kernels.xmul(p_arr, -np.log(p_arr))
    return finish(np.sum(terms, axis=pos), result_dtype(p))


def kl_divergence(p: ArrayLike, q: ArrayLike, axis: int | None = None) -> np.ndarray | np.floating:
    r"""KL 散度（相对熵，单位 nat）\ :math:`D(p \,\|\, q)`：默认是两个伯努利分布，逐元素。

    给出 ``axis`` 时，沿这一轴的每一行是一个类别分布，返回
    :math:`\sum_j p_j \log(p_j / q_j)`。

    Parameters
    ----------
    p : array_like
        「真实」分布：``axis=None`` 时是取 1 的概率（[0, 1] 内），否则沿 ``axis`` 每行是一个分布。
    q : array_like
        「模型」分布，写法同 ``p``。与 ``p`` 按形状规则广播。
    axis : int or None, optional
        类别轴；默认 ``None``：逐元素的伯努利 KL 散度。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素（伯努利）或每一行（类别分布）的散度，:math:`\ge 0`，可以是 ``inf``；
        参数中有 float64 数组时为 float64，否则有 float32 数组时为 float32，其余情况为 float64。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状不符合形状规则；给出 ``axis`` 时还有行和不为 1、
        ``axis`` 超出范围。

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

    类别分布（给出 ``axis``）时，每一类的项 :math:`q_j\,h(p_j/q_j) = p_j\log(p_j/q_j) - p_j + q_j`
    都非负、用同一个无相消的公式计算，再相加；因为 :math:`\sum_j p_j = \sum_j q_j = 1`，
    多出来的 :math:`\sum_j (q_j - p_j)` 为 0（这就是 ``scipy.special.kl_div`` 的逐项写法），
    所以 :math:`p \approx q` 时同样有几个 ulp 的相对精度。

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

    类别分布（沿 ``axis``）：

    >>> print(kl_divergence([0.5, 0.5], [0.75, 0.25], axis=-1))
    0.14384103622589045
    >>> print(kl_divergence([0.2, 0.3, 0.5], [0.2, 0.3 + 1e-9, 0.5 - 1e-9], axis=0))
    2.6666668095188037e-18
    """
    if axis is None:
        (p_arr, q_arr), dtype, _ = elementwise(p=(p, PROBABILITY), q=(q, PROBABILITY))
        return finish(_kernels.bernoulli_kl(p_arr, q_arr), dtype)
    (p_arr, q_arr), pos = _distributions(axis, p=p, q=q)
    d, d_lo = _kernels.two_diff(p_arr, q_arr)
    terms = _kernels.divergence_term(p_arr, q_arr, d, d_lo)
    return finish(np.sum(terms, axis=pos), result_dtype(p, q))
