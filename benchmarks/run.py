"""celoss 的基准：构建时间、页面重量与加载时间、滑块重绘耗时、损失函数吞吐量。

只报告数字，从不断言。用法（在仓库根目录，先 ``nox -s docs`` 建好 nox 的虚拟环境）::

    .venv/bin/python benchmarks/run.py            # 全部
    .venv/bin/python benchmarks/run.py --only throughput pages
    .venv/bin/python benchmarks/run.py --only throughput --torch-python /tmp/torchvenv/bin/python

输出是 Markdown 表格，可直接贴进 README。
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


# --------------------------------------------------------------------------- builds
def _nox_docs() -> float:
    start = time.perf_counter()
    subprocess.run(["nox", "-s", "docs", "-R"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


@contextlib.contextmanager
def _appended(path: Path, text: str):
    original = path.read_text("utf-8")
    path.write_text(original + text, "utf-8")
    try:
        yield
    finally:
        path.write_text(original, "utf-8")


def bench_builds() -> None:
    shutil.rmtree(ROOT / "docs" / "_build", ignore_errors=True)
    rows = [["冷构建（虚拟环境已就绪，无缓存）", f"{_nox_docs():.1f}"]]
    rows.append(["无改动重建", f"{_nox_docs():.1f}"])
    page = ROOT / "docs" / "why-cross-entropy.md"
    with _appended(page, "\n```{code-cell} ipython3\n1 + 1\n```\n"):
        rows.append(["改动一页的代码后重建", f"{_nox_docs():.1f}"])
    _nox_docs()  # back to the committed page
    with _appended(ROOT / "src" / "celoss" / "activations.py", "\n# benchmark touch\n"):
        rows.append(["改动 celoss 源码后重建", f"{_nox_docs():.1f}"])
    _nox_docs()
    table("构建（`nox -s docs -R`，秒）", ["情形", "秒"], rows)


# --------------------------------------------------------------------------- browser
@contextlib.contextmanager
def _serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CHARTS_DRAWN = """() => {
  const n = document.querySelectorAll('.celoss-chart').length;
  return n === 0 || (window.Bokeh !== undefined && Bokeh.documents.length === n &&
         Object.keys(Bokeh.index).length >= n);
}"""


@contextlib.contextmanager
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def bench_pages(repeats: int = 5) -> None:
    pages = sorted(p.name for p in SITE.glob("*.html") if p.name not in {"genindex.html", "search.html"})
    rows = []
    with _serve(SITE) as base, _browser() as browser:
        for name in pages:
            sizes, times = [], []
            for _ in range(repeats):
                context = browser.new_context()
                page = context.new_page()
                loaded: list[int] = []
                page.on("requestfinished", lambda r, loaded=loaded: loaded.append(r.sizes()["responseBodySize"]))
                start = time.perf_counter()
                page.goto(f"{base}/{name}")
                page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
                times.append(time.perf_counter() - start)
                page.wait_for_load_state("networkidle")
                sizes.append(sum(loaded))
                charts = page.locator(".celoss-chart").count()
                context.close()
            rows.append([name, str(charts), f"{statistics.median(sizes) / 1024:.0f}",
                         f"{statistics.median(times) * 1000:.0f}"])
    table(f"页面重量与加载（无头 Chromium，{repeats} 次的中位数，未压缩字节）",
          ["页面", "图表数", "加载 KiB", "图表画完 ms"], rows)


REDRAW = """async (value) => {
  const doc = Bokeh.documents[0];
  const slider = doc.get_model_by_name('y-slider');
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  await frame();
  const start = performance.now();
  slider.value = value;  // runs the CustomJS and replaces source.data synchronously
  const sync = performance.now() - start;
  await frame();  // Bokeh queued its repaint first, so it has painted when this resolves
  return [sync, performance.now() - start];
}"""


def bench_slider(repeats: int = 15) -> None:
    from celoss.charts import to_html
    from celoss.charts.basics import mse_loss_chart

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        static = Path(tmp)
        js = Path(__import__("bokeh").util.paths.bokehjs_path()) / "js"
        for bundle in ("bokeh.min.js", "bokeh-widgets.min.js"):
            shutil.copyfile(js / bundle, static / bundle)
        for n in (200, 2000):
            html = ('<!doctype html><meta charset="utf-8"><script src="bokeh.min.js"></script>'
                    f'<script src="bokeh-widgets.min.js"></script><body>{to_html(mse_loss_chart(n=n))}')
            (static / f"slider-{n}.html").write_text(html, "utf-8")
        with _serve(static) as base, _browser() as browser:
            for n in (200, 2000):
                page = browser.new_page()
                page.goto(f"{base}/slider-{n}.html")
                page.wait_for_function("() => window.Bokeh && Bokeh.documents.length === 1")
                ms = [page.evaluate(REDRAW, 0.5 if i % 2 else 0.9) for i in range(repeats)]
                rows.append([str(n), f"{statistics.median(m[0] for m in ms):.2f}",
                             f"{statistics.median(m[1] for m in ms):.1f}"])
                page.close()
    table(f"滑块重绘（{repeats} 次的中位数；重绘随下一帧发生，60 Hz 下一帧约 16.7 ms）",
          ["采样点", "CustomJS 重算 ms", "到画布重绘 ms"], rows)


# --------------------------------------------------------------------------- throughput
def _timeit(fn, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _throughput_data(n: int, k: int):
    """The same arrays in every interpreter: a seeded PCG64 stream."""
    rng = np.random.default_rng(0)
    z = rng.normal(0, 5, n)
    y = (rng.random(n) < 0.5).astype(np.float64)
    logits = rng.normal(0, 5, (n // k, k))
    labels = rng.integers(0, k, n // k)
    return z, y, logits, labels


#: run by the interpreter that has PyTorch (this one, or ``--torch-python``); prints two times in seconds,
#: the version and the number of threads PyTorch uses (its default: one per core)
TORCH_SCRIPT = """
import sys, time, numpy as np, torch
sys.path.insert(0, {here!r})
from run import _throughput_data, _timeit
z, y, logits, labels = _throughput_data({n}, {k})
F = torch.nn.functional
z, y, logits, labels = (torch.from_numpy(a) for a in (z, y, logits, labels))
print(_timeit(lambda: F.binary_cross_entropy_with_logits(z, y, reduction="none")),
      _timeit(lambda: F.cross_entropy(logits, labels, reduction="none")), torch.__version__,
      torch.get_num_threads())
