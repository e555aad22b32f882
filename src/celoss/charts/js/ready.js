// 图表画完时（Bokeh 的 document_ready）通知页面：书里的 celoss-charts.js 据此按当前的明暗主题给它配色。
export default function (args, doc) {
  document.dispatchEvent(new CustomEvent("celoss:chart-ready", {detail: {document: doc}}));
}
