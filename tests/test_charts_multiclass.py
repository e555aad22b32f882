"""celoss.charts.multiclass 的结构：滑块、CustomJS 参数、初始数据等于 celoss 的值；
另在无头 Chromium 里执行 js/softmax.js，检查它与 Python 公式逐点一致（含 ±30、±700、±1000 这样的 logit）。"""

from __future__ import annotations

import re

import numpy as np
import pytest
from bokeh.models import CustomJS, Div, LabelSet, RadioButtonGroup, Slider
from bokeh.plotting import figure

import celoss
from celoss.charts.multiclass import LOGIT_RANGE, softmax_chart
from celoss.multiclass import softmax_mse, softmax_mse_grad

from .conftest import assert_js_close, js_callback, readout_numbers


def callback(model, prop="value") -> CustomJS:
    return js_callback(model, "softmax", f"change:{prop}")


def test_structure():
    layout = softmax_chart()
    assert layout.sizing_mode == "stretch_width"
    sliders = layout.children[:3]
    assert all(isinstance(s, Slider) for s in sliders)
    assert len(list(layout.select({"type": Slider}))) == 3
    assert [s.name for s in sliders] == ["mc-z1", "mc-z2", "mc-z3"]
    assert [s.title for s in sliders] == ["z₁", "z₂", "z₃"]
    for s, v in zip(sliders, (2.0, 0.5, -1.0), strict=True):
        assert (s.start, s.end, s.step, s.value) == (*LOGIT_RANGE, 0.1, v)
    chooser = layout.select_one({"name": "mc-label"})
    assert isinstance(chooser, RadioButtonGroup)
    assert chooser.labels == ["类别 1", "类别 2", "类别 3"]
    assert chooser.active == 0
    figs = [m for m in layout.children if isinstance(m, figure)]
    assert len(figs) == 2
    assert figs[1].x_range is figs[0].x_range
    assert all(f.sizing_mode == "stretch_width" for f in figs)
    source = layout.select_one({"name": "mc-source"})
    cb = callback(sliders[0])
    assert cb in layout.js_event_callbacks["document_ready"]  # readout and bar labels written at load
    assert chooser.html_attributes == {"role": "group", "aria-label": "真实类别"}
    assert all(callback(s) is cb for s in sliders)
    assert callback(chooser, "active") is cb
    assert cb.args["source"] is source
    assert cb.args["label"] is chooser
    assert cb.args["sliders"] == sliders
    assert cb.args["readout"] is layout.select_one({"name": "mc-readout"})
    assert {r.data_source for f in figs for r in f.renderers} == {source}
    (labels,) = [m for m in figs[0].center if isinstance(m, LabelSet)]
    assert labels.source is source
    assert labels.text == "p_text"


@pytest.mark.parametrize(("z", "label"), [((2.0, 0.5, -1.0), 0), ((-4.0, 0.0, 4.0), 0), ((8.0, -8.0, 0.0), 1),
                                          ((0.0, 0.0, 0.0), 2)])
def test_initial_data_are_celoss_values(z, label):
    layout = softmax_chart(z=z, label=label)
    data = layout.select_one({"name": "mc-source"}).data
    zz = np.array(z)
    assert isinstance(data["p"], np.ndarray)
    np.testing.assert_array_equal(data["z"], zz)
    np.testing.assert_array_equal(data["p"], celoss.softmax(zz))
    np.testing.assert_array_equal(data["ce_grad"], celoss.cross_entropy_grad(label, zz))
    np.testing.assert_array_equal(data["mse_grad"], softmax_mse_grad(label, zz))
    assert data["color"].count(data["color"][label]) == 1
    readout = layout.select_one({"name": "mc-readout"})
    assert isinstance(readout, Div)
    assert "…" in readout.text
    assert data["p_text"] == ["", "", ""]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"z": (1.0, 2.0)}, "三个 logit"), ({"z": (9.0, 0.0, 0.0)}, r"z 必须在 \[-8, 8\] 区间内"),
     ({"label": 3}, "label 必须是"), ({"label": True}, "label 必须是")],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        softmax_chart(**kwargs)


# ---------------------------------------------------------------------------------------------
# The JS mirrors the Python formulas

