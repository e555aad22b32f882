// 「变体」一章的 Focal Loss 图：γ 滑块改变时（以及页面载入时）重算 FL 与 −∂FL/∂z，
// 并改写标题：qₜ = mark 处 FL 是交叉熵的几分之一。
import {focal, formatNumber, logSigmoid, logit} from "./helpers.js";

export default function ({slider, source, title, mark}) {
  const gamma = slider.value;
  const d = source.data;
  const fl = new Float64Array(d.z.length), fl_push = new Float64Array(d.z.length);
  d.z.forEach((v, i) => { [fl[i], fl_push[i]] = focal(gamma, v); });
  source.data = {p: d.p, z: d.z, ce: d.ce, ce_push: d.ce_push, fl, fl_push};
  const markZ = logit(mark);
  const factor = -logSigmoid(markZ) / focal(gamma, markZ)[0];
  const where = `qₜ = ${mark} 处`;
  title.text = factor < 1.005 ? `${where} FL 就是交叉熵（γ = 0）`
    : `${where} FL 只有交叉熵的 1/${factor < 10 ? formatNumber(factor, 2) : Math.round(factor)}`;
}
