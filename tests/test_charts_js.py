"""celoss.charts._js 与 js/helpers.js：共用 JS 函数的装载规则，以及它们在无头 Chromium 里与 celoss 的
Python 公式逐点一致，包括 z = ±30、±700、±1000、±inf 这样的极端参数（Python 给出有限值的地方，JS 不能给出
NaN 或 Infinity）。这是 JS 与 Python 一致性的唯一一处函数级比对；回调级的在各 test_charts_<章>.py 里，
页面上的浏览器测试只查接线与交互。"""

from __future__ import annotations

import ast
import re

import numpy as np
import pytest

import celoss
from celoss._kernels import binary_cross_entropy as _cross_entropy
from celoss._kernels import log_sigmoid as _log_sigmoid
from celoss._kernels import sigmoid_minus as _sigmoid_minus
from celoss._kernels import sigmoid_pair as _sigmoid_pair
from celoss._kernels import xmul as _xmul
from celoss.charts import _js

from .conftest import assert_js_close

_EXTREMES = [0.0, 1e-300, 1e-20, 1e-8, 1e-3, 0.5, 1.0, 2.5, 10.0, 17.0, 30.0, 36.7, 40.0, 100.0, 300.0, 700.0,
             709.7, 710.0, 740.0, 745.0, 746.0, 1000.0, 1e10, 1e300, np.inf]
#: 每个 logit：正负两侧的极端值、[−40, 40] 上的等距网格，以及一批固定种子的随机数（最大到 ±1000）。
Z = np.unique(np.r_[_EXTREMES, np.negative(_EXTREMES), np.linspace(-40.0, 40.0, 801),
                    np.random.default_rng(20240611).uniform(-1000.0, 1000.0, 500)])
#: 真实值 y：两个硬标签与几个软标签。
Y = [0.0, 1e-20, 0.01, 0.37, 0.5, 0.99, 1.0]
#: 概率 q：含 0、1 与靠近它们的点。
Q = np.unique(np.r_[0.0, 5e-324, 1e-300, 1e-20, 1e-8, np.linspace(0.0, 1.0, 201), 1 - 1e-8, 1 - 2**-53, 1.0])


_MODULE = """async ([code, a]) => {
  const url = URL.createObjectURL(new Blob([code], {type: "text/javascript"}));
  try { return (await import(url)).default(a); } finally { URL.revokeObjectURL(url); }
}"""


def evaluate(run_js, expression: str, *names: str, **data):
    """在 Chromium 里求 ``expression``（可用 ``a.z``、``a.y`` 等取 ``data``），模块里只带 ``names`` 及其依赖。"""
    code = _js.with_helpers(f"export default (a) => {expression};\n", *names)
    return run_js(_MODULE, [code, {k: np.asarray(v, dtype=np.float64).tolist() for k, v in data.items()}])


# ---------------------------------------------------------------------------------------------
# How the snippets are put together


def test_each_helper_is_one_exported_function_and_its_dependencies_are_what_it_calls():
    text = (_js.JS_DIR / "helpers.js").read_text(encoding="utf-8")
    names = re.findall(r"^export function (\w+)\(", text, flags=re.MULTILINE)
    assert list(_js.helpers()) == names
    assert len(set(names)) == len(names)
    for name, (code, needs) in _js.helpers().items():
        assert re.findall(r"^export function (\w+)\(", code, flags=re.MULTILINE) == [name]
        calls = set(re.findall(r"\b([A-Za-z]\w*)\(", code)) & set(names) - {name}
        assert calls == set(needs), name


def test_with_helpers_adds_dependencies_once_in_a_fixed_order():
    code = _js.with_helpers("BODY", "mseGrad", "bceGrad", "bceGrad")
    assert re.findall(r"^export function (\w+)", code, flags=re.MULTILINE) == ["sigmoidPair", "sigmoidMinus", "bceGrad",
                                                                        "mseGrad"]
    assert code.endswith("BODY")
    assert code.count("function sigmoidPair") == 1
    assert _js.with_helpers("BODY") == "BODY"


