r"""多分类：softmax、log-softmax 与 softmax 交叉熵，都以 logit 为自变量。

所有函数共用一个计算核心 ``_softmax_parts``：对类别在最后一轴、float64 的有限 logit，
同时给出 :math:`\log p_j`、:math:`p_j` 与 :math:`1 - p_j`，三者都没有相消。记
:math:`m = \max_j z_j`，

* :math:`d_j = z_j - m \le 0`，并用 TwoSum 求出它的舍入误差 :math:`e_j`，使
  :math:`d_j + e_j` 恰好等于 :math:`z_j - m`；
* :math:`E_j = e^{d_j}(1 + e_j) \approx e^{z_j - m}`，最大的那一项恰好是 1；
  :math:`S = \sum_{j \ne \arg\max} E_j`；
* :math:`\log p_j = d_j - \operatorname{log1p}(S) + e_j` （前两项同号），
  :math:`p_j = E_j / (1 + S)`，:math:`1 - p_j = \sum_{i \ne j} E_i / (1 + S)`。

常见的 :math:`\log\sum_j e^{z_j} = m + \log\sum_j e^{z_j - m}` 先把 :math:`1 + S`
舍入，:math:`S < 2^{-53}` 时损失就成了 0；这里的 ``log1p(S)`` 保留了它。

交叉熵统一写成 :math:`\sum_j u_j\,(-\log p_j)`，其中权重 :math:`u_j \ge 0` 由目标、
类别权重 ``weight`` 与标签平滑 ``label_smoothing`` 合成；梯度相应地是
:math:`p_i \sum_{j \ne i} u_j - u_i (1 - p_i)`，两项都不为负。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import (
    as_labels,
    as_real,
    broadcast,
    broadcast_shapes,
    check_axis,
    check_finite,
    check_interval,
    check_rows_sum_to_one,
    check_unit_interval,
    finish,
    result_dtype,
)
from celoss._exact import two_diff
from celoss.losses import _xmul

__all__ = ["softmax", "log_softmax", "cross_entropy", "cross_entropy_grad"]


# --- 计算核心（float64、已检查、类别在最后一轴）---------------------------------------------


def _sums_without_each(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x ≥ 0：沿最后一轴给出每个 i 的 Σ_{j≠i} x_j、总和，以及最大项以外各项之和。

    最大的那一项直接对其余各项求和；其余的 i 用"总和 − x_i"，此时 x_i ≤ 总和/2，
    相减最多损失 1 位，而不会在 x_i ≈ 总和时丢掉全部有效数字。
    """
    top = np.argmax(x, axis=-1)[..., None]
    is_top = np.arange(x.shape[-1]) == top
    rest = np.sum(np.where(is_top, 0.0, x), axis=-1, keepdims=True)
    total = rest + np.take_along_axis(x, top, axis=-1)
    return np.where(is_top, rest, total - x), total, rest


def _shifted_exp(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d, e, E)：d + e 恰好等于 z − max(z)，E = e^d (1 + e)，最大的那一项恰好是 1。"""
    d, e = two_diff(z, np.max(z, axis=-1, keepdims=True))
    with np.errstate(under="ignore"):
        scaled = np.exp(d)
        scaled += scaled * e  # e^(d + e) 的一阶修正，|e| ≤ 2^-53·|d|
    return d, e, scaled


def _softmax_parts(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(log p, p, 1 − p)，p = softmax(z)（见模块说明）。"""
    d, e, scaled = _shifted_exp(z)
    others, total, rest = _sums_without_each(scaled)  # 最大项为 1：total = 1 + S，rest = S
    log_p = (d - np.log1p(rest)) + e
    return log_p, scaled / total, others / total


