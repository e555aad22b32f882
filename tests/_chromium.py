"""Where the headless Chromium is and how it is started; shared by the unit and browser conftests.

A plain module rather than a conftest, so that ``tests/conftest.py`` does not import
``tests/browser/conftest.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CELOSS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def require_chromium(purpose: str = "") -> str:
    """The Chromium executable; fails the test (never skips) when it is missing."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"没有找到 Chromium（{CHROMIUM}）{purpose}。请安装 Debian 的 chromium 包："
            "`apt-get install -y chromium fonts-noto-cjk`，或用环境变量 CELOSS_CHROMIUM 指定 Chromium 的路径。"
        )
    return CHROMIUM
