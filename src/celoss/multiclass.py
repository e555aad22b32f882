r"""多分类：softmax、log-softmax 与 softmax 交叉熵，都以 logit 为自变量。

所有函数共用一个计算核心 ``celoss._kernels.softmax_parts``：对类别在最后一轴、float64 的 logit，
同时给出 :math:`\log \hat{y}_j`、:math:`\hat{y}_j` 与 :math:`1 - \hat{y}_j`，三者都没有相消。记
:math:`m = \max_j z_j`，

* :math:`d_j = z_j - m \le 0`，并用 TwoSum 求出它的舍入误差 :math:`e_j`，使
  :math:`d_j + e_j` 恰好等于 :math:`z_j - m`；
* :math:`E_j = e^{d_j}(1 + e_j) \approx e^{z_j - m}`，最大的那一项恰好是 1；
  :math:`S = \sum_{j \ne \arg\max} E_j`；
* :math:`\log \hat{y}_j = d_j - \operatorname{log1p}(S) + e_j` （前两项同号），
  :math:`\hat{y}_j = E_j / (1 + S)`，:math:`1 - \hat{y}_j = \sum_{i \ne j} E_i / (1 + S)`。

常见的 :math:`\log\sum_j e^{z_j} = m + \log\sum_j e^{z_j - m}` 先把 :math:`1 + S`
舍入，:math:`S < 2^{-53}` 时损失就成了 0；这里的 ``log1p(S)`` 保留了它。

对照用的 :func:`softmax_mse`、:func:`softmax_mse_grad` 与 :func:`softmax_jacobian`
（把平方损失用在 softmax 的输出上）也在这里，多分类一章用它们说明「softmax + MSE」为什么
比「softmax + 交叉熵」差。

交叉熵统一写成 :math:`\sum_j u_j\,(-\log \hat{y}_j)`，其中权重 :math:`u_j \ge 0` 由目标、
类别权重 ``weight`` 与标签平滑 ``label_smoothing`` 合成；梯度相应地是
:math:`\hat{y}_i \sum_{j \ne i} u_j - u_i (1 - \hat{y}_i)`，两项都不为负。
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from celoss import _kernels
from celoss._checks import (
    as_class_rows,
    as_real,
    as_scalar,
    check_interval,
    check_reduction,
    check_rows_sum_to_one,
    check_unit_interval,
    finish,
    finish_grad,
    result_dtype,
    shape_rule,
)

__all__ = [
    "softmax",
    "log_softmax",
    "cross_entropy",
    "cross_entropy_grad",
    "softmax_jacobian",
    "softmax_mse",
    "softmax_mse_grad",
]


# --- 检查与整形 ---------------------------------------------------------------------------------


def _class_last(z: ArrayLike, axis: Any) -> tuple[np.ndarray, int]:
    """检查 z 与 axis（见 :func:`celoss._checks.as_class_rows`）；返回类别在最后一轴的 z 与类别轴号。"""
    z_arr, class_axis = as_class_rows(z, axis)
    return np.moveaxis(z_arr, class_axis, -1), class_axis


def _is_labels(target: ArrayLike) -> bool:
    """按 dtype 区分：整数（与布尔，随后被拒绝）是类别标签，其余按概率行检查。"""
    try:
        return np.asarray(target).dtype.kind in "biu"
    except (TypeError, ValueError):  # 长短不一的列表等：交给 as_real 报错
        return False


def _class_weights(weight: ArrayLike | None, num_classes: int) -> np.ndarray | None:
    if weight is None:
        return None
    w = as_real(weight, "weight")
    if w.shape != (num_classes,):
        raise ValueError(
            f"weight 必须是长度为 {num_classes} 的一维数组（每个类别一个权重），收到形状 {w.shape}"
        )
    return check_interval(w, "weight", 0, np.inf, closed="left").astype(np.float64)


def _ignore_index(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"ignore_index 必须是整数或 None，收到 {type(value).__name__}")
    return int(value)


def _labels(target: ArrayLike, num_classes: int, ignore: int | None) -> np.ndarray:
    """整数类别标签：0 ≤ 标签 < K，或等于 ``ignore_index``；布尔值拒绝。"""
    arr = np.asarray(target)
    if arr.dtype.kind == "b":
        raise TypeError("target 必须是整数类别标签，收到布尔数组；概率行请用浮点 dtype")
    bad = (arr < 0) | (arr >= num_classes)
    if ignore is not None:
        bad &= arr != ignore
    if bad.any():
        raise ValueError(f"target 必须是 [0, {num_classes}) 内的整数类别标签，收到 {arr[bad].flat[0]}")
    return arr.astype(np.intp, copy=False)


class _Targets:
    """检查过的目标：整数标签（``labels``、``ignored``）或概率行 ``t``，类别都在最后一轴。"""

    def __init__(
        self,
        target: ArrayLike,
        z: ArrayLike,
        axis: Any,
        weight: ArrayLike | None = None,
        label_smoothing: float = 0.0,
        ignore_index: int | None = None,
    ) -> None:
        self.z, self.class_axis = _class_last(z, axis)
        k = self.z.shape[-1]
        self.weight = _class_weights(weight, k)
        self.eps = as_scalar(label_smoothing, "label_smoothing", 0.0, 1.0)
        ignore = _ignore_index(ignore_index)
        self.dtype = result_dtype(target, z, weight)
        self.labels = self.t = self.ignored = None
        if _is_labels(target):
            labels = _labels(target, k, ignore)
            if labels.ndim >= 2 and labels.ndim == self.z.ndim and labels.shape[-1] == k:
                raise ValueError(
                    f"target 是整数数组，形状 {labels.shape} 与 z 相同：看起来是 one-hot 矩阵。"
                    "整数 target 是类别标签，形状应与去掉类别轴的 z 相同；one-hot 或概率行请用浮点 dtype"
                )
            batch = shape_rule({"target": labels.shape, "z（去掉类别轴）": self.z.shape[:-1]})
            self.labels = np.broadcast_to(labels, batch)
            self.z = np.broadcast_to(self.z, (*batch, k))
            if ignore is not None:
                self.ignored = self.labels == ignore
                self.labels = np.where(self.ignored, 0, self.labels)
            return
        if ignore is not None:
            raise ValueError("ignore_index 只适用于整数类别标签；target 是概率行时请把要忽略的行去掉")
        t = as_real(target, "target")
        if t.ndim < -self.class_axis or t.shape[self.class_axis] != k:
            raise ValueError(
                f"target 是浮点数组，按概率行解释，它的类别轴（axis={axis}）长度必须与 z 相同，"
                f"为 {k}，收到形状 {t.shape}；若 target 是类别标签，请用整数 dtype"
            )
        check_rows_sum_to_one(check_unit_interval(t, "target"), "target", axis=self.class_axis)
        t_last = np.moveaxis(t.astype(np.float64, copy=False), self.class_axis, -1)
        shape = shape_rule({"target": t_last.shape, "z": self.z.shape})
        self.t, self.z = np.broadcast_to(t_last, shape), np.broadcast_to(self.z, shape)

    def weights(self) -> np.ndarray:
        """交叉熵里每一项 −log p_j 的权重 u_j：目标（标签化为 one-hot）、标签平滑、类别权重合成。"""
        k = self.z.shape[-1]
        if self.labels is not None:
            t = (np.arange(k) == self.labels[..., None]).astype(np.float64)
        else:
            assert self.t is not None  # __init__ sets either labels or t
            t = self.t
        if self.eps:
            t = _kernels.smooth(t, self.eps, k)
        u = t if self.weight is None else t * self.weight
        if self.ignored is not None:
            u = np.where(self.ignored[..., None], 0.0, u)
        return u

    def denominator(self) -> float | None:
        """``reduction="mean"`` 的分母：整数标签时是未被忽略位置的 Σ w[标签]（PyTorch 的定义），否则是样本数。"""
        if self.labels is None:
            return None
        kept = np.ones(self.labels.shape, bool) if self.ignored is None else ~self.ignored
        if self.weight is None:
            return int(np.count_nonzero(kept))
        return float(np.sum(self.weight[self.labels][kept]))

    def grad_out(self, grad: np.ndarray, reduction: str) -> Any:
        return finish_grad(np.moveaxis(grad, -1, self.class_axis), self.dtype, reduction, self.denominator())


# --- 公开函数 -----------------------------------------------------------------------------------


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""沿类别轴的 log-softmax :math:`\log \hat{y}_j = z_j - \log\sum_k e^{z_k}`。

    Parameters
    ----------
    z : array_like
        logit，实数，至少一维；类别在 ``axis`` 轴上。``-inf`` 表示被屏蔽的类别
        （:math:`\log \hat{\mathbf{y}} = -\infty`），每一行至少要有一个有限值；``+inf`` 与 NaN 被拒绝。
    axis : int, optional
        类别轴，默认最后一轴（PyTorch 的默认是 ``dim=1``）。

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
        ``z`` 含 NaN 或 ``+inf``、有一行全是 ``-inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    log-sum-exp 技巧先减去最大值 :math:`m`，这样不会上溢：

    .. math::

        \log \hat{y}_j = (z_j - m) - \log\Bigl(1 + \sum_{k \ne k^*} e^{z_k - m}\Bigr),
        \qquad k^* = \arg\max_k z_k .

    与 :math:`m + \log\sum_k e^{z_k - m}` 不同，这里把 :math:`k^*` 那一项 1 拿出来，
    对其余项之和 :math:`S` 用 ``log1p``：两项同号，没有相消；最有把握的类别
    :math:`\log \hat{y}_{k^*} = -\operatorname{log1p}(S) \approx -S` 即使小到
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
    z_last, class_axis = _class_last(z, axis)
    log_p = _kernels.log_softmax_rows(z_last)
    return finish(np.moveaxis(log_p, -1, class_axis), result_dtype(z))


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""沿类别轴的 softmax :math:`\hat{y}_j = e^{z_j} / \sum_k e^{z_k}`。

    Parameters
    ----------
    z : array_like
        logit，实数，至少一维；类别在 ``axis`` 轴上。``-inf`` 表示被屏蔽的类别（概率为 0），
        每一行至少要有一个有限值；``+inf`` 与 NaN 被拒绝。
    axis : int, optional
        类别轴，默认最后一轴（PyTorch 的默认是 ``dim=1``）。

    Returns
    -------
    numpy.ndarray
        与 ``z`` 同形状，沿 ``axis`` 的每一行是一个概率分布；精度规则同 :func:`log_softmax`。

    Raises
    ------
    TypeError
        ``z`` 不是实数数组，或 ``axis`` 不是整数。
    ValueError
        ``z`` 含 NaN 或 ``+inf``、有一行全是 ``-inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    分子分母同乘 :math:`e^{-m}` （:math:`m = \max_k z_k`），所有指数都 :math:`\le 1`：

    .. math::

        \hat{y}_j = \frac{e^{z_j - m}}{1 + \sum_{k \ne k^*} e^{z_k - m}} .

    每个 :math:`\hat{y}_j` 都有几个 ulp 的相对精度，包括极小的概率（直到下溢）；
    它不是 ``exp(log_softmax(z))``，后者对很小的 :math:`\hat{y}_j` 会把
    :math:`\log \hat{y}_j` 的绝对误差放大成相对误差。softmax 对所有 logit 加同一个常数不变，
    :math:`K = 2` 时 :math:`\hat{y}_1 = \sigma(z_1 - z_0)`。

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

    ``-inf`` 屏蔽一个类别，其余类别按原来的比例分配概率：

    >>> print(softmax([0.0, -np.inf, np.log(3.0)]))
    [0.25 0.   0.75]
    """
    z_last, class_axis = _class_last(z, axis)
    p = _kernels.softmax_rows(z_last)
    return finish(np.moveaxis(p, -1, class_axis), result_dtype(z))


