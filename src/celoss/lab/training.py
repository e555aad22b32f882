r"""一个训练器，两章共用：全批量梯度下降，损失由一个 (损失, 对 logit 的导数) 对给出。

.. seealso:: :doc:`/training` （MSE 与交叉熵的训练对比、学习率扫描、Adam）与
   :doc:`/variants` （类别权重、标签平滑的逻辑回归，:func:`fit_logistic`）。

纯 numpy，没有全局随机状态：

* :class:`LossSpec` 与 :data:`LOSSES` —— 损失的登记表：每一项是逐样本损失
  :math:`\ell(y, z)` 与它对 logit 的导数 :math:`\partial\ell/\partial z`，全部来自
  ``celoss`` 的公开函数；:func:`weighted` 与 :func:`smoothed` 给出带 ``pos_weight`` 或
  标签平滑的交叉熵；
* :class:`Params` —— 逻辑回归（没有隐藏层）或单隐藏层 MLP（tanh 隐藏层、sigmoid 输出）的参数；
* :func:`init_params` 与 :func:`confidently_wrong` —— 随机小初始化，以及「自信地错」的初始化；
* :func:`loss_value`、:func:`loss_gradient` —— 全批量损失及其对参数的梯度；
* :func:`train` —— 梯度下降（或 Adam），返回 :class:`Run`；:func:`fit_logistic` 是它的
  逻辑回归简写；
* :func:`steps_to_accuracy` 与 :func:`run_grid` —— 达到目标准确率所需的步数；模型 ×
  初始化 × 学习率 × 损失的整张实验表。

这里只做链式法则，不重写任何一个损失。
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

import numpy as np

from celoss._checks import (
    as_binary_dataset,
    as_count,
    as_positive,
    as_probability,
    as_real,
    as_scalar,
    check_choice,
    check_finite,
    check_rng,
)
from celoss.activations import sigmoid
from celoss.lab.datasets import two_blobs
from celoss.lab.tables import html_table, label, markdown_table, scrollable, text_table
from celoss.losses import bce_grad, bce_with_logits, mse, mse_grad
from celoss.variants import smooth_labels, weighted_bce_with_logits, weighted_bce_with_logits_grad

__all__ = [
    "MODELS",
    "INITS",
    "LOSSES",
    "OPTIMIZERS",
    "LossSpec",
    "weighted",
    "smoothed",
    "Params",
    "Run",
    "RunGrid",
    "init_params",
    "confidently_wrong",
    "loss_value",
    "loss_gradient",
    "accuracy",
    "train",
    "fit_logistic",
    "steps_to_accuracy",
    "steps_to_stay",
    "run_grid",
    "SWEEP_RATES",
    "ADAM_RATES",
    "Sweep",
    "learning_rate_sweep",
    "gradient_shares",
]

#: 两种模型：逻辑回归与单隐藏层 MLP。
MODELS = ("logistic", "mlp")
#: 两种初始化：随机小初始化与「自信地错」。
INITS = ("random", "confident_wrong")
#: 两种优化器：全批量梯度下降与 Adam。
OPTIMIZERS = ("gd", "adam")


@dataclass(frozen=True)
class LossSpec:
    r"""一种损失：逐样本损失 :math:`\ell(y, z)` 与它对 logit 的导数 :math:`\partial\ell/\partial z`。

    .. seealso:: :doc:`/training`。

    两个函数都接受广播的 ``(y, z)`` 数组并逐元素返回；训练器只用它们做链式法则。

    Attributes
    ----------
    name : str
        名字（:data:`LOSSES` 的键，或 ``"weighted"``）。
    value : callable
        :math:`\ell(y, z)`。
    grad : callable
        :math:`\partial\ell/\partial z`。

    Examples
    --------
    >>> from celoss.lab.training import LOSSES
    >>> spec = LOSSES["bce"]
    >>> print(float(spec.value(1.0, 0.0)), float(spec.grad(1.0, 0.0)))
    0.6931471805599453 -0.5
    """

    name: str
    value: Callable
    grad: Callable


def _mse_of_logit(y, z):
    return mse(y, sigmoid(z))


#: 损失登记表：``"mse"`` 是 :math:`\frac12(y - \sigma(z))^2` （:func:`celoss.mse` 与
#: :func:`celoss.mse_grad`），``"bce"`` 是交叉熵（:func:`celoss.bce_with_logits` 与
#: :func:`celoss.bce_grad`）。
LOSSES = MappingProxyType({
    "mse": LossSpec("mse", _mse_of_logit, mse_grad),
    "bce": LossSpec("bce", bce_with_logits, bce_grad),
})


def weighted(pos_weight: float = 1.0, label_smoothing: float = 0.0) -> LossSpec:
    r"""正类加权、可选标签平滑的交叉熵（PyTorch ``BCEWithLogitsLoss(pos_weight=...)`` 作用在平滑后的目标上）。

    .. math::

        \ell(y, z) = w_+\,\tilde y\,\bigl(-\log\sigma(z)\bigr) + (1 - \tilde y)\bigl(-\log\sigma(-z)\bigr),
        \qquad \tilde y = (1 - \varepsilon_{\mathrm{ls}})\,y + \varepsilon_{\mathrm{ls}}/2 .

    .. seealso:: :doc:`/variants`。

    Parameters
    ----------
    pos_weight : float
        正类权重 :math:`w_+ > 0`。
    label_smoothing : float
        标签平滑系数 :math:`\varepsilon_{\mathrm{ls}} \in [0, 1)`。

    Returns
    -------
    LossSpec
        名字为 ``"weighted"`` 的损失；值与导数来自 :func:`celoss.weighted_bce_with_logits`、
        :func:`celoss.weighted_bce_with_logits_grad` 与 :func:`celoss.smooth_labels`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数不是标量或超出范围。

    Examples
    --------
    >>> from celoss.lab.training import weighted
    >>> spec = weighted(pos_weight=9.0)
    >>> print(float(spec.grad(1.0, 0.0)))
    -4.5
    """
    w_pos = as_scalar(pos_weight, "pos_weight", 0.0, np.inf, closed="neither")
    eps = as_scalar(label_smoothing, "label_smoothing", 0.0, 1.0, closed="left")

    def value(y, z):
        return weighted_bce_with_logits(smooth_labels(y, eps), z, w_pos)

    def grad(y, z):
        return weighted_bce_with_logits_grad(smooth_labels(y, eps), z, w_pos)

    return LossSpec("weighted", value, grad)


def smoothed(label_smoothing: float) -> LossSpec:
    r"""标签平滑的交叉熵：目标 :math:`\tilde y = (1 - \varepsilon_{\mathrm{ls}})\,y + \varepsilon_{\mathrm{ls}}/2`。

    即 ``weighted(1, label_smoothing)``。

    .. seealso:: :doc:`/variants`。

    Parameters
    ----------
    label_smoothing : float
        标签平滑系数 :math:`\varepsilon_{\mathrm{ls}} \in [0, 1)`。

    Returns
    -------
    LossSpec
        平滑后的交叉熵。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数不是标量或不在 [0, 1) 内。

    Examples
    --------
    >>> from celoss.lab.training import smoothed
    >>> print(round(float(smoothed(0.1).grad(1.0, 0.0)), 6))
    -0.45
    """
    return dataclasses.replace(weighted(1.0, label_smoothing), name="smoothed")


def _loss_spec(loss) -> LossSpec:
    if isinstance(loss, LossSpec):
        return loss
    return LOSSES[check_choice(loss, "loss", tuple(LOSSES))]


# --------------------------------------------------------------------------- checks
def _check_checkpoints(checkpoints, steps: int) -> set[int]:
    if isinstance(checkpoints, (str, bytes)) or not isinstance(checkpoints, Iterable):
        raise TypeError(f"checkpoints 必须是整数序列，收到 {type(checkpoints).__name__}")
    wanted = set()
    for given in checkpoints:
        t = as_count(given, "checkpoints 中的步数", 0)
        if t > steps:
            raise ValueError(f"checkpoints 中的步数必须在 [0, {steps}] 内，收到 {t}")
        wanted.add(t)
    return wanted


def _check_params(params, X: np.ndarray | None = None) -> Params:
    if not isinstance(params, Params):
        raise TypeError(f"params 必须是 celoss.lab.training.Params，收到 {type(params).__name__}")
    if X is not None:
        wanted = (params.weights if params.hidden_weights is None else params.hidden_weights).shape[0]
        if X.shape[1] != wanted:
            raise ValueError(f"X 的特征数（列数）必须与 params 一致：params 需要 {wanted} 个特征，X 有 {X.shape[1]} 个")
    return params


# --------------------------------------------------------------------------- model


def _frozen(value) -> np.ndarray:
    arr = np.array(value, dtype=np.float64)  # a private copy
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, eq=False)
class Params:
    r"""一组模型参数（不可变）：逻辑回归，或单隐藏层 MLP。

    .. seealso:: :doc:`/training`。

    没有隐藏层（``hidden_weights is None``）时是逻辑回归 :math:`z = x^\top w + b`；
    有隐藏层时是 :math:`h = \tanh(x^\top W + c)`、:math:`z = h^\top w + b`。两种模型的
    输出都是 :math:`\hat y = \sigma(z)`。数组在构造时复制并设为只读。

    Parameters
    ----------
    weights : array_like, shape (k,)
        输出层权重 :math:`w` （逻辑回归时 k 为特征数，MLP 时 k 为隐藏单元数）。
    bias : float
        输出层偏置 :math:`b`。
    hidden_weights : array_like, shape (d, k), optional
        隐藏层权重 :math:`W`；``None`` 表示逻辑回归。
    hidden_bias : array_like, shape (k,), optional
        隐藏层偏置 :math:`c`；与 ``hidden_weights`` 同时给出。

    Examples
    --------
    >>> from celoss.lab.training import Params
    >>> p = Params(weights=[2.0, -1.0], bias=0.5)
    >>> p.model
    'logistic'
    >>> p.logits([[1.0, 1.0], [0.0, 0.0]])
    array([1.5, 0.5])
    """

    weights: np.ndarray
    bias: float
    hidden_weights: np.ndarray | None = None
    hidden_bias: np.ndarray | None = None

    def __post_init__(self):
        object.__setattr__(self, "weights", _frozen(self.weights))
        object.__setattr__(self, "bias", float(self.bias))
        if (self.hidden_weights is None) != (self.hidden_bias is None):
            raise ValueError("hidden_weights 与 hidden_bias 必须同时给出或同时为 None")
        if self.hidden_weights is not None:
            object.__setattr__(self, "hidden_weights", _frozen(self.hidden_weights))
            object.__setattr__(self, "hidden_bias", _frozen(self.hidden_bias))
            k = self.hidden_weights.shape[-1]
            if self.hidden_weights.ndim != 2 or self.hidden_bias.shape != (k,) or self.weights.shape != (k,):
                raise ValueError(
                    "MLP 参数形状不一致：hidden_weights 应为 (d, k)，hidden_bias 与 weights 应为 (k,)，"
                    f"收到 {self.hidden_weights.shape}、{self.hidden_bias.shape}、{self.weights.shape}"
                )
        elif self.weights.ndim != 1:
            raise ValueError(f"weights 必须是一维数组，收到形状 {self.weights.shape}")

    @property
    def model(self) -> str:
        """``"logistic"`` 或 ``"mlp"``。"""
        return "logistic" if self.hidden_weights is None else "mlp"

    def features(self, X) -> np.ndarray:
        """输出层看到的特征：逻辑回归是 ``X`` 本身，MLP 是隐藏层 :math:`\\tanh(XW + c)`。"""
        X = np.asarray(X, dtype=np.float64)
        if self.hidden_weights is None:
            return X
        return np.tanh(X @ self.hidden_weights + self.hidden_bias)

    def logits(self, X) -> np.ndarray:
        """每个样本的 logit :math:`z` （形状 ``(n,)``）。"""
        # a 2-D X gives an array; the annotation follows the documented shape
        return cast("np.ndarray", self.features(X) @ self.weights + self.bias)

    def predict_proba(self, X) -> np.ndarray:
        """每个样本属于正类的概率 :math:`\\hat y = \\sigma(z)`。"""
        return cast("np.ndarray", sigmoid(self.logits(X)))

    def arrays(self) -> dict[str, np.ndarray]:
        """参数按名字组成的字典（逻辑回归没有 ``hidden_*`` 两项）；偏置是 0 维数组。"""
        out = {"weights": self.weights, "bias": np.asarray(self.bias)}
        if self.hidden_weights is not None and self.hidden_bias is not None:  # __post_init__: both or neither
            out.update(hidden_weights=self.hidden_weights, hidden_bias=self.hidden_bias)
        return out

    def step(self, gradient: Params, learning_rate: float) -> Params:
        """一步梯度下降：返回 ``self - learning_rate * gradient``。"""
        delta = gradient.arrays()
        new: dict[str, Any] = {k: v - learning_rate * delta[k] for k, v in self.arrays().items()}
        return Params(**new)


def init_params(rng, model: str, *, n_features: int = 2, hidden: int = 8) -> Params:
    r"""随机小初始化：模型一开始几乎没有倾向，:math:`\hat y \approx 0.5`。

    .. seealso:: :doc:`/training`。

    * 逻辑回归：:math:`w \sim \mathcal N(0, 0.1^2)`，:math:`b = 0`；
    * MLP：隐藏层 :math:`W \sim \mathcal N(0, 1/d)`、:math:`c \sim \mathcal N(0, 0.1^2)`
      （:math:`d` 为特征数，tanh 工作在线性区附近），输出层
      :math:`w \sim \mathcal N(0, 0.1^2)`、:math:`b = 0`。

    Parameters
    ----------
    rng : numpy.random.Generator
        随机数生成器。
    model : {"logistic", "mlp"}
        模型。
    n_features : int
        输入特征数 :math:`d`。
    hidden : int
        MLP 的隐藏单元数（逻辑回归忽略）。

    Returns
    -------
    Params
        初始参数。

    Raises
    ------
    TypeError
        ``rng`` 不是 ``numpy.random.Generator``，或计数参数不是整数。
    ValueError
        ``model`` 不是已知模型，或计数参数小于 1。

    Examples
    --------
    >>> from celoss.lab.training import init_params
    >>> import numpy as np
    >>> p = init_params(np.random.default_rng(0), "mlp", hidden=4)
    >>> p.model, p.hidden_weights.shape, p.weights.shape
    ('mlp', (2, 4), (4,))
    """
    rng = check_rng(rng)
    model = check_choice(model, "model", MODELS)
    d = as_count(n_features, "n_features", 1)
    k = as_count(hidden, "hidden", 1)
    if model == "logistic":
        return Params(weights=rng.normal(0.0, 0.1, d), bias=0.0)
    hidden_weights = rng.normal(0.0, 1.0 / np.sqrt(d), (d, k))
    hidden_bias = rng.normal(0.0, 0.1, k)
    return Params(weights=rng.normal(0.0, 0.1, k), bias=0.0, hidden_weights=hidden_weights, hidden_bias=hidden_bias)


def confidently_wrong(params, X, y, *, margin: float = 5.0) -> Params:
    r"""把 ``params`` 的输出层换成「自信地错」的一层：方向与数据相反、幅度很大。

    .. seealso:: :doc:`/training`。

    隐藏层（若有）保持不变。在输出层看到的特征 :math:`\phi(x)` 上，先取两类特征均值之差
    :math:`v = \bar\phi_+ - \bar\phi_-` 作方向、:math:`c = -v^\top(\bar\phi_+ + \bar\phi_-)/2`
    作偏置（一个大体正确的线性打分：分界面在两个均值的正中），再取
    :math:`w = -s\,v`、:math:`b = -s\,c`，其中 :math:`s > 0` 使 :math:`|z|` 的中位数
    等于 ``margin``。于是大多数样本的 logit 符号与标签相反，且 :math:`|z|` 大约为
    ``margin``：:math:`\hat y` 在错的一侧、离 0 或 1 很近。

    Parameters
    ----------
    params : Params
        起点参数（通常来自 :func:`init_params`）。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    margin : float
        :math:`|z|` 的中位数，正数。默认 5，此时 :math:`\sigma(-5) \approx 0.0067`。

    Returns
    -------
    Params
        新参数；``params`` 本身不变。

    Raises
    ------
    TypeError
        ``params`` 不是 :class:`Params`，或 ``X``、``y`` 不是实数数组。
    ValueError
        ``X``、``y`` 形状不符或标签不是 0/1，或 ``margin`` 不是正数。

    Notes
    -----
    对 :math:`y = 1`、:math:`z = -5` 的样本，两种损失对 :math:`z` 的导数分别是
    :math:`(\sigma(z) - y)\,\sigma(z)(1 - \sigma(z)) \approx -0.0066` （MSE）与
    :math:`\sigma(z) - y \approx -0.99` （交叉熵），相差约 150 倍。

    Examples
    --------
    >>> from celoss.lab.datasets import two_blobs
    >>> from celoss.lab.training import accuracy, confidently_wrong, init_params
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = two_blobs(rng)
    >>> p = confidently_wrong(init_params(rng, "logistic"), X, y)
    >>> print(accuracy(p, X, y))
    0.055
    >>> print(round(float(np.median(np.abs(p.logits(X)))), 9))
    5.0
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    margin = as_positive(margin, "margin")
    features = params.features(X)
    positive, negative = features[y == 1].mean(axis=0), features[y == 0].mean(axis=0)
    direction = positive - negative
    offset = -direction @ (positive + negative) / 2.0
    scale = margin / np.median(np.abs(features @ direction + offset))
    return dataclasses.replace(params, weights=-scale * direction, bias=-scale * offset)


