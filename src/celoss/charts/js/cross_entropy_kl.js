// 「信息论」一章：「真实分布 p」滑块（触发者）改变时重算 H(p, q)、H(p) 与 D(p‖q)。
// 0·log 0 = 0；KL 直接由 klBernoulli 算，不做 H(p, q) − H(p) 的相减。
import {bceProb, klBernoulli} from "./helpers.js";

export default function ({source}, slider) {
  const p = slider.value;
  const q = source.data.q;
  const h = bceProb(p, p);  // celoss.entropy(p)
  source.data = {
    q,
    cross: Float64Array.from(q, (v) => bceProb(p, v)),
    kl: Float64Array.from(q, (v) => klBernoulli(p, v)),
    ent: Float64Array.from(q, () => h),
  };
}
