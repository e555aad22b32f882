// 图表的无障碍文本：页面载入时与滑块改变时，给每个滑块的把手（role="slider" 的元素，在 Bokeh 的
// shadow DOM 里）写上无障碍名称（说明它改变什么）和与标题里显示的相同的读数（aria-valuetext）。
export default async function ({sliders, labels}, obj, data, {index}) {
  // document_ready can come before the views are registered in the index: wait a few frames for them
  for (let frame = 0; frame < 120 && !sliders.every((s) => index.find_one(s) != null); frame++) {
    await new Promise((done) => requestAnimationFrame(done));
  }
  for (const [i, slider] of sliders.entries()) {
    const handle = index.find_one(slider)?.shadow_el.querySelector('[role="slider"]');
    if (handle == null) continue;
    const digits = Math.max(0, Math.ceil(-Math.log10(slider.step) - 1e-9));
    handle.setAttribute("aria-label", labels[i]);
    handle.setAttribute("aria-valuetext", slider.value.toFixed(digits).replace("-", "−"));
  }
}
