"""Sphinx 配置：celoss —— 为什么分类任务要用交叉熵。"""

from __future__ import annotations

import sys
from pathlib import Path

import celoss

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))  # the book's own Sphinx glue, not celoss

project = "为什么分类任务要用交叉熵"
author = "celoss 作者"
copyright = "2026, celoss 作者"
version = release = celoss.__version__
language = "zh_CN"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "numpydoc",
    "sphinx_copybutton",
    "sphinx_togglebutton",
    "sphinx_exercise",
    "celoss_sphinx",
    "celoss_figures",
    "celoss_a11y",
    "celoss_katex",
    "celoss_pageload",
    "celoss_print",
    "celoss_svgmath",
    "celoss_numbering",
]

exclude_patterns = ["_build", "jupyter_execute", ".jupyter_cache", "**.ipynb_checkpoints", "_ext"]
nitpicky = True
nitpick_ignore_regex = [
    # numpydoc type words that are prose, not objects
    (r"py:class", (r"array_like|array-like|optional|scalar|ndarray|numpy\..*|np\..*|bokeh\..*"
                   r"|int|float|bool|str|tuple|list|dict")),
    # the standard library has no inventory offline (no intersphinx: the build must not fetch it)
    (r"py:(class|mod)", r"decimal(\..*)?|collections\.abc\..*"),
]

# --- myst-nb: every page executes at build time; an exception fails the build
nb_execution_mode = "cache"
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")  # override with -D for scratch builds
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 120
nb_merge_streams = True
nb_output_stderr = "warn"  # anything a cell prints to stderr (a warning, a font problem) fails -W
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "substitution"]
myst_heading_anchors = 3

# --- numbering: chapters are numbered by the part toctrees in index.md (celoss_numbering makes the
# numbers run on across parts); figures, tables, code blocks, equations and exercises are numbered
# per chapter (图 3.1, 练习 3.2, 式 (3.4)); front matter and appendices carry no chapter number
numfig = True
numfig_secnum_depth = 1
numfig_format = {
    "figure": "图 %s",
    "table": "表 %s",
    "code-block": "代码 %s",
    "section": "第 %s 节",
    "exercise": "练习 %s",
}
math_numfig = True
math_eqref_format = "式 ({number})"

# --- HTML
html_theme = "sphinx_book_theme"
html_title = "为什么分类任务要用交叉熵"
html_static_path = ["_static"]
templates_path = ["_templates"]
html_css_files = ["celoss.css"]
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "home_page_in_toc": True,
    # pydata-sphinx-theme 0.20 puts a search field in a header bar unless this is set; the book
    # theme keeps its search in the sidebar, so without it the page shows two search boxes
    "navbar_persistent": [],
    "search_bar_text": "搜索本书……",
    "toc_title": "本页内容",  # the sidebar's toctree captions already say 目录
}
# pydata-sphinx-theme logs a console error on a first visit when no mode is set
html_context = {"default_mode": "auto"}
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False

# --- the book's Sphinx glue (docs/_ext/celoss_sphinx/, one module per job) and Chinese search
html_search_language = "zh"
html_search_options = {"dict": str(HERE / "_ext" / "zh_terms.txt")}  # search keeps these one-character terms
celoss_wheel_dir = str(HERE / "_build" / "dist")  # `nox -s docs` builds celoss's wheel here; install ships it

# --- API docs
# no-value: the JS constants would print as one long line
autodoc_default_options = {"members": True, "no-value": True, "member-order": "bysource"}
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- sphinx.ext.doctest runs {doctest} blocks on the pages
doctest_global_setup = "import numpy as np\nimport celoss"

togglebutton_hint = "点击显示"
togglebutton_hint_hide = "点击隐藏"

copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True

# --- math and print editions (see _ext/celoss_katex.py and _ext/celoss_print.py)
# HTML: KaTeX renders every formula at build time (Node.js), so the reader's browser runs no math
# script; its CSS and fonts come from _static/katex (npm's katex package, fetched by nox).
html_math_renderer = "katex"
# EPUB readers run no script and many lack MathML: `nox -s epub` passes -D html_math_renderer=svg, and
# every formula is typeset by xelatex + dvisvgm into an SVG of glyph paths (_ext/celoss_svgmath.py)
# LaTeX: xelatex + ctex with the Noto CJK fonts; ctex numbers chapters itself (第 1 章)
latex_engine = "xelatex"
latex_use_xindy = False
# toctree_only: the chapters (each page's title) are the book's chapters; the index page's own
# sections ("从哪里读起") would otherwise swallow them all as sections of one chapter
latex_documents = [("index", "celoss.tex", project, author, "manual", True)]
# chapters are numbered as on the web: the book class's front matter (前言与序章) and 结语 carry no
# number, the parts' chapters are 第 1–8 章, the appendices 附录 A–C; celoss_print puts the switches
# (\celossfrontmatter, \celossmainmatter, \celossbackmatter, \celossappendix) before those chapters
latex_docclass = {"manual": "book"}
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "classoptions": ",oneside,openany",  # as report's defaults: no blank pages before chapters
    "fontenc": r"\usepackage[UTF8, fontset=none, heading=true]{ctex}",
    "babel": "",
    "fncychap": "",
    "preamble": (
        r"\setCJKmainfont{Noto Serif CJK SC}[BoldFont=Noto Sans CJK SC Bold]"
        r"\setCJKsansfont{Noto Sans CJK SC}\setCJKmonofont{Noto Sans Mono CJK SC}"
        r"\ctexset{chapter/name={第,章}, chapter/number=\arabic{chapter}}"
        # Sphinx names the contents after the first toctree's caption (前言与序章)
        r"\renewcommand{\contentsname}{目录}"
        # FreeSerif and FreeSans lack some subscript letters (εₗₛ, qₜ in tables and captions)
        r"\usepackage{newunicodechar}"
        + "".join(rf"\newunicodechar{{{c}}}{{\textsubscript{{{a}}}}}" for c, a in zip("ₖₗₛₜ", "klst", strict=True))
        + r"\makeatletter"
        # unnumbered chapters have unnumbered sections too (not 0.14.4), as on the web
        r"\def\celoss@secnumdepth{\the\c@secnumdepth}"
        r"\newcommand{\celossfrontmatter}{\@mainmatterfalse"
        r"\edef\celoss@secnumdepth{\the\c@secnumdepth}\setcounter{secnumdepth}{-1}}"
        r"\newcommand{\celossmainmatter}{\@mainmattertrue\setcounter{secnumdepth}{\celoss@secnumdepth}}"
        r"\let\celossbackmatter\celossfrontmatter"
        r"\newcommand{\celossappendix}{\celossmainmatter\appendix"
        r"\ctexset{chapter/name={附录,}, chapter/number=\Alph{chapter}}}"
        r"\makeatother"
    ),
    "printindex": "",
}
latex_show_urls = "no"
epub_basename = "celoss"
epub_language = "zh-CN"
epub_show_urls = "no"
epub_exclude_files = ["search.html"]
# print builders take the chart's static image, never its HTML/JavaScript
# the result tables of celoss.lab give HTML to the web and EPUB, and Markdown (_repr_markdown_) to the PDF,
# which has no HTML: parse that Markdown as MyST, whose tables commonmark lacks
nb_render_markdown_format = "myst"
nb_mime_priority_overrides = [
    ("latex", "image/png", 5),
    ("latex", "text/html", None),
    ("latex", "application/javascript", None),
    ("epub", "image/png", 5),
    ("epub", "application/javascript", None),
]
