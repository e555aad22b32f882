"""第二章「极大似然」在浏览器里：「正类个数 k」滑块重画对数似然曲线并移动极大值点 p* = k/n。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss.analysis import bernoulli_log_likelihood

from .test_gradients import COLUMN, VALUE, check_fits_a_phone, column, press
from .test_pages import open_ready

PAGE = "likelihood.html"

SAMPLE_TEXT = """
() => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name('ll-sample');
    if (model) return model.text;
  }
  return null;
}
"""


@pytest.fixture
def likelihood_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    yield page
    assert watch.errors == [] and watch.outside == []


def expected_curve(k: int, n: int, p: np.ndarray) -> np.ndarray:
    labels = (np.arange(n) < k).astype(float)
    return bernoulli_log_likelihood(labels, p[:, None])


def test_page_has_one_chart_and_glued_maximiser(likelihood_page):
    page = likelihood_page
    assert page.locator(".celoss-chart").count() == 1
    text = page.inner_text("article")
    assert "{glue" not in text
    assert "0.700" in text and f"{float(bernoulli_log_likelihood(np.r_[np.ones(7), np.zeros(3)], 0.7)):.4f}" in text


def test_k_slider_moves_curve_and_maximiser(likelihood_page):
    page = likelihood_page
    p = column(page, "ll-source", "p")
    before = column(page, "ll-source", "ll")
    np.testing.assert_allclose(before, expected_curve(7, 10, p), rtol=1e-12)
    press(page, 0, "ArrowLeft", 3)
    page.wait_for_function(f"() => ({COLUMN})(['ll-source', 'll'])[0] !== {float(before[0])!r}", timeout=5000)
    k = page.evaluate(VALUE, "k-slider")
    assert k == 4
    np.testing.assert_allclose(column(page, "ll-source", "ll"), expected_curve(4, 10, p), rtol=1e-12)
    peak_p, peak_ll = column(page, "ll-peak", "p")[0], column(page, "ll-peak", "ll")[0]
    assert peak_p == pytest.approx(0.4)
    assert peak_ll == pytest.approx(float(expected_curve(4, 10, np.array([0.4]))[0]), rel=1e-12)
    assert peak_ll >= column(page, "ll-source", "ll").max()
    assert page.evaluate(SAMPLE_TEXT).startswith("样本：●●●●○○○○○○")
    # all the way down to k = 0: the curve stays finite, the maximum is log 1 = 0 at p* = 0
    press(page, 0, "ArrowLeft", 10)
    page.wait_for_function(f"() => ({VALUE})('k-slider') === 0", timeout=5000)
    page.wait_for_function(f"() => ({COLUMN})(['ll-peak', 'p'])[0] === 0", timeout=5000)
    assert np.isfinite(column(page, "ll-source", "ll")).all()
    assert column(page, "ll-peak", "ll")[0] == 0.0


def test_chart_fits_a_phone(new_page):
    check_fits_a_phone(new_page, PAGE, "likelihood-390.png")