# --------------------------------------------------------------------------- loss and gradient


def _stack(params: Params, copies: int) -> dict[str, np.ndarray]:
    """把一组参数复制 ``copies`` 份，叠在新的第 0 维上（同时训练几个学习率时用）。"""
    return {k: np.repeat(v[None], copies, axis=0) for k, v in params.arrays().items()}


def _unstack(theta: dict[str, np.ndarray], r: int) -> Params:
    return Params(**{k: v[r] for k, v in theta.items()})


def _forward_backward(theta: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, spec: LossSpec,
                      grad: bool = True, value: bool = True):
    """R 组参数一起做一次前向与反向。

    ``theta`` 是 :meth:`Params.arrays` 的各个数组在第 0 维叠了 R 份：``weights`` (R, k)、
    ``bias`` (R,)、``hidden_weights`` (R, d, k)、``hidden_bias`` (R, k)。``X`` 是所有组共用的
    (n, d)，或每组一份的 (R, n, d)（此时 ``y`` 是 (R, n)）。返回
    (平均损失 (R,) 或 None, 梯度字典或 None, logits (R, n))。
    """
    n = y.shape[-1]
    hidden = "hidden_weights" in theta
    shared = X.ndim == 2
    if hidden:
        h = np.tanh(X @ theta["hidden_weights"] + theta["hidden_bias"][:, None, :])  # (R, n, k)
        if shared:
            z = np.einsum("rnk,rk->rn", h, theta["weights"]) + theta["bias"][:, None]
        else:
            z = (h @ theta["weights"][:, :, None])[..., 0] + theta["bias"][:, None]
    elif shared:
        z = theta["weights"] @ X.T + theta["bias"][:, None]  # (R, n)
    else:
        z = (X @ theta["weights"][:, :, None])[..., 0] + theta["bias"][:, None]
    mean = spec.value(y, z).sum(axis=1) / n if value else None
    if not grad:
        return mean, None, z
    g = spec.grad(y, z) / n  # ∂L/∂z_i (L is the mean over the n samples), shape (R, n)
    out = {"bias": g.sum(axis=1)}
    if hidden:
        out["weights"] = np.einsum("rn,rnk->rk", g, h) if shared else (g[:, None, :] @ h)[:, 0, :]
        back = g[:, :, None] * theta["weights"][:, None, :] * (1.0 - h * h)  # ∂L/∂(XW + c), tanh' = 1 − tanh²
        out["hidden_weights"] = np.einsum("nd,rnk->rdk", X, back) if shared else X.transpose(0, 2, 1) @ back
        out["hidden_bias"] = back.sum(axis=1)
    else:
        out["weights"] = g @ X if shared else (g[:, None, :] @ X)[:, 0, :]
    return mean, out, z


