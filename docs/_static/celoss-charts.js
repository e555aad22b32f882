// celoss 图表跟随主题的明暗切换：从主题的 CSS 变量取色，切换时无需重新加载页面。
// 不轮询：每张图表画完时自己发出 celoss:chart-ready 事件（celoss.charts 的 js/ready.js），
// 主题切换由 MutationObserver 看着 <html data-theme>。
(function () {
  "use strict";

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
  const widgetClass = () => {
    try { return Bokeh.Models.get("Widget") || null; } catch (e) { return null; }  // needs bokeh-widgets
  };

  // 模型自己写明的暗色属性（celoss.charts._style.dark：tags 里的 {dark: {...}}），例如强调色的文字
  // 在暗色下换成对比度够的浅紫色；切回亮色时还原成第一次见到时（亮色）的值。
  const lightValues = new WeakMap();
  function darkProps(model) {
    const tag = (model.tags || []).find((t) => t !== null && typeof t === "object" && "dark" in t);
    return tag === undefined ? null : tag.dark;
  }

  const lightBar = new WeakMap();  // 滑块原来（亮色）的 bar_color

  function restyle(model, p, Widget) {
    const own = darkProps(model);
    if (own !== null && !lightValues.has(model)) {  // before anything below changes them
      lightValues.set(model, Object.fromEntries(Object.keys(own).map((k) => [k, model[k]])));
    }
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
    } else if (has(model, "text_color") && has(model, "text")) {
      model.setv({text_color: p.text});  // Title, Label
    }
    if (own !== null) model.setv(p.dark ? own : lightValues.get(model));  // the model's own colours win
  }

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

  function isWidgetHost(el, Widget) {
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

  function restyleWidgetViews(p, Widget) {
    if (!Widget) return;
    const css = widgetSheet(p);
    for (const chart of document.querySelectorAll(".celoss-chart")) {
      for (const host of shadowHosts(chart)) {
        if (!isWidgetHost(host, Widget)) continue;
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

  function style(documents) {
    if (window.Bokeh === undefined) return;
    const p = palette();
    const Widget = widgetClass();
    for (const doc of documents) {
      for (const model of doc.all_models) restyle(model, p, Widget);
    }
    restyleWidgetViews(p, Widget);
    afterRepaint(clearCanvasEdges);
    document.documentElement.dataset.celossCharts = p.dark ? "dark" : "light";  // for tests: styled
  }

  // 一张图表画完：给它配色（它的文档此时已在 Bokeh.documents 里，控件的视图也已画出）
  document.addEventListener("celoss:chart-ready", (event) => style([event.detail.document]));
  // 主题切换：重新给所有图表配色
  new MutationObserver(() => style(window.Bokeh ? Bokeh.documents : [])).observe(document.documentElement, {
    attributes: true, attributeFilter: ["data-theme"],
  });
})();
