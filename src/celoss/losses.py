"""二分类的损失函数与它们对 logit 的梯度。

* :func:`~celoss.mse` 与 :func:`~celoss.bce` 以概率 ŷ 为自变量；
* :func:`~celoss.bce_with_logits` 与 :func:`~celoss.mse_with_logits` 以 logit z 为自变量，不经过 σ(z)；
* :func:`~celoss.bce_with_logits_grad` 与 :func:`~celoss.mse_with_logits_grad` 是它们对 z 的导数
  （旧名 :func:`~celoss.bce_grad`、:func:`~celoss.mse_grad` 仍然可用，结果完全相同）。

二分类的标签参数一律叫 ``y``，概率预测叫 ``y_hat``，logit 叫 ``z``；参数顺序是（目标, 预测），
与 scikit-learn、Keras 相同。每个函数都有 ``reduction="none" | "mean" | "sum"``，默认逐元素。
约定 0·log 0 = 0；所有结果都由同号项相加或相乘得到，没有「两个大数相减」。
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from celoss import _kernels
from celoss._checks import LOGIT, PROBABILITY, check_reduction, elementwise, finish, finish_grad, is_hard

__all__ = [
    "mse",
    "bce",
    "bce_with_logits",
    "mse_with_logits",
    "bce_with_logits_grad",
    "mse_with_logits_grad",
    "bce_grad",
    "mse_grad",
]



def mse(y: ArrayLike, y_hat: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""均方误差（平方损失）\ :math:`\tfrac12 (y - \hat y)^2`，逐元素计算。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]（0/1 硬标签或软标签）。
    y_hat : array_like
        预测概率，取值在 [0, 1]。与 ``y`` 按形状规则广播（一方广播到另一方的形状）。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）逐元素返回；``"mean"`` 返回平均值，``"sum"`` 返回总和。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的损失；参数中有 float64 数组时为 float64，否则有 float32 数组时为
        float32，其余情况为 float64。0 维结果返回 numpy 标量。

    Raises
    ------
    TypeError
        参数不是实数（字符串、``None``、复数、对象数组）。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状不符合形状规则。

    Notes
    -----
    .. math::

        \ell_{\mathrm{MSE}}(y, \hat y) = \tfrac12 (y - \hat y)^2 .

    系数 :math:`\tfrac12` 让导数没有多余的 2。注意损失有界：
    即使预测完全错误，损失也不超过 :math:`\tfrac12`。

    Examples
    --------
    >>> from celoss import mse
    >>> print(mse(1.0, 0.75))
    0.03125

    错得再离谱，平方损失也只有 0.5——这就是它"惩罚不够狠"的原因：

    >>> print(mse(1, 0), mse(1, 1e-10))
    0.5 0.4999999999
    """
    reduction = check_reduction(reduction)
    (y_arr, y_hat_arr), dtype, _ = elementwise(y=(y, PROBABILITY), y_hat=(y_hat, PROBABILITY))
    return finish(0.5 * (y_arr - y_hat_arr) ** 2, dtype, reduction)


