"""「变体」一章的入口页在浏览器里：练习与答案、选择表；三节各有自己的测试模块。"""

from __future__ import annotations

import numpy as np

from celoss.lab.variants import pos_weight_study

PAGE = "variants.html"


def test_entry_page_has_exercises_with_hidden_computed_answers(shared_chapter_page):
    page = shared_chapter_page
    text = page.inner_text("article")
    assert "{glue" not in text
    assert page.locator(".exercise").count() >= 3
    assert page.locator(".solution.dropdown").count() == page.locator(".exercise").count()
    study = pos_weight_study(np.random.default_rng(0), [(3, 0.5), (1, 0.25), (1, 0.5)])
    hidden = page.locator("article").text_content()  # answers are folded: inner_text skips them
    assert f"{study.recall[study.row(1, 0.25)]:.1%}" in hidden  # a number glued from a cell inside an answer
    assert page.locator("table.celoss-table").count() == 1  # the answer's study table, rendered by celoss