def cross_entropy(
    target: ArrayLike,
    z: ArrayLike,
    axis: int = -1,
    *,
    weight: ArrayLike | None = None,
    label_smoothing: float = 0.0,
    ignore_index: int | None = None,
    reduction: str = "none",
) -> np.ndarray | np.floating:
    r"""由 logit 计算的多类交叉熵 :math:`-\sum_j y_j \log\operatorname{softmax}(z)_j`。

    默认等于 PyTorch 的 ``cross_entropy(..., reduction="none")`` 与 TensorFlow 的
    ``softmax_cross_entropy_with_logits``：每个样本一个损失，不求平均；``reduction`` 与
    ``ignore_index`` 的含义也与 PyTorch 相同（但 ``ignore_index`` 默认不忽略任何标签）。

    Parameters
    ----------
    target : array_like
        两种写法，按 dtype 区分：

        * **整数** （Python ``int`` 或整数数组）：类别标签，取值在 :math:`[0, K)`，
          形状与去掉类别轴的 ``z`` 可以广播；
        * **浮点数**：概率行（one-hot 或软标签），类别轴与 ``z`` 的类别轴对齐且长度同为
          :math:`K`，其余各轴与 ``z`` 广播；每个元素在 [0, 1] 内，每行之和为 1
          （容差为该精度 ε 的平方根，float64 约 :math:`1.5\times 10^{-8}`）。

        所以 ``2`` 是标签，``2.0`` 不是（会被拒绝）；布尔数组也被拒绝；与 ``z`` 形状相同的
        整数矩阵（整数 one-hot）被拒绝。两种写法都按形状规则与 ``z`` 对齐：一方可以广播到
        另一方（一个标签对多行 logit），两方都被拉伸则拒绝。
    z : array_like
        logit，至少一维；类别在 ``axis`` 轴上，共 :math:`K` 个。``-inf`` 表示被屏蔽的类别，
        每一行至少要有一个有限值；``+inf`` 与 NaN 被拒绝。
    axis : int, optional
        ``z`` 的类别轴，默认最后一轴（PyTorch 是 ``dim=1``）；概率行 ``target`` 的类别轴是
        从末尾数的同一轴。
    weight : array_like, optional
        类别权重 :math:`w`，长度为 :math:`K` 的一维非负数组（PyTorch 的 ``weight``）。
        默认全为 1。
    label_smoothing : float, optional
        标签平滑系数 :math:`\varepsilon_{\mathrm{ls}} \in [0, 1]`：目标换成
        :math:`(1 - \varepsilon_{\mathrm{ls}})\,\mathbf{y} + \varepsilon_{\mathrm{ls}} / K`
        （PyTorch 的 ``label_smoothing``）。
        默认 0。
    ignore_index : int or None, optional
        只用于整数标签：等于它的位置损失为 0（梯度也为 0），并且不计入 ``"mean"`` 的分母。
        默认 ``None`` （PyTorch 的默认是 −100）。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）每个样本一个损失；``"sum"`` 求和；``"mean"`` 是加权平均
        :math:`\sum_i \ell_i / \sum_i w_{c_i}` （整数标签，对未被忽略的样本求和；没有
        ``weight`` 时分母就是样本数），概率行时除以样本数——都与 PyTorch 相同。
        分母为 0 时结果是 NaN。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        ``reduction="none"`` 时是每个样本的损失 :math:`\ge 0`，形状是去掉类别轴后的广播形状，
        0 维时返回 numpy 标量；否则是一个 numpy 标量。目标类别的 logit 是 ``-inf`` 时
        损失是 ``inf`` （与 ``bce(1, 0)`` 一样）。
        参数（``target``、``z``、``weight``）中有 float64 数组时为 float64，否则有 float32
        数组时为 float32，其余为 float64；整数标签不决定精度。

    Raises
    ------
    TypeError
        参数不是实数；``target`` 是布尔数组；``axis`` 不是整数。
    ValueError
        含 NaN；``z`` 含 ``+inf``、有一行全是 ``-inf``、是 0 维或类别轴长度为 0；``axis``
        超出范围；标签超出 :math:`[0, K)` 且不等于 ``ignore_index``；整数 ``target`` 与 ``z``
        形状相同；浮点 ``target`` 的类别轴长度不是 :math:`K` （例如把浮点数当标签）、元素不在
        [0, 1] 内或行和不为 1；形状不符合形状规则；``weight`` 形状不对或为负；
        ``label_smoothing`` 不在 [0, 1] 内；概率行配 ``ignore_index``；``reduction`` 不认识。

    Notes
    -----
    记 :math:`\mathbf{y}` 为目标行（标签 :math:`c` 时是 one-hot :math:`y_j = \mathbf{1}[j = c]`），
    :math:`\tilde{\mathbf{y}} = (1 - \varepsilon_{\mathrm{ls}})\,\mathbf{y} + \varepsilon_{\mathrm{ls}}/K`，
    :math:`u_j = w_j \tilde{y}_j`：

    .. math::

        \ell(\mathbf{y}, z) = \sum_j u_j\,\bigl(-\log \hat{y}_j\bigr), \qquad
        -\log \hat{y}_j = \operatorname{log1p}(S) - (z_j - m) \ge 0,

    其中 :math:`-\log \hat{y}_j` 的算法见 :func:`log_softmax`。每一项都非负，相加没有相消，
    所以损失在整个范围内都有几个 ulp 的相对精度：对一个很有把握又答对的预测，
    :math:`\ell \approx S` 可以小到 :math:`10^{-35}` （float32）或 :math:`10^{-300}`
    （float64）而不变成 0。约定 :math:`0 \cdot \log 0 = 0`，目标为 0 的类别不贡献损失。

    没有类别权重与标签平滑时，标签 :math:`c` 的损失就是 :math:`-\log \hat{y}_c`；有类别权重时
    是 :math:`-w_c \log \hat{y}_c` （PyTorch 的 ``reduction="none"``，不除以权重之和）。
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

    PyTorch 的 ``reduction`` 与 ``ignore_index``：加权平均除以 :math:`\sum_i w_{c_i}`，
    被忽略的样本不计入：

    >>> z = np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    >>> print(round(float(cross_entropy([0, 2, -100], z, ignore_index=-100, reduction="mean")), 6))
    0.669962
    >>> w = np.array([2.0, 1.0, 1.0])
    >>> print(round(float(cross_entropy([0, 2], z[:2], weight=w, reduction="mean")), 6))
    0.527078

    ``-inf`` 屏蔽一个类别；目标类别被屏蔽时损失是 ``inf``：

    >>> print(cross_entropy([0, 1], [[0.0, -np.inf], [0.0, -np.inf]]))
    [ 0. inf]
    """
    reduction = check_reduction(reduction)
    args = _Targets(target, z, axis, weight, label_smoothing, ignore_index)
    if args.labels is not None and args.eps == 0:
        # 常见情形（整数标签、不平滑）：只算标签那一类，结果与通用写法逐位相同
        loss = _kernels.minus_log_p_at(args.labels, args.z)
        if args.weight is not None:
            loss = _kernels.xmul(args.weight[args.labels], loss)
        if args.ignored is not None:
            loss[args.ignored] = 0.0
    else:
        loss = _kernels.weighted_minus_log_p(args.weights(), args.z)
    return finish(loss, args.dtype, reduction, args.denominator())


