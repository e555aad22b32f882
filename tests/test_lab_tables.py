"""celoss.lab 的结果对象：网页与 EPUB 用 HTML，PDF（没有 HTML）用 Markdown，两者必须都有。"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import celoss.lab


def _result_classes():
    for info in pkgutil.iter_modules(celoss.lab.__path__):
        module = importlib.import_module(f"celoss.lab.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "_repr_html_" in vars(cls):
                yield cls


def test_every_result_with_an_html_table_has_a_markdown_table_for_print():
    classes = list(_result_classes())
    assert len(classes) >= 7  # GradientTable, StabilityTable, AgreementTable, UlpSurvey, Sweep, two studies
    missing = [cls.__qualname__ for cls in classes if "_repr_markdown_" not in vars(cls)]
    assert missing == []