def loss_value(params, X, y, loss) -> float:
    r"""全批量平均损失 :math:`L = \frac1n\sum_i \ell(y_i, z_i)`。

    ``loss="mse"`` 时 :math:`\ell = \frac12(y - \sigma(z))^2` （:func:`celoss.mse`），
    ``loss="bce"`` 时 :math:`\ell` 是交叉熵（:func:`celoss.bce_with_logits`）。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    params : Params
        模型参数。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"} or LossSpec
        损失函数（:data:`LOSSES` 的键，或一个 :class:`LossSpec`）。

    Returns
    -------
    float
        平均损失。

    Raises
    ------
    TypeError
        ``params`` 不是 :class:`Params`，或 ``X``、``y`` 不是实数数组。
    ValueError
        ``loss`` 未知，或 ``X``、``y`` 形状不符、标签不是 0/1。

    Examples
    --------
    所有 logit 为 0（:math:`\hat y = 0.5`）时，MSE 是 :math:`\frac12 \cdot 0.5^2`，
    交叉熵是 :math:`\log 2`：

    >>> from celoss.lab.training import Params, loss_value
    >>> zero = Params(weights=[0.0, 0.0], bias=0.0)
    >>> X, y = [[1.0, 2.0], [3.0, 4.0]], [0, 1]
    >>> print(loss_value(zero, X, y, "mse"), loss_value(zero, X, y, "bce"))
    0.125 0.6931471805599453
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    spec = _loss_spec(loss)
    return float(_forward_backward(_stack(params, 1), X, y, spec, grad=False)[0][0])


def loss_gradient(params, X, y, loss) -> Params:
    r"""全批量平均损失对每个参数的梯度（形状与 ``params`` 相同）。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    params : Params
        模型参数。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"} or LossSpec
        损失函数（:data:`LOSSES` 的键，或一个 :class:`LossSpec`）。

    Returns
    -------
    Params
        梯度，字段与 ``params`` 一一对应。

    Raises
    ------
    TypeError
        ``params`` 不是 :class:`Params`，或 ``X``、``y`` 不是实数数组。
    ValueError
        ``loss`` 未知，或 ``X``、``y`` 形状不符、标签不是 0/1。

    Notes
    -----
    记 :math:`g_i = \frac1n\,\partial\ell/\partial z_i` （由损失的 ``grad`` 给出，例如
    :func:`celoss.mse_grad` 或 :func:`celoss.bce_grad`）。按链式法则：
    :math:`\partial L/\partial w = \sum_i g_i\,\phi(x_i)`，:math:`\partial L/\partial b = \sum_i g_i`；
    MLP 的隐藏层再乘上 :math:`w \odot (1 - h_i^2)` （:math:`\tanh' = 1 - \tanh^2`）：
    :math:`\partial L/\partial W = \sum_i x_i\,[g_i\, w \odot (1 - h_i^2)]^\top`。
    两种损失只差在 :math:`g_i` 上（见 :doc:`/gradients`）。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §6.5 "Back-Propagation and Other Differentiation Algorithms".

    Examples
    --------
    >>> from celoss.lab.training import Params, loss_gradient
    >>> zero = Params(weights=[0.0, 0.0], bias=0.0)
    >>> X, y = [[1.0, 2.0], [3.0, 4.0]], [0, 1]
    >>> loss_gradient(zero, X, y, "bce").weights
    array([-0.5, -0.5])
    >>> loss_gradient(zero, X, y, "mse").weights
    array([-0.125, -0.125])
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    spec = _loss_spec(loss)
    return _unstack(_forward_backward(_stack(params, 1), X, y, spec)[1], 0)


