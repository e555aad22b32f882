"""印刷版（PDF、EPUB）的胶水：图表变成带说明的静态图，成品随网站发布。

1. **图表的静态图**：印刷版构建（``nox -s pdf`` / ``nox -s epub``）设置环境变量
   ``CELOSS_PRINT_IMAGES=1``，图表单元格的输出里除了 Bokeh 的 ``text/html`` 还有一张同一图表的
   ``image/png``（见 :mod:`celoss.charts._static_image`）。myst-nb 按 ``nb_mime_priority_overrides``
   为 LaTeX/EPUB 选 PNG；这里在它选择之前，把这样的输出换成一个 figure：图 + 图注
   「网页版中此图可交互……」，并链接到网页版的这一章（``celoss_web_url``，默认读 Read the Docs
   的 ``READTHEDOCS_CANONICAL_URL``；没有时只写出章节文件名）。
   印刷版构建却没有 PNG 的图表（忘了设环境变量）是一个警告，``-W`` 下构建失败。
2. **随网站发布**：HTML 构建结束时，若 ``docs/_build/latex/celoss.pdf`` 或
   ``docs/_build/epub/celoss.epub`` 已存在，复制到网站的 ``_downloads/``；首页链接到这两个文件。
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from celoss.charts._display import CHART_MARK

logger = logging.getLogger(__name__)

PRINT_BUILDERS = ("latex", "epub")
CAPTION = "网页版中此图可交互（拖动滑块、悬停查看数值）："


def _mime_children(bundle) -> dict[str, nodes.Node]:
    return {child.get("mime_type"): child for child in bundle.children}


class ChartFigures(SphinxPostTransform):
    """印刷版：含 celoss 图表的输出换成 figure（PNG 静态图 + 指向网页版的图注）。"""

    default_priority = 3  # before myst-nb's SelectMimeType (4)
    builders = PRINT_BUILDERS

    count = 0

    def run(self, **kwargs) -> None:
        # LaTeX assembles the whole book into one doctree, each chapter inside a start_of_file
        # node naming it (whose children keep their old parent links: walk down, not up)
        chapters = {}
        for start in self.document.findall(addnodes.start_of_file):
            for node in start.findall(nodes.container):
                chapters[id(node)] = start["docname"]
        # a chart cell with `mystnb: figure:` metadata is already a numbered figure with its own caption:
        # there the image takes the output's place and the caption gains the pointer to the web version
        in_figure = {}
        for figure in self.document.findall(nodes.figure):
            for node in figure.findall(nodes.container):
                in_figure[id(node)] = figure
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            children = _mime_children(bundle)
            html = children.get("text/html")
            if html is None or f'class="{CHART_MARK}' not in html.astext():
                continue
            png = children.get("image/png")
            images = list(png.findall(nodes.image)) if png is not None else []
            if not images:
                logger.warning(
                    "印刷版里的图表没有静态图：构建时须设置环境变量 CELOSS_PRINT_IMAGES=1", location=bundle
                )
                continue
            docname = chapters.get(id(bundle), self.env.docname)
            outer = in_figure.get(id(bundle))
            if outer is None:
                bundle.replace_self(self.figure(images[0].deepcopy(), docname))
                continue
            image = images[0].deepcopy()
            image["classes"].append("celoss-chart-image")
            bundle.replace_self(image)
            captions = [child for child in outer.children if isinstance(child, nodes.caption)]
            if captions:
                captions[0] += nodes.Text(CAPTION)
                captions[0] += self.pointer(docname)
            else:
                outer += nodes.caption("", CAPTION, self.pointer(docname))

    def pointer(self, docname: str) -> nodes.Node:
        """The web page of this chapter: a link when the site's address is known, else its file name."""
        base = self.config.celoss_web_url.rstrip("/")
        page = f"{docname}.html"
        if base:
            url = f"{base}/{page}"
            return nodes.reference(url, url, refuri=url)
        return nodes.literal(page, page)

    def figure(self, image: nodes.image, docname: str) -> nodes.figure:
        caption = nodes.caption("", CAPTION)
        caption += self.pointer(docname)
        image["classes"].append("celoss-chart-image")
        figure = nodes.figure("", image, caption, classes=["celoss-chart-figure"])
        self.count += 1
        figure["ids"] = [f"celoss-chart-{self.count}"]  # HTML writers (EPUB) want an id on a captioned figure
        figure["align"] = "center"
        return figure


