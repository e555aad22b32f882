"""笔记本下载：每章生成一个读者可以从头运行的 ``_sources/<页面>.ipynb``，放进主题的下载菜单。

写笔记本时：

* 去掉只为书服务的隐藏单元格（``remove-cell``，包括 :mod:`.cache` 的指纹单元格）；
* 开头加一段说明（从哪里安装 celoss）和加载 BokehJS 的一格；
* Markdown 里 glue 的占位换成书里算出的数值（``{glue:text}`` 按它的格式说明写，``{glue:md}``
  换成那段 Markdown），数值的科学计数法与书上一样写成 3.35 × 10⁻⁴；
* 句中换行在两个汉字之间时接起来（Jupyter 也会把它显示成空格）；
* Jupyter 不认识的 MyST 角色和指令换成纯文字或 Markdown：``{doc}`` 写成那一章的标题，
  ``{term}``/``{ref}`` 写成它显示的文字，``{numref}`` 写成「练习 3」，``{func}`` 之类写成行内代码，
  ``{exercise}``/``{solution}`` 等写成加粗的小标题，``{eval-rst}`` 里的 API 摘要表写成函数名列表。
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
from myst_nb.core.read import is_myst_markdown_notebook, read_myst_markdown_notebook
from myst_nb.core.variables import format_plain_text

from .typography import CJK, SCIENTIFIC, scientific

NOTEBOOK_INTRO = (
    "本笔记本下载自《{project}》的「{title}」一章。先安装 celoss（见书中「安装与使用」一页，"
    "一条命令：`pip install {wheel_hint}`），再从上到下运行。正文里的数值是本书构建时算出的，"
    "运行后应与代码单元格的结果一致。"
)
NOTEBOOK_SETUP = (
    "# 在 Jupyter 中显示 Bokeh 图表需要先加载 BokehJS\nfrom bokeh.io import output_notebook\noutput_notebook()"
)

#: 指令 → 在笔记本里换成的小标题（``None``：整个指令连同内容去掉）。
DIRECTIVE_HEADINGS = {
    "exercise": "练习", "solution": "答案", "solution-start": "答案", "admonition": "",
    "note": "注", "tip": "提示", "important": "重要", "warning": "注意", "caution": "注意",
    "hint": "提示", "seealso": "参见", "eval-rst": None, "toctree": None,
}
SILENT = {"solution-end"}

ENDS_CJK, STARTS_CJK = re.compile(f"[{CJK}]$"), re.compile(f"^[{CJK}]")
RUN_LOCALLY_SECTION = re.compile(r"^(#+) 在自己的 Jupyter 里运行\n.*?(?=^#{1,6} |\Z)", re.MULTILINE | re.DOTALL)
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
FENCE_OPEN = re.compile(r"^(\s*)(`{3,}|:{3,})\{([\w:-]+)\}[ \t]*(.*)$")
AUTOSUMMARY_ITEM = re.compile(r"^\s{2,}~?[A-Za-z_][\w.]*\s*$")
PLAIN_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")
OPTION = re.compile(r"^\s*:[\w-]+:")
EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
PY_ROLES = {"func", "class", "meth", "mod", "attr", "data", "obj", "exc", "const"}


class Context:
    """把页面 Markdown 换成纯 Markdown 所需的书的信息。"""

    def __init__(self, glue: dict | None = None, titles: dict | None = None, labels: dict | None = None,
                 numbers: dict | None = None):
        self.glue = glue or {}
        self.titles = titles or {}  # docname -> title
        self.labels = labels or {}  # label -> (docname, anchor, text)
        self.numbers = numbers or {}  # label -> "练习 3"

    def glue_text(self, content: str) -> str:
        key, _, fmt = content.partition(":")
        data = self.glue[key.strip()]["data"]
        text = format_plain_text(data["text/plain"], fmt) if fmt else format_plain_text(data["text/plain"], "")
        return SCIENTIFIC.sub(lambda m: scientific(m[1], m[2]), text)

    def glue_markdown(self, key: str) -> str:
        data = self.glue[key.strip()]["data"]
        return data.get("text/markdown", data.get("text/plain", ""))

    def role(self, name: str, content: str) -> str:
        name = name.removeprefix("py:").removeprefix("std:")
        explicit = EXPLICIT.match(content)
        text, target = (explicit[1], explicit[2]) if explicit else (None, content)
        if name in ("glue:text", "glue", "glue:"):
            return self.glue_text(content)
        if name == "math":
            return f"${content}$"
        if name in PY_ROLES:
            shown = text or (target.lstrip("~").rsplit(".", 1)[-1] if target.startswith("~") else target)
            return f"`{shown.lstrip('~')}{'()' if name in ('func', 'meth') and not text else ''}`"
        if name == "doc":
            return text or self.titles.get(target, target)
        if name == "numref":
            return (
                (text or "").replace("%s", "")
                or self.numbers.get(target)
                or self.labels.get(target, ("", "", "下文"))[2]
            )
        if name == "ref":
            return text or self.numbers.get(target) or self.labels.get(target, ("", "", target))[2]
        return text or target  # term, abbr, guilabel, …

    def markdown(self, source: str) -> str:
        """一个 Markdown 单元格：角色换成文字，指令换成小标题或去掉，代码块原样保留。"""
        out: list[str] = []
        stack: list[tuple[str, str]] = []  # (closing fence, "code" | "keep" | "drop")
        skip_options = False
        prose = False  # the last line written is running text (a soft break after it may be dropped)
        for line in source.split("\n"):
            dropping = any(kind == "drop" for _, kind in stack)
            was_prose, prose = prose, False
            if stack and stack[-1][1] == "drop" and AUTOSUMMARY_ITEM.match(line) and line.strip() != stack[-1][0]:
                out.append(f"- `{line.strip()}`")  # an API summary table becomes a list of the names
                continue
            if stack and stack[-1][1] == "code":
                if not dropping:
                    out.append(line)
                if line.strip() == stack[-1][0]:
                    stack.pop()
                continue
            if stack and line.strip() == stack[-1][0]:
                _, kind = stack.pop()
                if kind == "keep" and not dropping:
                    out.append("")
                continue
            if skip_options and OPTION.match(line):
                continue
            skip_options = False
            opened = FENCE_OPEN.match(line)
            if opened:
                indent, fence, name, argument = opened.groups()
                drop = name == "glue:md" or DIRECTIVE_HEADINGS.get(name, "") is None
                stack.append((fence, "drop" if drop else "keep"))
                skip_options = True
                if dropping:
                    continue
                if name == "glue:md":
                    out.append(self.glue_markdown(argument))
                elif not drop and name not in SILENT:
                    label, argument = DIRECTIVE_HEADINGS.get(name, ""), argument.strip()
                    title = f"{label}：{argument}" if label and argument else label or argument
                    if title:
                        out.append(f"{indent}**{self.inline(title)}**\n")
                continue
            plain = PLAIN_FENCE.match(line)
            if plain:
                stack.append((plain[2], "code"))
            if dropping:
                continue
            if plain:
                out.append(line)
                continue
            text = self.inline(line)
            if was_prose and ENDS_CJK.search(out[-1]) and STARTS_CJK.match(text):
                out[-1] += text  # Jupyter, too, shows a line break between two Chinese characters as a space
            else:
                out.append(text)
            prose = bool(text.strip())
        return "\n".join(out).strip("\n")

    def inline(self, text: str) -> str:
        return ROLE.sub(lambda m: self.role(m[1], m[2]), text)


def downloadable_notebook(text: str, title: str, context: Context | None = None, *,
                          project: str = "为什么分类任务要用交叉熵",
                          wheel_hint: str = "<本书网址>/_downloads/celoss-…-py3-none-any.whl") -> nbformat.NotebookNode:
    """把 MyST 笔记本页面变成读者可下载、可从头运行的 .ipynb（不含输出）。"""
    context = context or Context()
    notebook = read_myst_markdown_notebook(text)
    cells = []
    for cell in notebook.cells:
        if "remove-cell" in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            # the notebook's own first two cells say how to run it; the page's section would repeat it
            cell.source = RUN_LOCALLY_SECTION.sub("", context.markdown(cell.source))
            if not cell.source.strip():
                continue
        cells.append(cell)
    notebook.cells = [
        nbformat.v4.new_markdown_cell(NOTEBOOK_INTRO.format(project=project, title=title, wheel_hint=wheel_hint)),
        nbformat.v4.new_code_cell(NOTEBOOK_SETUP),
        *cells,
    ]
    notebook.metadata.pop("source_map", None)
    return notebook


def book_context(app, pagename: str) -> Context:
    env = app.env
    glue_file = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.glue.json"
    glue = json.loads(glue_file.read_text("utf-8")) if glue_file.exists() else {}
    titles = {name: node.astext() for name, node in env.titles.items()}
    labels = dict(env.get_domain("std").labels)
    numbers = {}
    for label, (docname, anchor, _) in labels.items():
        for kind, ids in env.toc_fignumbers.get(docname, {}).items():
            if anchor in ids and kind == "exercise":
                numbers[label] = "练习 " + ".".join(map(str, ids[anchor]))
    return Context(glue, titles, labels, numbers)


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
    from .install import wheel_name  # the wheel the site ships, if any

    name = wheel_name(app)
    hint = f"<本书网址>/_downloads/{name}" if name else "celoss"
    notebook = downloadable_notebook(text, re.sub("<[^>]+>", "", title), book_context(app, pagename),
                                     project=app.config.project, wheel_hint=hint)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app) -> None:
    # before sphinx-book-theme builds its download menu (priority 501)
    app.connect("html-page-context", offer_notebook_download, priority=400)