def accuracy(params, X, y) -> float:
    r"""准确率：预测类别 :math:`[z > 0]` （即 :math:`\hat y > 0.5`）等于标签的样本比例。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    params : Params
        模型参数。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。

    Returns
    -------
    float
        准确率，在 [0, 1] 内。

    Examples
    --------
    >>> from celoss.lab.training import Params, accuracy
    >>> print(accuracy(Params(weights=[1.0], bias=0.0), [[-1.0], [2.0], [3.0]], [0, 1, 0]))
    0.6666666666666666
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    return float(np.mean((params.logits(X) > 0) == (y == 1)))


# --------------------------------------------------------------------------- training


@dataclass(frozen=True, eq=False)
class Run:
    """一次训练的结果（不可变）。

    .. seealso:: :doc:`/training`。

    Attributes
    ----------
    model, init_label, loss : str
        模型（``"logistic"``/``"mlp"``）、初始化的标签（只作记录）、损失的名字。
    learning_rate : float
        学习率。
    loss_history : numpy.ndarray, shape (steps + 1,)
        第 t 个元素是做完 t 步更新后的全批量平均损失（t = 0 为初始值）；只读。
    accuracy_history : numpy.ndarray, shape (steps + 1,)
        同上，准确率；只读。
    snapshots : Mapping of int to Params
        选定步数 t 上（做完 t 步更新后）的参数；只读映射。
    optimizer : str
        ``"gd"`` （梯度下降）或 ``"adam"``。
    """

    model: str
    init_label: str
    loss: str
    learning_rate: float
    loss_history: np.ndarray
    accuracy_history: np.ndarray
    snapshots: Mapping[int, Params]
    optimizer: str = "gd"

    def __post_init__(self):
        object.__setattr__(self, "loss_history", _frozen(self.loss_history))
        object.__setattr__(self, "accuracy_history", _frozen(self.accuracy_history))
        object.__setattr__(self, "snapshots", MappingProxyType(dict(self.snapshots)))

    @property
    def steps(self) -> int:
        """更新的步数。"""
        return len(self.loss_history) - 1


#: Adam 的超参数（Kingma & Ba, 2015 的默认值）：β₁、β₂ 与分母里防止除以 0 的小常数（PyTorch 的 ``eps``）。
ADAM_DEFAULTS = (0.9, 0.999, 1e-8)


def train(
    params,
    X,
    y,
    *,
    loss,
    learning_rate: float,
    steps: int,
    checkpoints=(),
    init_label: str = "",
    optimizer: str = "gd",
) -> Run:
    r"""全批量训练：梯度下降 :math:`\theta \leftarrow \theta - \eta\,\nabla_\theta L(\theta)`，或 Adam。

    每一步用全部样本计算平均损失的梯度（:func:`loss_gradient`），记录更新前的损失与准确率。
    过程完全确定：同样的输入给出逐位相同的结果。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    params : Params
        初始参数（不会被修改）。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"} or LossSpec
        损失函数（:data:`LOSSES` 的键，或 :func:`weighted`、:func:`smoothed` 给出的 :class:`LossSpec`）。
    learning_rate : float
        学习率 :math:`\eta`，正数。
    steps : int
        更新步数（可以为 0）。
    checkpoints : sequence of int
        要保存参数快照的步数，每个都在 ``[0, steps]`` 内。
    init_label : str
        初始化的标签，只记录在结果里（例如 ``"confident_wrong"``）。
    optimizer : {"gd", "adam"}
        ``"gd"``：全批量梯度下降；``"adam"``：Adam （β₁ = 0.9、β₂ = 0.999、分母里的小常数 10⁻⁸，
        带偏差修正），每个参数按自己梯度的大小缩放步长。

    Returns
    -------
    Run
        损失与准确率的历史（长度 ``steps + 1``）和参数快照。

    Raises
    ------
    TypeError
        参数类型不对（``params`` 不是 :class:`Params`，``steps`` 不是整数……）。
    ValueError
        ``loss`` 或 ``optimizer`` 未知，``learning_rate`` 不是正数，``steps`` 为负，
        快照步数越界，或 ``X``、``y`` 不合要求。

    References
    ----------
    .. [1] D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
           https://arxiv.org/abs/1412.6980

    Examples
    --------
    >>> from celoss.lab.datasets import two_blobs
    >>> from celoss.lab.training import init_params, train
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = two_blobs(rng)
    >>> start = init_params(rng, "logistic")
    >>> run = train(start, X, y, loss="bce", learning_rate=0.5, steps=20, checkpoints=[0, 20])
    >>> run.steps, sorted(run.snapshots)
    (20, [0, 20])
    >>> print(run.accuracy_history[-1] > 0.9)
    True
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    spec = _loss_spec(loss)
    learning_rate = as_positive(learning_rate, "learning_rate")
    steps = as_count(steps, "steps", 0)
    if not isinstance(init_label, str):
        raise TypeError(f"init_label 必须是字符串，收到 {type(init_label).__name__}")
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    wanted = _check_checkpoints(checkpoints, steps)
    return _train(params, X, y, spec, (learning_rate,), steps, wanted, init_label, optimizer)[0]


