"""执行缓存按页面代码 *和* celoss 源码判断是否过期（docs/_ext/celoss_sphinx.py）。

在临时目录里建一本两页的小书，页面每执行一次就往日志里记一行，然后检查：
不改动时重建不执行任何单元格；改一页只重算那一页；改包的源码重算所有页。
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONF = """
import sys
sys.path.insert(0, {ext!r})
sys.path.insert(0, {pkg!r})
extensions = ["myst_nb", "celoss_sphinx"]
celoss_fingerprint_package = "fakepkg"
nb_execution_mode = "cache"
nb_execution_cache_path = {cache!r}
nb_execution_raise_on_error = True
"""

PAGE = """---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---

# 第 {name} 页

```{{code-cell}} ipython3
import os
open(os.environ["EXEC_LOG"], "a").write("{name}\\n")
{extra}
```
"""


def _page(book: Path, name: str, extra: str = "") -> None:
    (book / f"{name}.md").write_text(PAGE.format(name=name, extra=extra), "utf-8")


def _build(book: Path, log: Path) -> list[str]:
    log.write_text("")
    env = {**os.environ, "EXEC_LOG": str(log)}
    out = book.parent / "out"
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "-d", str(out / "doctrees"),
         str(book), str(out / "html")],
        env=env, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    return sorted(log.read_text().split())


def test_cache_follows_page_code_and_package_source(tmp_path):
    book, pkg, log = tmp_path / "book", tmp_path / "pkg" / "fakepkg", tmp_path / "exec.log"
    book.mkdir()
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 1\n")
    (book / "conf.py").write_text(CONF.format(
        ext=str(ROOT / "docs" / "_ext"), pkg=str(pkg.parent), cache=str(tmp_path / "cache")))
    (book / "index.md").write_text("# 小书\n\n```{toctree}\na\nb\n```\n", "utf-8")
    _page(book, "a")
    _page(book, "b")

    assert _build(book, log) == ["a", "b"]  # cold: everything runs
    assert _build(book, log) == []  # no change: nothing runs

    _page(book, "a", extra="x = 2")
    assert _build(book, log) == ["a"]  # one page's code changed: only that page

    (pkg / "__init__.py").write_text("VALUE = 2\n")
    assert _build(book, log) == ["a", "b"]  # the package changed: every page

    assert _build(book, log) == []  # and settles again


def test_a_change_in_the_extension_rewrites_every_page(tmp_path):
    """docs/_ext 里的扩展决定页面加载什么（BokehJS、下载菜单……）；它一改，所有页面都要重写。"""
    book, pkg, log, ext = tmp_path / "book", tmp_path / "pkg" / "fakepkg", tmp_path / "exec.log", tmp_path / "ext"
    book.mkdir()
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 1\n")
    shutil.copytree(ROOT / "docs" / "_ext", ext)
    (book / "conf.py").write_text(CONF.format(ext=str(ext), pkg=str(pkg.parent), cache=str(tmp_path / "cache")))
    (book / "index.md").write_text("# 小书\n\n```{toctree}\na\n```\n", "utf-8")
    _page(book, "a")
    html = tmp_path / "out" / "html"

    def written() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns for p in html.glob("*.html") if p.name in ("index.html", "a.html")}

    assert _build(book, log) == ["a"]
    before = written()
    assert _build(book, log) == [] and written() == before  # no change: nothing rewritten

    with (ext / "celoss_sphinx.py").open("a", encoding="utf-8") as f:
        f.write("\n# a change in the extension\n")
    assert _build(book, log) == []  # the cells' results are still valid: nothing re-executes
    after = written()
    assert sorted(after) == ["a.html", "index.html"]
    assert all(after[name] != before[name] for name in after)  # but every page is written anew
