"""celoss 这本书的 Sphinx 胶水：离线、按需加载 BokehJS、中文搜索、不过期的执行缓存、笔记本下载。

做这几件事：

1. **BokehJS**：把与已安装 bokeh *完全同版本* 的 ``bokeh.min.js``（以及有控件时的
   ``bokeh-widgets.min.js``）复制到 ``_static/bokeh/``，并且只加到真正显示了图表的页面上。
   页面是否含图表、含不含控件，看 :mod:`celoss.charts` 输出里的标记类名。
2. **公式**：由 ``celoss_katex`` 在构建时用 KaTeX 渲染（这里不再复制 MathJax）。
3. **中文搜索**：Sphinx 的中文分词（jieba）会丢掉单字词，于是「熵」搜不到。这里注册一个
   子类，保留用户词典（``docs/_ext/zh_terms.txt``）里列出的单字术语。

4. **执行缓存不过期**：jupyter-cache 只按单元格源码判断缓存是否有效，``src/celoss`` 改了
   页面输出却不会重算。这里给每个笔记本页面追加一个隐藏单元格，内容是 celoss 源码的指纹；
   指纹变了，所有页面重新读取、重新执行；只改一页则只重算那一页。
5. **笔记本下载**：每章生成一个 ``_sources/<页面>.ipynb``（去掉只为书服务的隐藏单元格，
   开头加上加载 BokehJS 的一行），并放进主题的下载菜单。
   并行构建（``-j``）前先在主进程建好缓存数据库，避免 jupyter-cache 的建表竞争。
6. **页面重量**：删除主题附带、浏览器用不到的 source map 与翻译目录。

``conf.py`` 需要设置
``html_search_options = {"dict": <zh_terms.txt 的绝对路径>}``。
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shutil
from pathlib import Path

import bokeh
import nbformat
from markupsafe import Markup
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from bokeh.util.paths import bokehjs_path
from sphinx.search.zh import SearchChinese

from celoss.charts._display import CHART_MARK, WIDGETS_MARK

TERMS_FILE = Path(__file__).with_name("zh_terms.txt")

FINGERPRINT_CELL = """