class _Optimizer:
    """梯度下降或 Adam 的一步更新；R 组参数各有自己的学习率 ``rate`` (R,)。"""

    def __init__(self, kind: str, rate: np.ndarray, theta: dict[str, np.ndarray]):
        self.kind, self.rate, self.t = kind, rate, 0
        if kind == "adam":
            self.first = {k: np.zeros_like(v) for k, v in theta.items()}
            self.second = {k: np.zeros_like(v) for k, v in theta.items()}

    def step(self, theta: dict[str, np.ndarray], gradient: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        self.t += 1
        if self.kind == "adam":
            beta1, beta2, tiny = ADAM_DEFAULTS
            c1, c2 = 1.0 - beta1 ** self.t, 1.0 - beta2 ** self.t
            for k, g in gradient.items():
                self.first[k] = beta1 * self.first[k] + (1.0 - beta1) * g
                self.second[k] = beta2 * self.second[k] + (1.0 - beta2) * g * g
            gradient = {k: (self.first[k] / c1) / (np.sqrt(self.second[k] / c2) + tiny) for k in gradient}
        return {k: v - self.rate.reshape((-1,) + (1,) * (v.ndim - 1)) * gradient[k] for k, v in theta.items()}


def _train(params: Params, X: np.ndarray, y: np.ndarray, spec: LossSpec, rates: tuple[float, ...], steps: int,
           wanted: set[int], init_label: str, optimizer: str = "gd") -> list[Run]:
    """从同一组参数出发、按几个学习率同时训练（参数叠在第 0 维上）；参数已检查。"""
    theta = _stack(params, len(rates))
    opt = _Optimizer(optimizer, np.asarray(rates), theta)
    losses = np.empty((len(rates), steps + 1))
    accuracies = np.empty((len(rates), steps + 1))
    snapshots: list[dict[int, Params]] = [{} for _ in rates]
    positive = y == 1
    for t in range(steps + 1):
        value, gradient, z = _forward_backward(theta, X, y, spec, grad=t < steps)
        losses[:, t] = value
        accuracies[:, t] = np.count_nonzero((z > 0) == positive, axis=1) / len(y)
        if t in wanted:
            for r, taken in enumerate(snapshots):
                taken[t] = _unstack(theta, r)
        if gradient is not None:
            theta = opt.step(theta, gradient)
    return [
        Run(model=params.model, init_label=init_label, loss=spec.name, learning_rate=float(rates[r]),
            loss_history=losses[r], accuracy_history=accuracies[r], snapshots=snapshots[r], optimizer=optimizer)
        for r in range(len(rates))
    ]


def fit_logistic(X, y, *, loss="bce", learning_rate: float = 2.0, steps: int = 500, start: Params | None = None,
                 optimizer: str = "gd") -> Params:
    r"""训练一个逻辑回归 :math:`z = x^\top w + b`，只返回最后的参数：:func:`train` 的简写。

    .. seealso:: :doc:`/variants` 用它训练加权（:func:`weighted`）与平滑（:func:`smoothed`）的交叉熵。

    Parameters
    ----------
    X : array_like, shape (n, d)
        特征，有限实数。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"} or LossSpec
        损失，默认交叉熵。
    learning_rate : float
        学习率，正数。
    steps : int
        更新步数，非负。
    start : Params or None
        起点；默认全零（:math:`\hat y = 0.5`）。传入上一次的结果可以接着训练。
    optimizer : {"gd", "adam"}
        优化器，见 :func:`train`。

    Returns
    -------
    Params
        训练后的参数（逻辑回归，没有隐藏层）。

    Raises
    ------
    TypeError
        参数类型不对（``start`` 不是逻辑回归的 :class:`Params` ……）。
    ValueError
        ``X``、``y`` 形状不符或标签不是 0/1，或数值参数超出范围。

    Examples
    --------
    不加权时，带截距的逻辑回归在最优点满足 :math:`\sum_i \sigma(z_i) = \sum_i y_i`：
    平均预测概率等于正类比例。

    >>> import numpy as np
    >>> from celoss.lab.datasets import two_blobs
    >>> from celoss.lab.training import fit_logistic
    >>> X, y = two_blobs(np.random.default_rng(0), n=500, positive_fraction=0.1, centre=(0.9, 0.9), noise=1.0)
    >>> params = fit_logistic(X, y)
    >>> print(round(float(params.predict_proba(X).mean()), 4), float(y.mean()))
    0.1 0.1
    """
    X, y = as_binary_dataset(X, y)
    if start is None:
        start = Params(weights=np.zeros(X.shape[1]), bias=0.0)
    elif not isinstance(start, Params) or start.model != "logistic":  # type: ignore[redundant-expr]  # untyped callers
        raise TypeError(f"start 必须是逻辑回归的 celoss.lab.training.Params 或 None，收到 {type(start).__name__}")
    elif start.weights.shape != (X.shape[1],):
        raise ValueError(f"start 的权重个数必须等于 X 的特征数 {X.shape[1]}，收到 {start.weights.shape[0]}")
    return train(start, X, y, loss=loss, learning_rate=learning_rate, steps=steps,
                 checkpoints=[steps], optimizer=optimizer).snapshots[steps]


def _accuracy_and_goal(history, target) -> tuple[np.ndarray, float]:
    """检查 :func:`steps_to_accuracy` 与 :func:`steps_to_stay` 的参数；返回一维准确率序列与目标值。"""
    values = history.accuracy_history if isinstance(history, Run) else as_probability(history, "history")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"history 必须是非空的一维准确率序列，收到形状 {values.shape}")
    return values, as_scalar(target, "target", 0.0, 1.0)


def steps_to_accuracy(history, target: float = 0.9) -> int | None:
    """准确率第一次达到 ``target`` （``>=``）时已经做了多少步更新；从未达到时返回 ``None``。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    history : Run or array_like
        一次训练（用它的 ``accuracy_history``），或一维的准确率序列，
        第 t 个元素对应做完 t 步更新后。
    target : float
        目标准确率，在 [0, 1] 内。

    Returns
    -------
    int or None
        最小的 t 使 ``history[t] >= target``；若没有这样的 t 则为 ``None``。

    Raises
    ------
    TypeError
        ``history`` 或 ``target`` 不是实数。
    ValueError
        ``history`` 为空、不是一维、含 NaN 或不在 [0, 1] 内；``target`` 不在 [0, 1] 内
        或不是标量。

    Examples
    --------
    >>> from celoss.lab.training import steps_to_accuracy
    >>> steps_to_accuracy([0.5, 0.8, 0.92, 0.88, 0.95], 0.9)
    2
    >>> steps_to_accuracy([0.95, 0.97], 0.9)
    0
    >>> print(steps_to_accuracy([0.5, 0.6], 0.9))
    None
    """
    values, goal = _accuracy_and_goal(history, target)
    hits = np.flatnonzero(values >= goal)
    return int(hits[0]) if hits.size else None


