// 「训练对比实验」一章：三组按钮改变时，按（模型, 初始化, 学习率序号）拼出键，从 store 里
// 取出这组实验的四条曲线换进 source，并换上预先算好的「达到目标所需步数」说明。不做计算。
export default function ({model, init, rate, models, inits, store, source, summary, summaries}) {
  const key = `${models[model.active]}|${inits[init.active]}|${rate.active}`;
  const d = store.data;
  source.data = {
    step: d.step,
    mse_loss: d[`${key}|mse|loss`],
    bce_loss: d[`${key}|bce|loss`],
    mse_acc: d[`${key}|mse|acc`],
    bce_acc: d[`${key}|bce|acc`],
  };
  summary.text = summaries[key];
}
