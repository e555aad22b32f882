"""celoss.charts.basics：MSE 损失图的滑块与 CustomJS 参数，以及 js/mse_loss.js 在无头 Chromium 里
与 celoss.mse(y, celoss.sigmoid(z)) 逐点一致（含 z = ±30、±700、±1000）。"""

from __future__ import annotations

import numpy as np
import pytest

import celoss
from celoss.charts.basics import mse_loss_chart

from .conftest import assert_js_close, js_callback


def test_mse_loss_chart_wiring_and_initial_data():
    layout = mse_loss_chart(y=0.3)
    slider, _ = layout.children
    cb = js_callback(slider, "mse_loss")
    source = layout.select_one({"name": "mse-loss-source"})
    assert cb.module is True
    assert cb.args == {"source": source}
    assert slider.format == "0.00"
    assert slider.tooltips is False
    assert layout.html_attributes["role"] == "figure"
    assert "MSE" in layout.html_attributes["aria-label"]
    (a11y,) = layout.js_event_callbacks["document_ready"]
    assert a11y.args["sliders"] == [slider]
    assert "真实标签 y" in a11y.args["labels"][0]
    z = source.data["z"]
    np.testing.assert_array_equal(source.data["loss"], celoss.mse(0.3, celoss.sigmoid(z)))


@pytest.mark.parametrize("y", [0.0, 0.01, 0.37, 0.5, 1.0])
def test_mse_loss_js_matches_python(run_callback, y):
    z = np.unique(np.r_[np.linspace(-10, 10, 200), [-1000.0, -745.0, -700.0, -30.0, 30.0, 700.0, 745.0, 1000.0]])
    out = run_callback("mse_loss", {"source": {"data": {"z": z.tolist()}}}, {"value": y})
    data = out["source"]["data"]
    assert data["z"] == z.tolist()
    s = celoss.sigmoid(z)
    # ½(y − σ)²: the error of y − σ is relative to y + σ
    assert_js_close(data["loss"], celoss.mse(y, s), scale=np.abs(y - s) * (y + s))
