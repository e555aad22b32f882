"""测试用的小书：临时目录里的几页 MyST 笔记本，加上一个假的包，供缓存与实时预览的测试使用。

每个页面执行时往环境变量 ``EXEC_LOG`` 指向的文件里记一行自己的名字。
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

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


def write_page(book: Path, name: str, extra: str = "") -> None:
    (book / f"{name}.md").write_text(PAGE.format(name=name, extra=extra), "utf-8")



class TinyBook(NamedTuple):
    book: Path
    pkg: Path
    log: Path


def make_book(tmp_path: Path, pages=("a", "b"), ext: Path = ROOT / "docs" / "_ext") -> TinyBook:
    """在 ``tmp_path`` 里建一本小书：``conf.py`` 用 ``ext`` 里的扩展，指纹取假包 ``fakepkg``。"""
    book, pkg, log = tmp_path / "book", tmp_path / "pkg" / "fakepkg", tmp_path / "exec.log"
    book.mkdir()
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 1\n")
    (book / "conf.py").write_text(CONF.format(ext=str(ext), pkg=str(pkg.parent), cache=str(tmp_path / "cache")))
    toctree = "\n".join(pages)
    (book / "index.md").write_text(f"# 小书\n\n```{{toctree}}\n{toctree}\n```\n", "utf-8")
    for name in pages:
        write_page(book, name)
    log.write_text("")
    return TinyBook(book, pkg, log)