def steps_to_stay(history, target: float = 0.9) -> int | None:
    """准确率达到 ``target`` 并且一直保持到记录结束所需的步数；最后一步仍低于目标时返回 ``None``。

    与 :func:`steps_to_accuracy` （第一次达到）不同，振荡的训练要等最后一次跌破目标之后才算数。
    :func:`learning_rate_sweep` 用的就是这个定义。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    history : Run or array_like
        一次训练，或一维的准确率序列（第 t 个元素对应做完 t 步更新后）。
    target : float
        目标准确率，在 [0, 1] 内。

    Returns
    -------
    int or None
        最小的 t 使 ``history[t:] >= target`` 全部成立；若最后一个元素低于目标则为 ``None``。

    Raises
    ------
    TypeError
        ``history`` 或 ``target`` 不是实数。
    ValueError
        ``history`` 为空、不是一维或不在 [0, 1] 内；``target`` 不在 [0, 1] 内或不是标量。

    Examples
    --------
    >>> from celoss.lab.training import steps_to_accuracy, steps_to_stay
    >>> acc = [0.5, 0.92, 0.85, 0.95]
    >>> steps_to_accuracy(acc, 0.9), steps_to_stay(acc, 0.9)
    (1, 3)
    >>> print(steps_to_stay([0.95, 0.5], 0.9))
    None
    """
    values, goal = _accuracy_and_goal(history, target)
    below = np.flatnonzero(values < goal)
    if below.size == 0:
        return 0
    return None if below[-1] == values.size - 1 else int(below[-1]) + 1


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True, eq=False)
class RunGrid:
    """:func:`~celoss.lab.training.run_grid` 的结果：数据集，加上每个（模型, 初始化, 学习率, 损失）组合的一次训练。

    .. seealso:: :doc:`/training`。

    Attributes
    ----------
    X, y : numpy.ndarray
        数据集（只读）。
    models, inits, losses : tuple of str
        实验用到的模型、初始化、损失（按给定顺序）。
    learning_rates : tuple of float
        学习率（按给定顺序）。
    runs : tuple of Run
        全部训练，顺序为模型 × 初始化 × 学习率 × 损失。
    """

    X: np.ndarray
    y: np.ndarray
    models: tuple[str, ...]
    inits: tuple[str, ...]
    learning_rates: tuple[float, ...]
    losses: tuple[str, ...]
    runs: tuple[Run, ...]

    def __post_init__(self):
        object.__setattr__(self, "X", _frozen(self.X))
        object.__setattr__(self, "y", _frozen(self.y))

    @property
    def steps(self) -> int:
        """每次训练的更新步数。"""
        return self.runs[0].steps

    def get(self, model: str, init: str, learning_rate: float, loss: str) -> Run:
        """按四个条件取出一次训练。

        Raises
        ------
        KeyError
            网格里没有这个组合。
        """
        for run in self.runs:
            if (run.model, run.init_label, run.learning_rate, run.loss) == (model, init, float(learning_rate), loss):
                return run
        raise KeyError(f"网格中没有 model={model!r}, init={init!r}, learning_rate={learning_rate!r}, loss={loss!r}")

    def steps_table(self, target: float = 0.9) -> str:
        """一张 Markdown 表：每个组合达到 ``target`` 准确率所需的步数（未达到记为「未达到」）。"""
        head = ["模型", "初始化", "学习率", *(f"{label(loss)}（步）" for loss in self.losses)]
        rows = []
        for model in self.models:
            for init in self.inits:
                for rate in self.learning_rates:
                    cells = []
                    for loss in self.losses:
                        steps = steps_to_accuracy(self.get(model, init, rate, loss), target)
                        cells.append("未达到" if steps is None else str(steps))
                    rows.append([label(model), label(init), f"{rate:g}", *cells])
        return markdown_table(head, rows)


def run_grid(
    rng,
    *,
    models=MODELS,
    inits=INITS,
    learning_rates=(0.1, 0.5, 2.0),
    losses=LOSSES,
    steps: int = 500,
    checkpoints=(0, 10, 50, 500),
    n: int = 200,
    hidden: int = 8,
    margin: float = 5.0,
) -> RunGrid:
    r"""整张对比实验：模型 × 初始化 × 学习率 × 损失，每个组合训练一次。

    .. seealso:: :doc:`/training`。

    先用 ``rng`` 生成数据（:func:`celoss.lab.datasets.two_blobs` 的默认参数），再为每个模型生成一组随机小初始化
    （:func:`init_params`）；``"confident_wrong"`` 由同一组随机初始化经
    :func:`confidently_wrong` 得到（MLP 的隐藏层完全相同）。对同一个模型与初始化，
    所有学习率和两种损失都从 **同一组** 参数出发，所以曲线的差别只来自损失函数与学习率。

    Parameters
    ----------
    rng : numpy.random.Generator
        随机数生成器；同一个种子给出逐位相同的结果。
    models : sequence of {"logistic", "mlp"}
        模型。
    inits : sequence of {"random", "confident_wrong"}
        初始化。
    learning_rates : sequence of float
        学习率，正数。
    losses : sequence of {"mse", "bce"}
        损失。
    steps : int
        每次训练的更新步数。
    checkpoints : sequence of int
        保存参数快照的步数，每个都在 ``[0, steps]`` 内。
    n : int
        样本数。
    hidden : int
        MLP 的隐藏单元数。
    margin : float
        「自信地错」初始化的 :math:`|z|` 中位数（见 :func:`confidently_wrong`）。

    Returns
    -------
    RunGrid
        数据与全部训练。

    Raises
    ------
    TypeError
        ``rng`` 不是 ``numpy.random.Generator``，或计数参数不是整数。
    ValueError
        某个名字未知、某个序列为空或有重复、学习率不是正数，或快照步数越界。

    Examples
    --------
    >>> from celoss.lab.training import run_grid, steps_to_accuracy
    >>> import numpy as np
    >>> grid = run_grid(np.random.default_rng(0), models=["logistic"], learning_rates=[0.5],
    ...                 steps=200, checkpoints=[0, 200])
    >>> len(grid.runs)
    4
    >>> wrong = {loss: grid.get("logistic", "confident_wrong", 0.5, loss) for loss in ("mse", "bce")}
    >>> steps_to_accuracy(wrong["bce"], 0.9), steps_to_accuracy(wrong["mse"], 0.9)
    (10, None)
    """
    rng = check_rng(rng)
    models = _names(models, "models", MODELS)
    inits = _names(inits, "inits", INITS)
    losses = _names(losses, "losses", tuple(LOSSES))
    rates = tuple(as_positive(r, "learning_rates 中的学习率") for r in learning_rates)
    if not rates or len(set(rates)) != len(rates):
        raise ValueError(f"learning_rates 必须非空且没有重复，收到 {rates!r}")
    steps = as_count(steps, "steps", 0)
    wanted = _check_checkpoints(checkpoints, steps)
    hidden = as_count(hidden, "hidden", 1)
    margin = as_positive(margin, "margin")

    X, y = two_blobs(rng, n)
    runs: list[Run] = []
    for model in models:
        start = init_params(rng, model, n_features=X.shape[1], hidden=hidden)
        starts = {"random": start, "confident_wrong": confidently_wrong(start, X, y, margin=margin)}
        for init in inits:
            trained = {loss: _train(starts[init], X, y, LOSSES[loss], rates, steps, wanted, init) for loss in losses}
            runs.extend(trained[loss][r] for r in range(len(rates)) for loss in losses)
    return RunGrid(X=X, y=y, models=models, inits=inits, learning_rates=rates, losses=losses, runs=tuple(runs))


