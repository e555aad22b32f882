// 「梯度」一章的对数坐标图：滑块（触发者）改变 y 时重算 |∂ℓ/∂z|（不低于 floor）与 z = mark 处的两个点。
// 采样点是固定的网格 grid，再加上梯度恰为 0 的点 z = logit(y)（0 < y < 1 时），
// 曲线在那里扎到 floor，即纵轴可见范围之下。
import {bceGrad, logit, mseGrad} from "./helpers.js";

export default function ({source, marks, grid, floor, mark}, slider) {
  const y = slider.value;
  const size = (g) => Math.max(Math.abs(g), floor);
  const z = Array.from(grid);
  if (y > 0 && y < 1) {
    const zero = logit(y);
    const at = z.findIndex((v) => v >= zero);
    if (at >= 0 && z[at] !== zero) z.splice(at, 0, zero);
  }
  source.data = {
    z: Float64Array.from(z),
    mse_abs: Float64Array.from(z, (v) => size(mseGrad(y, v))),
    bce_abs: Float64Array.from(z, (v) => size(bceGrad(y, v))),
  };
  marks.data = {
    z: Float64Array.from([mark, mark]),
    g: Float64Array.from([size(mseGrad(y, mark)), size(bceGrad(y, mark))]),
    color: marks.data.color,
  };
}
