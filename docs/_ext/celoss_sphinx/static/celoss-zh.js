// celoss：主题与搜索页说中文；搜索摘要只取正文（见 docs/_ext/celoss_sphinx/theme_zh.py）。
"use strict";
(() => {
  const found = "搜索完成，找到 ${resultCount} 个相关页面。";
  if (typeof Documentation !== "undefined") {  // a top-level const of doctools.js, not window.Documentation
    // searchtools.js asks with the singular key; the zh_CN catalog only has "page(s)"
    Object.assign(Documentation.TRANSLATIONS, {
      "Search finished, found one page matching the search query.": [found, found],
      "Search finished, found ${resultCount} pages matching the search query.": found,
    });
  }
  const articleText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    const drop = ".headerlink, script, style, .celoss-chart, .cell_input, .toggle-hidden, .copybtn";
    doc.querySelectorAll(drop).forEach((el) => el.remove());
    const article = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!article) return "";
    const block = anchor ? article.querySelector(anchor) : null;
    return (block || article).textContent;
  };
  const patch = () => {
    if (typeof Search !== "undefined") Search.htmlToText = articleText;  // searchtools.js loads later
  };
  patch();
  document.addEventListener("DOMContentLoaded", patch);
})();

// sphinx-togglebutton writes an English label into each toggle button when the page is ready; its
// script loads after this one, so relabel once every DOMContentLoaded handler has run
document.addEventListener("DOMContentLoaded", () => setTimeout(() => {
  document.querySelectorAll('button.toggle-button[aria-label="Toggle hidden content"]').forEach((button) => {
    button.setAttribute("aria-label", "显示或隐藏内容");
  });
}));

// the install command names the site the reader is looking at, wherever it is served from
document.addEventListener("DOMContentLoaded", () => {
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const site = root.href.replace(/\/$/, "");
  document.querySelectorAll(".celoss-install-command pre").forEach((pre) => {
    if (pre.textContent.includes("<本书网址>")) pre.textContent = pre.textContent.replace("<本书网址>", site);
  });
});