def run_js(run_callback, z, label):
    args = {
        "source": {"data": {"x": [1.0, 2.0, 3.0]}},
        "sliders": [{"value": v} for v in z],
        "label": {"active": label},
        "readout": {"text": ""},
        "true_color": "T",
        "other_color": "O",
    }
    out = run_callback("softmax", args)
    return out["source"]["data"], out["readout"]["text"]


#: 滑块范围内的 logit 与真实类别。
IN_RANGE = [((2.0, 0.5, -1.0), 0), ((-4.0, 0.0, 4.0), 0), ((-8.0, 0.0, 8.0), 0), ((8.0, -8.0, 0.0), 1),
            ((0.0, 0.0, 0.0), 2), ((3.3, 0.1, 0.1), 2), ((-7.9, -7.9, 8.0), 2), ((7.3, -6.1, 5.9), 1)]
#: 远在滑块范围之外：JS 既不能上溢，也不能丢掉极小的概率。
EXTREME = [((30.0, -30.0, 0.0), 1), ((700.0, -700.0, 0.5), 2), ((1000.0, -1000.0, 0.0), 1),
           ((-1000.0, -1000.0, -1000.0), 0), ((745.0, 0.0, -745.0), 0)]


@pytest.mark.parametrize(("z", "label"), IN_RANGE + EXTREME)
def test_js_matches_python(run_callback, z, label):
    data, _ = run_js(run_callback, z, label)
    zz = np.array(z)
    p = celoss.softmax(zz)
    assert_js_close(data["z"], zz)
    assert_js_close(data["p"], p)
    d = celoss.cross_entropy_grad(label, zz)
    assert_js_close(data["ce_grad"], d)
    # p_i Σ_j p_j (d_i − d_j): the terms of the sum may cancel
    assert_js_close(data["mse_grad"], softmax_mse_grad(label, zz),
                    scale=p * (p * np.abs(d[:, None] - d[None, :])).sum(axis=1))
    assert data["color"] == ["T" if i == label else "O" for i in range(3)]


@pytest.mark.parametrize(("z", "label"), IN_RANGE)
def test_js_text_shows_the_python_values(run_callback, z, label):
    """读数与柱上的数字：四位小数（很小的数排成 × 10⁻ⁿ），负号是「−」，与 Python 的值一致。"""
    data, text = run_js(run_callback, z, label)
    zz = np.array(z)
    p, d = celoss.softmax(zz), celoss.cross_entropy_grad(label, zz)
    for shown, want in zip(data["p_text"], p, strict=True):
        (number,) = readout_numbers(shown)
        assert number == pytest.approx(want, rel=5e-3, abs=5e-5)
    ce, mse = float(celoss.cross_entropy(label, zz)), float(softmax_mse(label, zz))
    g_ce, g_mse = float(d[label]), float(softmax_mse_grad(label, zz)[label])
    k = label + 1
    assert text.startswith(f"真实类别 {k}：")
    assert "-" not in re.sub(r"<[^>]*>", "", text)
    numbers = readout_numbers(text)
    # 真实类别 k, ŷ_k (subscript k) = p, −log ŷ_k = ce, ½‖ŷ − y‖² = mse, z_k, the two gradients
    assert numbers[0] == k
    values = [numbers[2], numbers[4], numbers[5], numbers[7], numbers[8]]
    for shown, want in zip(values, (p[label], ce, mse, g_ce, g_mse), strict=True):
        assert shown == pytest.approx(want, rel=5e-3, abs=5e-5)
    # notation.md: the predicted probabilities are ŷ (bold: the vector), the label vector is y
    assert "‖</span><b>ŷ</b> − <b>y</b><span" in text
    assert f"<i>ŷ</i><sub>{k}</sub>" in text
    assert "<i>p</i>" not in text
    assert "<i>t</i>" not in text


def test_js_readout_text_for_the_default_chart(run_callback):
    _, text = run_js(run_callback, (2.0, 0.5, -1.0), 0)
    plain = re.sub(r"</?span[^>]*>", "", text)
    assert plain == ("真实类别 1：<i>ŷ</i><sub>1</sub> = 0.7856，交叉熵 −log <i>ŷ</i><sub>1</sub> = 0.2413，"
                     "平方损失 ½‖<b>ŷ</b> − <b>y</b>‖² = 0.0391<br>对 <i>z</i><sub>1</sub> 的梯度：交叉熵 −0.2144，"
                     "平方损失 −0.0615")
