"""执行缓存按页面代码 *和* celoss 源码判断是否过期（docs/_ext/celoss_sphinx/cache.py）。

在临时目录里建一本两页的小书，页面每执行一次就往日志里记一行，然后检查：
不改动时重建不执行任何单元格；改一页只重算那一页；改包的源码重算所有页。
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ._tiny_book import ROOT, make_book, write_page


def _build(book: Path, log: Path) -> list[str]:
    log.write_text("")
    env = {**os.environ, "EXEC_LOG": str(log)}
    out = book.parent / "out"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-d", str(out / "doctrees"),
         str(book), str(out / "html")],
        env=env, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    return sorted(log.read_text().split())


def test_cache_follows_page_code_and_package_source(tmp_path):
    book, pkg, log = make_book(tmp_path)

    assert _build(book, log) == ["a", "b"]  # cold: everything runs
    assert _build(book, log) == []  # no change: nothing runs

    write_page(book, "a", extra="x = 2")
    assert _build(book, log) == ["a"]  # one page's code changed: only that page

    (pkg / "__init__.py").write_text("VALUE = 2\n")
    assert _build(book, log) == ["a", "b"]  # the package changed: every page

    assert _build(book, log) == []  # and settles again


def test_a_change_in_the_extension_rewrites_every_page(tmp_path):
    """docs/_ext 里的扩展决定页面加载什么（BokehJS、下载菜单……）；它一改，所有页面都要重写。"""
    ext = tmp_path / "ext"
    shutil.copytree(ROOT / "docs" / "_ext", ext)
    book, _, log = make_book(tmp_path, pages=("a",), ext=ext)
    html = tmp_path / "out" / "html"

    def written() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in html.glob("*.html") if p.name in ("index.html", "a.html")}

    assert _build(book, log) == ["a"]
    before = written()
    assert _build(book, log) == []
    assert written() == before

    with (ext / "celoss_sphinx" / "typography.py").open("a", encoding="utf-8") as f:
        f.write("\n# a change in the extension\n")
    assert _build(book, log) == []  # the cells' results are still valid: nothing re-executes
    after = written()
    assert sorted(after) == ["a.html", "index.html"]
    assert all(after[name] != before[name] for name in after)  # but every page is written anew
