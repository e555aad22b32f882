"""「变体」一章的「类别权重」一节在浏览器里：结果表与嵌入的数字来自 celoss。"""

from __future__ import annotations

import numpy as np

from celoss.lab.variants import pos_weight_study

PAGE = "variants-weights.html"


def test_page_has_the_study_table_and_glued_numbers(shared_chapter_page):
    page = shared_chapter_page
    tables = page.locator("table.celoss-table")
    assert tables.count() == 1
    assert tables.nth(0).locator("tbody tr").count() == 4
    text = page.inner_text("article")
    assert "{glue" not in text
    study = pos_weight_study(np.random.default_rng(0))
    assert f"{study.recall[study.row(9, 0.5)]:.1%}" in text
    assert f"{np.log(0.1 / 0.9) + np.log(3.0):.4f}" in text  # the w+ = 3 optimum, away from the grid's middle
