"""celoss 这本书的 Sphinx 胶水：一个模块做一件事。

=====================  ==================================================================
模块                    做什么
=====================  ==================================================================
:mod:`.bokehjs`         复制与 bokeh 同版本的 BokehJS；只给文档树里真有图表的页面加载它
:mod:`.search`          jieba 分词的中文搜索，保留术语表里的单字词（如「熵」）
:mod:`.cache`           执行缓存的键里加上 celoss 源码指纹；并行构建前先建好缓存数据库
:mod:`.notebooks`       每章生成可下载的 ``.ipynb``：代入 glue 的数值，MyST 角色换成纯 Markdown
:mod:`.pruning`         删掉浏览器用不到的主题附件（source map、翻译目录、fontawesome.js）
:mod:`.typography`      中文排版：去掉汉字之间的软换行、统一用「」、科学计数法写成 3.35 × 10⁻⁴
:mod:`.theme_zh`        主题界面说中文（菜单、提示、搜索页），搜索摘要只取正文
:mod:`.install`         把 celoss 的 wheel 放进站点，安装命令指令，每章的「在自己的 Jupyter 里运行」
=====================  ==================================================================

``conf.py`` 里只写 ``extensions = [..., "celoss_sphinx"]``；各模块自己登记配置值与事件。
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import bokehjs, cache, install, notebooks, pruning, search, theme_zh, typography

MODULES = (bokehjs, search, cache, notebooks, pruning, typography, theme_zh, install)
HERE = Path(__file__).parent


def extension_fingerprint() -> str:
    """本扩展全部源码（含静态文件）的摘要：扩展一改，Sphinx 就重读并重写所有页面。"""
    digest = hashlib.sha256()
    for path in sorted(p for p in HERE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(HERE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def setup(app):
    # not meant to be set: its default changes with these files, which makes every page outdated
    app.add_config_value("celoss_extension_fingerprint", extension_fingerprint(), "env", types=[str])
    for module in MODULES:
        module.setup(app)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
