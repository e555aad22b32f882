"""输入检查与中文错误信息：celoss 所有公开函数（以及书中的实验、图表）共用的唯一一处。

规则（也写在 API 页的「约定」一节）：

* 非数字（字符串、对象、复数、``None`` ……）→ ``TypeError``；
* NaN、取值越界、形状无法广播或违反形状规则 → ``ValueError``；
* 信息一律为中文，以参数名开头，并写出期望。

形状规则：参数按 numpy 规则广播，但广播后的形状必须等于其中某个参数的形状——一方可以
广播到另一方（标量标签、每个类别一个权重），两方都被拉伸（``(5,)`` 与 ``(5, 1)`` 得到
``(5, 5)``）则拒绝（:func:`shape_rule`）。

精度规则：参数中只要有 float64 数组就用 float64；否则只要有 float32（或 float16）
数组（含 numpy 标量）就用 float32；全是 Python 数字、列表或整数/布尔数组时用 float64。
整数标签不决定精度，所以 ``bce_with_logits(1, np.float32(3.0))`` 返回 float32；
由 ``np.float32`` 组成的 Python 列表先变成 float64 数组，得到 float64。计算一律用 float64。

公开函数的写法是「检查、调用计算核心（:mod:`celoss._kernels`）、收尾」：
:func:`elementwise` 按参数规格（:data:`PROBABILITY`、:data:`LOGIT`、:func:`interval` ……）
检查并对齐逐元素的参数，:func:`as_class_rows` 检查多分类的 logit，:func:`finish`
按 ``reduction`` 归约并换成结果精度。
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import numpy as np

from celoss._kernels import CHUNK, run_blocks

T = TypeVar("T")

__all__ = [
    "Spec",
    "PROBABILITY",
    "LOGIT",
    "FINITE",
    "interval",
    "Checked",
    "elementwise",
    "shape_rule",
    "as_scalar",
    "as_class_rows",
    "as_finite_class_rows",
    "is_hard",
    "check_reduction",
    "reduce",
    "finish_grad",
    "as_real",
    "check_finite",
    "check_unit_interval",
    "as_probability",
    "check_interval",
    "check_axis",
    "as_count",
    "as_positive",
    "check_choice",
    "check_rng",
    "as_binary_dataset",
    "as_labels",
    "check_rows_sum_to_one",
    "broadcast",
    "broadcast_shapes",
    "result_dtype",
    "finish",
]


def _describe(value: Any) -> str:
    """给错误信息用的简短描述：类型名，或截断后的 repr。"""
    if isinstance(value, np.ndarray):
        return f"dtype 为 {value.dtype} 的数组"
    return type(value).__name__


def _asarray(value: Any, name: str) -> np.ndarray:
    """``np.asarray(value)``；长短不一的嵌套列表报 ValueError，信息里写出参数名。"""
    try:
        return np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} 必须是形状规整的数组：{exc}") from None


def as_real(value: Any, name: str, *, nan: bool = True) -> np.ndarray:
    """把输入转成实数 ndarray（不改变精度），拒绝非数字与 NaN。

    Parameters
    ----------
    value : array_like
        待检查的输入。
    name : str
        参数名，写进错误信息。
    nan : bool, optional
        是否在这里查 NaN；调用者另有更省的办法查它时传 ``False``。

    Returns
    -------
    numpy.ndarray
        浮点数组；float32/float16 保持原精度，其余转为 float64。

    Raises
    ------
    TypeError
        输入不是实数或实数数组。
    ValueError
        输入含 NaN，或是长短不一的嵌套列表。

    Examples
    --------
    >>> as_real([1, 2], "z").dtype
    dtype('float64')
    >>> as_real("abc", "z")
    Traceback (most recent call last):
    ...
    TypeError: z 必须是实数或实数数组，收到 str
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} 必须是实数或实数数组，收到 {_describe(value)}")
    if isinstance(value, numbers.Number) and not isinstance(value, numbers.Real):
        raise TypeError(f"{name} 必须是实数或实数数组，收到复数 {value!r}")
    arr = _asarray(value, name)
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if arr.dtype.itemsize > 8:  # longdouble: celoss computes in float64
            arr = arr.astype(np.float64)
    else:
        raise TypeError(f"{name} 必须是实数或实数数组，收到 {_describe(value)}")
    if nan and _has_nan(arr):
        raise ValueError(f"{name} 不能包含 NaN")
    return arr


