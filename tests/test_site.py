"""对构建好的站点做静态检查：API 参考齐全、BokehJS 版本一致、没有指向外部的资源、没有多余附件。"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import bokeh
import pytest

import celoss

from ._site import ROOT


def test_api_page_documents_every_public_function(site):
    html = (site / "api.html").read_text("utf-8")
    missing = [name for name in celoss.__all__ if f'id="celoss.{name}"' not in html]
    assert missing == []


def _public_modules() -> list[str]:
    """celoss 里所有公开模块（名字的每一段都不以下划线开头）。"""
    found = []
    for info in pkgutil.walk_packages(celoss.__path__, "celoss."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            found.append(info.name)
    return found


def test_api_pages_document_every_public_module(site):
    """每个公开模块 ``__all__`` 里的名字都在 API 页面上有锚点：顶层已导出的在 api.html，其余在子页面。"""
    html = "".join((site / page).read_text("utf-8") for page in ("api.html", "api-tools.html", "api-charts.html"))
    modules = _public_modules()
    assert {"celoss.lab.training", "celoss.lab.numerics", "celoss.charts.variants"} <= set(modules)
    missing = []
    for name in modules:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        if exported is None:
            if name != "celoss.charts":
                missing.append(f"{name} 没有 __all__")
            continue
        for member in exported:
            home = getattr(getattr(module, member), "__module__", name)  # re-exported functions
            anchors = {f'id="{name}.{member}"', f'id="{home}.{member}"'}
            if member in celoss.__all__:
                anchors.add(f'id="celoss.{member}"')
            if not any(a in html for a in anchors):
                missing.append(f"{name}.{member}")
    assert missing == []


def test_api_pages_have_no_placeholder_or_raw_markup(site):
    """字段都有说明（没有 namedtuple 自动生成的 "Alias for field number"），也没有没被解析的角色。"""
    for page in ("api.html", "api-tools.html", "api-charts.html"):
        html = (site / page).read_text("utf-8")
        assert "Alias for field number" not in html, page
        raw = re.findall(r":(?:math|func|class|mod|term):`", html)
        assert raw == [], f"{page} 里有没被解析的 reST 角色：{raw[:3]}"


def test_bokehjs_only_on_pages_with_charts_and_widgets_only_with_sliders(site):
    """每一页：有图表才加载 BokehJS，有控件才加载 widgets 包（API 页面的锚点里也有 "celoss-chart" 字样）。"""
    wrong = []
    for page in sorted(site.glob("*.html")):
        # the front page prefetches BokehJS for the next chapter (docs/_ext/celoss_pageload.py): not a load
        html = re.sub(r'<link rel="prefetch"[^>]*>', "", page.read_text("utf-8"))
        charts = re.findall(r'<div class="celoss-chart( celoss-widgets)?">', html)
        loads = {
            name: f"_static/bokeh/{name}-{bokeh.__version__}.min.js" in html for name in ("bokeh", "bokeh-widgets")
        }
        if loads != {"bokeh": bool(charts), "bokeh-widgets": any(charts)}:
            wrong.append((page.name, len(charts), loads))
    assert wrong == []
    assert "celoss-charts-basics" in (site / "api-charts.html").read_text("utf-8")  # the trap is there


def test_bokehjs_matches_installed_bokeh(site):
    bundles = sorted(p.name for p in (site / "_static" / "bokeh").iterdir())
    assert bundles == [f"bokeh-{bokeh.__version__}.min.js", f"bokeh-widgets-{bokeh.__version__}.min.js"]


RESOURCE = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["'](https?:)?//""", re.IGNORECASE)


def test_no_page_loads_anything_from_outside(site):
    offenders = [str(p.relative_to(site)) for p in site.rglob("*.html") if RESOURCE.search(p.read_text("utf-8"))]
    assert offenders == []


def test_no_cdn_in_shipped_css(site):
    offenders = [str(p.relative_to(site)) for p in (site / "_static").rglob("*.css")
                 if re.search(r"url\(\s*['\"]?(https?:)?//", p.read_text("utf-8", errors="replace"))]
    assert offenders == []


