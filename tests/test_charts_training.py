"""celoss.charts.training: structure of the run switcher (widgets, callback, data = the runs) and
of the decision-boundary figure (panels, data, Chinese text rendered with a CJK font)."""

from __future__ import annotations

import io
import re
import warnings

import matplotlib as mpl  # a test dependency: never skipped
import numpy as np
import pytest
from bokeh.models import (
    ColumnDataSource,
    CustomJS,
    CustomJSTicker,
    CustomJSTickFormatter,
    Div,
    RadioButtonGroup,
    Span,
)

from celoss.charts._display import WIDGETS_MARK, to_html
from celoss.charts._js import function_body
from celoss.charts._style import cjk_rc
from celoss.charts.training import (
    decision_boundary_figure,
    plot_steps,
    training_runs_chart,
)
from celoss.lab.training import run_grid, steps_to_accuracy

from .conftest import js_callback

mpl.use("agg")


@pytest.fixture(scope="module")
def grid():
    return run_grid(np.random.default_rng(0), steps=60, checkpoints=(0, 5, 60))


@pytest.fixture(scope="module")
def chart(grid):
    return training_runs_chart(grid)


def named(layout, name):
    model = layout.select_one({"name": name})
    assert model is not None, name
    return model


# --------------------------------------------------------------------------- the run switcher


def test_widgets(chart):
    model, init, rate = (named(chart, f"training-{n}") for n in ("model", "init", "rate"))
    for group in (model, init, rate):
        assert isinstance(group, RadioButtonGroup)
    assert model.labels == ["逻辑回归", "MLP"]
    assert init.labels == ["随机小初始化", "自信地错"]
    assert rate.labels == ["0.1", "0.5", "2"]
    # the chapter's starting point: logistic regression, confidently wrong, η = 0.5
    assert (model.active, init.active, rate.active) == (0, 1, 1)
    assert isinstance(named(chart, "training-summary"), Div)
    assert WIDGETS_MARK in to_html(chart)


def test_every_button_group_runs_the_same_callback(chart):
    callbacks = []
    for n in ("model", "init", "rate"):
        group = named(chart, f"training-{n}")
        callback = js_callback(group, "switch_run", "change:active")
        assert group.html_attributes["role"] == "group"
        assert group.html_attributes["aria-label"]
        callbacks.append(callback)
    assert all(c is callbacks[0] for c in callbacks)
    callback = callbacks[0]
    assert isinstance(callback, CustomJS)
    args = callback.args
    assert set(args) == {"source", "store", "summary", "summaries", "models", "inits", "model", "init", "rate"}
    assert args["source"] is named(chart, "training-curves")
    assert args["store"] is named(chart, "training-runs")
    assert args["summary"] is named(chart, "training-summary")
    assert args["model"] is named(chart, "training-model")
    assert args["models"] == ["logistic", "mlp"]
    assert args["inits"] == ["random", "confident_wrong"]


def test_store_holds_every_run_as_float32(chart, grid):
    store = named(chart, "training-runs")
    steps = plot_steps(grid.steps)
    np.testing.assert_array_equal(store.data["step"], steps)
    assert steps[0] == 1
    assert steps[-1] == grid.steps
    assert np.all(np.diff(steps) > 0)
    keys = set(store.data) - {"step"}
    assert len(keys) == len(grid.runs) * 2
    for m in grid.models:
        for i in grid.inits:
            for r_index, rate in enumerate(grid.learning_rates):
                for loss in grid.losses:
                    run = grid.get(m, i, rate, loss)
                    loss_col = store.data[f"{m}|{i}|{r_index}|{loss}|loss"]
                    acc_col = store.data[f"{m}|{i}|{r_index}|{loss}|acc"]
                    assert loss_col.dtype == acc_col.dtype == np.float32
                    np.testing.assert_array_equal(loss_col, run.loss_history[steps].astype(np.float32))
                    np.testing.assert_array_equal(acc_col, run.accuracy_history[steps].astype(np.float32))


def test_key_built_like_the_javascript(chart, grid):
    """The JS builds ``models[model.active] + "|" + inits[init.active] + "|" + rate.active``: every
    combination of buttons must name columns in the store and a summary."""
    args = named(chart, "training-model").js_property_callbacks["change:active"][0].args
    store = named(chart, "training-runs").data
    for a in range(len(args["models"])):
        for b in range(len(args["inits"])):
            for c in range(len(grid.learning_rates)):
                key = args["models"][a] + "|" + args["inits"][b] + "|" + str(c)
                for column in ("mse|loss", "bce|loss", "mse|acc", "bce|acc"):
                    assert f"{key}|{column}" in store
                assert key in args["summaries"]


def test_initial_curves_are_the_selected_run(chart, grid):
    source = named(chart, "training-curves")
    assert isinstance(source, ColumnDataSource)
    steps = plot_steps(grid.steps)
    for loss in ("mse", "bce"):
        run = grid.get("logistic", "confident_wrong", 0.5, loss)
        np.testing.assert_array_equal(source.data[f"{loss}_loss"], run.loss_history[steps].astype(np.float32))
        np.testing.assert_array_equal(source.data[f"{loss}_acc"], run.accuracy_history[steps].astype(np.float32))


