"""无误差变换（error-free transformation）：把一次浮点减法的舍入误差也精确地算出来。

celoss 在两处需要它：KL 散度里的 p − q（:mod:`celoss.information`），以及 softmax 里的
z − max(z)（:mod:`celoss.multiclass`）。算法是 Knuth 的 TwoSum，见 D. E. Knuth,
*The Art of Computer Programming*, Vol. 2, 3rd ed., §4.2.2, Theorem B；它不要求 |a| ≥ |b|，
所以没有分支，可以逐元素作用在整个数组上。
"""

from __future__ import annotations

import numpy as np

__all__ = ["two_diff"]


def two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """返回 (s, e)：s = fl(a − b)，并且 a − b = s + e 精确成立。

    s 上溢成 ±inf 时 e 没有意义，取 0。

    Examples
    --------
    >>> s, e = two_diff(np.float64(1.0), np.float64(1e-17))
    >>> float(s), float(e)
    (1.0, -1e-17)
    >>> s, e = two_diff(np.float64(1e308), np.float64(-1e308))
    >>> float(s), float(e)
    (inf, 0.0)
    """
    with np.errstate(over="ignore", invalid="ignore"):
        s = a - b
        v = s - a  # the part of s that came from −b, after rounding
        e = (a - (s - v)) - (b + v)
    return s, np.where(np.isfinite(s), e, 0.0)
