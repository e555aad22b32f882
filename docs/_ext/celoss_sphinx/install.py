"""从书里安装：站点自带 celoss 的 wheel，一条命令装好；每章都告诉读者怎么在自己的 Jupyter 里运行。

* ``nox -s docs`` 先把 celoss 打成 wheel 放进 ``celoss_wheel_dir``；构建结束时这里把它复制到
  站点的 ``_downloads/<包>-<版本>-py3-none-any.whl``（版本读自包的 ``__version__``）。
  设了 ``celoss_wheel_dir`` 却找不到 wheel 时发出警告（``-W`` 下构建失败）。
* 指令 ``{celoss-install}`` 写出那条安装命令和 wheel 的下载链接。命令里的 ``<本书网址>``
  在浏览器里换成读者正在看的站点的真实地址（``static/celoss-zh.js``），站点放在子路径下也对。
* 每个执行代码的章节都有一个「在自己的 Jupyter 里运行」的提示框，链接到 ``install`` 页，并提醒
  先运行 ``output_notebook()``。页面里已经有这个标题的一节时，换掉它的正文，不重复。
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

INSTALL_DOC = "install"
RUN_LOCALLY = "在自己的 Jupyter 里运行"
API_SECTION = "本章用到的 celoss 函数"
SITE_PLACEHOLDER = "<本书网址>"
SETUP_LINE = "from bokeh.io import output_notebook; output_notebook()"


def wheel_name(app) -> str | None:
    """站点里 wheel 的文件名；没有设 ``celoss_wheel_dir`` 时为 ``None``。"""
    if not app.config.celoss_wheel_dir:
        return None
    package = app.config.celoss_fingerprint_package
    version = importlib.import_module(package).__version__
    return f"{package}-{version}-py3-none-any.whl"


def _wheel_source(app) -> Path | None:
    name = wheel_name(app)
    return None if name is None else Path(app.config.celoss_wheel_dir) / name


def check_wheel(app) -> None:
    source = _wheel_source(app)
    if source is not None and not source.is_file():
        logger.warning(
            "没有找到 %s：请用 `nox -s docs` 构建（它先打好 wheel）。", source, type="celoss", subtype="wheel"
        )


def copy_wheel(app, exception) -> None:
    source = _wheel_source(app)
    if exception is not None or app.builder.format != "html" or source is None or not source.is_file():
        return
    target = Path(app.outdir) / "_downloads" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _root(docname: str) -> str:
    return "../" * docname.count("/")


class InstallCommand(SphinxDirective):
    """``{celoss-install}``：从本站安装 celoss 的那条命令，加上 wheel 的下载链接。"""

    has_content = False

    def run(self) -> list[nodes.Node]:
        name = wheel_name(self.env.app)
        if name is None:
            return [self.state.document.reporter.warning("celoss_wheel_dir 没有设置", line=self.lineno)]
        command = f"pip install {SITE_PLACEHOLDER}/_downloads/{name}"
        block = nodes.literal_block(command, command, language="text")
        box = nodes.container("", block, classes=["celoss-install-command"])
        link = nodes.reference("", "", nodes.literal(name, name), refuri=f"{_root(self.env.docname)}_downloads/{name}")
        note = nodes.paragraph(
            "", "", nodes.Text("也可以先下载 "), link,
            nodes.Text("，再在它所在的文件夹里运行 "), nodes.literal(f"pip install {name}", f"pip install {name}"),
            nodes.Text("。"),
        )
        return [box, note]


def _install_link(docname: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", "「安装与使用」"), refdomain="std", reftype="doc", reftarget=f"/{INSTALL_DOC}",
        refexplicit=True, refwarn=True, refdoc=docname,
    )


def run_locally_body(docname: str) -> list[nodes.Node]:
    return [
        nodes.paragraph(
            "", "", nodes.Text("本章每个看得见的代码单元格都可以复制到自己的 Jupyter 里运行：先按"),
            _install_link(docname),
            nodes.Text("一页用一条 pip 命令装好 celoss；也可以从页首的下载菜单取本章的 .ipynb 笔记本，从上到下运行。"),
        ),
        nodes.paragraph(
            "", "", nodes.Text("图表要在 Jupyter 里显示，笔记本开头先运行一次 "),
            nodes.literal(SETUP_LINE, SETUP_LINE),
            nodes.Text("（加载 BokehJS）；否则单元格只显示图表对象的属性表。"),
        ),
    ]


def _title(section: nodes.section) -> str:
    return section[0].astext() if len(section) and isinstance(section[0], nodes.title) else ""


def add_run_locally_box(app, doctree) -> None:
    """给执行代码的章节加上「在自己的 Jupyter 里运行」。"""
    docname = app.env.docname
    if INSTALL_DOC not in app.env.found_docs or docname == INSTALL_DOC:
        return
    if not any("cell" in node["classes"] for node in doctree.findall(nodes.container)):
        return
    sections = list(doctree.findall(nodes.section))
    for section in sections:
        if _title(section) == RUN_LOCALLY:
            keep = [child for child in section.children[1:] if isinstance(child, nodes.section)]
            section.children = section.children[:1]
            section.extend(run_locally_body(docname) + keep)
            return
    box = nodes.admonition("", nodes.title("", RUN_LOCALLY), *run_locally_body(docname),
                           classes=["tip", "celoss-run-locally"])
    for section in sections:
        if _title(section) == API_SECTION:
            parent, index = section.parent, section.parent.index(section)
            previous = parent[index - 1] if index else None
            if isinstance(previous, nodes.section):  # a body element may not follow a section
                previous.append(box)
            else:
                parent.insert(index, box)
            return
    top = sections[0] if sections else doctree
    subsections = [child for child in top.children if isinstance(child, nodes.section)]
    (subsections[-1] if subsections else top).append(box)


def setup(app) -> None:
    app.add_config_value("celoss_wheel_dir", None, "env", types=[str, type(None)])
    app.add_directive("celoss-install", InstallCommand)
    app.connect("builder-inited", check_wheel)
    app.connect("doctree-read", add_run_locally_box)
    app.connect("build-finished", copy_wheel)
