r"""「变体」一章的两个小实验：类别权重改变了什么，标签平滑改变了什么。

.. seealso:: :doc:`/variants`。

纯 numpy、全批量梯度下降，几秒内跑完；随机性只来自传入的 ``rng``。数据来自
:func:`celoss.lab.datasets.two_blobs`，训练来自 :func:`celoss.lab.training.fit_logistic`
（损失是 :func:`celoss.lab.training.weighted` 与 :func:`celoss.lab.training.smoothed`）：

* :func:`binary_metrics` —— 召回率、精确率、准确率与平均预测概率；
* :func:`pos_weight_study` —— 不同 ``pos_weight`` 与判决阈值下的这几项指标；
* :func:`smoothing_study` —— 线性可分数据上，有无标签平滑时权重范数与置信度随训练步数的变化。
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from celoss._checks import as_binary_dataset, as_count, as_real, as_scalar, check_finite, check_interval, check_rng
from celoss.activations import sigmoid
from celoss.lab.datasets import two_blobs
from celoss.lab.tables import html_table, markdown_table, percent, scientific, text_table
from celoss.lab.training import fit_logistic, smoothed, weighted
from celoss.losses import bce_with_logits

__all__ = [
    "Metrics",
    "binary_metrics",
    "PosWeightStudy",
    "pos_weight_study",
    "SmoothingStudy",
    "smoothing_study",
]


def _blobs(rng, n, positive_fraction, separation, noise):
    """两团点，中心相距 ``separation``，沿对角线 (1, 1) 方向摆放。"""
    separation = as_scalar(separation, "separation", 0.0, np.inf, closed="left")
    return two_blobs(rng, n, positive_fraction=positive_fraction,
                     centre=separation / (2.0 * np.sqrt(2.0)) * np.ones(2), noise=noise)


class Metrics(NamedTuple):
    """:func:`~celoss.lab.variants.binary_metrics` 的结果（都是 Python ``float``）。"""

    recall: float
    """召回率：真正类中被判为正类的比例。"""
    precision: float
    """精确率：判为正类的样本中真是正类的比例；没有样本被判为正类时为 NaN。"""
    accuracy: float
    """准确率。"""
    mean_probability: float
    """平均预测概率 :math:`\\frac1n\\sum_i \\hat y_i`。"""


def binary_metrics(y, p, threshold: float = 0.5) -> Metrics:
    r"""按阈值把预测概率变成判决，计算召回率、精确率、准确率与平均预测概率。

    .. seealso:: :doc:`/variants`。

    :math:`\hat y \ge` ``threshold`` 判为正类。

    Parameters
    ----------
    y : array_like, shape (n,)
        0/1 标签。
    p : array_like, shape (n,)
        预测概率，在 [0, 1] 内。
    threshold : float
        判决阈值，在 [0, 1] 内。

    Returns
    -------
    Metrics
        召回率、精确率、准确率、平均预测概率。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        形状不符、标签不是 0/1、``p`` 或 ``threshold`` 不在 [0, 1] 内，或没有正类样本。

    Examples
    --------
    >>> from celoss.lab.variants import binary_metrics
    >>> m = binary_metrics([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1])
    >>> print(m.recall, m.precision, m.accuracy, m.mean_probability)
    0.5 0.5 0.5 0.5
    """
    p = check_interval(check_finite(as_real(p, "p"), "p"), "p", 0.0, 1.0)
    _, y = as_binary_dataset(np.zeros((np.size(y), 1)), y)
    if p.shape != y.shape:
        raise ValueError(f"p 的形状必须与 y 相同 {y.shape}，收到 {p.shape}")
    if not (y == 1).any():
        raise ValueError("y 中至少要有一个正类样本（否则召回率没有定义）")
    threshold = as_scalar(threshold, "threshold", 0.0, 1.0)
    predicted = p >= threshold
    positive = y == 1
    hits = int(np.sum(predicted & positive))
    n_predicted = int(np.sum(predicted))
    return Metrics(
        recall=hits / int(np.sum(positive)),
        precision=hits / n_predicted if n_predicted else float("nan"),
        accuracy=float(np.mean(predicted == positive)),
        mean_probability=float(np.mean(p)),
    )


def _row_where(**columns: tuple[np.ndarray, float]) -> int:
    """第一个满足每个 ``列 == 值`` 的行号；没有这样的行时报 KeyError，信息里写出所有条件。"""
    hits = np.flatnonzero(np.logical_and.reduce([column == value for column, value in columns.values()]))
    if hits.size == 0:
        where = "、".join(f"{key}={value!r}" for key, (_, value) in columns.items())
        raise KeyError(f"没有 {where} 这一行")
    return int(hits[0])


# --------------------------------------------------------------------------- pos_weight study


# table header, kept outside the class: a NamedTuple cannot hold a private class constant
_POS_WEIGHT_HEADER = ("w₊", "阈值", "召回率", "精确率", "准确率", "平均 ŷ")


class PosWeightStudy(NamedTuple):
    """:func:`~celoss.lab.variants.pos_weight_study` 的结果：每个字段是一列，第 i 行对应第 i 个设置。

    .. seealso:: :doc:`/variants`。

    显示方式见 :mod:`celoss.lab.tables`。
    """

    pos_weight: np.ndarray
    """正类权重 :math:`w_+`。"""
    threshold: np.ndarray
    """判为正类的概率阈值。"""
    recall: np.ndarray
    """召回率，见 :class:`Metrics`。"""
    precision: np.ndarray
    """精确率，见 :class:`Metrics`。"""
    accuracy: np.ndarray
    """准确率。"""
    mean_probability: np.ndarray
    """平均预测概率。"""
    positive_rate: float
    """训练数据中正类的比例。"""

    def row(self, pos_weight: float, threshold: float = 0.5) -> int:
        """``(pos_weight, threshold)`` 这一设置所在的行号。"""
        return _row_where(pos_weight=(self.pos_weight, pos_weight), threshold=(self.threshold, threshold))

    def _cells(self) -> list[list[str]]:
        return [
            [f"{w:g}", f"{t:g}", percent(r), percent(p), percent(a), f"{m:.3f}"]
            for w, t, r, p, a, m in zip(self.pos_weight, self.threshold, self.recall, self.precision,
                                        self.accuracy, self.mean_probability, strict=True)
        ]

    def __str__(self) -> str:
        return text_table(_POS_WEIGHT_HEADER, self._cells())

    def _repr_markdown_(self) -> str:
        return markdown_table(_POS_WEIGHT_HEADER, self._cells())

    def _repr_html_(self) -> str:
        return html_table(_POS_WEIGHT_HEADER, self._cells())


def _settings(settings) -> list[tuple[float, float]]:
    out = []
    for item in settings:
        if isinstance(item, (str, bytes)) or np.ndim(item) != 1 or len(item) != 2:
            raise ValueError(f"settings 的每一项必须是 (pos_weight, threshold) 两个数，收到 {item!r}")
        w, t = item
        out.append((as_scalar(w, "settings 中的 pos_weight", 0.0, np.inf, closed="neither"),
                    as_scalar(t, "settings 中的 threshold", 0.0, 1.0)))
    if not out:
        raise ValueError("settings 不能为空")
    return out


def pos_weight_study(rng, settings=((1.0, 0.5), (3.0, 0.5), (9.0, 0.5), (1.0, 0.1)), *, n: int = 2000,
                     positive_fraction: float = 0.1, separation: float = 2.5, noise: float = 1.0,
                     learning_rate: float = 2.0, steps: int = 500) -> PosWeightStudy:
    r"""在一份不平衡数据上，比较不同正类权重 ``pos_weight`` 与判决阈值的召回率和精确率。

    .. seealso:: :doc:`/variants`。

    先用 ``rng`` 生成数据（:func:`~celoss.lab.datasets.two_blobs`），再对 ``settings`` 里出现的每个
    ``pos_weight`` 各训练一个逻辑回归（:func:`~celoss.lab.training.fit_logistic`，都从全零出发），最后在
    训练数据上按各自的阈值计算 :func:`binary_metrics`。

    Parameters
    ----------
    rng : numpy.random.Generator
        随机数生成器；同一个种子给出逐位相同的结果。
    settings : sequence of (float, float)
        每一行的 ``(pos_weight, threshold)``。默认的四行中，最后一行是「不加权、阈值 0.1」，
        用来与 ``pos_weight = 9`` 比较（:math:`1/(1 + 9) = 0.1`）。
    n, positive_fraction, separation, noise
        数据参数，见 :func:`~celoss.lab.datasets.two_blobs`。
    learning_rate, steps
        训练参数，见 :func:`~celoss.lab.training.fit_logistic`。默认值下各模型都已收敛（参数变化小于 1e-6）。

    Returns
    -------
    PosWeightStudy
        每个设置一行。

    Raises
    ------
    TypeError
        ``rng`` 不是 ``numpy.random.Generator``，或参数类型不对。
    ValueError
        ``settings`` 为空或某项不是两个数，或数值参数超出范围。

    Notes
    -----
    若某处特征 :math:`x` 附近正类的真实比例是 :math:`\pi`，加权损失的期望
    :math:`\pi w_+ (-\log\sigma(z)) + (1 - \pi)(-\log\sigma(-z))` 在
    :math:`z^* = \log\frac{\pi}{1 - \pi} + \log w_+` 处最小：加权让模型的几率（odds）
    变成真实几率的 :math:`w_+` 倍。于是「加权、阈值 0.5」与「不加权、阈值
    :math:`1/(1 + w_+)`」判出的正类几乎相同（对设定正确的模型，样本无穷多时完全相同；Elkan, 2001）。

    References
    ----------
    .. [1] PyTorch documentation, ``torch.nn.BCEWithLogitsLoss`` （参数 ``pos_weight``）。
    .. [2] C. Elkan, "The Foundations of Cost-Sensitive Learning", IJCAI 2001, Theorem 1.

    Examples
    --------
    >>> from celoss.lab.variants import pos_weight_study
    >>> import numpy as np
    >>> study = pos_weight_study(np.random.default_rng(0), [(1, 0.5), (9, 0.5)], n=500)
    >>> print(study)
    w₊  阈值  召回率  精确率  准确率  平均 ŷ
     1   0.5   68.0%   81.0%   95.2%   0.100
     9   0.5   90.0%   52.3%   90.8%   0.221
    """
    rng = check_rng(rng)
    rows = _settings(settings)
    X, y = _blobs(rng, n, positive_fraction, separation, noise)
    fits: dict[float, np.ndarray] = {}
    for w, _ in rows:
        if w not in fits:
            fits[w] = fit_logistic(X, y, loss=weighted(w), learning_rate=learning_rate, steps=steps).predict_proba(X)
    metrics = [binary_metrics(y, fits[w], t) for w, t in rows]
    columns = {name: np.array([getattr(m, name) for m in metrics]) for name in Metrics._fields}
    return PosWeightStudy(
        pos_weight=np.array([w for w, _ in rows]),
        threshold=np.array([t for _, t in rows]),
        positive_rate=float(y.mean()),
        **columns,
    )


# --------------------------------------------------------------------------- label smoothing study


# table header, kept outside the class: a NamedTuple cannot hold a private class constant
_SMOOTHING_HEADER = ("εₗₛ", "步数", "‖w‖", "平均 qₜ", "1 − 最大 qₜ")


class SmoothingStudy(NamedTuple):
    r""":func:`~celoss.lab.variants.smoothing_study` 的结果：每个字段是一列，每个 (εₗₛ, 步数) 一行。

    .. seealso:: :doc:`/variants`。

    显示方式见 :mod:`celoss.lab.tables`。
    表格列出 εₗₛ、步数、:math:`\lVert w\rVert`、平均 :math:`q_{\mathrm{t}}` 与 :math:`1 - \max q_{\mathrm{t}}`
    （最有把握的样本离 1 还差多少）；``loss`` 只在字段里。
    """

    eps: np.ndarray
    """标签平滑系数 εₗₛ。"""
    steps: np.ndarray
    """训练步数。"""
    weight_norm: np.ndarray
    """权重向量的长度 :math:`\\lVert w\\rVert`。"""
    mean_confidence: np.ndarray
    r"""训练样本上真实类别概率 :math:`q_{\mathrm{t}}` 的平均。"""
    max_confidence: np.ndarray
    r"""训练样本上 :math:`q_{\mathrm{t}}` 的最大值。"""
    loss: np.ndarray
    """训练样本上（不平滑的）交叉熵的平均。"""

    def row(self, eps: float, steps: int) -> int:
        """``(eps, steps)`` 所在的行号。"""
        return _row_where(eps=(self.eps, eps), steps=(self.steps, steps))

    def _cells(self) -> list[list[str]]:
        return [
            [f"{e:g}", f"{s:d}", f"{w:.3f}", f"{m:.4f}", scientific(1.0 - x, sep="×")]
            for e, s, w, m, x in zip(self.eps, self.steps, self.weight_norm, self.mean_confidence,
                                     self.max_confidence, strict=True)
        ]

    def __str__(self) -> str:
        return text_table(_SMOOTHING_HEADER, self._cells())

    def _repr_markdown_(self) -> str:
        return markdown_table(_SMOOTHING_HEADER, self._cells())

    def _repr_html_(self) -> str:
        return html_table(_SMOOTHING_HEADER, self._cells())


def smoothing_study(rng, eps_values=(0.0, 0.1), checkpoints=(10, 100, 1000), *, n: int = 200,
                    separation: float = 4.0, noise: float = 0.6, learning_rate: float = 1.0) -> SmoothingStudy:
    r"""在线性可分的数据上训练逻辑回归，看标签平滑如何让权重与置信度停止增长。

    .. seealso:: :doc:`/variants`。

    数据是 :func:`~celoss.lab.datasets.two_blobs` 的两团点（各占一半；默认参数下两中心相距约 6.7 个标准差，
    几乎总是线性可分，书中用的种子 1 正是如此）。对每个
    :math:`\varepsilon_{\mathrm{ls}}`，从全零出发一直训练下去（:func:`~celoss.lab.training.fit_logistic`），
    在 ``checkpoints`` 列出的步数处记录一行。

    Parameters
    ----------
    rng : numpy.random.Generator
        随机数生成器。
    eps_values : sequence of float
        标签平滑系数，每个在 [0, 1) 内。
    checkpoints : sequence of int
        记录的步数，严格递增的正整数。
    n, separation, noise
        数据参数，见 :func:`~celoss.lab.datasets.two_blobs`。
    learning_rate : float
        学习率。

    Returns
    -------
    SmoothingStudy
        每个 (εₗₛ, 步数) 一行。

    Raises
    ------
    TypeError
        ``rng`` 不是 ``numpy.random.Generator``，或参数类型不对。
    ValueError
        序列为空、步数不是严格递增的正整数，或数值参数超出范围。

    Notes
    -----
    不平滑时，线性可分数据上的交叉熵没有最小值：把 :math:`w` 放大，每个样本的损失都变小，
    梯度下降让 :math:`\lVert w\rVert` 像 :math:`\log t` 一样无限增长（Soudry 等，2018），
    :math:`q_{\mathrm{t}} \to 1`。平滑后目标是 :math:`1 - \varepsilon_{\mathrm{ls}}/2`，
    损失在有限的 :math:`w` 处取最小值，权重与置信度都停在那里。

    References
    ----------
    .. [1] D. Soudry, E. Hoffer, M. S. Nacson, S. Gunasekar, N. Srebro, "The Implicit Bias of
           Gradient Descent on Separable Data", JMLR 19(70), 2018.
    .. [2] C. Szegedy et al., "Rethinking the Inception Architecture for Computer Vision",
           CVPR 2016, §7.

    Examples
    --------
    >>> from celoss.lab.variants import smoothing_study
    >>> import numpy as np
    >>> study = smoothing_study(np.random.default_rng(1), checkpoints=(10, 100))
    >>> print(np.round(study.weight_norm, 2))
    [1.95 3.34 1.46 1.54]
    """
    rng = check_rng(rng)
    eps_list = [as_scalar(e, "eps_values 中的 ε", 0.0, 1.0, closed="left") for e in eps_values]
    marks = [as_count(t, "checkpoints 中的步数", 1) for t in checkpoints]
    if not eps_list or not marks:
        raise ValueError("eps_values 与 checkpoints 都不能为空")
    if any(b <= a for a, b in itertools.pairwise(marks)):
        raise ValueError(f"checkpoints 必须严格递增，收到 {tuple(marks)!r}")
    X, y = _blobs(rng, n, 0.5, separation, noise)
    rows = []
    for eps in eps_list:
        params, done = None, 0
        for t in marks:
            params = fit_logistic(X, y, loss=smoothed(eps), learning_rate=learning_rate, steps=t - done,
                                  start=params)
            done = t
            z = params.logits(X)
            p_t = np.where(y == 1, sigmoid(z), sigmoid(-z))
            rows.append((eps, t, float(np.linalg.norm(params.weights)), float(p_t.mean()), float(p_t.max()),
                         float(bce_with_logits(y, z).mean())))
    cols = list(zip(*rows, strict=True))
    return SmoothingStudy(*(np.array(c) for c in cols))
