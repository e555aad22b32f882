"""celoss.charts.multiclass: structure, sliders and CustomJS arguments, initial data equal to celoss's
values; the JS constant run in Node.js agrees with the Python formulas (skipped without node)."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from bokeh.models import CustomJS, Div, LabelSet, RadioButtonGroup, Slider
from bokeh.plotting import figure

import celoss
from celoss.charts.multiclass import LOGIT_RANGE, SOFTMAX_JS, _fmt, _readout, softmax_chart
from celoss.multiclass_mse import softmax_mse, softmax_mse_grad

NODE = shutil.which("node")


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


def run_js(z, label):
    args = {
        "source": {"data": {"x": [1.0, 2.0, 3.0]}},
        "sliders": [{"value": v} for v in z],
        "label": {"active": label},
        "readout": {"text": ""},
        "readout_template": TEMPLATE,
        "true_color": "T",
        "other_color": "O",
    }
    script = (
        f"const args = {json.dumps(args)};\n"
        f"(function ({', '.join(args)}) {{\n{SOFTMAX_JS}\n}})(...Object.values(args));\n"
        "const d = args.source.data;\n"
        "const plain = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, Array.from(v)]));\n"
        "console.log(JSON.stringify({data: plain, text: args.readout.text}));"
    )
    out = subprocess.run([NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(out.stdout)


@pytest.mark.skipif(NODE is None, reason="需要 Node.js 才能执行图表的 JS")
@pytest.mark.parametrize(
    ("z", "label"),
    [((2.0, 0.5, -1.0), 0), ((-4.0, 0.0, 4.0), 0), ((-8.0, 0.0, 8.0), 0), ((8.0, -8.0, 0.0), 1), ((0.0, 0.0, 0.0), 2),
     ((3.3, 0.1, 0.1), 2), ((-7.9, -7.9, 8.0), 2)],
)
def test_js_matches_python(z, label):
    out = run_js(z, label)
    data, text = out["data"], out["text"]
    zz = np.array(z)
    np.testing.assert_allclose(data["p"], celoss.softmax(zz), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(data["ce_grad"], celoss.cross_entropy_grad(label, zz), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(data["mse_grad"], softmax_mse_grad(label, zz), rtol=1e-12, atol=1e-300)
    assert data["color"] == ["T" if i == label else "O" for i in range(3)]
    assert data["p_text"] == [_fmt(float(v)) for v in celoss.softmax(zz)]
    ce, mse = float(celoss.cross_entropy(label, zz)), float(softmax_mse(label, zz))
    g_ce, g_mse = float(celoss.cross_entropy_grad(label, zz)[label]), float(softmax_mse_grad(label, zz)[label])
    assert text == "|".join([str(label + 1)] + [_fmt(v) for v in (celoss.softmax(zz)[label], ce, mse, g_ce, g_mse)])


@pytest.mark.skipif(NODE is None, reason="需要 Node.js 才能执行图表的 JS")
def test_js_readout_uses_the_real_template():
    args_text = _readout(0, 0.5, 0.6931, 0.125, -0.5, -0.125)
    assert args_text.startswith("真实类别 1：p<sub>1</sub> = 0.5000")
    layout = softmax_chart(z=(0.0, 0.0, -8.0))
    cb = callback(layout.select_one({"name": "mc-z1"}))
    assert "{c}" in cb.args["readout_template"]
