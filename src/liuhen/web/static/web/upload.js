/* Upload page: labels go in Upload-Metadata, the file goes through tus (resumable), CSRF in a header. */
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var bar = document.getElementById("progress");
  var status = document.getElementById("status");
  var pause = document.getElementById("pause");
  var start = document.getElementById("start");  // disabled while a file is in flight: no double records
  var upload = null;

  function zoned(value) {
    if (!value) return "";
    var d = new Date(value);  // datetime-local is the browser's local time
    return d.toISOString();
  }

  function metadata(data, file) {
    var meta = { filename: file.name, filetype: file.type || "application/octet-stream" };
    if (data.get("case")) meta.case_id = String(data.get("case"));  // the case picker
    var documents = data.getAll("linked_document_ids");  // the document picker's ticks
    if (documents.length) meta.linked_document_ids = documents.join(",");
    ["title", "activity", "device_no", "officers", "location", "late_cause"]
      .forEach(function (k) { if (data.get(k)) meta[k] = String(data.get(k)); });
    ["captured_start", "captured_end", "returned_at"].forEach(function (k) {
      if (data.get(k)) meta[k] = zoned(data.get(k));
    });
    if (data.get("remote_work")) meta.remote_work = "1";
    return meta;
  }

  function parsed(body) {
    try { return JSON.parse(body); } catch (e) { return null; }
  }

  function idUrl(template, id) {  // the data-*-url attributes are reversed with the id 0
    return template.replace(/\/0(\/|$)/, "/" + id + "$1");
  }

  // The case already holds these bytes: say so, and offer to link the existing record to the
  // ticked documents (or, with none ticked, open it on the case page) — nothing is stored twice.
  function offerLink(problem, data) {
    var item = (problem.errors || []).filter(function (e) { return e.media_id; })[0];
    var caseId = data.get("case");
    status.textContent = problem.message;
    status.className = "err";
    if (!item || !caseId) return;
    var documents = data.getAll("linked_document_ids");
    var offer = document.createElement("p");
    offer.className = "duplicate-offer";
    if (documents.length) {
      var link = document.getElementById("duplicate-link");
      link.action = idUrl(form.dataset.linkUrl, item.media_id);
      link.querySelectorAll("input[name=case], input[name=document_ids]")
        .forEach(function (old) { old.remove(); });  // from an earlier duplicate on this page
      [["case", caseId]].concat(documents.map(function (d) { return ["document_ids", d]; }))
        .forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = pair[0];
          input.value = pair[1];
          link.appendChild(input);
        });
      var button = document.createElement("button");
      button.type = "submit";
      button.className = "btn primary";
      button.setAttribute("form", "duplicate-link");
      button.textContent = "关联已有记录到所选文书";
      offer.appendChild(button);
    } else {
      var open = document.createElement("a");
      open.href = idUrl(form.dataset.caseUrl, caseId) + "#media-" + item.media_id;
      open.textContent = "查看已有的音像记录并关联文书";
      offer.appendChild(open);
    }
    status.appendChild(offer);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var file = data.get("file");
    if (!file || !file.size && file.size !== 0) return;
    start.disabled = true;
    status.textContent = "正在上传…";
    status.className = "";
    upload = new tus.Upload(file, {
      endpoint: form.dataset.endpoint,
      headers: { "X-CSRFToken": form.dataset.csrf },
      metadata: metadata(data, file),
      chunkSize: Infinity,
      retryDelays: [0, 1000, 3000, 10000, 30000],
      removeFingerprintOnSuccess: true,
      onShouldRetry: function (error) {  // tus-js-client's own rule, except a duplicate: never retried
        var response = error.originalResponse;
        var code = response ? response.getStatus() : 0;
        if (code === 409 && (parsed(response.getBody()) || {}).error === "duplicate_media") return false;
        var transient = code < 400 || code >= 500 || code === 409 || code === 423;
        return transient && navigator.onLine !== false;
      },
      onError: function (error) {
        var body = error.originalResponse ? error.originalResponse.getBody() : String(error);
        var problem = parsed(body);
        pause.disabled = true;
        start.disabled = false;
        if (problem && problem.error === "duplicate_media") {
          form.elements.file.value = "";
          offerLink(problem, data);
          return;
        }
        status.textContent = "上传失败：" + (problem ? problem.message : body);
        status.className = "err";
      },
      onProgress: function (sent, total) {
        bar.value = total ? Math.floor((sent * 100) / total) : 100;
      },
      onSuccess: function () {
        bar.value = 100;
        pause.disabled = true;
        start.disabled = false;
        form.elements.file.value = "";  // pressing 上传 again must not record the same file twice
        status.textContent = "上传完成，服务器已核验 SHA-256 并入库。";
      },
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
      pause.disabled = false;
    });
  });

  pause.addEventListener("click", function () {
    if (!upload) return;
    if (pause.dataset.paused) {
      upload.start();
      pause.textContent = "暂停";
      delete pause.dataset.paused;
    } else {
      upload.abort();
      pause.textContent = "继续";
      pause.dataset.paused = "1";
    }
  });
})();
