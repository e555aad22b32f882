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
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_copybutton",
    "sphinx_togglebutton",
    "sphinx_exercise",
    "celoss_sphinx",
    "celoss_numbering",
]

exclude_patterns = ["_build", "jupyter_execute", ".jupyter_cache", "**.ipynb_checkpoints", "_ext"]
nitpicky = True
nitpick_ignore_regex = [
    # numpydoc type words that are prose, not objects
    (r"py:class", r"array_like|array-like|optional|scalar|ndarray|numpy\..*|np\..*|bokeh\..*|int|float|bool|str|tuple|list|dict"),
    # the standard library has no inventory offline (no intersphinx: the build must not fetch it)
    (r"py:(class|mod)", r"decimal(\..*)?"),
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
}
# pydata-sphinx-theme logs a console error on a first visit when no mode is set
html_context = {"default_mode": "auto"}
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False

# --- offline math and Chinese search (see _ext/celoss_sphinx.py)
mathjax_path = "mathjax/tex-chtml.js"
html_search_language = "zh"
html_search_options = {"dict": str(HERE / "_ext" / "zh_terms.txt")}

# --- API docs
autodoc_default_options = {"members": True, "no-value": True, "member-order": "bysource"}  # the JS constants would print as one long line
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# --- sphinx.ext.doctest runs {doctest} blocks on the pages
doctest_global_setup = "import numpy as np\nimport celoss"

togglebutton_hint = "点击显示"
togglebutton_hint_hide = "点击隐藏"

copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True
