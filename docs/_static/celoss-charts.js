// celoss 图表跟随主题的明暗切换：从主题的 CSS 变量取色，切换时无需重新加载页面。
(function () {
  "use strict";
  const done = new WeakSet();

  function palette() {
    const style = getComputedStyle(document.documentElement);
    const dark = document.documentElement.dataset.theme === "dark";
    const css = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      background: css("--pst-color-background", dark ? "#121212" : "#ffffff"),
      text: css("--pst-color-text-base", dark ? "#ced6dd" : "#222832"),
      muted: css("--pst-color-text-muted", dark ? "#9ca4af" : "#5a5a5a"),
      grid: dark ? "#3b4048" : "#e6e6e6",
    };
  }

  const has = (model, name) => model.properties !== undefined && name in model.properties;

  function restyle(model, p) {
    if (has(model, "border_fill_color") && has(model, "outline_line_color")) {  // Plot
      model.setv({background_fill_color: p.background, background_fill_alpha: 1,
                  border_fill_color: p.background, border_fill_alpha: 1,
                  outline_line_color: p.grid});
    } else if (has(model, "axis_label_text_color")) {  // Axis
      model.setv({axis_label_text_color: p.text, major_label_text_color: p.muted,
                  axis_line_color: p.muted, major_tick_line_color: p.muted,
                  minor_tick_line_color: p.muted});
    } else if (has(model, "grid_line_color") && has(model, "dimension")) {  // Grid
      model.setv({grid_line_color: p.grid});
    } else if (has(model, "label_text_color") && has(model, "items")) {  // Legend
      model.setv({label_text_color: p.text, background_fill_color: p.background,
                  border_line_color: p.grid, inactive_fill_color: p.background});
    } else if (has(model, "title_text_color") && has(model, "color_mapper")) {  // ColorBar
      model.setv({title_text_color: p.text, major_label_text_color: p.muted,
                  background_fill_color: p.background});
    } else if (has(model, "text_color") && has(model, "text") && !model.tags.includes("keep-color")) {
      model.setv({text_color: p.text});  // Title, Label
    }
  }

  function apply(all) {
    if (window.Bokeh === undefined) return;
    const p = palette();
    for (const doc of Bokeh.documents) {
      if (!all && done.has(doc)) continue;
      done.add(doc);
      for (const model of doc.all_models) restyle(model, p);
    }
  }

  // 图表是异步嵌入的：每出现一个新文档就着色，全部出现后停止
  let tries = 0;
  const timer = setInterval(() => {
    apply(false);
    const charts = document.querySelectorAll(".celoss-chart").length;
    const ready = document.readyState === "complete" && window.Bokeh !== undefined &&
                  Bokeh.documents.length >= charts;
    if (ready || ++tries > 300) clearInterval(timer);
  }, 50);
  new MutationObserver(() => apply(true)).observe(document.documentElement, {
    attributes: true, attributeFilter: ["data-theme"],
  });
})();
