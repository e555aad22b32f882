"""印刷版：``nox -s pdf`` 与 ``nox -s epub`` 的成品像读者拿到的那样检查。

PDF：每一章都在（目录里是「第 N 章 标题」）、正文是中文（``pdftotext``）、每张图表都有一张图和
指向网页版的图注、LaTeX 日志里没有缺字（Missing character）。EPUB：每一章一个 XHTML、公式是
MathML（没有残留的 TeX）、每张图表一张图且图在包里、章节里没有脚本。
图表的张数以网页版为准（``docs/_build/html`` 里 ``celoss-chart`` 的个数）。
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from celoss.charts._display import CHART_MARK

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
PDF, LATEX_LOG, EPUB = BUILD / "latex" / "celoss.pdf", BUILD / "latex" / "celoss.log", BUILD / "epub" / "celoss.epub"
SITE = Path(os.environ.get("CELOSS_SITE", BUILD / "html"))
CAPTION = "网页版中此图可交互"
CHART_DIV = re.compile(f'<div class="{CHART_MARK}[ "]')


def _toctree_pages(page: str, *, nested: bool) -> list[str]:
    """The pages a page's toctrees list, in order; with ``nested`` also their own toctrees' pages
    (variants lists its three sections, which print as sections of that chapter)."""
    text = (DOCS / f"{page}.md").read_text("utf-8")
    names = []
    for block in re.findall(r"```\{toctree\}(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            name = line.strip()
            if name and not name.startswith(":"):
                names += [name, *(_toctree_pages(name, nested=True) if nested else [])]
    return names


def chapters(*, nested: bool = False) -> list[tuple[str, str]]:
    """(页面名, 标题)：首页各个 toctree 里的页面，按书中顺序；``nested`` 时也列出各章自己的小节页面。"""
    titles = []
    for name in _toctree_pages("index", nested=nested):
        heading = next(line for line in (DOCS / f"{name}.md").read_text("utf-8").splitlines() if line.startswith("# "))
        titles.append((name, heading[2:].strip()))
    return titles


def charts_per_page() -> dict[str, int]:
    """网页版里每一章的图表个数（印刷版应有同样多的图）。"""
    if not (SITE / "index.html").exists():
        pytest.fail(f"没有找到网页版 {SITE}：请先运行 `nox -s docs`。")
    return {name: len(CHART_DIV.findall((SITE / f"{name}.html").read_text("utf-8")))
            for name, _ in chapters(nested=True)}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pdf_text() -> str:
    if not PDF.is_file():
        pytest.fail(f"没有找到 {PDF}：请先运行 `nox -s pdf`。")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(PDF), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def test_pdf_has_every_chapter_with_chinese_heading(pdf_text):
    text = squeeze(pdf_text)
    headings = [f"第{i}章{title}" for i, (_, title) in enumerate(chapters(), 1)]
    missing = [heading for heading in headings if squeeze(heading) not in text]
    assert missing == []
    assert "CHAPTER" not in pdf_text.upper().replace("CHAPTER_", "")


def test_pdf_text_is_chinese(pdf_text):
    han = len(re.findall(r"[\u4e00-\u9fff]", pdf_text))
    assert han > 20_000, han
    assert "交叉熵" in pdf_text
    assert "均方误差" in pdf_text


def test_pdf_has_an_image_and_caption_for_every_chart(pdf_text):
    charts = sum(charts_per_page().values())
    assert charts > 10
    assert squeeze(pdf_text).count(CAPTION) == charts  # a caption may wrap inside the phrase
    listing = subprocess.run(["pdfimages", "-list", str(PDF)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listing.splitlines()[2:] if line.strip()]
    assert len(images) >= charts


def test_pdf_captions_name_the_chapter_on_the_web(pdf_text):
    """每个图注都指向网页版里图所在的那一章，各章的图注数与网页版的图表数相同。"""
    named = re.findall(CAPTION + r"（[^）]*）：(?:https?://\S*?/)?([a-z-]+)\.html", squeeze(pdf_text))
    expected = {name: count for name, count in charts_per_page().items() if count}
    assert Counter(named) == Counter(expected)


def test_latex_log_has_no_missing_glyphs():
    if not LATEX_LOG.is_file():
        pytest.fail(f"没有找到 {LATEX_LOG}：请先运行 `nox -s pdf`。")
    log = LATEX_LOG.read_text("utf-8", errors="replace")
    assert "Missing character" not in log
    assert "LaTeX Error" not in log


@pytest.fixture(scope="module")
def epub() -> zipfile.ZipFile:
    if not EPUB.is_file():
        pytest.fail(f"没有找到 {EPUB}：请先运行 `nox -s epub`。")
    with zipfile.ZipFile(EPUB) as book:
        yield book


def test_epub_is_an_epub3_with_every_chapter(epub):
    assert epub.read("mimetype") == b"application/epub+zip"
    names = set(epub.namelist())
    missing = [name for name, _ in chapters(nested=True) if f"{name}.xhtml" not in names]
    assert missing == []
    opf = epub.read("content.opf").decode("utf-8")
    assert 'version="3.0"' in opf
    assert "<dc:language>zh-CN</dc:language>" in opf


def test_epub_math_is_mathml_without_scripts(epub):
    for name, _ in chapters():
        page = epub.read(f"{name}.xhtml").decode("utf-8")
        assert "<script" not in page, name
        if 'class="math' in page:
            assert page.count("<math") >= page.count('class="math'), name
            # the TeX source stays only as MathML's annotation; none is left raw in the text
            text = re.sub(r"<annotation\b.*?</annotation>", "", page, flags=re.DOTALL)
            assert "\\(" not in text, name
            assert "\\[" not in text, name
            assert "\\frac" not in text, name
    page = epub.read("why-cross-entropy.xhtml").decode("utf-8")
    assert page.count("<math") > 5


def test_epub_has_an_image_for_every_chart(epub):
    names = set(epub.namelist())
    for name, count in charts_per_page().items():
        page = epub.read(f"{name}.xhtml").decode("utf-8")
        images = re.findall(r'<img[^>]*class="[^"]*celoss-chart-image[^"]*"[^>]*src="([^"]+)"', page)
        images += re.findall(r'<img[^>]*src="([^"]+)"[^>]*class="[^"]*celoss-chart-image', page)
        assert len(set(images)) == count, (name, len(images), count)
        assert page.count(CAPTION) == count, name
        for src in images:
            assert src in names, (name, src)


def test_print_editions_are_linked_and_shipped_in_the_site():
    index = (SITE / "index.html").read_text("utf-8")
    for path in (PDF, EPUB):
        assert f'href="_downloads/{path.name}"' in index, path.name
        shipped = SITE / "_downloads" / path.name
        assert shipped.is_file(), path.name
        assert shipped.stat().st_size == path.stat().st_size, path.name


def test_print_tools_are_installed():
    """CI 装好了印刷版需要的工具（.ci/run）。"""
    for tool in ("xelatex", "latexmk", "pdftotext", "pdfimages", "node"):
        assert shutil.which(tool), tool
