"""Accessibility of every built page, checked with axe-core in light and dark mode (issue 14).

A page fails on any serious or critical axe violation; the message names the rule, the page, the
mode and each element. Moderate and minor findings do not fail: they are listed in the terminal
summary at the end of the run (and in the report of a failing page).

axe-core comes from the ``axe-playwright-python`` wheel (test dependency group), which ships
``axe.min.js`` (MPL-2.0): nothing is fetched at test time. Only that script is used; it is injected
into the page with playwright.

Theme- and docutils-level problems are fixed in the book itself (``docs/_ext/celoss_a11y.py``,
``docs/_static/celoss.css``), so :data:`ALLOWED` is empty. An entry there allows exactly one rule on
exactly the elements matching its selector, and its comment must name the upstream issue or reason.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from .conftest import A11Y_NOTES, SITE

AXE_JS = files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
MODES = ("light", "dark")
FAILING = frozenset({"serious", "critical"})

#: rule id -> CSS selector of the only elements on which that rule may fail (upstream problems).
ALLOWED: dict[str, str] = {}

#: axe's default rules, plus label-in-name (WCAG 2.5.3, level A), which axe ships switched off
RUN_AXE = """async (allowed) => {
  const result = await axe.run(document, {
    resultTypes: ['violations'], elementRef: true, preload: false,
    rules: {'label-content-name-mismatch': {enabled: true}},
  });
  return result.violations.flatMap((v) => v.nodes.map((n) => ({
    rule: v.id, impact: n.impact || v.impact, help: v.help,
    target: n.target.flat().join(' >>> '), html: n.html.replace(/\\s+/g, ' ').slice(0, 200),
    allowed: v.id in allowed && n.element instanceof Element && n.element.matches(allowed[v.id]),
    why: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300),
  })));
}"""

#: Sphinx's math elements whose MathML is missing or hidden from assistive technology; MathJax (in
#: <mjx-assistive-mml>) and KaTeX (in .katex-mathml) both keep it beside the visual rendering
MATH_WITHOUT_MATHML = """() => Array.from(document.querySelectorAll('.math'))
  .filter((el) => { const m = el.querySelector('math'); return !m || m.closest('[aria-hidden="true"]'); })
  .map((el) => el.outerHTML.slice(0, 120))"""

CJK = re.compile(r"[\u4e00-\u9fff]")


def _built_pages() -> list[str]:
    found = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                   if not p.relative_to(SITE).parts[0].startswith("_"))
    return found or ["index.html"]  # an unbuilt site then fails (`site` fixture), not silently


PAGES = _built_pages()


def _line(mode: str, path: str, finding: dict) -> str:
    return (f"[{finding['impact']}] {finding['rule']} on {path} ({mode}): {finding['help']}\n"
            f"    element: {finding['target']}\n    html: {finding['html']}\n    why: {finding['why']}")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violations(shared_page, request, path, mode):
    page, _ = shared_page(path, tag="a11y", color_scheme=mode)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    page.add_script_tag(content=AXE_JS)
    findings = page.evaluate(RUN_AXE, ALLOWED)
    failing = [f for f in findings if f["impact"] in FAILING and not f["allowed"]]
    notes = [f for f in findings if f["impact"] not in FAILING]
    request.config.stash.setdefault(A11Y_NOTES, []).extend(_line(mode, path, f) for f in notes)
    assert not failing, (
        f"{len(failing)} serious/critical axe-core violation(s) on {path} ({mode}):\n"
        + "\n".join(_line(mode, path, f) for f in failing + notes)
    )


@pytest.mark.parametrize("path", PAGES)
def test_formulas_keep_their_mathml(shared_page, path):
    page, _ = shared_page(path, tag="a11y", color_scheme="light")
    assert page.evaluate(MATH_WITHOUT_MATHML) == []


@pytest.mark.parametrize("path", PAGES)
def test_figures_have_chinese_alt_text(shared_page, path):
    page, _ = shared_page(path, tag="a11y", color_scheme="light")
    # .toggler: Sphinx's module-index expand icons (alt "-"), not figures
    alts = page.eval_on_selector_all("article img:not(.toggler)", "els => els.map((e) => [e.src, e.alt])")
    assert [src for src, alt in alts if not CJK.search(alt or "")] == []


def test_the_book_has_figures_and_formulas_to_check(site):
    """The two tests above would pass vacuously on a book without images or math."""
    html = (site / "training.html").read_text("utf-8")
    assert re.search(r'<img [^>]*alt="[^"]*[\u4e00-\u9fff]', html)
    assert 'class="math' in (site / "why-cross-entropy.html").read_text("utf-8")
