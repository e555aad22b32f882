// 「数值稳定性」一章：精度按钮改变时（以及页面载入时）把 store 里该精度的列拷进 source，
// 并把两条「失效点」竖线和它们的标注移到该精度的失效点。不做计算：数都是 numpy 算好的。
import {formatNumber} from "./helpers.js";

export default function ({toggle, store, source, dtypes, names, spans, labels, breakdown}) {
  const d = dtypes[toggle.active];
  const s = store.data;
  const data = {z: source.data.z};
  for (const name of names) {
    data[`${name}_small`] = s[`${name}_small_${d}`];
    data[`${name}_big`] = s[`${name}_big_${d}`];
  }
  source.data = data;
  for (const span of spans) span.location = breakdown[d];
  for (const label of labels) label.setv({x: breakdown[d], text: `z = ${formatNumber(breakdown[d], 2)}`});
}
