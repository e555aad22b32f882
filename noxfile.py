"""celoss 的构建与测试：`nox -s docs` 构建这本书，`nox -s tests` 运行全部测试，`nox -s lint` 检查代码。"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["lint", "tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
DOCS, BUILD = ROOT / "docs", ROOT / "docs" / "_build"
HTML, DOCTREES = BUILD / "html", BUILD / "doctrees"
DIST = BUILD / "dist"  # celoss's wheel; the book ships it as _downloads/celoss-<version>-py3-none-any.whl


def _sphinx(session: nox.Session, builder: str, out: Path, *extra: str) -> None:
    # html and doctest share one doctrees folder, so the second run re-reads nothing
    session.run(
        "sphinx-build", "-b", builder, "-n", "-W", "--keep-going", "-T",
        "-d", str(DOCTREES), str(DOCS), str(out), *extra,
    )


def _build_wheel(session: nox.Session) -> None:
    """Build celoss's wheel into DIST (conf.py's ``celoss_wheel_dir``), replacing older versions."""
    shutil.rmtree(DIST, ignore_errors=True)
    session.run("python", "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(DIST), str(ROOT))


def _build_book(session: nox.Session, *extra: str, docstrings: bool = True) -> None:
    _build_wheel(session)
    # a fresh matplotlib prints "building the font cache" to stderr, which would land in a page
    session.run("python", "-c", "import matplotlib.font_manager", silent=True)
    # pages execute in parallel; celoss_sphinx creates the cache database up front (no race)
    _sphinx(session, "html", HTML, "-j", "auto", *extra)
    # docstring examples reach the doctest builder as plain doctest blocks (via autodoc); without
    # them it still runs the pages' own {doctest}/{testcode} blocks
    blocks = () if docstrings else ("-D", "doctest_test_doctest_blocks=")
    _sphinx(session, "doctest", BUILD / "doctest", *blocks, *extra)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint with ruff and type-check src/celoss with mypy (settings in pyproject.toml)."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", *session.posargs)
    session.run("mypy")


@nox.session
def unit(session: nox.Session) -> None:
    """Fast lane: unit, property and docstring tests; no book build, no Chromium."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book (HTML, every cell executed, warnings as errors) and run its doctests."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs"))
    _build_book(session, *session.posargs)
    session.log(f"书已生成：{HTML / 'index.html'}")
    session.log(f"离线浏览：python -m http.server -d {HTML.relative_to(ROOT)} 8000，然后打开 http://127.0.0.1:8000/")


@nox.session
def tests(session: nox.Session) -> None:
    """Build the book, then run every test: unit, property, docstring and headless-Chromium browser tests."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "test"))
    # the docstring examples run once, in tests/test_docstrings.py (each in an empty namespace),
    # so here the doctest builder only runs the pages' own doctest blocks
    _build_book(session, docstrings=False)
    session.run("pytest", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview: rebuild on change and reload the browser (sphinx-autobuild)."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "serve"))
    session.run(
        "sphinx-autobuild", "-b", "html", "-n", "-T", "-d", str(DOCTREES),
        "--watch", str(ROOT / "src" / "celoss"), "--host", "127.0.0.1",
        str(DOCS), str(HTML), *session.posargs,
    )


@nox.session(venv_backend="none")
def clean(session: nox.Session) -> None:  # noqa: ARG001 (nox passes the session to every session)
    """Remove the built site and the execution cache."""
    shutil.rmtree(BUILD, ignore_errors=True)
