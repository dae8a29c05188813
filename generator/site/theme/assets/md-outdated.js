// mkdocs-material's inline script from partials/javascripts/outdated.html, as a file
// (Content-Security-Policy); the base address comes from the tag's data-md-base attribute.
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.dataset.mdBase,location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
