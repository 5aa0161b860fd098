/* The 音像记录事项清单 and the 执法行为用语指引 in the upload panel. Without this file the panel lists every
   activity's items in a closed <details>; with it, choosing 执法环节 shows that activity's items alone
   (open), an activity the regulation lists nothing for hides the list, and no choice restores the whole
   of it, closed. Each box names what it shows for one activity in data-chosen-label. */
(function () {
  "use strict";
  var select = document.querySelector('#panel-media select[name="activity"], #upload-activity');
  if (!select) return;
  document.querySelectorAll("[data-av-checklist]").forEach(function (box) {
    var details = box.querySelector("details");
    var summary = details.querySelector("summary");
    var allText = summary.textContent;
    var chosenLabel = box.getAttribute("data-chosen-label") || "本环节应重点记录：";
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
      summary.textContent = found ? chosenLabel + found.getAttribute("data-title") : allText;
    }

    select.addEventListener("change", show);
    show();
  });
})();
