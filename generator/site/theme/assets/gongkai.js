// 【字体:大 中 小】 remembered across pages, and 打印. No pop-ups, keyboard friendly (buttons).
(function () {
  var root = document.documentElement;
  function mark(size) {
    document.querySelectorAll("[data-gk-font]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-gk-font") === size));
    });
  }
  function setSize(size) {
    root.dataset.gkFont = size;
    try { localStorage.setItem("gk-font", size); } catch (e) { /* private mode: not remembered */ }
    mark(size);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-gk-font],[data-gk-print]");
    if (!button) return;
    if (button.hasAttribute("data-gk-print")) window.print();
    else setSize(button.getAttribute("data-gk-font"));
  });
  mark(root.dataset.gkFont || "medium");
})();