def _segments(arr: np.ndarray, fn: Callable[[np.ndarray], T]) -> list[T]:
    """对 ``arr`` 的几段连续的一维视图分别调用 ``fn``（大数组在线程间分配，见 :func:`celoss._kernels.run_blocks`）。

    用于检查：``fn`` 是归约（不建临时数组），结果与怎样分段无关。不连续的数组整个交给 ``fn``。
    """
    if not arr.flags.c_contiguous:
        return [fn(arr)]
    flat = arr.reshape(-1)
    return run_blocks(flat.size, CHUNK, lambda start, stop: fn(flat[start:stop]))


def _segment_sum(segment: np.ndarray) -> Any:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.add.reduce(segment, axis=None)


def _has_nan(arr: np.ndarray) -> bool:
    """NaN 会传进总和，所以先用不建临时数组的分段求和筛查；和是 NaN（也可能来自 inf − inf）时再逐个查。"""
    if arr.size == 0:
        return False
    if not any(np.isnan(total) for total in _segments(arr, _segment_sum)):
        return False
    return bool(np.isnan(arr).any())


def _segment_bounds(segment: np.ndarray) -> tuple[Any, Any]:
    return np.min(segment), np.max(segment)


def bounds(arr: np.ndarray) -> tuple[float, float]:
    """非空数组的 (最小值, 最大值)；有 NaN 时两者都是 NaN（比较都为假，调用者再细查）。"""
    parts = _segments(arr, _segment_bounds)
    return float(np.minimum.reduce([lo for lo, _ in parts])), float(np.maximum.reduce([hi for _, hi in parts]))


def _first_bad(arr: np.ndarray, bad: np.ndarray) -> str:
    return repr(float(arr[bad].flat[0]))


def check_finite(arr: np.ndarray, name: str) -> np.ndarray:
    """要求所有元素有限（不是 ±inf）。

    Examples
    --------
    >>> check_finite(np.array([1.0, np.inf]), "z")
    Traceback (most recent call last):
    ...
    ValueError: z 必须是有限实数，收到 inf
    """
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"{name} 必须是有限实数，收到 {_first_bad(arr, bad)}")
    return arr


def check_unit_interval(arr: np.ndarray, name: str) -> np.ndarray:
    """要求所有元素在闭区间 [0, 1] 内（概率或软标签）。

    Examples
    --------
    >>> check_unit_interval(np.array([0.2, 1.5]), "y_hat")
    Traceback (most recent call last):
    ...
    ValueError: y_hat 必须在 [0, 1] 区间内，收到 1.5
    """
    bad = (arr < 0) | (arr > 1)
    if bad.any():
        raise ValueError(f"{name} 必须在 [0, 1] 区间内，收到 {_first_bad(arr, bad)}")
    return arr


def as_probability(value: Any, name: str) -> np.ndarray:
    """``as_real`` 加 ``check_unit_interval``：概率、软标签一类的参数都这样检查。

    Examples
    --------
    >>> as_probability([0.0, 1.0], "p").dtype
    dtype('float64')
    >>> as_probability(-0.5, "p")
    Traceback (most recent call last):
    ...
    ValueError: p 必须在 [0, 1] 区间内，收到 -0.5
    """
    return check_unit_interval(as_real(value, name), name)


def _bound(x: float) -> str:
    return "∞" if x == np.inf else "-∞" if x == -np.inf else f"{x:g}"


