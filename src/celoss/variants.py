r"""交叉熵的几种常用变体（二分类，都以 logit 为自变量）。

* :func:`weighted_bce_with_logits`：正类加权 ``pos_weight`` （PyTorch ``BCEWithLogitsLoss``）；
* :func:`smooth_labels`：标签平滑 :math:`(1 - \varepsilon_{\mathrm{ls}})\,y + \varepsilon_{\mathrm{ls}} / K`；
* :func:`focal_loss`：Focal Loss :math:`-\alpha_{\mathrm{t}} (1 - q_{\mathrm{t}})^\gamma \log q_{\mathrm{t}}`；

以及两个损失对 logit 的导数。多分类的类别权重与标签平滑是
``celoss.multiclass.cross_entropy`` 的关键字参数 ``weight``、``label_smoothing``，
与 PyTorch 的 ``CrossEntropyLoss`` 一致，这里不再重复。

与 ``celoss.losses`` 一样，每个损失都是同号项之和，σ(z) 与 σ(−z) 由计算核心 :mod:`celoss._kernels` 给出，
从不计算 :math:`1 - \sigma(z)`；:math:`z = \pm\infty` 时返回极限。
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from celoss import _kernels
from celoss._checks import (
    LOGIT,
    PROBABILITY,
    as_count,
    as_real,
    check_reduction,
    check_rows_sum_to_one,
    elementwise,
    finish,
    finish_grad,
    interval,
)

__all__ = [
    "weighted_bce_with_logits",
    "weighted_bce_with_logits_grad",
    "smooth_labels",
    "focal_loss",
    "focal_loss_grad",
]

#: pos_weight 的规格：有限的正数
_POS_WEIGHT = interval(0, np.inf, "neither")
#: gamma 的规格：有限的非负数
_GAMMA = interval(0, np.inf, "left")


def _focal_args(
    y: ArrayLike, z: ArrayLike, gamma: ArrayLike, alpha: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.dtype]:
    """检查并对齐；返回 (w_pos, w_neg, z, gamma, dtype)，w_pos = y·α、w_neg = (1 − y)(1 − α)。"""
    arrays, dtype, _ = elementwise(
        y=(y, PROBABILITY), z=(z, LOGIT), gamma=(gamma, _GAMMA), alpha=(alpha, None if alpha is None else PROBABILITY)
    )
    y_arr, z_arr, gamma_arr = arrays[:3]
    if alpha is None:
        return y_arr, 1.0 - y_arr, z_arr, gamma_arr, dtype
    return y_arr * arrays[3], (1.0 - y_arr) * (1.0 - arrays[3]), z_arr, gamma_arr, dtype


def weighted_bce_with_logits(
    y: ArrayLike, z: ArrayLike, pos_weight: ArrayLike = 1.0, *, reduction: str = "none"
) -> np.ndarray | np.floating:
    r"""正类加权的二元交叉熵 :math:`-[w_+\,y\log\sigma(z) + (1 - y)\log(1 - \sigma(z))]`。

    即 PyTorch ``BCEWithLogitsLoss(pos_weight=...)`` 的逐元素损失：正类样本（y = 1）的
    损失乘以 ``pos_weight``，用来平衡正负样本数量悬殊的数据（例如负样本是正样本的 3 倍时，
    取 ``pos_weight = 3``）。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。
    pos_weight : array_like, optional
        正类权重 :math:`w_+ > 0` （有限），默认 1（即 :func:`~celoss.bce_with_logits`）。
        三个参数按形状规则广播。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）逐元素返回；``"mean"`` 返回平均值，``"sum"`` 返回总和。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的损失 :math:`\ge 0`；参数中有 float64 数组时为 float64，否则有 float32 数组时
        为 float32，其余为 float64。0 维结果返回 numpy 标量。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 不在 [0, 1] 内、``pos_weight`` 不在 :math:`(0, \infty)` 内，
        或形状不符合形状规则。

    Notes
    -----
    .. math::

        \ell(y, z) = w_+\,y\,\bigl(-\log\sigma(z)\bigr) + (1 - y)\,\bigl(-\log\sigma(-z)\bigr).

    两项都非负，:math:`\log\sigma` 由 :func:`~celoss.log_sigmoid` 的稳定公式给出，
    所以结果在整条实轴上都有几个 ulp 的相对精度；``pos_weight = 1`` 时与
    :func:`~celoss.bce_with_logits` 逐位相同。:math:`z > 708` 时
    :math:`-\log\sigma(z) \approx e^{-z}` 已是次正规数，:math:`w_+ > 1` 就改算
    :math:`(w_+ e^{-z/2})\,e^{-z/2}`，免得大权重把次正规数的舍入误差放大。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.BCEWithLogitsLoss`` （参数 ``pos_weight``）。
    .. [2] TensorFlow documentation, ``tf.nn.weighted_cross_entropy_with_logits``。

    Examples
    --------
    >>> from celoss.variants import weighted_bce_with_logits
    >>> print(weighted_bce_with_logits(1, 0.0, pos_weight=3.0))
    2.0794415416798357
    >>> print(weighted_bce_with_logits(0, 0.0, pos_weight=3.0))
    0.6931471805599453
    """
    reduction = check_reduction(reduction)
    (y_arr, z_arr, w_arr), dtype, _ = elementwise(
        y=(y, PROBABILITY), z=(z, LOGIT), pos_weight=(pos_weight, _POS_WEIGHT)
    )
    minus_log_p = _kernels.weighted_tail(w_arr, z_arr, -_kernels.log_sigmoid(z_arr))
    loss = _kernels.binary_cross_entropy(y_arr, -minus_log_p, _kernels.log_sigmoid(-z_arr))
    return finish(loss, dtype, reduction)


def weighted_bce_with_logits_grad(
    y: ArrayLike, z: ArrayLike, pos_weight: ArrayLike = 1.0, *, reduction: str = "none"
) -> np.ndarray | np.floating:
    r"""正类加权二元交叉熵对 logit 的导数 :math:`(1 - y)\,\sigma(z) - w_+\,y\,\sigma(-z)`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。
    pos_weight : array_like, optional
        正类权重 :math:`w_+ > 0`，默认 1（即 :func:`~celoss.bce_grad`）。
    reduction : {"none", "mean", "sum"}, optional
        与损失的 ``reduction`` 对应：``"mean"`` 时每个元素的导数再除以元素个数。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的导数；精度规则同 :func:`weighted_bce_with_logits`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        同 :func:`weighted_bce_with_logits`。

    Notes
    -----
    由 :math:`\tfrac{d}{dz}(-\log\sigma(z)) = -\sigma(-z)` 与
    :math:`\tfrac{d}{dz}(-\log\sigma(-z)) = \sigma(z)`：

    .. math::

        \frac{\partial \ell}{\partial z} = (1 - y)\,\sigma(z) - w_+\,y\,\sigma(-z).

    硬标签时只剩一项，相对精度为几个 ulp；``pos_weight = 1`` 时就是 :math:`\sigma(z) - y`，
    与 :func:`~celoss.bce_grad` 逐位相同。软标签时差值有根，误差界是几个 ulp 乘以两项之和。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.BCEWithLogitsLoss``。

    Examples
    --------
    >>> from celoss.variants import weighted_bce_with_logits_grad
    >>> print(weighted_bce_with_logits_grad(1, 0.0, pos_weight=3.0))
    -1.5
    """
    reduction = check_reduction(reduction)
    (y_arr, z_arr, w_arr), dtype, _ = elementwise(
        y=(y, PROBABILITY), z=(z, LOGIT), pos_weight=(pos_weight, _POS_WEIGHT)
    )
    sig, sig_neg = _kernels.sigmoid_pair(z_arr)
    grad = (1.0 - y_arr) * sig - y_arr * _kernels.weighted_tail(w_arr, z_arr, sig_neg)
    return finish_grad(grad, dtype, reduction)


def smooth_labels(
    y: ArrayLike, label_smoothing: ArrayLike, num_classes: int | None = None
) -> np.ndarray | np.floating:
    r"""标签平滑：把目标 :math:`y` 换成 :math:`(1 - \varepsilon_{\mathrm{ls}})\,y + \varepsilon_{\mathrm{ls}} / K`。

    Parameters
    ----------
    y : array_like
        目标，元素在 [0, 1] 内。``num_classes=None`` （默认）时是二分类的标签，逐元素平滑，
        :math:`K = 2`；给出 ``num_classes=K`` 时最后一轴是 :math:`K` 类的概率行（one-hot 或
        软标签），长度必须等于 :math:`K`，每行之和为 1。
    label_smoothing : array_like
        平滑系数 :math:`\varepsilon_{\mathrm{ls}} \in [0, 1]`，与 ``y`` 按形状规则广播；
        :math:`\varepsilon_{\mathrm{ls}} = 1` 得到均匀分布（PyTorch、optax、Keras 都允许）。
    num_classes : int or None, optional
        类别数 :math:`K \ge 2`；默认 ``None`` 表示 ``y`` 是二分类标签。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        平滑后的目标，在
        :math:`[\varepsilon_{\mathrm{ls}}/K,\ 1 - \varepsilon_{\mathrm{ls}} + \varepsilon_{\mathrm{ls}}/K]` 内；
        精度规则同 :func:`weighted_bce_with_logits`。

    Raises
    ------
    TypeError
        ``y`` 或 ``label_smoothing`` 不是实数，``num_classes`` 不是整数。
    ValueError
        含 NaN、``y`` 不在 [0, 1] 内、``label_smoothing`` 不在 [0, 1] 内、``num_classes``
        小于 2、给出 ``num_classes`` 时 ``y`` 的最后一轴长度不等于它或行和不为 1，或形状不符合形状规则。

    Notes
    -----
    .. math::

        \tilde y = (1 - \varepsilon_{\mathrm{ls}})\,y + \frac{\varepsilon_{\mathrm{ls}}}{K}.

    即把目标分布与均匀分布 :math:`u(k) = 1/K` 按 :math:`1 - \varepsilon_{\mathrm{ls}} : \varepsilon_{\mathrm{ls}}` 混合
    （Szegedy 等，2016）。模型不再被鼓励把 logit 推向无穷：对平滑后的目标，
    交叉熵在有限的 logit 处取最小值。两项都非负，结果有几个 ulp 的相对精度；
    :math:`y = 1` 时舍入后也不超过 1。一行概率平滑后仍然和为 1。多分类的整数标签请直接用
    ``cross_entropy(..., label_smoothing=eps)``。

    References
    ----------
    .. [1] C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens, Z. Wojna, "Rethinking the
           Inception Architecture for Computer Vision", CVPR 2016, §7.
    .. [2] PyTorch documentation, ``torch.nn.CrossEntropyLoss`` （参数 ``label_smoothing``）。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.variants import smooth_labels
    >>> print(smooth_labels([0.0, 1.0], 0.1))
    [0.05 0.95]
    >>> print(np.round(smooth_labels([0.0, 0.0, 1.0], 0.1, num_classes=3), 6))
    [0.033333 0.033333 0.933333]
    >>> print(smooth_labels([0.0, 0.0, 1.0, 0.0], 1.0, num_classes=4))
    [0.25 0.25 0.25 0.25]

    忘了写 ``num_classes`` 的 K 类 one-hot 行会被当成二分类标签；写错的 ``num_classes`` 被拒绝：

    >>> smooth_labels([0.0, 0.0, 1.0], 0.1, num_classes=4)
    Traceback (most recent call last):
    ...
    ValueError: y 的最后一轴是类别轴，长度必须等于 num_classes=4，收到形状 (3,)
    """
    k = 2 if num_classes is None else as_count(num_classes, "num_classes", 2)
    (y_arr, eps_arr), dtype, _ = elementwise(y=(y, PROBABILITY), label_smoothing=(label_smoothing, interval(0, 1)))
    if num_classes is not None:
        rows = as_real(y, "y")
        if rows.ndim == 0 or rows.shape[-1] != k:
            raise ValueError(f"y 的最后一轴是类别轴，长度必须等于 num_classes={k}，收到形状 {rows.shape}")
        check_rows_sum_to_one(rows, "y")
    return finish(_kernels.smooth(y_arr, eps_arr, k), dtype)


def focal_loss(
    y: ArrayLike, z: ArrayLike, gamma: ArrayLike = 2.0, alpha: ArrayLike | None = None, *, reduction: str = "none"
) -> np.ndarray | np.floating:
    r"""Focal Loss :math:`-\alpha_{\mathrm{t}}(1 - q_{\mathrm{t}})^\gamma\log q_{\mathrm{t}}` （由 logit 计算）。

    在交叉熵前乘上调制因子 :math:`(1 - q_{\mathrm{t}})^\gamma`：已经分对、把握很大的样本
    （:math:`q_{\mathrm{t}} \to 1`）损失被压得很小，训练集中在难分的样本上（Lin 等，2017）。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]（0/1 硬标签；软标签见 Notes）。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。
    gamma : array_like, optional
        聚焦参数 :math:`\gamma \ge 0` （有限），默认 2；:math:`\gamma = 0` 时没有调制。
    alpha : array_like or None, optional
        正类权重 :math:`\alpha \in [0, 1]`，负类权重为 :math:`1 - \alpha`；默认 ``None``
        表示不加权（两类权重都是 1）。论文的常用设置是 ``gamma=2, alpha=0.25``。
        四个参数按形状规则广播。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）逐元素返回；``"mean"`` 返回平均值，``"sum"`` 返回总和。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的损失 :math:`\ge 0`；精度规则同 :func:`weighted_bce_with_logits`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN、``y`` 或 ``alpha`` 不在 [0, 1] 内、``gamma`` 不在 :math:`[0, \infty)` 内，
        或形状不符合形状规则。

    Notes
    -----
    记 :math:`p = \sigma(z)`，:math:`1 - p = \sigma(-z)`：

    .. math::

        \mathrm{FL}(y, z) = y\,\alpha\,\sigma(-z)^{\gamma}\,\bigl(-\log\sigma(z)\bigr)
        + (1 - y)(1 - \alpha)\,\sigma(z)^{\gamma}\,\bigl(-\log\sigma(-z)\bigr).

    硬标签时只有一项，就是论文的 :math:`-\alpha_{\mathrm{t}} (1 - q_{\mathrm{t}})^\gamma \log q_{\mathrm{t}}`。
    每项都是非负因子之积：:math:`\sigma(\pm z)` 与 :math:`\log\sigma(\pm z)` 都由稳定公式
    给出（从不计算 :math:`1 - \sigma(z)`），所以在整条实轴上都有几个 ulp 的相对精度。
    幂 :math:`\sigma^\gamma` 把 σ 的舍入误差放大 :math:`\gamma` 倍：与 mpmath 比较，
    float64 的相对误差不超过 :math:`(4 + 1.5\gamma)` ulp（测试了 :math:`\gamma \le 5`），
    float32 不超过 1 ulp。
    :math:`\gamma = 0` 且 ``alpha=None`` 时与 :func:`~celoss.bce_with_logits` 逐位相同。

    软标签 :math:`0 < y < 1` 时按上式（对 :math:`y` 线性）推广；torchvision 的
    ``sigmoid_focal_loss`` 用的是 :math:`(1 - q_{\mathrm{t}})^\gamma` 乘整个交叉熵、
    :math:`q_{\mathrm{t}} = \hat y y + (1 - \hat y)(1 - y)` 的另一种推广，两者只在硬标签时相同。

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He, P. Dollár, "Focal Loss for Dense
           Object Detection", ICCV 2017, §3.
    .. [2] PyTorch documentation, ``torch.nn.BCEWithLogitsLoss``.

    Examples
    --------
    >>> from celoss import bce_with_logits
    >>> from celoss.variants import focal_loss
    >>> print(focal_loss(1, 0.0, gamma=2.0))
    0.17328679513998632

    很有把握的正确预测（p = σ(4) ≈ 0.982）几乎不再贡献损失：

    >>> print(float(bce_with_logits(1, 4.0)), float(focal_loss(1, 4.0)))
    0.018149927917809738 5.871569721869242e-06
    >>> print(focal_loss(1, 4.0, gamma=0.0) == bce_with_logits(1, 4.0))
    True
    """
    reduction = check_reduction(reduction)
    w_pos, w_neg, z_arr, gamma_arr, dtype = _focal_args(y, z, gamma, alpha)
    sig, sig_neg = _kernels.sigmoid_pair(z_arr)
    pos = np.power(sig_neg, gamma_arr) * -_kernels.log_sigmoid(z_arr)
    neg = np.power(sig, gamma_arr) * -_kernels.log_sigmoid(-z_arr)
    return finish(_kernels.xmul(w_pos, pos) + _kernels.xmul(w_neg, neg), dtype, reduction)


def focal_loss_grad(
    y: ArrayLike, z: ArrayLike, gamma: ArrayLike = 2.0, alpha: ArrayLike | None = None, *, reduction: str = "none"
) -> np.ndarray | np.floating:
    r"""Focal Loss 对 logit 的导数 :math:`\partial\,\mathrm{FL}(y, z)/\partial z`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。
    gamma : array_like, optional
        聚焦参数 :math:`\gamma \ge 0`，默认 2。
    alpha : array_like or None, optional
        正类权重 :math:`\alpha \in [0, 1]`，默认 ``None`` （不加权）。
    reduction : {"none", "mean", "sum"}, optional
        与损失的 ``reduction`` 对应：``"mean"`` 时每个元素的导数再除以元素个数。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个元素的导数；精度规则同 :func:`focal_loss`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        同 :func:`focal_loss`。

    Notes
    -----
    记 :math:`s = \sigma(z)`，:math:`\bar s = \sigma(-z) = 1 - s`，
    :math:`L_+ = -\log s`，:math:`L_- = -\log\bar s`。由 :math:`s' = s\bar s`、
    :math:`L_+' = -\bar s`、:math:`L_-' = s`：

    .. math::

        \frac{d}{dz}\bigl[\bar s^{\gamma} L_+\bigr]
        = -\gamma\,\bar s^{\gamma - 1} s\bar s\,L_+ - \bar s^{\gamma}\bar s
        = -\bar s^{\gamma}\bigl(\gamma\, s L_+ + \bar s\bigr),

        \frac{d}{dz}\bigl[s^{\gamma} L_-\bigr] = s^{\gamma}\bigl(\gamma\,\bar s L_- + s\bigr),

    所以

    .. math::

        \frac{\partial\,\mathrm{FL}}{\partial z}
        = (1 - y)(1 - \alpha)\, s^{\gamma}\bigl(\gamma\,\bar s L_- + s\bigr)
        - y\,\alpha\,\bar s^{\gamma}\bigl(\gamma\, s L_+ + \bar s\bigr).

    括号里两项同号，也不出现 :math:`\bar s^{\gamma - 1}` （:math:`\gamma < 1` 时它在
    :math:`\bar s \to 0` 处发散），因此硬标签时每个元素都有几个 ulp 的相对精度；
    :math:`\gamma = 0` 且 ``alpha=None`` 时化为 :math:`(1 - y)s - y\bar s`，与
    :func:`~celoss.bce_grad` 逐位相同。误差界与 :func:`focal_loss` 相同，随 :math:`\gamma` 增长。
    软标签时两项之差有根，误差界是几个 ulp 乘以两项之和。
    :math:`z = \pm\infty` 时取极限（:math:`s L_+ \to 0`）。

    References
    ----------
    .. [1] T.-Y. Lin, P. Goyal, R. Girshick, K. He, P. Dollár, "Focal Loss for Dense
           Object Detection", ICCV 2017, §3 与附录。

    Examples
    --------
    >>> from celoss import bce_grad
    >>> from celoss.variants import focal_loss_grad
    >>> print(focal_loss_grad(1, 0.0))
    -0.29828679513998635
    >>> print(focal_loss_grad(1, 3.0, gamma=0.0) == bce_grad(1, 3.0))
    True
    """
    reduction = check_reduction(reduction)
    w_pos, w_neg, z_arr, gamma_arr, dtype = _focal_args(y, z, gamma, alpha)
    sig, sig_neg = _kernels.sigmoid_pair(z_arr)
    pos = np.power(sig_neg, gamma_arr) * (_kernels.xmul(gamma_arr * sig, -_kernels.log_sigmoid(z_arr)) + sig_neg)
    neg = np.power(sig, gamma_arr) * (_kernels.xmul(gamma_arr * sig_neg, -_kernels.log_sigmoid(-z_arr)) + sig)
    return finish_grad(w_neg * neg - w_pos * pos, dtype, reduction)
