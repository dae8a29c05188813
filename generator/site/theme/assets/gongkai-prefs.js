// The reader's remembered choices, applied before the first paint so that nothing flickers:
// the font size (【字体：大 中 小】), 关怀模式 (elder mode) and 高对比度 (high contrast). Loaded in
// the page's head, as a file (Content-Security-Policy forbids inline scripts). The mode buttons
// are shown only when scripts run (data-gk-modes), since without scripts they could do nothing.
(function () {
  var root = document.documentElement;
  root.dataset.gkModes = "";
  try {
    var size = localStorage.getItem("gk-font");
    if (size) root.dataset.gkFont = size;
    if (localStorage.getItem("gk-care") === "on") root.dataset.gkCare = "on";
    if (localStorage.getItem("gk-contrast") === "on") root.dataset.gkContrast = "on";
  } catch (e) { /* private mode: nothing remembered */ }
})();
