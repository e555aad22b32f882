"""Small accessibility overrides of HTML that the theme and docutils write (issue 14).

Each one is a string-level change to a known piece of generated markup; ``tests/browser/test_a11y.py``
runs axe-core over every page and fails if one stops applying.

1. **Sidebar toggles** (axe ``summary-name``): pydata-sphinx-theme 0.20 writes the chevron that opens
   a section of the sidebar as ``<summary>`` holding only a ``role="presentation"`` icon, so it has
   no accessible name. Each one gets 「<section title>」的子页面 as its ``aria-label``.
2. **Citation lists** (axe ``aria-required-children``, ``aria-deprecated-role``): docutils 0.21
   writes the numpydoc References as ``<div role="list">`` whose entries carry
   ``role="doc-biblioentry"``, a role DPUB-ARIA 1.1 deprecated because it is not a list item
   (w3c/dpub-aria#22). The entries become ``role="listitem"``.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

#: an entry of the sidebar's toctree with children: its link, then the <details> whose
#: <summary> is the bare toggle (pydata_sphinx_theme/toctree.py, "li.has-children")
TOGGLE = re.compile(
    r'(<a class="[^"]*\breference\b[^"]*"[^>]*>(?P<title>[^<]*)</a><details[^>]*>)<summary>'
    r'(?=<span class="toctree-toggle")'
)
BIBLIOENTRY = 'role="doc-biblioentry"'


def label_toggles(markup: str) -> str:
    """Give each bare sidebar toggle an accessible name naming the section it opens."""

    def label(match: re.Match[str]) -> str:
        title = html.unescape(match["title"]).strip()
        return f'{match[1]}<summary aria-label="{html.escape(f"「{title}」的子页面")}">'

    return TOGGLE.sub(label, markup)


def _wrap_toctree(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def generate_labelled(*args, **kwargs):
        return label_toggles(str(generate(*args, **kwargs)))

    context["generate_toctree_html"] = generate_labelled


def _citation_list_items(app, pagename, templatename, context, doctree) -> None:
    if BIBLIOENTRY in context.get("body", ""):
        context["body"] = context["body"].replace(BIBLIOENTRY, 'role="listitem"')


def setup(app):
    # not meant to be set: a change to this file rewrites every page ("html" rebuild)
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    app.add_config_value("celoss_a11y_fingerprint", digest, "html", types=[str])
    # after pydata-sphinx-theme puts generate_toctree_html into the context (default priority 500)
    app.connect("html-page-context", _wrap_toctree, priority=900)
    app.connect("html-page-context", _citation_list_items)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
