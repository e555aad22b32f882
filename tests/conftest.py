"""Shared test configuration.

Hypothesis is derandomised and keeps no example database: every run (local or CI) tries the same
examples and writes nothing into the work tree.

``run_js`` and ``run_callback`` run chart JavaScript in headless Chromium (playwright driving
Debian's ``chromium``) to compare it point by point with the Python formulas. Without Chromium
those tests fail rather than skip.

The ``browser`` marker goes on every test that needs the built site, a Sphinx build or Chromium
(see :func:`pytest_collection_modifyitems`), so ``pytest -m "not browser"`` (``nox -s unit``)
needs none of them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from ._chromium import CHROMIUM_FLAGS, require_chromium
from ._site import SITE

settings.register_profile("celoss", deadline=None, derandomize=True, database=None)
settings.load_profile("celoss")

HERE = Path(__file__).parent

#: Test files (relative to ``tests/``) that need the built site, a Sphinx build or Chromium.
BROWSER_PATHS = (
    "browser/",  # the built site in headless Chromium
    "test_site.py",  # reads the built site
    "test_notebooks.py",  # runs the notebooks the build writes
    "test_execution_cache.py",  # runs Sphinx builds
    "test_live_preview.py",  # runs sphinx-autobuild
    "test_site_glue.py",  # runs Sphinx builds of a tiny book
    "test_book_structure.py",  # reads the built site
    "test_fast_pages.py",  # reads the built site
    "test_print.py",  # reads the built PDF and EPUB
)
#: Fixtures that start Chromium or need the built site; a test using any of them is a browser test.
BROWSER_FIXTURES = frozenset({"run_js", "run_callback", "browser", "site", "base_url"})


def pytest_ignore_collect(collection_path, config: pytest.Config) -> bool | None:
    """In the fast lane (``-m "not browser"``) the browser files are not even imported: some import
    the Sphinx glue, whose dependencies (myst-nb, …) only the docs environment has."""
    if config.getoption("markexpr", "") != "not browser":
        return None
    try:
        where = collection_path.relative_to(HERE).as_posix()
    except ValueError:
        return None
    return True if where.startswith(BROWSER_PATHS) else None


@pytest.fixture(scope="session")
def site() -> Path:
    """The built book (``docs/_build/html``, or ``CELOSS_SITE``); a test that needs it fails without it."""
    if not (SITE / "index.html").exists():
        pytest.fail(f"没有找到构建好的站点 {SITE}：请先运行 `nox -s docs`（`nox -s tests` 会自动构建）。")
    return SITE


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        try:
            where = item.path.relative_to(HERE).as_posix()
        except ValueError:
            where = ""
        if where.startswith(BROWSER_PATHS) or BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


class _BlankPage:
    """无头 Chromium 里的一个空白页（about:blank），在专用线程里驱动。

    playwright 的同步 API 在一个线程里只能启动一次；放进自己的线程后，它与浏览器测试
    （``tests/browser``）在主线程里启动的 Chromium 互不干扰，同一次 pytest 里可以同时存在。
    """

    def __init__(self, executable: str):
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="celoss-run-js")
        self._playwright = self._browser = self._page = None
        try:
            self._call(self._open, executable)
        except BaseException:
            self.close()
            raise

    def _call(self, func, *args):
        return self._thread.submit(func, *args).result()

    def _open(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        self._page = self._browser.new_page()
        self._page.goto("about:blank")

    def _shut(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()

    def evaluate(self, expression: str, arg=None):
        return self._call(self._page.evaluate, expression, arg)

    def close(self) -> None:
        try:
            self._call(self._shut)
        finally:
            self._thread.shutdown()


@pytest.fixture(scope="session")
def run_js():
    """``run_js(expression, arg=None)``：在空白页里求值一段 JS，返回可 JSON 化的结果。

    ``expression`` 可以是表达式，也可以是函数（以 ``arg`` 调用），与 playwright 的
    ``page.evaluate`` 相同：NaN、±Infinity、−0 原样往返，类型化数组变成 list。
    JS 抛出异常时测试失败。
    """
    page = _BlankPage(require_chromium("，无法在浏览器里执行图表的 JS"))
    yield page.evaluate
    page.close()


#: 像 Bokeh 的 ES 模块形式的 CustomJS 那样执行回调：模块代码从 blob URL 导入，默认导出的函数以
#: (args, obj, data, context) 调用；每个 ``.data`` 里全是数的列换成 Float64Array（Bokeh 把 numpy 数组
#: 送成类型化数组）。
_CALLBACK = """async ([code, args, obj]) => {
  const typed = (v) => {
    if (v !== null && typeof v === "object" && v.data) {
      for (const [k, col] of Object.entries(v.data)) {
        if (Array.isArray(col) && col.every((x) => typeof x === "number")) v.data[k] = Float64Array.from(col);
      }
      v.setv = (attrs) => Object.assign(v, attrs);
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      v.setv = (attrs) => Object.assign(v, attrs);
    }
    return v;
  };
  for (const v of Object.values(args)) {
    if (Array.isArray(v)) v.forEach(typed); else typed(v);
  }
  const url = URL.createObjectURL(new Blob([code], {type: "text/javascript"}));
  try {
    const module = await import(url);
    await module.default(args, obj === null ? undefined : typed(obj), {}, {});
  } finally {
    URL.revokeObjectURL(url);
  }
  const strip = (v) => { if (v && typeof v === "object") delete v.setv; return v; };
  for (const v of Object.values(args)) { if (Array.isArray(v)) v.forEach(strip); else strip(v); }
  return args;
}"""


@pytest.fixture(scope="session")
def run_callback(run_js):
    """``run_callback(name, args, obj=None)``：在 Chromium 里执行回调 ``js/<name>.js``，返回执行后的 args。

    ``args`` 是名字 → 普通对象（代替 Bokeh 模型，如 ``{"data": {...}}``、``{"value": 0.3}``）或数值；
    ``obj`` 是触发回调的对象（如滑块 ``{"value": 0.3}``）。返回同样的字典，其中的对象带着回调改写后的属性。
    """
    from celoss.charts import _js

    def call(name: str, args: dict, obj=None) -> dict:
        return run_js(_CALLBACK, [_js.module(name), args, obj])

    return call


#: JS 与 Python 的相对误差上限：两边的 exp、log、log1p 各差不到 1 ulp，组合起来也只有几个 ulp；
#: 公式写错（少一项、用 1 − σ 相减、上溢……）的误差远大于它。
JS_RTOL = 4e-15


def assert_js_close(js, py, *, scale=None, rtol: float = JS_RTOL) -> None:
    """JS 算出的 ``js`` 与 Python 的 ``py`` 逐点一致：NaN 与 ±inf 的位置相同，其余相对误差 ≤ ``rtol``。

    ``scale`` 给出有相消的公式（如 σ(z) − y）中各项绝对值之和：误差相对于
    max(|py|, scale) 计算。另允许几个次正规数的 ulp，那里相对误差没有意义。
    """
    js = np.asarray(js, dtype=np.float64)
    py = np.broadcast_to(np.asarray(py, dtype=np.float64), js.shape)
    np.testing.assert_array_equal(np.isnan(js), np.isnan(py), err_msg="NaN 的位置不同")
    np.testing.assert_array_equal(np.where(np.isinf(js), js, 0), np.where(np.isinf(py), py, 0),
                                  err_msg="±inf 的位置不同")
    finite = np.isfinite(py)
    size = np.abs(py) if scale is None else np.maximum(np.abs(py), np.abs(scale))
    bound = rtol * np.broadcast_to(size, js.shape) + 4 * np.finfo(np.float64).smallest_subnormal
    err = np.abs(np.where(finite, js, 0.0) - np.where(finite, py, 0.0))
    bad = finite & ~(err <= bound)
    assert not bad.any(), (
        f"{bad.sum()} 个点超出误差上限，例如第 {np.argmax(bad)} 个：JS {js[bad][0]!r}，Python {py[bad][0]!r}"
    )


def js_callback(model, name: str, event: str = "change:value"):
    """``model`` 上由 ``js/<name>.js`` 造的那个 ``CustomJS``（恰好一个）。"""
    from celoss.charts import _js

    found = [cb for cb in model.js_property_callbacks.get(event, []) if cb.code == _js.module(name)]
    assert len(found) == 1, (name, model.js_property_callbacks)
    return found[0]


def readout_numbers(text: str) -> list[float]:
    """读数文字里的数（「−」负号与 3.35 × 10⁻⁴ 这样的写法），按出现顺序。"""
    import re

    sup = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
    text = re.sub(r"<[^>]+>", " ", text).replace("−", "-")
    found = re.findall(r"-?\d+(?:\.\d+)?(?: × 10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?", text)
    out = []
    for item in found:
        mantissa, _, exponent = item.partition(" × 10")
        out.append(float(mantissa) * 10.0 ** int(exponent.translate(sup)) if exponent else float(mantissa))
    return out
