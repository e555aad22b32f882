// celoss 图表回调共用的 JavaScript 函数，每个公式只写在这里一次。
//
// 每个函数照搬 celoss 里对应的 Python 公式（同样的运算、同样的顺序），所以滑块拖动后浏览器
// 算出的数与 Python 给出的初始数据一致到最后几位；tests/test_charts_js.py 在无头 Chromium 里
// 逐点比对两边（含 z = ±1000 这样的极端参数）。回调文件用
//   import {bceGrad, mseGrad} from "./helpers.js";
// 取用它们；celoss.charts._js 把这一行换成所需函数（连同它们调用的函数）的定义。
// 每个函数以 "export function 名字(" 开头、以单独一行 "}" 结束。

// [σ(z), σ(−z)]（celoss.activations 的 sigmoid_pair）：e = e^(−|z|) ≤ 1 不会上溢。
export function sigmoidPair(z) {
  const e = Math.exp(-Math.abs(z));
  const big = 1 / (1 + e), small = e / (1 + e);
  return z >= 0 ? [big, small] : [small, big];
}

// σ(z)（celoss.sigmoid）。
export function sigmoid(z) {
  return sigmoidPair(z)[0];
}

// log σ(z) = min(z, 0) − log1p(e^(−|z|))：两项同号，没有相消；log(1 − σ(z)) 是 logSigmoid(−z)。
export function logSigmoid(z) {
  return Math.min(z, 0) - Math.log1p(Math.exp(-Math.abs(z)));
}

// w·t，但 w = 0 时恒为 0，即使 t = ±Infinity（0·log 0 = 0）。
export function xmul(w, t) {
  return w === 0 ? 0 : w * t;
}

// −[y·log p + (1 − y)·log q]，其中 log p、log q ≤ 0：两项都非负。
export function crossEntropy(y, logP, logQ) {
  return xmul(y, -logP) + xmul(1 - y, -logQ);
}

// 概率形式的二元交叉熵（celoss.bce）；bceProb(p, p) 是熵 H(p)（celoss.entropy）。
export function bceProb(y, q) {
  return crossEntropy(y, Math.log(q), Math.log1p(-q));
}

// logit 形式的二元交叉熵（celoss.bce_with_logits）。
export function bceWithLogits(y, z) {
  return crossEntropy(y, logSigmoid(z), logSigmoid(-z));
}

// [σ(z) − y, σ(z), σ(−z)]，σ(z) − y 写成 (1 − y)σ(z) − yσ(−z)，不做 1 − σ 的相减。
export function sigmoidMinus(y, z) {
  const [s, t] = sigmoidPair(z);
  return [(1 - y) * s - y * t, s, t];
}

// logit：σ 的反函数 log p − log(1 − p)（celoss.logit），log(1 − p) 用 log1p。
export function logit(p) {
  return Math.log(p) - Math.log1p(-p);
}

// 交叉熵对 z 的梯度 σ(z) − y（celoss.bce_grad）。
export function bceGrad(y, z) {
  return sigmoidMinus(y, z)[0];
}

// ½(y − σ(z))²（celoss.mse(y, celoss.sigmoid(z))）。
export function mseLoss(y, z) {
  return 0.5 * (y - sigmoid(z)) ** 2;
}

// ½(y − σ(z))² 对 z 的梯度 (σ(z) − y)·σ(z)·σ(−z)（celoss.mse_grad）。
export function mseGrad(y, z) {
  const [d, s, t] = sigmoidMinus(y, z);
  return d * s * t;
}

// 伯努利 KL 散度 D(p‖q)（celoss.kl_divergence）：两个非负项 a·log(a/b) − (a − b) 之和，
// a − b 直接取 p − q 与 q − p，不做 H(p, q) − H(p) 的相减；a = 0 的项为 b。
export function klBernoulli(p, q) {
  const term = (a, b, d) => xmul(a, Math.log(a / b)) - d;
  return Math.max(0, term(p, q, p - q) + term(1 - p, 1 - q, q - p));
}

// Focal Loss（y = 1，celoss.focal_loss 与 −celoss.focal_loss_grad）：
// [σ(−z)^γ·(−log σ(z)), σ(−z)^γ·(γ σ(z)(−log σ(z)) + σ(−z))]。
export function focal(gamma, z) {
  const [s, u] = sigmoidPair(z);
  const lp = -logSigmoid(z);
  const m = Math.pow(u, gamma);
  return [m * lp, m * (gamma * s * lp + u)];
}

// n 个 0/1 标签中 k 个为 1 时的伯努利对数似然 k·log p + (n − k)·log(1 − p)（0·log 0 = 0）。
export function bernoulliLogLikelihood(k, n, p) {
  return xmul(k, Math.log(p)) + xmul(n - k, Math.log1p(-p));
}

// softmax 的稳定各部分（celoss.multiclass 的 softmax_parts）：减去最大值，最大项以外之和 rest
// 用 log1p；q_i = 1 − p_i 直接对其余各项求和。返回 {p, q, logTotal, m}，log p_i = z_i − m − logTotal。
export function softmaxParts(z) {
  const K = z.length;
  let top = 0;
  for (let j = 1; j < K; j++) if (z[j] > z[top]) top = j;
  const m = z[top];
  const e = z.map((v) => Math.exp(v - m));
  let rest = 0;
  for (let j = 0; j < K; j++) if (j !== top) rest += e[j];
  const total = 1 + rest;
  const p = e.map((v) => v / total);
  const q = e.map((_, i) => {
    let s = 0;
    for (let j = 0; j < K; j++) if (j !== i) s += e[j];
    return s / total;
  });
  return {p, q, m, logTotal: Math.log1p(rest)};
}

// 读数里的一个数：绝对值 ≥ 10⁻³（或为 0）时保留 digits 位小数，否则三位有效数字、
// 排成 3.35 × 10⁻⁴；负号用「−」（U+2212），舍入成 0 的数不带负号。
export function formatNumber(v, digits) {
  const a = Math.abs(v);
  let text = a.toFixed(digits);
  if (a !== 0 && a < 1e-3) {
    const [mantissa, exponent] = a.toExponential(2).split("e");
    const sup = {"-": "⁻", "+": "", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹"};
    text = `${mantissa} × 10${Array.from(exponent, (c) => sup[c]).join("")}`;
  }
  return (v < 0 && /[1-9]/.test(text) ? "−" : "") + text;
}
