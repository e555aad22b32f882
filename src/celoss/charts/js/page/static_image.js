// Draw one chart (a Bokeh json_item) for the print editions, hide its toolbars (screen controls, not part
// of the figure) and let Bokeh lay out again; celoss.charts._static_image evaluates this in Chromium.
async (item) => {
  const target = document.createElement("div");
  target.id = "target";
  document.body.replaceChildren(target);
  const views = await Bokeh.embed.embed_item(item, target);
  const doc = Bokeh.documents[Bokeh.documents.length - 1];
  const idle = () => new Promise((done) => (doc.is_idle ? done() : doc.idle.connect(done)));
  const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await idle();
  for (const model of doc.all_models) {
    if (model.properties !== undefined && "toolbar_location" in model.properties) model.toolbar_location = null;
  }
  await document.fonts.ready;
  await frames();
  await idle();
  await frames();
  return views.length;
}