def cross_entropy_grad(
    target: ArrayLike,
    z: ArrayLike,
    axis: int = -1,
    *,
    weight: ArrayLike | None = None,
    label_smoothing: float = 0.0,
    ignore_index: int | None = None,
    reduction: str = "none",
) -> np.ndarray:
    r"""多类交叉熵对 logit 的梯度 :math:`\partial\ell/\partial z = \operatorname{softmax}(z) - \mathbf{y}`。

    参数与 :func:`cross_entropy` 完全相同，返回 :func:`cross_entropy` 的逐样本损失
    对 ``z`` 每个元素的偏导数。

    Parameters
    ----------
    target : array_like
        整数类别标签或概率行，规则同 :func:`cross_entropy`。
    z : array_like
        logit，至少一维，可含 ``-inf``。
    axis : int, optional
        ``z`` 的类别轴，默认最后一轴。
    weight : array_like, optional
        类别权重，长度为 :math:`K` 的一维非负数组。
    label_smoothing : float, optional
        标签平滑系数 :math:`\varepsilon_{\mathrm{ls}} \in [0, 1]`。
    ignore_index : int or None, optional
        被忽略的标签值：那些样本的梯度为 0。
    reduction : {"none", "mean", "sum"}, optional
        与损失的 ``reduction`` 对应：``"mean"`` 时梯度再除以 :func:`cross_entropy` 的同一个分母。

    Returns
    -------
    numpy.ndarray
        梯度，形状是 ``target`` 与 ``z`` 对齐后的形状（类别轴仍在 ``axis``）；
        精度规则同 :func:`cross_entropy`。被屏蔽（``-inf``）的类别梯度为 0；
        目标类别被屏蔽时那一项是 :math:`-u_c` （损失为 ``inf`` 处的极限）。

    Raises
    ------
    TypeError
        同 :func:`cross_entropy`。
    ValueError
        同 :func:`cross_entropy`。

    Notes
    -----
    推导：:math:`-\log \hat{y}_j = \log\sum_k e^{z_k} - z_j`，而
    :math:`\partial \log\sum_k e^{z_k} / \partial z_i = \hat{y}_i`，所以

    .. math::

        \frac{\partial}{\partial z_i}\sum_j u_j\,(-\log \hat{y}_j)
        = \sum_j u_j\,(\hat{y}_i - \mathbf{1}[i = j]) = \hat{y}_i \sum_j u_j - u_i .

    当 :math:`\sum_j u_j = 1` （没有类别权重的概率行或标签）时，这就是
    :math:`\operatorname{softmax}(z) - \mathbf{y}`，标签 :math:`c` 时为 :math:`\hat{\mathbf{y}} - \mathrm{onehot}(c)`：
    梯度等于"预测减目标"，和二分类的 :math:`\sigma(z) - y` 一样不会饱和。

    计算时写成两个非负项之差

    .. math::

        \frac{\partial \ell}{\partial z_i} = \hat{y}_i \sum_{j \ne i} u_j - u_i\,(1 - \hat{y}_i),

    其中 :math:`1 - \hat{y}_i = \sum_{k \ne i} e^{z_k - m} / \sum_k e^{z_k - m}` 直接求和得到，
    不做 :math:`1 - \hat{y}_i` 的相减。对标签（one-hot）只剩一项，每个元素都有几个 ulp 的
    相对精度：很有把握又答对时 :math:`\hat{y}_c - 1 \approx -10^{-35}` 也不会变成 0。
    软标签时差值在 :math:`\hat{y}_i \approx y_i` 处有根，误差界是几个 ulp 乘以两项中较大者
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

    平均损失的梯度：

    >>> print(np.round(cross_entropy_grad([0, 0], [[0.0, 0.0], [0.0, 0.0]], reduction="mean"), 6))
    [[-0.25  0.25]
     [-0.25  0.25]]
    """
    reduction = check_reduction(reduction)
    args = _Targets(target, z, axis, weight, label_smoothing, ignore_index)
    u = args.weights()
    _, p, q = _kernels.softmax_parts(args.z)
    grad = p * _kernels.sums_without_each(u) - u * q
    return args.grad_out(grad, reduction)


