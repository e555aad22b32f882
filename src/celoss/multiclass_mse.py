r"""对照用：把平方损失用在 softmax 的输出上，以及 softmax 的雅可比矩阵。

多分类一章用它们说明「softmax + MSE」为什么比「softmax + 交叉熵」差：

* :func:`softmax_jacobian` —— :math:`\partial p_i / \partial z_j = p_i([i = j] - p_j)`；
* :func:`softmax_mse` —— :math:`\tfrac12\lVert p - t\rVert^2`；
* :func:`softmax_mse_grad` —— 它对 logit 的梯度 :math:`J^\top (p - t)`。

计算核心复用 ``celoss.multiclass`` 的私有助手（:func:`celoss.softmax` 等所在的模块）（同一套检查、同一个 softmax），
不重新实现 softmax。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import result_dtype
from celoss.multiclass import _finish, _logits, _softmax_parts, _weights_and_logits

__all__ = ["softmax_jacobian", "softmax_mse", "softmax_mse_grad"]


def _residual(target, z, axis):
    """(p, d, class_axis)：d = p − t 写成 p(1 − t) − t(1 − p)，两项都不为负。"""
    t, z_last, class_axis = _weights_and_logits(target, z, axis, None, 0.0)
    _, p, q = _softmax_parts(z_last)
    return p, p * (1.0 - t) - t * q, class_axis


def softmax_jacobian(z, axis=-1):
    r"""softmax 的雅可比矩阵 :math:`J_{ij} = \partial p_i / \partial z_j = p_i\,([i = j] - p_j)`。

    Parameters
    ----------
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上，共 :math:`K` 个。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray
        形状为「去掉类别轴后的形状」加上 :math:`(K, K)`：每个样本一个对称矩阵。
        ``z`` 是 float32 数组时为 float32，否则为 float64。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    由 :math:`\log p_i = z_i - \log\sum_k e^{z_k}` 得
    :math:`\partial \log p_i / \partial z_j = [i = j] - p_j`，乘上 :math:`p_i`：

    .. math::

        J = \operatorname{diag}(p) - p\,p^\top .

    对角元 :math:`p_i(1 - p_i)` 用直接求和得到的 :math:`1 - p_i` 计算，没有相消。
    每行之和为 0（softmax 对所有 logit 加同一个常数不变）。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §4.3.4, eq. (4.106).

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass_mse import softmax_jacobian
    >>> J = softmax_jacobian([0.0, 0.0])
    >>> print(J)
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    >>> print(np.abs(softmax_jacobian([2.0, 0.5, -1.0]).sum(axis=1)).max() < 1e-16)
    True
    """
    z_arr, class_axis = _logits(z, axis)
    _, p, q = _softmax_parts(np.moveaxis(z_arr, class_axis, -1))
    k = p.shape[-1]
    jac = -p[..., :, None] * p[..., None, :]
    diag = np.arange(k)
    jac[..., diag, diag] = p * q
    return _finish(jac, result_dtype(z))


def softmax_mse(target, z, axis=-1):
    r"""softmax 输出上的平方损失 :math:`\tfrac12\lVert \operatorname{softmax}(z) - t\rVert^2`。

    Parameters
    ----------
    target : array_like
        整数类别标签或概率行，规则同 :func:`celoss.cross_entropy`。
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个样本的损失，在 :math:`[0, 1]` 内；形状与精度规则同 :func:`celoss.cross_entropy`。

    Raises
    ------
    TypeError
        同 :func:`celoss.cross_entropy`。
    ValueError
        同 :func:`celoss.cross_entropy`。

    Notes
    -----
    .. math::

        \ell_{\mathrm{MSE}}(t, z) = \tfrac12\sum_j (p_j - t_j)^2, \qquad
        p_j - t_j = p_j(1 - t_j) - t_j(1 - p_j).

    损失有界：:math:`\lVert p - t\rVert^2 \le 2`，所以再离谱的预测损失也不超过 1，
    这与二分类时 MSE 不超过 :math:`\tfrac12` 是同一回事。

    References
    ----------
    .. [1] P. Golik, P. Doetsch, H. Ney, "Cross-Entropy vs. Squared Error Training: a
           Theoretical and Experimental Comparison", *Interspeech* 2013, 1756–1760.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass_mse import softmax_mse
    >>> print(softmax_mse(0, [0.0, 0.0]))
    0.25
    >>> print(round(float(softmax_mse(0, [-50.0, 50.0])), 12))
    1.0
    """
    _, d, _ = _residual(target, z, axis)
    return _finish(0.5 * np.sum(d * d, axis=-1), result_dtype(target, z))


def softmax_mse_grad(target, z, axis=-1):
    r"""softmax 输出上的平方损失对 logit 的梯度 :math:`J^\top (p - t)`。

    Parameters
    ----------
    target : array_like
        整数类别标签或概率行，规则同 :func:`celoss.cross_entropy`。
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray
        梯度，形状是 ``target`` 与 ``z`` 广播后的形状（类别轴仍在 ``axis``）；
        精度规则同 :func:`celoss.cross_entropy_grad`。

    Raises
    ------
    TypeError
        同 :func:`celoss.cross_entropy`。
    ValueError
        同 :func:`celoss.cross_entropy`。

    Notes
    -----
    记 :math:`d = p - t`。链式法则与 :func:`softmax_jacobian` 给出

    .. math::

        \frac{\partial \ell_{\mathrm{MSE}}}{\partial z_i}
        = \sum_j d_j\,\frac{\partial p_j}{\partial z_i}
        = p_i\Bigl(d_i - \sum_j p_j d_j\Bigr)
        = p_i \sum_j p_j\,(d_i - d_j),

    最后一步用了 :math:`\sum_j p_j = 1`。和交叉熵的梯度 :math:`d_i` 相比多了因子
    :math:`p_i`：真实类别 :math:`c` 的概率 :math:`p_c` 很小（模型很有把握地答错）时，
    :math:`\partial\ell/\partial z_c = -p_c\bigl[(1 - p_c)^2 + \sum_{j \ne c} p_j^2\bigr]`
    也跟着趋于 0。按最后一种写法计算：标签为 one-hot 时 :math:`i = c` 的各项
    :math:`d_c - d_j = -(1 - p_c) - p_j` 同号，没有相消。

    References
    ----------
    .. [1] P. Golik, P. Doetsch, H. Ney, "Cross-Entropy vs. Squared Error Training: a
           Theoretical and Experimental Comparison", *Interspeech* 2013, 1756–1760.
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, §4.3.4.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import cross_entropy_grad, softmax
    >>> from celoss.multiclass_mse import softmax_jacobian, softmax_mse_grad
    >>> z = np.array([-4.0, 0.0, 4.0])
    >>> print(np.round(softmax_mse_grad(0, z), 6))
    [-0.000647 -0.017004  0.017651]
    >>> print(np.round(cross_entropy_grad(0, z), 6))
    [-0.999671  0.01798   0.98169 ]

    与雅可比矩阵的写法一致：

    >>> d = softmax(z) - [1.0, 0.0, 0.0]
    >>> print(np.allclose(softmax_jacobian(z).T @ d, softmax_mse_grad(0, z), rtol=1e-14, atol=0))
    True
    """
    p, d, class_axis = _residual(target, z, axis)
    diff = d[..., :, None] - d[..., None, :]
    grad = p * np.einsum("...ij,...j->...i", diff, p)
    return _finish(np.moveaxis(grad, -1, class_axis), result_dtype(target, z))
