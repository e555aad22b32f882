// 「变体」一章的标签平滑图：εₗₛ 滑块（触发者）改变时重算平滑后的目标 ỹ = (1 − εₗₛ)·1 + εₗₛ/2、
// 交叉熵 ℓ(ỹ, z)、梯度 σ(z) − ỹ，以及最优点 z* = logit(ỹ)、最小值 H(ỹ)
// （εₗₛ = 0 时没有最优点：NaN，不画）。
import {bceGrad, bceProb, bceWithLogits, logit} from "./helpers.js";

export default function ({source, optimum}, slider) {
  const eps = slider.value;
  const t = (1 - eps) * 1 + eps / 2;  // celoss.smooth_labels(1, eps)
  const {z, ce, ce_grad} = source.data;
  source.data = {
    z, ce, ce_grad,
    ls: Float64Array.from(z, (v) => bceWithLogits(t, v)),
    ls_grad: Float64Array.from(z, (v) => bceGrad(t, v)),
  };
  const zStar = eps > 0 ? logit(t) : NaN;
  const hStar = eps > 0 ? bceProb(t, t) : NaN;  // celoss.entropy(ỹ)
  optimum.data = {z: Float64Array.from([zStar]), loss: Float64Array.from([hStar]), grad: Float64Array.from([0])};
}
