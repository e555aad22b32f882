"""每章可下载的 .ipynb 在一个全新的内核里从上到下运行，不出错。"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("CELOSS_SITE", ROOT / "docs" / "_build" / "html"))
NOTEBOOKS = sorted((SITE / "_sources").glob("*.ipynb"))


def test_every_executable_chapter_offers_a_notebook():
    if not (SITE / "index.html").exists():
        pytest.fail(f"没有找到构建好的站点 {SITE}：请先运行 `nox -s docs`。")
    chapters = [p.stem for p in (ROOT / "docs").glob("*.md") if "file_format: mystnb" in p.read_text("utf-8")]
    assert sorted(chapters) == sorted(p.stem for p in NOTEBOOKS)
    for name in chapters:
        assert f'_sources/{name}.ipynb' in (SITE / f"{name}.html").read_text("utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_downloaded_notebook_runs_top_to_bottom(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    assert "myst_nb" not in "".join(c.source for c in notebook.cells if c.cell_type == "code")
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert errors == []
