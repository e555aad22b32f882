"""图表 ``CustomJS`` 回调共用的 JavaScript 小函数，每个只写一次。

浏览器端重算曲线时，各图都要用到 σ(z)、log σ(z)、交叉熵、它的梯度等几个公式。这里把它们
写成 Python 字符串常量（每个常量是一段 JS 函数定义），由 :func:`with_helpers` 拼到各图回调的
前面。每个 JS 函数都照搬 celoss 里对应的 Python 公式——同样的运算、同样的顺序，
所以滑块拖动后浏览器算出的数与 Python 给出的初始数据一致到最后几位：

* ``sigmoidPair(z)``：``celoss.activations._sigmoid_pair``，[σ(z), σ(−z)]，只对 e^(−|z|) ≤ 1 求指数；
* ``sigmoid(z)``：:func:`celoss.sigmoid`；
* ``logSigmoid(z)``：``celoss.activations._log_sigmoid``，min(z, 0) − log1p(e^(−|z|))；
* ``xmul(w, t)``：``celoss.losses._xmul``，w·t，权重为 0 时恒为 0（0·log 0 = 0）；
* ``crossEntropy(y, logP, logQ)``：``celoss.losses._cross_entropy``，−[y·log p + (1 − y)·log q]；
* ``bceProb(y, q)``：:func:`celoss.bce`，概率形式的交叉熵，log(1 − q) 用 log1p；
* ``bceWithLogits(y, z)``：:func:`celoss.bce_with_logits`；
* ``sigmoidMinus(y, z)``：``celoss.losses._sigmoid_minus``，[σ(z) − y, σ(z), σ(−z)]，不做 1 − σ 的相减；
* ``bceGrad(y, z)``：:func:`celoss.bce_grad`，σ(z) − y；
* ``mseGrad(y, z)``：:func:`celoss.mse_grad`，(σ(z) − y)·σ(z)·σ(−z)。

改动 Python 公式时要同步改这里；``tests/test_charts_js.py`` 在无头 Chromium 里逐点比对两边。
"""

from __future__ import annotations

__all__ = [
    "SIGMOID_PAIR_JS",
    "SIGMOID_JS",
    "LOG_SIGMOID_JS",
    "XMUL_JS",
    "CROSS_ENTROPY_JS",
    "BCE_PROB_JS",
    "BCE_WITH_LOGITS_JS",
    "SIGMOID_MINUS_JS",
    "BCE_GRAD_JS",
    "MSE_GRAD_JS",
    "HELPERS",
    "with_helpers",
]

#: [σ(z), σ(−z)]：e = e^(−|z|) ≤ 1 不会上溢，σ(|z|) = 1/(1 + e)，σ(−|z|) = e/(1 + e)。
SIGMOID_PAIR_JS = """\
function sigmoidPair(z) {
  const e = Math.exp(-Math.abs(z));
  const big = 1 / (1 + e), small = e / (1 + e);
  return z >= 0 ? [big, small] : [small, big];
}
"""

#: σ(z)。
SIGMOID_JS = """\
function sigmoid(z) {
  return sigmoidPair(z)[0];
}
"""

#: log σ(z) = min(z, 0) − log1p(e^(−|z|))：两项同号，没有相消；log(1 − σ(z)) 是 logSigmoid(−z)。
LOG_SIGMOID_JS = """\
function logSigmoid(z) {
  return Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
}
"""

#: w·t，但 w = 0 时恒为 0，即使 t = ±Infinity。
XMUL_JS = """\
function xmul(w, t) {
  return w === 0 ? 0 : w * t;
}
"""

#: −[y·log p + (1 − y)·log q]，其中 log p、log q ≤ 0：两项都非负。
CROSS_ENTROPY_JS = """\
function crossEntropy(y, logP, logQ) {
  return xmul(y, -logP) + xmul(1 - y, -logQ);
}
"""

#: 概率形式的二元交叉熵 y·(−log q) + (1 − y)·(−log1p(−q))；bceProb(p, p) 是熵 H(p)。
BCE_PROB_JS = """\
function bceProb(y, q) {
  return crossEntropy(y, Math.log(q), Math.log1p(-q));
}
"""

#: logit 形式的二元交叉熵 y·(−log σ(z)) + (1 − y)·(−log σ(−z))。
BCE_WITH_LOGITS_JS = """\
function bceWithLogits(y, z) {
  return crossEntropy(y, logSigmoid(z), logSigmoid(-z));
}
"""

#: [σ(z) − y, σ(z), σ(−z)]，σ(z) − y 写成 (1 − y)σ(z) − yσ(−z)。
SIGMOID_MINUS_JS = """\
function sigmoidMinus(y, z) {
  const [s, t] = sigmoidPair(z);
  return [(1 - y) * s - y * t, s, t];
}
"""

#: 交叉熵对 z 的梯度 σ(z) − y。
BCE_GRAD_JS = """\
function bceGrad(y, z) {
  return sigmoidMinus(y, z)[0];
}
"""

#: ½(y − σ(z))² 对 z 的梯度 (σ(z) − y)·σ(z)·σ(−z)。
MSE_GRAD_JS = """\
function mseGrad(y, z) {
  const [d, s, t] = sigmoidMinus(y, z);
  return d * s * t;
}
"""

#: 函数名 → (JS 定义, 它调用的其他函数)。顺序即拼接顺序。
HELPERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sigmoidPair": (SIGMOID_PAIR_JS, ()),
    "sigmoid": (SIGMOID_JS, ("sigmoidPair",)),
    "logSigmoid": (LOG_SIGMOID_JS, ()),
    "xmul": (XMUL_JS, ()),
    "crossEntropy": (CROSS_ENTROPY_JS, ("xmul",)),
    "bceProb": (BCE_PROB_JS, ("crossEntropy",)),
    "bceWithLogits": (BCE_WITH_LOGITS_JS, ("crossEntropy", "logSigmoid")),
    "sigmoidMinus": (SIGMOID_MINUS_JS, ("sigmoidPair",)),
    "bceGrad": (BCE_GRAD_JS, ("sigmoidMinus",)),
    "mseGrad": (MSE_GRAD_JS, ("sigmoidMinus",)),
}


def _closure(names: tuple[str, ...]) -> set[str]:
    """names 及其直接、间接调用的全部函数名。"""
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name not in HELPERS:
            raise ValueError(f"没有名为 {name!r} 的 JS 函数；可用的有 {', '.join(HELPERS)}")
        if name not in seen:
            seen.add(name)
            todo.extend(HELPERS[name][1])
    return seen


def with_helpers(body: str, *names: str) -> str:
    """在一段 ``CustomJS`` 代码前面加上它要用的共用 JS 函数（连同这些函数自己调用的）。

    每个函数只出现一次，按 :data:`HELPERS` 的顺序排列，所以结果是确定的。

    Parameters
    ----------
    body : str
        回调本身的 JS 代码。
    *names : str
        ``body`` 直接调用的共用函数名，如 ``"bceWithLogits"``。

    Returns
    -------
    str
        函数定义在前、``body`` 在后的完整 JS 代码。

    Raises
    ------
    ValueError
        某个名字不在 :data:`HELPERS` 里。

    Examples
    --------
    >>> code = with_helpers("return sigmoid(z);", "sigmoid")
    >>> [line for line in code.splitlines() if line.startswith("function")]
    ['function sigmoidPair(z) {', 'function sigmoid(z) {']
    >>> code.endswith("return sigmoid(z);")
    True
    """
    wanted = _closure(names)
    return "".join(code for name, (code, _) in HELPERS.items() if name in wanted) + body