def bce(y: ArrayLike, y_hat: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""二元交叉熵 :math:`-[y\log\hat y + (1 - y)\log(1 - \hat y)]`，逐元素计算。

    当 ``y`` 是概率 :math:`p`、``y_hat`` 是概率 :math:`q` 时，它就是两个伯努利分布的
    交叉熵 :math:`H(p, q)`。多类别的交叉熵另有函数，不在这里。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]（0/1 硬标签或软标签）。
    y_hat : array_like
        预测概率，取值在 [0, 1]，两端都允许。与 ``y`` 按形状规则广播（一方广播到另一方的形状）。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）逐元素返回；``"mean"`` 返回平均值，``"sum"`` 返回总和。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的损失，:math:`\ge 0`，可以是 ``inf``；精度规则同 :func:`~celoss.mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、不在 [0, 1] 内，或形状不符合形状规则。

    Notes
    -----
    .. math::

        \ell_{\mathrm{BCE}}(y, \hat y)
        = y\,(-\log\hat y) + (1 - y)\,(-\operatorname{log1p}(-\hat y)),
        \qquad 0 \cdot \log 0 = 0 .

    不截断 :math:`\hat y`，也不发出警告：``bce(0, 0) == 0``，``bce(1, 0) == inf``
    （对完全确定却完全错误的预测，惩罚是无穷大）。两项都非负，相加没有相消；
    :math:`\log(1 - \hat y)` 用 ``log1p`` 计算，:math:`\hat y` 很小时不会被舍入成 0。
    从 logit 出发时请用 :func:`~celoss.bce_with_logits`，它不经过已经舍入的 σ(z)。

    References
    ----------
    .. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed.,
           Wiley, 2006, §2.3（相对熵与交叉熵）。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import bce
    >>> print(bce(1.0, 0.8))
    0.2231435513142097
    >>> bce([0, 1, 1], [0.0, 0.0, 1.0])
    array([ 0., inf,  0.])

    ``log1p`` 的作用：朴素的 :math:`\log(1 - 10^{-20})` 已经是 0。

    >>> print(bce(0.0, 1e-20), np.log(1.0 - 1e-20))
    1e-20 0.0
    """
    reduction = check_reduction(reduction)
    (y_arr, y_hat_arr), dtype, _ = elementwise(y=(y, PROBABILITY), y_hat=(y_hat, PROBABILITY))
    return finish(_kernels.bce(y_arr, y_hat_arr), dtype, reduction)


def bce_with_logits(y: ArrayLike, z: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""由 logit 直接计算的二元交叉熵 ``bce(y, sigmoid(z))``，不显式求 σ(z)。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。与 ``y`` 按形状规则广播（一方广播到另一方的形状）。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）逐元素返回；``"mean"`` 返回平均值，``"sum"`` 返回总和。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的损失，:math:`\ge 0`；精度规则同 :func:`~celoss.mse`
        （整数标签不决定精度：``bce_with_logits(1, np.float32(3))`` 是 float32）。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内，或形状不符合形状规则。

    Notes
    -----
    用 :math:`\log\sigma(z)` 与 :math:`\log(1 - \sigma(z)) = \log\sigma(-z)`
    （见 :func:`~celoss.log_sigmoid`）代替两个对数：

    .. math::

        \ell(y, z) = y\,(-\log\sigma(z)) + (1 - y)\,(-\log\sigma(-z)).

    两项都非负，所以结果在整条实轴上都有几个 ulp 的相对精度。展开后，:math:`z \ge 0`
    时它等于 :math:`(1 - y) z + \operatorname{log1p}(e^{-z})`，:math:`z < 0` 时等于
    :math:`-y z + \operatorname{log1p}(e^{z})`；常见的写法
    :math:`\max(z, 0) - y z + \operatorname{log1p}(e^{-|z|})` 在 ``y = 1``、
    :math:`z \gg 0` 时要做 :math:`z - z` 的相减，丢掉 :math:`e^{-z}` 这一项。

    :math:`z = \pm\infty` 时返回极限 ``bce(y, sigmoid(z))``：``y`` 与 σ(z) 一致时为 0，
    否则为 ``inf``。所有 ``y`` 都是 0 或 1 时走一条只算 :math:`\operatorname{softplus}(\mp z)`
    的捷径，结果逐位相同。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.BCEWithLogitsLoss``.
    .. [2] TensorFlow documentation, ``tf.nn.sigmoid_cross_entropy_with_logits``.

    Examples
    --------
    >>> from celoss import bce, bce_with_logits, sigmoid
    >>> print(bce_with_logits(1, 0.0))
    0.6931471805599453

    σ(40) 已经舍入成 1，先求 σ 再求交叉熵会丢掉小损失、把大损失变成 ``inf``：

    >>> print(bce_with_logits(1, 40.0), bce(1, sigmoid(40.0)))
    4.248354255291589e-18 0.0
    >>> print(bce_with_logits(0, 40.0), bce(0, sigmoid(40.0)))
    40.0 inf

    ``reduction`` 与 PyTorch 的同名参数相同（默认逐元素，相当于 ``reduction="none"``）：

    >>> print(bce_with_logits([1, 0], [0.0, 0.0], reduction="mean"))
    0.6931471805599453
    >>> print(bce_with_logits([1, 0], [0.0, 0.0], reduction="sum"))
    1.3862943611198906
    """
    reduction = check_reduction(reduction)
    (y_arr, z_arr), dtype, _ = elementwise(y=(y, PROBABILITY), z=(z, LOGIT))
    if is_hard(y_arr):  # 硬标签：只剩 softplus(∓z)，逐位相同而快得多
        return finish(_kernels.bce_with_logits_hard(y_arr, z_arr), dtype, reduction)
    return finish(_kernels.bce_with_logits(y_arr, z_arr), dtype, reduction)


def mse_with_logits(y: ArrayLike, z: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""由 logit 计算的平方损失 ``mse(y, sigmoid(z))`` :math:`= \tfrac12(y - \sigma(z))^2`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。与 ``y`` 按形状规则广播。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）逐元素返回；``"mean"`` 返回平均值，``"sum"`` 返回总和。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        损失，在 :math:`[0, \tfrac12]` 内；精度规则同 :func:`~celoss.mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内，或形状不符合形状规则。

    Notes
    -----
    差值写成 :math:`\sigma(z) - y = (1 - y)\sigma(z) - y\,\sigma(-z)` （与
    :func:`~celoss.bce_with_logits_grad` 相同），再平方：硬标签时只有一项，
    :math:`z \gg 0`、``y = 1`` 时的小损失 :math:`\tfrac12\sigma(-z)^2` 不会因
    :math:`1 - \sigma(z)` 的相减变成 0。它的导数是 :func:`~celoss.mse_with_logits_grad`。

    Examples
    --------
    >>> from celoss import mse, mse_with_logits, sigmoid
    >>> print(mse_with_logits(1, 0.0))
    0.125
    >>> print(mse_with_logits(1, 40.0), mse(1, sigmoid(40.0)))
    9.024256939227075e-36 0.0
    """
    reduction = check_reduction(reduction)
    (y_arr, z_arr), dtype, _ = elementwise(y=(y, PROBABILITY), z=(z, LOGIT))
    diff, _, _ = _kernels.sigmoid_minus(y_arr, z_arr)
    return finish(0.5 * diff * diff, dtype, reduction)


def mse_with_logits_grad(y: ArrayLike, z: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""平方损失对 logit 的导数 :math:`\frac{d}{dz}\tfrac12(y - \sigma(z))^2` （旧名 ``mse_grad``）。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。与 ``y`` 按形状规则广播（一方广播到另一方的形状）。
    reduction : {"none", "mean", "sum"}, optional
        与损失的 ``reduction`` 对应：``"mean"`` 时每个元素的导数再除以元素个数
        （平均损失的梯度），``"none"`` 与 ``"sum"`` 时就是逐元素的导数。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的导数；精度规则同 :func:`~celoss.mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内，或形状不符合形状规则。

    Notes
    -----
    .. math::

        \frac{\partial}{\partial z}\,\tfrac12\bigl(y - \sigma(z)\bigr)^2
        = \bigl(\sigma(z) - y\bigr)\,\sigma(z)\,\sigma(-z),

    其中 :math:`\sigma(z)(1 - \sigma(z))` 写成 :math:`\sigma(z)\sigma(-z)`，
    :math:`\sigma(z) - y` 写成 :math:`(1 - y)\sigma(z) - y\,\sigma(-z)`，与
    :func:`~celoss.bce_grad` 相同；两处都不做 :math:`1 - \sigma` 的相减，
    所以 :math:`10^{-80}` 量级的梯度也有几个 ulp 的相对精度。

    因子 :math:`\sigma(z)\sigma(-z) \le \tfrac14` 在 :math:`|z|` 大时趋于 0：
    预测错得越离谱，梯度反而越小，这正是平方损失训练分类器慢的原因。
    :math:`z = \pm\infty` 时返回极限 0。

    软标签 :math:`0 < y < 1` 时 :math:`\sigma(z) - y` 在 :math:`\sigma(z) = y`
    附近有根，相对误差在根附近没有意义；此时的误差界是绝对误差不超过几个 ulp 乘以
    :math:`\bigl((1 - y)\sigma(z) + y\,\sigma(-z)\bigr)\sigma(z)\sigma(-z)`，
    这是问题本身的条件数决定的。

    Examples
    --------
    >>> from celoss import bce_grad, mse_grad, mse_with_logits_grad
    >>> print(mse_with_logits_grad(1, 0.0))
    -0.125

    标签是 1 而 logit 是 −40（错得离谱）时，平方损失的梯度几乎为 0，交叉熵的梯度是 −1：

    >>> print(mse_grad(1, -40.0), bce_grad(1, -40.0))
    -4.248354255291589e-18 -1.0
    """
    reduction = check_reduction(reduction)
    (y_arr, z_arr), dtype, _ = elementwise(y=(y, PROBABILITY), z=(z, LOGIT))
    diff, sig, sig_neg = _kernels.sigmoid_minus(y_arr, z_arr)
    return finish_grad(diff * sig * sig_neg, dtype, reduction)


