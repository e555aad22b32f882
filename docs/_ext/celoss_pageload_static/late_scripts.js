// The theme's scripts, started once every chart of the page is drawn (see docs/_ext/celoss_pageload.py).
// `%(sources)s` is the ordered list of their addresses (the theme's two bundles are added from
// window.celossLateExtra, set at the end of <body>). Inserted with async = false they still run in
// order; when the last has run, "celoss:theme-ready" is dispatched on document.
(function () {
  var sources = %(sources)s;
  var started = false;
  window.celossLateScripts = true;
  // pydata-sphinx-theme.js turns the mode "auto" into the system's light or dark theme; it now runs
  // after the charts, so do the same here, before the first paint (it sets the same value again later)
  var root = document.documentElement;
  if ((root.dataset.mode || "auto") === "auto") {
    root.dataset.theme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function load() {
    if (started) return;
    started = true;
    // the theme's own bootstrap.js and pydata-sphinx-theme.js, named at the end of <body>
    sources = sources.concat(window.celossLateExtra || []);
    var left = sources.length;
    sources.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = script.onerror = function () {
        if (--left !== 0) return;
        window.celossThemeReady = true;
        document.dispatchEvent(new Event("celoss:theme-ready"));
      };
      document.head.appendChild(script);
    });
  }
  // each chart's embed script registers a promise in celossChartsDrawn (celoss.charts._embed);
  // by DOMContentLoaded every one of them has been parsed
  document.addEventListener("DOMContentLoaded", function () {
    Promise.all(window.celossChartsDrawn || []).then(load, load);
  });
  // should BokehJS never arrive, the page still gets its buttons a moment after it has loaded
  window.addEventListener("load", function () { setTimeout(load, 3000); });
})();
