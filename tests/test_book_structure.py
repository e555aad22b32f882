"""每一章都按同一个模板写：读构建好的 HTML，检查读者看到的结构。

模板（issue 15）：
* 标题下面第一个块是「本章要点」提示框；
* 有一节「小结」，列出 3–5 条要点；
* 「练习」按章编号（练习 6.2），每题都有标题，从 1 连续编号；
* 「本章用到的 celoss 函数」是最后一节；
* 每张图都在带编号（图 6.1）和图题的 ``figure`` 里；
* σ(1−σ) 只在 gradients 一章推导；别的页面用到它时引用那里的公式，不再推一遍。

检查的是 ``sphinx-build`` 的输出，所以要先 ``nox -s docs``。
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ._site import SITE

#: 正文各章（论证线与实践线）。序章是博客原文的重建，结语是决策指南，两者不套这个模板。
CHAPTERS = ["gradients", "convexity", "training", "likelihood", "information", "multiclass", "numerics", "variants"]
#: 拆成几节的章：模板的各部分在章的入口页上，图在各节里。
SECTIONS = {"variants": ["variants-weights", "variants-smoothing", "variants-focal"]}
#: σ(1−σ) 的家，以及别处引用它时应指向的公式。
HOME = "gradients"
SIGMOID_EQUATIONS = ("eq-sigmoid-derivative", "eq-grad-mse")
#: 读者会看到图的页面：各章、各节、序章与结语。
FIGURE_PAGES = ["why-cross-entropy", *CHAPTERS, *(s for sub in SECTIONS.values() for s in sub), "decision-guide"]

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    """一个 HTML 元素：标签、属性、子节点（元素或字符串）。"""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def elements(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [e for e in self.elements() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def article(page: str) -> Element:
    """页面正文（``<article class="bd-article">``）的元素树。"""
    path = SITE / f"{page}.html"
    if not path.exists():
        pytest.fail(f"没有找到 {path}：请先运行 `nox -s docs`。")
    builder = TreeBuilder()
    builder.feed(path.read_text("utf-8"))
    found = builder.root.find_all("article", "bd-article")
    assert found, f"{page}.html 里没有 <article class=\"bd-article\">"
    return found[0]


def heading_text(heading: Element) -> str:
    """标题的文字，去掉章节号和 ``#`` 链接。"""
    parts = [c if isinstance(c, str) else c.text() for c in heading.children
             if isinstance(c, str) or not ({"section-number", "headerlink"} & c.classes)]
    return "".join(parts).strip()


def chapter_number(tree: Element, page: str) -> int:
    h1 = tree.find_all("h1")[0]
    numbers = [e.text() for e in h1.find_all("span", "section-number")]
    assert numbers, (f"{page} 的标题没有章号：目录（index.md 的 toctree）要加 :numbered:，"
                     "练习才能按章编号（练习 6.2）")
    return int(numbers[0].strip().split(".")[0])


def h2_sections(tree: Element) -> list[tuple[str, Element]]:
    """(标题文字, 所在的 <section>)，按页面顺序。"""
    return [(heading_text(h2), h2.parent) for h2 in tree.find_all("h2")]


@pytest.fixture(scope="module", params=CHAPTERS)
def chapter(request) -> tuple[str, Element]:
    return request.param, article(request.param)


def test_opening_box_comes_first(chapter):
    page, tree = chapter
    top = tree.find_all("h1")[0].parent
    blocks = [c for c in top.children if isinstance(c, Element) and c.tag not in ("h1", "span")]
    assert blocks, f"{page}：标题下面是空的"
    first = blocks[0]
    titles = [e.text().strip() for e in first.find_all("p", "admonition-title")]
    wrong_first = (
        f"{page}：标题下面的第一个块应是「本章要点」提示框，实际是 <{first.tag} class={sorted(first.classes)}>"
    )
    assert "admonition" in first.classes, wrong_first
    assert titles[:1] == ["本章要点"], wrong_first
    assert "tip" in first.classes, f"{page}：「本章要点」框应带 :class: tip，好让各章看起来一样"


