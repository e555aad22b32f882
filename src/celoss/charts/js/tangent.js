// 「凸性」一章的切线图：「权重 w」滑块改变时（以及页面载入时）重算模型曲线 σ(w·x + b)、
// 两种平均损失及其对 w 的导数、切线端点和读数。
import {bceWithLogits, formatNumber, sigmoid, sigmoidMinus} from "./helpers.js";

export default function ({slider, x, y, b, half, model, mse_tangent, bce_tangent, mse_point, bce_point, readout}) {
  const w = slider.value;
  const n = x.length;
  let mse = 0, bce = 0, dmse = 0, dbce = 0;
  for (let i = 0; i < n; i++) {
    const z = w * x[i] + b;
    const [diff, s, t] = sigmoidMinus(y[i], z);  // σ(z) − y, σ(z), σ(−z)
    mse += 0.5 * diff * diff;
    bce += bceWithLogits(y[i], z);
    dmse += diff * s * t * x[i];
    dbce += diff * x[i];
  }
  mse /= n; bce /= n; dmse /= n; dbce /= n;
  const ends = [w - half, w + half];
  mse_tangent.data = {w: ends, loss: ends.map((v) => mse + dmse * (v - w))};
  bce_tangent.data = {w: ends, loss: ends.map((v) => bce + dbce * (v - w))};
  mse_point.data = {w: [w], loss: [mse], slope: [dmse]};
  bce_point.data = {w: [w], loss: [bce], slope: [dbce]};
  const xs = model.data.x;
  model.data = {x: xs, p: Float64Array.from(xs, (v) => sigmoid(w * v + b))};
  readout.text = `w = ${formatNumber(w, 2)}：均方误差的斜率 <b>${formatNumber(dmse, 4)}</b>，` +
    `交叉熵的斜率 <b>${formatNumber(dbce, 4)}</b>`;
}
