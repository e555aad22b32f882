"""印刷版：``nox -s pdf`` 与 ``nox -s epub`` 的成品像读者拿到的那样检查。

PDF：每一章都在（「第 N 章 标题」，章号与网页版相同：前言与序章、结语不编号，附录 A、B……）、
图号与网页版的图表索引一致、正文是中文（``pdftotext``）、每张图表都有一张图和指向网页版的图注、
LaTeX 日志里没有缺字（Missing character）。EPUB：每一章一个 XHTML、每个公式是一张 SVG 图（字形是
路径，个数与网页版的公式相同，没有 MathML 或残留的 TeX）、每张图表一张图且图在包里、章节里没有脚本。
图表的张数以网页版为准（``docs/_build/html`` 里 ``celoss-chart`` 的个数）。
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter

import pytest

from celoss.charts._display import CHART_MARK

from ._site import ROOT, SITE

DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
PDF, LATEX_LOG, EPUB = BUILD / "latex" / "celoss.pdf", BUILD / "latex" / "celoss.log", BUILD / "epub" / "celoss.epub"
CAPTION = "网页版中此图可交互"
CHART_DIV = re.compile(f'<div class="{CHART_MARK}[ "]')


def toctrees() -> list[tuple[str, bool, list[str]]]:
    """(标题, 是否编号, 页面)：首页的各个 toctree，按书中顺序。"""
    text = (DOCS / "index.md").read_text("utf-8")
    trees = []
    for block in re.findall(r"```\{toctree\}(.*?)```", text, re.DOTALL):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        caption = next((line.split(":", 2)[2].strip() for line in lines if line.startswith(":caption:")), "")
        numbered = any(line.startswith(":numbered:") for line in lines)
        trees.append((caption, numbered, [line for line in lines if not line.startswith(":")]))
    return trees


def chapter_headings() -> list[str]:
    """PDF 里各章的标题，章号与网页版一致：前言与序章、结语不编号，各部分的章从第 1 章编起，附录 A、B……"""
    headings, number, appendix = [], 0, 0
    titles = dict(chapters())
    for caption, numbered, pages in toctrees():
        for page in pages:
            if numbered:
                number += 1
                headings.append(f"第{number}章{titles[page]}")
            elif caption == "附录":
                headings.append(f"附录{chr(ord('A') + appendix)}{titles[page]}")
                appendix += 1
            else:
                headings.append(titles[page])
    return headings


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
    headings = chapter_headings()
    assert len(headings) == len(chapters())
    missing = [heading for heading in headings if squeeze(heading) not in text]
    assert missing == []
    assert "CHAPTER" not in pdf_text.upper().replace("CHAPTER_", "")


def test_pdf_chapter_numbers_are_the_webs(pdf_text):
    """前言与序章不占章号：「第 1 章」是第一部分的第一章（梯度），和网页版一样；序章、结语没有章号。"""
    text = squeeze(pdf_text)
    (_, _, front), (_, _, first_part) = toctrees()[0], next(tree for tree in toctrees() if tree[1])
    titles = dict(chapters())
    assert re.findall(r"第1章(.{6})", text)[0] == squeeze(titles[first_part[0]])[:6]
    for page in front:
        assert not re.search(r"第\d+章" + re.escape(squeeze(titles[page])), text), page
    # the last numbered chapter is the web's count; no chapter after it
    last = sum(len(pages) for _, numbered, pages in toctrees() if numbered)
    assert f"第{last}章" in text
    assert f"第{last + 1}章" not in text


def _web_figures() -> list[tuple[str, str]]:
    """(编号, 图题开头)：网页版图表索引（figures.html）里的图，图题取第一个公式之前的文字（至少 4 个字）。"""
    page = (SITE / "figures.html").read_text("utf-8")
    entries = re.findall(r'<li class="celoss-figure-entry"><p><a [^>]*>(图 [\d.]+)</a>(.*?)</p></li>', page)
    figures = []
    for number, rest in entries:
        if 'href="index.html"' in rest:  # the index page's own figure: the PDF has the chapters only
            continue
        caption = rest.split("（<a ")[0].split("<")[0].strip("\u3000 ")  # pdftotext spells formulas otherwise
        if len(squeeze(caption)) >= 4:
            figures.append((number, caption))
    return figures


def test_pdf_figure_numbers_are_the_webs(pdf_text):
    """网页版图表索引里的每个图号，在 PDF 里都是同一张图：LaTeX 排的图题「图 1.2: 图题」。

    （PDF 里的图表索引一章照抄网页版的编号，所以这里要求图号后的冒号，那是 LaTeX 自己的图题；
    pdftotext 偶尔把页眉里一节的标题插进浮动的图题，插在图题前或图题的两个词之间，所以图题的
    前几个字按顺序出现即可，字与字之间允许隔一段。）
    """
    text = squeeze(pdf_text)
    figures = _web_figures()
    assert len(figures) > 5
    assert any(number.startswith("图 1.") for number, _ in figures)
    assert any("." not in number for number, _ in figures)  # the 序章's figures, numbered after the index page's
    def found(number: str, caption: str) -> bool:
        start = squeeze(caption)[:10]
        return re.search(re.escape(squeeze(number)) + ":" + "".join(f".{{0,40}}?{re.escape(c)}" for c in start),
                         text) is not None

    wrong = [(number, caption) for number, caption in figures if not found(number, caption)]
    assert wrong == []


def test_pdf_text_is_chinese(pdf_text):
    han = len(re.findall(r"[\u4e00-\u9fff]", pdf_text))
    assert han > 20_000, han
    assert "交叉熵" in pdf_text
    assert "均方误差" in pdf_text


def test_pdf_result_tables_are_tables_not_reprs(pdf_text):
    """The PDF has no HTML: celoss.lab's result objects print through their Markdown repr as tables.
    Without it LaTeX would show text/plain, the NamedTuple's repr full of ``=array(``."""
    assert "=array(" not in pdf_text
    # the gradient table of chapter 1: its header cells, then a row of numbers
    assert re.search(r"MSE 梯度\s+交叉熵梯度\s+-8\s+1\s+0\.0003354", pdf_text)


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