def _minus_log_p_at(labels: np.ndarray, z: np.ndarray) -> np.ndarray:
    """只求标签那一类的 −log p，与 ``-_softmax_parts(z)[0]`` 在该处逐位相同，但不生成整行概率。"""
    d, e, scaled = _shifted_exp(z)
    np.put_along_axis(scaled, np.argmax(scaled, axis=-1)[..., None], 0.0, axis=-1)
    rest = np.sum(scaled, axis=-1)  # S：最大项以外各项之和
    at = labels[..., None]
    d_at, e_at = np.take_along_axis(d, at, axis=-1)[..., 0], np.take_along_axis(e, at, axis=-1)[..., 0]
    return (np.log1p(rest) - d_at) - e_at  # = −[(d − log1p(S)) + e]，逐位相同


def _smooth(t: np.ndarray, eps, num_classes: int) -> np.ndarray:
    """(1 − ε)·t + ε/K：两项非负，没有相消；t = 1 时舍入后也不超过 1（K ≥ 2）。"""
    return (1.0 - eps) * t + eps / num_classes


# --- 检查与整形 ---------------------------------------------------------------------------------


def _logits(z, axis) -> tuple[np.ndarray, int]:
    """检查 z 与 axis；返回 float64 的 z（原布局）和从末尾数的类别轴号（负数）。"""
    z_arr = check_finite(as_real(z, "z"), "z")
    if z_arr.ndim == 0:
        raise ValueError("z 至少要有一维：类别轴 axis 上的各个 logit")
    pos = check_axis(axis, z_arr.ndim)
    if z_arr.shape[pos] == 0:
        raise ValueError(f"z 的类别轴（axis={axis}）长度为 0：至少要有一个类别")
    return z_arr.astype(np.float64), pos - z_arr.ndim


def _is_labels(target) -> bool:
    """按 dtype 区分：整数（与布尔，随后被拒绝）是类别标签，其余按概率行检查。"""
    try:
        return np.asarray(target).dtype.kind in "biu"
    except (TypeError, ValueError):  # 长短不一的列表等：交给 as_real 报错
        return False


def _class_weights(weight, num_classes: int):
    if weight is None:
        return None
    w = as_real(weight, "weight")
    if w.shape != (num_classes,):
        raise ValueError(
            f"weight 必须是长度为 {num_classes} 的一维数组（每个类别一个权重），收到形状 {w.shape}"
        )
    return check_interval(w, "weight", 0, np.inf, closed="left").astype(np.float64)


def _smoothing(label_smoothing) -> float:
    eps = as_real(label_smoothing, "label_smoothing")
    if eps.ndim != 0:
        raise ValueError(f"label_smoothing 必须是标量，收到形状 {eps.shape}")
    return float(check_interval(eps, "label_smoothing", 0, 1, closed="left"))


def _labels_and_logits(target, z_arr: np.ndarray, class_axis: int):
    """整数标签：检查后返回 (labels, z)，z 的类别在最后一轴，两者按批形状广播。"""
    k = z_arr.shape[class_axis]
    labels = as_labels(target, "target", k)
    z_last = np.moveaxis(z_arr, class_axis, -1)
    batch = broadcast_shapes({"target": labels.shape, "z（去掉类别轴）": z_last.shape[:-1]})
    return np.broadcast_to(labels, batch), np.broadcast_to(z_last, batch + (k,))


def _checked_args(target, z, axis, weight, label_smoothing):
    """检查全部参数，返回 (labels, t, w, eps, z, class_axis)，z 的类别在最后一轴。

    整数标签时 ``labels`` 是按批形状广播的标签、``t`` 为 None；概率行时 ``labels`` 为 None、
    ``t`` 与 z 形状相同。
    """
    z_arr, class_axis = _logits(z, axis)
    k = z_arr.shape[class_axis]
    w = _class_weights(weight, k)
    eps = _smoothing(label_smoothing)
    if _is_labels(target):
        labels, z_last = _labels_and_logits(target, z_arr, class_axis)
        return labels, None, w, eps, z_last, class_axis
    t_arr = as_real(target, "target")
    if t_arr.ndim < -class_axis or t_arr.shape[class_axis] != k:
        raise ValueError(
            f"target 是浮点数组，按概率行解释，它的类别轴（axis={axis}）长度必须与 z 相同，"
            f"为 {k}，收到形状 {t_arr.shape}；若 target 是类别标签，请用整数 dtype"
        )
    check_rows_sum_to_one(check_unit_interval(t_arr, "target"), "target", axis=class_axis)
    t_arr, z_arr = broadcast({"target": t_arr.astype(np.float64), "z": z_arr})
    t, z_last = np.moveaxis(t_arr, class_axis, -1), np.moveaxis(z_arr, class_axis, -1)
    return None, t, w, eps, z_last, class_axis