# --- 对照：softmax 输出上的平方损失 -------------------------------------------------------------


def _residual(args: _Targets) -> tuple[np.ndarray, np.ndarray]:
    """(p, d)：d = p − t 写成 p(1 − t) − t(1 − p)，两项都不为负。"""
    t = args.weights()
    _, p, q = _kernels.softmax_parts(args.z)
    return p, p * (1.0 - t) - t * q


def softmax_jacobian(z: ArrayLike, axis: int = -1) -> np.ndarray:
    r"""softmax 的雅可比矩阵 :math:`J_{ij} = \partial \hat{y}_i / \partial z_j`。

    Parameters
    ----------
    z : array_like
        logit，至少一维（可含 ``-inf``）；类别在 ``axis`` 轴上，共 :math:`K` 个。
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
        ``z`` 含 NaN 或 ``+inf``、有一行全是 ``-inf``、是 0 维、类别轴长度为 0，或 ``axis`` 超出范围。

    Notes
    -----
    由 :math:`\log \hat{y}_i = z_i - \log\sum_k e^{z_k}` 得
    :math:`\partial \log \hat{y}_i / \partial z_j = \mathbf{1}[i = j] - \hat{y}_j`，乘上 :math:`\hat{y}_i`：

    .. math::

        J = \operatorname{diag}(\hat{\mathbf{y}}) - \hat{\mathbf{y}}\,\hat{\mathbf{y}}^\top .

    对角元 :math:`\hat{y}_i(1 - \hat{y}_i)` 用直接求和得到的 :math:`1 - \hat{y}_i` 计算，没有相消。
    每行之和为 0（softmax 对所有 logit 加同一个常数不变）。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §4.3.4, eq. (4.106).

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass import softmax_jacobian
    >>> J = softmax_jacobian([0.0, 0.0])
    >>> print(J)
    [[ 0.25 -0.25]
     [-0.25  0.25]]
    >>> print(np.abs(softmax_jacobian([2.0, 0.5, -1.0]).sum(axis=1)).max() < 1e-16)
    True
    """
    z_last, _ = _class_last(z, axis)
    _, p, q = _kernels.softmax_parts(z_last)
    k = p.shape[-1]
    jac = -p[..., :, None] * p[..., None, :]
    diag = np.arange(k)
    jac[..., diag, diag] = p * q
    return finish(jac, result_dtype(z))