def bce_with_logits_grad(y: ArrayLike, z: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""交叉熵对 logit 的导数 :math:`\frac{d}{dz}\,\mathrm{bce}(y, \sigma(z)) = \sigma(z) - y` （旧名 ``bce_grad``）。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。与 ``y`` 按形状规则广播（一方广播到另一方的形状）。
    reduction : {"none", "mean", "sum"}, optional
        与损失的 ``reduction`` 对应：``"mean"`` 时每个元素的导数再除以元素个数
        （平均损失的梯度），``"none"`` 与 ``"sum"`` 时就是逐元素的导数。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的导数，取值在 [−1, 1]；精度规则同 :func:`~celoss.mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内，或形状不符合形状规则。

    Notes
    -----
    .. math::

        \frac{\partial}{\partial z}\,\mathrm{bce}\bigl(y, \sigma(z)\bigr)
        = \sigma(z) - y = (1 - y)\,\sigma(z) - y\,\sigma(-z).

    右边的写法对硬标签只剩一项：``y = 1`` 时是 :math:`-\sigma(-z)`，
    :math:`z \gg 0` 时的小梯度（如 :math:`-4.2\times 10^{-18}`）不会因
    :math:`\sigma(z) - 1` 的相减变成 0。:math:`z = \pm\infty` 时返回极限
    :math:`1 - y` 与 :math:`-y`。

    软标签 :math:`0 < y < 1` 时差值在 :math:`\sigma(z) = y` 处有根，误差界是
    绝对误差不超过几个 ulp 乘以 :math:`(1 - y)\sigma(z) + y\,\sigma(-z)`
    （问题本身的条件数），而不是相对误差。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.BCEWithLogitsLoss``.

    Examples
    --------
    >>> from celoss import bce_grad, bce_with_logits_grad
    >>> print(bce_with_logits_grad(1, 0.0))
    -0.5

    平均损失的梯度（``reduction="mean"``）每个元素再除以元素个数：

    >>> print(bce_with_logits_grad([1, 1], [0.0, 0.0], reduction="mean"))
    [-0.25 -0.25]

    梯度与误差成正比，不会饱和；而 ``sigmoid(z) - 1`` 在 z = 40 处已经是 0：

    >>> from celoss import sigmoid
    >>> print(bce_grad(1, 40.0), sigmoid(40.0) - 1)
    -4.248354255291589e-18 0.0
    """
    reduction = check_reduction(reduction)
    (y_arr, z_arr), dtype, _ = elementwise(y=(y, PROBABILITY), z=(z, LOGIT))
    diff, _, _ = _kernels.sigmoid_minus(y_arr, z_arr)
    return finish_grad(diff, dtype, reduction)


def bce_grad(y: ArrayLike, z: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""交叉熵对 logit 的导数 :math:`\sigma(z) - y`：:func:`celoss.bce_with_logits_grad` 的旧名，参数与结果完全相同。

    Examples
    --------
    >>> from celoss import bce_grad, bce_with_logits_grad
    >>> print(bce_grad(1, 0.0), bce_grad(1, 0.0) == bce_with_logits_grad(1, 0.0))
    -0.5 True
    """
    return bce_with_logits_grad(y, z, reduction=reduction)


def mse_grad(y: ArrayLike, z: ArrayLike, *, reduction: str = "none") -> np.ndarray | np.floating:
    r"""平方损失对 logit 的导数 :math:`(\sigma(z) - y)\,\sigma(z)\,\sigma(-z)`。

    :func:`celoss.mse_with_logits_grad` 的旧名，参数与结果完全相同。

    Examples
    --------
    >>> from celoss import mse_grad, mse_with_logits_grad
    >>> print(mse_grad(1, 0.0), mse_grad(1, 0.0) == mse_with_logits_grad(1, 0.0))
    -0.125 True
    """
    return mse_with_logits_grad(y, z, reduction=reduction)
