// The embed script of one chart (celoss.charts._embed fills in its three placeholder fields): draw as soon as
// BokehJS (and Bokeh.Widgets when the chart has widgets) is there, not at DOMContentLoaded.
(function () {
  const docs_json = %(docs_json)s;
  const render_items = %(render_items)s;
  const ready = () => window.Bokeh !== undefined && Bokeh.embed !== undefined%(widgets)s;
  let done = false;
  function embed() {
    if (done || !ready()) return false;
    done = true;
    document.removeEventListener("load", embed, true);
    Bokeh.safely(() => Bokeh.embed.embed_items(docs_json, render_items));
    return true;
  }
  if (!embed()) {
    document.addEventListener("load", embed, true);  // a script's load event, caught on its way down
    document.addEventListener("DOMContentLoaded", embed);
    window.addEventListener("load", embed);
  }
})();