def _target_weights(labels, t, w, eps, num_classes: int) -> np.ndarray:
    """交叉熵里每一项 −log p_j 的权重 u_j：目标（整数标签化为 one-hot）、标签平滑、类别权重合成。"""
    if labels is not None:
        t = (np.arange(num_classes) == labels[..., None]).astype(np.float64)
    if eps:
        t = _smooth(t, eps, num_classes)
    return t if w is None else t * w


def _weights_and_logits(target, z, axis, weight, label_smoothing):
    """检查全部参数，返回 (u, z, class_axis)：u、z 的类别都在最后一轴且形状相同。"""
    labels, t, w, eps, z_last, class_axis = _checked_args(target, z, axis, weight, label_smoothing)
    return _target_weights(labels, t, w, eps, z_last.shape[-1]), z_last, class_axis


def _finish(out: np.ndarray, dtype: np.dtype):
    # float32 结果只在真值超出 float32 范围时溢出成 ±inf，这是正确的舍入，不必警告
    with np.errstate(over="ignore"):
        return finish(out, dtype)


# --- 公开函数 -----------------------------------------------------------------------------------


def log_softmax(z, axis=-1):
    r"""沿类别轴的 log-softmax :math:`\log p_j = z_j - \log\sum_k e^{z_k}`。

    Parameters
    ----------
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray
        与 ``z`` 同形状，每个元素 :math:`\le 0`；``z`` 是 float32（或 float16）数组时为
        float32，否则为 float64。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    log-sum-exp 技巧先减去最大值 :math:`m`，这样不会上溢：

    .. math::

        \log p_j = (z_j - m) - \log\Bigl(1 + \sum_{k \ne k^*} e^{z_k - m}\Bigr),
        \qquad k^* = \arg\max_k z_k .

    与 :math:`m + \log\sum_k e^{z_k - m}` 不同，这里把 :math:`k^*` 那一项 1 拿出来，
    对其余项之和 :math:`S` 用 ``log1p``：两项同号，没有相消；最有把握的类别
    :math:`\log p_{k^*} = -\operatorname{log1p}(S) \approx -S` 即使小到
    :math:`10^{-300}` 也有几个 ulp 的相对精度。:math:`z_j - m` 的舍入误差用 TwoSum
    精确求出并补回 :math:`e^{z_k - m}`，所以 logit 到 :math:`\pm 10^4` （float64）时
    结果仍精确到几个 ulp。计算一律用 float64；float32 输入的结果只舍入一次。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §4.1 "Overflow and Underflow" 与 §6.2.2.3 "Softmax Units for Multinoulli
           Output Distributions".
    .. [2] D. E. Knuth, *The Art of Computer Programming*, Vol. 2, 3rd ed., 1997,
           §4.2.2（TwoSum：两数之和的精确舍入误差）。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass import log_softmax
    >>> print(np.round(log_softmax([1.0, 2.0, 3.0]), 6))
    [-2.407606 -1.407606 -0.407606]

    logit 很大也不会上溢；朴素的 ``np.log(np.exp(z) / np.exp(z).sum())`` 在这里得到 NaN：

    >>> print(log_softmax([1000.0, 0.0])[1])
    -1000.0

    最有把握的类别：常见的 log-sum-exp 写法把 :math:`e^{-40}` 舍入掉，这里保留它：

    >>> z = np.array([40.0, 0.0])
    >>> print(log_softmax(z)[0], z[0] - (40.0 + np.log(np.sum(np.exp(z - 40.0)))))
    -4.248354255291589e-18 0.0
    """
    z_arr, class_axis = _logits(z, axis)
    log_p, _, _ = _softmax_parts(np.moveaxis(z_arr, class_axis, -1))
    return _finish(np.moveaxis(log_p, -1, class_axis), result_dtype(z))


