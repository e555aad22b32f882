"""Chapter 3 (information theory): chart structure, and the chapter's key formulas.

Charts are tested by structure and by their initial data (equal to celoss's values), never by
snapshotting Bokeh HTML. The formulas the chapter derives — ∂H(p, q)/∂q = (q − p)/(q(1 − q)),
its positive second derivative, argmin_q H(p, q) = argmin_q KL = p, H_bit = H_nat/ln 2 and the
cancellation in H(p, q) − H(p) — are checked against finite differences and mpmath.
"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import CustomJS, Slider, Span
from mpmath import mp, mpf

from celoss import bce, entropy, kl_divergence
from celoss.charts._display import to_html
from celoss.charts.information import cross_entropy_kl_chart, entropy_chart

from . import _reference as ref
from .conftest import assert_js_close, js_callback

# --- charts ----------------------------------------------------------------------------------


def test_entropy_chart_data_are_celoss_values():
    fig = entropy_chart(n=101)
    data = fig.select_one({"name": "entropy-source"}).data
    p = data["p"]
    assert p[0] == 0.0
    assert p[-1] == 1.0
    assert len(p) == 101
    np.testing.assert_array_equal(data["nats"], entropy(p))
    np.testing.assert_allclose(data["bits"], entropy(p) / np.log(2), rtol=1e-15)
    assert fig.sizing_mode == "stretch_width"
    assert [item.label.value for item in fig.legend.items] == ["单位 bit（log₂）", "单位 nat（ln）"]
    # the default grid holds p = 1/2, where the entropy is exactly 1 bit
    default = entropy_chart().select_one({"name": "entropy-source"}).data
    assert 0.5 in default["p"]
    assert default["bits"].max() == 1.0


def test_cross_entropy_chart_structure():
    layout = cross_entropy_kl_chart(p=0.3)
    slider, fig = layout.children
    assert isinstance(slider, Slider)
    assert slider.name == "p-slider"
    assert (slider.start, slider.end, slider.step, slider.value) == (0.0, 1.0, 0.01, 0.3)
    assert layout.sizing_mode == slider.sizing_mode == fig.sizing_mode == "stretch_width"
    callback = js_callback(slider, "cross_entropy_kl")
    assert isinstance(callback, CustomJS)
    source = fig.select_one({"name": "cross-entropy-source"})
    span = fig.select_one({"name": "argmin-span"})
    assert isinstance(span, Span)
    assert span.location == 0.3
    assert callback.args == {"source": source}
    # the dotted line q = p follows the slider through a plain property link
    (link,) = [cb for cb in slider.js_property_callbacks["change:value"] if cb.args.get("other") is span]
    assert "location" in link.code
    gap = next(r for r in fig.renderers if r.glyph.__class__.__name__ == "VArea")
    assert gap.glyph.fill_alpha == 0.12
    assert {"dark": {"fill_alpha": 0.3}} in gap.glyph.tags
    labels = [item.label.value for item in fig.legend.items]
    assert labels == ["交叉熵 H(p, q)", "熵 H(p)", "KL 散度 D(p‖q)", "两者之差 = KL"]
    assert 'class="celoss-chart celoss-widgets"' in to_html(layout)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5, 1.0])
def test_cross_entropy_chart_initial_data_are_celoss_values(p):
    fig = cross_entropy_kl_chart(p=p, n=50).children[1]
    data = fig.select_one({"name": "cross-entropy-source"}).data
    q = data["q"]
    assert 0 < q[0] < q[-1] < 1
    assert len(q) == 50
    np.testing.assert_allclose(q, 1 - q[::-1], rtol=0, atol=1e-15)  # symmetric midpoints
    np.testing.assert_array_equal(data["cross"], bce(p, q))
    np.testing.assert_array_equal(data["kl"], kl_divergence(p, q))
    np.testing.assert_array_equal(data["ent"], np.full(50, entropy(p)))
    assert np.all(np.isfinite(data["cross"]))
    assert np.all(np.isfinite(data["kl"]))


@pytest.mark.parametrize("p", [0.0, 0.01, 0.3, 0.5, 0.77, 1.0])
def test_js_matches_python_and_handles_the_ends(run_callback, p):
    """在 Chromium 里执行 js/cross_entropy_kl.js：H(p, q)、H(p) 与 celoss 逐点一致（两端 0·log 0 = 0），
    KL 非负，与 celoss.kl_divergence 的绝对误差不到 1e-15（JS 用直接公式 Σ a·log(a/b) − (a − b)，
    没有 celoss 那样精确计算 a − b，q 紧挨 p 时只在绝对误差上准确，图上看不出）。"""
    q = np.unique(np.r_[cross_entropy_kl_chart(p=0.3).children[1].select_one(
        {"name": "cross-entropy-source"}).data["q"], 1e-300, 1e-12, 1 - 1e-12, p + 1e-9, p - 1e-9])
    q = q[(q > 0) & (q < 1)]
    out = run_callback("cross_entropy_kl", {"source": {"data": {"q": q.tolist()}}}, {"value": p})
    data = out["source"]["data"]
    assert data["q"] == q.tolist()
    assert_js_close(data["cross"], bce(p, q))
    assert_js_close(data["ent"], np.full(len(q), entropy(p)))
    kl = np.asarray(data["kl"])
    assert np.all(np.isfinite(kl))
    assert np.all(kl >= 0)
    np.testing.assert_allclose(kl, kl_divergence(p, q), rtol=1e-12, atol=1e-15)


# --- the chapter's formulas ------------------------------------------------------------------


def _cross_entropy_mp(p, q):
    return -(p * mp.log(q) + (1 - p) * mp.log(1 - q))


@pytest.mark.parametrize("p", [0.0, 0.1, 0.3, 0.5, 0.9, 1.0])
@pytest.mark.parametrize("q", [0.05, 0.3, 0.6, 0.97])
def test_derivative_of_cross_entropy_in_q(p, q):
    """∂H/∂q = (q − p)/(q(1 − q)) and ∂²H/∂q² = p/q² + (1 − p)/(1 − q)² > 0 (mpmath)."""
    with mp.workprec(300):
        first = mp.diff(lambda t: _cross_entropy_mp(mpf(p), t), mpf(q))
        second = mp.diff(lambda t: _cross_entropy_mp(mpf(p), t), mpf(q), 2)
        assert abs(first - (mpf(q) - p) / (mpf(q) * (1 - mpf(q)))) < mpf(10) ** -60
        expected = mpf(p) / mpf(q) ** 2 + (1 - mpf(p)) / (1 - mpf(q)) ** 2
        assert abs(second - expected) < mpf(10) ** -55
        assert second > 0
    # the same with celoss.bce and central finite differences
    h = 1e-6
    fd = (bce(p, q + h) - bce(p, q - h)) / (2 * h)
    np.testing.assert_allclose(fd, (q - p) / (q * (1 - q)), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("p", [0.1, 0.25, 0.3, 0.5, 0.77, 0.9])
def test_cross_entropy_and_kl_share_the_argmin_q_equals_p(p):
    q = np.linspace(0.001, 0.999, 999)
    i, j = int(np.argmin(bce(p, q))), int(np.argmin(kl_divergence(p, q)))
    assert i == j
    assert abs(q[i] - p) <= 0.0005 + 1e-12
    # the minimum value of H(p, ·) is H(p); that of KL is 0
    assert bce(p, p) == pytest.approx(float(entropy(p)), rel=1e-15)
    assert kl_divergence(p, p) == 0.0
    np.testing.assert_allclose(bce(p, q) - entropy(p), kl_divergence(p, q), rtol=1e-9, atol=1e-15)


def test_bits_and_nats():
    assert entropy(0.5) / np.log(2) == pytest.approx(1.0, rel=1e-16)
    with mp.workprec(200):
        for p in [0.1, 0.3, 0.75]:
            bits = -(mpf(p) * mp.log(mpf(p), 2) + (1 - mpf(p)) * mp.log(1 - mpf(p), 2))
            assert float(entropy(p) / np.log(2)) == pytest.approx(float(bits), rel=4e-16)


def test_hard_labels_cross_entropy_equals_kl():
    q = np.linspace(0.01, 0.99, 99)
    for y in (0, 1):
        np.testing.assert_array_equal(entropy(y), 0.0)
        np.testing.assert_allclose(bce(y, q), kl_divergence(y, q), rtol=1e-14)


def test_subtraction_loses_digits_where_direct_kl_does_not():
    """The chapter's numerics section: q − p = 1e-6 and 1e-9 at p = 0.3."""
    p = 0.3
    for gap, min_lost in [(1e-6, 1e-6), (1e-9, 0.5)]:
        q = p + gap
        exact = ref.kl_divergence(p, q)
        direct, subtracted = kl_divergence(p, q), bce(p, q) - entropy(p)
        assert ref.ulp_error(direct, exact, np.float64) <= 4
        assert abs(subtracted - float(exact)) / float(exact) > min_lost
