// 【字体：大 中 小】, 关怀模式 (elder mode) and 高对比度 (high contrast), remembered across pages
// (assets/gongkai-prefs.js applies them before the first paint), and 打印. No pop-ups, keyboard
// friendly (buttons). 关怀模式 brings high contrast with it; leaving it leaves both.
(function () {
  var root = document.documentElement;
  var keys = { care: "gkCare", contrast: "gkContrast" };
  function remember(name, value) {
    try {
      if (value) localStorage.setItem(name, value);
      else localStorage.removeItem(name);
    } catch (e) { /* private mode: not remembered */ }
  }
  function mark() {
    var size = root.dataset.gkFont || "medium";
    // Only the buttons: <html> carries data-gk-font too, and aria-pressed is not allowed there.
    document.querySelectorAll("button[data-gk-font]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-gk-font") === size));
    });
    document.querySelectorAll("button[data-gk-mode]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(root.dataset[keys[b.getAttribute("data-gk-mode")]] === "on"));
    });
  }
  function setMode(mode, on) {
    if (on) root.dataset[keys[mode]] = "on";
    else delete root.dataset[keys[mode]];
    remember("gk-" + mode, on ? "on" : null);
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-gk-font],button[data-gk-mode],[data-gk-print]");
    if (!button) return;
    var mode = button.getAttribute("data-gk-mode");
    if (button.hasAttribute("data-gk-print")) window.print();
    else if (mode && keys[mode]) {
      var on = button.getAttribute("aria-pressed") !== "true";
      setMode(mode, on);
      if (mode === "care") setMode("contrast", on);
    } else {
      root.dataset.gkFont = button.getAttribute("data-gk-font");
      remember("gk-font", root.dataset.gkFont);
    }
    mark();
  });
  mark();
})();

// The navigation drawer on small screens (and at 400 % zoom): mkdocs-material opens it with a
// <label> for a hidden checkbox, which the keyboard cannot reach (and a label may not be a button).
// A real button takes the label's place: Tab reaches it, Enter and Space open the drawer, Escape
// closes it; the closed drawer is out of the tab order (gongkai.css, "a11y"). Without scripts the
// label still opens it for the mouse.
(function () {
  var drawer = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var sidebar = document.querySelector(".md-sidebar--primary");
  if (!drawer || !label) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = label.className + " gk-menu";
  button.setAttribute("aria-label", label.getAttribute("aria-label") || "打开导航");
  button.innerHTML = label.innerHTML;  // the menu icon, from the page's own markup
  if (sidebar) {
    sidebar.id = sidebar.id || "gk-drawer";
    button.setAttribute("aria-controls", sidebar.id);
  }
  label.hidden = true;
  label.parentNode.insertBefore(button, label);
  // A close button at the top of the drawer, where focus goes when it opens.
  var close = document.createElement("button");
  close.type = "button";
  close.className = "gk-drawer-close";
  close.textContent = "关闭导航";
  if (sidebar) sidebar.insertBefore(close, sidebar.firstChild);
  // While the drawer covers the page, the page behind it is inert: Tab stays in the drawer, as
  // the overlay keeps the mouse out.
  var narrow = window.matchMedia("(max-width: 76.234375em)");
  var behind = ".gk-skip, [data-md-component=announce], .md-header, " +
    ".md-main__inner > :not(.md-sidebar--primary), .md-footer";
  function sync() {
    var open = drawer.checked && narrow.matches;
    button.setAttribute("aria-expanded", String(open));
    document.querySelectorAll(behind).forEach(function (element) { element.inert = open; });
    if (open) close.focus();
    else if (sidebar && sidebar.contains(document.activeElement)) button.focus();
  }
  function shut() {
    if (drawer.checked) drawer.click();
  }
  button.addEventListener("click", function () { drawer.click(); });
  close.addEventListener("click", shut);
  drawer.addEventListener("change", sync);
  narrow.addEventListener("change", sync);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked && narrow.matches) {
      shut();
      button.focus();
    }
  });
  sync();
})();

// The sidebar's section toggles (theme/partials/nav-item.html): the checkbox is the control;
// aria-expanded follows it, and Enter toggles it as Space does.
(function () {
  document.querySelectorAll(".gk-nav-toggle").forEach(function (toggle) {
    toggle.addEventListener("change", function () {
      toggle.setAttribute("aria-expanded", String(toggle.checked));
    });
    toggle.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      toggle.click();
    });
  });
})();
