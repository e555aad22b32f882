// celoss 图表跟随主题的明暗切换：从主题的 CSS 变量取色，切换时无需重新加载页面。
(function () {
  "use strict";
  const done = new WeakSet();
  let Widget = null;  // Bokeh.Models.get("Widget")，bokeh-widgets 加载后才有

  function palette() {
    const style = getComputedStyle(document.documentElement);
    const dark = document.documentElement.dataset.theme === "dark";
    const css = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      background: css("--pst-color-background", dark ? "#121212" : "#ffffff"),
      text: css("--pst-color-text-base", dark ? "#ced6dd" : "#222832"),
      muted: css("--pst-color-text-muted", dark ? "#9ca4af" : "#5a5a5a"),
      grid: dark ? "#3b4048" : "#e6e6e6",
      surface: css("--pst-color-surface", dark ? "#29313d" : "#f3f4f5"),
      border: css("--pst-color-border", dark ? "#48566b" : "#d1d5da"),
      primary: css("--pst-color-primary", dark ? "#528fe4" : "#176de8"),
      dark,
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
    } else if (has(model, "major_label_text_color") && has(model, "bar_line_color")) {
      // ColorBar 与等高线图的 ContourColorBar（后者没有 color_mapper）
      model.setv({title_text_color: p.text, major_label_text_color: p.muted,
                  background_fill_color: p.background, background_fill_alpha: 1});
      if (model.border_line_color !== null) model.setv({border_line_color: p.grid});
    } else if (Widget && model instanceof Widget) {  // Slider, buttons, Div: see restyleWidgetViews
      if (has(model, "bar_color")) {
        if (!lightBar.has(model)) lightBar.set(model, model.bar_color);
        const bar = p.dark ? p.border : lightBar.get(model);
        if (model.bar_color !== bar) model.setv({bar_color: bar});
      }
    } else if (has(model, "text_color") && has(model, "text") && !model.tags.includes("keep-color")) {
      model.setv({text_color: p.text});  // Title, Label
    }
  }

  const lightBar = new WeakMap();  // 滑块原来（亮色）的 bar_color

  // 控件（滑块、按钮组、读数 Div）画在 Bokeh 的 shadow DOM 里，页面 CSS 够不着：暗色时往每个
  // 控件的 shadow root 里放一张样式表，亮色时清空它（回到 Bokeh 自带的亮色外观）。不改模型的
  // stylesheets 属性：那会让 Bokeh 重新布局整张图，图的左边缘会留下一条浅色的线。
  function widgetSheet(p) {
    if (!p.dark) return "";
    return `:host { color: ${p.text}; --color: ${p.text}; --background-color: ${p.background};
        --border-color: ${p.border}; --divider-color: ${p.border};
        --default: ${p.surface}; --default-border: ${p.border};
        --default-hover: ${p.border}; --default-hover-border: ${p.muted};
        --default-active: ${p.background}; --default-active-border: ${p.primary}; }
      .bk-btn-default.bk-active { color: ${p.primary}; box-shadow: inset 0 -3px 0 ${p.primary}; }
      .noUi-target { background: ${p.surface}; border-color: ${p.border}; box-shadow: none; }
      .noUi-handle { background: ${p.text}; border-color: ${p.muted}; box-shadow: none; }
      .noUi-handle:before, .noUi-handle:after { background: ${p.muted}; }
      .noUi-tooltip { background: ${p.surface}; color: ${p.text}; border-color: ${p.border}; }`;
  }

  const widgetTypes = new Map();  // "Slider" → 是不是控件

  function isWidgetHost(el) {
    for (const name of el.classList) {
      if (!name.startsWith("bk-")) continue;
      const type = name.slice(3);
      if (!widgetTypes.has(type)) {
        let cls = null;
        try { cls = Bokeh.Models.get(type); } catch (e) { cls = null; }
        widgetTypes.set(type, Boolean(cls && cls.prototype instanceof Widget));
      }
      if (widgetTypes.get(type)) return true;
    }
    return false;
  }

  function* shadowHosts(root) {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) { yield el; yield* shadowHosts(el.shadowRoot); }
    }
  }

  // 返回已画出的控件个数（控件的视图比文档晚出现）
  function restyleWidgetViews(p) {
    if (!Widget) return 0;
    const css = widgetSheet(p);
    let count = 0;
    for (const chart of document.querySelectorAll(".celoss-chart")) {
      for (const host of shadowHosts(chart)) {
        if (!isWidgetHost(host)) continue;
        count++;
        // a Div readout is drawn again (its shadow root emptied) when its text changes; its text
        // colour is inherited from the page anyway, and the next theme switch puts the sheet back
        let sheet = Array.from(host.shadowRoot.children).find((el) => el.matches("style[data-celoss-theme]"));
        if (sheet === undefined) {
          sheet = document.createElement("style");
          sheet.dataset.celossTheme = "";
          host.shadowRoot.append(sheet);
        }
        if (sheet.textContent !== css) sheet.textContent = css;
      }
    }
    return count;
  }

  // BokehJS 在高清画布上先平移半个像素再清空、再画底色，最左一列和最上一行像素只清掉、盖住一半：
  // 换了颜色之后，旧的（亮色的）底色在图的左边和上边留下一条细线。等 Bokeh 重画完，把这一列、
  // 这一行清空（它们本来就只是图的底色，清空后透出的是同色的页面）。
  function clearCanvasEdges() {
    for (const chart of document.querySelectorAll(".celoss-chart")) {
      for (const host of shadowHosts(chart)) {
        for (const canvas of host.shadowRoot.querySelectorAll("canvas")) {
          const ctx = canvas.getContext("2d");
          if (ctx === null) continue;
          ctx.save();
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.clearRect(0, 0, 1, canvas.height);
          ctx.clearRect(0, 0, canvas.width, 1);
          ctx.restore();
        }
      }
    }
  }

  function afterRepaint(task) {  // Bokeh repaints on the next animation frame
    requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(task)));
  }

  // 页面上的控件是否都已着色（还没有 Widget 类时，只有没有控件的页面算完成）
  function widgetsDone(styled) {
    if (!Widget) return document.querySelector(".celoss-chart.celoss-widgets") === null;
    const models = Bokeh.documents.reduce(
        (n, doc) => n + Array.from(doc.all_models).filter((m) => m instanceof Widget).length, 0);
    return styled >= models;
  }

  function apply(all) {
    if (window.Bokeh === undefined) return false;
    if (!Widget) {
      try { Widget = Bokeh.Models.get("Widget") || null; } catch (e) { Widget = null; }
    }
    const p = palette();
    for (const doc of Bokeh.documents) {
      if (!all && done.has(doc)) continue;
      done.add(doc);
      for (const model of doc.all_models) restyle(model, p);
    }
    return widgetsDone(restyleWidgetViews(p));
  }

  // 图表是异步嵌入的：每出现一个新文档就着色，全部文档和控件都出现后停止
  let tries = 0;
  const timer = setInterval(() => {
    const styled = apply(false);
    const charts = document.querySelectorAll(".celoss-chart").length;
    const ready = document.readyState === "complete" && window.Bokeh !== undefined &&
                  Bokeh.documents.length >= charts && styled;
    if (ready || ++tries > 300) {
      clearInterval(timer);
      afterRepaint(clearCanvasEdges);
    }
  }, 50);
  new MutationObserver(() => { apply(true); afterRepaint(clearCanvasEdges); }).observe(document.documentElement, {
    attributes: true, attributeFilter: ["data-theme"],
  });
})();
