"""celoss 的构建与测试：`nox -s docs` 构建这本书，`nox -s tests` 运行全部测试。"""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
DOCS, BUILD = ROOT / "docs", ROOT / "docs" / "_build"
HTML, DOCTREES = BUILD / "html", BUILD / "doctrees"


def _sphinx(session: nox.Session, builder: str, out: Path, *extra: str) -> None:
    # html and doctest share one doctrees folder, so the second run re-reads nothing
    session.run(
        "sphinx-build", "-b", builder, "-n", "-W", "--keep-going", "-T",
        "-d", str(DOCTREES), str(DOCS), str(out), *extra,
    )


def _build_book(session: nox.Session, *extra: str) -> None:
    # a fresh matplotlib prints "building the font cache" to stderr, which would land in a page
    session.run("python", "-c", "import matplotlib.font_manager", silent=True)
    # pages execute in parallel; celoss_sphinx creates the cache database up front (no race)
    _sphinx(session, "html", HTML, "-j", "auto", *extra)
    _sphinx(session, "doctest", BUILD / "doctest", *extra)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book (HTML, every cell executed, warnings as errors) and run its doctests."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs"))
    _build_book(session, *session.posargs)
    session.log(f"书已生成：{HTML / 'index.html'}")
    session.log(f"离线浏览：python -m http.server -d {HTML.relative_to(ROOT)} 8000，然后打开 http://127.0.0.1:8000/")


@nox.session
def tests(session: nox.Session) -> None:
    """Build the book, then run unit tests, doctests and the headless-Chromium browser tests."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "test"))
    _build_book(session)
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
def clean(session: nox.Session) -> None:
    """Remove the built site and the execution cache."""
    shutil.rmtree(BUILD, ignore_errors=True)


def _lowest(requirement: str) -> str:
    """``"numpy>=2.0"`` → ``"numpy==2.0"``: the lowest version a requirement allows."""
    name, _, rest = requirement.partition(">=")
    return f"{name.strip()}=={rest.split(',')[0].strip()}" if rest else requirement


@nox.session
def oldest(session: nox.Session) -> None:
    """Unit tests of the library on the lowest versions pyproject.toml allows (numpy 2.0, …)."""
    pins = [_lowest(r) for r in PYPROJECT["project"]["dependencies"]]
    session.install(*pins)
    session.install("--no-deps", "-e", ".")
    session.install("pytest>=9.0", "hypothesis>=6.150", "mpmath>=1.3.0")
    session.run("python", "-c", "import numpy; print('numpy', numpy.__version__)")
    tests = ["activations", "losses", "multiclass", "multiclass_mse", "variants", "information", "checks",
             "pytorch_conventions"]
    modules = ["__init__", "_checks", "_kernels", "activations", "losses", "multiclass", "variants", "information"]
    session.run(
        "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules",
        *(f"tests/test_{name}.py" for name in tests), *(f"src/celoss/{name}.py" for name in modules),
        *session.posargs,
    )