def test_summary_lists_three_to_five_points(chapter):
    page, tree = chapter
    summaries = [section for title, section in h2_sections(tree) if title == "小结"]
    assert len(summaries) == 1, f"{page}：应有且只有一节「小结」"
    points = [li for ul in summaries[0].find_all("ul") for li in ul.children
              if isinstance(li, Element) and li.tag == "li"]
    assert 3 <= len(points) <= 5, f"{page}：「小结」应有 3–5 条要点，实际 {len(points)} 条"


def test_exercises_are_numbered_per_chapter_and_titled(chapter):
    page, tree = chapter
    number = chapter_number(tree, page)
    exercises = [e for e in tree.find_all("div", "exercise") if "admonition" in e.classes]
    assert exercises, f"{page}：没有练习"
    seen = []
    for exercise in exercises:
        title = exercise.find_all("p", "admonition-title")[0].text()
        match = re.fullmatch(r"\s*练习\s*(\d+)\.(\d+)\s*\((.+)\)\s*", title)
        assert match, f"{page}：练习的标题应形如「练习 {number}.1 (标题)」，实际是「{title.strip()}」"
        assert int(match[1]) == number, f"{page}：「{title.strip()}」的章号应是 {number}"
        assert match[3].strip(), f"{page}：「{title.strip()}」没有标题"
        seen.append(int(match[2]))
    assert seen == list(range(1, len(seen) + 1)), f"{page}：练习应从 {number}.1 起连续编号，实际是 {seen}"


def test_function_table_is_the_last_section(chapter):
    page, tree = chapter
    titles = [title for title, _ in h2_sections(tree)]
    wrong_last = f"{page}：「本章用到的 celoss 函数」应是最后一节，实际最后一节是「{titles[-1] if titles else ''}」"
    assert titles, wrong_last
    assert titles[-1] == "本章用到的 celoss 函数", wrong_last
    wrong_order = f"{page}：顺序应是 小结 → 练习 → … → 函数表"
    assert "练习" in titles, wrong_order
    assert titles.index("小结") < titles.index("练习"), wrong_order


def _charts(tree: Element) -> list[Element]:
    """页面上的图：Bokeh 图表的容器与单元格输出里的图片。"""
    charts = tree.find_all("div", "celoss-chart")
    charts += [img for img in tree.find_all("img")
               if any("cell_output" in a.classes or "output" in a.classes for a in img.ancestors())]
    return charts


@pytest.mark.parametrize("page", FIGURE_PAGES)
def test_every_chart_is_a_numbered_figure_with_a_caption(page):
    tree = article(page)
    for chart in _charts(tree):
        figure = next((a for a in chart.ancestors() if a.tag == "figure"), None)
        where = chart.attrs.get("src") or "Bokeh 图"
        assert figure is not None, (
            f"{page}：有一张图（{where}）没有包在 figure 里（单元格元数据 mystnb: figure: name/caption）"
        )
        captions = figure.find_all("figcaption")
        assert captions, f"{page}：图 {figure.attrs.get('id')} 没有图题"
        number = " ".join(e.text() for e in captions[0].find_all("span", "caption-number"))
        caption = " ".join(e.text() for e in captions[0].find_all("span", "caption-text")).strip()
        assert re.fullmatch(r"\s*图\s*\d+(\.\d+)?\s*", number), f"{page}：图 {figure.attrs.get('id')} 没有编号"
        assert len(caption) >= 10, f"{page}：图 {figure.attrs.get('id')} 的图题太短，应说明要看什么：「{caption}」"


def test_figure_index_lists_every_figure_and_nothing_unnumbered():
    tree = article("figures")
    listing = tree.find_all("ul", "celoss-figure-index")
    assert listing, "figures.html 里没有图表索引（{figure-index} 指令）"
    unnumbered = [li.text().strip() for li in listing[0].find_all("li", "celoss-figure-unnumbered")]
    assert unnumbered == [], f"这些图没有编号与图题：{unnumbered}"
    entries = listing[0].find_all("li", "celoss-figure-entry")
    linked = {a.attrs.get("href", "").split("#")[-1] for li in entries for a in li.find_all("a")}
    for page in FIGURE_PAGES:
        for figure in article(page).find_all("figure"):
            if figure.attrs.get("id") and figure.find_all("div", "celoss-chart") + figure.find_all("img"):
                assert figure.attrs["id"] in linked, f"图表索引里没有 {page} 的 {figure.attrs['id']}"


