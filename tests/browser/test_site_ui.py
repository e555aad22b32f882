"""站点外壳：主题界面说中文，搜索显示正文摘要，站点放在子路径下照样能用，安装命令可以照抄。"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.request

import pytest

import celoss

from .conftest import DESKTOP, PHONE, READY_JS, PageWatch, pages, shot

#: 界面上允许出现的拉丁字母词：按键名、文件类型、书里的术语与库名（章节标题里也有）。
ALLOWED = {
    "ctrl", "celoss", "api", "mse", "pdf", "ipynb", "md", "softmax", "focal", "loss", "jupyter", "python",
    "bokeh", "sigmoid", "kl", "bce", "numpy", "ulp", "nat", "bit", "logit", "pip", "whl", "html", "pep",
}

#: 页面外壳（正文之外）读者看得见的文字，加上整页的提示文字（title / aria-label / placeholder）。
UI_TEXT = """
() => {
  const out = [];
  const visible = (el) => el.checkVisibility({visibilityProperty: true, opacityProperty: false});
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [data-bs-title], [data-tooltip]')) {
    if (el.closest('.celoss-chart, .cell_input, pre, code') || !visible(el)) continue;
    // inside the text, attributes belong to the content (a table's notes, an abbreviation), except the
    // controls the site adds: heading links, copy and toggle buttons
    if (el.closest('article') && !el.matches('.headerlink, button, input')) continue;
    for (const name of ['title', 'aria-label', 'placeholder', 'data-bs-title', 'data-tooltip']) {
      // a link's title names the page or API object it points to: that is content, not interface
      if (name === 'title' && el.matches('a:not(.headerlink)')) continue;
      const value = el.getAttribute(name);
      if (value) out.push(`${name}: ${value}`);
    }
  }
  const chrome = '.bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, footer, .prev-next-area, ' +
                 '.search-button__wrapper, .bd-search, #search-progress, #search-results > h2, .search-summary';
  for (const root of document.querySelectorAll(chrome)) {
    if (!visible(root)) continue;
    const copy = root.cloneNode(true);
    copy.querySelectorAll('a.reference, .prev-next-title, ul.search, script, style').forEach((e) => e.remove());
    const text = copy.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(`text: ${text}`);
  }
  return out;
}
"""


def _english(strings: list[str]) -> list[str]:
    found = []
    for item in strings:
        kind, _, text = item.partition(": ")
        words = [w for w in re.findall(r"[A-Za-z]{2,}", text) if w.lower() not in ALLOWED]
        if words:
            found.append(f"{kind}: {text[:80]} -> {words}")
    return found


@pytest.mark.parametrize("path", [*pages(), "search.html?q=交叉熵"])
def test_no_english_ui_string(shared_page, path):
    """正文之外的界面文字和所有提示文字都是中文（按键名 Ctrl、文件类型与术语除外）。"""
    page, _ = shared_page(path)
    if "?q=" in path:
        page.wait_for_selector("#search-results li", timeout=15_000)
    assert _english(page.evaluate(UI_TEXT)) == []


def test_theme_menu_is_chinese(new_page):
    page, watch = new_page("why-cross-entropy.html")
    page.locator(".theme-switch-button").first.click()
    items = page.locator(".theme-switch-container .dropdown-menu button")
    items.first.wait_for(state="visible")
    assert [t.strip() for t in items.all_inner_texts()] == ["跟随系统", "亮色", "暗色"]
    shot(page, "ui_theme_menu.png")
    watch.assert_clean()


def _article_text(page, href: str) -> str:
    return page.evaluate("""async (href) => {
        const html = await (await fetch(href)).text();
        const doc = new DOMParser().parseFromString(html, 'text/html');
        doc.querySelectorAll('.headerlink, script, style, .celoss-chart, .cell_input, .copybtn')
            .forEach((e) => e.remove());
        return doc.querySelector('article.bd-article').textContent.replace(/\\s+/g, ' ');
    }""", href)


@pytest.mark.parametrize("query", ["交叉熵", "softmax"])
def test_search_speaks_chinese_and_shows_page_text(new_page, query):
    """搜索页的计数是中文；每条结果的摘要取自那一页的正文，而不是主题菜单或侧栏。"""
    page, watch = new_page(f"search.html?q={query}")
    page.wait_for_function(
        "() => /搜索完成|Search finished/.test(document.querySelector('.search-summary')?.innerText || '')",
        timeout=20_000,
    )
    status = page.locator(".search-summary").first.inner_text()
    assert re.fullmatch(r"搜索完成，找到 \d+ 个相关页面。", status), status
    page.wait_for_function(
        "() => document.querySelectorAll('#search-results li p.context').length >= 3", timeout=20_000
    )
    results = page.evaluate("""() => [...document.querySelectorAll('#search-results li')]
        .filter((li) => li.querySelector('p.context'))
        .map((li) => [li.querySelector('a').getAttribute('href'), li.querySelector('p.context').textContent])""")
    shot(page, f"ui_search_{query}.png")
    for href, snippet in results[:6]:
        core = re.sub(r"\s+", " ", snippet).strip().strip(".…").strip()
        assert not re.search(r"System Settings|跟随系统|亮色 暗色|本页内容", core), snippet
        assert core[:40] in _article_text(page, href.split("#")[0]), (href, core[:40])
    watch.assert_clean()


ICON_CLEAR = """
() => [...document.querySelectorAll('form.bd-search')]
  .filter((f) => f.checkVisibility({visibilityProperty: true}))
  .map((form) => {
    const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
    const input = form.querySelector('input');
    const box = input.getBoundingClientRect();
    const textStart = box.left + parseFloat(getComputedStyle(input).paddingLeft);
    return {iconRight: icon.right, textStart, iconWidth: icon.width, placeholder: input.placeholder};
  })
