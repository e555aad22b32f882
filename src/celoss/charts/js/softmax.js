// 「多分类」一章：三个 logit 滑块或「真实类别」按钮改变时（以及页面载入时）重算 softmax 概率、
// 交叉熵梯度 ŷ − onehot(c)、softmax 输出上平方损失的梯度 ŷ_i Σ_j ŷ_j (d_i − d_j) 和读数（p 即 ŷ）。
import {formatNumber, softmaxParts} from "./helpers.js";

export default function ({sliders, label, source, readout, true_color, other_color}) {
  const z = sliders.map((s) => s.value);
  const c = label.active;
  const K = z.length;
  const {p, q, m, logTotal} = softmaxParts(z);
  const d = p.map((v, i) => (i === c ? -q[i] : v));  // p − onehot(c)，真实类别上是 −(1 − p_c)
  const mseGrad = p.map((pi, i) => {
    let s = 0;
    for (let j = 0; j < K; j++) s += p[j] * (d[i] - d[j]);
    return pi * s;
  });
  const ce = logTotal - (z[c] - m);  // −log p_c
  let mse = 0;
  for (let j = 0; j < K; j++) mse += 0.5 * d[j] * d[j];
  source.data = {
    x: source.data.x,
    z: Float64Array.from(z),
    p: Float64Array.from(p),
    p_text: p.map((v) => formatNumber(v, 4)),
    color: p.map((_, i) => (i === c ? true_color : other_color)),
    ce_grad: Float64Array.from(d),
    mse_grad: Float64Array.from(mseGrad),
  };
  const f = (v) => formatNumber(v, 4);
  const k = c + 1;
  const nowrap = (html) => `<span style="white-space: nowrap">${html}</span>`;
  // a Latin font for ‖ and ², which the CJK fonts draw full-width, far from the ŷ − y between them
  const norm = `<span style="font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif">‖</span>`;
  readout.text =
    `真实类别 ${k}：${nowrap(`<i>ŷ</i><sub>${k}</sub> = ${f(p[c])}`)}，` +
    `交叉熵 ${nowrap(`−log <i>ŷ</i><sub>${k}</sub> = ${f(ce)}`)}，` +
    `平方损失 ${nowrap(`½${norm}<b>ŷ</b> − <b>y</b>${norm}² = ${f(mse)}`)}<br>` +
    `对 ${nowrap(`<i>z</i><sub>${k}</sub>`)} 的梯度：交叉熵 ${nowrap(f(d[c]))}，平方损失 ${nowrap(f(mseGrad[c]))}`;
}
