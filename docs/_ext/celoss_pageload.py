"""页面加载的顺序：图表先画，其余的脚本不挡路。

读者打开一章时，最要紧的是正文与图表。这个模块只调整 ``<head>`` 里脚本的加载方式：

1. **BokehJS 最先开始下载**：含图表的页面在 ``<head>`` 最前面 ``preload`` BokehJS（及 widgets 包）。
   两者由一段内联脚本以 ``async = false`` 插入：下载并行、按顺序执行（widgets 须在 BokehJS 之后），
   一到就执行，不等页面解析完。图表的嵌入脚本（:mod:`celoss.charts._embed`）
   在所需的包就位的那一刻开画，不等 ``DOMContentLoaded``。
2. **主题脚本延后**：复制按钮、折叠按钮、主题的交互、翻译等首屏用不到的脚本改为 ``defer``
   （顺序不变，仍在 ``DOMContentLoaded`` 之前执行）。``documentation_options.js`` 保持同步：
   页面里紧跟着的内联脚本要用它。
3. **正文页不加载搜索索引**：pydata-sphinx-theme 在每页都加载 ``searchtools.js``、
   ``language_data.js`` 和整本书的 ``searchindex.js``，只为「边输入边搜索」；本书没有打开
   这个功能，搜索框提交后打开 ``search.html``，那里照常加载。模板 ``_templates/layout.html``
   用过滤器 ``without_search_scripts`` 处理主题的 ``extrahead`` 块。
4. **下一章的 BokehJS 提前进缓存**：首页（没有图表）用 ``prefetch`` 在空闲时取回 BokehJS，
   读者点进第一章时它已在浏览器缓存里。别的无图页面（API、术语表）不取。
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import bokeh
from markupsafe import Markup

#: BokehJS 文件（与 celoss_sphinx 复制到 ``_static/bokeh/`` 的文件名相同）
BOKEH_FILES = tuple(f"bokeh/{name}-{bokeh.__version__}.min.js" for name in ("bokeh", "bokeh-widgets"))
#: 必须同步加载的脚本：紧随其后的内联脚本要用它定义的 DOCUMENTATION_OPTIONS
KEEP_SYNC = ("documentation_options.js",)
BOKEH_LOADER = (
    "[%s].forEach(function (src) { var s = document.createElement('script'); s.src = src; "
    "s.async = false; document.head.appendChild(s); });"
)
SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)[^"]*"></script>'
)


def without_search_scripts(html: str) -> Markup:
    """去掉主题在正文页 ``<head>`` 里加载的搜索脚本与搜索索引。"""
    return Markup(SEARCH_SCRIPTS.sub("", str(html)))


def register_template_filters(app) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_search_scripts"] = without_search_scripts


def _name(js) -> str:
    return str(getattr(js, "filename", "") or "")


def _href(app, context, name: str) -> str:
    """The same address as the page's ``<script src>`` (with Sphinx's ``?v=`` checksum), so the
    browser uses the preloaded or prefetched copy instead of fetching the file twice."""
    from sphinx.builders.html._assets import _file_checksum

    filename = f"_static/{name}"
    uri = context["pathto"](filename, resource=True)
    checksum = _file_checksum(app.outdir, filename)
    return f"{uri}?v={checksum}" if checksum else uri


def reorder_scripts(app, pagename, templatename, context, doctree) -> None:
    """BokehJS 排最前并 preload；其余外部脚本 defer；无图表的页面 prefetch BokehJS。"""
    if app.builder.name != "html" or pagename == "search":
        # the search page runs searchtools.js synchronously in its head, and it calls doctools.js's
        # `_ready` at once: there every script keeps its place and nothing is deferred
        return
    from sphinx.builders.html._assets import _JavaScript

    files = context.get("script_files")
    if files is None:
        return
    bokeh_here = [name for name in BOKEH_FILES if any(_name(js).endswith(name) for js in files)]
    rewritten = []
    for js in files:
        name = _name(js)
        if not isinstance(js, _JavaScript) or not name:
            rewritten.append(js)  # inline script: keeps its place and runs at once
            continue
        attributes = dict(js.attributes)
        priority = js.priority
        if any(name.endswith(bokeh_name) for bokeh_name in bokeh_here):
            continue  # started by the loader below
        if not name.endswith(KEEP_SYNC) and "async" not in attributes:
            attributes["defer"] = "defer"
        rewritten.append(_JavaScript(js.filename, priority=priority, **attributes))
    if bokeh_here:
        # scripts inserted by a script with async = false run in order, each as soon as it has
        # arrived, without waiting for the parser: BokehJS, then the widgets bundle
        sources = ", ".join(f"'{_href(app, context, name)}'" for name in bokeh_here)
        rewritten.append(_JavaScript("", priority=1, body=BOKEH_LOADER % sources))
    # Sphinx sorts by priority only when every entry is a _JavaScript; sort here (stable) as well
    files[:] = sorted(rewritten, key=lambda js: getattr(js, "priority", 500))
    if not bokeh_here and pagename != app.config.root_doc:
        return  # only the front page, where a reader is about to open a chapter, prefetches BokehJS
    hint = "preload" if bokeh_here else "prefetch"
    links = "".join(
        f'<link rel="{hint}" as="script" href="{_href(app, context, name)}" />\n'
        for name in (bokeh_here or BOKEH_FILES)
    )
    context["metatags"] = links + context.get("metatags", "")


def setup(app):
    # not meant to be set: it changes with this file, so every page is written again
    fingerprint = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    app.add_config_value("celoss_pageload_fingerprint", fingerprint, "html", types=[str])
    app.connect("builder-inited", register_template_filters)
    app.connect("html-page-context", reorder_scripts, priority=900)  # after celoss_sphinx adds BokehJS
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