def test_with_helpers_rejects_unknown_names():
    with pytest.raises(ValueError, match="没有名为 'softplus' 的 JS 函数"):
        _js.with_helpers("BODY", "softplus")


def test_every_callback_is_a_module_whose_import_line_is_replaced_by_the_helpers():
    files = sorted(p.stem for p in _js.JS_DIR.glob("*.js") if p.stem != "helpers")
    assert {"tangent", "softmax", "a11y", "mse_loss"} <= set(files)
    for name in files:
        raw = (_js.JS_DIR / f"{name}.js").read_text(encoding="utf-8")
        code = _js.module(name)
        assert re.search(r"^export default (async )?function", code, flags=re.MULTILINE), name
        assert not re.search(r"^import ", code, flags=re.MULTILINE), name
        imported = re.findall(r'^import \{([\w\s,]*)\} from "\./helpers\.js";', raw, flags=re.MULTILINE)
        wanted = {n.strip() for group in imported for n in group.split(",") if n.strip()}
        for helper in wanted:
            assert f"export function {helper}(" in code, (name, helper)
        # every helper a callback calls is imported, none is re-defined locally
        body = raw.split("export default", 1)[1]
        assert set(re.findall(r"\b([A-Za-z]\w*)\(", body)) & set(_js.helpers()) <= wanted, name
        assert "function " not in raw.split("export default", 1)[0].replace("export function", ""), name
    with pytest.raises(ValueError, match="没有名为 'nothing' 的 JS 回调"):
        _js.module("nothing")


def test_no_javascript_source_is_left_in_python_strings():
    """src/celoss 的 Python 文件里（文档字符串之外）没有 JS 代码（函数定义、箭头函数、.data = 赋值……）。"""
    root = _js.JS_DIR.parents[1]
    signs = re.compile(r"=>|\bfunction\s*\w*\([\w, {}]*\)\s*\{|\bconst \w+ =|\blet \w+ =|\.data = \{|Math\.\w+\(")
    assert signs.search("source.data = {z, loss};")
    assert signs.search("(v) => sigmoid(v)")
    assert signs.search("function ({source}, slider) {")
    assert signs.search("function sigmoid(z) {")
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {id(node.body[0].value) for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                    and signs.search(node.value)):
                pytest.fail(f"{path.relative_to(root)}:{node.lineno} 的字符串里像是 JS：{node.value[:80]!r}")


def test_all_helpers_compile_together_as_one_module(run_js):
    names = evaluate(run_js, "[" + ", ".join(f"typeof {n}" for n in _js.helpers()) + "]", *_js.helpers())
    assert names == ["function"] * len(_js.helpers())


# ---------------------------------------------------------------------------------------------
# Point-wise agreement with the Python formulas


def test_sigmoid_pair_sigmoid_and_log_sigmoid(run_js):
    s, t = _sigmoid_pair(Z)
    pair = np.array(evaluate(run_js, "a.z.map((z) => sigmoidPair(z))", "sigmoidPair", z=Z))
    assert_js_close(pair[:, 0], s)
    assert_js_close(pair[:, 1], t)
    assert_js_close(evaluate(run_js, "a.z.map((z) => sigmoid(z))", "sigmoid", z=Z), celoss.sigmoid(Z))
    log_s = evaluate(run_js, "a.z.map((z) => logSigmoid(z))", "logSigmoid", z=Z)
    assert_js_close(log_s, _log_sigmoid(Z))
    # the tails stay exact instead of rounding to 0 / 1 or overflowing
    at = {float(v): i for i, v in enumerate(Z)}
    assert pair[at[-700.0], 0] == pytest.approx(np.exp(-700.0), rel=1e-15)
    assert pair[at[1000.0]].tolist() == [1.0, 0.0]
    assert pair[at[-1000.0]].tolist() == [0.0, 1.0]
    assert log_s[at[-1000.0]] == -1000.0
    assert log_s[at[40.0]] == pytest.approx(-np.exp(-40.0), rel=1e-15)