def check_interval(arr: np.ndarray, name: str, low: float, high: float, *, closed: str = "both") -> np.ndarray:
    """要求所有元素在区间内；``closed`` 为 ``"both"``、``"left"``、``"right"`` 或 ``"neither"``。

    用于 ``gamma``、``pos_weight``、``eps`` 这类有取值范围的参数；无穷端点写 ``np.inf``。

    Examples
    --------
    >>> check_interval(np.array([2.0, -1.0]), "gamma", 0, np.inf, closed="left")
    Traceback (most recent call last):
    ...
    ValueError: gamma 必须在 [0, ∞) 区间内，收到 -1.0
    >>> check_interval(np.array(0.0), "pos_weight", 0, np.inf, closed="neither")
    Traceback (most recent call last):
    ...
    ValueError: pos_weight 必须在 (0, ∞) 区间内，收到 0.0
    """
    left = closed in ("both", "left")
    right = closed in ("both", "right")
    bad = ~(((arr >= low) if left else (arr > low)) & ((arr <= high) if right else (arr < high)))
    if bad.any():
        interval = f"{'[' if left else '('}{_bound(low)}, {_bound(high)}{']' if right else ')'}"
        raise ValueError(f"{name} 必须在 {interval} 区间内，收到 {_first_bad(arr, bad)}")
    return arr


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    """检查轴号（整数，在 [−ndim, ndim) 内），返回非负的轴号。

    Examples
    --------
    >>> check_axis(-1, 2)
    1
    >>> check_axis(2, 2)
    Traceback (most recent call last):
    ...
    ValueError: axis 超出范围：数组只有 2 维，axis 须在 [-2, 2) 内，收到 2
    >>> check_axis(1.0, 2)
    Traceback (most recent call last):
    ...
    TypeError: axis 必须是整数，收到 float
    """
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} 必须是整数，收到 {_describe(axis)}")
    axis = int(axis)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} 超出范围：数组只有 {ndim} 维，{name} 须在 [{-ndim}, {ndim}) 内，收到 {axis}")
    return axis % ndim


def as_count(value: Any, name: str, minimum: int) -> int:
    """检查一个整数参数（如类别数 ``num_classes``）不小于 ``minimum``，返回 Python ``int``。

    Examples
    --------
    >>> as_count(3, "num_classes", 2)
    3
    >>> as_count(1, "num_classes", 2)
    Traceback (most recent call last):
    ...
    ValueError: num_classes 必须是不小于 2 的整数，收到 1
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} 必须是整数，收到 {_describe(value)}")
    if value < minimum:
        raise ValueError(f"{name} 必须是不小于 {minimum} 的整数，收到 {int(value)}")
    return int(value)


def as_positive(value: Any, name: str) -> float:
    """检查一个标量参数（如学习率 ``lr``）是有限的正数，返回 Python ``float``。

    Examples
    --------
    >>> as_positive(0.5, "lr")
    0.5
    >>> as_positive(0, "lr")
    Traceback (most recent call last):
    ...
    ValueError: lr 必须是正数，收到 0.0
    """
    arr = check_finite(as_real(value, name), name)
    if arr.ndim != 0:
        raise ValueError(f"{name} 必须是一个数（标量），收到形状为 {arr.shape} 的数组")
    if arr <= 0:
        raise ValueError(f"{name} 必须是正数，收到 {float(arr)!r}")
    return float(arr)


def as_finite_class_rows(z: Any, axis: Any) -> tuple[np.ndarray, int]:
    """检查一组多类 logit：有限实数、至少一维、类别轴非空；返回数组（精度不变）与非负的类别轴号。

    与 :func:`as_class_rows` 不同：不接受 ``-inf``，也不转成 float64（数值一章的朴素写法要在 float32 里算）。

    Examples
    --------
    >>> z, pos = as_finite_class_rows([[1.0, 2.0]], -1)
    >>> z.shape, pos
    ((1, 2), 1)
    >>> as_finite_class_rows(1.0, -1)
    Traceback (most recent call last):
    ...
    ValueError: z 至少要有一维：类别轴 axis 上的各个 logit
    """
    z_arr = check_finite(as_real(z, "z"), "z")
    if z_arr.ndim == 0:
        raise ValueError("z 至少要有一维：类别轴 axis 上的各个 logit")
    pos = check_axis(axis, z_arr.ndim)
    if z_arr.shape[pos] == 0:
        raise ValueError(f"z 的类别轴（axis={axis}）长度为 0：至少要有一个类别")
    return z_arr, pos


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """检查一个字符串参数是 ``choices`` 之一。

    Examples
    --------
    >>> check_choice("bce", "loss", ("mse", "bce"))
    'bce'
    >>> check_choice("l1", "loss", ("mse", "bce"))
    Traceback (most recent call last):
    ...
    ValueError: loss 必须是 'mse'、'bce' 之一，收到 'l1'
    """
    if not isinstance(value, str) or value not in choices:
        options = "、".join(repr(c) for c in choices)
        raise ValueError(f"{name} 必须是 {options} 之一，收到 {value!r}")
    return value


def check_rng(rng: Any) -> np.random.Generator:
    """检查 ``rng`` 是 ``numpy.random.Generator``：celoss 的实验只从传入的生成器取随机数。

    Examples
    --------
    >>> rng = check_rng(np.random.default_rng(0))
    >>> type(rng).__name__
    'Generator'
    >>> check_rng(0)
    Traceback (most recent call last):
    ...
    TypeError: rng 必须是 numpy.random.Generator（例如 numpy.random.default_rng(0)），收到 int
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng 必须是 numpy.random.Generator（例如 numpy.random.default_rng(0)），收到 {type(rng).__name__}"
        )
    return rng


