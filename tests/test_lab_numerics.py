"""celoss.lab.naive, celoss.lab.reference and celoss.lab.numerics: the deliberately naive formulas
(computed in the input precision, no warnings), where they break, the decimal references
(checked against mpmath) and the comparison tables."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp, mpf

import celoss
from celoss.lab.naive import (
    bce_with_logits_max_form,
    clipped_bce_from_logits,
    log1p_cross_entropy,
    naive_bce_breakdown,
    naive_bce_from_logits,
    naive_log_sum_exp,
    naive_sigmoid,
    naive_softmax,
    shifted_log_sum_exp,
    softplus_bce,
)
from celoss.lab.numerics import AGREEMENT_POINTS, EXTREME_LOGITS, agreement_table, stability_table, ulp_survey
from celoss.lab.reference import reference_bce_with_logits, reference_cross_entropy, ulp_error

from . import _reference as ref
from . import _reference_multiclass as mref

DTYPES = [np.float32, np.float64]


# ---------------------------------------------------------------------------------------------
# Naive formulas: literal, in the input precision, and silent


@pytest.mark.parametrize("dtype", DTYPES)
def test_naive_functions_compute_in_the_input_precision(dtype):
    z = np.array([-3.0, 0.5, 17.0], dtype=dtype)
    assert naive_sigmoid(z).dtype == dtype
    assert naive_bce_from_logits(1, z).dtype == dtype
    assert clipped_bce_from_logits(1, z).dtype == dtype
    assert bce_with_logits_max_form(1, z).dtype == dtype
    assert naive_softmax(z).dtype == dtype
    assert naive_log_sum_exp(z).dtype == dtype
    assert shifted_log_sum_exp(z).dtype == dtype
    # the float32 computation really happens in float32: σ(17) is 1 there, not in float64
    assert (naive_sigmoid(z)[2] == 1) == (dtype == np.float32)


def test_python_numbers_and_lists_compute_in_float64():
    assert isinstance(naive_sigmoid(2.0), np.float64)
    assert isinstance(naive_bce_from_logits(1, 2.0), np.float64)
    assert naive_softmax([1, 2]).dtype == np.float64
    assert isinstance(naive_log_sum_exp([1.0, 2.0]), np.float64)
    # an integer label does not decide the precision
    assert naive_bce_from_logits(1, np.float32(2.0)).dtype == np.float32


def test_naive_formulas_agree_with_celoss_where_nothing_breaks():
    z = np.linspace(-8, 8, 33)
    y = np.array([0.0, 0.3, 1.0])[:, None] + np.zeros_like(z)  # celoss refuses outer products (shape rule)
    np.testing.assert_allclose(naive_sigmoid(z), celoss.sigmoid(z), rtol=1e-15)
    np.testing.assert_allclose(naive_bce_from_logits(y, z), celoss.bce_with_logits(y, z), rtol=1e-11)
    np.testing.assert_allclose(clipped_bce_from_logits(y, z), celoss.bce_with_logits(y, z), rtol=1e-11)
    np.testing.assert_allclose(bce_with_logits_max_form(y, z), celoss.bce_with_logits(y, z), rtol=1e-14)
    rows = np.random.default_rng(0).normal(scale=3.0, size=(5, 4))
    np.testing.assert_allclose(naive_softmax(rows), celoss.softmax(rows), rtol=1e-14)
    np.testing.assert_allclose(naive_log_sum_exp(rows), rows[:, 0] - celoss.log_softmax(rows)[:, 0], rtol=1e-14)
    np.testing.assert_allclose(shifted_log_sum_exp(rows), naive_log_sum_exp(rows), rtol=1e-14)


def test_naive_formulas_break_silently():
    # pytest turns every RuntimeWarning into an error: none may escape
    assert naive_bce_from_logits(0, 40.0) == np.inf
    assert math.isnan(naive_bce_from_logits(1, 40.0))  # 0·log 0
    assert naive_bce_from_logits(1, -800.0) == np.inf  # e^800 overflows, σ = 0
    assert naive_bce_from_logits(0, np.float32(20.0)) == np.inf
    assert naive_sigmoid(-800.0) == 0.0
    assert naive_sigmoid(800.0) == 1.0
    p = naive_softmax([800.0, 0.0])
    assert math.isnan(p[0])
    assert p[1] == 0.0
    assert np.all(np.isnan(naive_softmax([-800.0, -800.0])))  # 0/0
    assert naive_log_sum_exp([800.0, 0.0]) == np.inf
    assert naive_log_sum_exp([-800.0, -800.0]) == -np.inf
    assert naive_log_sum_exp(np.float32([89.0, 0.0])) == np.inf
    assert naive_log_sum_exp([89.0, 0.0]) == pytest.approx(89.0)


def test_shifted_log_sum_exp_does_not_overflow_but_loses_the_tiny_loss():
    assert shifted_log_sum_exp([800.0, 0.0]) == 800.0
    assert shifted_log_sum_exp(np.float32([1e4, 0.0])) == np.float32(1e4)
    z32 = np.array([80.0, 0.0], dtype=np.float32)
    assert shifted_log_sum_exp(z32) - z32[0] == 0.0
    assert float(celoss.cross_entropy(0, z32)) == pytest.approx(math.exp(-80.0), rel=1e-6)
    z = np.array([40.0, 0.0])
    assert shifted_log_sum_exp(z) - z[0] == 0.0


def test_clipping_caps_big_losses_and_lifts_small_ones():
    for dtype in DTYPES:
        eps = np.finfo(dtype).eps
        z = np.array([30.0, 100.0, 1e4], dtype=dtype)
        cap = clipped_bce_from_logits(0, z)
        np.testing.assert_allclose(cap[1:], -np.log(np.float64(eps)), rtol=1e-6)
        floor = clipped_bce_from_logits(1, z[1:])
        assert np.all(floor > 0)
        assert np.all(floor < 2 * eps)
        assert clipped_bce_from_logits(0, np.array(-100.0, dtype=dtype)) < 2 * eps
    assert clipped_bce_from_logits(0, 100.0, eps=1e-7) == pytest.approx(-math.log(1e-7), rel=1e-6)


def test_max_form_is_stable_but_loses_digits_for_soft_labels_near_one():
    z = np.array(EXTREME_LOGITS)
    for y in (0.0, 1.0):
        np.testing.assert_array_equal(bce_with_logits_max_form(y, z), celoss.bce_with_logits(y, z))
    y = 0.9999999
    exact = reference_bce_with_logits(y, 30.0)
    assert ulp_error(bce_with_logits_max_form(y, 30.0), exact) > 1e5
    assert ulp_error(celoss.bce_with_logits(y, 30.0), exact) < 1


def test_axis_argument():
    rows = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(naive_softmax(rows, axis=0), celoss.softmax(rows, axis=0), rtol=1e-15)
    np.testing.assert_allclose(naive_log_sum_exp(rows, axis=0), np.log(np.exp(rows).sum(axis=0)))
    np.testing.assert_allclose(shifted_log_sum_exp(rows, axis=0), naive_log_sum_exp(rows, axis=0))
    assert shifted_log_sum_exp(rows).shape == (2,)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: naive_sigmoid("abc"), TypeError, "z 必须是实数"),
        (lambda: naive_sigmoid([np.nan]), ValueError, "z 不能包含 NaN"),
        (lambda: naive_bce_from_logits(1.5, 0.0), ValueError, r"y 必须在 \[0, 1\]"),
        (lambda: naive_bce_from_logits([0, 1], [0.0, 1.0, 2.0]), ValueError, "无法广播"),
        (lambda: clipped_bce_from_logits(1, 0.0, eps=0.5), ValueError, r"eps 必须在 \(0, 0.5\)"),
        (lambda: clipped_bce_from_logits(1, 0.0, eps=[1e-7, 1e-6]), ValueError, "eps 必须是一个数（标量）"),
        (lambda: bce_with_logits_max_form(1, np.inf), ValueError, "z 必须是有限实数"),
        (lambda: naive_softmax(3.0), ValueError, "至少要有一维"),
        (lambda: naive_softmax(np.zeros((2, 0))), ValueError, "长度为 0"),
        (lambda: naive_log_sum_exp([1.0, 2.0], axis=1), ValueError, "axis 超出范围"),
        (lambda: shifted_log_sum_exp([1.0, 2.0], axis=0.5), TypeError, "axis 必须是整数"),
        (lambda: naive_bce_breakdown(np.float16), ValueError, "float32 或 float64"),
        (lambda: naive_bce_breakdown("no such type"), TypeError, "dtype"),
    ],
)
def test_bad_inputs_raise_chinese_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# Where the naive binary cross-entropy breaks


@pytest.mark.parametrize("dtype", DTYPES)
def test_breakdown_is_the_first_float_where_sigma_rounds_to_one(dtype):
    b = naive_bce_breakdown(dtype)
    z = np.array(b, dtype=dtype)
    assert float(z) == b
    assert naive_sigmoid(z) == 1
    assert naive_sigmoid(np.nextafter(z, dtype(0))) < 1
    assert np.isinf(naive_bce_from_logits(0, z))
    assert np.isnan(naive_bce_from_logits(1, z))
    assert np.isfinite(naive_bce_from_logits(0, np.nextafter(z, dtype(0))))
    # log(2/ε): 1 + e^(−z) rounds to 1 once e^(−z) ≤ ε/2
    assert b == pytest.approx(math.log(2 / np.finfo(dtype).eps), rel=1e-6)


def test_breakdown_values():
    assert naive_bce_breakdown(np.float32) == pytest.approx(16.6355, abs=1e-4)
    assert naive_bce_breakdown() == pytest.approx(36.7368, abs=1e-4)
    assert naive_bce_breakdown("float64") == naive_bce_breakdown(np.float64)


# ---------------------------------------------------------------------------------------------
# decimal references against mpmath

POINTS = [
    (1.0, 0.0), (0.0, 0.0), (1.0, 40.0), (0.0, 40.0), (1.0, -40.0), (0.3, 3.7), (0.5, -2.5),
    (1.0, 1e-300), (0.0, -1e-20), (1e-10, 36.0), (1.0 - 2.0**-53, 709.0), (1.0, 745.0),
    (0.0, -1e4), (1.0, 1e4), (0.9999999, 30.0), (0.25, 1e-3), (1.0, 3.0e-8),
]


@pytest.mark.parametrize(("y", "z"), POINTS)
def test_reference_bce_with_logits_matches_mpmath(y, z):
    got = reference_bce_with_logits(y, z, digits=50)
    exact = ref.bce_with_logits(y, z)
    with mp.workdps(80):
        if exact == 0:
            assert got == 0
        else:
            assert abs(mpf(str(got)) - exact) <= abs(exact) * mpf(10) ** -49, (y, z, got, exact)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reference_takes_the_exact_value_of_float32_inputs(dtype):
    y, z = dtype(0.3), dtype(-2.5)
    got = reference_bce_with_logits(y, z, digits=40)
    exact = ref.bce_with_logits(float(y), float(z))
    with mp.workdps(60):
        assert abs(mpf(str(got)) - exact) <= abs(exact) * mpf(10) ** -39


@pytest.mark.parametrize("digits", [1, 17, 60, 120])
def test_reference_digits(digits):
    got = reference_bce_with_logits(1, 1.0, digits=digits)
    assert len(got.as_tuple().digits) <= digits
    with mp.workdps(digits + 20):
        exact = mp.log1p(mp.exp(-1))
        assert abs(mpf(str(got)) - exact) <= exact * mpf(10) ** (1 - digits)


@pytest.mark.parametrize(
    ("label", "z"),
    [(0, [80.0, 0.0]), (1, [80.0, 0.0]), (0, [2.0, 0.5, -1.0]), (2, [2.0, 0.5, -1.0]), (0, [1e4, 0.0, 0.0]),
     (0, [-1e4, 0.0, 0.0]), (1, [3.0, 3.0, 3.0]), (0, [0.0]), (2, [40.0, -5.0, 40.0, 0.0])],
)
def test_reference_cross_entropy_matches_mpmath(label, z):
    got = reference_cross_entropy(label, z, digits=50)
    exact = mref.cross_entropy(label, z)
    with mp.workdps(80):
        if exact == 0:
            assert got == 0
        else:
            assert abs(mpf(str(got)) - exact) <= abs(exact) * mpf(10) ** -49, (label, z, got, exact)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: reference_bce_with_logits([1.0, 0.0], 1.0), ValueError, "y 必须是一个数（标量）"),
        (lambda: reference_bce_with_logits(1.0, np.inf), ValueError, "z 必须是有限实数"),
        (lambda: reference_bce_with_logits(2.0, 0.0), ValueError, r"y 必须在 \[0, 1\]"),
        (lambda: reference_bce_with_logits(1.0, "x"), TypeError, "z 必须是实数"),
        (lambda: reference_bce_with_logits(1.0, 0.0, digits=0), ValueError, "digits 必须是不小于 1 的整数"),
        (lambda: reference_bce_with_logits(1.0, 0.0, digits=2.5), TypeError, "digits 必须是整数"),
        (lambda: reference_cross_entropy(3, [1.0, 2.0]), ValueError, "label 必须是"),
        (lambda: reference_cross_entropy(1.0, [1.0, 2.0]), ValueError, "整数 dtype"),
        (lambda: reference_cross_entropy([0, 1], [1.0, 2.0]), ValueError, "label 必须是标量"),
        (lambda: reference_cross_entropy(0, [[1.0, 2.0]]), ValueError, "一维"),
        (lambda: reference_cross_entropy(0, []), ValueError, "一维"),
    ],
)
def test_reference_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# ulp_error


def test_ulp_error_units():
    assert ulp_error(1.0, Decimal(1)) == 0.0
    assert ulp_error(1.0 + 2**-52, Decimal(1)) == 1.0
    assert ulp_error(1.0 - 2**-53, Decimal(1)) == 0.5  # in units of ulp(1) = 2^-52
    assert ulp_error(np.float32(1.0), Decimal(1) + Decimal(2) ** -23) == 1.0
    assert ulp_error(0.1, Decimal("0.1")) < 0.5
    assert ulp_error(np.float32(0.1), Decimal("0.1")) < 0.5
    assert ulp_error(float("inf"), Decimal(3)) == math.inf
    assert ulp_error(float("nan"), Decimal(3)) == math.inf
    # subnormal and below-range references: measured in the subnormal spacing
    assert ulp_error(0.0, Decimal("1e-4343")) == 0.0  # far below one subnormal spacing
    assert ulp_error(5e-324, Decimal(0)) == 1.0
    assert ulp_error(np.float32(0.0), Decimal(2) ** -149) == 1.0
    assert ulp_error(2.0, 1.0) == 2**52


def test_ulp_error_bad_inputs():
    with pytest.raises(ValueError, match="reference 必须是有限数"):
        ulp_error(1.0, Decimal("Infinity"))
    with pytest.raises(ValueError, match="value 必须是标量"):
        ulp_error([1.0, 2.0], Decimal(1))
    with pytest.raises(TypeError, match="value 必须是实数"):
        ulp_error("1", Decimal(1))


@settings(max_examples=80)
@given(
    st.floats(0.0, 1.0),
    st.one_of(st.floats(-1e4, 1e4, allow_nan=False), st.floats(-50.0, 50.0, allow_nan=False)),
)
def test_celoss_is_within_two_ulp_of_the_decimal_reference(y, z):
    exact = reference_bce_with_logits(y, z, digits=40)
    assert ulp_error(celoss.bce_with_logits(y, z), exact) <= 2
    y32, z32 = np.float32(y), np.float32(z)
    assert ulp_error(celoss.bce_with_logits(y32, z32), reference_bce_with_logits(y32, z32, digits=30)) <= 2


# ---------------------------------------------------------------------------------------------
# Tables


def test_bce_stability_table():
    table = stability_table("bce")
    assert table.kind == "bce"
    assert len(table.logits) == len(EXTREME_LOGITS) == 12
    assert [(c.formula, c.dtype) for c in table.columns] == [
        (f, d) for d in ("float32", "float64") for f in ("朴素", "截断到 δ", "稳定公式")
    ]
    for dtype in ("float32", "float64"):
        assert table.failures("稳定公式", dtype) == []
        column = table.column("稳定公式", dtype).values
        # the column is really computed in its own precision (N2): it is softplus_bce, step by step
        assert column.dtype == np.dtype(dtype)
        np.testing.assert_array_equal(column, softplus_bce(1, np.array(EXTREME_LOGITS, dtype=dtype)))
    assert dict(table.failures("朴素", "float64")) == {
        -1e4: "inf", -800.0: "inf", 40.0: "nan", 100.0: "nan", 800.0: "nan", 1e4: "nan"}
    naive32 = dict(table.failures("朴素", "float32"))
    assert naive32[-100.0] == "inf"
    assert naive32[20.0] == "nan"
    assert -40.0 not in naive32
    clipped = dict(table.failures("截断到 δ", "float64"))
    assert clipped[-40.0] == "inaccurate"
    assert clipped[40.0] == "inaccurate"
    assert -20.0 not in clipped
    # e^(−800) is below every positive float: 0 is the right answer, not a failure
    assert table.rows[10]["z"] == 800.0
    assert table.rows[10][("稳定公式", "float64")] == (0.0, "ok")
    assert table.exact[0] == Decimal(10000)


def test_cross_entropy_stability_table():
    table = stability_table("cross_entropy")
    assert [c.formula for c in table.columns[:3]] == ["朴素", "减最大值", "加 log1p"]
    assert table.failures("加 log1p", "float32") == []
    assert table.failures("加 log1p", "float64") == []
    assert table.column("加 log1p", "float32").values.dtype == np.float32
    shifted64 = dict(table.failures("减最大值", "float64"))
    assert shifted64 == {40.0: "zero", 100.0: "zero"}
    shifted32 = dict(table.failures("减最大值", "float32"))
    assert shifted32[20.0] == "zero"
    assert shifted32[10.0] == "inaccurate"
    naive = dict(table.failures("朴素", "float64"))
    assert naive[800.0] == "nan"
    assert naive[-800.0] == "inf"


def test_stability_table_display():
    table = stability_table("bce", z=[-100.0, 40.0])
    html = table._repr_html_()
    assert html.startswith('<div class="celoss-table-scroll" tabindex="0" style="overflow-x: auto')
    assert html.count("<tr>") == 4
    assert 'data-status="nan"' in html
    assert 'data-status="inf"' in html
    assert "NaN" in str(table)
    assert "!" in str(table)
    only64 = stability_table("cross_entropy", z=[1.0], dtypes="float64")
    assert [c.dtype for c in only64.columns] == ["float64"] * 3
    with pytest.raises(KeyError):
        only64.column("加 log1p", "float32")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"kind": "mse"}, ValueError, "kind 必须是"),
        ({"z": [np.inf]}, ValueError, "z 必须是有限实数"),
        ({"dtypes": ()}, ValueError, "dtypes 不能为空"),
        ({"dtypes": ("float16",)}, ValueError, "float32 或 float64"),
        ({"digits": 0}, ValueError, "digits"),
    ],
)
def test_stability_table_bad_inputs(kwargs, error, message):
    with pytest.raises(error, match=message):
        stability_table(**kwargs)


def test_agreement_table():
    table = agreement_table()
    assert len(table.y) == len(AGREEMENT_POINTS)
    assert float(table.ulp64.max()) <= 0.5
    assert float(table.ulp32.max()) <= 1
    np.testing.assert_array_equal(table.celoss64, celoss.bce_with_logits(table.y, table.z))
    worst = int(np.argmax(table.max_form_ulp64))
    assert table.y[worst] == 0.9999999
    assert table.max_form_ulp64[worst] > 1e5
    html = table._repr_html_()
    assert 'class="celoss-table-scroll"' in html
    assert html.count("<tr>") == len(AGREEMENT_POINTS) + 1
    assert "4.248354255291589e-18" in str(table)


def test_agreement_table_bad_inputs():
    with pytest.raises(ValueError, match=r"形状 \(n, 2\)"):
        agreement_table([1.0, 2.0])
    with pytest.raises(ValueError, match=r"y 必须在 \[0, 1\]"):
        agreement_table([(2.0, 0.0)])
    with pytest.raises(ValueError, match="z 必须是有限实数"):
        agreement_table([(1.0, np.inf)])


# --------------------------------------------------------------------------- the stable formulas in the input precision


def test_softplus_bce_is_computed_in_float32():
    """softplus_bce on float32 inputs differs from celoss (float64 then rounded once) somewhere.

    So it really runs in float32.
    """
    rng = np.random.default_rng(3)
    y = rng.uniform(0, 1, 500).astype(np.float32)
    z = (rng.choice([-1, 1], 500) * 10.0 ** rng.uniform(-3, 3, 500)).astype(np.float32)
    stepwise, once = softplus_bce(y, z), celoss.bce_with_logits(y, z)
    assert stepwise.dtype == once.dtype == np.float32
    assert np.any(stepwise != once)
    np.testing.assert_allclose(stepwise, once, rtol=1e-5)
    np.testing.assert_allclose(softplus_bce(y.astype(float), z.astype(float)),
                               celoss.bce_with_logits(y.astype(float), z.astype(float)), rtol=1e-14)


def test_log1p_cross_entropy_matches_celoss_in_float64():
    z = np.random.default_rng(4).normal(0, 30, (200, 4))
    np.testing.assert_allclose(log1p_cross_entropy(z), celoss.cross_entropy(0, z), rtol=1e-13, atol=1e-300)
    assert log1p_cross_entropy(z.astype(np.float32)).dtype == np.float32


# ----------------------------------------------------------- the ulp survey (issue 9: computed, not typed)


@pytest.fixture(scope="module")
def survey():
    return ulp_survey(n=300, seed=1)


def test_survey_statistics_are_the_errors_it_measured(survey):
    for name, n, worst, pc, share in survey.rows:
        errors = survey.errors[name]
        assert n == errors.size == 300
        assert worst == errors.max()
        assert pc == pytest.approx(np.percentile(errors, 99))
        assert share == np.mean(errors <= 0.5)


def test_survey_errors_match_mpmath(survey):
    """Recompute a few of the survey's float64 errors with the independent mpmath oracle."""
    rng = np.random.default_rng(1)
    hard_y = None
    # the survey draws (hard, soft, classes) in this order from default_rng(seed)
    z = rng.choice([-1.0, 1.0], 300) * 10.0 ** rng.uniform(-3, 3, 300)
    hard_y = rng.integers(0, 2, 300).astype(float)
    got = celoss.bce_with_logits(hard_y, z)
    for i in range(0, 300, 37):
        exact = ref.bce_with_logits(hard_y[i], z[i])
        expected = survey.errors["bce_with_logits，硬标签，float64"][i]
        assert ref.ulp_error(got[i], exact, np.float64) == pytest.approx(expected, abs=1e-6)


def test_library_accuracy_bounds(survey):
    """Library acceptance: a few ulp in float64; celoss's float32 is float64 rounded once (≤ 0.5 ulp + tiny)."""
    for name, _, worst, _, _ in survey.rows:
        if "float64" in name:
            assert worst <= 3, name
        elif "舍入一次" in name:
            assert worst <= 0.5 + 1e-6, name
    table = agreement_table()
    assert float(table.ulp64.max()) <= 2
    assert float(table.ulp32.max()) <= 0.5 + 1e-6