def test_xmul_and_cross_entropy_treat_zero_weights_as_zero(run_js):
    w = np.array([0.0, 0.0, 0.0, 2.0, -0.5, 1.0])
    t = np.array([np.inf, -np.inf, 3.0, 3.0, 7.0, np.inf])
    got = evaluate(run_js, "a.w.map((w, i) => xmul(w, a.t[i]))", "xmul", w=w, t=t)
    assert_js_close(got, _xmul(w, t))
    assert got[:3] == [0, 0, 0]
    y = np.repeat(Y, 3)
    log_p = np.tile([-np.inf, -2.5, 0.0], len(Y))
    log_q = np.tile([0.0, -1e-20, -np.inf], len(Y))
    got = evaluate(run_js, "a.y.map((y, i) => crossEntropy(y, a.lp[i], a.lq[i]))", "crossEntropy",
                   y=y, lp=log_p, lq=log_q)
    assert_js_close(got, _cross_entropy(y, log_p, log_q))


@pytest.mark.parametrize("y", Y)
def test_bce_prob(run_js, y):
    got = evaluate(run_js, "a.q.map((q) => bceProb(a.y[0], q))", "bceProb", q=Q, y=[y])
    assert_js_close(got, celoss.bce(y, Q))
    interior = (Q > 0) & (Q < 1)
    assert np.all(np.isfinite(np.asarray(got)[interior]))


@pytest.mark.parametrize("y", Y)
def test_bce_with_logits(run_js, y):
    got = evaluate(run_js, "a.z.map((z) => bceWithLogits(a.y[0], z))", "bceWithLogits", z=Z, y=[y])
    assert_js_close(got, celoss.bce_with_logits(y, Z))


@pytest.mark.parametrize("y", Y)
def test_sigmoid_minus_and_the_two_gradients(run_js, y):
    diff, s, t = _sigmoid_minus(np.float64(y), Z)
    scale = (1 - y) * s + y * t  # σ(z) − y = (1 − y)σ(z) − yσ(−z): the terms may cancel
    parts = np.array(evaluate(run_js, "a.z.map((z) => sigmoidMinus(a.y[0], z))", "sigmoidMinus", z=Z, y=[y]))
    assert_js_close(parts[:, 0], diff, scale=scale)
    assert_js_close(parts[:, 1], s)
    assert_js_close(parts[:, 2], t)
    assert_js_close(evaluate(run_js, "a.z.map((z) => bceGrad(a.y[0], z))", "bceGrad", z=Z, y=[y]),
                    celoss.bce_grad(y, Z), scale=scale)
    assert_js_close(evaluate(run_js, "a.z.map((z) => mseGrad(a.y[0], z))", "mseGrad", z=Z, y=[y]),
                    celoss.mse_grad(y, Z), scale=scale * s * t)


def test_comparison_is_strict_enough_to_catch_the_naive_formulas(run_js):
    """σ(z) − y 写成 1 − σ(−z) − y、或 log σ 写成 log(σ)，都会被上面的比对查出来。"""
    y = 1.0
    naive_grad = evaluate(run_js, "a.z.map((z) => 1 / (1 + Math.exp(-z)) - a.y[0])", z=Z, y=[y])
    _, s, t = _sigmoid_minus(np.float64(y), Z)
    with pytest.raises(AssertionError, match="误差上限"):
        assert_js_close(naive_grad, celoss.bce_grad(y, Z), scale=(1 - y) * s + y * t)
    naive_log = evaluate(run_js, "a.z.map((z) => Math.log(1 / (1 + Math.exp(-z))))", z=Z)
    with pytest.raises(AssertionError):
        assert_js_close(naive_log, _log_sigmoid(Z))


def test_mse_loss_and_logit(run_js):
    for y in Y:
        got = evaluate(run_js, "a.z.map((z) => mseLoss(a.y[0], z))", "mseLoss", z=Z, y=[y])
        assert_js_close(got, celoss.mse(y, celoss.sigmoid(Z)), scale=0.5 * (y**2 + celoss.sigmoid(Z) ** 2))
    inner = Q[(Q > 0) & (Q < 1)]
    got = evaluate(run_js, "a.q.map((q) => logit(q))", "logit", q=inner)
    assert_js_close(got, np.log(inner) - np.log1p(-inner), scale=np.abs(np.log(inner)) + np.abs(np.log1p(-inner)))
    assert_js_close(evaluate(run_js, "[logit(0), logit(1)]", "logit"), [-np.inf, np.inf])