def softmax(z, axis=-1):
    r"""沿类别轴的 softmax :math:`p_j = e^{z_j} / \sum_k e^{z_k}`。

    Parameters
    ----------
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。

    Returns
    -------
    numpy.ndarray
        与 ``z`` 同形状，沿 ``axis`` 的每一行是一个概率分布；精度规则同 :func:`log_softmax`。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``±inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    分子分母同乘 :math:`e^{-m}` （:math:`m = \max_k z_k`），所有指数都 :math:`\le 1`：

    .. math::

        p_j = \frac{e^{z_j - m}}{1 + \sum_{k \ne k^*} e^{z_k - m}} .

    每个 :math:`p_j` 都有几个 ulp 的相对精度，包括极小的概率（直到下溢）；
    它不是 ``exp(log_softmax(z))``，后者对很小的 :math:`p_j` 会把
    :math:`\log p_j` 的绝对误差放大成相对误差。softmax 对所有 logit 加同一个常数不变，
    :math:`K = 2` 时 :math:`p_1 = \sigma(z_1 - z_0)`。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §4.1 与 §6.2.2.3。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass import softmax
    >>> print(np.round(softmax([1.0, 2.0, 3.0]), 6))
    [0.090031 0.244728 0.665241]
    >>> print(softmax(np.array([[0.0, 1000.0], [5.0, 5.0]]), axis=1))
    [[0.  1. ]
     [0.5 0.5]]
    """
    z_arr, class_axis = _logits(z, axis)
    _, p, _ = _softmax_parts(np.moveaxis(z_arr, class_axis, -1))
    return _finish(np.moveaxis(p, -1, class_axis), result_dtype(z))


