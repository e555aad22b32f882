"""执行缓存不过期：缓存键里加上被讲解的包（celoss）的源码指纹。

jupyter-cache 只按单元格源码判断缓存是否有效（executablebooks/MyST-NB#621），``src/celoss`` 改了
页面输出却不会重算。这里给每个笔记本页面追加一个隐藏单元格，内容是包源码的指纹；指纹变了，
所有页面重新读取、重新执行；只改一页则只重算那一页。并行构建（``-j``）前先在主进程建好缓存
数据库，避免 jupyter-cache 的建表竞争。配置值 ``celoss_fingerprint_package`` 指定包名。
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from myst_nb.core.read import is_myst_markdown_notebook

FINGERPRINT_CELL = """

```{{code-cell}} ipython3
:tags: [remove-cell]

# {package} 源码指纹（供执行缓存判断输出是否过期）：{digest}
```
"""

#: 指纹单元格的开头，写下载用笔记本时据此认出并去掉它。
FINGERPRINT_MARK = "源码指纹（供执行缓存判断输出是否过期）"


def source_fingerprint(package: str) -> str:
    """一个包全部 ``.py`` 与 ``.js`` 源文件（含相对路径）的 SHA-256 摘要的前 16 位。"""
    spec = importlib.util.find_spec(package)
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for path in sorted(p for suffix in ("*.py", "*.js") for p in root.rglob(suffix)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def add_fingerprint_cell(app, docname, source) -> None:
    """给笔记本页面追加带指纹的隐藏单元格，让缓存键随包的源码变化。"""
    if is_myst_markdown_notebook(source[0]):
        package = app.config.celoss_fingerprint_package
        source[0] += FINGERPRINT_CELL.format(package=package, digest=source_fingerprint(package))


def outdated_on_new_fingerprint(app, env, added, changed, removed) -> list[str]:
    """包的源码变了：所有页面都要重读（进而按新缓存键重新执行）。"""
    digest = source_fingerprint(app.config.celoss_fingerprint_package)
    previous = getattr(env, "celoss_fingerprint", None)
    env.celoss_fingerprint = digest
    if previous is None or previous == digest:
        return []
    return sorted(env.found_docs - added - changed)


def create_execution_cache(app) -> None:
    """在主进程里先建好 jupyter-cache 数据库：``-j`` 并行读取时各进程同时建表会冲突。"""
    config = getattr(app.env, "mystnb_config", None)  # resolved by myst-nb's own builder-inited
    if config is not None and config.execution_mode == "cache":
        from jupyter_cache import get_cache

        get_cache(config.execution_cache_path).db  # noqa: B018 (touching .db creates it)


def setup(app) -> None:
    app.add_config_value("celoss_fingerprint_package", "celoss", "env", types=[str])
    app.connect("builder-inited", create_execution_cache)
    app.connect("source-read", add_fingerprint_cell)
    app.connect("env-get-outdated", outdated_on_new_fingerprint)
