/* The case page's folding sections (details.fold: the timeline, parties and case details). The markup
   leaves them closed, as a phone wants them; on a wide screen they open. A link to a folded part (a
   panel named by 本阶段待办, a record inside the timeline) opens what hides it. A file, not an inline
   script: the CSP forbids those. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 700px)");

  function unfold() {
    if (!wide.matches) return;
    document.querySelectorAll("details.fold").forEach(function (d) { d.open = true; });
  }

  function reveal(hash) {
    var target = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
    }
    target.scrollIntoView();
  }

  unfold();
  if (wide.addEventListener) wide.addEventListener("change", unfold);
  if (location.hash) reveal(location.hash);
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) reveal(link.getAttribute("href"));
  });
})();