def cross_entropy(target, z, axis=-1, *, weight=None, label_smoothing=0.0):
    r"""由 logit 计算的多类交叉熵 :math:`-\sum_j t_j \log\operatorname{softmax}(z)_j`。

    等于 PyTorch 的 ``CrossEntropyLoss(reduction="none")`` 与 TensorFlow 的
    ``softmax_cross_entropy_with_logits``：每个样本一个损失，不求平均。

    Parameters
    ----------
    target : array_like
        两种写法，按 dtype 区分：

        * **整数** （Python ``int`` 或整数数组）：类别标签，取值在 :math:`[0, K)`，
          形状与去掉类别轴的 ``z`` 可以广播；
        * **浮点数**：概率行（one-hot 或软标签），类别轴与 ``z`` 的类别轴对齐且长度同为
          :math:`K`，其余各轴与 ``z`` 广播；每个元素在 [0, 1] 内，每行之和为 1
          （容差为该精度 ε 的平方根，float64 约 :math:`1.5\times 10^{-8}`）。

        所以 ``2`` 是标签，``2.0`` 不是（会被拒绝）；布尔数组也被拒绝。
    z : array_like
        logit，有限实数，至少一维；类别在 ``axis`` 轴上，共 :math:`K` 个。
    axis : int, optional
        ``z`` 的类别轴，默认最后一轴；概率行 ``target`` 的类别轴是从末尾数的同一轴。
    weight : array_like, optional
        类别权重 :math:`w`，长度为 :math:`K` 的一维非负数组（PyTorch 的 ``weight``）。
        默认全为 1。
    label_smoothing : float, optional
        标签平滑系数 :math:`\varepsilon \in [0, 1)`：目标换成
        :math:`(1 - \varepsilon)\,t + \varepsilon / K` （PyTorch 的 ``label_smoothing``）。
        默认 0。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        每个样本的损失 :math:`\ge 0`，形状是去掉类别轴后的广播形状；0 维时返回 numpy 标量。
        参数（``target``、``z``、``weight``）中有 float64 数组时为 float64，否则有 float32
        数组时为 float32，其余为 float64；整数标签不决定精度。

    Raises
    ------
    TypeError
        参数不是实数；``target`` 是布尔数组；``axis`` 不是整数。
    ValueError
        含 NaN；``z`` 含 ``±inf``、是 0 维或类别轴长度为 0；``axis`` 超出范围；
        标签超出 :math:`[0, K)`；浮点 ``target`` 的类别轴长度不是 :math:`K` （例如把
        浮点数当标签）、元素不在 [0, 1] 内或行和不为 1；形状无法广播；``weight`` 形状不对
        或为负；``label_smoothing`` 不在 [0, 1) 内。

    Notes
    -----
    记 :math:`t` 为目标行（标签 :math:`c` 时是 one-hot :math:`t_j = [j = c]`），
    :math:`\tilde t = (1 - \varepsilon)\,t + \varepsilon/K`，:math:`u_j = w_j \tilde t_j`：

    .. math::

        \ell(t, z) = \sum_j u_j\,\bigl(-\log p_j\bigr), \qquad
        -\log p_j = \operatorname{log1p}(S) - (z_j - m) \ge 0,

    其中 :math:`-\log p_j` 的算法见 :func:`log_softmax`。每一项都非负，相加没有相消，
    所以损失在整个范围内都有几个 ulp 的相对精度：对一个很有把握又答对的预测，
    :math:`\ell \approx S` 可以小到 :math:`10^{-35}` （float32）或 :math:`10^{-300}`
    （float64）而不变成 0。约定 :math:`0 \cdot \log 0 = 0`，目标为 0 的类别不贡献损失。

    没有类别权重与标签平滑时，标签 :math:`c` 的损失就是 :math:`-\log p_c`；有类别权重时
    是 :math:`-w_c \log p_c` （PyTorch 的 ``reduction="none"``，不除以权重之和）。
    :math:`K = 2`、:math:`z = (0, x)` 时等于 ``bce_with_logits(c, x)``。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.CrossEntropyLoss``.
    .. [2] TensorFlow documentation, ``tf.nn.softmax_cross_entropy_with_logits``.
    .. [3] C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens, Z. Wojna, "Rethinking the
           Inception Architecture for Computer Vision", CVPR 2016, §7（标签平滑）。
    .. [4] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §6.2.2.3。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass import cross_entropy
    >>> z = np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 0.0]])
    >>> print(np.round(cross_entropy([0, 2], z), 6))
    [0.241311 1.098612]

    概率行与整数标签给出同一个损失：

    >>> print(np.round(cross_entropy(np.array([[1.0, 0, 0], [0, 0, 1.0]]), z), 6))
    [0.241311 1.098612]

    类别权重与标签平滑：

    >>> print(np.round(cross_entropy([0, 2], z, weight=[2.0, 1.0, 1.0]), 6))
    [0.482623 1.098612]
    >>> print(np.round(cross_entropy([0, 2], z, label_smoothing=0.1), 6))
    [0.391311 1.098612]

    很有把握又答对的预测，损失很小但不是 0；常见的 log-sum-exp 写法在这里得到 0：

    >>> z32 = np.array([80.0, 0.0], dtype=np.float32)
    >>> print(cross_entropy(0, z32))
    1.8048513e-35
    >>> print(80 - (80 + np.log(np.sum(np.exp(z32 - 80)))))
    0.0
    """
    labels, t, w, eps, z_last, _ = _checked_args(target, z, axis, weight, label_smoothing)
    if labels is not None and eps == 0:
        # 常见情形（整数标签、不平滑）：只算标签那一类，结果与通用写法逐位相同
        loss = _minus_log_p_at(labels, z_last)
        if w is not None:
            loss = _xmul(w[labels], loss)
    else:
        u = _target_weights(labels, t, w, eps, z_last.shape[-1])
        loss = np.sum(_xmul(u, -_softmax_parts(z_last)[0]), axis=-1)
    return _finish(loss, result_dtype(target, z, weight))