# ---------------------------------------------------------------- σ(1−σ) lives in one chapter

def _normalise(tex: str) -> str:
    """把 TeX 化简到便于匹配：去掉空白与尺寸命令，σ(…)、σ、ŷ、p_t 都记作 S。"""
    tex = re.sub(r"\\(left|right|bigl|bigr|Bigl|Bigr|big|Big|,|;|!|quad)(?![a-zA-Z])", "", tex)
    tex = re.sub(r"\s+", "", tex)
    tex = re.sub(r"\\sigma(?![a-zA-Z])", "S", tex)
    tex = re.sub(r"\\hat(\{y\}|y)", "S", tex)
    tex = re.sub(r"p_(\{t\}|t)", "S", tex)
    return re.sub(r"S\((?!1-)[^()]*\)", "S", tex)  # σ(z) → S, but keep σ(1 − σ)


SIGMOID_PRODUCT = re.compile(r"S\(1-S\)|\(1-S\)S")
SIGMOID_DERIVATIVE = re.compile(r"(S'(\([^()]*\))?|\\[td]?frac\{d\}\{dz[^}]*\}S|\\[td]?frac\{dS\}\{dz[^}]*\})=S\(1-S\)")


def _math(tree: Element) -> tuple[list[str], list[str]]:
    """(行内公式, 行间公式) 的 TeX 源码；KaTeX 预渲染时取 annotation 里的源码。"""
    inline, display = [], []
    for element in tree.elements():
        if "math" not in element.classes:
            continue
        annotations = [a.text() for a in element.find_all("annotation")]
        tex = annotations[0] if annotations else element.text()
        (display if element.tag == "div" else inline).append(tex)
    return inline, display


def test_normalise_sees_the_product_in_its_usual_spellings():
    spellings = [r"\sigma(z)\bigl(1 - \sigma(z)\bigr)", r"\sigma(1-\sigma)", r"\hat{y}(1 - \hat{y})", r"p_t(1 - p_t)"]
    assert all(SIGMOID_PRODUCT.search(_normalise(s)) for s in spellings)
    assert not SIGMOID_PRODUCT.search(_normalise(r"p_1(1 - p_1)^2"))
    derivations = [r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))", r"\tfrac{dp_t}{dz_t} = p_t(1 - p_t)",
                   r"\frac{d}{dz}\sigma(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr)"]
    assert all(SIGMOID_DERIVATIVE.search(_normalise(s)) for s in derivations)


def _book_pages() -> list[str]:
    pages = sorted(p.stem for p in SITE.glob("*.html"))
    return [p for p in pages if p not in ("genindex", "search", "py-modindex") and not p.startswith("api")]


def test_sigmoid_derivative_is_derived_only_in_gradients_and_cited_elsewhere():
    if not (SITE / f"{HOME}.html").exists():
        pytest.fail(f"没有找到构建好的站点 {SITE}：请先运行 `nox -s docs`。")
    anchors = {f"{HOME}.html#equation-{label}" for label in SIGMOID_EQUATIONS}
    home_anchors = {f"equation-{label}" for label in SIGMOID_EQUATIONS}
    home_ids = {e.attrs.get("id") for e in article(HOME).elements()}
    assert home_anchors <= home_ids, f"{HOME} 里应有带标签的公式 {sorted(SIGMOID_EQUATIONS)}"
    problems = []
    for page in _book_pages():
        if page == HOME:
            continue
        tree = article(page)
        inline, display = _math(tree)
        derived = [tex for tex in inline + display if SIGMOID_DERIVATIVE.search(_normalise(tex))]
        if derived:
            problems.append(f"{page} 又推了一遍 σ 的导数：{derived[0]}")
        uses = [tex for tex in inline + display if SIGMOID_PRODUCT.search(_normalise(tex))]
        links = {a.attrs.get("href", "") for a in tree.find_all("a")}
        if uses and not (links & anchors):
            problems.append(f"{page} 用到 σ(1−σ)（{uses[0]}），却没有引用 {HOME} 的式 {{eq}}`eq-sigmoid-derivative`")
    assert problems == []
