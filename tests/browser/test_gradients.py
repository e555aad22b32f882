"""第一章「梯度」在浏览器里：两个「y 真实值」滑块重算的数据与 celoss 的 Python 结果一致。"""

from __future__ import annotations

import numpy as np
import pytest

import celoss

from .conftest import column, js_column, press, prop, wait_until

PAGE = "gradients.html"


def test_page_has_two_charts_a_table_and_glued_numbers(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 2
    assert page.locator("table.celoss-table tbody tr").count() == 7
    text = page.inner_text("article")
    assert "{glue" not in text
    ratio = float(celoss.mse_grad(1, -8.0) / celoss.bce_grad(1, -8.0))
    mantissa, exponent = f"{ratio:.3e}".split("e")  # typeset as 3.352 × 10⁻⁴, never 3.352e-04
    assert f"{mantissa} × 10{str(int(exponent)).translate(str.maketrans('0123456789-', '⁰¹²³⁴⁵⁶⁷⁸⁹⁻'))}" in text
    assert f"{ratio * np.exp(8.0):.4f}" in text


def test_y_slider_redraws_losses_and_gradients(chapter_page):
    page = chapter_page
    z = column(page, "grad-source", "z")
    before = column(page, "grad-source", "bce_grad")
    np.testing.assert_allclose(before, celoss.bce_grad(1.0, z), rtol=1e-12, atol=1e-15)
    press(page, "ArrowLeft", 30, chart=0)
    wait_until(page, f"{js_column('grad-source', 'bce_grad')}[0] !== {float(before[0])!r}")
    y = prop(page, "grad-y-slider", "value")
    assert y == pytest.approx(0.7)
    # the browser's numbers are celoss's numbers
    np.testing.assert_allclose(column(page, "grad-source", "bce_grad"), celoss.bce_grad(y, z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(column(page, "grad-source", "mse_grad"), celoss.mse_grad(y, z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(column(page, "grad-source", "bce"), celoss.bce_with_logits(y, z), rtol=1e-12)
    np.testing.assert_allclose(column(page, "grad-source", "mse"), celoss.mse(y, celoss.sigmoid(z)),
                               rtol=1e-12, atol=1e-15)


def test_y_slider_redraws_log_magnitudes_and_marks(chapter_page):
    page = chapter_page
    marks = column(page, "grad-log-marks", "g")
    # at y = 1, z = -8 the MSE gradient is about e^-8 times the cross-entropy gradient
    assert marks[0] / marks[1] == pytest.approx(np.exp(-8.0), rel=1e-3)
    press(page, "ArrowLeft", 100, chart=1)
    wait_until(page, f"{js_column('grad-log-marks', 'g')}[1] !== {float(marks[1])!r}")
    assert prop(page, "grad-log-y-slider", "value") == 0.0
    z = column(page, "grad-log-source", "z")
    np.testing.assert_allclose(column(page, "grad-log-source", "bce_abs"), np.abs(celoss.bce_grad(0.0, z)), rtol=1e-12)
    np.testing.assert_allclose(column(page, "grad-log-source", "mse_abs"), np.abs(celoss.mse_grad(0.0, z)), rtol=1e-12)
    after = column(page, "grad-log-marks", "g")
    np.testing.assert_allclose(after, [abs(celoss.mse_grad(0.0, -8.0)), abs(celoss.bce_grad(0.0, -8.0))], rtol=1e-12)
