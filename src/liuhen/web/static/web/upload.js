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
      onError: function (error) {
        var body = error.originalResponse ? error.originalResponse.getBody() : String(error);
        status.textContent = "上传失败：" + body;
        status.className = "err";
        pause.disabled = true;
        start.disabled = false;
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
