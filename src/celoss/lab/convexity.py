r"""一维逻辑回归的损失曲面：平均 MSE 与平均交叉熵作为参数 (w, b) 的函数。

模型是 :math:`\hat y_i = \sigma(z_i)`，:math:`z_i = w x_i + b`；数据默认取
:func:`logistic_data` 给出的固定小数据集。每个函数都对 ``w`` 与 ``b`` 按 numpy 规则广播，
所以一次调用就能算出整条曲线或整张网格；样本维度在内部求平均，不出现在结果的形状里。

逐样本的损失与导数全部复用 :func:`celoss.mse`、:func:`celoss.bce_with_logits`、
:func:`celoss.mse_grad`、:func:`celoss.bce_grad` 与 :func:`celoss.sigmoid`，这里只做链式法则
（:math:`\partial z/\partial w = x`）和求平均。

.. seealso:: :doc:`/convexity`。
"""

from __future__ import annotations

import numpy as np

from celoss._checks import as_probability, as_real, broadcast, check_finite, finish, result_dtype
from celoss.activations import sigmoid
from celoss.losses import bce_grad, bce_with_logits, mse, mse_grad

__all__ = [
    "logistic_data",
    "mean_mse",
    "mean_bce",
    "mean_mse_dw",
    "mean_bce_dw",
    "mean_mse_d2w",
    "mean_bce_d2w",
]

# 十个样本：x 对称，标签大体随 x 的符号，但 x = −1 与 x = 1 两个样本的标签"反了"，
# 所以数据线性不可分，交叉熵的最小值落在有限的 w 上。
_X = np.array([-3.0, -2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 3.0])
_Y = np.array([0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0])


def logistic_data() -> tuple[np.ndarray, np.ndarray]:
    r"""「凸性」一章（:doc:`/convexity`）所用的一维逻辑回归小数据集 ``(x, y)``，每次调用返回同样的新数组。

    .. seealso:: :doc:`/convexity`。

    Returns
    -------
    x : numpy.ndarray
        十个特征值，float64，从 −3 到 3 对称分布。
    y : numpy.ndarray
        对应的 0/1 标签，float64。

    Notes
    -----
    标签大体是 :math:`y = [x > 0]`，只有 :math:`x = -1` （标签 1）与 :math:`x = 1`
    （标签 0）两个样本"站错了边"。因此数据线性不可分：交叉熵的最小值在有限的
    :math:`w` 处取到；若数据可分，最小值会跑到 :math:`w \to \infty` （见「凸性」一章的练习）。

    Examples
    --------
    >>> from celoss.lab.convexity import logistic_data
    >>> x, y = logistic_data()
    >>> print(x.tolist())
    [-3.0, -2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0, 3.0]
    >>> print(y.tolist())
    [0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    """
    return _X.copy(), _Y.copy()