def softmax_mse(
    target: ArrayLike, z: ArrayLike, axis: int = -1, *, reduction: str = "none"
) -> np.ndarray | np.floating:
    r"""softmax 输出上的平方损失 :math:`\tfrac12\lVert \operatorname{softmax}(z) - \mathbf{y}\rVert^2`。

    Parameters
    ----------
    target : array_like
        整数类别标签或概率行，规则同 :func:`celoss.cross_entropy`。
    z : array_like
        logit，至少一维（可含 ``-inf``）；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。
    reduction : {"none", "mean", "sum"}, optional
        ``"none"`` （默认）每个样本一个损失；``"mean"`` 除以样本数，``"sum"`` 求和。

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

        \ell_{\mathrm{MSE}}(\mathbf{y}, z) = \tfrac12\sum_j (\hat{y}_j - y_j)^2, \qquad
        \hat{y}_j - y_j = \hat{y}_j(1 - y_j) - y_j(1 - \hat{y}_j).

    损失有界：:math:`\lVert \hat{\mathbf{y}} - \mathbf{y}\rVert^2 \le 2`，所以再离谱的预测损失也不超过 1，
    这与二分类时 MSE 不超过 :math:`\tfrac12` 是同一回事。

    References
    ----------
    .. [1] P. Golik, P. Doetsch, H. Ney, "Cross-Entropy vs. Squared Error Training: a
           Theoretical and Experimental Comparison", *Interspeech* 2013, 1756–1760.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss.multiclass import softmax_mse
    >>> print(softmax_mse(0, [0.0, 0.0]))
    0.25
    >>> print(round(float(softmax_mse(0, [-50.0, 50.0])), 12))
    1.0
    """
    reduction = check_reduction(reduction)
    args = _Targets(target, z, axis)
    _, d = _residual(args)
    return finish(0.5 * np.sum(d * d, axis=-1), args.dtype, reduction)


