"""「数值稳定性」一章在浏览器里：对照表标出失效的单元格、手机上可以横向滚动而不撑破页面；
精度按钮把图里的数据换成另一种精度下 numpy 真正算出的数。"""

from __future__ import annotations

import numpy as np
import pytest

from celoss.numerics import naive_bce_breakdown, stability_table

from .conftest import SHOTS
from .test_gradients import check_fits_a_phone
from .test_multiclass import check_math_fits_a_phone
from .test_pages import open_ready

PAGE = "numerics.html"

PROP = """
([name, prop]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return model[prop];
  }
  return null;
}
"""

COLUMN = """
([name, column]) => {
  for (const doc of Bokeh.documents) {
    const model = doc.get_model_by_name(name);
    if (model) return Array.from(model.data[column], (v) => (Number.isNaN(v) ? null : v));
  }
  return null;
}
"""


@pytest.fixture
def numerics_page(new_page):
    page, watch = open_ready(new_page, PAGE)
    yield page
    assert watch.errors == [] and watch.outside == []


def test_tables_mark_the_failures(numerics_page):
    page = numerics_page
    for kind in ("bce", "cross_entropy"):
        table = stability_table(kind)
        cells = page.locator(f'table[data-kind="{kind}"] td[data-status]')
        statuses = cells.evaluate_all("els => els.map((e) => e.dataset.status)")
        expected = [col.status[i] for i in range(len(table.logits))
                    for d in ("float32", "float64") for col in table.columns if col.dtype == d]
        assert statuses == expected
    assert page.locator('table[data-kind="agreement"] tbody tr').count() >= 8
    text = page.inner_text("article")
    assert "{glue" not in text
    assert f"{naive_bce_breakdown(np.float32):.4f}" in text and f"{naive_bce_breakdown(np.float64):.4f}" in text
    assert "1.805e-35" in text


def test_dtype_button_switches_the_data(numerics_page):
    page = numerics_page
    store32 = page.evaluate(COLUMN, ["ns-store", "naive_big_float32"])
    assert page.evaluate(COLUMN, ["ns-source", "naive_big"]) == store32
    page.locator(".celoss-chart").get_by_role("button", name="float64", exact=True).first.click()
    page.wait_for_function(f"() => ({PROP})(['ns-dtype', 'active']) === 1", timeout=5000)
    for key in ("naive_big", "clipped_small", "celoss_small"):
        assert page.evaluate(COLUMN, ["ns-source", key]) == page.evaluate(COLUMN, ["ns-store", f"{key}_float64"])
    z = np.array(page.evaluate(COLUMN, ["ns-source", "z"]))
    naive = np.array(page.evaluate(COLUMN, ["ns-source", "naive_big"]), dtype=float)
    b = naive_bce_breakdown(np.float64)
    assert np.all(np.isnan(naive[z >= b])) and np.all(np.isfinite(naive[z < b]))


PHONE_TABLES = """
() => Array.from(document.querySelectorAll('.celoss-table-scroll')).map((el) => {
  const box = el.getBoundingClientRect();
  return {right: box.right, width: document.documentElement.clientWidth,
          scrolls: el.scrollWidth > el.clientWidth};
})
"""


def test_tables_and_chart_fit_a_phone(new_page):
    check_fits_a_phone(new_page, PAGE, "numerics-390.png")
    check_math_fits_a_phone(new_page, PAGE)
    page, watch = open_ready(new_page, PAGE, viewport={"width": 390, "height": 844})
    boxes = page.evaluate(PHONE_TABLES)
    assert len(boxes) == 3
    for box in boxes:
        assert box["right"] <= box["width"] + 1, box
    assert any(box["scrolls"] for box in boxes)  # wide tables scroll inside their box
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    table = page.locator(".celoss-table-scroll").first
    table.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    table.screenshot(path=SHOTS / "numerics-table-390.png")
    assert watch.errors == [] and watch.outside == []