def test_summaries_come_from_steps_to_accuracy(chart, grid):
    summaries = named(chart, "training-model").js_property_callbacks["change:active"][0].args["summaries"]
    for key, text in summaries.items():
        m, i, r_index = key.split("|")
        rate = grid.learning_rates[int(r_index)]
        for loss, name in (("mse", "MSE"), ("bce", "交叉熵")):
            steps = steps_to_accuracy(grid.get(m, i, rate, loss), 0.9)
            expected = f"{grid.steps} 步内未达到" if steps is None else f"第 {steps} 步"
            assert f"{name} {expected}" in text, text
    assert named(chart, "training-summary").text == summaries["logistic|confident_wrong|1"]


def test_figures_axes_and_target_line(chart):
    figures = [m for m in chart.references() if type(m).__name__ == "figure"]
    assert len(figures) == 2
    acc, loss = sorted(figures, key=lambda f: f.yaxis[0].axis_label != "准确率")
    assert type(acc.x_scale).__name__ == "LogScale"
    assert type(loss.y_scale).__name__ == "LogScale"
    # the loss axis's ticks and their text come from js/log_ticks.js and js/log_tick_label.js (tested below),
    # the grid lines follow the same ticks
    ticker = loss.yaxis[0].ticker
    assert isinstance(ticker, CustomJSTicker)
    assert ticker.major_code == function_body("log_ticks", "cb_data")
    assert ticker.minor_code == ""
    assert loss.ygrid[0].ticker is ticker
    assert isinstance(loss.yaxis[0].formatter, CustomJSTickFormatter)
    assert loss.yaxis[0].formatter.code == function_body("log_tick_label", "{tick}")
    (span,) = [r for r in acc.center if isinstance(r, Span)]
    assert span.location == 0.9
    (pair,) = [m for m in chart.references() if type(m).__name__ == "Row" and acc in m.children]
    assert pair.children == [acc, loss]
    assert pair.styles["flex-wrap"] == "wrap"
    for fig in figures:
        assert fig.sizing_mode == "stretch_width"
        assert [item.label["value"] for item in fig.legend[0].items] == ["MSE", "交叉熵"]


#: Bokeh 调用 CustomJSTicker / CustomJSTickFormatter 的方式：代码是函数体，cb_data 或 tick 是参数。
_TICKS = """([ticks, label, ranges]) => ranges.map(([start, end]) => {
  const major = new Function("cb_data", ticks)({start, end, range: null, cross_loc: null});
  return [major, major.map((tick, index) => new Function("tick", "index", "ticks", label)(tick, index, major))];
})"""

#: 可见范围：训练损失图各按钮组合里出现的（不到一个数量级到四个多数量级），加上更窄、更宽和颠倒的。
_RANGES = [(0.13, 1.0), (0.2, 0.75), (0.42, 0.71), (0.45, 0.62), (0.505, 0.515), (0.055, 0.8), (2.0, 7.0),
           (1e-4, 0.9), (3e-5, 5.0), (1e-12, 10.0), (1e-300, 1e300), (0.7, 0.2)]


def test_loss_axis_ticks_are_apart_and_labelled_in_every_range(run_js):
    """每种范围都至少有两个刻度，相邻刻度在对数轴上至少隔开纵轴的六分之一，文字各不相同。

    Bokeh 自己的 LogTicker 在 0.2 到 0.75 上给出 0.2、0.3、……、0.7（等距），0.5、0.6、0.7 挤在顶端。
    """
    results = run_js(_TICKS, [function_body("log_ticks", "cb_data"), function_body("log_tick_label", "{tick}"),
                              [list(r) for r in _RANGES]])
    for (start, end), (ticks, texts) in zip(_RANGES, results, strict=True):
        lo, hi = sorted((start, end))
        span = np.log10(hi) - np.log10(lo)
        assert len(ticks) >= 2, (start, end, ticks)
        assert all(lo <= t <= hi for t in ticks), (start, end, ticks)
        assert np.min(np.diff(np.log10(ticks))) >= span / 6 - 1e-12, (start, end, ticks)
        assert len(ticks) <= 7, (start, end, ticks)
        assert len(set(texts)) == len(texts), (start, end, texts)
        assert all(texts), (start, end, texts)
    ticks, texts = results[_RANGES.index((0.2, 0.75))]
    assert texts == ["0.2", "0.3", "0.5", "0.7"]
    assert results[_RANGES.index((1e-4, 0.9))][1] == ["10⁻⁴", "0.001", "0.01", "0.1"]
    assert results[_RANGES.index((0.505, 0.515))][1] == ["0.505", "0.51", "0.515"]
    assert results[_RANGES.index((3e-5, 5.0))][1][:2] == ["10⁻⁴", "0.001"]