def softmax_mse_grad(target: ArrayLike, z: ArrayLike, axis: int = -1, *, reduction: str = "none") -> np.ndarray:
    r"""softmax 输出上的平方损失对 logit 的梯度 :math:`J^\top (\hat{\mathbf{y}} - \mathbf{y})`。

    Parameters
    ----------
    target : array_like
        整数类别标签或概率行，规则同 :func:`celoss.cross_entropy`。
    z : array_like
        logit，至少一维（可含 ``-inf``）；类别在 ``axis`` 轴上。
    axis : int, optional
        类别轴，默认最后一轴。
    reduction : {"none", "mean", "sum"}, optional
        与损失的 ``reduction`` 对应：``"mean"`` 时梯度再除以样本数。

    Returns
    -------
    numpy.ndarray
        梯度，形状是 ``target`` 与 ``z`` 对齐后的形状（类别轴仍在 ``axis``）；
        精度规则同 :func:`celoss.cross_entropy_grad`。

    Raises
    ------
    TypeError
        同 :func:`celoss.cross_entropy`。
    ValueError
        同 :func:`celoss.cross_entropy`。

    Notes
    -----
    记 :math:`d = \hat{\mathbf{y}} - \mathbf{y}`。链式法则与 :func:`softmax_jacobian` 给出

    .. math::

        \frac{\partial \ell_{\mathrm{MSE}}}{\partial z_i}
        = \sum_j d_j\,\frac{\partial \hat{y}_j}{\partial z_i}
        = \hat{y}_i\Bigl(d_i - \sum_j \hat{y}_j d_j\Bigr)
        = \hat{y}_i \sum_j \hat{y}_j\,(d_i - d_j),

    最后一步用了 :math:`\sum_j \hat{y}_j = 1`。和交叉熵的梯度 :math:`d_i` 相比多了因子
    :math:`\hat{y}_i`：真实类别 :math:`c` 的概率 :math:`\hat{y}_c` 很小（模型很有把握地答错）时，
    :math:`\partial\ell/\partial z_c = -\hat{y}_c\bigl[(1 - \hat{y}_c)^2 + \sum_{j \ne c} \hat{y}_j^2\bigr]`
    也跟着趋于 0。按最后一种写法计算：标签为 one-hot 时 :math:`i = c` 的各项
    :math:`d_c - d_j = -(1 - \hat{y}_c) - \hat{y}_j` 同号，没有相消。

    References
    ----------
    .. [1] P. Golik, P. Doetsch, H. Ney, "Cross-Entropy vs. Squared Error Training: a
           Theoretical and Experimental Comparison", *Interspeech* 2013, 1756–1760.
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006, §4.3.4.

    Examples
    --------
    >>> import numpy as np
    >>> from celoss import cross_entropy_grad, softmax
    >>> from celoss.multiclass import softmax_jacobian, softmax_mse_grad
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
    reduction = check_reduction(reduction)
    args = _Targets(target, z, axis)
    p, d = _residual(args)
    diff = d[..., :, None] - d[..., None, :]
    grad = p * np.einsum("...ij,...j->...i", diff, p)
    return args.grad_out(grad, reduction)
