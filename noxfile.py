"""celoss 的构建与测试：`nox -s docs` 构建这本书，`nox -s tests` 运行全部测试，`nox -s lint` 检查代码。"""

from __future__ import annotations

import re
import shutil
import tarfile
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
    _katex(session)
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
    """Build the book, its PDF and EPUB, then run every test: unit, property, docstring, print and browser."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "test", "print"))
    # the docstring examples run once, in tests/test_docstrings.py (each in an empty namespace),
    # so here the doctest builder only runs the pages' own doctest blocks
    _build_book(session, docstrings=False)
    _pdf(session)
    _epub(session)
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


# --------------------------------------------------------------------------- math and print editions
KATEX = BUILD / ".katex"  # npm's katex package: katex.min.js renders at build time, CSS + fonts ship
PRINT_DOCTREES = BUILD / "doctrees-print"
PRINT_CACHE = BUILD / ".jupyter_cache_print"  # print builds execute with chart images: own cache
LATEX, EPUB = BUILD / "latex", BUILD / "epub"


def _katex(session: nox.Session) -> None:
    """Fetch npm's katex package (the version docs/_ext/celoss_katex.py names) once."""
    text = (DOCS / "_ext" / "celoss_katex.py").read_text("utf-8")
    version = re.search(r'^KATEX_VERSION = "([\d.]+)"', text, re.MULTILINE).group(1)
    package = KATEX / "package" / "package.json"
    if package.is_file() and f'"version": "{version}"' in package.read_text("utf-8"):
        return
    shutil.rmtree(KATEX, ignore_errors=True)
    KATEX.mkdir(parents=True)
    session.run("npm", "pack", f"katex@{version}", "--silent", "--pack-destination", str(KATEX), external=True)
    with tarfile.open(KATEX / f"katex-{version}.tgz") as archive:
        archive.extractall(KATEX, filter="data")


def _print_build(session: nox.Session, builder: str, out: Path, *extra: str) -> None:
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "docs", "print"))
    _katex(session)
    session.run("python", "-c", "import matplotlib.font_manager", silent=True)
    session.run(
        "sphinx-build", "-b", builder, "-n", "-W", "--keep-going", "-T", "-j", "auto",
        "-d", str(PRINT_DOCTREES), "-D", f"nb_execution_cache_path={PRINT_CACHE}",
        str(DOCS), str(out), *extra,
        env={"CELOSS_PRINT_IMAGES": "1"},  # chart cells also give a PNG of the same figure
    )


def _ship(session: nox.Session, path: Path) -> None:
    if HTML.is_dir():  # the HTML build also copies it when it finds it (docs/_ext/celoss_print.py)
        (HTML / "_downloads").mkdir(exist_ok=True)
        shutil.copyfile(path, HTML / "_downloads" / path.name)
    session.log(f"已生成：{path}")


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the book as a PDF (LaTeX builder, xelatex + ctex, Noto CJK fonts; charts as images)."""
    _pdf(session, *session.posargs)


def _pdf(session: nox.Session, *extra: str) -> None:
    _print_build(session, "latex", LATEX, *extra)
    session.run(
        "latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error",
        f"-outdir={LATEX}", str(LATEX / "celoss.tex"), external=True, silent=True,
    )
    _ship(session, LATEX / "celoss.pdf")


@nox.session
def epub(session: nox.Session) -> None:
    """Build the book as an EPUB 3 (formulas as SVG typeset by LaTeX at build time; charts as images)."""
    _epub(session, *session.posargs)


def _epub(session: nox.Session, *extra: str) -> None:
    _print_build(
        session, "epub", EPUB, "-D", "html_math_renderer=svg",
        # no page sources in the book; the chapters' .ipynb downloads are not EPUB content
        "-D", "html_copy_source=0", "-D", "suppress_warnings=epub.unknown_project_files", *extra,
    )
    _ship(session, EPUB / "celoss.epub")
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
