"""图表 ``CustomJS`` 回调的 JavaScript：放在本目录 ``js/`` 下的真正 ``.js`` 文件里，这里只负责装载。

* ``js/helpers.js``：所有回调共用的公式（σ、log σ、交叉熵、梯度、KL、softmax、focal、读数的
  数字格式……），每个只写一次，照搬 celoss 里对应的 Python 公式；
* ``js/<名字>.js``：一个回调一个文件，是 ES 模块：``export default function(args, obj, data, context)``
  （Bokeh ≥ 3.2 的 ``CustomJS`` 模块形式），用 ``import {…} from "./helpers.js";`` 取用共用函数。

浏览器里的 ``CustomJS`` 模块是从 blob URL 导入的，不能再导入别的文件，所以 :func:`module` 把那一行
``import`` 换成所需共用函数（连同它们调用的函数）的定义，各一次、按 ``helpers.js`` 里的顺序。
``tests/test_charts_js.py`` 在无头 Chromium 里逐点比对这些函数与 celoss 的 Python 公式。
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from bokeh.models import CustomJS

__all__ = ["JS_DIR", "helpers", "with_helpers", "module", "callback", "function_body"]

#: 回调与共用函数所在的目录。
JS_DIR = Path(__file__).with_name("js")

_FUNCTION = re.compile(r"^export function (\w+)\(.*?^\}\n", flags=re.MULTILINE | re.DOTALL)
_IMPORT = re.compile(r'^import \{([\w\s,]*)\} from "\./helpers\.js";\n', flags=re.MULTILINE)


@functools.cache
def helpers() -> dict[str, tuple[str, tuple[str, ...]]]:
    """``helpers.js`` 里的共用函数：名字 → (定义, 它直接调用的其他共用函数)，按文件中的顺序。

    Examples
    --------
    >>> from celoss.charts._js import helpers
    >>> helpers()["bceGrad"][1]
    ('sigmoidMinus',)
    """
    text = (JS_DIR / "helpers.js").read_text(encoding="utf-8")
    found = {m.group(1): m.group(0) for m in _FUNCTION.finditer(text)}
    return {
        name: (code, tuple(other for other in found if other != name and re.search(rf"\b{other}\(", code)))
        for name, code in found.items()
    }


def _closure(names) -> set[str]:
    """names 及其直接、间接调用的全部共用函数名。"""
    table = helpers()
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name not in table:
            raise ValueError(f"没有名为 {name!r} 的 JS 函数；可用的有 {', '.join(table)}")
        if name not in seen:
            seen.add(name)
            todo.extend(table[name][1])
    return seen


def with_helpers(body: str, *names: str) -> str:
    """在一段 JS 前面加上它要用的共用函数（连同这些函数自己调用的），每个一次，顺序固定。

    Parameters
    ----------
    body : str
        使用这些函数的 JS 代码。
    *names : str
        ``body`` 直接调用的共用函数名，如 ``"bceWithLogits"``。

    Returns
    -------
    str
        函数定义在前、``body`` 在后的 JS 模块代码。

    Raises
    ------
    ValueError
        某个名字不在 ``helpers.js`` 里。

    Examples
    --------
    >>> code = with_helpers("export default (z) => sigmoid(z);", "sigmoid")
    >>> [line for line in code.splitlines() if line.startswith("export function")]
    ['export function sigmoidPair(z) {', 'export function sigmoid(z) {']
    """
    wanted = _closure(names)
    return "".join(code for name, (code, _) in helpers().items() if name in wanted) + body


@functools.cache
def module(name: str) -> str:
    """回调 ``js/<name>.js`` 的完整模块代码：``import`` 那一行换成所需共用函数的定义。

    Examples
    --------
    >>> from celoss.charts._js import module
    >>> code = module("mse_loss")
    >>> "import" in code, code.count("export function sigmoidPair(")
    (False, 1)
    """
    path = JS_DIR / f"{name}.js"
    if not path.is_file():
        raise ValueError(f"没有名为 {name!r} 的 JS 回调（{path}）")
    text = path.read_text(encoding="utf-8")
    match = _IMPORT.search(text)
    if match is None:
        return text
    names = [n.strip() for n in match.group(1).split(",") if n.strip()]
    return text[: match.start()] + with_helpers("", *names) + text[match.end():]


def callback(name: str, **args) -> CustomJS:
    """由 ``js/<name>.js`` 造一个 ``CustomJS``（ES 模块形式），``args`` 按名字传给它的第一个参数。

    Examples
    --------
    >>> from celoss.charts._js import callback
    >>> cb = callback("mse_loss", source=None)
    >>> cb.module, "export default function" in cb.code
    (True, True)
    """
    return CustomJS(code=module(name), args=args, module=True)


def function_body(name: str, argument: str) -> str:
    """``js/<name>.js`` 改写成函数体：默认导出改名为 ``main``，以 ``argument`` 调用并返回其结果。

    Bokeh 的 ``CustomJSTicker`` 与 ``CustomJSTickFormatter`` 的代码是函数体（``cb_data``、``tick``
    等是它的参数），不是 ES 模块；JS 仍然只写在 ``js/`` 下的文件里。

    Examples
    --------
    >>> from celoss.charts._js import function_body
    >>> code = function_body("log_ticks", "cb_data")
    >>> "export" in code, code.splitlines()[-1]
    (False, 'return main(cb_data);')
    """
    code = re.sub(r"^export default function", "function main", module(name), count=1, flags=re.MULTILINE)
    return f"{code}\nreturn main({argument});"
