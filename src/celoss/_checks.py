"""输入检查与中文错误信息：celoss 所有公开函数共用的唯一一处。

规则（见 README 与 issue 2）：

* 非数字（字符串、对象、复数、``None`` ……）→ ``TypeError``；
* NaN、取值越界、形状无法广播 → ``ValueError``；
* 信息一律为中文，并写出参数名与期望。

精度规则：参数中只要有 float64 数组就用 float64；否则只要有 float32（或 float16）
数组就用 float32；全是 Python 数字或整数/布尔数组时用 float64。整数标签不决定精度，
所以 ``bce_with_logits(1, np.float32(3.0))`` 返回 float32。
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_real",
    "check_finite",
    "check_unit_interval",
    "as_probability",
    "broadcast",
    "result_dtype",
    "finish",
]


def _describe(value) -> str:
    """给错误信息用的简短描述：类型名，或截断后的 repr。"""
    if isinstance(value, np.ndarray):
        return f"dtype 为 {value.dtype} 的数组"
    return type(value).__name__


def as_real(value, name: str) -> np.ndarray:
    """把输入转成实数 ndarray（不改变精度），拒绝非数字与 NaN。

    Parameters
    ----------
    value : array_like
        待检查的输入。
    name : str
        参数名，写进错误信息。

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
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} 必须是形状规整的数组：{exc}") from None
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.float64)
    elif kind == "f":
        if arr.dtype.itemsize > 8:  # longdouble: celoss computes in float64
            arr = arr.astype(np.float64)
    else:
        raise TypeError(f"{name} 必须是实数或实数数组，收到 {_describe(value)}")
    if np.isnan(arr).any():
        raise ValueError(f"{name} 不能包含 NaN")
    return arr


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


def as_probability(value, name: str) -> np.ndarray:
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


def result_dtype(*originals) -> np.dtype:
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


def finish(out: np.ndarray, dtype: np.dtype):
    """把 float64 的计算结果转成目标精度；0 维结果返回 numpy 标量。"""
    out = np.asarray(out).astype(dtype, copy=False)
    return out[()] if out.ndim == 0 else out