class BookMatter(SphinxPostTransform):
    """PDF：章号与网页版一致。

    网页版只给首页里带 ``:numbered:`` 的 toctree（三个部分）里的章编号，前言与序章、结语、附录都
    没有章号，图和公式的编号（图 1.1、式 (1.2)）跟着章号走。LaTeX 却会给每一章编号（安装与使用成了
    第 1 章，网页上的图 1.1 成了图 4.1）。这里在合成的整本书里，于这些章之前插入 ``conf.py`` 导言区
    定义的开关：第一个编号 toctree 之前的各章 ``\\celossfrontmatter``（不编号），编号 toctree 的第一章
    ``\\celossmainmatter``（第 1 章起），其后标题为 ``celoss_appendix_caption``（附录）的 toctree
    ``\\celossappendix``（附录 A、B……），其余 ``\\celossbackmatter``（结语，不编号）。
    """

    default_priority = 5
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        starts = {start["docname"]: start for start in self.document.findall(addnodes.start_of_file)}
        if not starts:
            return
        toctrees = list(self.env.get_doctree(self.config.root_doc).findall(addnodes.toctree))
        numbered = [i for i, toctree in enumerate(toctrees) if toctree.get("numbered")]
        if not numbered:
            return
        for i, toctree in enumerate(toctrees):
            if i < numbered[0]:
                switch = "celossfrontmatter" if i == 0 else None
            elif i in numbered:
                switch = "celossmainmatter" if i == numbered[0] else None
            elif toctree.get("caption") == self.config.celoss_appendix_caption:
                switch = "celossappendix"
            elif i > numbered[-1]:
                switch = "celossbackmatter"
            else:
                switch = None
            entries = [ref for _title, ref in toctree["entries"] if ref in starts]
            if switch and entries:
                self.before(starts[entries[0]], f"\\{switch}")
            if not toctree.get("numbered"):
                for ref in entries:
                    self.sync_counters(starts[ref], ref)

    @staticmethod
    def before(start: addnodes.start_of_file, latex: str) -> None:
        start.parent.insert(start.parent.index(start), nodes.raw("", latex + "\n", format="latex"))

    def sync_counters(self, start: addnodes.start_of_file, docname: str) -> None:
        """An unnumbered chapter's figures are numbered on the web after those of the pages before it
        (the index page's own figure is 图 1, so the 序章's first is 图 2): LaTeX starts there too."""
        numbers = self.env.toc_fignumbers.get(docname, {})
        for figtype, counter in (("figure", "figure"), ("table", "table"), ("code-block", "literalblock")):
            first = min((number[-1] for number in numbers.get(figtype, {}).values()), default=None)
            if first is not None:
                self.before(start, f"\\setcounter{{{counter}}}{{{first - 1}}}")


def print_files(app) -> list[Path]:
    build = Path(app.confdir) / "_build"
    return [build / "latex" / "celoss.pdf", build / "epub" / "celoss.epub"]


def ship_print_editions(app, exception) -> None:
    """HTML 构建结束：已有的 PDF/EPUB 复制进网站的 ``_downloads/``。"""
    if exception is not None or app.builder.name != "html":
        return
    target = Path(app.outdir) / "_downloads"
    for path in print_files(app):
        if path.is_file():
            target.mkdir(exist_ok=True)
            shutil.copyfile(path, target / path.name)


def setup(app):
    app.add_config_value("celoss_web_url", os.environ.get("READTHEDOCS_CANONICAL_URL", ""), "env", types=[str])
    # not meant to be set: it changes with this file, so every page is read again
    app.add_config_value(
        "celoss_print_fingerprint", hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16], "env", types=[str]
    )
    app.add_config_value("celoss_appendix_caption", "附录", "env", types=[str])
    app.add_post_transform(ChartFigures)
    app.add_post_transform(BookMatter)
    app.connect("build-finished", ship_print_editions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
