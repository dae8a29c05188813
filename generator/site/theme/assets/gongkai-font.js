// The remembered font size (【字体:大 中 小】), applied before the first paint so that it never
// flickers: loaded in the page's head, as a file (Content-Security-Policy forbids inline scripts).
try {
  var size = localStorage.getItem("gk-font");
  if (size) document.documentElement.dataset.gkFont = size;
} catch (e) { /* private mode: nothing remembered */ }
