"""每张图的文字（标题、坐标轴、图例、滑块、按钮、说明与读数，包括 charts/js 里由 JS 写出的）都用
docs/notation.md 规定的符号：真实类别的概率是 qₜ（不是 Focal Loss 论文的 pₜ），一个样本的损失是 ℓ、
似然是 ℒ（L 是平均损失），标签平滑系数是 εₗₛ、截断常数是 δ（不单写 ε），多分类的预测是 ŷ、标签是 y。"""

from __future__ import annotations

import re

import numpy as np
import pytest
from bokeh.models import Axis, Div, Label, LegendItem, Slider, TabPanel, Title
from bokeh.models.widgets.groups import AbstractGroup

from celoss.charts import (
    _js,
    basics,
    gradients,
    information,
    landscape,
    likelihood,
    multiclass,
    numerics,
    training,
    variants,
)
from celoss.lab.training import learning_rate_sweep, run_grid

#: 不合记号的写法 → 该用的写法。
FORBIDDEN = {
    r"pₜ|p_t|p_\{t\}": "qₜ（notation.md：q_t）",
    r"ε(?![ₗₘ])": "εₗₛ、δ 或 ε_mach（单写 ε 有歧义）",
    r"∂L|\bL\(|log L\b|损失 L\b": "一个样本的损失 ℓ、似然 ℒ（L 是平均损失）",
    r"<i>p</i>|<i>t</i>|‖p|m̂|v̂": "ŷ、y（notation.md），Adam 的 m̂ 与书中的 m 冲突",
}


def _texts(layout) -> list[str]:
    out = []
    for model in layout.references():
        out.append(getattr(model, "html_attributes", {}).get("aria-label", ""))  # the screen-reader description
        if isinstance(model, Title):
            out.append(model.text)
        elif isinstance(model, Axis):
            out.append(str(model.axis_label or ""))
        elif isinstance(model, LegendItem):
            out.append(str(model.label.get("value", "") if isinstance(model.label, dict) else model.label))
        elif isinstance(model, Slider):
            out.append(model.title)
            out.extend(t["aria-label"] for t in model.tags if isinstance(t, dict) and "aria-label" in t)
        elif isinstance(model, (Div, Label)):
            out.append(model.text)
        elif isinstance(model, AbstractGroup):
            out.extend(model.labels)
        elif isinstance(model, TabPanel):
            out.append(model.title)
    return [t for t in out if t]


@pytest.fixture(scope="module")
def charts():
    grid = run_grid(np.random.default_rng(0), models=["logistic"], steps=30, checkpoints=[0, 30])
    sweep = learning_rate_sweep((0,), models=["logistic"], learning_rates=[1.0, 10.0], steps=20)
    return {
        "sigmoid_chart": basics.sigmoid_chart(), "mse_loss_chart": basics.mse_loss_chart(),
        "bce_chart": basics.bce_chart(1), "loss_gradient_chart": gradients.loss_gradient_chart(),
        "gradient_magnitude_chart": gradients.gradient_magnitude_chart(),
        "entropy_chart": information.entropy_chart(), "cross_entropy_kl_chart": information.cross_entropy_kl_chart(),
        "tangent_chart": landscape.tangent_chart(), "curvature_chart": landscape.curvature_chart(),
        "surface_chart": landscape.surface_chart(n=21), "log_likelihood_chart": likelihood.log_likelihood_chart(),
        "softmax_chart": multiclass.softmax_chart(), "naive_vs_stable_chart": numerics.naive_vs_stable_chart(),
        "training_runs_chart": training.training_runs_chart(grid),
        "learning_rate_sweep_chart": training.learning_rate_sweep_chart(sweep),
        "smoothing_chart": variants.smoothing_chart(), "focal_loss_chart": variants.focal_loss_chart(),
    }


def test_every_chart_function_is_checked(charts):
    modules = (basics, gradients, information, landscape, likelihood, multiclass, numerics, training, variants)
    functions = {name for module in modules for name in module.__all__ if name.endswith("_chart")}
    assert functions == set(charts)


def _offences(text: str) -> list[str]:
    return [f"{text!r}: {m.group(0)} → {why}" for pattern, why in FORBIDDEN.items() for m in re.finditer(pattern, text)]


def test_chart_text_follows_the_notation_page(charts):
    texts = {name: _texts(layout) for name, layout in charts.items()}
    assert all(texts.values()), [name for name, t in texts.items() if not t]
    assert [o for name, t in texts.items() for text in t for o in _offences(f"{name}: {text}")] == []


def test_decision_boundary_figure_follows_the_notation_page():
    grid = run_grid(np.random.default_rng(0), models=["logistic"], learning_rates=[0.5], steps=10,
                    checkpoints=[0, 10])
    fig = training.decision_boundary_figure(grid)
    texts = [fig.get_suptitle()] + [t for ax in fig.axes for t in (ax.get_title(), ax.get_ylabel())]
    texts += [t.get_text() for ax in fig.axes for t in ax.texts]
    assert [o for text in texts for o in _offences(text)] == []


def _strings(js: str) -> list[str]:
    """一个 JS 文件里的字符串与模板字符串（注释除外）：页面上显示的文字都在这里。"""
    code = re.sub(r"^\s*//.*$", "", js, flags=re.MULTILINE)
    return re.findall(r'"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`', code)


@pytest.mark.parametrize("name", sorted(p.stem for p in _js.JS_DIR.glob("*.js")))
def test_javascript_readouts_follow_the_notation_page(name):
    text = (_js.JS_DIR / f"{name}.js").read_text(encoding="utf-8")
    shown = [a or b for a, b in _strings(text)]
    assert [o for s in shown for o in _offences(s)] == []


def test_the_checks_would_catch_the_old_labels():
    for old in ("pₜ（真实类别的预测概率）", "ε（标签平滑系数）", "−∂L/∂zₜ", "对数似然 log L(p)", "L(y, ŷ)",
                "截断：σ(z) 夹在 [ε, 1 − ε]", "½‖<i>p</i> − <i>t</i>‖²"):
        assert _offences(old), old
    for new in ("qₜ（真实类别的预测概率）", "εₗₛ（标签平滑系数）", "−∂ℓ/∂zₜ", "对数似然 log ℒ(q)", "ℓ(y, ŷ)",
                "截断：σ(z) 夹在 [δ, 1 − δ]", "½‖<b>ŷ</b> − <b>y</b>‖²", "学习率 η", "熵 H(p)"):
        assert not _offences(new), new