"""


def _torch_times(n: int, k: int, python: str | None):
    code = TORCH_SCRIPT.format(here=str(Path(__file__).parent), n=n, k=k)
    try:
        import torch  # noqa: F401

        python = sys.executable
    except ImportError:
        if python is None:
            return None
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), out[2], int(out[3])


@contextlib.contextmanager
def _celoss_threads(value: str | None):
    """``CELOSS_NUM_THREADS`` set to ``value`` (None: unset, celoss's default) for the block."""
    old = os.environ.pop("CELOSS_NUM_THREADS", None)
    if value is not None:
        os.environ["CELOSS_NUM_THREADS"] = value
    try:
        yield
    finally:
        os.environ.pop("CELOSS_NUM_THREADS", None)
        if old is not None:
            os.environ["CELOSS_NUM_THREADS"] = old


def bench_throughput(n: int = 10_000_000, k: int = 10, torch_python: str | None = None) -> None:
    import celoss
    from celoss._kernels import num_threads

    z, y, logits, labels = _throughput_data(n, k)

    def naive_bce():
        p = 1 / (1 + np.exp(-z))
        with np.errstate(divide="ignore", invalid="ignore"):
            return -(y * np.log(p) + (1 - y) * np.log(1 - p))

    def naive_ce():
        e = np.exp(logits)
        return -np.log(e[np.arange(len(labels)), labels] / e.sum(axis=1))

    def ours(fn):
        """(1 thread, celoss's default threads): the same bits, timed with CELOSS_NUM_THREADS=1 and unset."""
        with _celoss_threads("1"):
            serial = _timeit(fn)
        with _celoss_threads(None):
            return serial, _timeit(fn)

    with _celoss_threads(None):
        threads = num_threads()
    rows = [
        ["`bce_with_logits`", *ours(lambda: celoss.bce_with_logits(y, z)), _timeit(naive_bce)],
        [f"`cross_entropy`（{n // k:,} × {k}，整数标签）", *ours(lambda: celoss.cross_entropy(labels, logits)),
         _timeit(naive_ce)],
    ]
    torch_times = _torch_times(n, k, torch_python)
    header = ["函数", "celoss 1 线程 ms", f"celoss 默认（至多 {threads} 线程）ms", "朴素 numpy ms"]
    if torch_times is not None:
        header.append(f"PyTorch {torch_times[2]} CPU（{torch_times[3]} 线程）ms")
    header.append("celoss 默认 / 朴素")
    if torch_times is not None:
        header.append("celoss 默认 / PyTorch")
    body = []
    for i, (name, serial, ours_default, naive) in enumerate(rows):
        row = [name, f"{serial * 1e3:.0f}", f"{ours_default * 1e3:.0f}", f"{naive * 1e3:.0f}"]
        if torch_times is not None:
            row.append(f"{torch_times[i] * 1e3:.0f}")
        row.append(f"{ours_default / naive:.2f}")
        if torch_times is not None:
            row.append(f"{ours_default / torch_times[i]:.2f}")
        body.append(row)
    table(f"吞吐量（{n:,} 个 float64 元素，{5} 次中最好的一次，毫秒；机器有 {os.cpu_count()} 个核）", header, body)


BENCHES = {"builds": bench_builds, "pages": bench_pages, "slider": bench_slider,
           "throughput": bench_throughput}


# --------------------------------------------------------------------------- race (issue 13)
SEED_BENCH = ROOT.parent / "shared" / "bench"  # the original article rebuilt with Plotly, and race.py


def _seed_page(tmp: Path) -> Path:
    """The seed article's page with Plotly beside it (fetched from npm once, as its README says)."""
    page = tmp / "seed-page"
    shutil.copytree(SEED_BENCH / "seed-page", page)
    if not (page / "plotly-basic.min.js").exists():
        subprocess.run(["npm", "pack", "plotly.js-basic-dist-min@4.1.1", "--silent"], cwd=page, check=True,
                       capture_output=True)
        subprocess.run(["tar", "xzf", "plotly.js-basic-dist-min-4.1.1.tgz"], cwd=page, check=True)
        shutil.copyfile(page / "package" / "plotly-basic.min.js", page / "plotly-basic.min.js")
    return page


def bench_race(runs: int = 7) -> None:
    """Our seed chapter against the original Plotly article (../shared/bench/race.py), cold and warm."""
    sys.path.insert(0, str(SEED_BENCH))
    sys.path.insert(0, str(Path(__file__).parent))
    import page_cpu
    import race

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = _seed_page(Path(tmp))
        # the same four charts alone on a blank page (no theme, text or formulas): what BokehJS itself costs
        bare = Path(tmp) / "bare"
        bare.mkdir()
        shutil.copyfile(bare / page_cpu.bare_chart_page(bare), bare / "index.html")
        cases = (("本书的种子章节，冷启动（空缓存）", SITE, "why-cross-entropy.html", None),
                 ("本书的种子章节，书内跳转（先开首页，缓存已热）", SITE, "why-cross-entropy.html", "index.html"),
                 ("对照：只有四张 Bokeh 图的空白页，冷启动", bare, "bare.html", None),
                 ("对照：只有四张 Bokeh 图的空白页，第二次打开（缓存已热）", bare, "bare.html", "index.html"))
        for label, site, page, warm in cases:
            result = race.main(str(site), page, str(seed), "index.html", runs, warm)
            rows.append([label, f"{result['a_median_s'] * 1000:.0f}", f"{result['b_median_s'] * 1000:.0f}",
                         f"{result['ratio_median']:.2f}"])
        table(f"种子章节 vs 原文（Plotly）：所有图表画完（无头 Chromium，{runs} 轮的中位数）",
              ["情形", "本书 ms", "原文 ms", "比值"], rows)
        table("时间花在哪里：渲染主线程的 CPU 时间（线程时间，5 次冷启动的中位数，毫秒）", page_cpu.HEADER,
              page_cpu.breakdown(seed))


BENCHES["race"] = bench_race


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHES), default=list(BENCHES))
    parser.add_argument(
        "--torch-python", help="PyTorch 装在另一个虚拟环境里时，那个环境的 python（只用于吞吐量的对照列）"
    )
    args = parser.parse_args()
    for name in args.only:
        if name == "throughput":
            bench_throughput(torch_python=args.torch_python)
        else:
            BENCHES[name]()


if __name__ == "__main__":
    main()
