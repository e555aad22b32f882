// 「极大似然」一章：「正类个数 n₁」滑块改变时（以及页面载入时）重算对数似然曲线、
// 极大值点 q* = n₁/n（代码里 k = n₁，p 列是预测概率 q）、竖线、标注和样本示意。
import {bernoulliLogLikelihood, formatNumber} from "./helpers.js";

export default function ({slider, n, source, peak, span, label, sample}) {
  const k = slider.value;
  const p = source.data.p;
  source.data = {p, ll: Float64Array.from(p, (v) => bernoulliLogLikelihood(k, n, v))};
  const best = k / n;
  peak.data = {p: Float64Array.from([best]), ll: Float64Array.from([bernoulliLogLikelihood(k, n, best)])};
  span.location = best;
  const right = best > 0.5;
  label.setv({x: best, text: `q* = ${k}/${n} = ${formatNumber(best, 2)}`,
              text_align: right ? "right" : "left", x_offset: right ? -6 : 6});
  sample.text = `样本：${"●".repeat(k)}${"○".repeat(n - k)}（● = 1 共 ${k} 个，○ = 0 共 ${n - k} 个）`;
}