def cross_entropy_grad(target, z, axis=-1, *, weight=None, label_smoothing=0.0):
    r"""多类交叉熵对 logit 的梯度 :math:`\partial\ell/\partial z = \operatorname{softmax}(z) - t`。

    参数与 :func:`cross_entropy` 完全相同，返回 :func:`cross_entropy` 的逐样本损失
    对 ``z`` 每个元素的偏导数。

    Parameters
    ----------
    target : array_like
        整数类别标签或概率行，规则同 :func:`cross_entropy`。
    z : array_like
        logit，有限实数，至少一维。
    axis : int, optional
        ``z`` 的类别轴，默认最后一轴。
    weight : array_like, optional
        类别权重，长度为 :math:`K` 的一维非负数组。
    label_smoothing : float, optional
        标签平滑系数 :math:`\varepsilon \in [0, 1)`。

    Returns
    -------
    numpy.ndarray
        梯度，形状是 ``target`` 与 ``z`` 广播后的形状（类别轴仍在 ``axis``）；
        精度规则同 :func:`cross_entropy`。

    Raises
    ------
    TypeError
        同 :func:`cross_entropy`。
    ValueError
        同 :func:`cross_entropy`。

    Notes
    -----
    推导：:math:`-\log p_j = \log\sum_k e^{z_k} - z_j`，而
    :math:`\partial \log\sum_k e^{z_k} / \partial z_i = p_i`，所以

    .. math::

        \frac{\partial}{\partial z_i}\sum_j u_j\,(-\log p_j)
        = \sum_j u_j\,(p_i - [i = j]) = p_i \sum_j u_j - u_i .

    当 :math:`\sum_j u_j = 1` （没有类别权重的概率行或标签）时，这就是
    :math:`\operatorname{softmax}(z) - t`，标签 :math:`c` 时为 :math:`p - \mathrm{onehot}(c)`：
    梯度等于"预测减目标"，和二分类的 :math:`\sigma(z) - y` 一样不会饱和。

    计算时写成两个非负项之差

    .. math::

        \frac{\partial \ell}{\partial z_i} = p_i \sum_{j \ne i} u_j - u_i\,(1 - p_i),

    其中 :math:`1 - p_i = \sum_{k \ne i} e^{z_k - m} / \sum_k e^{z_k - m}` 直接求和得到，
    不做 :math:`1 - p_i` 的相减。对标签（one-hot）只剩一项，每个元素都有几个 ulp 的
    相对精度：很有把握又答对时 :math:`p_c - 1 \approx -10^{-35}` 也不会变成 0。
    软标签时差值在 :math:`p_i \approx t_i` 处有根，误差界是几个 ulp 乘以两项中较大者
    （问题本身的条件数）。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.CrossEntropyLoss``.
    .. [2] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §6.2.2.3。

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass import cross_entropy_grad, softmax
    >>> z = np.array([2.0, 0.5, -1.0])
    >>> print(np.round(cross_entropy_grad(0, z), 6))
    [-0.214403  0.17529   0.039113]
    >>> print(np.round(softmax(z) - [1, 0, 0], 6))
    [-0.214403  0.17529   0.039113]

    很有把握又答对时，朴素的 ``softmax(z) - onehot`` 把小梯度舍入成 0：

    >>> z = np.array([40.0, 0.0])
    >>> print(cross_entropy_grad(0, z)[0], softmax(z)[0] - 1)
    -4.248354255291589e-18 0.0
    """
    u, z_last, class_axis = _weights_and_logits(target, z, axis, weight, label_smoothing)
    _, p, q = _softmax_parts(z_last)
    u_others, _, _ = _sums_without_each(u)
    grad = p * u_others - u * q
    return _finish(np.moveaxis(grad, -1, class_axis), result_dtype(target, z, weight))
