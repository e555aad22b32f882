"""celoss.charts.numerics：精度按钮在两份预先算好的数据（celoss.numerics 在该精度下算出）之间切换，
并移动「失效点」竖线；按钮的 JS 在无头 Chromium 里执行。"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import Label, LogScale, RadioButtonGroup, Span
from bokeh.plotting import figure

import celoss
from celoss.charts.numerics import DTYPES, naive_vs_stable_chart
from celoss.lab.naive import clipped_bce_from_logits, naive_bce_breakdown, naive_bce_from_logits

from .conftest import js_callback


def _as_plotted(values, log):
    out = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(out) | ((out <= 0) if log else False)
    return np.where(bad, np.nan, out)


def test_structure():
    layout = naive_vs_stable_chart()
    toggle = layout.select_one({"name": "ns-dtype"})
    assert isinstance(toggle, RadioButtonGroup)
    assert toggle.labels == list(DTYPES)
    assert toggle.active == 0
    figs = [m for m in layout.children if isinstance(m, figure)]
    assert len(figs) == 2
    assert isinstance(figs[0].y_scale, LogScale)
    assert figs[1].x_range is figs[0].x_range
    cb = js_callback(toggle, "switch_dtype", "change:active")
    assert cb in layout.js_event_callbacks["document_ready"]  # the marker labels are written at load
    assert cb.args["source"] is layout.select_one({"name": "ns-source"})
    assert cb.args["store"] is layout.select_one({"name": "ns-store"})
    assert cb.args["breakdown"] == {d: naive_bce_breakdown(d) for d in DTYPES}
    spans = [s for f in figs for s in f.center if isinstance(s, Span) and s.dimension == "height"]
    assert cb.args["spans"] == spans
    assert [s.location for s in spans] == [naive_bce_breakdown("float32")] * 2
    labels = [m for f in figs for m in f.center if isinstance(m, Label)]
    assert cb.args["labels"] == labels
    assert labels[0].text == ""
    assert "^" not in figs[0].title.text
    assert "exp(−z)" in figs[0].title.text
    assert len(figs[0].renderers) == len(figs[1].renderers) == 3


@pytest.mark.parametrize("dtype", DTYPES)
def test_data_are_computed_in_that_precision(dtype):
    layout = naive_vs_stable_chart(dtype=dtype)
    data = layout.select_one({"name": "ns-source"}).data
    store = layout.select_one({"name": "ns-store"}).data
    z = data["z"]
    zd = z.astype(dtype)
    np.testing.assert_array_equal(data["celoss_small"], _as_plotted(celoss.bce_with_logits(1, zd), log=True))
    np.testing.assert_array_equal(data["naive_small"], _as_plotted(naive_bce_from_logits(1, zd), log=True))
    np.testing.assert_array_equal(data["clipped_big"], _as_plotted(clipped_bce_from_logits(0, zd), log=False))
    np.testing.assert_array_equal(data["naive_big"], _as_plotted(naive_bce_from_logits(0, zd), log=False))
    for key in ("celoss_small", "naive_small", "clipped_small", "celoss_big", "naive_big", "clipped_big"):
        np.testing.assert_array_equal(store[f"{key}_{dtype}"], data[key])
    # the naive curves stop exactly at the break-down point
    b = naive_bce_breakdown(dtype)
    assert np.all(np.isnan(data["naive_big"][zd >= b]))
    assert np.all(np.isfinite(data["naive_big"][zd < b]))
    assert np.nanmax(data["clipped_big"]) == pytest.approx(-np.log(np.finfo(dtype).eps), rel=1e-6)


def test_bad_dtype():
    with pytest.raises(ValueError, match="dtype 必须是"):
        naive_vs_stable_chart(dtype="float16")


@pytest.mark.parametrize(("active", "dtype"), [(1, "float64"), (0, "float32")])
def test_js_switches_columns_and_markers(run_callback, active, dtype):
    other = DTYPES[1 - active]
    layout = naive_vs_stable_chart(dtype=other)
    cb = js_callback(layout.select_one({"name": "ns-dtype"}), "switch_dtype", "change:active")
    store = {k: np.asarray(v).tolist() for k, v in cb.args["store"].data.items()}  # NaN stays NaN
    args = {
        "source": {"data": {k: np.asarray(v).tolist() for k, v in cb.args["source"].data.items()}},
        "store": {"data": store},
        "toggle": {"active": active},
        "dtypes": list(DTYPES),
        "names": cb.args["names"],
        "spans": [{"location": 0}, {"location": 0}],
        "labels": [{"x": 0, "text": ""}, {"x": 0, "text": ""}],
        "breakdown": cb.args["breakdown"],
    }
    out = run_callback("switch_dtype", args)
    data = out["source"]["data"]
    expected = naive_vs_stable_chart(dtype=dtype).select_one({"name": "ns-source"}).data
    assert sorted(data) == sorted(expected)
    for key, column in expected.items():
        np.testing.assert_array_equal(data[key], column, err_msg=key)  # NaN where the line breaks
    b = naive_bce_breakdown(dtype)
    assert [s["location"] for s in out["spans"]] == [b, b]
    assert [lab["x"] for lab in out["labels"]] == [b, b]
    assert [lab["text"] for lab in out["labels"]] == [f"z = {b:.2f}"] * 2
