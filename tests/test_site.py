"""对构建好的站点做静态检查：API 参考齐全、BokehJS 版本一致、没有指向外部的资源、没有多余附件。"""

from __future__ import annotations

import os
import re
from pathlib import Path

import bokeh
import pytest

import celoss

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("CELOSS_SITE", ROOT / "docs" / "_build" / "html"))


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        pytest.fail(f"没有找到构建好的站点 {SITE}：请先运行 `nox -s docs`。")
    return SITE


def test_api_page_documents_every_public_function(site):
    html = (site / "api.html").read_text("utf-8")
    missing = [name for name in celoss.__all__ if f'id="celoss.{name}"' not in html]
    assert missing == []


def test_bokehjs_matches_installed_bokeh(site):
    bundles = sorted(p.name for p in (site / "_static" / "bokeh").iterdir())
    assert bundles == [f"bokeh-{bokeh.__version__}.min.js", f"bokeh-widgets-{bokeh.__version__}.min.js"]


RESOURCE = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["'](https?:)?//""", re.I)


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
