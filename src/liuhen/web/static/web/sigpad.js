/* The signature pad (签名板): the party signs with a finger, stylus or mouse on the officer's device.
 *
 * Pointer events, so touch, pen and mouse are one path; the line is wider where the pen presses harder
 * (PointerEvent.pressure, where the device reports it). Every point is kept as [x, y, t, pressure] in
 * the canvas's own pixels (t in ms from the first touch), so the record holds how the name was
 * written, not only its picture. On submit the form's hidden inputs get the strokes (JSON), the
 * canvas as a PNG (data URL) and, when the browser gives it, where the device was.
 * No inline script (the CSP forbids it): this file finds its pads by [data-sigpad].
 */
(function () {
  "use strict";

  function hiddenInput(form, name) {
    return form.querySelector('input[name$="-' + name + '"]');
  }

  function pressureOf(event) {
    // a mouse reports 0.5 while pressed; touch without a sensor reports 0 (or 1): use the middle
    if (event.pointerType === "mouse" || !event.pressure || event.pressure === 1) {
      return 0.5;
    }
    return event.pressure;
  }

  function Pad(box) {
    this.box = box;
    this.form = box.closest("form");
    this.canvas = box.querySelector("canvas");
    this.ctx = this.canvas.getContext("2d");
    this.status = box.querySelector("[data-sigpad-status]");
    this.strokes = [];
    this.current = null;
    this.start = null;
    this.located = false;
    this.clear();
    this.listen();
    box.hidden = false;
  }

  Pad.prototype.point = function (event) {
    var rect = this.canvas.getBoundingClientRect();
    var x = ((event.clientX - rect.left) * this.canvas.width) / rect.width;
    var y = ((event.clientY - rect.top) * this.canvas.height) / rect.height;
    var t = Math.round(event.timeStamp - this.start);
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10, Math.max(0, t), pressureOf(event)];
  };

  Pad.prototype.segment = function (from, to) {
    var ctx = this.ctx;
    ctx.lineWidth = 1.5 + 5 * to[3];
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  };

  Pad.prototype.listen = function () {
    var pad = this;
    var canvas = this.canvas;
    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      if (pad.start === null) {
        pad.start = event.timeStamp;
        pad.locate();
      }
      var p = pad.point(event);
      pad.current = [p];
      pad.strokes.push(pad.current);
      pad.segment(p, [p[0] + 0.1, p[1] + 0.1, p[2], p[3]]); // a dot for a tap
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!pad.current) {
        return;
      }
      event.preventDefault();
      var events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      (events.length ? events : [event]).forEach(function (e) {
        var p = pad.point(e);
        pad.segment(pad.current[pad.current.length - 1], p);
        pad.current.push(p);
      });
    });
    function end() {
      if (pad.current) {
        pad.current = null;
        pad.status.textContent = "已签名（" + pad.strokes.length + " 笔）";
      }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    this.box.querySelector("[data-sigpad-clear]").addEventListener("click", function () {
      pad.clear();
    });
    this.form.addEventListener("submit", function () {
      pad.fill();
    });
  };

  Pad.prototype.clear = function () {
    this.strokes = [];
    this.current = null;
    this.start = null;
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.ctx.lineCap = "round";
    this.ctx.lineJoin = "round";
    this.ctx.strokeStyle = "#111";
    hiddenInput(this.form, "stroke_png").value = "";
    hiddenInput(this.form, "strokes").value = "";
    this.status.textContent = "请在框内签名";
  };

  Pad.prototype.fill = function () {
    if (!this.strokes.length) {
      return;
    }
    hiddenInput(this.form, "strokes").value = JSON.stringify(this.strokes);
    hiddenInput(this.form, "stroke_png").value = this.canvas.toDataURL("image/png");
  };

  Pad.prototype.locate = function () {
    // Where the signing happened, if the browser may say: asked once, at the first touch; optional.
    var form = this.form;
    if (this.located || !navigator.geolocation) {
      return;
    }
    this.located = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        hiddenInput(form, "latitude").value = position.coords.latitude.toFixed(6);
        hiddenInput(form, "longitude").value = position.coords.longitude.toFixed(6);
        hiddenInput(form, "accuracy_m").value = position.coords.accuracy.toFixed(1);
      },
      function () {},
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
    );
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sigpad]"), function (box) {
      if (!box.sigpad) {
        box.sigpad = new Pad(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
