"""主题界面说中文，搜索结果的摘要只取正文。

* **界面文字。** pydata-sphinx-theme 与 sphinx-book-theme 的中文目录缺了几条（「System
  Settings」「Color mode」……），有几条译法不合本书（「列印成 PDF」）。这里在 Sphinx 的翻译
  目录 *前面* 放一个小目录 :data:`UI_ZH`，先查它，查不到再交给原来的目录。主题模板里写死的
  英文（侧栏开关的提示、导航的 aria-label）由 ``docs/_templates`` 里的同名模板覆盖。
* **搜索页。** Sphinx 8 的 ``searchtools.js`` 用的键是「Search finished, found one page …」，
  而 zh_CN 的译文目录里只有「… page(s) …」，结果计数于是显示英文。``static/celoss-zh.js``
  补上这条译文；它还让搜索摘要只取 ``<article>`` 的正文（默认取整个 ``[role=main]``，
  把主题菜单「System Settings 亮色 暗色」和右栏「目录」也算了进去）。
"""

from __future__ import annotations

import gettext
from pathlib import Path

from sphinx import locale

STATIC = Path(__file__).with_name("static")

#: 主题界面上的英文 → 中文。键与主题模板、Python 代码里传给 ``_()`` 的原文一字不差。
UI_ZH = {
    # pydata-sphinx-theme
    "System Settings": "跟随系统",
    "Color mode": "明暗模式",
    "Light": "亮色",
    "Dark": "暗色",
    "Collapse Sidebar": "收起侧栏",
    "Expand Sidebar": "展开侧栏",
    "Search": "搜索",
    "Site navigation": "全书导航",
    "Section Navigation": "本节导航",
    "On this page": "本页内容",
    "Contents": "本页内容",
    "Back to top": "回到顶部",
    "Skip to main content": "跳到正文",
    "Breadcrumb": "路径",
    "Home": "首页",
    "previous page": "上一页",
    "next page": "下一页",
    "Edit on GitHub": "在 GitHub 上编辑",
    # sphinx-book-theme
    "Download this page": "下载本页",
    "Download source file": "下载源文件（MyST Markdown）",
    "Download notebook file": "下载 Jupyter 笔记本",
    "Print to PDF": "打印为 PDF",
    "Fullscreen mode": "全屏",
    "By": "作者：",
    "© Copyright %(copyright)s.": "© %(copyright)s。",
    "Copyright %(copyright)s": "%(copyright)s",
    # Sphinx's own messages that its zh_CN catalog lacks
    "Link to this heading": "链接到这一节",
    "Link to this definition": "链接到这条定义",
    "Link to this term": "链接到这个术语",
    "Link to this table": "链接到这张表",
    "Link to this code": "链接到这段代码",
    "Link to this image": "链接到这张图",
    "Link to this equation": "链接到这个公式",
    "Link to this toctree": "链接到这份目录",
    "Keyword-only parameters separator (PEP 3102)": "其后的参数只能按名字传入（PEP 3102）",
    "Positional-only parameter separator (PEP 570)": "其前的参数只能按位置传入（PEP 570）",
}


class BookCatalog(gettext.NullTranslations):
    """先查 :data:`UI_ZH`，查不到再交给原来的翻译目录。"""

    def gettext(self, message):
        if message in UI_ZH:
            return UI_ZH[message]
        return super().gettext(message)

    def ngettext(self, singular, plural, n):
        if singular in UI_ZH:
            return UI_ZH[singular]
        return super().ngettext(singular, plural, n)


def install_catalog(app) -> None:
    """把 :class:`BookCatalog` 放到 Sphinx 与主题的翻译目录前面（只对中文站点）。"""
    if not str(app.config.language or "").startswith("zh"):
        return
    for key in [k for k in locale.translators if k[1] in ("sphinx", "booktheme")]:
        original = locale.translators[key]
        if isinstance(original, BookCatalog):
            continue
        catalog = BookCatalog()
        catalog.add_fallback(original)
        locale.translators[key] = catalog
        if key == ("general", "sphinx"):
            app.translator = catalog
            templates = getattr(app.builder, "templates", None)  # the Jinja environment bound the old one
            if templates is not None and hasattr(templates, "environment"):
                templates.environment.install_gettext_translations(catalog)


def add_static(app, config) -> None:
    config.html_static_path.append(str(STATIC))
    # after translations.js (priority 200), before the page's own scripts
    app.add_js_file("celoss-zh.js", priority=250)


def setup(app) -> None:
    app.connect("config-inited", add_static)
    app.connect("builder-inited", install_catalog)
