r"""本书实验用的数据：一个带种子的二维二分类生成器。

.. seealso:: :doc:`/training` （训练对比实验的数据）与 :doc:`/variants` （类别不平衡、标签平滑的数据）。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import as_count, as_real, as_scalar, check_finite, check_rng

__all__ = ["two_blobs"]


def two_blobs(rng, n: int = 200, *, positive_fraction: float = 0.5, centre=(1.0, 0.5), noise: float = 0.7):
    r"""两团各向同性的二维高斯点：正类中心 ``centre``，负类中心 ``-centre``，每一维标准差 ``noise``。

    两类协方差相同，所以真实后验 :math:`P(y = 1 \mid x)` 恰好是 :math:`x` 的线性函数的
    sigmoid：逻辑回归是「设定正确」的模型。两团有重叠时，线性分类器的最高准确率略低于 100%
    （默认参数下约 94%）。

    .. seealso:: :doc:`/training` 用默认参数；:doc:`/variants` 用 ``positive_fraction=0.1`` 的不平衡版本。

    Parameters
    ----------
    rng : numpy.random.Generator
        随机数生成器，例如 ``numpy.random.default_rng(0)``；同一个种子给出同一份数据。
    n : int
        样本数（至少 2）。
    positive_fraction : float
        正类比例，在 (0, 1) 内；正类恰有 ``round(n * positive_fraction)`` 个（至少 1 个，
        至多 ``n - 1`` 个）。
    centre : array_like, shape (2,)
        正类中心 :math:`\mu`，有限实数；负类中心是 :math:`-\mu`。
    noise : float
        每一维的标准差，正数。

    Returns
    -------
    X : numpy.ndarray, shape (n, 2)
        特征。
    y : numpy.ndarray, shape (n,)
        0/1 标签（float64），顺序已打乱。

    Raises
    ------
    TypeError
        ``rng`` 不是 ``numpy.random.Generator``，``n`` 不是整数，或其余参数不是实数。
    ValueError
        ``n < 2``，``centre`` 不是两个数，或其余参数超出范围。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.lab.datasets import two_blobs
    >>> X, y = two_blobs(np.random.default_rng(0), n=1000, positive_fraction=0.1)
    >>> X.shape, float(y.mean())
    ((1000, 2), 0.1)
    """
    rng = check_rng(rng)
    n = as_count(n, "n", 2)
    fraction = as_scalar(positive_fraction, "positive_fraction", 0.0, 1.0, closed="neither")
    mu = check_finite(as_real(centre, "centre"), "centre").astype(np.float64)
    if mu.shape != (2,):
        raise ValueError(f"centre 必须是两个数（二维中心），收到形状 {mu.shape}")
    noise = as_scalar(noise, "noise", 0.0, np.inf, closed="neither")
    n_pos = min(max(round(n * fraction), 1), n - 1)
    y = rng.permutation(np.arange(n) < n_pos).astype(np.float64)
    X = rng.normal(0.0, noise, size=(n, 2)) + np.where(y[:, None] == 1.0, mu, -mu)
    return X, y