@pytest.mark.parametrize("p", [0.0, 1e-20, 0.01, 0.3, 0.5, 0.99, 1.0])
def test_kl_bernoulli(run_js, p):
    """JS 用直接公式 Σ a·log(a/b) − (a − b)，没有 celoss 那样精确地算 a − b：q 紧挨 p 时只在绝对误差上准确
    （图上看不出）；两端 0·log 0 = 0。q 是次正规数时 a/b 上溢，图上的 q 不会那么小。"""
    q = Q[(Q >= 1e-300) & (Q < 1)]
    got = np.asarray(evaluate(run_js, "a.q.map((q) => klBernoulli(a.p[0], q))", "klBernoulli", q=q, p=[p]))
    assert np.all(np.isfinite(got))
    assert np.all(got >= 0)
    np.testing.assert_allclose(got, celoss.kl_divergence(p, q), rtol=1e-12, atol=1e-15)
    ends = evaluate(run_js, "[klBernoulli(a.p[0], 0), klBernoulli(a.p[0], 1)]", "klBernoulli", p=[p])
    assert_js_close(ends, celoss.kl_divergence(p, np.array([0.0, 1.0])))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
def test_focal(run_js, gamma):
    z = Z[np.isfinite(Z)]
    got = np.array(evaluate(run_js, "a.z.map((z) => focal(a.g[0], z))", "focal", z=z, g=[gamma]))
    np.testing.assert_allclose(got[:, 0], celoss.focal_loss(1.0, z, gamma=gamma), rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(got[:, 1], -celoss.focal_loss_grad(1.0, z, gamma=gamma), rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("k", [0, 3, 10])
def test_bernoulli_log_likelihood(run_js, k):
    n, p = 10, Q[(Q > 0) & (Q < 1)]
    got = evaluate(run_js, "a.p.map((p) => bernoulliLogLikelihood(a.k[0], a.n[0], p))", "bernoulliLogLikelihood",
                   p=p, k=[k], n=[n])
    assert_js_close(got, -(k * celoss.bce(1, p) + (n - k) * celoss.bce(0, p)))


@pytest.mark.parametrize("z", [[2.0, 0.5, -1.0], [8.0, -8.0, -8.0], [0.0, 0.0, 0.0], [-1000.0, 1000.0, 999.0],
                               [40.0, -40.0, 0.0]])
def test_softmax_parts(run_js, z):
    parts = evaluate(run_js, "softmaxParts(a.z)", "softmaxParts", z=z)
    z = np.asarray(z)
    assert_js_close(parts["p"], celoss.softmax(z))
    # 1 − p_i summed from the other terms: exact even where p_i rounds to 1
    assert_js_close(parts["q"], [float(np.sum(np.delete(celoss.softmax(z), i))) for i in range(3)], rtol=1e-14)
    assert_js_close(np.array(z) - parts["m"] - parts["logTotal"], celoss.log_softmax(z), rtol=1e-14,
                    scale=np.abs(z) + 1)


def test_format_number_typesets_readouts(run_js):
    values = [0.0, -0.0, 0.5, -0.2144, 1e-3, -3.3524e-4, 2.5e-12, -0.00001, 7.0, -4.0]
    got = evaluate(run_js, "a.v.map((v) => formatNumber(v, 4))", "formatNumber", v=values)
    assert got == ["0.0000", "0.0000", "0.5000", "−0.2144", "0.0010", "−3.35 × 10⁻⁴", "2.50 × 10⁻¹²",
                   "−1.00 × 10⁻⁵", "7.0000", "−4.0000"]
    assert evaluate(run_js, "[formatNumber(-0.001, 2), formatNumber(-0.004, 2)]", "formatNumber") == ["0.00", "0.00"]
