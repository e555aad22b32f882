"""「训练对比实验」一章的两张图：可切换的训练曲线（Bokeh）与决策边界小图网格（matplotlib）。

两张图都只画 :func:`celoss.lab.training.run_grid` 已经算好的结果，自己不训练。

* :func:`training_runs_chart` —— 三组按钮（模型、初始化、学习率）选一组实验，
  两张图并排比较 MSE 与交叉熵的准确率、损失曲线。所有实验的曲线都以 float32 数组
  嵌在页面里，按钮的 ``CustomJS`` （``js/switch_run.js``）只是换一组数据，不做计算。
* :func:`learning_rate_sweep_chart` —— 学习率扫描：每种损失在每个学习率上达到目标所需的步数
  （由 :func:`celoss.lab.training.learning_rate_sweep` 算好）。
* :func:`decision_boundary_figure` —— 选定模型与学习率，每一行是一种（初始化, 损失），
  每一列是一个快照步数，画出模型的 :math:`\\hat y` 与 0.5 等高线（决策边界）。
  中文字体由 ``celoss.charts._style.cjk_rc`` 统一配置。
"""

from __future__ import annotations

import numpy as np
from bokeh.layouts import row
from bokeh.models import (
    ColumnDataSource,
    CustomJSTicker,
    CustomJSTickFormatter,
    Div,
    HoverTool,
    Legend,
    LegendItem,
    Span,
    TabPanel,
    Tabs,
)

from celoss.lab.tables import labels
from celoss.lab.training import INITS, LOSSES, MODELS, OPTIMIZERS, RunGrid, Sweep, steps_to_accuracy

from ._js import callback, function_body
from ._style import COLORS, buttons, chart, cjk_rc, new_figure

__all__ = [
    "training_runs_chart",
    "decision_boundary_figure",
    "MODEL_NAMES",
    "INIT_NAMES",
    "LOSS_NAMES",
    "plot_steps",
    "OPTIMIZER_NAMES",
    "learning_rate_sweep_chart",
]

#: 图上显示的模型名（来自 :data:`celoss.lab.tables.LABELS`）：键是 :data:`celoss.lab.training.MODELS` 里的名字。
MODEL_NAMES = labels(MODELS)
#: 图上显示的初始化名（来自 :data:`celoss.lab.tables.LABELS`）：键是 :data:`celoss.lab.training.INITS` 里的名字。
INIT_NAMES = labels(INITS)
#: 图上显示的损失名（来自 :data:`celoss.lab.tables.LABELS`）：键是 :data:`celoss.lab.training.LOSSES` 里的名字。
LOSS_NAMES = labels(LOSSES)
#: 图上显示的优化器名（来自 :data:`celoss.lab.tables.LABELS`）。
OPTIMIZER_NAMES = labels(OPTIMIZERS)


def plot_steps(steps: int, n: int = 120) -> np.ndarray:
    """对数刻度横轴上要画的步数：1 到 ``steps`` 之间大致等比、去重后的整数。

    Examples
    --------
    >>> from celoss.charts.training import plot_steps
    >>> plot_steps(10, n=5).tolist()
    [1, 2, 3, 6, 10]
    """
    return np.unique(np.round(np.geomspace(1, max(steps, 1), n)).astype(np.int64))


def _key(model: str, init: str, rate_index: int) -> str:
    return f"{model}|{init}|{rate_index}"


def _describe_steps(steps: int | None, budget: int) -> str:
    return f"{budget} 步内未达到" if steps is None else f"第 {steps} 步"


def _require_losses(grid: RunGrid) -> None:
    if not isinstance(grid, RunGrid):
        raise TypeError(f"grid 必须是 celoss.lab.training.run_grid 的结果（RunGrid），收到 {type(grid).__name__}")
    if set(grid.losses) != {"mse", "bce"}:
        raise ValueError(f"grid 必须同时含有 'mse' 与 'bce' 两种损失，收到 {grid.losses!r}")


def _index(value, options, name: str) -> int:
    try:
        return list(options).index(value)
    except ValueError:
        raise ValueError(f"{name} 必须是 {list(options)!r} 之一，收到 {value!r}") from None