def test_initial_selection_and_bad_arguments(grid):
    chart = training_runs_chart(grid, model="mlp", init="random", learning_rate=2.0, target=0.8)
    assert (named(chart, "training-model").active, named(chart, "training-init").active,
            named(chart, "training-rate").active) == (1, 0, 2)
    assert "达到 80% 准确率" in named(chart, "training-summary").text
    with pytest.raises(TypeError, match="grid 必须是"):
        training_runs_chart([1, 2])
    with pytest.raises(ValueError, match="learning_rate 必须是"):
        training_runs_chart(grid, learning_rate=0.3)
    with pytest.raises(ValueError, match="model 必须是"):
        training_runs_chart(grid, model="cnn")
    only_mse = run_grid(np.random.default_rng(0), models=["logistic"], losses=["mse"], steps=2, checkpoints=[0])
    with pytest.raises(ValueError, match="'mse' 与 'bce'"):
        training_runs_chart(only_mse)


def test_plot_steps():
    assert plot_steps(1).tolist() == [1]
    steps = plot_steps(500)
    assert steps[0] == 1
    assert steps[-1] == 500
    assert len(steps) <= 120
    assert len(np.unique(steps)) == len(steps)


# --------------------------------------------------------------------------- the decision-boundary figure


@pytest.fixture(scope="module")
def figure(grid):
    return decision_boundary_figure(grid)


def test_panels_titles_and_labels(figure, grid):
    axes = np.array(figure.axes).reshape(3, 2)  # rows: snapshot steps; columns: MSE, cross-entropy
    assert [ax.get_title() for ax in axes[0]] == ["MSE", "交叉熵"]
    assert [ax.get_ylabel() for ax in axes[:, 0]] == ["第 0 步", "第 5 步", "第 60 步"]
    assert all(word in figure.get_suptitle() for word in ("决策边界", "逻辑回归", "0.5", "自信地错"))
    for column, loss in zip(axes.T, ("mse", "bce"), strict=True):
        run = grid.get("logistic", "confident_wrong", 0.5, loss)
        for ax, step in zip(column, (0, 5, 60), strict=True):
            texts = [t.get_text() for t in ax.texts]
            assert f"准确率 {run.accuracy_history[step]:.0%}" in texts


def test_background_is_the_snapshot_prediction(figure, grid):
    ax = figure.axes[2]  # step 5, MSE column
    image = ax.images[0]
    x0, x1, y0, y1 = image.get_extent()
    data = np.asarray(image.get_array())
    gx, gy = np.meshgrid(np.linspace(x0, x1, data.shape[1]), np.linspace(y0, y1, data.shape[0]))
    params = grid.get("logistic", "confident_wrong", 0.5, "mse").snapshots[5]
    expected = params.predict_proba(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    np.testing.assert_allclose(data, expected, rtol=1e-12)
    # every training point is drawn, one scatter per class
    drawn = sorted(len(c.get_offsets()) for c in ax.collections if len(c.get_offsets()) > 1)
    assert drawn == sorted([int((grid.y == 0).sum()), int((grid.y == 1).sum())])


def test_chinese_renders_with_a_cjk_font_and_no_missing_glyphs(figure):
    from matplotlib import font_manager

    if "Noto Sans CJK SC" not in {f.name for f in font_manager.fontManager.ttflist}:
        pytest.fail("Noto Sans CJK SC 未安装：请安装 Debian 的 fonts-noto-cjk")
    title = figure.axes[0].title
    assert "NotoSansCJK" in font_manager.findfont(title.get_fontproperties())
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise here
        figure.savefig(buffer, format="svg")
    svg = buffer.getvalue().decode("utf-8")
    texts = re.findall(r"<!-- (.*?) -->", svg)
    assert "第 0 步" in texts
    assert any("决策边界" in t for t in texts)
    assert len(svg) < 400_000  # rasterised points and background keep the page light


def test_figure_options_and_errors(grid):
    both = decision_boundary_figure(grid, model="mlp", learning_rate=2.0, inits=["random", "confident_wrong"])
    assert len(both.axes) == 4 * 3
    assert "MLP" in both.get_suptitle()
    assert [ax.get_title() for ax in both.axes[:4]] == ["随机小初始化 · MSE", "随机小初始化 · 交叉熵",
                                                        "自信地错 · MSE", "自信地错 · 交叉熵"]
    with pytest.raises(ValueError, match="inits 中的元素"):
        decision_boundary_figure(grid, inits=["zeros"])
    with pytest.raises(ValueError, match="learning_rate"):
        decision_boundary_figure(grid, learning_rate=7.0)
    with pytest.raises(TypeError, match="grid 必须是"):
        decision_boundary_figure("grid")
    bare = run_grid(np.random.default_rng(0), models=["logistic"], steps=2, checkpoints=())
    with pytest.raises(ValueError, match="快照"):
        decision_boundary_figure(bare)


def test_cjk_rc_lists_only_installed_fonts():
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    family = cjk_rc()["font.family"]
    assert family
    assert all(name in installed for name in family)


def test_figure_does_not_touch_global_matplotlib_state(grid):
    before = dict(mpl.rcParams)
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    decision_boundary_figure(grid)
    assert dict(mpl.rcParams) == before
    assert plt.get_fignums() == open_before
