// 训练损失图纵轴（js/log_ticks.js 的刻度）的文字：不小于 0.001 的写成小数（0.2、1、1.5、20），
// 更小的写成 10⁻⁴、3 × 10⁻⁴。
export default function ({tick}) {
  if (tick >= 1e-3) return String(Number(tick.toPrecision(6)));
  const [mantissa, exponent] = Number(tick.toPrecision(6)).toExponential().split("e");
  const sup = {"-": "⁻", "+": "", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹"};
  const power = `10${Array.from(exponent, (c) => sup[c]).join("")}`;
  return mantissa === "1" ? power : `${mantissa} × ${power}`;
}
