"""网页版的加载方式（issue 13）：公式在构建时渲染、BokehJS 最先下载、正文页不加载搜索索引。

只检查构建好的 HTML（``docs/_build/html``）；页面真的画出来、滑块能动，由 tests/browser 检查。
"""

from __future__ import annotations

import re
from pathlib import Path


def content_pages(site: Path) -> list[Path]:
    skip = {"search.html", "genindex.html", "py-modindex.html"}
    return [p for p in sorted(site.glob("*.html")) if p.name not in skip]


def test_formulas_are_rendered_at_build_time_with_mathml(site):
    """每个公式在 HTML 里已是 KaTeX 的输出，带给读屏软件的 MathML；没有数学脚本。"""
    pages = 0
    for page in content_pages(site):
        html = page.read_text("utf-8")
        spans = len(re.findall(r'<(?:span|div) class="math notranslate', html))
        if not spans:
            continue
        pages += 1
        assert html.count('<span class="katex">') >= spans, page.name
        assert html.count("<math") >= spans, page.name
        assert "katex-error" not in html, page.name
        assert not re.search(r"<script[^>]*(mathjax|katex)", html, re.IGNORECASE), page.name
    assert pages >= 8


def test_katex_stylesheet_and_fonts_come_from_static(site):
    css = (site / "_static" / "katex" / "katex.min.css").read_text("utf-8")
    fonts = re.findall(r"url\(([^)]+)\)", css)
    assert len(fonts) > 15
    assert all(not re.match(r"(https?:)?//", url) for url in fonts)
    missing = [url for url in fonts if not (site / "_static" / "katex" / url).is_file()]
    assert missing == []
    assert not (site / "_static" / "mathjax").exists()


def test_content_pages_load_no_search_index(site):
    for page in content_pages(site):
        assert "searchindex.js" not in page.read_text("utf-8"), page.name
    assert "searchindex.js" in (site / "search.html").read_text("utf-8")


def test_chart_pages_preload_bokehjs_before_anything_else(site):
    html = (site / "why-cross-entropy.html").read_text("utf-8")
    head = html[: html.index("</head>")]
    preload = head.index('<link rel="preload" as="script" href="_static/bokeh/bokeh-')
    assert preload < head.index('rel="stylesheet"')
    # the theme's own scripts wait (defer); only documentation_options.js stays synchronous
    blocking = re.findall(r'<script src="([^"]+)"', head)
    assert [src for src in blocking if "documentation_options" not in src] == []


def test_charts_do_not_wait_for_domcontentloaded(site):
    """Bokeh 的 components() 脚本包在 DOMContentLoaded 回调里；本书的嵌入脚本在 BokehJS 到达时就画。"""
    html = (site / "why-cross-entropy.html").read_text("utf-8")
    assert html.count("embed_items") == 4
    assert 'document.readyState != "loading"' not in html


def test_chart_pages_preload_bokehjs_and_chartless_pages_do_not_load_it(site):
    """The front page shows a chart (the gradient at z = −8): it preloads BokehJS in its head.
    A page without a chart (the glossary) names no BokehJS at all."""
    assert "bokeh" not in (site / "glossary.html").read_text("utf-8")
    html = (site / "index.html").read_text("utf-8")
    head = html[: html.index("</head>")]
    assert '<link rel="preload" as="script" href="_static/bokeh/bokeh-' in head
    # the search page keeps its scripts in order (searchtools.js needs doctools.js at once)
    search = (site / "search.html").read_text("utf-8")
    assert 'defer="defer" src="_static/doctools.js' not in search
