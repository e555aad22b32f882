r"""交叉熵的几种常用变体（二分类，都以 logit 为自变量）。

* :func:`weighted_bce_with_logits`：正类加权 ``pos_weight`` （PyTorch ``BCEWithLogitsLoss``）；
* :func:`smooth_labels`：标签平滑 :math:`(1 - \varepsilon)\,y + \varepsilon / K`；
* :func:`focal_loss`：Focal Loss :math:`-\alpha_t (1 - p_t)^\gamma \log p_t`；

以及前两个损失对 logit 的导数。多分类的类别权重与标签平滑是
``celoss.multiclass.cross_entropy`` 的关键字参数 ``weight``、``label_smoothing``，
与 PyTorch 的 ``CrossEntropyLoss`` 一致，这里不再重复。

与 ``celoss.losses`` 一样，每个损失都是同号项之和，σ(z) 与 σ(−z) 由同一对私有助手给出，
从不计算 :math:`1 - \sigma(z)`；:math:`z = \pm\infty` 时返回极限。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import as_count, as_probability, as_real, check_interval, finish, result_dtype
from celoss.activations import _log_sigmoid, _sigmoid_pair
from celoss.losses import _cross_entropy, _float64_args, _xmul
from celoss.multiclass import _smooth

__all__ = [
    "weighted_bce_with_logits",
    "weighted_bce_with_logits_grad",
    "smooth_labels",
    "focal_loss",
    "focal_loss_grad",
]


#: z 超过它时 e^(−z) < 2^-1022 是次正规数，只剩绝对精度
_SUBNORMAL_TAIL = 708.0


def _weighted_tail(w: np.ndarray, z: np.ndarray, tail: np.ndarray) -> np.ndarray:
    """w·tail，tail 是 −log σ(z) 或 σ(−z)（z > 708 时两者都舍入成 e^(−z)）。

    e^(−z) 是次正规数时它的舍入误差是固定的绝对量，乘以大的 w 会放大成许多 ulp；
    这时改算 (w·h)·h，h = e^(−z/2) 仍是正规数，只在最后一步舍入一次。
    w ≤ 1 时不放大，保持与不加权的函数逐位相同。
    """
    with np.errstate(under="ignore"):
        h = np.exp(-0.5 * np.maximum(z, _SUBNORMAL_TAIL))
        return np.where((z > _SUBNORMAL_TAIL) & (w > 1.0), (w * h) * h, w * tail)


def _pos_weight_args(y, z, pos_weight):
    return _float64_args(
        y=as_probability(y, "y"),
        z=as_real(z, "z"),
        pos_weight=check_interval(
            as_real(pos_weight, "pos_weight"), "pos_weight", 0, np.inf, closed="neither"
        ),
    )


def _focal_args(y, z, gamma, alpha):
    """检查并广播；返回 (w_pos, w_neg, z, gamma)，w_pos = y·α、w_neg = (1 − y)(1 − α)。"""
    checked = {
        "y": as_probability(y, "y"),
        "z": as_real(z, "z"),
        "gamma": check_interval(as_real(gamma, "gamma"), "gamma", 0, np.inf, closed="left"),
    }
    if alpha is not None:
        checked["alpha"] = as_probability(alpha, "alpha")
    args = _float64_args(**checked)
    y_arr, z_arr, gamma_arr = args[:3]
    if alpha is None:
        return y_arr, 1.0 - y_arr, z_arr, gamma_arr
    return y_arr * args[3], (1.0 - y_arr) * (1.0 - args[3]), z_arr, gamma_arr


def weighted_bce_with_logits(y, z, pos_weight=1.0):
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
        三个参数按 numpy 规则广播。

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
        或形状无法广播。

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
    y_arr, z_arr, w_arr = _pos_weight_args(y, z, pos_weight)
    loss = _cross_entropy(y_arr, -_weighted_tail(w_arr, z_arr, -_log_sigmoid(z_arr)), _log_sigmoid(-z_arr))
    return finish(loss, result_dtype(y, z, pos_weight))


def weighted_bce_with_logits_grad(y, z, pos_weight=1.0):
    r"""正类加权二元交叉熵对 logit 的导数 :math:`(1 - y)\,\sigma(z) - w_+\,y\,\sigma(-z)`。

    Parameters
    ----------
    y : array_like
        标签，取值在 [0, 1]。
    z : array_like
        logit，任意实数，也可以是 ``±inf``。
    pos_weight : array_like, optional
        正类权重 :math:`w_+ > 0`，默认 1（即 :func:`~celoss.bce_grad`）。

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
    y_arr, z_arr, w_arr = _pos_weight_args(y, z, pos_weight)
    sig, sig_neg = _sigmoid_pair(z_arr)
    grad = (1.0 - y_arr) * sig - y_arr * _weighted_tail(w_arr, z_arr, sig_neg)
    return finish(grad, result_dtype(y, z, pos_weight))


