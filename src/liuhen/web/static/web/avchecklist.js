/* The 音像记录事项清单 in the upload panel. Without this file the panel lists every activity's items in a
   closed <details>; with it, choosing 执法环节 shows that activity's items alone (open), an activity the
   regulation lists nothing for hides the list, and no choice restores the whole of it, closed. */
(function () {
  "use strict";
  var box = document.querySelector("[data-av-checklist]");
  var select = document.querySelector('#panel-media select[name="activity"]');
  if (!box || !select) return;
  var details = box.querySelector("details");
  var summary = details.querySelector("summary");
  var allText = summary.textContent;
  var sections = box.querySelectorAll("[data-activity]");

  function show() {
    var chosen = select.value;
    var found = null;
    sections.forEach(function (s) {
      var match = !chosen || s.getAttribute("data-activity") === chosen;
      s.hidden = !match;
      if (chosen && match) found = s;
    });
    box.hidden = Boolean(chosen) && !found;
    details.open = Boolean(found);
    summary.textContent = found ? "本环节应重点记录：" + found.getAttribute("data-title") : allText;
  }

  select.addEventListener("change", show);
  show();
})();
