"""读者拿到的笔记本与安装包：从站点下载，在一个全新的虚拟环境里只装站点上的 wheel，就能运行。

* 每章可下载的 ``.ipynb`` 显示书里算出的数值（没有 ``{glue:text}`` 占位），也没有 Jupyter 不认识
  的 MyST 角色与指令；
* 把构建好的站点放到 127.0.0.1 上，新建虚拟环境，``pip install <站点>/_downloads/celoss-….whl``
  （外加运行笔记本用的 ipykernel 与 nbclient），然后运行一个照抄的图表单元格，
  再把每章下载的笔记本从上到下运行一遍。
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
import venv
from pathlib import Path

import nbformat
import pytest

import celoss

from ._html_text import CJK
from ._site import ROOT, SITE

NOTEBOOKS = sorted((SITE / "_sources").glob("*.ipynb"))
WHEEL = f"celoss-{celoss.__version__}-py3-none-any.whl"
MYST_SYNTAX = re.compile(r"\{[\w:-]+\}`|^\s*(?:`{3,}|:{3,})\{[\w:-]+\}", re.MULTILINE)


def test_every_executable_chapter_offers_a_notebook():
    if not (SITE / "index.html").exists():
        pytest.fail(f"没有找到构建好的站点 {SITE}：请先运行 `nox -s docs`。")
    chapters = [p.stem for p in (ROOT / "docs").glob("*.md") if "file_format: mystnb" in p.read_text("utf-8")]
    assert sorted(chapters) == sorted(p.stem for p in NOTEBOOKS)
    for name in chapters:
        assert f'_sources/{name}.ipynb' in (SITE / f"{name}.html").read_text("utf-8")


def _markdown(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shows_values_not_myst(path):
    """笔记本的 Markdown 里没有 glue 占位和别的 MyST 角色或指令；书上的数值都在。"""
    notebook = nbformat.read(path, as_version=4)
    assert "myst_nb" not in "".join(c.source for c in notebook.cells if c.cell_type == "code")
    markdown = _markdown(path)
    assert MYST_SYNTAX.findall(markdown) == []
    assert "README" not in markdown
    assert "<本书网址>/_downloads/" + WHEEL in markdown
    # code and math stand in a sentence as non-Chinese words
    without_fences = re.sub(r"```.*?```", "x", markdown, flags=re.DOTALL)
    prose = re.sub(r"`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$", "x", without_fences, flags=re.DOTALL)
    assert not re.search(r"\d(?:\.\d+)?e[+-]?\d\d", prose)  # numbers as on the page: 3.35 × 10⁻⁴
    assert not re.search(f"[{CJK}]\n[{CJK}]", prose)  # no soft break between two Chinese characters


def test_glued_numbers_reach_the_notebook():
    """numerics 一章的 float32 溢出界（glue 的 ``:.2f``）按书上的写法出现在笔记本里。"""
    glue = json.loads((SITE.parent / "jupyter_execute" / "numerics.glue.json").read_text("utf-8"))
    value = format(float(glue["logmax_float32"]["data"]["text/plain"]), ".2f")
    assert value in _markdown(SITE / "_sources" / "numerics.ipynb")
    assert value in (SITE / "numerics.html").read_text("utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url():
    if not (SITE / "_downloads" / WHEEL).is_file():
        pytest.fail(f"站点里没有 {WHEEL}：请先运行 `nox -s docs`。")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def reader_python(site_url, tmp_path_factory) -> Path:
    """一个全新的虚拟环境：只用安装页上的那条命令装了 celoss（外加运行笔记本的 Jupyter 内核）。"""
    env = tmp_path_factory.mktemp("reader") / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    done = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"{site_url}/_downloads/{WHEEL}", "ipykernel", "nbclient"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return python


def _run(python: Path, code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=900, check=False,
                          env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CELOSS_SITE")})


def test_wheel_from_the_site_runs_a_copied_chart_cell(reader_python, tmp_path):
    """照抄第一章的一个图表单元格，在只装了站点 wheel 的环境里运行，得到一张 Bokeh 图。"""
    notebook = nbformat.read(SITE / "_sources" / "why-cross-entropy.ipynb", as_version=4)
    cell = next(c.source for c in notebook.cells if c.cell_type == "code" and "chart(" in c.source)
    *body, last = cell.strip().splitlines()
    code = "\n".join([*body, f"chart = {last}", "from bokeh.models import LayoutDOM",
                      "import celoss", "assert isinstance(chart, LayoutDOM), type(chart)",
                      "print(celoss.__file__)"])
    done = _run(reader_python, code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(reader_python.parents[1]) in done.stdout  # the venv's celoss, not the repository's


RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, kernel_name="python3").execute()
errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
assert not errors, errors
print("ok", sum(c.cell_type == "code" for c in nb.cells))
"""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_downloaded_notebook_runs_with_only_the_wheel(reader_python, path, tmp_path):
    """每章下载的笔记本在只装了站点 wheel 的环境里从上到下运行，不出错（含 training 的 matplotlib 图）。"""
    done = subprocess.run([reader_python, "-c", RUN_NOTEBOOK, str(path)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=900, check=False,
                          env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)})
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("ok")
