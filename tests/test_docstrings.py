"""Every public docstring example runs on its own, in an empty namespace.

This is the one pytest runner of the docstring examples (no ``--doctest-modules``; see
CONTRIBUTING.md). ``--doctest-modules`` would run them in the module's own namespace and hide a
missing import; a reader copying an example from an API page has
no such namespace. ``nox -s unit`` and ``nox -s tests`` run this file; ``nox -s docs`` runs the
same examples through the Sphinx doctest builder instead.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest
from _pytest.doctest import _get_checker

import celoss


def _public_objects() -> list[tuple[str, object]]:
    found = [("celoss." + name, getattr(celoss, name)) for name in celoss.__all__]
    for info in pkgutil.walk_packages(celoss.__path__, "celoss."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        found += [(f"{info.name}.{name}", getattr(module, name)) for name in getattr(module, "__all__", [])]
    return found


def _examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(recurse=False)
    tests = {}
    for name, obj in _public_objects():
        for test in finder.find(obj, name, module=False, globs={}):
            if test.examples:
                tests.setdefault(test.name, test)
    return sorted(tests.values(), key=lambda t: t.name)


EXAMPLES = _examples()


def test_there_are_examples_to_check():
    assert len(EXAMPLES) > 60


@pytest.mark.parametrize("test", EXAMPLES, ids=[t.name for t in EXAMPLES])
def test_example_runs_in_an_empty_namespace(test):
    flags = doctest.NORMALIZE_WHITESPACE  # 与 sphinx 的 doctest 构建器相同：数字逐字比较
    runner = doctest.DocTestRunner(checker=_get_checker(), optionflags=flags)
    report: list[str] = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)
