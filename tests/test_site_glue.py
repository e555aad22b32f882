"""docs/_ext/celoss_sphinx 的几个模块，单独检查（不需要构建整本书）。

* :mod:`typography`：句中换行、引号、科学计数法，以及在一本小书里跨行内元素的情形；
* :mod:`notebooks`：MyST 的角色与指令换成 Jupyter 看得懂的 Markdown，glue 换成数值；
* :mod:`bokehjs`：页面要不要 BokehJS 看文档树里的原始 HTML 节点，而不是页面文字。
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from docutils import nodes

from ._tiny_book import ROOT, make_book

sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from celoss_sphinx import bokehjs, notebooks, typography


@pytest.mark.parametrize(("text", "expected"), [
    ("每一个代码单元格都只调用\n配套的 Python 库", "每一个代码单元格都只调用配套的 Python 库"),
    ("乘积就趋于 0。\n这就是 sigmoid 的饱和", "乘积就趋于 0。这就是 sigmoid 的饱和"),
    ("为什么 MSE 会“学不动”", "为什么 MSE 会「学不动」"),
    ('惩罚 "不够狠" 时', "惩罚「不够狠」时"),
    ('取 "float32" 或 "float64"。', "取「float32」或「float64」。"),
    ('Bishop, "Binary Variables"', 'Bishop, "Binary Variables"'),  # English prose keeps its quotes
    ("误差约 3.3524e-04，", "误差约 3.3524 × 10⁻⁴，"),
    ("1e+10 倍", "1 × 10¹⁰ 倍"),
    ("sigmoid 与\nsoftmax", "sigmoid 与\nsoftmax"),  # a break beside a Latin word stays a space
    ("float32 里是 x1e-5", "float32 里是 x1e-5"),  # part of a word: not a number
])
def test_tidy(text, expected):
    assert typography.tidy(text) == expected


def test_tidy_sees_across_inline_elements():
    paragraph = nodes.paragraph("", "", nodes.Text("交叉熵"), nodes.strong("", "的梯度"), nodes.Text("\n"),
                                nodes.emphasis("", "不会"), nodes.Text("消失：\n"), nodes.literal("", "a \n b"),
                                nodes.Text("\n之后"))
    document = nodes.section("", paragraph)
    typography.tidy_doctree(document)
    assert paragraph.astext() == "交叉熵的梯度不会消失：\na \n b\n之后"


def test_tidy_leaves_code_and_math_alone():
    block = nodes.literal_block("", "中文\n中文 “x”")
    math = nodes.math("", "中 \n 文")
    document = nodes.section("", block, nodes.paragraph("", "", math))
    typography.tidy_doctree(document)
    assert block.astext() == "中文\n中文 “x”"
    assert math.astext() == "中 \n 文"


def test_chart_detection_reads_raw_html_nodes():
    div = f'<div class="{bokehjs.CHART_CLASS}">'
    widgets = f'<div class="{bokehjs.CHART_CLASS} {bokehjs.WIDGETS_CLASS}">'
    tree = nodes.section(
        "",
        nodes.raw("", div + "…</div>", format="html"),
        nodes.raw("", "\n" + widgets + "…</div>", format="html"),
        nodes.paragraph("", div),  # the tag written in prose (e.g. a docstring) is not a chart
        nodes.raw("", "<p>celoss-chart</p>", format="html"),
        nodes.raw("", div, format="latex"),
    )
    assert bokehjs.chart_kinds(tree) == [False, True]


GLUE = {
    "loss": {"data": {"text/plain": "0.000335241"}},
    "steps": {"data": {"text/plain": "48"}},
    "table": {"data": {"text/markdown": "| a | b |\n|---|---|\n| 1 | 2 |", "text/plain": "<Table>"}},
}


def test_notebook_markdown_gets_values_and_plain_markdown():
    context = notebooks.Context(GLUE, titles={"gradients": "梯度：为什么 MSE 会「学不动」"},
                                labels={"training-ex-lr": ("training", "training-ex-lr", "学习率")},
                                numbers={"training-ex-lr": "练习 3"})
    lines = [
        "损失是 {glue:text}`loss:.2e`，要 {glue:text}`steps:d` 步（见 {doc}`gradients`、{term}`饱和 <saturation>`）。",
        "句子在这里\n断开，又在 sigmoid\n旁边断开。",
        "原因见{numref}`training-ex-lr`，函数 {func}`~celoss.bce` 与 {math}`\\sigma(z)`。",
        "",
        "```{glue:md} table",
        ":format: myst",
        "```",
        "",
        "```{exercise} 换一个学习率",
        ":label: training-ex-lr",
        "",
        "试试 {glue:text}`steps`。",
        "```",
        "",
        "```{eval-rst}",
        ".. autosummary::",
        "   celoss.bce",
        "```",
        "",
        "```python",
        "x = {glue:text}`loss`  # code stays as it is",
        "```",
    ]
    source = "\n".join(lines)
    out = notebooks.Context.markdown(context, source)
    assert "损失是 3.35 × 10⁻⁴，要 48 步（见 梯度：为什么 MSE 会「学不动」、饱和）。" in out
    assert "句子在这里断开，又在 sigmoid\n旁边断开。" in out
    assert "原因见练习 3，函数 `bce()` 与 $\\sigma(z)$。" in out
    assert "| 1 | 2 |" in out
    assert "**练习：换一个学习率**" in out
    assert "试试 48。" in out
    assert "- `celoss.bce`" in out
    assert "autosummary" not in out
    assert ":label:" not in out
    assert ":format:" not in out
    assert "```python\nx = {glue:text}`loss`  # code stays as it is\n```" in out


def test_tiny_book_pages_are_typeset(tmp_path):
    """在一本小书里整本构建：正文的句中换行去掉，标题进侧栏前引号已改，代码块不动。"""
    book, _, log = make_book(tmp_path, pages=("a",))
    (book / "a.md").write_text(
        "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n\n"
        "# 为什么会“学不动”\n\n汉字在这里\n换行，**加粗**\n之后。\n\n```{code-cell} ipython3\n"
        "import os\nopen(os.environ['EXEC_LOG'], 'a').write('a\\n')\nprint('中文\\n中文')\n```\n", "utf-8")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", str(book), str(out)],
                          env={"EXEC_LOG": str(log), **__import__("os").environ}, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    html = (out / "a.html").read_text("utf-8")
    assert "汉字在这里换行，<strong>加粗</strong>之后。" in html
    assert "为什么会「学不动」" in html
    assert "“" not in html
    assert "中文\n中文" in html  # the cell's output is verbatim
    assert "为什么会「学不动」" in (out / "index.html").read_text("utf-8")  # the title as the toctree shows it