# --------------------------------------------------------------------------- learning-rate sweep

#: 学习率扫描默认的网格：从 0.1 到 1000，每档约 ×3。
SWEEP_RATES = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
#: Adam 扫描默认的网格：从 0.001 到 3，每档约 ×3。
ADAM_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)


@dataclass(frozen=True, eq=False)
class Sweep:
    r""":func:`learning_rate_sweep` 的结果：每个（模型, 初始化, 损失, 学习率, 种子）一次训练的摘要。

    .. seealso:: :doc:`/training`。

    数组的形状都是 ``(len(models), len(inits), len(losses), len(learning_rates), len(seeds))``。

    Attributes
    ----------
    models, inits, losses : tuple of str
        模型、初始化、损失的名字（按给定顺序）。
    learning_rates : tuple of float
        学习率网格。
    seeds : tuple of int
        种子；每个种子生成一份数据和一组随机小初始化。
    optimizer : str
        ``"gd"`` 或 ``"adam"``。
    steps : int
        每次训练的步数预算。
    target : float
        目标准确率。
    settled : numpy.ndarray
        准确率达到 ``target`` 并一直保持到预算用完所需的步数；到预算结束时仍低于目标记为 ``inf``
        （「卡住」）。
    final_loss : numpy.ndarray
        预算用完时的平均训练损失（各自的损失：MSE 或交叉熵）。
    final_accuracy : numpy.ndarray
        预算用完时的准确率。
    """

    models: tuple[str, ...]
    inits: tuple[str, ...]
    losses: tuple[str, ...]
    learning_rates: tuple[float, ...]
    seeds: tuple[int, ...]
    optimizer: str
    steps: int
    target: float
    settled: np.ndarray
    final_loss: np.ndarray
    final_accuracy: np.ndarray

    def __post_init__(self):
        for name in ("settled", "final_loss", "final_accuracy"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def _index(self, model: str, init: str, loss: str) -> tuple[int, int, int]:
        try:
            return self.models.index(model), self.inits.index(init), self.losses.index(loss)
        except ValueError:
            raise KeyError(f"扫描中没有 model={model!r}, init={init!r}, loss={loss!r}") from None

    def median_steps(self, model: str, init: str, loss: str) -> np.ndarray:
        """每个学习率上，各种子 ``settled`` 步数的中位数（多数种子卡住时是 ``inf``），形状 (学习率个数,)。"""
        return np.median(self.settled[self._index(model, init, loss)], axis=-1)

    def stuck(self, model: str, init: str, loss: str) -> np.ndarray:
        """每个学习率上卡住（预算内没有稳定达到目标）的种子个数，形状 (学习率个数,)。"""
        return np.isinf(self.settled[self._index(model, init, loss)]).sum(axis=-1)

    def best(self, model: str, init: str, loss: str, max_rate: float = np.inf) -> int:
        """这个损失自己的最佳学习率在网格中的序号：中位步数最小者（并列时取较小的学习率）。

        ``max_rate`` 只在不超过它的学习率里找。
        """
        allowed = np.array(self.learning_rates) <= max_rate
        if not allowed.any():
            raise ValueError(f"网格中没有不超过 max_rate={max_rate!r} 的学习率")
        return int(np.argmin(np.where(allowed, self.median_steps(model, init, loss), np.inf)))

    def best_rate(self, model: str, init: str, loss: str, max_rate: float = np.inf) -> float:
        """这个损失自己的最佳学习率 :math:`\\eta^*` （不超过 ``max_rate``）。"""
        return self.learning_rates[self.best(model, init, loss, max_rate)]

    def best_steps(self, model: str, init: str, loss: str, max_rate: float = np.inf) -> float:
        """最佳学习率上的中位步数。"""
        return float(self.median_steps(model, init, loss)[self.best(model, init, loss, max_rate)])

    def gap(self, model: str, init: str, slow: str = "mse", fast: str = "bce", max_rate: float = np.inf) -> float:
        """两种损失各取自己的最佳学习率（不超过 ``max_rate``）后，中位步数之比 ``slow / fast``。"""
        return self.best_steps(model, init, slow, max_rate) / self.best_steps(model, init, fast, max_rate)

    def _rows(self) -> list[list[str]]:
        rows = []
        for model in self.models:
            for init in self.inits:
                for loss in self.losses:
                    b = self.best(model, init, loss)
                    m, i, k = self._index(model, init, loss)
                    steps = self.settled[m, i, k, b]
                    finite = steps[np.isfinite(steps)]
                    spread = f"{int(finite.min())}–{int(finite.max())}" if finite.size else "—"
                    median = self.median_steps(model, init, loss)[b]
                    rows.append([label(model), label(init), label(loss), f"{self.learning_rates[b]:g}",
                                 "未达到" if np.isinf(median) else f"{median:g}", spread,
                                 f"{int(np.isinf(steps).sum())}/{len(self.seeds)}",
                                 f"{np.median(self.final_loss[m, i, k, b]):.3g}"])
        return rows

    _HEADER = ("模型", "初始化", "损失", "最佳 η", "步数（中位）", "步数（各种子）", "卡住", "最终损失")

    def table(self) -> str:
        """Markdown 表：每个（模型, 初始化, 损失）在自己的最佳学习率上的步数、卡住的种子数与最终损失。"""
        return markdown_table(self._HEADER, self._rows())

    def __str__(self) -> str:
        return text_table(self._HEADER, self._rows())

    def _repr_markdown_(self) -> str:
        return markdown_table(self._HEADER, self._rows())

    def _repr_html_(self) -> str:
        return scrollable(html_table(self._HEADER, self._rows(), kind="sweep"))


def learning_rate_sweep(
    seeds=(0, 1, 2, 3, 4),
    *,
    models=MODELS,
    inits=INITS,
    losses=("mse", "bce"),
    learning_rates=SWEEP_RATES,
    optimizer: str = "gd",
    steps: int = 500,
    target: float = 0.9,
    n: int = 200,
    hidden: int = 8,
    margin: float = 5.0,
) -> Sweep:
    r"""公平的训练对比：每种损失在整张学习率网格上都训练一遍，按各自的最佳学习率比较。

    对每个种子 ``s``：用 ``numpy.random.default_rng(s)`` 生成数据（:func:`~celoss.lab.datasets.two_blobs`），
    再为每个模型生成一组随机小初始化（:func:`init_params`）和由它得到的「自信地错」初始化
    （:func:`confidently_wrong`）——与 :func:`run_grid` 的做法相同。同一个种子、模型与初始化下，
    所有学习率和两种损失都从 **同一组** 参数出发。每次训练记录「准确率达到 ``target`` 并一直保持」
    所需的步数（见 :class:`Sweep`）。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    seeds : sequence of int
        种子，非负整数。
    models : sequence of {"logistic", "mlp"}
        模型。
    inits : sequence of {"random", "confident_wrong"}
        初始化。
    losses : sequence of {"mse", "bce"}
        损失。
    learning_rates : sequence of float
        学习率网格，正数，严格递增。
    optimizer : {"gd", "adam"}
        优化器，见 :func:`train`。
    steps : int
        每次训练的步数预算。
    target : float
        目标准确率，在 [0, 1] 内。
    n, hidden, margin
        样本数、MLP 隐藏单元数、「自信地错」的 :math:`|z|` 中位数（同 :func:`run_grid`）。

    Returns
    -------
    Sweep
        全部训练的摘要；:meth:`Sweep.best_rate` 给出每种损失自己的最佳学习率。

    Raises
    ------
    TypeError
        参数类型不对。
    ValueError
        名字未知、序列为空或有重复、学习率不是严格递增的正数，或数值参数超出范围。

    Examples
    --------
    >>> from celoss.lab.training import learning_rate_sweep
    >>> sweep = learning_rate_sweep((0, 1), models=["logistic"], inits=["confident_wrong"],
    ...                             learning_rates=[0.3, 3.0, 30.0], steps=200)
    >>> print(sweep.best_rate("logistic", "confident_wrong", "bce"))
    30.0
    >>> print(sweep.median_steps("logistic", "confident_wrong", "mse"))
    [ inf 50.5  6.5]
    """
    seeds = tuple(as_count(s, "seeds 中的种子", 0) for s in seeds)
    if not seeds or len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds 必须非空且没有重复，收到 {seeds!r}")
    models = _names(models, "models", MODELS)
    inits = _names(inits, "inits", INITS)
    losses = _names(losses, "losses", tuple(LOSSES))
    rates = tuple(as_positive(r, "learning_rates 中的学习率") for r in learning_rates)
    if not rates or any(b <= a for a, b in itertools.pairwise(rates)):
        raise ValueError(f"learning_rates 必须非空且严格递增，收到 {rates!r}")
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    steps = as_count(steps, "steps", 1)
    target = as_scalar(target, "target", 0.0, 1.0)
    hidden = as_count(hidden, "hidden", 1)
    margin = as_positive(margin, "margin")

    data, starts = [], {}
    for s in seeds:
        rng = np.random.default_rng(s)
        X, y = two_blobs(rng, n)
        data.append((X, y))
        for model in models:
            start = init_params(rng, model, n_features=X.shape[1], hidden=hidden)
            starts[s, model, "random"] = start
            starts[s, model, "confident_wrong"] = confidently_wrong(start, X, y, margin=margin)
    shape = (len(models), len(inits), len(losses), len(rates), len(seeds))
    settled, final_loss, final_accuracy = np.empty(shape), np.empty(shape), np.empty(shape)
    # one stacked run per (model, loss): rows are (seed, init, rate)
    rows = [(j, i, e) for j in range(len(seeds)) for i in range(len(inits)) for e in range(len(rates))]
    X_all = np.stack([data[j][0] for j, _, _ in rows])
    y_all = np.stack([data[j][1] for j, _, _ in rows])
    rate_all = np.array([rates[e] for _, _, e in rows])
    for m, model in enumerate(models):
        per_row = [starts[seeds[j], model, inits[i]].arrays() for j, i, _ in rows]
        for k, loss in enumerate(losses):
            theta = {key: np.stack([p[key] for p in per_row]) for key in per_row[0]}
            result = _settle(theta, X_all, y_all, LOSSES[loss], rate_all, steps, target, optimizer)
            for out, values in zip((settled, final_loss, final_accuracy), result, strict=True):
                for r, (j, i, e) in enumerate(rows):
                    out[m, i, k, e, j] = values[r]
    return Sweep(models=models, inits=inits, losses=losses, learning_rates=rates, seeds=seeds, optimizer=optimizer,
                 steps=steps, target=target, settled=settled, final_loss=final_loss, final_accuracy=final_accuracy)


def _settle(theta, X, y, spec, rate, steps, target, optimizer):
    """训练叠在一起的 R 组参数（每组有自己的数据与学习率），只记录摘要：达到并保持目标的步数、最终损失与准确率。"""
    opt = _Optimizer(optimizer, rate, theta)
    last_below = np.full(len(rate), -1)
    positive = y == 1
    for t in range(steps + 1):
        value, gradient, z = _forward_backward(theta, X, y, spec, grad=t < steps, value=t == steps)
        acc = np.count_nonzero((z > 0) == positive, axis=1) / y.shape[-1]
        last_below[acc < target] = t
        if gradient is not None:
            theta = opt.step(theta, gradient)
    settled = np.where(last_below == steps, np.inf, last_below + 1.0)
    return settled, value, acc


def _names(values, name, choices) -> tuple[str, ...]:
    if isinstance(values, str):
        values = [values]
    values = tuple(check_choice(v, f"{name} 中的元素", choices) for v in values)
    if not values or len(set(values)) != len(values):
        raise ValueError(f"{name} 必须非空且没有重复，收到 {values!r}")
    return values


def gradient_shares(y, z) -> dict[str, np.ndarray]:
    r"""一批样本里，每个样本在共享参数（例如偏置 :math:`b`）的梯度里所占的份额，MSE 与交叉熵各一份。

    共享参数的梯度是各样本 :math:`g_i = \partial\ell_i/\partial z_i` 之和（:math:`\partial z_i/\partial b = 1`）。
    样本 :math:`i` 的份额是 :math:`|g_i| / \sum_j |g_j|`。Adam 之类的自适应优化器把这个**和**按它自己的大小缩放，
    每个样本的份额不变。

    .. seealso:: :doc:`/training` （Adam 一节）。

    Parameters
    ----------
    y : array_like, shape (n,)
        标签，在 [0, 1] 内。
    z : array_like, shape (n,)
        logit，有限实数。

    Returns
    -------
    dict of str to numpy.ndarray
        ``{"mse": 份额, "bce": 份额}``，每个数组的和为 1（所有梯度都为 0 时是全 0）。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        形状不符、不是一维，或数值超出范围。

    Examples
    --------
    九个拿不准的样本（:math:`z = 0`）和一个自信地错的样本（:math:`z = -8`），标签都是 1：

    >>> from celoss.lab.training import gradient_shares
    >>> shares = gradient_shares([1.0] * 10, [0.0] * 9 + [-8.0])
    >>> print(round(float(shares["mse"][-1]), 5), round(float(shares["bce"][-1]), 3))
    0.0003 0.182
    """
    y_arr = as_probability(y, "y").astype(np.float64)
    z_arr = check_finite(as_real(z, "z"), "z").astype(np.float64)
    if y_arr.ndim != 1 or y_arr.shape != z_arr.shape:
        raise ValueError(f"y 与 z 必须是等长的一维数组，收到形状 {y_arr.shape} 与 {z_arr.shape}")
    out = {}
    for name, spec in LOSSES.items():
        g = np.abs(spec.grad(y_arr, z_arr))
        total = g.sum()
        out[name] = g / total if total > 0 else g
    return out
