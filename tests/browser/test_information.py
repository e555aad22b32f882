"""第三章「信息论视角」：p 滑块在浏览器里重算 H(p, q)、H(p)、KL，与 celoss 的值一致，两端 p = 0、1 也一样。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss import bce, entropy, kl_divergence

from .conftest import SHOTS
from .test_pages import open_ready

PAGE = "information.html"

DATA = """
() => {
  for (const doc of Bokeh.documents) {
    const source = doc.get_model_by_name('cross-entropy-source');
    if (source) {
      const out = {};
      for (const key of ['q', 'cross', 'kl', 'ent']) out[key] = Array.from(source.data[key]);
      out.p = doc.get_model_by_name('p-slider').value;
      out.span = doc.get_model_by_name('argmin-span').location;
      return out;
    }
  }
  return null;
}
"""

SET_P = """
(p) => {
  for (const doc of Bokeh.documents) {
    const slider = doc.get_model_by_name('p-slider');
    if (slider) { slider.value = p; return true; }
  }
  return false;
}
"""


def _check_against_celoss(data, p):
    q = np.array(data["q"])
    assert data["span"] == pytest.approx(p)
    np.testing.assert_allclose(data["cross"], bce(p, q), rtol=1e-13, atol=0)
    np.testing.assert_allclose(data["ent"], np.full(q.size, entropy(p)), rtol=1e-13, atol=1e-300)
    # KL is tiny near q = p: compare in absolute terms there, relative elsewhere
    np.testing.assert_allclose(data["kl"], kl_divergence(p, q), rtol=1e-12, atol=1e-15)
    for key in ("cross", "kl", "ent"):
        assert np.all(np.isfinite(data[key])), key
    # the gap between the curves is the KL divergence
    np.testing.assert_allclose(np.array(data["cross"]) - data["ent"], data["kl"], rtol=1e-9, atol=1e-14)


def test_two_charts_on_the_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    assert page.locator(".celoss-chart").count() == 2
    assert watch.errors == [] and watch.outside == []


def test_p_slider_moves_curves_and_argmin(new_page):
    page, watch = open_ready(new_page, PAGE)
    before = page.evaluate(DATA)
    assert before["p"] == 0.3
    _check_against_celoss(before, 0.3)
    handle = page.locator(".celoss-chart.celoss-widgets .noUi-handle").first
    handle.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({DATA})().p > 0.49", timeout=5000)
    after = page.evaluate(DATA)
    p = round(after["p"], 2)
    assert p == 0.5
    _check_against_celoss(after, after["p"])
    q = np.array(after["q"])
    # both curves reach their minimum at the q closest to p
    i, j = int(np.argmin(after["cross"])), int(np.argmin(after["kl"]))
    assert abs(q[i] - p) <= 0.5 / q.size + 1e-12 and abs(q[j] - p) <= 0.5 / q.size + 1e-12
    page.locator(".celoss-chart.celoss-widgets").first.screenshot(path=SHOTS / "information-slider-p05.png")
    assert watch.errors == []


@pytest.mark.parametrize("p", [0.0, 1.0, 0.01, 0.99])
def test_ends_of_the_slider_are_exact(new_page, p):
    page, watch = open_ready(new_page, PAGE)
    assert page.evaluate(SET_P, p)
    page.wait_for_function(f"() => ({DATA})().span === {p!r}", timeout=5000)
    data = page.evaluate(DATA)
    _check_against_celoss(data, p)
    if p in (0.0, 1.0):
        assert max(abs(v) for v in data["ent"]) == 0.0
    assert watch.errors == []
