"""Where the built book is; shared by every test that reads it (the ``site`` fixture is in ``conftest.py``).

``CELOSS_SITE`` points the tests at another build (for instance one served under a sub-path).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("CELOSS_SITE", ROOT / "docs" / "_build" / "html"))
