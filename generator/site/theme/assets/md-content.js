// mkdocs-material's inline script from partials/javascripts/content.html, as a file
// (Content-Security-Policy).
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
