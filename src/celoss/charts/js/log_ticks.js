// 「训练对比实验」一章训练损失图的对数纵轴刻度（CustomJSTicker，每次重画按当前范围 start…end 重算，
// 切换实验、缩放都适用）。Bokeh 自己的 LogTicker 在范围不到两个数量级时改用等距刻度，0.5、0.6、0.7
// 在对数轴上挤在顶端。这里每个数量级取一组 1、2、3、5、7……，从密到疏，选第一组相邻刻度至少隔开
// 纵轴的六分之一、且至少有两个刻度的；跨许多数量级时每隔几个数量级取一个 10 的幂；范围太窄、
// 一组也不行时退回等距的整齐刻度（那么窄的对数轴与线性轴几乎一样）。
export default function ({start, end}) {
  const lo = Math.min(start, end), hi = Math.max(start, end);
  if (!(lo > 0) || !Number.isFinite(hi) || hi <= lo) return [];
  const span = Math.log10(hi) - Math.log10(lo);  // hi / lo can overflow
  const first = Math.floor(Math.log10(lo)), last = Math.ceil(Math.log10(hi));
  const exact = (v) => Number(v.toPrecision(12));  // 0.3, not 0.30000000000000004
  const sets = [[1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 5, 7], [1, 2, 5], [1, 3], [1]]
    .map((mantissas) => ({mantissas, every: 1}));
  for (const every of [2, 3, 5, 10, 20, 50, 100, 200]) sets.push({mantissas: [1], every});
  for (const {mantissas, every} of sets) {
    const ticks = [];
    for (let e = first; e <= last; e++) {
      if (((e % every) + every) % every !== 0) continue;
      for (const m of mantissas) {
        const v = exact(m * 10 ** e);
        if (v >= lo && v <= hi) ticks.push(v);
      }
    }
    const gaps = ticks.slice(1).map((v, i) => Math.log10(v) - Math.log10(ticks[i]));
    if (ticks.length >= 2 && Math.min(...gaps) >= span / 6 - 1e-9) return ticks;
  }
  const rough = (hi - lo) / 4, power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough);
  const ticks = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; k++) if (k > 0) ticks.push(exact(k * step));
  return ticks;
}
