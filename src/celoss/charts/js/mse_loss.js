// 原文第一章的 MSE 图：「y 真实值」滑块（触发者）改变时重算 ½(y − σ(z))²。
import {mseLoss} from "./helpers.js";

export default function ({source}, slider) {
  const y = slider.value;
  const z = source.data.z;
  source.data = {z, loss: Float64Array.from(z, (v) => mseLoss(y, v))};
}