```{{code-cell}} ipython3
:tags: [remove-cell]

# {package} 源码指纹（供执行缓存判断输出是否过期）：{digest}
```
"""

NOTEBOOK_INTRO = (
    "本笔记本下载自《为什么分类任务要用交叉熵》的「{title}」一章。"
    "先安装 celoss（见本书 README），再从上到下运行。"
    "正文里形如 `{{glue:text}}` 的占位在书中显示为计算出的数值。"
)
NOTEBOOK_SETUP = "# 在 Jupyter 中显示 Bokeh 图表需要先加载 BokehJS\nfrom bokeh.io import output_notebook\noutput_notebook()"


def source_fingerprint(package: str) -> str:
    """一个包全部 ``.py`` 源文件（含相对路径）的 SHA-256 摘要的前 16 位。"""
    spec = importlib.util.find_spec(package)
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def extension_fingerprint() -> str:
    """本扩展自身源码的摘要：作为配置值登记，扩展一改，Sphinx 就重读并重写所有页面。"""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def add_fingerprint_cell(app, docname, source) -> None:
    """给笔记本页面追加带指纹的隐藏单元格，让缓存键随 celoss 源码变化。"""
    if is_myst_markdown_notebook(source[0]):
        package = app.config.celoss_fingerprint_package
        source[0] += FINGERPRINT_CELL.format(package=package, digest=source_fingerprint(package))


def outdated_on_new_fingerprint(app, env, added, changed, removed) -> list[str]:
    """celoss 源码变了：所有页面都要重读（进而按新缓存键重新执行）。"""
    digest = source_fingerprint(app.config.celoss_fingerprint_package)
    previous = getattr(env, "celoss_fingerprint", None)
    env.celoss_fingerprint = digest
    if previous is None or previous == digest:
        return []
    return sorted(env.found_docs - added - changed)


def downloadable_notebook(text: str, title: str) -> nbformat.NotebookNode:
    """把 MyST 笔记本页面变成读者可下载、可从头运行的 .ipynb（不含输出）。"""
    notebook = read_myst_markdown_notebook(text)
    notebook.cells = [
        cell for cell in notebook.cells if "remove-cell" not in cell.metadata.get("tags", [])
    ]
    notebook.cells[:0] = [
        nbformat.v4.new_markdown_cell(NOTEBOOK_INTRO.format(title=title)),
        nbformat.v4.new_code_cell(NOTEBOOK_SETUP),
    ]
    notebook.metadata.pop("source_map", None)
    return notebook


def offer_notebook_download(app, pagename, templatename, context, doctree) -> None:
    """把本页的 .ipynb 写进 ``_sources``，主题据 ``ipynb_source`` 把它放进下载菜单。"""
    if doctree is None or pagename not in app.env.found_docs:
        return
    text = Path(app.env.doc2path(pagename)).read_text("utf-8")
    if not is_myst_markdown_notebook(text):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    title = context.get("title", pagename)
    nbformat.write(downloadable_notebook(text, title), target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def create_execution_cache(app) -> None:
    """在主进程里先建好 jupyter-cache 数据库：``-j`` 并行读取时各进程同时建表会冲突。"""
    config = getattr(app.env, "mystnb_config", None)  # resolved by myst-nb's own builder-inited
    if config is not None and config.execution_mode == "cache":
        from jupyter_cache import get_cache

        get_cache(config.execution_cache_path).db  # noqa: B018 (touching .db creates it)


FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*/fontawesome\.js[^"]*"></script>')


def without_fontawesome_js(html: str) -> Markup:
    """去掉主题加在每页 ``<head>`` 里的 ``fontawesome.js`` （约 1.5 MB）。

    主题的 CSS 已经用 Font Awesome 网络字体画出全部图标；这个脚本只是为了让用户注册自定义图标，
    本书没有用到。模板 ``_templates/layout.html`` 用这个过滤器处理主题的 ``css`` 块。
    """
    return Markup(FONTAWESOME_JS.sub("", str(html)))


def register_template_filters(app) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_fontawesome_js"] = without_fontawesome_js


def prune_unused_assets(app, exception) -> None:
    """删除浏览器不会加载的主题附件：source map、主题翻译目录与 ``fontawesome.js``。"""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path in static.rglob("*.map"):
        path.unlink()
    shutil.rmtree(static / "locales", ignore_errors=True)
    for path in (static / "scripts").glob("fontawesome.js*"):
        path.unlink()


def _bokeh_files(widgets: bool) -> list[str]:
    names = ["bokeh"] + (["bokeh-widgets"] if widgets else [])
    return [f"bokeh/{name}-{bokeh.__version__}.min.js" for name in names]


# the opening tag that celoss.charts.to_html writes; a bare "celoss-chart" also occurs in
# anchors such as "module-celoss.charts.basics" and in escaped docstring text
CHART_DIV = re.compile(f'<div class="{re.escape(CHART_MARK)}( {re.escape(WIDGETS_MARK)})?">')


def add_bokehjs(app, pagename, templatename, context, doctree) -> None:
    """只给含图表的页面加 BokehJS；只给含控件的页面加 widgets 包。"""
    charts = CHART_DIV.findall(context.get("body", ""))
    if not charts:
        return
    for path in _bokeh_files(widgets=any(charts)):
        app.add_js_file(path)
    app.add_js_file("celoss-charts.js")


def copy_assets(app, exception) -> None:
    """构建成功后把 BokehJS 复制进 ``_static``。"""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    js_dir = Path(bokehjs_path()) / "js"
    (static / "bokeh").mkdir(parents=True, exist_ok=True)
    for name in ("bokeh", "bokeh-widgets"):
        shutil.copyfile(js_dir / f"{name}.min.js", static / "bokeh" / f"{name}-{bokeh.__version__}.min.js")


def _single_char_terms() -> frozenset[str]:
    words = (line.split()[0] for line in TERMS_FILE.read_text("utf-8").splitlines() if line.strip())
    return frozenset(w for w in words if len(w) == 1)


class SearchChineseWithTerms(SearchChinese):
    """jieba 分词的中文搜索，但保留术语表里的单字词（如「熵」）。"""

    single_char_terms = _single_char_terms()

    def word_filter(self, stemmed_word: str) -> bool:
        return stemmed_word in self.single_char_terms or super().word_filter(stemmed_word)


def setup(app):
    app.add_config_value("celoss_fingerprint_package", "celoss", "env", types=[str])
    # not meant to be set: its default changes with this file, which makes every page outdated
    app.add_config_value("celoss_extension_fingerprint", extension_fingerprint(), "env", types=[str])
    app.add_search_language(SearchChineseWithTerms)
    app.connect("builder-inited", create_execution_cache)
    app.connect("builder-inited", register_template_filters)
    app.connect("source-read", add_fingerprint_cell)
    app.connect("env-get-outdated", outdated_on_new_fingerprint)
    app.connect("html-page-context", add_bokehjs)
    # before sphinx-book-theme builds its download menu (priority 501)
    app.connect("html-page-context", offer_notebook_download, priority=400)
    app.connect("build-finished", copy_assets)
    app.connect("build-finished", prune_unused_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
