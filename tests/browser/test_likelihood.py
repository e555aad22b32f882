"""第二章「极大似然」在浏览器里：「正类个数 n₁」滑块（键盘）重画对数似然曲线、移动极大值点 q* = n₁/n
并改写标注与样本示意（载入时由同一段 JS 写出）；只查接线与交互。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss.lab.likelihood import bernoulli_log_likelihood

from .conftest import column, js_column, js_prop, press, prop, wait_until

PAGE = "likelihood.html"


def expected_curve(k: int, n: int, p: np.ndarray) -> np.ndarray:
    labels = (np.arange(n) < k).astype(float)
    return bernoulli_log_likelihood(labels, p[:, None])


def test_page_has_one_chart_and_glued_maximiser(shared_chapter_page):
    page = shared_chapter_page
    assert page.locator(".celoss-chart").count() == 1
    text = page.inner_text("article")
    assert "{glue" not in text
    assert "0.700" in text
    assert f"{float(bernoulli_log_likelihood(np.r_[np.ones(7), np.zeros(3)], 0.7)):.4f}" in text


def test_k_slider_moves_curve_and_maximiser(chapter_page):
    page = chapter_page
    p = column(page, "ll-source", "p")
    before = column(page, "ll-source", "ll")
    np.testing.assert_allclose(before, expected_curve(7, 10, p), rtol=1e-12)
    assert prop(page, "ll-label", "text") == "q* = 7/10 = 0.70"  # written at load by js/log_likelihood.js
    assert prop(page, "ll-sample", "text").startswith("样本：●●●●●●●○○○")
    press(page, "ArrowLeft", 3)
    wait_until(page, f"{js_column('ll-source', 'll')}[0] !== {float(before[0])!r}")
    k = prop(page, "k-slider", "value")
    assert k == 4
    np.testing.assert_allclose(column(page, "ll-source", "ll"), expected_curve(4, 10, p), rtol=1e-6)
    wait_until(page, f"{js_prop('ll-label', 'text')} === 'q* = 4/10 = 0.40'")
    peak_p, peak_ll = column(page, "ll-peak", "p")[0], column(page, "ll-peak", "ll")[0]
    assert peak_p == pytest.approx(0.4)
    assert peak_ll == pytest.approx(float(expected_curve(4, 10, np.array([0.4]))[0]), rel=1e-6)
    assert peak_ll >= column(page, "ll-source", "ll").max()
    assert prop(page, "ll-sample", "text").startswith("样本：●●●●○○○○○○")
    # all the way down to k = 0: the curve stays finite, the maximum is log 1 = 0 at p* = 0
    press(page, "ArrowLeft", 10)
    wait_until(page, f"{js_prop('k-slider', 'value')} === 0")
    wait_until(page, f"{js_column('ll-peak', 'p')}[0] === 0")
    assert np.isfinite(column(page, "ll-source", "ll")).all()
    assert column(page, "ll-peak", "ll")[0] == 0.0
