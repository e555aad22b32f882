"""种子章节的加载时间花在哪里：渲染主线程的 CPU 时间（线程时间，不是挂钟时间），按工作种类分开。

``race.py`` 量的是挂钟时间，机器一忙就抖；这里用 Chromium 的性能追踪（trace）里每个任务的线程
时间 ``tdur``，从导航开始到所有图表画完，加总渲染主线程上的工作，并按事件名归类。三张页面对比：

* 原文（Plotly）；
* 「只有图表」的空白页：同样四张 Bokeh 图（``celoss.charts`` 生成、本书同一个嵌入脚本），
  BokehJS 用同步脚本加载，没有主题、正文与公式；
* 本书的种子章节。

空白页与原文之差是 BokehJS 本身的代价，章节与空白页之差是主题、正文与公式的代价。
由 ``benchmarks/run.py --only race`` 调用，也可以单独运行：``python benchmarks/page_cpu.py``。
"""

from __future__ import annotations

import collections
import json
import statistics
import sys
import tempfile
from pathlib import Path

import bokeh

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "docs" / "_build" / "html"
SEED_BENCH = ROOT.parent / "shared" / "bench"

#: trace 事件名 → 报告里的类别；其余归入「其他」
KINDS = {
    "EvaluateScript": "执行脚本", "v8.compile": "执行脚本", "v8.run": "执行脚本",
    "FunctionCall": "执行脚本", "TimerFire": "执行脚本", "EventDispatch": "执行脚本",
    "RunMicrotasks": "Promise 回调（Bokeh 建图）",
    "UpdateLayoutTree": "样式计算", "ParseAuthorStyleSheet": "样式计算",
    "Layout": "排版", "PrePaint": "绘制", "Paint": "绘制", "Commit": "绘制", "Layerize": "绘制",
    "ParseHTML": "解析 HTML",
}
COLUMNS = ["执行脚本", "Promise 回调（Bokeh 建图）", "样式计算", "排版", "绘制", "解析 HTML", "其他"]


def bare_chart_page(directory: Path) -> str:
    """写出只有种子章节四张图的空白页（BokehJS 从本书站点复制），返回文件名。"""
    from celoss.charts import bce_chart, mse_loss_chart, sigmoid_chart
    from celoss.charts._embed import early_components

    names = [f"{name}-{bokeh.__version__}.min.js" for name in ("bokeh", "bokeh-widgets")]
    for name in names:
        (directory / name).write_bytes((SITE / "_static" / "bokeh" / name).read_bytes())
    body = ""
    for chart in (sigmoid_chart(), mse_loss_chart(), bce_chart(1), bce_chart(0)):
        script, div = early_components(chart, widgets=True)
        body += f'<div style="max-width: 700px">{div}</div>{script}'
    scripts = "".join(f'<script src="{name}"></script>' for name in names)
    html = f'<!doctype html><html lang="zh"><head><meta charset="utf-8">{scripts}</head><body>{body}</body></html>'
    (directory / "bare.html").write_text(html, encoding="utf-8")
    return "bare.html"


def _self_times(trace: Path) -> tuple[float, collections.Counter]:
    """渲染主线程的线程时间（毫秒）：总和，与按类别的自身时间（扣掉嵌套的子事件）。"""
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"}
    # the renderer that parsed the served page (Chromium may keep a second one for the blank tab)
    pages = {e["pid"] for e in events if e.get("name") == "ParseHTML"
             and str(e.get("args", {}).get("beginData", {}).get("url", "")).startswith("http://127.0.0.1")}
    main = {thread for thread in main if thread[0] in pages}
    spans = sorted((e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X" and "tdur" in e),
                   key=lambda e: (e["pid"], e["tid"], e["ts"], -e["dur"]))
    own: collections.Counter = collections.Counter()
    stack: list[dict] = []
    total = 0.0
    for e in spans:
        while stack and (stack[-1]["tid"] != e["tid"] or e["ts"] >= stack[-1]["ts"] + stack[-1]["dur"]):
            stack.pop()
        if stack:
            own[stack[-1]["name"]] -= e["tdur"]
        else:
            total += e["tdur"]  # a top-level task
        own[e["name"]] += e["tdur"]
        stack.append(e)
    kinds: collections.Counter = collections.Counter()
    for name, us in own.items():
        kinds[KINDS.get(name, "其他")] += us / 1000
    return total / 1000, kinds


def measure(browser, url: str, ready: str, runs: int) -> tuple[float, dict[str, float]]:
    """冷缓存打开 ``url`` 共 runs + 1 次（第一次预热不计），返回主线程 CPU 时间与各类别的中位数。"""
    totals, parts = [], collections.defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        trace = Path(tmp) / "trace.json"
        for i in range(runs + 1):
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            page = context.new_page()
            browser.start_tracing(page=page, path=str(trace),
                                  categories=["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline",
                                              "v8.execute", "__metadata"])
            page.goto(url)
            page.wait_for_function(ready, timeout=60_000)
            browser.stop_tracing()
            context.close()
            if i:
                total, kinds = _self_times(trace)
                totals.append(total)
                for column in COLUMNS:
                    parts[column].append(kinds.get(column, 0.0))
    return statistics.median(totals), {column: statistics.median(values) for column, values in parts.items()}


def breakdown(seed_page: Path, runs: int = 5) -> list[list[str]]:
    """三张页面的表格行：页面、主线程 CPU ms、与原文之比、各类别 ms。"""
    sys.path.insert(0, str(SEED_BENCH))
    import race
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        bare_dir = Path(tmp)
        bare = bare_chart_page(bare_dir)
        servers = [race.serve(str(d)) for d in (seed_page, bare_dir, SITE)]
        urls = [f"http://127.0.0.1:{s.server_address[1]}/{p}"
                for s, p in zip(servers, ("index.html", bare, "why-cross-entropy.html"), strict=True)]
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=race.ARGS)
        results = [measure(browser, url, ready, runs)
                   for url, ready in zip(urls, (race.READY_B, race.READY_A, race.READY_A), strict=True)]
        browser.close()
        for server in servers:
            server.shutdown()
    base = results[0][0]
    labels = ["原文（Plotly，无主题）", "只有四张 Bokeh 图的空白页", "本书的种子章节"]
    return [[label, f"{total:.0f}", f"{total / base:.2f}", *(f"{parts[c]:.0f}" for c in COLUMNS)]
            for label, (total, parts) in zip(labels, results, strict=True)]


HEADER = ["页面", "主线程 CPU ms", "与原文之比", *COLUMNS]

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from run import _seed_page, table

    with tempfile.TemporaryDirectory() as tmp:
        rows = breakdown(_seed_page(Path(tmp)))
    table("种子章节的主线程 CPU 时间（线程时间，5 次冷启动的中位数）", HEADER, rows)