def _epub_pages(epub) -> dict[str, str]:
    """EPUB 里与网页版同名的页面：{页面名: XHTML}。"""
    return {name[:-6]: epub.read(name).decode("utf-8") for name in epub.namelist()
            if name.endswith(".xhtml") and "/" not in name and (SITE / f"{name[:-6]}.html").is_file()}


def _web_article(name: str) -> str:
    """网页版一页的正文（不含侧栏：侧栏里的章节标题也有公式）。"""
    page = (SITE / f"{name}.html").read_text("utf-8")
    return page[page.index('<article class="bd-article"'):page.index("</article>")]


MATH_NODE = re.compile(r'<(?:span|div) class="math notranslate')
SVG_IMAGE = re.compile(r'<img class="math-svg" src="([^"]+)" alt="([^"]*)" style="[^"]*"/>')


def test_epub_math_is_svg_without_scripts(epub):
    """每个公式（行内与行间）都是一张 SVG 图，个数与网页版相同；没有 MathML、KaTeX 或残留的 TeX。"""
    pages = _epub_pages(epub)
    assert {name for name, _ in chapters(nested=True)} <= set(pages)
    total = 0
    for name, page in pages.items():
        assert "<script" not in page, name
        assert "<math" not in page, name
        assert "katex" not in page, name
        web = _web_article(name)
        images = SVG_IMAGE.findall(page)
        assert len(images) == len(MATH_NODE.findall(page)) == len(MATH_NODE.findall(web)), name
        assert all(alt.strip() for _, alt in images), name  # the TeX source is the alt text
        # equation numbers as on the web
        assert re.findall(r'class="eqno">\(([^)<]*)\)', page) == re.findall(r'class="eqno">\(([^)<]*)\)', web), name
        # the TeX source stays only in alt attributes; none is left in the text
        text = re.sub(r'alt="[^"]*"', "", page)
        for raw in ("\\(", "\\[", "\\frac", "$$"):
            assert raw not in text, (name, raw)
        total += len(images)
    assert total > 500, total
    assert len(SVG_IMAGE.findall(pages["why-cross-entropy"])) > 5


def test_epub_math_svgs_are_glyph_paths(epub):
    """公式的 SVG 都在包里、登记在 content.opf，字形画成路径（阅读器不需要数学字体），没有文字元素。"""
    names = set(epub.namelist())
    opf = epub.read("content.opf").decode("utf-8")
    sources = {src for page in _epub_pages(epub).values() for src, _ in SVG_IMAGE.findall(page)}
    assert len(sources) > 300, len(sources)
    for src in sorted(sources):
        assert src in names, src
        assert re.search(f'href="{re.escape(src)}" media-type="image/svg\\+xml"', opf), src
        svg = epub.read(src).decode("utf-8")
        assert svg.startswith("<?xml"), src
        assert "viewBox=" in svg, src
        assert svg.count("<path") >= 1, src
        for element in ("<text", "<font", "<image"):  # no text to draw with a font, no bitmap
            assert element not in svg, (src, element)
    # the Chinese in \text{梯度} is drawn too: a formula with CJK text has more glyphs than its Latin part alone
    page = _epub_pages(epub)["gradients"]
    cjk = [src for src, alt in SVG_IMAGE.findall(page) if "梯度" in alt]
    assert cjk, "gradients 里应有含「梯度」的公式"
    assert epub.read(cjk[0]).decode("utf-8").count("<path") >= 4


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
    for tool in ("xelatex", "latexmk", "pdftotext", "pdfimages", "node", "dvisvgm"):
        assert shutil.which(tool), tool