def smooth_labels(y, eps, num_classes=2):
    r"""标签平滑：把目标 :math:`y` 换成 :math:`(1 - \varepsilon)\,y + \varepsilon / K`。

    Parameters
    ----------
    y : array_like
        标签或概率，取值在 [0, 1]：二分类的 0/1 标签，或 :math:`K` 类概率行（one-hot）的元素。
    eps : array_like
        平滑系数 :math:`\varepsilon \in [0, 1)`，与 ``y`` 广播。
    num_classes : int, optional
        类别数 :math:`K \ge 2`，默认 2（二分类）。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        平滑后的目标，在 :math:`[\varepsilon/K,\ 1 - \varepsilon + \varepsilon/K]` 内；
        精度规则同 :func:`weighted_bce_with_logits`。

    Raises
    ------
    TypeError
        ``y`` 或 ``eps`` 不是实数，``num_classes`` 不是整数。
    ValueError
        含 NaN、``y`` 不在 [0, 1] 内、``eps`` 不在 [0, 1) 内、``num_classes`` 小于 2，
        或形状无法广播。

    Notes
    -----
    .. math::

        \tilde y = (1 - \varepsilon)\,y + \frac{\varepsilon}{K}.

    即把目标分布与均匀分布 :math:`u(k) = 1/K` 按 :math:`1 - \varepsilon : \varepsilon` 混合
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
    """
    k = as_count(num_classes, "num_classes", 2)
    y_arr, eps_arr = _float64_args(
        y=as_probability(y, "y"),
        eps=check_interval(as_real(eps, "eps"), "eps", 0, 1, closed="left"),
    )
    return finish(_smooth(y_arr, eps_arr, k), result_dtype(y, eps))


def focal_loss(y, z, gamma=2.0, alpha=None):
    r"""Focal Loss :math:`-\alpha_t (1 - p_t)^\gamma \log p_t` （由 logit 计算，逐元素）。

    在交叉熵前乘上调制因子 :math:`(1 - p_t)^\gamma`：已经分对、把握很大的样本
    （:math:`p_t \to 1`）损失被压得很小，训练集中在难分的样本上（Lin 等，2017）。

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
        四个参数按 numpy 规则广播。

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
        或形状无法广播。

    Notes
    -----
    记 :math:`p = \sigma(z)`，:math:`1 - p = \sigma(-z)`：

    .. math::

        \mathrm{FL}(y, z) = y\,\alpha\,\sigma(-z)^{\gamma}\,\bigl(-\log\sigma(z)\bigr)
        + (1 - y)(1 - \alpha)\,\sigma(z)^{\gamma}\,\bigl(-\log\sigma(-z)\bigr).

    硬标签时只有一项，就是论文的 :math:`-\alpha_t (1 - p_t)^\gamma \log p_t`。
    每项都是非负因子之积：:math:`\sigma(\pm z)` 与 :math:`\log\sigma(\pm z)` 都由稳定公式
    给出（从不计算 :math:`1 - \sigma(z)`），所以在整条实轴上都有几个 ulp 的相对精度。
    幂 :math:`\sigma^\gamma` 把 σ 的舍入误差放大 :math:`\gamma` 倍：与 mpmath 比较，
    float64 的相对误差不超过 :math:`(4 + 1.5\gamma)` ulp（测试了 :math:`\gamma \le 5`），
    float32 不超过 1 ulp。
    :math:`\gamma = 0` 且 ``alpha=None`` 时与 :func:`~celoss.bce_with_logits` 逐位相同。

    软标签 :math:`0 < y < 1` 时按上式（对 :math:`y` 线性）推广；torchvision 的
    ``sigmoid_focal_loss`` 用的是 :math:`(1 - p_t)^\gamma` 乘整个交叉熵、
    :math:`p_t = p y + (1 - p)(1 - y)` 的另一种推广，两者只在硬标签时相同。

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
    w_pos, w_neg, z_arr, gamma_arr = _focal_args(y, z, gamma, alpha)
    sig, sig_neg = _sigmoid_pair(z_arr)
    pos = np.power(sig_neg, gamma_arr) * -_log_sigmoid(z_arr)
    neg = np.power(sig, gamma_arr) * -_log_sigmoid(-z_arr)
    return finish(_xmul(w_pos, pos) + _xmul(w_neg, neg), result_dtype(y, z, gamma, alpha))


def focal_loss_grad(y, z, gamma=2.0, alpha=None):
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
    w_pos, w_neg, z_arr, gamma_arr = _focal_args(y, z, gamma, alpha)
    sig, sig_neg = _sigmoid_pair(z_arr)
    pos = np.power(sig_neg, gamma_arr) * (_xmul(gamma_arr * sig, -_log_sigmoid(z_arr)) + sig_neg)
    neg = np.power(sig, gamma_arr) * (_xmul(gamma_arr * sig_neg, -_log_sigmoid(-z_arr)) + sig)
    return finish(w_neg * neg - w_pos * pos, result_dtype(y, z, gamma, alpha))
