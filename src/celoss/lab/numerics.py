r"""「数值稳定性」一章的对照表：朴素写法与稳定写法在极端 logit 处的结果，以及与参考值的 ulp 误差。

.. seealso:: :doc:`/numerics`。

* :func:`stability_table` —— 在一组 logit 处并排列出各种写法的结果，标出 inf、NaN、
  错误的 0 与不准的值；
* :func:`agreement_table` —— celoss 与 :mod:`celoss.lab.reference` 的参考值逐点对照（库的精度验收）；
* :func:`ulp_survey` —— 在几千个随机点上统计误差（以 ulp 计）的最大值与高百分位。

公式来自 :mod:`celoss.lab.naive` 与 ``celoss``，参考值来自 :mod:`celoss.lab.reference`，
表格由 :mod:`celoss.lab.tables` 渲染。
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from celoss._checks import as_count, as_probability, as_real, as_scalar, check_finite
from celoss.lab.naive import (
    as_float_dtype,
    bce_with_logits_max_form,
    clipped_bce_from_logits,
    log1p_cross_entropy,
    naive_bce_from_logits,
    naive_softmax,
    shifted_log_sum_exp,
    softplus_bce,
)
from celoss.lab.reference import reference_bce_with_logits, reference_cross_entropy, ulp_error
from celoss.lab.tables import (
    COMPACT_CELL,
    COMPACT_HEAD,
    COMPACT_TABLE,
    Cell,
    html_table,
    markdown_table,
    scrollable,
    text_table,
)
from celoss.losses import bce_with_logits
from celoss.multiclass import cross_entropy

__all__ = [
    "EXTREME_LOGITS",
    "STATUS_NOTES",
    "StabilityColumn",
    "StabilityTable",
    "stability_table",
    "AGREEMENT_POINTS",
    "AgreementTable",
    "agreement_table",
    "SURVEY_ROWS",
    "UlpSurvey",
    "ulp_survey",
]

#: 对照表默认使用的极端 logit：±10、±20、±40、±100、±800、±10⁴。
EXTREME_LOGITS = (-1e4, -800.0, -100.0, -40.0, -20.0, -10.0, 10.0, 20.0, 40.0, 100.0, 800.0, 1e4)


#: 单元格状态的中文说明（HTML 表格里悬停可见，也用于文字表的标记）。
STATUS_NOTES = {
    "ok": "相对误差不超过 0.1%",
    "inaccurate": "相对误差超过 0.1%",
    "zero": "精确值在该精度下不为 0，结果却是 0",
    "inf": "精确值有限，结果却是 inf",
    "nan": "结果是 NaN",
}

#: 表格的两种内容：kind → 表格标题。
_KINDS = {
    "bce": "二元交叉熵 −log σ(z)（y = 1）",
    "cross_entropy": "softmax 交叉熵 −log softmax(z, 0, 0)₀",
}


def _formulas(kind: str):
    if kind == "bce":
        return (
            ("朴素", lambda z: naive_bce_from_logits(1, z)),
            ("截断到 δ", lambda z: clipped_bce_from_logits(1, z)),
            ("稳定公式", lambda z: softplus_bce(1, z)),
        )

    def rows(z):
        return np.stack([z, np.zeros_like(z), np.zeros_like(z)], axis=-1)

    def naive(z):
        with np.errstate(all="ignore"):
            return -np.log(naive_softmax(rows(z))[..., 0])

    def shifted(z):
        r = rows(z)
        return shifted_log_sum_exp(r) - r[..., 0]

    return (
        ("朴素", naive),
        ("减最大值", shifted),
        ("加 log1p", lambda z: log1p_cross_entropy(rows(z))),
    )


def _exact(kind: str, z: float, digits: int) -> Decimal:
    if kind == "bce":
        return reference_bce_with_logits(1, z, digits=digits)
    return reference_cross_entropy(0, [z, 0.0, 0.0], digits=digits)


def _status(value: float, exact: Decimal, dtype: np.dtype) -> str:
    """单元格的状态；与正确舍入的值相差不超过 1 ulp 的结果总算作 ``"ok"`` （含次正规数）。"""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf"
    rounded = np.array(float(exact)).astype(dtype)  # float(exact) 在 float64 范围外下溢成 0
    if value == 0:
        return "ok" if rounded == 0 else "zero"
    if abs(np.array(value).astype(dtype) - rounded) <= np.spacing(rounded):
        return "ok"
    ctx = decimal.Context(prec=30, Emin=decimal.MIN_EMIN, Emax=decimal.MAX_EMAX)
    rel = ctx.abs(ctx.divide(ctx.subtract(Decimal(value), exact), exact)) if exact else Decimal(1)
    return "ok" if rel <= Decimal("1e-3") else "inaccurate"


def _fmt(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return "0" if value == 0 else f"{value:.4g}"


def _fmt_decimal(value: Decimal, digits: int) -> str:
    """与 Python 浮点数的 ``g`` 格式一致的写法，但不受浮点范围限制（1.135e-4343 也能写出）。"""
    if value == 0:
        return "0"
    value = decimal.Context(prec=digits).plus(value)
    exponent = value.adjusted()
    if -4 <= exponent < digits:
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    mantissa = f"{value.scaleb(-exponent, decimal.Context(prec=digits)):f}"
    mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
    return f"{mantissa}e{exponent:+03d}"


def _fmt_exact(value: Decimal) -> str:
    return _fmt_decimal(value, 4)


_CELL_STYLE = {
    "ok": "",
    "inaccurate": "color: #b35c00; font-weight: 600",
    "zero": "color: #c0392b; font-weight: 600",
    "inf": "color: #c0392b; font-weight: 600",
    "nan": "color: #c0392b; font-weight: 600",
}


@dataclass(frozen=True)
class StabilityColumn:
    """:class:`~celoss.lab.numerics.StabilityTable` 的一列：一种写法在一种精度下的结果。"""

    formula: str
    dtype: str
    values: np.ndarray
    status: tuple[str, ...]


@dataclass(frozen=True)
class StabilityTable:
    """:func:`~celoss.lab.numerics.stability_table` 的结果：每行一个 logit，每列一种写法与精度。

    .. seealso:: :doc:`/numerics`。

    在 Jupyter 或本书页面里作为单元格结果时显示为 HTML 表格（失效的单元格标红）；
    ``str()`` 给出纯文本表，失效的单元格后面加 ``!``。
    """

    kind: str
    title: str
    logits: np.ndarray
    exact: tuple[Decimal, ...]
    columns: tuple[StabilityColumn, ...]

    def column(self, formula: str, dtype) -> StabilityColumn:
        """按公式名与精度取一列。"""
        name = np.dtype(dtype).name
        for col in self.columns:
            if col.formula == formula and col.dtype == name:
                return col
        raise KeyError(f"没有这一列：{formula}，{name}")

    def failures(self, formula: str, dtype) -> list[tuple[float, str]]:
        """某一列中所有失效的单元格：[(z, 状态), …]，状态见 :data:`STATUS_NOTES`。"""
        col = self.column(formula, dtype)
        return [(float(z), s) for z, s in zip(self.logits, col.status, strict=True) if s != "ok"]

    @property
    def rows(self) -> list[dict]:
        """逐行的纯数据：``{"z": …, "exact": Decimal, (公式, 精度): (值, 状态), …}``。"""
        out = []
        for i, z in enumerate(self.logits):
            row: dict = {"z": float(z), "exact": self.exact[i]}
            for col in self.columns:
                row[(col.formula, col.dtype)] = (float(col.values[i]), col.status[i])
            out.append(row)
        return out

    def _plain(self) -> tuple[list[str], list[list[str]]]:
        header = ["z", "精确值"] + [f"{c.formula} {c.dtype}" for c in self.columns]
        body = [
            [f"{z:g}", _fmt_exact(self.exact[i])]
            + [_fmt(float(c.values[i])) + ("" if c.status[i] == "ok" else "!") for c in self.columns]
            for i, z in enumerate(self.logits)
        ]
        return header, body

    def __str__(self) -> str:
        return text_table(*self._plain())

    def _repr_markdown_(self) -> str:
        return markdown_table(*self._plain())

    def _repr_html_(self) -> str:
        dtypes = list(dict.fromkeys(c.dtype for c in self.columns))
        ordered = [c for d in dtypes for c in self.columns if c.dtype == d]
        header = ["z", "精确值", *(c.formula for c in ordered)]
        groups = [("", 2), *((d, sum(c.dtype == d for c in self.columns)) for d in dtypes)]
        rows = [
            [f"{z:g}", _fmt_exact(self.exact[i])]
            + [Cell(_fmt(float(c.values[i])), style=_CELL_STYLE[c.status[i]], title=STATUS_NOTES[c.status[i]],
                    data=(("status", c.status[i]),)) for c in ordered]
            for i, z in enumerate(self.logits)
        ]
        return scrollable(html_table(header, rows, cell_style=COMPACT_CELL, head_style=COMPACT_CELL,
                                     table_style=COMPACT_TABLE, kind=self.kind, groups=groups))


def stability_table(kind="bce", z=EXTREME_LOGITS, dtypes=("float32", "float64"), digits=30) -> StabilityTable:
    r"""在极端 logit 处并排计算朴素写法与稳定写法，标出哪些给出 inf、NaN、错误的 0 或不准的值。

    .. seealso:: :doc:`/numerics`。

    Parameters
    ----------
    kind : {"bce", "cross_entropy"}, optional
        ``"bce"``：标签 :math:`y = 1` 的二元交叉熵 :math:`-\log\sigma(z)`，三种写法是
        :func:`~celoss.lab.naive.naive_bce_from_logits`、
        :func:`~celoss.lab.naive.clipped_bce_from_logits` （δ 取机器精度）与稳定公式
        :func:`~celoss.lab.naive.softplus_bce`。``"cross_entropy"``：logit 为 :math:`(z, 0, 0)`、
        真实类别为第 0 类的 softmax 交叉熵，三种写法是 :math:`-\log` :func:`~celoss.lab.naive.naive_softmax`、
        :func:`~celoss.lab.naive.shifted_log_sum_exp` :math:`- z` 与 :func:`~celoss.lab.naive.log1p_cross_entropy`。
        每一列都在它那一列的精度里逐步计算（float32 的列真的用 float32 算）。
    z : array_like, optional
        一组有限的 logit，默认 :data:`EXTREME_LOGITS`。
    dtypes : sequence, optional
        计算精度，float32 和/或 float64，默认两者都算。
    digits : int, optional
        精确值（由 :func:`~celoss.lab.reference.reference_bce_with_logits` 或
        :func:`~celoss.lab.reference.reference_cross_entropy` 计算）的有效数字位数，默认 30。

    Returns
    -------
    StabilityTable
        每行一个 logit；每列一种写法在一种精度下的值与状态：``"ok"``、
        ``"inaccurate"`` （相对误差超过 0.1%）、``"zero"`` （精确值在该精度下不为 0）、
        ``"inf"``、``"nan"``。

    Raises
    ------
    TypeError
        ``z`` 不是实数，``dtypes`` 中有不是数据类型的元素。
    ValueError
        ``kind`` 未知，``z`` 含 NaN 或 ``±inf``，``dtypes`` 为空或含 float32/float64 以外的类型。

    Notes
    -----
    每个 logit 先转成该精度（这里的默认值在两种精度下都精确可表示），精确值按转换后的
    数计算，再判断结果：NaN、inf，以及精确值舍入到该精度后不为 0 而结果为 0 的情况算作失效；
    其余按相对误差是否超过 :math:`10^{-3}` 判断。朴素写法产生的上溢、下溢与无效运算都
    不发出警告，直接体现在表里。

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM, 2002,
           ch. 1–2.

    Examples
    --------
    >>> from celoss.lab.numerics import stability_table
    >>> t = stability_table("bce", z=[-100.0, 40.0])
    >>> t.failures("朴素", "float32")
    [(-100.0, 'inf'), (40.0, 'nan')]
    >>> t.failures("稳定公式", "float32"), t.failures("稳定公式", "float64")
    ([], [])
    >>> print(t)
       z     精确值  朴素 float32  截断到 δ float32  稳定公式 float32  朴素 float64  截断到 δ float64  稳定公式 float64
    -100        100          inf!            15.94!               100           100            36.04!               100
      40  4.248e-18          NaN!        1.192e-07!         4.248e-18          NaN!         2.22e-16!         4.248e-18
    """
    if kind not in _KINDS:
        raise ValueError(f"kind 必须是 {' 或 '.join(repr(k) for k in _KINDS)} 之一，收到 {kind!r}")
    z_arr = check_finite(as_real(z, "z"), "z").astype(np.float64).reshape(-1)
    if isinstance(dtypes, (str, np.dtype, type)):
        dtypes = (dtypes,)
    dts = [as_float_dtype(d) for d in dtypes]
    if not dts:
        raise ValueError("dtypes 不能为空：至少给出 float32 或 float64 之一")
    digits = as_count(digits, "digits", 1)
    columns = []
    exact_by_dtype = {}
    for dt in dts:
        z_dt = z_arr.astype(dt)
        exact_by_dtype[dt] = [_exact(kind, float(v), digits) for v in z_dt]
        for name, fn in _formulas(kind):
            values = np.asarray(fn(z_dt))
            status = tuple(_status(float(v), e, dt) for v, e in zip(values, exact_by_dtype[dt], strict=True))
            columns.append(StabilityColumn(name, dt.name, values, status))
    # 精确值一列按最宽的精度（float64 优先）给出
    shown = exact_by_dtype[np.dtype(np.float64)] if np.dtype(np.float64) in exact_by_dtype else exact_by_dtype[dts[0]]
    return StabilityTable(kind, _KINDS[kind], z_arr, tuple(shown), tuple(columns))


# --- celoss 与参考值的一致性 ---------------------------------------------------------------------

#: 默认的 (y, z) 检查点：硬标签、软标签，很小与很大的损失，接近 1 的软标签。
AGREEMENT_POINTS = (
    (1.0, 0.0), (1.0, 3.7), (0.3, -2.5), (1.0, 40.0), (0.0, 40.0), (1.0, -800.0),
    (0.0, 1e4), (0.5, 700.0), (0.9999999, 30.0), (1e-10, -36.0),
)


@dataclass(frozen=True)
class AgreementTable:
    """:func:`~celoss.lab.numerics.agreement_table` 的结果。

    每行一个 (y, z)，列出参考值、celoss 的值与各自的 ulp 误差。
    """

    y: np.ndarray
    z: np.ndarray
    reference: tuple[Decimal, ...]
    celoss64: np.ndarray
    ulp64: np.ndarray
    ulp32: np.ndarray
    max_form_ulp64: np.ndarray

    _HEADER = ("y", "z", "参考值（前 17 位）", "celoss float64", "float64 误差 (ulp)", "float32 误差 (ulp)",
               "max 形式误差 (ulp)")

    def _cells(self) -> list[list[str]]:
        return [
            [f"{self.y[i]:.10g}", f"{self.z[i]:g}", _fmt_decimal(self.reference[i], 17),
             repr(float(self.celoss64[i])), f"{self.ulp64[i]:.2g}", f"{self.ulp32[i]:.2g}",
             f"{self.max_form_ulp64[i]:.3g}"]
            for i in range(len(self.y))
        ]

    def __str__(self) -> str:
        return text_table(self._HEADER, self._cells())

    def _repr_markdown_(self) -> str:
        return markdown_table(self._HEADER, self._cells())

    def _repr_html_(self) -> str:
        return scrollable(html_table(self._HEADER, self._cells(), cell_style=COMPACT_CELL, head_style=COMPACT_HEAD,
                                     table_style=COMPACT_TABLE.replace("0.82em", "0.75em"), kind="agreement"))


def agreement_table(points=AGREEMENT_POINTS, digits=50) -> AgreementTable:
    r"""celoss 的 :func:`celoss.bce_with_logits` 与参考值逐点对照，误差以 ulp 计。

    参考值由 :func:`~celoss.lab.reference.reference_bce_with_logits` 以高精度算出。

    .. seealso:: :doc:`/numerics`。

    Parameters
    ----------
    points : sequence of (float, float), optional
        若干 (y, z)；y 在 [0, 1] 内，z 有限。默认 :data:`AGREEMENT_POINTS`。
    digits : int, optional
        参考值的有效数字位数，默认 50。

    Returns
    -------
    AgreementTable
        每行：y、z、参考值、celoss 的 float64 结果及其 ulp 误差；输入换成 float32 时 celoss 结果的
        ulp 误差（celoss 把 float32 输入换成 float64 计算、最后舍入一次到 float32；参考值按 float32
        输入的精确值另算，误差按 float32 的 ulp 衡量）；以及照字面在 float64 里计算的
        :func:`~celoss.lab.naive.bce_with_logits_max_form` 的 ulp 误差。

    Raises
    ------
    TypeError
        参数不是实数。
    ValueError
        ``points`` 不是 (y, z) 对的序列，y 不在 [0, 1] 内，或 z 不是有限数。

    Notes
    -----
    正确舍入的结果误差不超过 0.5 ulp；celoss 的公式由同号项相加，通常在 0 到 2 ulp 之间
    （默认的 10 个点只是手选的例子，随机点上的统计见 :func:`ulp_survey`）。
    max 形式在 :math:`y` 是接近 1 的软标签、:math:`z` 很大时要做相近数的相减，误差可以很大。

    References
    ----------
    .. [1] N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., SIAM, 2002.

    Examples
    --------
    >>> from celoss.lab.numerics import agreement_table
    >>> t = agreement_table([(1.0, 40.0), (0.0, 1e4)])
    >>> print(float(t.ulp64.max()) <= 2, float(t.ulp32.max()) <= 2)
    True True
    """
    pts = as_real(points, "points")
    if pts.ndim != 2 or pts.shape[1] != 2:
        raise ValueError(f"points 必须是 (y, z) 对的序列，形状 (n, 2)，收到形状 {pts.shape}")
    pts = pts.astype(np.float64)
    y, z = pts[:, 0], pts[:, 1]
    as_probability(y, "y")
    check_finite(z, "z")
    digits = as_count(digits, "digits", 1)
    ref64 = [reference_bce_with_logits(a, b, digits) for a, b in zip(y, z, strict=True)]
    got64 = np.asarray(bce_with_logits(y, z))
    y32, z32 = y.astype(np.float32), z.astype(np.float32)
    got32 = np.asarray(bce_with_logits(y32, z32))
    ref32 = [reference_bce_with_logits(float(a), float(b), digits) for a, b in zip(y32, z32, strict=True)]
    max_form = np.asarray(bce_with_logits_max_form(y, z))
    return AgreementTable(
        y=y, z=z, reference=tuple(ref64), celoss64=got64,
        ulp64=np.array([ulp_error(g, r) for g, r in zip(got64, ref64, strict=True)]),
        ulp32=np.array([ulp_error(g, r) for g, r in zip(got32, ref32, strict=True)]),
        max_form_ulp64=np.array([ulp_error(g, r) for g, r in zip(max_form, ref64, strict=True)]),
    )


# --- 随机点上的精度普查 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UlpSurvey:
    """:func:`~celoss.lab.numerics.ulp_survey` 的结果：每行一种（函数, 标签, 计算方式），列出 ulp 误差的统计。

    .. seealso:: :doc:`/numerics`。

    Attributes
    ----------
    rows : tuple of tuple
        每行 ``(名字, 点数, 最大 ulp, 百分位 ulp, 不超过 0.5 ulp 的比例)``。
    percentile : float
        百分位（例如 99）。
    errors : dict of str to numpy.ndarray
        每行的全部 ulp 误差。
    """

    rows: tuple[tuple[str, int, float, float, float], ...]
    percentile: float
    errors: dict

    def row(self, name: str) -> tuple[str, int, float, float, float]:
        """按名字取一行。"""
        for r in self.rows:
            if r[0] == name:
                return r
        raise KeyError(f"没有这一行：{name}")

    @property
    def _header(self) -> tuple[str, ...]:
        return ("函数与计算方式", "点数", "最大误差 (ulp)", f"{self.percentile:g}% 分位 (ulp)", "≤ 0.5 ulp 的比例")

    def _cells(self) -> list[list[str]]:
        return [[name, str(n), f"{mx:.3g}", f"{pc:.3g}", f"{100 * share:.1f}%"] for name, n, mx, pc, share in self.rows]

    def __str__(self) -> str:
        return text_table(self._header, self._cells())

    def _repr_markdown_(self) -> str:
        return markdown_table(self._header, self._cells())

    def _repr_html_(self) -> str:
        return scrollable(html_table(self._header, self._cells(), kind="ulp-survey"))


#: :func:`ulp_survey` 的行：(名字, 标签种类, 精度, 计算方式)。
SURVEY_ROWS = (
    ("bce_with_logits，硬标签，float64", "hard", "float64", "celoss"),
    ("bce_with_logits，软标签，float64", "soft", "float64", "celoss"),
    ("bce_with_logits，软标签，float32（float64 计算后舍入一次）", "soft", "float32", "celoss"),
    ("稳定公式逐步在 float32 里计算，软标签", "soft", "float32", "float32"),
    ("cross_entropy，4 类，float64", "classes", "float64", "celoss"),
    ("cross_entropy，4 类，float32（float64 计算后舍入一次）", "classes", "float32", "celoss"),
    ("log1p 写法逐步在 float32 里计算，4 类", "classes", "float32", "float32"),
)


def _survey_points(rng, n: int, kind: str):
    """随机点：|z| 在 [10⁻³, 10³] 上对数均匀、符号随机；标签为 0/1、[0, 1] 均匀，或 4 类 logit 行。"""
    size = (n, 4) if kind == "classes" else n
    z = rng.choice([-1.0, 1.0], size) * 10.0 ** rng.uniform(-3, 3, size)
    if kind == "classes":
        return None, z
    y = rng.integers(0, 2, n).astype(np.float64) if kind == "hard" else rng.uniform(0, 1, n)
    return y, z


def ulp_survey(n: int = 2000, seed: int = 0, *, percentile: float = 99.0, digits: int = 30) -> UlpSurvey:
    r"""在许多随机点上测量二元与多类交叉熵的误差（以 ulp 计），参考值来自 :mod:`celoss.lab.reference`。

    logit 的绝对值在 :math:`[10^{-3}, 10^{3}]` 上对数均匀地取、符号随机，覆盖从很小到很大的整个范围；
    二元交叉熵分硬标签（0/1）与软标签（[0, 1] 上均匀）两种，多类交叉熵取 4 类、真实类别为第 0 类。
    float32 的行先把输入舍入到 float32，参考值按舍入后的精确值计算，误差按 float32 的 ulp 衡量。
    「float64 计算后舍入一次」是 celoss 自己（:func:`celoss.bce_with_logits` 与 :func:`celoss.cross_entropy`
    把 float32 输入换成 float64 计算）；「逐步在 float32 里计算」是同一个稳定公式每一步都舍入到 float32
    （:func:`~celoss.lab.naive.softplus_bce`、:func:`~celoss.lab.naive.log1p_cross_entropy`），
    框架在 GPU 上就是这样算的。

    .. seealso:: :doc:`/numerics`。

    Parameters
    ----------
    n : int
        每一行的随机点数（至少 1）。
    seed : int
        随机种子；同一个种子给出同样的点。
    percentile : float
        报告的百分位，在 (0, 100] 内。
    digits : int
        参考值的十进制有效数字位数。

    Returns
    -------
    UlpSurvey
        每行：最大误差、百分位误差，以及误差不超过 0.5 ulp（即结果正是离精确值最近的浮点数）的比例。

    Raises
    ------
    TypeError
        参数类型不对。
    ValueError
        参数超出范围。

    Examples
    --------
    >>> from celoss.lab.numerics import ulp_survey
    >>> survey = ulp_survey(n=50)
    >>> name, points, worst, p99, share = survey.row("bce_with_logits，硬标签，float64")
    >>> print(points, worst < 4)
    50 True
    """
    n = as_count(n, "n", 1)
    seed = as_count(seed, "seed", 0)
    percentile = as_scalar(percentile, "percentile", 0.0, 100.0, closed="right")
    digits = as_count(digits, "digits", 17)
    rng = np.random.default_rng(seed)
    points = {kind: _survey_points(rng, n, kind) for kind in ("hard", "soft", "classes")}
    rows, errors = [], {}
    for name, kind, dtype, how in SURVEY_ROWS:
        y, z = points[kind]
        dt = np.dtype(dtype)
        z_dt = z.astype(dt)
        if kind == "classes":
            got = cross_entropy(0, z_dt) if how == "celoss" else log1p_cross_entropy(z_dt)
            refs = [reference_cross_entropy(0, [float(v) for v in row], digits) for row in z_dt]
        else:
            y_dt = y.astype(dt)
            got = bce_with_logits(y_dt, z_dt) if how == "celoss" else softplus_bce(y_dt, z_dt)
            refs = [reference_bce_with_logits(float(a), float(b), digits) for a, b in zip(y_dt, z_dt, strict=True)]
        err = np.array([ulp_error(g, r) for g, r in zip(np.asarray(got, dtype=dt), refs, strict=True)])
        errors[name] = err
        rows.append((name, n, float(err.max()), float(np.percentile(err, percentile)), float(np.mean(err <= 0.5))))
    return UlpSurvey(rows=tuple(rows), percentile=percentile, errors=errors)