def test_unused_theme_assets_are_not_shipped(site):
    assert list((site / "_static").rglob("*.map")) == []
    assert not (site / "_static" / "locales").exists()
    # the theme's icons are drawn by its CSS web font; its 1.5 MB icon script is left out
    assert list((site / "_static").rglob("fontawesome.js*")) == []
    pages_with_script = [p.name for p in site.glob("*.html") if "fontawesome.js" in p.read_text("utf-8")]
    assert pages_with_script == []


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _api_anchors_used(markdown: str) -> set[str]:
    """一页的代码单元格里用到的 celoss 函数与类，换成它们在 API 页面上的锚点。"""
    dotted = set()
    for code in CODE_CELL.findall(markdown):
        for module, items in re.findall(r"^\s*from (celoss(?:\.\w+)*) import ([^\n#]+)", code, re.MULTILINE):
            for item in items.replace("(", "").replace(")", "").split(","):
                if item.strip():
                    dotted.add(f"{module}.{item.strip().split(' as ')[0]}")
        dotted.update(re.findall(r"\bceloss(?:\.\w+)+", code))
    anchors = set()
    for name in dotted:
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            try:
                module = importlib.import_module(".".join(parts[:i]))
                break
            except ImportError:
                continue
        if i == len(parts):  # the module itself
            continue
        obj = getattr(module, parts[i])
        if not callable(obj):
            continue
        member = parts[i]
        anchors.add(f"celoss.{member}" if member in celoss.__all__ else f"{obj.__module__}.{member}")
    return anchors


CHAPTERS = ["why-cross-entropy", "gradients", "likelihood", "information", "convexity",
            "training", "multiclass", "numerics", "variants"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_links_every_celoss_function_it_uses(site, chapter):
    """章节代码里调用的每个 celoss 函数，在该章页面上都有一个指向 API 参考的链接。"""
    used = _api_anchors_used((ROOT / "docs" / f"{chapter}.md").read_text("utf-8"))
    assert len(used) >= 3, used
    html = (site / f"{chapter}.html").read_text("utf-8")
    links = set(re.findall(r'href="api(?:-tools|-charts)?\.html#([\w.]+)"', html))
    assert used - links == set()


DOCS_JSON = re.compile(r"const docs_json = '(.*?)';\n")


def _numeric_lists_and_arrays(node, lists: list[int], arrays: list[int]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "ndarray":
            arrays.append(1)
        for value in node.values():
            _numeric_lists_and_arrays(value, lists, arrays)
    elif isinstance(node, list):
        if node and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in node):
            lists.append(len(node))
        for value in node:
            _numeric_lists_and_arrays(value, lists, arrays)


#: pages that show charts: the variants chapter's charts live in its sections
CHART_PAGES = [c for c in CHAPTERS if c != "variants"] + ["variants-smoothing", "variants-focal"]


@pytest.mark.parametrize("chapter", CHART_PAGES)
def test_chart_data_are_binary_arrays_not_json_lists(site, chapter):
    """图表数据以 Bokeh 的二进制数组（base64 的 ndarray）嵌入页面，而不是长长的 JSON 数字列表。"""
    html = (site / f"{chapter}.html").read_text("utf-8")
    # docs_json is a JSON text inside a single-quoted JS string: undo the JS escapes first
    documents = [json.loads(re.sub(r"\\(.)", r"\1", text)) for text in DOCS_JSON.findall(html)]
    assert documents, f"{chapter} 没有图表"
    lists: list[int] = []
    arrays: list[int] = []
    for document in documents:
        _numeric_lists_and_arrays(document, lists, arrays)
    assert len(arrays) >= len(documents)  # every chart ships at least one binary array
    assert max(lists, default=0) <= 50, f"{chapter} 里有长度为 {max(lists)} 的 JSON 数字列表"


# --- Chinese typography on every built page (docs/_ext/celoss_sphinx/typography.py)

from ._html_text import CJK, around, body_blocks  # noqa: E402

CJK_GAP = re.compile(f"[{CJK}]\\s+[{CJK}]")
CURLY_OR_ASCII_QUOTE = re.compile(f'[\u201c\u201d]|[{CJK}]"|"[{CJK}]')
E_NOTATION = re.compile(r"\d(?:\.\d+)?e[+-]?\d\d")


def _built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.glob("*.html") if p.name not in ("genindex.html", "search.html"))


