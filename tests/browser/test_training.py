"""「训练对比实验」一章在浏览器里：按钮切换实验时曲线换成另一组训练；决策边界图是带中文的 SVG。"""

from __future__ import annotations

import re
from urllib.request import urlopen

import numpy as np
import pytest

from celoss.charts.training import plot_steps
from celoss.lab.training import run_grid, steps_to_accuracy

from .conftest import click_button, column, js_column, js_model, js_prop, next_frames, prop, set_prop, shot, wait_until

PAGE = "training.html"
RUNS_CHART = 2  # the page shows the two learning-rate sweeps (GD, Adam) first, then the switchable runs


@pytest.fixture(scope="module")
def grid():
    """与页面同一个种子、同样的设置：浏览器里的曲线应当就是这些训练。"""
    return run_grid(np.random.default_rng(0))


def curves(page, col):
    return column(page, "training-curves", col)


def click(page, group: str, label: str):
    """像读者一样点一个按钮，等按钮组 ``group`` 选中它。"""
    click_button(page, label)
    labels = prop(page, group, "labels")
    wait_until(page, f"{js_prop(group, 'active')} === {labels.index(label)}")


def test_initial_run_is_logistic_confidently_wrong(shared_chapter_page, grid):
    page = shared_chapter_page
    steps = plot_steps(grid.steps)
    np.testing.assert_array_equal(curves(page, "step"), steps)
    for loss in ("mse", "bce"):
        run = grid.get("logistic", "confident_wrong", 0.5, loss)
        np.testing.assert_allclose(curves(page, f"{loss}_acc"), run.accuracy_history[steps], rtol=1e-6)
        np.testing.assert_allclose(curves(page, f"{loss}_loss"), run.loss_history[steps], rtol=1e-6)
    summary = prop(page, "training-summary", "text")
    mse, bce = (steps_to_accuracy(grid.get("logistic", "confident_wrong", 0.5, loss), 0.9) for loss in ("mse", "bce"))
    assert f"MSE 第 {mse} 步" in summary, summary
    assert f"交叉熵 第 {bce} 步" in summary, summary


def test_switching_run_redraws_curves_and_summary(chapter_page, grid):
    page = chapter_page
    steps = plot_steps(grid.steps)
    before = curves(page, "mse_acc")
    summary_before = prop(page, "training-summary", "text")

    click(page, "training-init", "随机小初始化")
    wait_until(page, f"{js_column('training-curves', 'mse_acc')}[0] !== {float(before[0])!r}")
    for loss in ("mse", "bce"):
        run = grid.get("logistic", "random", 0.5, loss)
        np.testing.assert_allclose(curves(page, f"{loss}_acc"), run.accuracy_history[steps], rtol=1e-6)
    assert prop(page, "training-summary", "text") != summary_before

    click(page, "training-model", "MLP")
    click(page, "training-rate", "2")
    for loss in ("mse", "bce"):
        run = grid.get("mlp", "random", 2.0, loss)
        np.testing.assert_allclose(curves(page, f"{loss}_loss"), run.loss_history[steps], rtol=1e-6)
    shot(page.locator(".celoss-chart").nth(RUNS_CHART), "training-switched.png")


def test_decision_boundary_figure_is_svg_with_chinese_text(shared_chapter_page, base_url):
    page = shared_chapter_page
    images = page.locator("article img[src$='.svg']")
    assert images.count() == 1
    image = images.first
    image.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    box = image.bounding_box()
    assert box["width"] > 300, box
    assert box["height"] > 100, box
    assert "决策边界" in image.get_attribute("alt")
    svg = urlopen(f"{base_url}/{image.get_attribute('src')}").read().decode("utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    # matplotlib draws text as glyph paths and keeps the string in a comment before them
    texts = re.findall(r"<!-- (.*?) -->", svg)
    assert any("决策边界" in t for t in texts), texts[:10]
    assert {"第 0 步", "第 500 步"} <= set(texts)
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)


def test_phone_width_stacks_the_two_figures(phone_chapter_page):
    page = phone_chapter_page
    chart = page.locator(".celoss-chart").nth(RUNS_CHART)
    chart.scroll_into_view_if_needed()
    boxes = [chart.locator("canvas").nth(i).bounding_box() for i in range(chart.locator("canvas").count())]
    plots = sorted((b for b in boxes if b and b["height"] > 150), key=lambda b: b["y"])
    assert len(plots) >= 2
    for box in plots:
        assert box["x"] >= 0, box
        assert box["x"] + box["width"] <= 390, box
    assert plots[-1]["y"] >= plots[0]["y"] + plots[0]["height"] - 1  # one above the other
    shot(chart, "phone-training-chart.png")


#: 训练损失图纵轴此刻的范围、刻度（js/log_ticks.js）与刻度文字（js/log_tick_label.js），由 Bokeh 自己算。
LOSS_AXIS = """() => {
  const ticker = TICKER;
  for (const doc of Bokeh.documents) for (const plot of doc.all_models) {
    const axis = (plot.left ?? []).find((a) => a.ticker === ticker);
    if (axis === undefined) continue;
    const range = plot.y_range;
    const ticks = ticker.get_ticks(range.start, range.end, range, null).major;
    return {start: range.start, end: range.end, ticks, texts: axis.formatter.doFormat(ticks, {loc: 0})};
  }
  return null;
}""".replace("TICKER", js_model("training-loss-ticks"))


def test_loss_axis_is_readable_for_every_run(chapter_page, grid):
    """12 种按钮组合里，训练损失图的对数纵轴都至少有两个刻度，相邻刻度在轴上至少隔开轴高的六分之一，
    文字各不相同（评审 T3：原来一多半组合里 0.5、0.6、0.7 挤在轴顶，数据所在的一段没有刻度）。"""
    page = chapter_page
    seen = {}
    for m, model in enumerate(grid.models):
        for i, init in enumerate(grid.inits):
            for r, rate in enumerate(grid.learning_rates):
                for group, value in (("training-model", m), ("training-init", i), ("training-rate", r)):
                    set_prop(page, group, "active", value)
                next_frames(page, 3)
                axis = page.evaluate(LOSS_AXIS)
                lo, hi = sorted((axis["start"], axis["end"]))
                ticks = np.array(axis["ticks"])
                assert len(ticks) >= 2, (model, init, rate, axis)
                assert np.all((ticks >= lo) & (ticks <= hi)), (model, init, rate, axis)
                gap = np.min(np.diff(np.log10(ticks))) / (np.log10(hi) - np.log10(lo))
                assert gap >= 1 / 6 - 1e-9, (model, init, rate, axis)
                assert len(set(axis["texts"])) == len(ticks), (model, init, rate, axis)
                seen[model, init, rate] = axis["texts"]
    assert len(seen) == 12
    set_prop(page, "training-model", "active", 0)
    set_prop(page, "training-init", "active", grid.inits.index("confident_wrong"))
    set_prop(page, "training-rate", "active", 0)
    next_frames(page, 3)
    shot(page.locator(".celoss-chart").nth(RUNS_CHART), "training-loss-axis-logistic-0.1.png")
