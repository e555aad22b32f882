// 「梯度」一章的损失与梯度图：滑块（触发者）改变 y 时重算两种损失与两种梯度。
import {bceGrad, bceWithLogits, mseGrad, mseLoss} from "./helpers.js";

export default function ({source}, slider) {
  const y = slider.value;
  const z = source.data.z;
  source.data = {
    z,
    mse: Float64Array.from(z, (v) => mseLoss(y, v)),
    bce: Float64Array.from(z, (v) => bceWithLogits(y, v)),
    mse_grad: Float64Array.from(z, (v) => mseGrad(y, v)),
    bce_grad: Float64Array.from(z, (v) => bceGrad(y, v)),
  };
}