"""


def test_ctrl_k_search_is_chinese_and_icon_clear_of_text(new_page):
    """Ctrl+K 打开的搜索框提示文字是中文；放大镜图标不压在输入的文字上（搜索页的输入框也一样）。"""
    page, watch = new_page("gradients.html")
    page.keyboard.press("Control+k")
    page.locator("#pst-search-dialog form.bd-search input").wait_for(state="visible")
    page.keyboard.type("交叉熵")
    forms = page.evaluate(ICON_CLEAR)
    assert forms, "no visible search field"
    for form in forms:
        assert form["iconWidth"] > 5, form
        assert form["iconRight"] <= form["textStart"], form
        assert re.search("[\u4e00-\u9fff]", form["placeholder"]), form
    shot(page, "ui_search_ctrlk.png")
    search, _ = new_page("search.html?q=熵")
    forms = search.evaluate(ICON_CLEAR)
    assert forms
    assert all(f["iconRight"] <= f["textStart"] for f in forms), forms
    watch.assert_clean()


def test_sidebar_book_title_does_not_leave_one_character_alone(shared_page):
    """侧栏书名换行时，最后一行不只剩一个字（手机与桌面）。"""
    for options in ({}, PHONE):
        page, _ = shared_page("index.html", **options)
        if options:
            page.keyboard.press("Escape")
            page.wait_for_timeout(400)
        widths = page.evaluate("""() => {
            const title = [...document.querySelectorAll('.navbar-brand .logo__title')]
                .find((e) => e.checkVisibility());
            const range = document.createRange();
            range.selectNodeContents(title);
            const size = parseFloat(getComputedStyle(title).fontSize);
            const lines = {};
            for (const r of range.getClientRects()) {
                lines[Math.round(r.top)] = (lines[Math.round(r.top)] || 0) + r.width;
            }
            return Object.values(lines).map((w) => w / size);
        }""")
        assert min(widths) >= 2.5, widths  # every line holds at least two or three characters
        if options:
            page.keyboard.press("Escape")


INLINE_MATH = """
() => {
  const article = document.querySelector('article.bd-article').getBoundingClientRect();
  const inScrollBox = (el) => {  // a table or an output that scrolls as a whole is fine
    for (let p = el.parentElement; p && !p.matches('article'); p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('mjx-container:not([display="true"]), .katex:not(.katex-display .katex)')]
    .filter((m) => !m.closest('.katex-display, .celoss-chart') && !inScrollBox(m))
    .map((m) => [m.getBoundingClientRect().right - article.right, m.textContent.slice(0, 30)])
    .filter(([over]) => over > 1);
}
"""


@pytest.mark.parametrize("path", ["glossary.html", "convexity.html", "information.html"])
def test_long_inline_formulas_stay_inside_the_column_on_a_phone(shared_page, path):
    """390 px 宽时，行内公式不越过正文栏的右边（太长的在自己的框里横向滚动）。"""
    page, _ = shared_page(path, **PHONE)
    assert page.evaluate(INLINE_MATH) == []


# --- the site under a sub-path, as a static host serves it (e.g. /zh_CN/latest/)

PREFIX = "/zh_CN/latest/"


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(PREFIX):
            return "/nonexistent-outside-the-prefix"
        return super().translate_path("/" + path[len(PREFIX):])


@pytest.fixture(scope="module")
def prefixed_url(site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PrefixHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_site_works_under_a_sub_path(browser, prefixed_url):
    """站点放在子路径下：图表画出、搜索有结果、下载菜单的笔记本与安装页的 wheel 都拿得到。"""
    assert _status(prefixed_url.replace(PREFIX, "/index.html")) == 404  # the server really has a prefix
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        watch = PageWatch(page)
        page.goto(prefixed_url + "why-cross-entropy.html", wait_until="load")
        page.wait_for_function(READY_JS, timeout=20_000)
        assert page.locator(".celoss-chart canvas").count() >= 4
        notebook = page.locator("a[href$='.ipynb']").first.get_attribute("href")
        assert _status(page.evaluate("(h) => new URL(h, location.href).href", notebook)) == 200

        page.goto(prefixed_url + "search.html?q=交叉熵", wait_until="load")
        page.wait_for_selector("#search-results li a", timeout=20_000)
        href = page.locator("#search-results li a").first.get_attribute("href")
        assert _status(page.evaluate("(h) => new URL(h, location.href).href", href)) == 200

        page.goto(prefixed_url + "install.html", wait_until="load")
        wheel = f"celoss-{celoss.__version__}-py3-none-any.whl"
        command = page.locator(".celoss-install-command pre").inner_text().strip()
        assert command == f"pip install {prefixed_url}_downloads/{wheel}"
        assert _status(command.split()[-1]) == 200
        link = page.locator(f"a[href$='{wheel}']").first.get_attribute("href")
        assert _status(page.evaluate("(h) => new URL(h, location.href).href", link)) == 200
        shot(page, "ui_install.png", full_page=True)
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_install_page_screenshots(new_page, mode):
    for options, tag in (({}, "desktop"), (PHONE, "phone")):
        page, watch = new_page("install.html", color_scheme=mode, **options)
        shot(page, f"ui_install_{mode}_{tag}.png", full_page=True)
        assert page.locator(".celoss-install-command pre").count() == 1
        watch.assert_clean()


# --- the space under a page's title

TITLE_GAP = """
() => {
  const h1 = document.querySelector('article.bd-article h1');
  if (h1 === null) return null;
  // the title's own text, without the hidden 「#」 link: where its last line ends
  const range = document.createRange();
  range.setStartBefore(h1.firstChild);
  const link = h1.querySelector('a.headerlink');
  if (link) range.setEndBefore(link); else range.setEndAfter(h1.lastChild);
  const text = Math.max(...[...range.getClientRects()].map((r) => r.bottom));
  let next = h1.nextElementSibling;
  while (next && next.getBoundingClientRect().height === 0) next = next.nextElementSibling;
  if (next.tagName === 'SECTION') return null;  // the front page: a subheading (with its own margin) comes first
  return {box: h1.getBoundingClientRect().bottom - text, gap: next.getBoundingClientRect().top - text,
          next: next.tagName};
}
"""


@pytest.mark.parametrize("options", [{}, PHONE], ids=["desktop", "phone"])
def test_space_under_the_title_is_the_same_on_every_page(browser, base_url, options):
    """每一页标题（h1）的最后一行字到第一个段落（或本章要点框）的距离都差不多，桌面与手机都一样。

    首页标题下紧接着是小节标题（有它自己的上边距），不在比较之列。

    标题恰好占满一行时，主题藏起来的「#」链接曾经独自折到下一行，标题下多出约一行（约 50 px）的空白。
    """
    context = browser.new_context(**{**DESKTOP, **options})
    page = context.new_page()
    gaps = {}
    try:
        for path in pages():
            page.goto(f"{base_url}/{path}", wait_until="load")
            page.evaluate("() => document.fonts.ready.then(() => null)")
            measured = page.evaluate(TITLE_GAP)
            if measured is not None:
                gaps[path] = measured
    finally:
        context.close()
    assert {"gradients.html", "variants-focal.html", "convexity.html"} <= set(gaps), sorted(gaps)
    assert len(gaps) >= 15, sorted(gaps)
    # the title's box ends with its text: no empty line under it
    assert {path: m["box"] for path, m in gaps.items() if m["box"] > 16} == {}
    # a paragraph and the chapter-summary box start at slightly different distances; a stray line is ~50 px
    distance = {path: round(m["gap"]) for path, m in gaps.items()}
    assert max(distance.values()) - min(distance.values()) <= 15, sorted(distance.items(), key=lambda kv: kv[1])
