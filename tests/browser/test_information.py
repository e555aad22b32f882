"""第三章「信息论视角」：p 滑块（键盘）重画 H(p, q)、H(p)、KL 并移动竖线 q = p，两端 p = 0、1 也画得出；
只查接线与交互（粗查数值），逐点一致在 tests/test_charts_information.py 里。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss import bce, entropy, kl_divergence

from .conftest import MODEL_JS, js_prop, press, set_prop, shot, wait_until

PAGE = "information.html"

#: 交叉熵、熵、KL 三条曲线，滑块的 p 与竖线的位置。
DATA = f"""
() => {{
  const model = {MODEL_JS};
  const source = model('cross-entropy-source').data;
  const out = {{p: model('p-slider').value, span: model('argmin-span').location}};
  for (const key of ['q', 'cross', 'kl', 'ent']) out[key] = Array.from(source[key]);
  return out;
}}
"""


def _check_against_celoss(data, p):
    q = np.array(data["q"])
    assert data["span"] == pytest.approx(p)
    np.testing.assert_allclose(data["cross"], bce(p, q), rtol=1e-6)
    np.testing.assert_allclose(data["ent"], np.full(q.size, entropy(p)), rtol=1e-6, atol=1e-300)
    np.testing.assert_allclose(data["kl"], kl_divergence(p, q), rtol=1e-6, atol=1e-12)
    for key in ("cross", "kl", "ent"):
        assert np.all(np.isfinite(data[key])), key
    # the gap between the curves is the KL divergence
    np.testing.assert_allclose(np.array(data["cross"]) - data["ent"], data["kl"], rtol=1e-9, atol=1e-14)


def test_two_charts_on_the_page(shared_chapter_page):
    assert shared_chapter_page.locator(".celoss-chart").count() == 2


def test_p_slider_moves_curves_and_argmin(chapter_page):
    page = chapter_page
    before = page.evaluate(DATA)
    assert before["p"] == 0.3
    _check_against_celoss(before, 0.3)
    press(page, "ArrowRight", 20, charts=".celoss-chart.celoss-widgets")
    wait_until(page, f"({DATA})().p > 0.49")
    after = page.evaluate(DATA)
    p = round(after["p"], 2)
    assert p == 0.5
    _check_against_celoss(after, after["p"])
    q = np.array(after["q"])
    # both curves reach their minimum at the q closest to p
    i, j = int(np.argmin(after["cross"])), int(np.argmin(after["kl"]))
    assert abs(q[i] - p) <= 0.5 / q.size + 1e-12
    assert abs(q[j] - p) <= 0.5 / q.size + 1e-12
    shot(page.locator(".celoss-chart.celoss-widgets").first, "information-slider-p05.png")


@pytest.mark.parametrize("p", [0.0, 1.0, 0.01, 0.99])
def test_ends_of_the_slider_are_exact(shared_page, p):
    page, _ = shared_page(PAGE, tag="p-slider set by each case")
    set_prop(page, "p-slider", "value", p)
    wait_until(page, f"{js_prop('argmin-span', 'location')} === {p!r}")
    data = page.evaluate(DATA)
    _check_against_celoss(data, p)
    if p in (0.0, 1.0):
        assert max(abs(v) for v in data["ent"]) == 0.0
