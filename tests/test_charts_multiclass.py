"""celoss.charts.multiclass 的结构：滑块、CustomJS 参数、初始数据等于 celoss 的值；
另在无头 Chromium 里执行 JS 常量，检查它与 Python 公式逐点一致（含 ±30、±700、±1000 这样的 logit）。"""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import CustomJS, Div, LabelSet, RadioButtonGroup, Slider
from bokeh.plotting import figure

import celoss
from celoss.charts.multiclass import LOGIT_RANGE, SOFTMAX_JS, _fmt, softmax_chart
from celoss.multiclass import softmax_mse, softmax_mse_grad

from .conftest import assert_js_close


def callback(model, prop="value") -> CustomJS:
    (cb,) = model.js_property_callbacks[f"change:{prop}"]
    return cb


def test_structure():
    layout = softmax_chart()
    assert layout.sizing_mode == "stretch_width"
    sliders = layout.children[:3]
    assert all(isinstance(s, Slider) for s in sliders) and len(list(layout.select({"type": Slider}))) == 3
    assert [s.name for s in sliders] == ["mc-z1", "mc-z2", "mc-z3"]
    assert [s.title for s in sliders] == ["z₁", "z₂", "z₃"]
    for s, v in zip(sliders, (2.0, 0.5, -1.0), strict=True):
        assert (s.start, s.end, s.step, s.value) == (*LOGIT_RANGE, 0.1, v)
    chooser = layout.select_one({"name": "mc-label"})
    assert isinstance(chooser, RadioButtonGroup)
    assert chooser.labels == ["类别 1", "类别 2", "类别 3"] and chooser.active == 0
    figs = [m for m in layout.children if isinstance(m, figure)]
    assert len(figs) == 2 and figs[1].x_range is figs[0].x_range
    assert all(f.sizing_mode == "stretch_width" for f in figs)
    source = layout.select_one({"name": "mc-source"})
    cb = callback(sliders[0])
    assert cb.code == SOFTMAX_JS
    assert all(callback(s) is cb for s in sliders) and callback(chooser, "active") is cb
    assert cb.args["source"] is source and cb.args["label"] is chooser
    assert cb.args["sliders"] == sliders
    assert cb.args["readout"] is layout.select_one({"name": "mc-readout"})
    assert {r.data_source for f in figs for r in f.renderers} == {source}
    (labels,) = [m for m in figs[0].center if isinstance(m, LabelSet)]
    assert labels.source is source and labels.text == "p_text"


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
    assert f"真实类别 {label + 1}" in readout.text
    assert _fmt(float(celoss.cross_entropy(label, zz))) in readout.text
    assert _fmt(float(softmax_mse(label, zz))) in readout.text


def test_number_format_matches_the_js_one():
    assert _fmt(0.24131) == "0.2413" and _fmt(0.0) == "0.0000" and _fmt(-0.0006466) == "-6.47e-4"
    assert _fmt(8.0185) == "8.0185" and _fmt(2.2e-7) == "2.20e-7"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"z": (1.0, 2.0)}, "三个 logit"), ({"z": (9.0, 0.0, 0.0)}, "滑块范围"), ({"label": 3}, "label 必须是"),
     ({"label": True}, "label 必须是")],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        softmax_chart(**kwargs)


# ---------------------------------------------------------------------------------------------
# The JS mirrors the Python formulas

TEMPLATE = "{c}|{p}|{ce}|{mse}|{ce_grad}|{mse_grad}"


def run_js(run_callback, z, label, template=TEMPLATE):
    args = {
        "source": {"data": {"x": [1.0, 2.0, 3.0]}},
        "sliders": [{"value": v} for v in z],
        "label": {"active": label},
        "readout": {"text": ""},
        "readout_template": template,
        "true_color": "T",
        "other_color": "O",
    }
    out = run_callback(SOFTMAX_JS, args)
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
def test_js_text_matches_python(run_callback, z, label):
    """读数与柱上的数字：JS 的 fmt 与 Python 的 _fmt 逐字相同。"""
    data, text = run_js(run_callback, z, label)
    zz = np.array(z)
    p, d = celoss.softmax(zz), celoss.cross_entropy_grad(label, zz)
    assert data["p_text"] == [_fmt(float(v)) for v in p]
    ce, mse = float(celoss.cross_entropy(label, zz)), float(softmax_mse(label, zz))
    g_ce, g_mse = float(d[label]), float(softmax_mse_grad(label, zz)[label])
    assert text == "|".join([str(label + 1)] + [_fmt(v) for v in (p[label], ce, mse, g_ce, g_mse)])


@pytest.mark.parametrize(("z", "label"), [((0.0, 0.0, -8.0), 0), ((2.0, 0.5, -1.0), 2)])
def test_js_readout_uses_the_real_template(run_callback, z, label):
    """JS 用图表真正的模板写出的读数，与 Python 的 _readout 给出的初始读数逐字相同。"""
    layout = softmax_chart(z=z, label=label)
    cb = callback(layout.select_one({"name": "mc-z1"}))
    assert "{c}" in cb.args["readout_template"]
    _, text = run_js(run_callback, z, label, template=cb.args["readout_template"])
    assert text == layout.select_one({"name": "mc-readout"}).text
    assert text.startswith(f"真实类别 {label + 1}：p<sub>{label + 1}</sub> = ")
