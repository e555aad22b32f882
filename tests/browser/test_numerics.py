"""「数值稳定性」一章在浏览器里：对照表标出失效的单元格、手机上可以横向滚动而不撑破页面；
精度按钮把图里的数据换成另一种精度下 numpy 真正算出的数。"""

from __future__ import annotations

import numpy as np

from celoss.lab.naive import naive_bce_breakdown
from celoss.lab.numerics import stability_table

from .conftest import click_button, column, js_prop, shot, wait_until

PAGE = "numerics.html"


def test_tables_mark_the_failures(shared_chapter_page):
    page = shared_chapter_page
    for kind in ("bce", "cross_entropy"):
        table = stability_table(kind)
        cells = page.locator(f'table[data-kind="{kind}"] td[data-status]')
        statuses = cells.evaluate_all("els => els.map((e) => e.dataset.status)")
        expected = [col.status[i] for i in range(len(table.logits))
                    for d in ("float32", "float64") for col in table.columns if col.dtype == d]
        assert statuses == expected
    assert page.locator('table[data-kind="ulp-survey"] tbody tr').count() == 7
    text = page.inner_text("article")
    assert "{glue" not in text
    assert f"{naive_bce_breakdown(np.float32):.4f}" in text
    assert f"{naive_bce_breakdown(np.float64):.4f}" in text
    assert "1.805 × 10⁻³⁵" in text  # typeset at build time, not printed as 1.805e-35


def test_dtype_button_switches_the_data(chapter_page):
    page = chapter_page
    store32 = column(page, "ns-store", "naive_big_float32")
    np.testing.assert_array_equal(column(page, "ns-source", "naive_big"), store32)
    # the marker labels are written by js/switch_dtype.js when the page loads
    assert page.evaluate(f"() => {js_prop('ns-breakdown-small', 'text')}") == \
        f"z = {naive_bce_breakdown(np.float32):.2f}"
    click_button(page, "float64")
    wait_until(page, f"{js_prop('ns-dtype', 'active')} === 1")
    wait_until(page, f"{js_prop('ns-breakdown-big', 'text')} === 'z = {naive_bce_breakdown(np.float64):.2f}'")
    for key in ("naive_big", "clipped_small", "celoss_small"):
        # the same numbers, NaN where NaN
        np.testing.assert_array_equal(column(page, "ns-source", key), column(page, "ns-store", f"{key}_float64"))
    z = column(page, "ns-source", "z")
    naive = column(page, "ns-source", "naive_big")
    b = naive_bce_breakdown(np.float64)
    assert np.all(np.isnan(naive[z >= b]))
    assert np.all(np.isfinite(naive[z < b]))


PHONE_TABLES = """
() => Array.from(document.querySelectorAll('.celoss-table-scroll')).map((el) => {
  const box = el.getBoundingClientRect();
  return {right: box.right, width: document.documentElement.clientWidth,
          scrolls: el.scrollWidth > el.clientWidth};
})
"""


def test_wide_tables_scroll_in_their_box_on_a_phone(phone_chapter_page):
    page = phone_chapter_page
    boxes = page.evaluate(PHONE_TABLES)
    assert len(boxes) == 3
    for box in boxes:
        assert box["right"] <= box["width"] + 1, box
    assert any(box["scrolls"] for box in boxes)  # wide tables scroll inside their box
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    table = page.locator(".celoss-table-scroll").first
    table.scroll_into_view_if_needed()
    shot(table, "numerics-table-390.png")
