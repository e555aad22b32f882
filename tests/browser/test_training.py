"""「训练对比实验」一章在浏览器里：按钮切换实验时曲线换成另一组训练；决策边界图是带中文的 SVG。"""

from __future__ import annotations

import re
from urllib.request import urlopen

import numpy as np
import pytest

from celoss.charts.training import plot_steps
from celoss.train import run_grid, steps_to_accuracy

from .conftest import SHOTS
from .test_pages import open_ready

PAGE = "training.html"

COLUMN = """
([name, column]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return Array.from(model.data[column]);
  }
  return null;
}
"""

MODEL_VALUE = """
([name, prop]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return model[prop];
  }
  return null;
}
"""


@pytest.fixture(scope="module")
def grid():
    """与页面同一个种子、同样的设置：浏览器里的曲线应当就是这些训练。"""
    return run_grid(np.random.default_rng(0))


@pytest.fixture
def training_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    yield page
    assert watch.errors == [] and watch.outside == []


def curves(page, column):
    return np.array(page.evaluate(COLUMN, ["training-curves", column]))


def click(page, group: str, label: str):
    """像读者一样点一个按钮（Bokeh 的控件在 shadow DOM 里，playwright 的定位器可以穿透）。"""
    page.locator(".celoss-chart").get_by_role("button", name=label, exact=True).first.click()
    labels = page.evaluate(MODEL_VALUE, [group, "labels"])
    page.wait_for_function(
        f"() => ({MODEL_VALUE})([{group!r}, 'active']) === {labels.index(label)}", timeout=5000
    )


def test_initial_run_is_logistic_confidently_wrong(training_page, grid):
    page = training_page
    steps = plot_steps(grid.steps)
    np.testing.assert_array_equal(curves(page, "step"), steps)
    for loss in ("mse", "bce"):
        run = grid.get("logistic", "confident_wrong", 0.5, loss)
        np.testing.assert_allclose(curves(page, f"{loss}_acc"), run.accuracy_history[steps], rtol=1e-6)
        np.testing.assert_allclose(curves(page, f"{loss}_loss"), run.loss_history[steps], rtol=1e-6)
    summary = page.evaluate(MODEL_VALUE, ["training-summary", "text"])
    mse, bce = (steps_to_accuracy(grid.get("logistic", "confident_wrong", 0.5, loss), 0.9) for loss in ("mse", "bce"))
    assert f"MSE 第 {mse} 步" in summary and f"交叉熵 第 {bce} 步" in summary, summary


def test_switching_run_redraws_curves_and_summary(training_page, grid):
    page = training_page
    steps = plot_steps(grid.steps)
    before = curves(page, "mse_acc")
    summary_before = page.evaluate(MODEL_VALUE, ["training-summary", "text"])

    click(page, "training-init", "随机小初始化")
    page.wait_for_function(f"() => ({COLUMN})(['training-curves', 'mse_acc'])[0] !== {float(before[0])!r}",
                           timeout=5000)
    for loss in ("mse", "bce"):
        run = grid.get("logistic", "random", 0.5, loss)
        np.testing.assert_allclose(curves(page, f"{loss}_acc"), run.accuracy_history[steps], rtol=1e-6)
    assert page.evaluate(MODEL_VALUE, ["training-summary", "text"]) != summary_before

    click(page, "training-model", "MLP")
    click(page, "training-rate", "2")
    for loss in ("mse", "bce"):
        run = grid.get("mlp", "random", 2.0, loss)
        np.testing.assert_allclose(curves(page, f"{loss}_loss"), run.loss_history[steps], rtol=1e-6)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".celoss-chart").first.screenshot(path=SHOTS / "training-switched.png")


def test_decision_boundary_figure_is_svg_with_chinese_text(training_page, base_url):
    page = training_page
    images = page.locator("article img[src$='.svg']")
    assert images.count() == 1
    image = images.first
    image.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    box = image.bounding_box()
    assert box["width"] > 300 and box["height"] > 100, box
    assert "决策边界" in image.get_attribute("alt")
    svg = urlopen(f"{base_url}/{image.get_attribute('src')}").read().decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    # matplotlib draws text as glyph paths and keeps the string in a comment before them
    texts = re.findall(r"<!-- (.*?) -->", svg)
    assert any("决策边界" in t for t in texts), texts[:10]
    assert {"第 0 步", "第 500 步"} <= set(texts)
    assert any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)


def test_phone_width_stacks_the_two_figures(new_page):
    page, watch = open_ready(new_page, PAGE, viewport={"width": 390, "height": 844}, is_mobile=True,
                             has_touch=True, device_scale_factor=2)
    chart = page.locator(".celoss-chart").first
    chart.scroll_into_view_if_needed()
    boxes = [chart.locator("canvas").nth(i).bounding_box() for i in range(chart.locator("canvas").count())]
    plots = sorted((b for b in boxes if b and b["height"] > 150), key=lambda b: b["y"])
    assert len(plots) >= 2
    for box in plots:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert plots[-1]["y"] >= plots[0]["y"] + plots[0]["height"] - 1  # one above the other
    chart.screenshot(path=SHOTS / "phone-training-chart.png")
    assert watch.errors == []