def as_binary_dataset(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """检查二分类数据集：``X`` 是非空的 (样本数, 特征数) 有限实数组，``y`` 是等长的 0/1 标签。

    两者都以 float64 返回。

    Examples
    --------
    >>> X, y = as_binary_dataset([[0.0, 1.0], [2.0, 3.0]], [0, 1])
    >>> X.shape, y.dtype
    ((2, 2), dtype('float64'))
    >>> as_binary_dataset([[0.0, 1.0]], [0.5])
    Traceback (most recent call last):
    ...
    ValueError: y 必须是 0/1 标签（准确率只对硬标签有定义）
    """
    X = check_finite(as_real(X, "X"), "X").astype(np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X 必须是形状为 (样本数, 特征数) 的非空二维数组，收到形状 {X.shape}")
    y = as_probability(y, "y").astype(np.float64)
    if y.shape != (X.shape[0],):
        raise ValueError(f"y 必须是长度为 {X.shape[0]} 的一维数组（与 X 的行数相同），收到形状 {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y 必须是 0/1 标签（准确率只对硬标签有定义）")
    return X, y


def as_labels(value: Any, name: str, num_classes: int) -> np.ndarray:
    """把整数类别标签转成 ``intp`` 数组，要求 0 ≤ 标签 < ``num_classes``。

    布尔值、字符串、复数等 → ``TypeError``；浮点数（哪怕是 2.0 这样的整数值）→ ``ValueError``，
    因为类别标签按 dtype 识别，浮点数组表示概率。

    Examples
    --------
    >>> as_labels([0, 2], "target", 3)
    array([0, 2])
    >>> as_labels([0, 3], "target", 3)
    Traceback (most recent call last):
    ...
    ValueError: target 必须是 [0, 3) 内的整数类别标签，收到 3
    >>> as_labels(1.5, "target", 3)
    Traceback (most recent call last):
    ...
    ValueError: target 作为类别标签必须是整数 dtype，收到 float
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} 必须是整数类别标签，收到 {_describe(value)}")
    arr = _asarray(value, name)
    kind = arr.dtype.kind
    if kind == "f":
        raise ValueError(f"{name} 作为类别标签必须是整数 dtype，收到 {_describe(value)}")
    if kind not in "iu":
        raise TypeError(f"{name} 必须是整数类别标签，收到 {_describe(value)}")
    bad = (arr < 0) | (arr >= num_classes)
    if bad.any():
        raise ValueError(f"{name} 必须是 [0, {num_classes}) 内的整数类别标签，收到 {arr[bad].flat[0]}")
    return arr.astype(np.intp)


def check_rows_sum_to_one(arr: np.ndarray, name: str, axis: int = -1) -> np.ndarray:
    """要求沿 ``axis`` 的每一行之和为 1，容差为 ``arr`` 精度的 ε 的平方根。

    容差：float64 约 1.5e-8，float32 约 3.5e-4（用半数有效数字判断"这是概率行"，
    而不苛求用户的输入恰好舍入到 1）。

    Examples
    --------
    >>> check_rows_sum_to_one(np.array([[0.25, 0.75], [0.5, 0.6]]), "target")
    Traceback (most recent call last):
    ...
    ValueError: target 的每一行（沿 axis=-1）之和必须为 1（容差 1.5e-08），收到和为 1.1000000000000001 的行
    """
    tol = float(np.sqrt(np.finfo(arr.dtype).eps))
    sums = np.asarray(np.sum(arr, axis=axis, dtype=np.float64))
    bad = ~(np.abs(sums - 1.0) <= tol)
    if bad.any():
        raise ValueError(
            f"{name} 的每一行（沿 axis={axis}）之和必须为 1（容差 {tol:.2g}），"
            f"收到和为 {float(sums[bad].flat[0]):.17g} 的行"
        )
    return arr


def broadcast(arrays: dict[str, np.ndarray]) -> list[np.ndarray]:
    """按 numpy 规则广播若干数组；失败时给出带参数名与形状的中文信息。

    Examples
    --------
    >>> broadcast({"y": np.zeros(3), "z": np.zeros(4)})
    Traceback (most recent call last):
    ...
    ValueError: y 与 z 的形状无法广播：(3,) 与 (4,)
    """
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        names = " 与 ".join(arrays)
        shapes = " 与 ".join(str(a.shape) for a in arrays.values())
        raise ValueError(f"{names} 的形状无法广播：{shapes}") from None


def broadcast_shapes(shapes: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """按 numpy 规则广播若干形状（不建数组）；失败时的中文信息与 :func:`broadcast` 相同。

    Examples
    --------
    >>> broadcast_shapes({"target": (2, 1), "z": (3,)})
    (2, 3)
    >>> broadcast_shapes({"target": (2,), "z": (3,)})
    Traceback (most recent call last):
    ...
    ValueError: target 与 z 的形状无法广播：(2,) 与 (3,)
    """
    try:
        return np.broadcast_shapes(*shapes.values())
    except ValueError:
        names = " 与 ".join(shapes)
        given = " 与 ".join(str(tuple(s)) for s in shapes.values())
        raise ValueError(f"{names} 的形状无法广播：{given}") from None


def result_dtype(*originals: Any) -> np.dtype:
    """按模块说明的规则决定结果精度（参数是用户传入的原始对象）。

    Examples
    --------
    >>> result_dtype(1, np.float32(2.0))
    dtype('float32')
    >>> result_dtype(np.ones(2, np.float32), np.ones(2))
    dtype('float64')
    """
    single = False
    for value in originals:
        dtype = getattr(value, "dtype", None)
        if dtype is None or not isinstance(value, (np.ndarray, np.generic)):
            continue
        if dtype.kind == "f":
            if dtype.itemsize >= 8:
                return np.dtype(np.float64)
            single = True
    return np.dtype(np.float32 if single else np.float64)


def finish(
    out: np.ndarray, dtype: np.dtype, reduction: str = "none", denominator: float | None = None
) -> Any:  # an array, or a numpy scalar when the result is 0-d
    """收尾：按 ``reduction`` 归约 float64 的结果，再换成目标精度；0 维结果返回 numpy 标量。

    ``reduction`` 须先经 :func:`check_reduction` 检查。``"mean"`` 除以 ``denominator``
    （默认是元素个数）；分母为 0（空数组、全部被忽略）时结果是 NaN，与 PyTorch 相同。
    float32 结果只在真值超出 float32 范围时溢出成 ±inf，这是正确的舍入，不发警告。

    Examples
    --------
    >>> finish(np.array([1.0, 2.0]), np.dtype(np.float32), "mean")
    np.float32(1.5)
    """
    reduced = reduce(np.asarray(out), reduction, denominator)
    with np.errstate(over="ignore"):
        out = np.asarray(reduced).astype(dtype, copy=False)
    return out[()] if out.ndim == 0 else out


def finish_grad(
    grad: np.ndarray, dtype: np.dtype, reduction: str = "none", denominator: float | None = None
) -> Any:  # an array, or a numpy scalar when the result is 0-d
    """梯度的收尾：``reduction="mean"`` 的损失对每个元素的导数要除以同一个分母，其余不变。

    Examples
    --------
    >>> finish_grad(np.array([1.0, 2.0]), np.dtype(np.float64), "mean")
    array([0.5, 1. ])
    """
    if reduction == "mean":
        count = grad.size if denominator is None else denominator
        with np.errstate(invalid="ignore", divide="ignore"):
            grad = grad / np.float64(count) if count else np.full(grad.shape, np.nan)
    return finish(grad, dtype)


REDUCTIONS = ("none", "mean", "sum")


def check_reduction(reduction: Any) -> str:
    """检查 ``reduction`` 是 ``"none"``、``"mean"``、``"sum"`` 之一。

    Examples
    --------
    >>> check_reduction("mean")
    'mean'
    >>> check_reduction("avg")
    Traceback (most recent call last):
    ...
    ValueError: reduction 必须是 'none'、'mean'、'sum' 之一，收到 'avg'
    """
    return check_choice(reduction, "reduction", REDUCTIONS)


def reduce(values: np.ndarray, reduction: str, denominator: float | None = None) -> np.ndarray | np.floating:
    """``"none"`` 原样返回；``"sum"`` 求总和；``"mean"`` 求总和再除以 ``denominator``（默认元素个数）。"""
    if reduction == "none":
        return values
    total = np.sum(values, dtype=np.float64)
    if reduction == "sum":
        return total
    count = values.size if denominator is None else denominator
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.float64(total) / np.float64(count) if count else np.float64(np.nan)


# --- 形状规则与参数规格 --------------------------------------------------------------------------


def shape_rule(shapes: dict[str, tuple[int, ...]]) -> tuple[int, ...]:
    """广播若干形状，并要求结果等于其中某个参数的形状（见模块说明）。

    失败时的信息以第一个参数名开头，写出各参数的形状与广播结果。

    Examples
    --------
    >>> shape_rule({"y": (), "z": (3,)})
    (3,)
    >>> shape_rule({"y": (5,), "z": (5, 1)})
    Traceback (most recent call last):
    ...
    ValueError: y 与 z 的形状 (5,) 与 (5, 1) 会广播成
    (5, 5)，与每个参数的形状都不同；celoss 只允许一方广播到另一方的形状（例如标量标签），请先把形状对齐
    """
    result = broadcast_shapes(shapes)
    if any(tuple(shape) == result for shape in shapes.values()):
        return result
    names = " 与 ".join(shapes)
    given = " 与 ".join(str(tuple(s)) for s in shapes.values())
    raise ValueError(
        f"{names} 的形状 {given} 会广播成 {result}，与每个参数的形状都不同；"
        "celoss 只允许一方广播到另一方的形状（例如标量标签），请先把形状对齐"
    )


@dataclass(frozen=True)
class Spec:
    """一个参数的规格：``kind`` 是 ``"probability"``（[0, 1] 内）、``"logit"``（实数，可为 ±inf）、
    ``"finite"``（有限实数）或 ``"interval"``（有限端点见 ``low``、``high``、``closed``）。"""

    kind: str
    low: float = -np.inf
    high: float = np.inf
    closed: str = "both"

    def check(self, value: Any, name: str) -> np.ndarray:
        """按规格检查并转换，返回保留原精度的浮点数组。"""
        if self.kind == "probability":
            arr = as_real(value, name, nan=False)
            if arr.size == 0:
                return arr
            low, high = bounds(arr)  # 两次不建临时数组的归约；NaN 让两个比较都不成立
            if low >= 0 and high <= 1:
                return arr
            if _has_nan(arr):
                raise ValueError(f"{name} 不能包含 NaN")
            return check_unit_interval(arr, name)
        arr = as_real(value, name)
        if self.kind == "finite":
            return check_finite(arr, name)
        if self.kind == "interval":
            return check_interval(arr, name, self.low, self.high, closed=self.closed)
        return arr


#: [0, 1] 内的概率或标签（0/1 硬标签、软标签）
PROBABILITY = Spec("probability")
#: logit：任意实数，``±inf`` 按极限处理
LOGIT = Spec("logit")
#: 有限实数
FINITE = Spec("finite")


def interval(low: float, high: float, closed: str = "both") -> Spec:
    """取值在区间内的参数（``pos_weight``、``gamma`` ……）；``closed`` 同 :func:`check_interval`。"""
    return Spec("interval", low, high, closed)


class Checked(NamedTuple):
    """:func:`elementwise` 的结果：float64 数组（形状相同）、结果精度、结果形状。"""

    arrays: list[np.ndarray]
    dtype: np.dtype
    shape: tuple[int, ...]


def elementwise(**args: tuple[Any, Spec | None]) -> Checked:
    """检查逐元素函数的参数：每个参数是 ``(值, 规格)``，规格为 ``None`` 的参数跳过（例如 ``alpha=None``）。

    按规格检查，按形状规则对齐（不复制数据），转成 float64；结果精度按模块说明的规则由原始参数决定。

    Examples
    --------
    >>> checked = elementwise(y=(1, PROBABILITY), z=([0.5, 2.0], LOGIT))
    >>> checked.shape, checked.dtype, checked.arrays[0]
    ((2,), dtype('float64'), array([1., 1.]))
    >>> elementwise(y=(1.5, PROBABILITY))
    Traceback (most recent call last):
    ...
    ValueError: y 必须在 [0, 1] 区间内，收到 1.5
    """
    given = {name: (value, spec) for name, (value, spec) in args.items() if spec is not None}
    arrays = {name: spec.check(value, name) for name, (value, spec) in given.items()}
    shape = shape_rule({name: a.shape for name, a in arrays.items()})
    out = []
    for given_array in arrays.values():
        a = given_array.astype(np.float64, copy=False)
        out.append(a if a.shape == shape else np.broadcast_to(a, shape))
    return Checked(out, result_dtype(*(value for value, _ in given.values())), shape)


def is_hard(arr: np.ndarray) -> bool:
    """所有元素都恰好是 0 或 1（硬标签）吗？NaN 与越界的值都不是。

    Examples
    --------
    >>> is_hard(np.array([0.0, 1.0])), is_hard(np.array([0.0, 0.5]))
    (True, False)
    """
    if arr.dtype == np.bool_:
        return True
    if arr.size and not any(arr.strides):  # 一个值广播出来的（标量标签）
        value = arr[(0,) * arr.ndim]
        return bool(value in (0, 1))
    if not arr.flags.c_contiguous:
        return bool(np.logical_or(arr == 0, arr == 1).all())
    flat = arr.reshape(-1)
    found_soft = threading.Event()  # 一个线程找到软标签，其余线程就不必再查

    def hard(first: int, stop: int) -> bool:
        for start in range(first, stop, CHUNK):
            block = flat[start : min(start + CHUNK, stop)]
            if found_soft.is_set():
                return False
            if not np.logical_or(block == 0, block == 1).all():
                found_soft.set()
                return False
        return True

    return all(run_blocks(flat.size, CHUNK, hard))


def as_scalar(
    value: Any, name: str, low: float = -np.inf, high: float = np.inf, *, closed: str = "both"
) -> float:
    """检查一个标量参数（0 维、实数、有限、在区间内），返回 Python ``float``。

    ``closed`` 同 :func:`check_interval`；无穷端点写 ``np.inf``，此时 ``±inf`` 本身也被拒绝。

    Examples
    --------
    >>> as_scalar(0.1, "label_smoothing", 0, 1)
    0.1
    >>> as_scalar([0.1, 0.2], "label_smoothing", 0, 1)
    Traceback (most recent call last):
    ...
    ValueError: label_smoothing 必须是一个数（标量），收到形状为 (2,) 的数组
    >>> as_scalar(0.0, "lr", 0, np.inf, closed="neither")
    Traceback (most recent call last):
    ...
    ValueError: lr 必须在 (0, ∞) 区间内，收到 0.0
    """
    arr = as_real(value, name)
    if arr.ndim != 0:
        raise ValueError(f"{name} 必须是一个数（标量），收到形状为 {arr.shape} 的数组")
    check_finite(arr, name)
    return float(check_interval(arr.astype(np.float64), name, low, high, closed=closed))


def as_class_rows(z: Any, axis: Any = -1) -> tuple[np.ndarray, int]:
    """检查多分类的 logit：实数、至少一维、类别轴非空；允许 ``-inf`` （被屏蔽的类别）。

    ``+inf`` 与 NaN 被拒绝，每一行至少要有一个有限的 logit。返回 float64 的 logit（原布局）
    与从末尾数的类别轴号（负数）。

    Examples
    --------
    >>> rows, class_axis = as_class_rows([[0.0, -np.inf], [1.0, 2.0]], axis=1)
    >>> rows.dtype, class_axis
    (dtype('float64'), -1)
    >>> as_class_rows([[-np.inf, -np.inf]])
    Traceback (most recent call last):
    ...
    ValueError: z 有一行全是 -inf（沿 axis=-1）：至少要有一个类别不被屏蔽
    """
    z_arr = as_real(z, "z", nan=False)
    if z_arr.ndim == 0:
        raise ValueError("z 至少要有一维：类别轴 axis 上的各个 logit")
    pos = check_axis(axis, z_arr.ndim)
    if z_arr.shape[pos] == 0:
        raise ValueError(f"z 的类别轴（axis={axis}）长度为 0：至少要有一个类别")
    if z_arr.size:  # 两次归约代替三次逐元素检查：NaN 会传到 max 里
        low, top = bounds(z_arr)
        if np.isnan(top):
            raise ValueError("z 不能包含 NaN")
        if top == np.inf:
            raise ValueError("z 不能含 +inf（-inf 表示被屏蔽的类别，可以使用）")
        if low == -np.inf and np.isneginf(z_arr).all(axis=pos).any():
            raise ValueError(f"z 有一行全是 -inf（沿 axis={axis}）：至少要有一个类别不被屏蔽")
    return z_arr.astype(np.float64, copy=False), pos - z_arr.ndim