def _samples_nonempty(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        raise ValueError("x 与 y 至少要包含一个样本")
    return x


def _mean(terms: np.ndarray) -> np.ndarray:
    """对样本维度（最后一维）求平均；总和超出 float64 时如实得到 inf，不发警告。"""
    with np.errstate(over="ignore"):
        return np.mean(terms, axis=-1)


def _setup(w, b, x, y):
    """检查参数，返回 (z, x, y, dtype)：z 的形状是 broadcast(w, b).shape + (样本数,)。"""
    w_arr = check_finite(as_real(w, "w"), "w")
    b_arr = check_finite(as_real(b, "b"), "b")
    w_arr, b_arr = (a.astype(np.float64) for a in broadcast({"w": w_arr, "b": b_arr}))
    originals = [w, b]
    if x is None:
        x_arr = _X
    else:
        x_arr = check_finite(as_real(x, "x"), "x")
        originals.append(x)
    if y is None:
        y_arr = _Y
    else:
        y_arr = as_probability(y, "y")
        originals.append(y)
    x_arr, y_arr = (a.astype(np.float64).ravel() for a in broadcast({"x": x_arr, "y": y_arr}))
    _samples_nonempty(x_arr)
    with np.errstate(over="ignore"):  # |w x| beyond float64: z = ±inf, the losses take the limit
        z = w_arr[..., np.newaxis] * x_arr + b_arr[..., np.newaxis]
    return z, x_arr, y_arr, result_dtype(*originals)


def mean_mse(w, b=0.0, x=None, y=None):
    r"""逻辑回归在数据集上的平均平方损失 :math:`\frac1n\sum_i \tfrac12\bigl(y_i - \sigma(w x_i + b)\bigr)^2`。

    .. seealso:: :doc:`/convexity`。

    Parameters
    ----------
    w : array_like
        权重，有限实数；与 ``b`` 按 numpy 规则广播（例如传入 ``meshgrid`` 的结果得到整张曲面）。
    b : array_like, optional
        偏置，有限实数，默认 0。
    x : array_like, optional
        特征，有限实数；默认取 :func:`logistic_data` 的 ``x``。与 ``y`` 广播后展平，
        每个元素是一个样本。
    y : array_like, optional
        标签，取值在 [0, 1]；默认取 :func:`logistic_data` 的 ``y``。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        形状为 ``broadcast(w, b).shape`` 的平均损失，在 :math:`[0, \tfrac12]` 内。
        参数中有 float64 数组时为 float64，否则有 float32 数组时为 float32，其余为 float64。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内、形状无法广播，或没有样本。

    Notes
    -----
    .. math::

        L_{\mathrm{MSE}}(w, b) = \frac1n \sum_{i=1}^{n} \tfrac12\bigl(y_i - \sigma(w x_i + b)\bigr)^2 .

    逐样本的值由 :func:`celoss.mse` 计算。损失有界，:math:`|w| \to \infty` 时趋于常数
    （"平台"），这是它非凸的根源，见 :func:`mean_mse_d2w`。

    References
    ----------
    .. [1] P. Auer, M. Herbster, M. K. Warmuth, "Exponentially many local minima for
           single neurons", *Advances in Neural Information Processing Systems 8*, 1996.

    Examples
    --------
    >>> from celoss.lab.convexity import mean_mse
    >>> print(mean_mse(0.0))
    0.125

    w 很负时（模型把大多数样本判反），损失已经贴近平台，几乎不再变化：

    >>> print(round(float(mean_mse(-8.0)), 6), round(float(mean_mse(-9.0)), 6))
    0.396434 0.397814
    """
    z, _, y_arr, dtype = _setup(w, b, x, y)
    return finish(_mean(mse(y_arr, sigmoid(z))), dtype)


def mean_bce(w, b=0.0, x=None, y=None):
    r"""逻辑回归在数据集上的平均交叉熵 :math:`\frac1n\sum_i \mathrm{bce}\bigl(y_i, \sigma(w x_i + b)\bigr)`。

    .. seealso:: :doc:`/convexity`。

    Parameters
    ----------
    w, b, x, y : array_like
        同 :func:`mean_mse`。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        形状为 ``broadcast(w, b).shape`` 的平均交叉熵（负对数似然除以 n），:math:`\ge 0`；
        精度规则同 :func:`mean_mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内、形状无法广播，或没有样本。

    Notes
    -----
    .. math::

        L_{\mathrm{BCE}}(w, b) = \frac1n \sum_{i=1}^{n}
        \Bigl[-y_i \log\sigma(z_i) - (1 - y_i)\log\sigma(-z_i)\Bigr],
        \qquad z_i = w x_i + b .

    逐样本的值由 :func:`celoss.bce_with_logits` 从 logit 直接计算，不经过已经舍入的
    :math:`\sigma(z)`，所以 :math:`|w|` 很大时也不会变成 ``inf``。:math:`|w| \to \infty`
    时它按 :math:`|w|` 线性增长（判错的样本每个贡献约 :math:`|z_i|`），没有平台。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §4.3.2 "Logistic regression"（式 4.90）。

    Examples
    --------
    >>> from celoss.lab.convexity import mean_bce
    >>> print(mean_bce(0.0))
    0.6931471805599453
    >>> print(round(float(mean_bce(-8.0)), 6), round(float(mean_bce(-9.0)), 6))
    11.203698 12.602235
    """
    z, _, y_arr, dtype = _setup(w, b, x, y)
    return finish(_mean(bce_with_logits(y_arr, z)), dtype)


def mean_mse_dw(w, b=0.0, x=None, y=None):
    r"""平均平方损失对权重的导数 :math:`\partial L_{\mathrm{MSE}} / \partial w`。

    .. seealso:: :doc:`/convexity`。

    Parameters
    ----------
    w, b, x, y : array_like
        同 :func:`mean_mse`。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        形状为 ``broadcast(w, b).shape`` 的导数；精度规则同 :func:`mean_mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内、形状无法广播，或没有样本。

    Notes
    -----
    链式法则，:math:`\partial z_i / \partial w = x_i`：

    .. math::

        \frac{\partial L_{\mathrm{MSE}}}{\partial w}
        = \frac1n \sum_{i=1}^{n} \bigl(\sigma(z_i) - y_i\bigr)\,\sigma(z_i)\,\sigma(-z_i)\,x_i ,

    其中逐样本的 :math:`\partial\ell/\partial z` 由 :func:`celoss.mse_grad` 给出。
    因子 :math:`\sigma(z)\sigma(-z)` 在 :math:`|z|` 大时趋于 0：平台上几乎没有梯度。
    各项正负都有，在导数的根附近只保证绝对误差（几个 ulp 乘以各项绝对值之和）。

    Examples
    --------
    >>> from celoss.lab.convexity import mean_mse_dw
    >>> print(round(float(mean_mse_dw(0.0)), 12))
    -0.15
    >>> print(f"{float(mean_mse_dw(-8.0)):.3g}")
    -0.00174
    """
    z, x_arr, y_arr, dtype = _setup(w, b, x, y)
    return finish(_mean(mse_grad(y_arr, z) * x_arr), dtype)


def mean_bce_dw(w, b=0.0, x=None, y=None):
    r"""平均交叉熵对权重的导数 :math:`\partial L_{\mathrm{BCE}} / \partial w`。

    .. seealso:: :doc:`/convexity`。

    Parameters
    ----------
    w, b, x, y : array_like
        同 :func:`mean_mse`。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        形状为 ``broadcast(w, b).shape`` 的导数；精度规则同 :func:`mean_mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内、形状无法广播，或没有样本。

    Notes
    -----
    .. math::

        \frac{\partial L_{\mathrm{BCE}}}{\partial w}
        = \frac1n \sum_{i=1}^{n} \bigl(\sigma(z_i) - y_i\bigr)\,x_i ,

    逐样本的 :math:`\sigma(z) - y` 由 :func:`celoss.bce_grad` 给出。每一项的大小与误差成正比，
    不会因 sigmoid 饱和而消失。各项正负都有，在根附近只保证绝对误差。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §4.3.2（式 4.91）。

    Examples
    --------
    >>> from celoss.lab.convexity import mean_bce_dw
    >>> print(round(float(mean_bce_dw(0.0)), 12))
    -0.6
    >>> print(f"{float(mean_bce_dw(-8.0)):.3g}")
    -1.4
    """
    z, x_arr, y_arr, dtype = _setup(w, b, x, y)
    return finish(_mean(bce_grad(y_arr, z) * x_arr), dtype)


def mean_mse_d2w(w, b=0.0, x=None, y=None):
    r"""平均平方损失对权重的二阶导数 :math:`\partial^2 L_{\mathrm{MSE}} / \partial w^2`。

    .. seealso:: :doc:`/convexity`。

    Parameters
    ----------
    w, b, x, y : array_like
        同 :func:`mean_mse`。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        形状为 ``broadcast(w, b).shape`` 的二阶导数，可以为负；精度规则同 :func:`mean_mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内、形状无法广播，或没有样本。

    Notes
    -----
    记 :math:`s = \sigma(z)`、:math:`t = \sigma(-z) = 1 - s`。由 :math:`s' = st`、
    :math:`(st)' = st(t - s)` 与 :math:`t - s = -\tanh(z/2)`：

    .. math::

        \frac{d}{dz}\Bigl[(s - y)\,st\Bigr]
        = (st)^2 + (s - y)\,st\,(t - s)
        = (st)^2 - \bigl[(s - y)\,st\bigr]\tanh\frac z2 ,

        \frac{\partial^2 L_{\mathrm{MSE}}}{\partial w^2}
        = \frac1n \sum_{i=1}^{n} \Bigl[(s_i t_i)^2 - g_i \tanh\frac{z_i}{2}\Bigr] x_i^2 ,

    其中 :math:`g_i = (s_i - y_i)s_i t_i` 由 :func:`celoss.mse_grad` 给出。
    :math:`1 - 2s` 用 :math:`-\tanh(z/2)` 计算，:math:`z` 接近 0 时没有相消。

    第二项可以压过第一项：当模型把样本判错、且 :math:`|z|` 不太小时
    （例如 :math:`y = 1`、:math:`z < -\log 2` 时逐样本二阶导数为负），
    曲线向下弯——平均平方损失在 :math:`w` 上**不是**凸函数。

    References
    ----------
    .. [1] S. Boyd, L. Vandenberghe, *Convex Optimization*, Cambridge University Press,
           2004, §3.1.4 "Second-order conditions".
    .. [2] P. Auer, M. Herbster, M. K. Warmuth, "Exponentially many local minima for
           single neurons", *Advances in Neural Information Processing Systems 8*, 1996.

    Examples
    --------
    >>> from celoss.lab.convexity import mean_mse_d2w
    >>> print(round(float(mean_mse_d2w(0.0)), 12))
    0.20625
    >>> print(float(mean_mse_d2w(-1.0)) < 0)
    True
    """
    z, x_arr, y_arr, dtype = _setup(w, b, x, y)
    st = sigmoid(z) * sigmoid(-z)
    per_sample = st * st - mse_grad(y_arr, z) * np.tanh(0.5 * z)
    return finish(_mean(per_sample * x_arr * x_arr), dtype)


def mean_bce_d2w(w, b=0.0, x=None, y=None):
    r"""平均交叉熵对权重的二阶导数 :math:`\partial^2 L_{\mathrm{BCE}} / \partial w^2 \ge 0`。

    .. seealso:: :doc:`/convexity`。

    Parameters
    ----------
    w, b, x, y : array_like
        同 :func:`mean_mse`。

    Returns
    -------
    numpy.ndarray or numpy.float64 or numpy.float32
        形状为 ``broadcast(w, b).shape`` 的二阶导数，处处 :math:`\ge 0`；精度规则同 :func:`mean_mse`。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        参数含 NaN 或 ``±inf``、``y`` 不在 [0, 1] 内、形状无法广播，或没有样本。

    Notes
    -----
    对 :func:`mean_bce_dw` 再求一次导，:math:`y_i` 消失了：

    .. math::

        \frac{\partial^2 L_{\mathrm{BCE}}}{\partial w^2}
        = \frac1n \sum_{i=1}^{n} \sigma(z_i)\,\sigma(-z_i)\,x_i^2 \;\ge\; 0 .

    每一项都是非负数之积，所以平均交叉熵是 :math:`w` 的凸函数（对 :math:`(w, b)` 也是：
    海森矩阵 :math:`\frac1n\sum_i s_i t_i\,(x_i, 1)^{\mathsf T}(x_i, 1)` 半正定）。
    各项同号，结果有几个 ulp 的相对精度。

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer, 2006,
           §4.3.3 "Iterative reweighted least squares"（式 4.97）。
    .. [2] S. Boyd, L. Vandenberghe, *Convex Optimization*, Cambridge University Press,
           2004, §3.1.4.

    Examples
    --------
    >>> from celoss.lab.convexity import mean_bce_d2w
    >>> print(round(float(mean_bce_d2w(0.0)), 12))
    0.825
    >>> print(float(mean_bce_d2w(-1.0)) > 0)
    True
    """
    z, x_arr, _, dtype = _setup(w, b, x, y)
    st = sigmoid(z) * sigmoid(-z)
    return finish(_mean(st * x_arr * x_arr), dtype)
