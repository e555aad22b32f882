"""页面重量：删掉主题附带、浏览器用不到的 source map、翻译目录与 ``fontawesome.js``（约 1.5 MB）。

主题的 CSS 已经用 Font Awesome 网络字体画出全部图标；``fontawesome.js`` 只是为了让用户注册
自定义图标，本书没有用到。模板 ``_templates/layout.html`` 用过滤器 ``without_fontawesome_js``
处理主题的 ``css`` 块，去掉每页 ``<head>`` 里的那个 ``<script>``。
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from markupsafe import Markup

FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*/fontawesome\.js[^"]*"></script>')


def without_fontawesome_js(html: str) -> Markup:
    """去掉主题加在每页 ``<head>`` 里的 ``fontawesome.js``。"""
    return Markup(FONTAWESOME_JS.sub("", str(html)))


def register_template_filters(app) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_fontawesome_js"] = without_fontawesome_js


def prune_unused_assets(app, exception) -> None:
    """删除浏览器不会加载的主题附件。"""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path in static.rglob("*.map"):
        path.unlink()
    shutil.rmtree(static / "locales", ignore_errors=True)
    for path in (static / "scripts").glob("fontawesome.js*"):
        path.unlink()


def setup(app) -> None:
    app.connect("builder-inited", register_template_filters)
    app.connect("build-finished", prune_unused_assets)
