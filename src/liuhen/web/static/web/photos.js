/* Phone photos of fingerprints, seals and signed pages are several megabytes; the server takes images
 * up to a limit (LIUHEN_MAX_SIGNATURE_IMAGE_BYTES, 2 MiB by default) so that the case file does not
 * fill with camera originals. When a photo is chosen, an image over the limit named in the input's
 * data-max-bytes, or larger than data-max-side px on a side (2000 by default; 3000 for a signed page,
 * which must stay legible), is redrawn at that size as a JPEG and put back into the input, so an
 * officer never has to retake a photo to get it accepted.
 * A file the browser cannot read as an image is left as it is (the server then says why).
 * No inline script (the CSP forbids it): this file finds its inputs by [data-shrink].
 */
(function () {
  "use strict";

  var QUALITY = 0.85;

  function load(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      img.src = url;
    });
  }

  function redraw(img, name, maxSide) {
    var scale = Math.min(1, maxSide / Math.max(img.naturalWidth, img.naturalHeight));
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(img.naturalWidth * scale);
    canvas.height = Math.round(img.naturalHeight * scale);
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff"; // JPEG has no transparency: a transparent PNG becomes white, not black
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(function (blob) {
        resolve(new File([blob], name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" }));
      }, "image/jpeg", QUALITY);
    });
  }

  function shrink(input) {
    var file = input.files && input.files[0];
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10) || 2097152;
    var maxSide = parseInt(input.getAttribute("data-max-side"), 10) || 2000;
    if (!file || !/^image\/(jpeg|png)$/.test(file.type)) {
      return;
    }
    input.setAttribute("data-shrinking", "1");
    load(file)
      .then(function (img) {
        var big = Math.max(img.naturalWidth, img.naturalHeight) > maxSide;
        return file.size > limit || big ? redraw(img, file.name, maxSide) : null;
      })
      .then(function (smaller) {
        if (smaller) {
          var list = new DataTransfer();
          list.items.add(smaller);
          input.files = list.files;
        }
      })
      .catch(function () { /* left as it is: the server explains */ })
      .then(function () { input.removeAttribute("data-shrinking"); });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-shrink]")) {
      shrink(event.target);
    }
  });

  // a form whose photo is still being redrawn waits for it (a fast tap on 记录签名 right after the photo)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.querySelector("input[data-shrinking]")) {
      event.preventDefault();
      var retry = setInterval(function () {
        if (!form.querySelector("input[data-shrinking]")) {
          clearInterval(retry);
          form.requestSubmit(event.submitter || undefined);
        }
      }, 50);
    }
  }, true);
})();
