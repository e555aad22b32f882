r"""训练对比实验：同一个初始化出发，分别用 MSE 与交叉熵做全批量梯度下降。

本模块给「训练对比实验」一章提供全部数据，纯 numpy，没有全局随机状态：

* :func:`make_dataset` —— 带种子的二维二分类数据（两团高斯点）；
* :class:`Params` —— 逻辑回归（没有隐藏层）或单隐藏层 MLP（tanh 隐藏层、sigmoid 输出）的参数；
* :func:`init_params` 与 :func:`confidently_wrong` —— 随机小初始化，以及「自信地错」的初始化；
* :func:`loss_value`、:func:`loss_gradient` —— 全批量损失及其对参数的梯度；
* :func:`train` —— 梯度下降，返回 :class:`Run` （每一步的损失、准确率与参数快照）；
* :func:`steps_to_accuracy` 与 :func:`run_grid` —— 达到目标准确率所需的步数；学习率 ×
  初始化 × 损失 × 模型的整张实验表。

损失与它们对 logit 的导数一律来自 ``celoss.losses`` （:func:`~celoss.mse`、
:func:`~celoss.bce_with_logits`、:func:`~celoss.mse_grad`、:func:`~celoss.bce_grad`），
这里只做链式法则，不重写任何一个损失。
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from celoss._checks import as_binary_dataset, as_count, as_positive, as_probability, check_choice, check_rng
from celoss.activations import sigmoid
from celoss.losses import bce_grad, bce_with_logits, mse, mse_grad

__all__ = [
    "MODELS",
    "INITS",
    "LOSSES",
    "Params",
    "Run",
    "RunGrid",
    "make_dataset",
    "init_params",
    "confidently_wrong",
    "loss_value",
    "loss_gradient",
    "accuracy",
    "train",
    "steps_to_accuracy",
    "run_grid",
]

#: 两种模型：逻辑回归与单隐藏层 MLP。
MODELS = ("logistic", "mlp")
#: 两种初始化：随机小初始化与「自信地错」。
INITS = ("random", "confident_wrong")
#: 两种损失：均方误差与（二元）交叉熵。
LOSSES = ("mse", "bce")

_LOSS_FUNCS = {
    "mse": (lambda y, z: mse(y, sigmoid(z)), mse_grad),
    "bce": (bce_with_logits, bce_grad),
}


# --------------------------------------------------------------------------- checks
def _check_snapshots(snapshot_steps, steps: int) -> set[int]:
    if isinstance(snapshot_steps, (str, bytes)) or not isinstance(snapshot_steps, Iterable):
        raise TypeError(f"snapshot_steps 必须是整数序列，收到 {type(snapshot_steps).__name__}")
    wanted = set()
    for t in snapshot_steps:
        t = as_count(t, "snapshot_steps 中的步数", 0)
        if t > steps:
            raise ValueError(f"snapshot_steps 中的步数必须在 [0, {steps}] 内，收到 {t}")
        wanted.add(t)
    return wanted


def _check_params(params, X: np.ndarray | None = None) -> Params:
    if not isinstance(params, Params):
        raise TypeError(f"params 必须是 celoss.train.Params，收到 {type(params).__name__}")
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
    >>> from celoss.train import Params
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
        return self.features(X) @ self.weights + self.bias

    def predict_proba(self, X) -> np.ndarray:
        """每个样本属于正类的概率 :math:`\\hat y = \\sigma(z)`。"""
        return sigmoid(self.logits(X))

    def arrays(self) -> dict[str, np.ndarray]:
        """参数按名字组成的字典（逻辑回归没有 ``hidden_*`` 两项）；偏置是 0 维数组。"""
        out = {"weights": self.weights, "bias": np.asarray(self.bias)}
        if self.hidden_weights is not None:
            out.update(hidden_weights=self.hidden_weights, hidden_bias=self.hidden_bias)
        return out

    def step(self, gradient: Params, learning_rate: float) -> Params:
        """一步梯度下降：返回 ``self - learning_rate * gradient``。"""
        delta = gradient.arrays()
        new = {k: v - learning_rate * delta[k] for k, v in self.arrays().items()}
        return Params(**new)


def make_dataset(rng, n: int = 200, *, separation: float = 1.0, noise: float = 0.7):
    r"""一个带种子的二维二分类数据集：两团各向同性的高斯点，各占一半。

    正类（标签 1）的中心在 :math:`\mu = \text{separation}\cdot(1, 0.5)`，负类在
    :math:`-\mu`，每一维的标准差为 ``noise``。两团有少量重叠，所以线性分类器的最高
    准确率略低于 100%（默认参数下约 94%）。

    Parameters
    ----------
    rng : numpy.random.Generator
        随机数生成器，例如 ``numpy.random.default_rng(0)``；同一个种子给出同一份数据。
    n : int
        样本数（至少 2）；负类 ``n // 2`` 个，其余为正类。
    separation : float
        两团中心之间距离的缩放，正数。
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
        ``rng`` 不是 ``numpy.random.Generator``，或 ``n`` 不是整数。
    ValueError
        ``n < 2``，或 ``separation``、``noise`` 不是正数。

    Examples
    --------
    >>> from celoss.train import make_dataset
    >>> import numpy as np
    >>> X, y = make_dataset(np.random.default_rng(0), n=6)
    >>> X.shape, y.tolist()
    ((6, 2), [1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    """
    rng = check_rng(rng)
    n = as_count(n, "n", 2)
    separation = as_positive(separation, "separation")
    noise = as_positive(noise, "noise")
    y = rng.permutation(np.arange(n) >= n // 2).astype(np.float64)
    centre = separation * np.array([1.0, 0.5])
    X = rng.normal(0.0, noise, size=(n, 2)) + np.where(y[:, None] == 1.0, centre, -centre)
    return X, y


def init_params(rng, model: str, *, n_features: int = 2, hidden: int = 8) -> Params:
    r"""随机小初始化：模型一开始几乎没有倾向，:math:`\hat y \approx 0.5`。

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
    >>> from celoss.train import init_params
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

    隐藏层（若有）保持不变。在输出层看到的特征 :math:`\phi(x)` 上，先用最小二乘拟合
    :math:`\phi(x)^\top v + c \approx 2y - 1` （一个大体正确的线性打分），再取
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
    >>> from celoss.train import accuracy, confidently_wrong, init_params, make_dataset
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = make_dataset(rng)
    >>> p = confidently_wrong(init_params(rng, "logistic"), X, y)
    >>> print(accuracy(p, X, y))
    0.06
    >>> print(float(np.median(np.abs(p.logits(X)))))
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


def _forward_backward(theta: dict[str, np.ndarray], X: np.ndarray, y: np.ndarray, loss: str, grad: bool = True):
    """R 组参数一起做一次前向与反向。

    ``theta`` 是 :meth:`Params.arrays` 的各个数组在第 0 维叠了 R 份：``weights`` (R, k)、
    ``bias`` (R,)、``hidden_weights`` (R, d, k)、``hidden_bias`` (R, k)。返回
    (平均损失 (R,), 梯度字典或 None, logits (R, n))。
    """
    loss_func, dloss_dz = _LOSS_FUNCS[loss]
    n = len(y)
    hidden = "hidden_weights" in theta
    if hidden:
        h = np.tanh(X @ theta["hidden_weights"] + theta["hidden_bias"][:, None, :])  # (R, n, k)
        z = np.einsum("rnk,rk->rn", h, theta["weights"]) + theta["bias"][:, None]
    else:
        z = theta["weights"] @ X.T + theta["bias"][:, None]  # (R, n)
    value = loss_func(y, z).sum(axis=1) / n
    if not grad:
        return value, None, z
    g = dloss_dz(y, z) / n  # ∂L/∂z_i（L 是 n 个样本的平均），形状 (R, n)
    out = {"bias": g.sum(axis=1)}
    if hidden:
        out["weights"] = np.einsum("rn,rnk->rk", g, h)
        back = g[:, :, None] * theta["weights"][:, None, :] * (1.0 - h * h)  # ∂L/∂(XW + c)，tanh' = 1 − tanh²
        out["hidden_weights"] = np.einsum("nd,rnk->rdk", X, back)
        out["hidden_bias"] = back.sum(axis=1)
    else:
        out["weights"] = g @ X
    return value, out, z


def loss_value(params, X, y, loss: str) -> float:
    r"""全批量平均损失 :math:`L = \frac1n\sum_i \ell(y_i, z_i)`。

    ``loss="mse"`` 时 :math:`\ell = \frac12(y - \sigma(z))^2` （:func:`celoss.mse`），
    ``loss="bce"`` 时 :math:`\ell` 是交叉熵（:func:`celoss.bce_with_logits`）。

    Parameters
    ----------
    params : Params
        模型参数。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"}
        损失函数。

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

    >>> from celoss.train import Params, loss_value
    >>> zero = Params(weights=[0.0, 0.0], bias=0.0)
    >>> X, y = [[1.0, 2.0], [3.0, 4.0]], [0, 1]
    >>> print(loss_value(zero, X, y, "mse"), loss_value(zero, X, y, "bce"))
    0.125 0.6931471805599453
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    loss = check_choice(loss, "loss", LOSSES)
    return float(_forward_backward(_stack(params, 1), X, y, loss, grad=False)[0][0])


def loss_gradient(params, X, y, loss: str) -> Params:
    r"""全批量平均损失对每个参数的梯度（形状与 ``params`` 相同）。

    Parameters
    ----------
    params : Params
        模型参数。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"}
        损失函数。

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
    记 :math:`g_i = \frac1n\,\partial\ell/\partial z_i`，它由 :func:`celoss.mse_grad`
    或 :func:`celoss.bce_grad` 给出：

    .. math::

        g_i^{\mathrm{MSE}} = \tfrac1n(\sigma(z_i) - y_i)\,\sigma(z_i)(1 - \sigma(z_i)),
        \qquad
        g_i^{\mathrm{BCE}} = \tfrac1n(\sigma(z_i) - y_i).

    然后按链式法则：:math:`\partial L/\partial w = \sum_i g_i\,\phi(x_i)`，
    :math:`\partial L/\partial b = \sum_i g_i`；MLP 的隐藏层再乘上
    :math:`w \odot (1 - h_i^2)` （:math:`\tanh' = 1 - \tanh^2`）：
    :math:`\partial L/\partial W = \sum_i x_i\,[g_i\, w \odot (1 - h_i^2)]^\top`。
    两种损失只差在 :math:`g_i` 上：MSE 多一个 :math:`\sigma(1 - \sigma) \le \frac14` 的因子。

    References
    ----------
    .. [1] I. Goodfellow, Y. Bengio, A. Courville, *Deep Learning*, MIT Press, 2016,
           §6.5 "Back-Propagation and Other Differentiation Algorithms".

    Examples
    --------
    >>> from celoss.train import Params, loss_gradient
    >>> zero = Params(weights=[0.0, 0.0], bias=0.0)
    >>> X, y = [[1.0, 2.0], [3.0, 4.0]], [0, 1]
    >>> loss_gradient(zero, X, y, "bce").weights
    array([-0.5, -0.5])
    >>> loss_gradient(zero, X, y, "mse").weights
    array([-0.125, -0.125])
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    loss = check_choice(loss, "loss", LOSSES)
    return _unstack(_forward_backward(_stack(params, 1), X, y, loss)[1], 0)


def accuracy(params, X, y) -> float:
    r"""准确率：预测类别 :math:`[z > 0]` （即 :math:`\hat y > 0.5`）等于标签的样本比例。

    Examples
    --------
    >>> from celoss.train import Params, accuracy
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

    Attributes
    ----------
    model, init, loss : str
        模型（``"logistic"``/``"mlp"``）、初始化的名字、损失（``"mse"``/``"bce"``）。
    learning_rate : float
        学习率。
    loss_history : numpy.ndarray, shape (steps + 1,)
        第 t 个元素是做完 t 步更新后的全批量平均损失（t = 0 为初始值）；只读。
    accuracy_history : numpy.ndarray, shape (steps + 1,)
        同上，准确率；只读。
    snapshots : dict of int to Params
        选定步数 t 上（做完 t 步更新后）的参数；只读映射（``types.MappingProxyType``）。
    """

    model: str
    init: str
    loss: str
    learning_rate: float
    loss_history: np.ndarray
    accuracy_history: np.ndarray
    snapshots: dict[int, Params]  # stored as a read-only MappingProxyType

    def __post_init__(self):
        object.__setattr__(self, "loss_history", _frozen(self.loss_history))
        object.__setattr__(self, "accuracy_history", _frozen(self.accuracy_history))
        object.__setattr__(self, "snapshots", MappingProxyType(dict(self.snapshots)))

    @property
    def steps(self) -> int:
        """更新的步数。"""
        return len(self.loss_history) - 1


def train(
    params,
    X,
    y,
    *,
    loss: str,
    learning_rate: float,
    steps: int,
    snapshot_steps=(),
    init: str = "",
) -> Run:
    r"""全批量梯度下降 :math:`\theta \leftarrow \theta - \eta\,\nabla_\theta L(\theta)`。

    每一步用全部样本计算平均损失的梯度（:func:`loss_gradient`），记录更新前的损失与准确率。
    过程完全确定：同样的输入给出逐位相同的结果。

    Parameters
    ----------
    params : Params
        初始参数（不会被修改）。
    X : array_like, shape (n, d)
        特征。
    y : array_like, shape (n,)
        0/1 标签。
    loss : {"mse", "bce"}
        损失函数。
    learning_rate : float
        学习率 :math:`\eta`，正数。
    steps : int
        更新步数（可以为 0）。
    snapshot_steps : sequence of int
        要保存参数快照的步数，每个都在 ``[0, steps]`` 内。
    init : str
        初始化的名字，只记录在结果里（例如 ``"confident_wrong"``）。

    Returns
    -------
    Run
        损失与准确率的历史（长度 ``steps + 1``）和参数快照。

    Raises
    ------
    TypeError
        参数类型不对（``params`` 不是 :class:`Params`，``steps`` 不是整数……）。
    ValueError
        ``loss`` 未知，``learning_rate`` 不是正数，``steps`` 为负，快照步数越界，
        或 ``X``、``y`` 不合要求。

    Examples
    --------
    >>> from celoss.train import init_params, make_dataset, train
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X, y = make_dataset(rng)
    >>> start = init_params(rng, "logistic")
    >>> run = train(start, X, y, loss="bce", learning_rate=0.5, steps=20, snapshot_steps=[0, 20])
    >>> run.steps, sorted(run.snapshots)
    (20, [0, 20])
    >>> print(run.accuracy_history[0], run.accuracy_history[-1])
    0.795 0.94
    """
    X, y = as_binary_dataset(X, y)
    params = _check_params(params, X)
    loss = check_choice(loss, "loss", LOSSES)
    learning_rate = as_positive(learning_rate, "learning_rate")
    steps = as_count(steps, "steps", 0)
    if not isinstance(init, str):
        raise TypeError(f"init 必须是字符串，收到 {type(init).__name__}")
    wanted = _check_snapshots(snapshot_steps, steps)
    return _train(params, X, y, loss, (learning_rate,), steps, wanted, init)[0]


def _train(params: Params, X: np.ndarray, y: np.ndarray, loss: str, rates: tuple[float, ...], steps: int,
           wanted: set[int], init: str) -> list[Run]:
    """从同一组参数出发、按几个学习率同时训练（参数叠在第 0 维上）；参数已检查。"""
    rate = np.asarray(rates)
    theta = _stack(params, len(rates))
    losses = np.empty((len(rates), steps + 1))
    accuracies = np.empty((len(rates), steps + 1))
    snapshots: list[dict[int, Params]] = [{} for _ in rates]
    positive = y == 1
    for t in range(steps + 1):
        value, gradient, z = _forward_backward(theta, X, y, loss, grad=t < steps)
        losses[:, t] = value
        accuracies[:, t] = np.count_nonzero((z > 0) == positive, axis=1) / len(y)
        if t in wanted:
            for r, taken in enumerate(snapshots):
                taken[t] = _unstack(theta, r)
        if gradient is not None:
            theta = {k: v - rate.reshape((-1,) + (1,) * (v.ndim - 1)) * gradient[k] for k, v in theta.items()}
    return [
        Run(model=params.model, init=init, loss=loss, learning_rate=float(rates[r]), loss_history=losses[r],
            accuracy_history=accuracies[r], snapshots=snapshots[r])
        for r in range(len(rates))
    ]


def steps_to_accuracy(history, target: float = 0.9) -> int | None:
    """准确率第一次达到 ``target`` （``>=``）时已经做了多少步更新；从未达到时返回 ``None``。

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
    >>> from celoss.train import steps_to_accuracy
    >>> steps_to_accuracy([0.5, 0.8, 0.92, 0.88, 0.95], 0.9)
    2
    >>> steps_to_accuracy([0.95, 0.97], 0.9)
    0
    >>> print(steps_to_accuracy([0.5, 0.6], 0.9))
    None
    """
    values = history.accuracy_history if isinstance(history, Run) else as_probability(history, "history")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"history 必须是非空的一维准确率序列，收到形状 {values.shape}")
    goal = as_probability(target, "target")
    if goal.ndim != 0:
        raise ValueError(f"target 必须是一个数（标量），收到形状为 {goal.shape} 的数组")
    hits = np.flatnonzero(values >= goal)
    return int(hits[0]) if hits.size else None


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True, eq=False)
class RunGrid:
    """:func:`~celoss.train.run_grid` 的结果：数据集，加上每个（模型, 初始化, 学习率, 损失）组合的一次训练。

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
            if (run.model, run.init, run.learning_rate, run.loss) == (model, init, float(learning_rate), loss):
                return run
        raise KeyError(f"网格中没有 model={model!r}, init={init!r}, learning_rate={learning_rate!r}, loss={loss!r}")

    def steps_table(self, target: float = 0.9) -> str:
        """一张 Markdown 表：每个组合达到 ``target`` 准确率所需的步数（未达到记为「未达到」）。"""
        names = {"logistic": "逻辑回归", "mlp": "MLP", "random": "随机小初始化", "confident_wrong": "自信地错"}
        loss_names = {"mse": "MSE", "bce": "交叉熵"}
        head = ["模型", "初始化", "学习率", *(f"{loss_names[loss]}（步）" for loss in self.losses)]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for model in self.models:
            for init in self.inits:
                for rate in self.learning_rates:
                    cells = []
                    for loss in self.losses:
                        steps = steps_to_accuracy(self.get(model, init, rate, loss), target)
                        cells.append("未达到" if steps is None else str(steps))
                    lines.append("| " + " | ".join([names[model], names[init], f"{rate:g}", *cells]) + " |")
        return "\n".join(lines)


def run_grid(
    rng,
    *,
    models=MODELS,
    inits=INITS,
    learning_rates=(0.1, 0.5, 2.0),
    losses=LOSSES,
    steps: int = 500,
    snapshot_steps=(0, 10, 50, 500),
    n: int = 200,
    hidden: int = 8,
    margin: float = 5.0,
) -> RunGrid:
    r"""整张对比实验：模型 × 初始化 × 学习率 × 损失，每个组合训练一次。

    先用 ``rng`` 生成数据（:func:`make_dataset`），再为每个模型生成一组随机小初始化
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
    snapshot_steps : sequence of int
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
    >>> from celoss.train import run_grid, steps_to_accuracy
    >>> import numpy as np
    >>> grid = run_grid(np.random.default_rng(0), models=["logistic"], learning_rates=[0.5],
    ...                 steps=200, snapshot_steps=[0, 200])
    >>> len(grid.runs)
    4
    >>> wrong = {loss: grid.get("logistic", "confident_wrong", 0.5, loss) for loss in ("mse", "bce")}
    >>> steps_to_accuracy(wrong["bce"], 0.9), steps_to_accuracy(wrong["mse"], 0.9)
    (10, None)
    """
    rng = check_rng(rng)

    def names(values, name, choices):
        if isinstance(values, str):
            values = [values]
        values = tuple(check_choice(v, f"{name} 中的元素", choices) for v in values)
        if not values or len(set(values)) != len(values):
            raise ValueError(f"{name} 必须非空且没有重复，收到 {values!r}")
        return values

    models = names(models, "models", MODELS)
    inits = names(inits, "inits", INITS)
    losses = names(losses, "losses", LOSSES)
    rates = tuple(as_positive(r, "learning_rates 中的学习率") for r in learning_rates)
    if not rates or len(set(rates)) != len(rates):
        raise ValueError(f"learning_rates 必须非空且没有重复，收到 {rates!r}")
    steps = as_count(steps, "steps", 0)
    wanted = _check_snapshots(snapshot_steps, steps)
    hidden = as_count(hidden, "hidden", 1)
    margin = as_positive(margin, "margin")

    X, y = make_dataset(rng, n)
    runs = []
    for model in models:
        start = init_params(rng, model, n_features=X.shape[1], hidden=hidden)
        starts = {"random": start, "confident_wrong": confidently_wrong(start, X, y, margin=margin)}
        for init in inits:
            trained = {loss: _train(starts[init], X, y, loss, rates, steps, wanted, init) for loss in losses}
            runs.extend(trained[loss][r] for r in range(len(rates)) for loss in losses)
    return RunGrid(X=X, y=y, models=models, inits=inits, learning_rates=rates, losses=losses, runs=tuple(runs))