def _offenders(site: Path, pattern: re.Pattern, skip: frozenset[str] = frozenset()) -> list[str]:
    found = []
    for page in _built_pages(site):
        for block in body_blocks(page.read_text("utf-8"), skip):
            found += [f"{page.name}: …{around(block, m)}…" for m in pattern.finditer(block)]
    return found


def test_body_text_parser_sees_every_chapter(site):
    """下面几条排版检查看得到正文：每一章都取出了足够多的中文段落（检查本身不是空转）。"""
    for chapter in CHAPTERS:
        blocks = body_blocks((site / f"{chapter}.html").read_text("utf-8"))
        assert sum(len(re.findall(f"[{CJK}]", b)) for b in blocks) > 1000, chapter


def test_no_whitespace_between_chinese_characters(site):
    """每一页的正文里，两个汉字或中文标点之间没有空白（源文件句中换行不会变成空格）。"""
    assert _offenders(site, CJK_GAP) == []


def test_only_corner_quotes(site):
    """正文只用「」：没有弯引号 “”，也没有贴着汉字的 ASCII 引号。"""
    assert _offenders(site, CURLY_OR_ASCII_QUOTE) == []


def test_no_e_notation_in_prose(site):
    """正文里的数写成 3.35 × 10⁻⁴，不是 3.3524e-04（代码与单元格输出的表格不算）。"""
    assert _offenders(site, E_NOTATION, frozenset({"output"})) == []


def test_page_titles_use_corner_quotes(site):
    """标题进入侧栏与 <title> 之前就改好了引号（例如梯度一章的「学不动」）。"""
    titles = [re.search(r"<title>(.*?)</title>", p.read_text("utf-8"), re.DOTALL)[1] for p in _built_pages(site)]
    assert [t for t in titles if re.search('[\u201c\u201d"]|&quot;|&#8220;|&#8221;', t)] == []


# --- installing from the book (docs/_ext/celoss_sphinx/install.py, noxfile `docs`)

WHEEL = f"celoss-{celoss.__version__}-py3-none-any.whl"


def test_site_ships_celoss_wheel(site):
    import zipfile

    wheel = site / "_downloads" / WHEEL
    assert wheel.is_file()
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "celoss/__init__.py" in names
    assert "celoss/charts/__init__.py" in names
    assert f"Version: {celoss.__version__}" in metadata
    requires = re.findall(r"^Requires-Dist: ([\w-]+)", metadata, re.MULTILINE)
    assert {"numpy", "bokeh", "matplotlib"} <= set(requires)


def test_install_page_gives_the_command_and_link(site):
    html = (site / "install.html").read_text("utf-8")
    assert f"pip install &lt;本书网址&gt;/_downloads/{WHEEL}" in html
    assert f'href="_downloads/{WHEEL}"' in html
    assert "output_notebook" in html
    assert 'href="install.html"' in (site / "index.html").read_text("utf-8")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_says_how_to_run_it_locally(site, chapter):
    """每章都有「在自己的 Jupyter 里运行」，链接到安装页，并提醒先运行 output_notebook()。"""
    html = (site / f"{chapter}.html").read_text("utf-8")
    start = re.search(r'(<h2>|admonition-title">)在自己的 Jupyter 里运行', html).start()
    box = html[start: start + 3000]
    assert 'href="install.html"' in box
    assert "output_notebook()" in box
    assert "README" not in box


# --- a home on the web (.readthedocs.yaml)


def test_readthedocs_builds_with_the_readme_commands():
    """Read the Docs 只跑 README 里的那条构建命令，再把 docs/_build/html 原样发布；没有 sphinx: 键。"""
    import yaml

    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text("utf-8"))
    assert config["version"] == 2
    assert "sphinx" not in config
    assert "mkdocs" not in config
    assert "python" not in config
    build = config["build"]
    assert build["os"].startswith("ubuntu-")
    assert build["tools"]["python"]
    jobs = build["jobs"]
    install, html = jobs["install"], jobs["build"]["html"]
    readme = (ROOT / "README.md").read_text("utf-8")
    readme_build = re.search(r"^(python3 -m pip install nox) && (nox -s docs)$", readme, re.MULTILINE)
    assert readme_build is not None
    assert install == [readme_build[1]]
    assert html[0] == readme_build[2]
    assert html[1:] == ["mkdir -p $READTHEDOCS_OUTPUT/html/", "cp -a docs/_build/html/. $READTHEDOCS_OUTPUT/html/"]