def training_runs_chart(grid: RunGrid, *, model: str | None = None, init: str | None = None,
                        learning_rate: float | None = None, target: float = 0.9):
    """可切换的训练曲线：选一组（模型, 初始化, 学习率），并排看 MSE 与交叉熵。

    上方三组按钮选择实验；下方两张图的横轴都是训练步数（对数刻度，从第 1 步起），
    左边是准确率，带一条目标准确率的虚线；右边是各自的训练损失（对数刻度）。页面窄于
    两张图的最小宽度时（手机），两张图自动上下排列。按钮下方的一行字给出两种损失达到目标准确率所需的步数
    （由 :func:`celoss.lab.training.steps_to_accuracy` 预先算好）。

    Parameters
    ----------
    grid : celoss.lab.training.RunGrid
        :func:`celoss.lab.training.run_grid` 的结果，须同时含有 ``"mse"`` 与 ``"bce"``。
    model, init : str, optional
        初始选中的模型与初始化；默认为第一个模型与 ``"confident_wrong"`` （若有）。
    learning_rate : float, optional
        初始选中的学习率；默认为居中的那个。
    target : float
        目标准确率（说明文字与虚线）。

    Returns
    -------
    bokeh.layouts.column
        按钮、说明文字与两张图。

    Raises
    ------
    TypeError
        ``grid`` 不是 :class:`~celoss.lab.training.RunGrid`。
    ValueError
        ``grid`` 缺少某种损失，或初始选择不在网格里。

    Examples
    --------
    >>> from celoss.charts.training import training_runs_chart
    >>> import numpy as np
    >>> from celoss.lab.training import run_grid
    >>> grid = run_grid(np.random.default_rng(0), models=["logistic"], steps=50, checkpoints=[0])
    >>> layout = training_runs_chart(grid)
    >>> source = layout.select_one({"name": "training-curves"})
    >>> sorted(source.data)
    ['bce_acc', 'bce_loss', 'mse_acc', 'mse_loss', 'step']
    >>> layout.select_one({"name": "training-rate"}).labels
    ['0.1', '0.5', '2']
    """
    _require_losses(grid)
    model = grid.models[0] if model is None else model
    init = ("confident_wrong" if "confident_wrong" in grid.inits else grid.inits[0]) if init is None else init
    rate = grid.learning_rates[len(grid.learning_rates) // 2] if learning_rate is None else float(learning_rate)
    active = (_index(model, grid.models, "model"), _index(init, grid.inits, "init"),
              _index(rate, grid.learning_rates, "learning_rate"))

    steps = plot_steps(grid.steps)
    store, summaries = {"step": steps}, {}
    for m in grid.models:
        for i in grid.inits:
            for r_index, r in enumerate(grid.learning_rates):
                key = _key(m, i, r_index)
                reached = {}
                for loss in grid.losses:
                    run = grid.get(m, i, r, loss)
                    store[f"{key}|{loss}|loss"] = run.loss_history[steps].astype(np.float32)
                    store[f"{key}|{loss}|acc"] = run.accuracy_history[steps].astype(np.float32)
                    reached[loss] = _describe_steps(steps_to_accuracy(run, target), grid.steps)
                summaries[key] = (f"达到 {target:.0%} 准确率：MSE {reached['mse']}，"
                                  f"交叉熵 {reached['bce']}")
    store_source = ColumnDataSource(store, name="training-runs")
    key = _key(grid.models[active[0]], grid.inits[active[1]], active[2])
    source = ColumnDataSource(
        {"step": steps, **{f"{loss}_{kind}": store[f"{key}|{loss}|{kind}"]
                           for loss in ("mse", "bce") for kind in ("loss", "acc")}},
        name="training-curves",
    )

    acc_fig = new_figure("训练步数（对数刻度）", "准确率", title="训练集准确率",
                         x_axis_type="log", y_range=(0, 1.02), height=320)
    acc_fig.add_layout(Span(location=target, dimension="width", line_dash="dashed",
                            line_color=COLORS["muted"], line_width=1.5))
    loss_fig = new_figure("训练步数（对数刻度）", "训练损失（对数刻度）", title="各自的训练损失",
                          x_axis_type="log", y_axis_type="log", height=320)
    # Bokeh's LogTicker puts evenly spaced ticks on a log axis spanning less than two decades (0.5, 0.6, 0.7
    # pile up at the top): js/log_ticks.js picks 1-2-5-style ticks kept apart for the range in view, in every state
    ticker = CustomJSTicker(major_code=function_body("log_ticks", "cb_data"), name="training-loss-ticks")
    loss_fig.yaxis.ticker = loss_fig.ygrid.ticker = ticker
    loss_fig.yaxis.formatter = CustomJSTickFormatter(code=function_body("log_tick_label", "{tick}"))
    for fig, kind in ((acc_fig, "acc"), (loss_fig, "loss")):
        items = [
            LegendItem(label=LOSS_NAMES[loss], renderers=[
                fig.line("step", f"{loss}_{kind}", source=source, line_width=2.5, color=COLORS[loss])])
            for loss in ("mse", "bce")
        ]
        # below the plot, so that no curve is ever hidden behind it
        fig.add_layout(Legend(items=items, orientation="horizontal", label_text_font_size="13px",
                              spacing=14, border_line_alpha=0, padding=2, margin=0), "below")

    model_buttons = buttons([MODEL_NAMES.get(m, m) for m in grid.models], active[0], "training-model",
                            label="模型")
    init_buttons = buttons([INIT_NAMES.get(i, i) for i in grid.inits], active[1], "training-init",
                           label="初始化")
    rate_buttons = buttons([f"{r:g}" for r in grid.learning_rates], active[2], "training-rate",
                           label="学习率 η")
    summary = Div(text=summaries[key], name="training-summary", sizing_mode="stretch_width",
                  styles={"font-size": "14px", "padding": "4px 0"})
    switch = callback("switch_run", source=source, store=store_source, summary=summary, summaries=summaries,
                      models=list(grid.models), inits=list(grid.inits),
                      model=model_buttons, init=init_buttons, rate=rate_buttons)
    controls = []
    for label, group in (("模型", model_buttons), ("初始化", init_buttons), ("学习率 η", rate_buttons)):
        group.js_on_change("active", switch)
        controls.append(row(Div(text=label, styles={"font-size": "14px", "white-space": "nowrap"}, width=64),
                            group, sizing_mode="stretch_width"))
    # flex-wrap: side by side when there is room, stacked on a phone
    figures = row(acc_fig, loss_fig, sizing_mode="stretch_width", styles={"flex-wrap": "wrap"})
    return chart(*controls, summary, figures, description=(
        "训练曲线对比：用按钮选模型、初始化和学习率；左图是 MSE 与交叉熵训练时的训练集准确率，"
        "右图是各自的训练损失，横轴都是训练步数（对数刻度）。"))


def decision_boundary_figure(grid: RunGrid, *, model: str | None = None, learning_rate: float | None = None,
                             inits=None, resolution: int = 60):
    """决策边界小图网格：每列一种（初始化, 损失），每行一个快照步数。

    每个小图的底色是模型在该步给出的 :math:`\\hat y` （越蓝越认为是正类，越橙越认为是负类），
    黑线是 :math:`\\hat y = 0.5` 的决策边界，点是训练数据（蓝 = 正类，橙 = 负类），
    角上写着该步的准确率。图在 ``matplotlib.rc_context(cjk_rc())`` 中生成，中文不会缺字。

    Parameters
    ----------
    grid : celoss.lab.training.RunGrid
        :func:`celoss.lab.training.run_grid` 的结果；行为它的快照步数。
    model : str, optional
        模型，默认为网格里的第一个。
    learning_rate : float, optional
        学习率，默认为居中的那个。
    inits : sequence of str, optional
        要画的初始化（每种两列：MSE 与交叉熵）；默认只画 ``"confident_wrong"`` （若网格里有）。
    resolution : int
        每个小图底色的网格点数（每边）。

    Returns
    -------
    matplotlib.figure.Figure
        整张图；在 Jupyter 里作为单元格的结果直接显示（本书页面显示为 SVG）。

    Raises
    ------
    TypeError
        ``grid`` 不是 :class:`~celoss.lab.training.RunGrid`。
    ValueError
        选择不在网格里，或网格没有快照。

    Examples
    --------
    >>> from celoss.charts.training import decision_boundary_figure
    >>> import numpy as np
    >>> from celoss.lab.training import run_grid
    >>> grid = run_grid(np.random.default_rng(0), models=["logistic"], learning_rates=[0.5],
    ...                 steps=20, checkpoints=[0, 20])
    >>> fig = decision_boundary_figure(grid)
    >>> len(fig.axes)  # 两行（第 0、20 步）× 两列（MSE、交叉熵）
    4
    >>> len(decision_boundary_figure(grid, inits=["random", "confident_wrong"]).axes)
    8
    >>> fig.axes[0].get_title(), fig.axes[0].get_ylabel()
    ('MSE', '第 0 步')
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap

    _require_losses(grid)
    model = grid.models[0] if model is None else model
    rate = grid.learning_rates[len(grid.learning_rates) // 2] if learning_rate is None else float(learning_rate)
    _index(model, grid.models, "model")
    _index(rate, grid.learning_rates, "learning_rate")
    if inits is None:
        inits = ["confident_wrong"] if "confident_wrong" in grid.inits else list(grid.inits)
    inits = [inits] if isinstance(inits, str) else list(inits)
    for init in inits:
        _index(init, grid.inits, "inits 中的元素")
    steps = sorted(grid.runs[0].snapshots)
    if not steps:
        raise ValueError("grid 没有参数快照：请在 run_grid 中给出 checkpoints")

    X, y = grid.X, grid.y
    pad = 0.5
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    plane = np.column_stack([gx.ravel(), gy.ravel()])
    extent = (x0, x1, y0, y1)
    cmap = LinearSegmentedColormap.from_list("celoss-classes", [COLORS["bce0"], "#FFFFFF", COLORS["sigmoid"]])
    columns = [(init, loss) for init in inits for loss in grid.losses]

    with plt.rc_context(cjk_rc()):
        fig, axes = plt.subplots(len(steps), len(columns), figsize=(2.2 * len(columns) + 0.5, 2.0 * len(steps) + 0.6),
                                 sharex=True, sharey=True, squeeze=False, layout="constrained")
        plt.close(fig)  # 不交给 pyplot 管理：图只作为返回值显示一次
        for c, (init, loss) in enumerate(columns):
            run = grid.get(model, init, rate, loss)
            for r, step in enumerate(steps):
                ax = axes[r, c]
                params = run.snapshots[step]
                ax.imshow(params.predict_proba(plane).reshape(gx.shape), origin="lower", extent=extent,
                          cmap=cmap, vmin=0.0, vmax=1.0, alpha=0.45, interpolation="none", aspect="auto")
                ax.contour(gx, gy, params.logits(plane).reshape(gx.shape), levels=[0.0],
                           colors="black", linewidths=1.2)
                for label, color in ((0.0, COLORS["bce0"]), (1.0, COLORS["sigmoid"])):
                    pts = X[y == label]
                    ax.scatter(pts[:, 0], pts[:, 1], s=7, color=color, edgecolors="#333333", linewidths=0.3,
                               rasterized=True)
                ax.text(0.03, 0.04, f"准确率 {run.accuracy_history[step]:.0%}", transform=ax.transAxes,
                        fontsize=10, bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1.5})
                ax.set_xticks([])
                ax.set_yticks([])
                if r == 0:
                    prefix = f"{INIT_NAMES.get(init, init)} · " if len(inits) > 1 else ""
                    ax.set_title(prefix + LOSS_NAMES[loss], fontsize=12)
                if c == 0:
                    ax.set_ylabel(f"第 {step} 步", fontsize=12)
        fig.suptitle(f"决策边界：{MODEL_NAMES.get(model, model)}，学习率 η = {rate:g}，"
                     f"{'、'.join(INIT_NAMES.get(i, i) for i in inits)}", fontsize=12)
    return fig


def learning_rate_sweep_chart(*sweeps: Sweep):
    """学习率扫描图：横轴学习率 η，纵轴「达到并保持目标准确率」所需步数的中位数，每种（损失, 初始化）一条线。

    每个 :class:`~celoss.lab.training.Sweep` （梯度下降、Adam）的每个模型一页，用标签页切换；
    两个坐标轴都是对数刻度。红色是 MSE、绿色是交叉熵；实线是「自信地错」，虚线是随机小初始化。
    多数种子在预算内都没有稳定达到目标（「卡住」）的点画成叉，放在图顶（预算步数处）。
    步数为 0（一开始就达到目标）的点画在 1 处。悬停可以看到中位步数与卡住的种子数；
    点图例可以隐藏一条线。

    .. seealso:: :doc:`/training`。

    Parameters
    ----------
    *sweeps : celoss.lab.training.Sweep
        :func:`celoss.lab.training.learning_rate_sweep` 的结果，须同时含有 ``"mse"`` 与 ``"bce"``。

    Returns
    -------
    bokeh.models.Column
        带无障碍说明的图表；里面的 :class:`bokeh.models.Tabs` 每个（优化器, 模型）一页。

    Raises
    ------
    TypeError
        参数不是 :class:`~celoss.lab.training.Sweep`。
    ValueError
        没有给出扫描，或某个扫描缺少一种损失。

    Examples
    --------
    >>> from celoss.charts.training import learning_rate_sweep_chart
    >>> from celoss.lab.training import learning_rate_sweep
    >>> sweep = learning_rate_sweep((0,), models=["logistic"], learning_rates=[1.0, 10.0], steps=20)
    >>> layout = learning_rate_sweep_chart(sweep)
    >>> tabs = layout.select_one({"name": "learning-rate-sweep"})
    >>> [panel.title for panel in tabs.tabs]
    ['梯度下降 · 逻辑回归']
    """
    if not sweeps:
        raise ValueError("至少要给出一个学习率扫描（learning_rate_sweep 的结果）")
    panels = []
    for sweep in sweeps:
        if not isinstance(sweep, Sweep):
            raise TypeError(
                f"参数必须是 celoss.lab.training.learning_rate_sweep 的结果（Sweep），收到 {type(sweep).__name__}"
            )
        if not {"mse", "bce"} <= set(sweep.losses):
            raise ValueError(f"扫描必须同时含有 'mse' 与 'bce' 两种损失，收到 {sweep.losses!r}")
        for model in sweep.models:
            fig = new_figure("学习率 η（对数刻度）", f"达到并保持 {sweep.target:.0%} 的步数（中位数）",
                             x_axis_type="log", y_axis_type="log", height=340,
                             y_range=(0.7, sweep.steps * 1.6))
            items = []
            for init in sweep.inits:
                for loss in ("mse", "bce"):
                    median = sweep.median_steps(model, init, loss)
                    stuck = sweep.stuck(model, init, loss)
                    shown = np.where(np.isinf(median), np.nan, np.maximum(median, 1.0))
                    data = ColumnDataSource({
                        "eta": np.array(sweep.learning_rates), "steps": shown,
                        "top": np.where(np.isinf(median), float(sweep.steps), np.nan),
                        "median": ["未达到" if np.isinf(v) else f"{v:g}" for v in median],
                        "stuck": [f"{int(s)}/{len(sweep.seeds)}" for s in stuck],
                    }, name=f"sweep-{sweep.optimizer}-{model}-{init}-{loss}")
                    dash = "solid" if init == "confident_wrong" else "dashed"
                    line = fig.line("eta", "steps", source=data, line_width=2.5, color=COLORS[loss], line_dash=dash)
                    dots = fig.scatter("eta", "steps", source=data, size=7, color=COLORS[loss])
                    crosses = fig.scatter("eta", "top", source=data, size=11, marker="x", line_width=2,
                                          color=COLORS[loss])
                    items.append(LegendItem(label=f"{LOSS_NAMES[loss]} · {INIT_NAMES[init]}",
                                            renderers=[line, dots, crosses]))
            fig.add_tools(HoverTool(tooltips=[("η", "@eta"), ("中位步数", "@median"), ("卡住", "@stuck")]))
            legend = Legend(items=items, click_policy="hide", label_text_font_size="12px",
                            border_line_alpha=0, padding=2, margin=0, ncols=2)
            fig.add_layout(legend, "below")
            title = f"{OPTIMIZER_NAMES[sweep.optimizer]} · {MODEL_NAMES[model]}"
            panels.append(TabPanel(child=fig, title=title))
    tabs = Tabs(tabs=panels, sizing_mode="stretch_width", name="learning-rate-sweep")
    return chart(tabs, description=(
        "学习率扫描图：横轴是学习率 η，纵轴是达到并保持目标准确率所需步数的中位数，两轴都是对数刻度；"
        "红线是 MSE，绿线是交叉熵，实线从「自信地错」出发，虚线从随机小初始化出发，叉表示卡住。"
        "标签页切换优化器与模型。"))
