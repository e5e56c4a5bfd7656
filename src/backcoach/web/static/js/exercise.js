/* backcoach exercise cards: keyframe figure animation, hold timer, rep counter.
   Plain JavaScript, no dependencies. Everything also works without it: the
   log form is an ordinary HTML form. */
(function () {
  "use strict";

  var BONES = [
    ["head", "shoulder"], ["shoulder", "elbow"], ["elbow", "wrist"],
    ["shoulder", "hip"], ["hip", "knee"], ["knee", "ankle"], ["ankle", "toe"]
  ];
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function lerp(a, b, f) { return a + (b - a) * f; }
  function ease(f) { return 0.5 - 0.5 * Math.cos(Math.PI * f); }

  function poseAt(frames, t) {
    if (frames.length === 1) return frames[0].joints;
    var i = 0;
    while (i < frames.length - 1 && frames[i + 1].t <= t) i++;
    var a = frames[i], b = frames[Math.min(i + 1, frames.length - 1)];
    if (a === b || b.t === a.t) return a.joints;
    var f = ease((t - a.t) / (b.t - a.t));
    var out = {};
    Object.keys(a.joints).forEach(function (k) {
      var pb = b.joints[k] || a.joints[k];
      out[k] = [lerp(a.joints[k][0], pb[0], f), lerp(a.joints[k][1], pb[1], f)];
    });
    return out;
  }

  function bounds(frames) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    frames.forEach(function (fr) {
      Object.keys(fr.joints).forEach(function (k) {
        var p = fr.joints[k];
        minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
        minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
      });
    });
    return { minX: minX, minY: minY, maxX: maxX, maxY: maxY };
  }

  function Figure(canvas) {
    var data;
    try { data = JSON.parse(canvas.getAttribute("data-keyframes") || "[]"); } catch (e) { data = []; }
    this.frames = data.filter(function (f) { return f && f.joints; }).sort(function (a, b) { return a.t - b.t; });
    if (this.frames.length && this.frames[this.frames.length - 1].t < 1) {
      this.frames.push({ t: 1, joints: this.frames[0].joints });
    }
    this.canvas = canvas;
    this.yUp = canvas.getAttribute("data-y-up") === "true";
    this.period = parseFloat(canvas.getAttribute("data-period") || "4") * 1000;
    this.playing = !reduceMotion;
    this.start = null;
    this.b = this.frames.length ? bounds(this.frames) : null;
  }

  Figure.prototype.draw = function (t) {
    var c = this.canvas, ctx = c.getContext("2d");
    var dpr = window.devicePixelRatio || 1;
    var w = c.clientWidth || 300, h = c.clientHeight || 180;
    if (c.width !== Math.round(w * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!this.b) return;
    var b = this.b, pad = 18;
    var sx = (w - 2 * pad) / Math.max(b.maxX - b.minX, 1e-6);
    var sy = (h - 2 * pad - 10) / Math.max(b.maxY - b.minY, 1e-6);
    var s = Math.min(sx, sy);
    var ox = (w - s * (b.maxX - b.minX)) / 2, oy = (h - 10 - s * (b.maxY - b.minY)) / 2;
    var yUp = this.yUp;
    function P(p) {
      var y = yUp ? (b.maxY - p[1]) : (p[1] - b.minY);
      return [ox + (p[0] - b.minX) * s, oy + y * s];
    }
    var floorY = oy + s * (b.maxY - b.minY) + 6;
    ctx.strokeStyle = "#8c95a3"; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(8, floorY); ctx.lineTo(w - 8, floorY); ctx.stroke();
    var pose = poseAt(this.frames, t);
    ctx.lineCap = "round"; ctx.lineJoin = "round";
    [["_far", "#9fb3c8", 7], ["", "#1d3557", 9]].forEach(function (layer) {
      ctx.strokeStyle = layer[1]; ctx.lineWidth = layer[2];
      BONES.forEach(function (bone) {
        var a = pose[bone[0] + layer[0]] || (layer[0] && bone[0] === "head" ? pose.head : null);
        var z = pose[bone[1] + layer[0]] || (layer[0] && bone[1] === "shoulder" ? pose.shoulder : null) || (layer[0] && bone[1] === "hip" ? pose.hip : null);
        if (bone[0] === "shoulder" && bone[1] === "hip" && layer[0]) { a = pose.shoulder_far; z = pose.hip_far; }
        if (!a || !z) return;
        var pa = P(a), pz = P(z);
        ctx.beginPath(); ctx.moveTo(pa[0], pa[1]); ctx.lineTo(pz[0], pz[1]); ctx.stroke();
      });
    });
    if (pose.hip) {
      var ph = P(pose.hip);
      ctx.fillStyle = "#e76f51"; ctx.beginPath(); ctx.arc(ph[0], ph[1], 7, 0, 2 * Math.PI); ctx.fill();
    }
    if (pose.head) {
      var hd = P(pose.head);
      ctx.fillStyle = "#1d3557"; ctx.beginPath(); ctx.arc(hd[0], hd[1], 11, 0, 2 * Math.PI); ctx.fill();
    }
  };

  Figure.prototype.loop = function (now) {
    if (this.start === null) this.start = now;
    var t = ((now - this.start) % this.period) / this.period;
    this.draw(this.playing ? t : 0.5);
    var self = this;
    if (this.playing) requestAnimationFrame(function (n) { self.loop(n); });
  };

  Figure.prototype.toggle = function () {
    this.playing = !this.playing;
    var self = this;
    if (this.playing) { this.start = null; requestAnimationFrame(function (n) { self.loop(n); }); }
    else this.draw(0.5);
    return this.playing;
  };

  function initFigures() {
    document.querySelectorAll("canvas.figure").forEach(function (canvas) {
      var fig = new Figure(canvas);
      canvas.figure = fig;
      if (fig.playing) requestAnimationFrame(function (n) { fig.loop(n); });
      else fig.draw(0.5);
      var btn = document.querySelector('[data-figure-toggle="' + canvas.id + '"]');
      if (btn) {
        btn.textContent = fig.playing ? "Pause animation" : "Play animation";
        btn.addEventListener("click", function () {
          btn.textContent = fig.toggle() ? "Pause animation" : "Play animation";
        });
      }
      window.addEventListener("resize", function () { if (!fig.playing) fig.draw(0.5); });
    });
  }

  function initTimers() {
    document.querySelectorAll("[data-hold-timer]").forEach(function (box) {
      var secs = parseInt(box.getAttribute("data-hold-timer"), 10) || 10;
      var display = box.querySelector(".timer-display");
      var btn = box.querySelector("button");
      var live = box.querySelector("[aria-live]");
      var id = null, left = secs;
      function show() { display.textContent = left + " s"; }
      show();
      btn.addEventListener("click", function () {
        if (id) { clearInterval(id); id = null; left = secs; show(); btn.textContent = "Start hold"; live.textContent = "Hold stopped."; return; }
        left = secs; show(); btn.textContent = "Stop"; live.textContent = "Hold for " + secs + " seconds.";
        id = setInterval(function () {
          left -= 1; show();
          if (left <= 0) {
            clearInterval(id); id = null; btn.textContent = "Start hold";
            live.textContent = "Done. Relax.";
            box.classList.add("done"); setTimeout(function () { box.classList.remove("done"); }, 1200);
            if (navigator.vibrate) navigator.vibrate(200);
          }
        }, 1000);
      });
    });
  }

  function initCounters() {
    document.querySelectorAll("[data-rep-counter]").forEach(function (box) {
      var target = parseInt(box.getAttribute("data-rep-counter"), 10) || 0;
      var out = box.querySelector(".count");
      var live = box.querySelector("[aria-live]");
      var field = document.getElementById(box.getAttribute("data-target-field"));
      var setsField = document.getElementById(box.getAttribute("data-sets-field"));
      var count = 0, sets = [];
      function show() { out.textContent = count + (target ? " / " + target : ""); }
      show();
      box.querySelector("[data-act=plus]").addEventListener("click", function () { count++; show(); live.textContent = count + " repetitions"; });
      box.querySelector("[data-act=minus]").addEventListener("click", function () { if (count > 0) count--; show(); live.textContent = count + " repetitions"; });
      box.querySelector("[data-act=set]").addEventListener("click", function () {
        sets.push(count);
        if (field) field.value = sets.join(",");
        if (setsField) setsField.value = sets.length;
        live.textContent = "Set " + sets.length + " saved with " + count + " repetitions.";
        box.querySelector(".sets").textContent = "Sets so far: " + sets.join(", ");
        count = 0; show();
      });
    });
  }

  function initOnce() {
    // A form is sent once: the button is disabled after the first submit.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initFigures(); initTimers(); initCounters(); initOnce();
  });
})();
