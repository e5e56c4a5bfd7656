/* The camera coach page: live coaching (camera -> pose on this device -> landmarks over a
   WebSocket -> count and cue back) and "analyse a video of my set" (on this device, by
   media time, or uploaded). The picture never leaves the device on the live and on-device
   paths; frames are timed by their media time, never by the wall clock. */
(function () {
  "use strict";
  var root = document.getElementById("coach");
  if (!root) return;
  var $ = function (sel) { return root.querySelector(sel); };
  var cfg = {
    exercise: root.getAttribute("data-exercise"),
    name: root.getAttribute("data-name"),
    day: root.getAttribute("data-day"),
    hold: parseFloat(root.getAttribute("data-hold") || "0") || 0,
    target: parseInt(root.getAttribute("data-reps") || "0", 10) || 0,
    perSide: root.getAttribute("data-per-side") === "yes",
    fps: parseFloat(root.getAttribute("data-sample-fps") || "8") || 8,
    csrf: root.getAttribute("data-csrf"),
    todayUrl: root.getAttribute("data-today-url")
  };
  // A slow device can analyse fewer frames of a recorded set (?fps=5) or use the small model (?model=lite).
  var params = new URLSearchParams(window.location.search);
  var fpsParam = parseFloat(params.get("fps") || "");
  if (fpsParam >= 2 && fpsParam <= 15) cfg.fps = fpsParam;
  cfg.model = params.get("model") === "lite" ? 0 : 1;
  var PARTS = { shoulder: [11, 12], hip: [23, 24], knee: [25, 26], ankle: [27, 28], wrist: [15, 16] };
  var PART_NAMES = { shoulder: "shoulders", hip: "hips", knee: "knees", ankle: "feet", wrist: "hands" };

  // ---------------------------------------------------------------- shared bits
  var muted = false;
  try { muted = window.localStorage.getItem("backcoach.muted") === "1"; } catch (e) { /* default: sound on */ }
  var muteBtn = $("[data-mute]");
  function showMute() {
    if (!muteBtn) return;
    muteBtn.setAttribute("aria-pressed", muted ? "true" : "false");
    muteBtn.textContent = muted ? "Sound off" : "Sound on";
  }
  if (muteBtn) muteBtn.addEventListener("click", function () {
    muted = !muted;
    try { window.localStorage.setItem("backcoach.muted", muted ? "1" : "0"); } catch (e) { /* not kept */ }
    if (muted && window.speechSynthesis) window.speechSynthesis.cancel();
    showMute();
  });
  showMute();

  function say(text) {
    if (muted || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    window.speechSynthesis.cancel();
    var u = new window.SpeechSynthesisUtterance(text);
    u.rate = 1.0;
    window.speechSynthesis.speak(u);
  }

  function problem(where, text) {
    var el = $(where);
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
  }

  var estimatorPromise = null;
  function estimator() {
    if (!estimatorPromise) {
      estimatorPromise = window.BackcoachPose.create({ modelComplexity: cfg.model }).then(function (est) {
        root.setAttribute("data-pose-inference", est.inference || "");
        return est;
      }).catch(function (e) {
        estimatorPromise = null;
        throw e;
      });
    }
    return estimatorPromise;
  }

  // ---------------------------------------------------------------- camera set-up check
  /* Whole body in view, and (for exercises counted from the side) the side facing the camera,
     or the feet end for those that can also be filmed from there (rules.views). */
  function setupProblems(frame, rules) {
    if (!frame.landmarks) return ["We cannot see you yet. Step into the picture, lying where you will exercise."];
    var lm = frame.landmarks, out = [];
    var inView = function (i) {
      var p = lm[i];
      return p[3] >= 0.5 && p[0] > 0.01 && p[0] < 0.99 && p[1] > 0.01 && p[1] < 0.99;
    };
    var missing = (rules.required || []).filter(function (part) {
      return !PARTS[part] || !(inView(PARTS[part][0]) || inView(PARTS[part][1]));
    });
    if (missing.length) {
      out.push("Your " + missing.map(function (p) { return PART_NAMES[p] || p; }).join(" and ") +
        " are out of the picture. Move the phone further away so your whole body shows, head to feet.");
    }
    var views = rules.views || [];
    if (views[0] === "side") {
      var w = frame.width, h = frame.height, s = Math.max(w, h);
      var px = function (i) { return [lm[i][0] * w / s, lm[i][1] * h / s]; };
      var dist = function (a, b) { return Math.hypot(a[0] - b[0], a[1] - b[1]); };
      var mid = function (a, b) { return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]; };
      var torso = dist(mid(px(11), px(12)), mid(px(23), px(24)));
      var widths = (dist(px(11), px(12)) + dist(px(23), px(24))) / 2;
      var feetOk = views.indexOf("feet") >= 0;
      var alongBody = torso === 0 || widths / torso >= (rules.feet_view_min_ratio || 1.0);
      // looking along the body, the nearer end is lower in the picture: the feet from the feet end
      var headEnd = alongBody && mid(px(27), px(28))[1] < mid(px(11), px(12))[1];
      var fromFeet = feetOk && alongBody && !headEnd;
      if (headEnd) {
        out.push("The phone is at your head end. Put it at hip height, 2 to 3 metres to your side" +
          (feetOk ? ", or 1 to 1.5 metres beyond your feet, raised and looking along your body towards your head." : "."));
      } else if (torso > 0 && widths / torso > (rules.side_view_max_ratio || 0.4) && !fromFeet) {
        out.push("Turn so that your side faces the camera: put the phone at hip height, level with you, 2 to 3 metres to your side." +
          (feetOk ? " Or, to check whether a hip drops, put it 1 to 1.5 metres beyond your feet, raised and looking along your body." : ""));
      }
    }
    return out;
  }

  function showSetup(list) {
    var box = $("[data-setup]");
    if (!box) return;
    var ul = box.querySelector("ul");
    ul.innerHTML = "";
    if (!list.length) {
      box.classList.add("ok");
      var li = document.createElement("li");
      li.textContent = "The camera can see you well. Start your set.";
      ul.appendChild(li);
      return;
    }
    box.classList.remove("ok");
    list.forEach(function (t) { var li = document.createElement("li"); li.textContent = t; ul.appendChild(li); });
  }

  // ---------------------------------------------------------------- drawing
  var BONES = [[11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24],
               [23, 25], [25, 27], [24, 26], [26, 28], [27, 31], [28, 32]];
  function drawSkeleton(canvas, frame) {
    if (!canvas) return;
    var ctx = canvas.getContext("2d");
    canvas.width = frame.width; canvas.height = frame.height;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!frame.landmarks) return;
    var lm = frame.landmarks;
    ctx.lineWidth = Math.max(2, frame.width / 160);
    ctx.strokeStyle = "#35d07f";
    BONES.forEach(function (b) {
      var a = lm[b[0]], c = lm[b[1]];
      if (a[3] < 0.5 || c[3] < 0.5) return;
      ctx.beginPath(); ctx.moveTo(a[0] * frame.width, a[1] * frame.height); ctx.lineTo(c[0] * frame.width, c[1] * frame.height); ctx.stroke();
    });
  }

  // ---------------------------------------------------------------- live coaching
  var live = {
    count: 0, setStart: 0, ws: null, stream: null, running: false, busy: false, retry: 0, sent: 0, replies: 0,
    lastT: -1, rules: null, faults: [], serious: 0, lastReps: [], closing: false,
    side: "left", sides: { left: 0, right: 0 }  // per-side exercises: this set's count on each side
  };
  var video = $("[data-live-video]");
  var overlay = $("[data-live-overlay]");
  var countEl = $("[data-count]");
  var cueEl = $("[data-cue]");
  var statusEl = $("[data-live-status]");

  function setStatus(text) { if (statusEl) statusEl.textContent = text; root.setAttribute("data-live-state", text); }

  function showCount() {
    var n = cfg.perSide ? live.sides[live.side] : live.count - live.setStart;
    if (countEl) countEl.textContent = cfg.target ? n + " / " + cfg.target : String(n);
    root.setAttribute("data-count", String(n));
    if (!cfg.perSide) return;
    root.setAttribute("data-count-left", String(live.sides.left));
    root.setAttribute("data-count-right", String(live.sides.right));
    root.setAttribute("data-side", live.side);
    var label = $("[data-live-side-label]");
    if (label) label.textContent = "(" + live.side + ")";
    Array.prototype.forEach.call(root.querySelectorAll("[data-live-side]"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-live-side") === live.side ? "true" : "false");
    });
  }

  /* The other side faces the camera now: a fresh analysis (it decides anew which side and
     leg it follows), continuing the total count, so nothing counted is lost. */
  function chooseSide(side, spoken) {
    if (side === live.side) return;
    live.side = side;
    showCount();
    if (spoken) say(spoken);
    if (live.running) {
      var old = live.ws;
      live.ws = null;  // its close is not a dropped connection
      if (old) { try { old.close(1000); } catch (e) { /* already closed */ } }
      connect();
    }
  }
  Array.prototype.forEach.call(root.querySelectorAll("[data-live-side]"), function (b) {
    b.addEventListener("click", function () { chooseSide(b.getAttribute("data-live-side"), b.getAttribute("data-live-side") + " side"); });
  });

  function socketUrl() {
    var proto = window.location.protocol === "https:" ? "wss://" : "ws://";
    return proto + window.location.host + "/ws/live/" + encodeURIComponent(cfg.exercise) +
      "?start=" + live.count + (cfg.hold ? "&hold=" + cfg.hold : "");
  }

  /* A frame as the live socket takes it (web/live.py gives the layout): a 16-byte header, then
     the 33 landmarks' x, y, z, visibility as float32 when a person was found. A quarter of
     the JSON's size, and the server needs no JSON decoder for it. */
  function binaryFrame(frame) {
    var lm = frame.landmarks;
    var buf = new ArrayBuffer(16 + (lm ? 33 * 16 : 0));
    var v = new DataView(buf);
    v.setUint8(0, 1);
    v.setUint8(1, lm ? 1 : 0);
    v.setUint16(2, Math.min(65535, Math.max(1, Math.round(frame.width))), true);
    v.setUint16(4, Math.min(65535, Math.max(1, Math.round(frame.height))), true);
    v.setFloat64(8, frame.t, true);
    if (lm) {
      for (var i = 0; i < 33; i++) {
        for (var j = 0; j < 4; j++) v.setFloat32(16 + 16 * i + 4 * j, lm[i][j], true);
      }
    }
    return buf;
  }

  function connect() {
    var ws = new WebSocket(socketUrl());
    live.ws = ws;
    ws.onopen = function () { live.retry = 0; problem("[data-live-problem]", ""); };
    ws.onmessage = function (ev) {
      if (live.ws !== ws) return;  // a socket we left (a side change): its late answers count for nothing
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.type === "ready") {
        live.rules = msg.setup;
        setStatus("connected");
      } else if (msg.type === "error") {
        live.closing = true;
        problem("[data-live-problem]", msg.message);
        stopLive(true);
      } else if (msg.type === "frame") {
        live.replies += 1;
        root.setAttribute("data-replies", String(live.replies));
        if (msg.reps > live.count) {
          if (cfg.perSide) live.sides[live.side] += msg.reps - live.count;
          live.count = msg.reps;
        }
        showCount();
        if (msg.repetition) onRepetition(msg.repetition);
      }
    };
    ws.onclose = function () {
      if (live.ws !== ws) return;
      live.ws = null;
      if (!live.running || live.closing) return;
      live.retry += 1;
      var wait = Math.min(5000, 500 * Math.pow(2, live.retry - 1));
      setStatus("reconnecting");
      problem("[data-live-problem]", "The connection to backcoach dropped. Reconnecting… your count (" +
        (live.count - live.setStart) + ") is kept.");
      window.setTimeout(function () { if (live.running && !live.ws) connect(); }, wait);
    };
  }

  function onRepetition(rep) {
    if (cueEl) {
      cueEl.textContent = rep.cue;
      cueEl.className = "cue " + (rep.good ? "good" : "fix");
    }
    var n = cfg.perSide ? live.sides[live.side] : live.count - live.setStart;
    live.lastReps.push(rep);
    (rep.faults || []).forEach(function (f) { if (live.faults.indexOf(f) < 0) live.faults.push(f); });
    if (cfg.perSide && live.side === "left" && cfg.target && n >= cfg.target) {
      say(n + ". " + rep.cue + " That is the left side. Turn over and do the right side.");
      chooseSide("right");
      return;
    }
    say(n + ". " + rep.cue);
  }

  function frameLoop() {
    if (!live.running) return;
    var schedule = function () {
      if (!live.running) return;
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(onFrame);
      else window.requestAnimationFrame(function () { onFrame(0, { mediaTime: video.currentTime }); });
    };
    var onFrame = function (_now, meta) {
      if (!live.running) return;
      if (live.busy) { schedule(); return; }
      var t = meta && meta.mediaTime ? meta.mediaTime : video.currentTime;
      if (!(t > live.lastT)) { schedule(); return; }
      live.busy = true;
      estimator().then(function (est) { return est.estimate(video, t); }).then(function (frame) {
        live.lastT = t;
        root.setAttribute("data-landmarks", frame.landmarks ? "found" : "none");
        drawSkeleton(overlay, frame);
        if (live.rules) showSetup(setupProblems(frame, live.rules));
        if (live.ws && live.ws.readyState === 1) {
          live.ws.send(binaryFrame(frame));
          live.sent += 1;
          root.setAttribute("data-sent", String(live.sent));
        }
      }).catch(function (e) {
        problem("[data-live-problem]", e && e.message ? e.message : "The pose model failed on this device.");
      }).then(function () { live.busy = false; schedule(); });
    };
    schedule();
  }

  function cameraMessage(err) {
    var name = err && err.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "The camera is blocked for backcoach. To use live coaching, allow the camera for this site in your " +
        "browser's settings (usually the icon beside the address), then press Start again. You can also analyse a video of your set below.";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") return "No camera was found on this device. You can analyse a video of your set below instead.";
    if (name === "NotReadableError") return "The camera is in use by another app. Close that app, then press Start again.";
    return "The camera could not be started (" + (err && err.message ? err.message : "unknown reason") + ").";
  }

  async function startLive() {
    problem("[data-live-problem]", "");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      problem("[data-live-problem]", "This browser cannot use the camera here. Live coaching needs a secure (https) connection and a recent browser.");
      return;
    }
    setStatus("starting");
    try {
      live.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    } catch (err) {
      setStatus("denied");
      problem("[data-live-problem]", cameraMessage(err));
      return;
    }
    root.setAttribute("data-camera", "on");
    video.srcObject = live.stream;
    video.muted = true;
    await video.play().catch(function () { /* autoplay of a muted camera is allowed */ });
    setStatus("loading the pose model");
    try { await estimator(); } catch (e) { problem("[data-live-problem]", e.message); stopLive(true); return; }
    live.running = true; live.closing = false; live.lastT = -1;
    $("[data-live-start]").hidden = true;
    $("[data-live-stop]").hidden = false;
    $("[data-set-done]").hidden = false;
    connect();
    frameLoop();
  }

  function stopLive(keepMessage) {
    live.running = false;
    live.closing = true;
    if (live.ws) { try { live.ws.close(1000); } catch (e) { /* already closed */ } live.ws = null; }
    if (live.stream) live.stream.getTracks().forEach(function (t) { t.stop(); });
    live.stream = null;
    $("[data-live-start]").hidden = false;
    $("[data-live-stop]").hidden = true;
    if (!keepMessage) setStatus("stopped");
  }

  function setDone() {
    var n = live.count - live.setStart;
    if (n <= 0) { problem("[data-live-problem]", "No repetitions counted in this set yet."); return; }
    if (cfg.perSide) {
      if (!live.sides.left || !live.sides.right) {
        problem("[data-live-problem]", "Do both sides before 'Set done': so far left " + live.sides.left + ", right " +
          live.sides.right + ". Press the side you are working if the count is on the wrong one.");
        return;
      }
      n = Math.min(live.sides.left, live.sides.right);  // as the guided session: what both sides reached
    }
    problem("[data-live-problem]", "");
    var withFaults = live.lastReps.filter(function (r) { return r.faults && r.faults.length; }).length;
    var known = (root.getAttribute("data-known-faults") || "").split(",").filter(Boolean);
    var seriousIds = (root.getAttribute("data-serious-faults") || "").split(",").filter(Boolean);
    var serious = live.lastReps.filter(function (r) { return (r.faults || []).some(function (f) { return seriousIds.indexOf(f) >= 0; }); }).length;
    var log = window.BackcoachSetLog.addSet(cfg.day, cfg.exercise, {
      reps: n, faults: live.faults.filter(function (f) { return known.indexOf(f) >= 0; }),
      serious_fault_fraction: seriousIds.length ? Math.round(100 * serious / (live.lastReps.length || n)) / 100 : null,
      form: withFaults ? "some_faults" : "good"
    });
    live.setStart = live.count; live.lastReps = []; live.faults = [];
    live.sides = { left: 0, right: 0 };
    chooseSide("left");
    showCount();
    showLogged(log);
    say("Set done. Rest now.");
  }

  function showLogged(log) {
    var el = $("[data-logged]");
    if (!el) return;
    el.hidden = false;
    el.querySelector("span").textContent = "Sets counted for today's log: " + log.sets.join(", ") + ".";
  }

  if ($("[data-live-start]")) {
    $("[data-live-start]").addEventListener("click", startLive);
    $("[data-live-stop]").addEventListener("click", function () { stopLive(false); });
    $("[data-set-done]").addEventListener("click", setDone);
  }
  var existing = window.BackcoachSetLog.read(cfg.day, cfg.exercise);
  if (existing && existing.sets.length) showLogged(existing);
  showCount();

  // ---------------------------------------------------------------- recorded set, on this device
  var fileInput = $("[data-file]");
  var progressEl = $("[data-progress]");

  function seek(v, t) {
    return new Promise(function (resolve) {
      var done = function () { v.removeEventListener("seeked", done); resolve(); };
      v.addEventListener("seeked", done);
      v.currentTime = t;
    });
  }

  function loadVideo(file) {
    return new Promise(function (resolve, reject) {
      var v = document.createElement("video");
      v.muted = true; v.playsInline = true; v.preload = "auto";
      v.onloadeddata = function () { resolve(v); };
      v.onerror = function () { reject(new Error("This file could not be played as a video on this device. Choose an MP4, MOV or WebM video, or upload it instead.")); };
      v.src = URL.createObjectURL(file);
    });
  }

  function setProgress(share, text) {
    if (!progressEl) return;
    progressEl.hidden = false;
    progressEl.querySelector("progress").value = share;
    progressEl.querySelector("span").textContent = text;
  }

  async function analyseHere() {
    problem("[data-recorded-problem]", "");
    var file = fileInput.files && fileInput.files[0];
    if (!file) { problem("[data-recorded-problem]", "Choose a video of your set first."); return; }
    var v;
    try { v = await loadVideo(file); } catch (e) { problem("[data-recorded-problem]", e.message); return; }
    var preview = $("[data-recorded-preview]");
    if (preview) { preview.innerHTML = ""; preview.appendChild(v); preview.hidden = false; }
    var duration = v.duration;
    if (!isFinite(duration) || duration <= 0) { problem("[data-recorded-problem]", "This video has no length we can read."); return; }
    setProgress(0, "Loading the pose model…");
    var est;
    try { est = await estimator(); } catch (e) { setProgress(0, ""); problem("[data-recorded-problem]", e.message); return; }
    est.reset();
    var frames = [], step = 1 / cfg.fps, last = -1;
    var seekMs = 0, poseMs = 0;
    for (var t = 0; t < duration; t += step) {
      var t0 = performance.now();
      await seek(v, t);
      var mt = v.currentTime;  // the media time the decoder actually landed on
      var t1 = performance.now();
      seekMs += t1 - t0;
      if (!(mt > last)) continue;
      last = mt;
      var f = await est.estimate(v, mt);
      poseMs += performance.now() - t1;
      frames.push(f);
      root.setAttribute("data-frames", String(frames.length));
      root.setAttribute("data-timing", "seek " + Math.round(seekMs / frames.length) + " ms, pose " + Math.round(poseMs / frames.length) + " ms per frame");
      setProgress(Math.min(1, mt / duration), "Analysed " + mt.toFixed(1) + " of " + duration.toFixed(1) + " seconds");
    }
    est.reset();
    setProgress(1, "Counting…");
    var res = await fetch("/api/coach/landmarks/" + encodeURIComponent(cfg.exercise), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": cfg.csrf },
      body: JSON.stringify({ frames: frames, seconds: duration, hold_s: cfg.hold || null })
    });
    var body = await res.json().catch(function () { return {}; });
    if (!res.ok) { setProgress(0, ""); problem("[data-recorded-problem]", body.detail || "The analysis failed. Please try again."); return; }
    setProgress(1, "Done.");
    showResult(body);
    await keyframes(v, frames, body);
  }

  /* One picture per repetition, at its top, with the skeleton found there (drawn on this device). */
  async function keyframes(v, frames, body) {
    var items = root.querySelectorAll("ol.reps li");
    var reps = (body.result && body.result.repetitions) || [];
    for (var i = 0; i < reps.length && i < items.length; i++) {
      var peak = reps[i].peak_s;
      if (peak == null) continue;
      var best = frames[0];
      frames.forEach(function (f) { if (Math.abs(f.t - peak) < Math.abs(best.t - peak)) best = f; });
      await seek(v, best.t);
      var c = document.createElement("canvas");
      var w = 160, h = Math.round(160 * (v.videoHeight || 9) / (v.videoWidth || 16));
      c.width = w; c.height = h;
      c.className = "rep-keyframe";
      c.setAttribute("role", "img");
      c.setAttribute("aria-label", "Repetition " + (i + 1) + " at its top");
      c.getContext("2d").drawImage(v, 0, 0, w, h);
      var overlay = document.createElement("canvas");
      drawSkeleton(overlay, { width: w, height: h, landmarks: best.landmarks });
      c.getContext("2d").drawImage(overlay, 0, 0);
      items[i].insertBefore(c, items[i].firstChild);
    }
  }

  // ---------------------------------------------------------------- recorded set, uploaded
  async function upload() {
    problem("[data-recorded-problem]", "");
    var file = fileInput.files && fileInput.files[0];
    if (!file) { problem("[data-recorded-problem]", "Choose a video of your set first."); return; }
    var data = new FormData();
    data.append("file", file);
    data.append("exercise_id", cfg.exercise);
    if (cfg.hold) data.append("hold_s", String(cfg.hold));
    data.append("keep", $("[data-keep]") && $("[data-keep]").checked ? "true" : "false");
    setProgress(0, "Uploading…");
    var res = await fetch("/api/videos", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": cfg.csrf }, body: data });
    var body = await res.json().catch(function () { return {}; });
    if (!res.ok) { setProgress(0, ""); problem("[data-recorded-problem]", body.detail || "The upload failed. Please try again."); return; }
    var id = body.id;
    root.setAttribute("data-video-id", String(id));
    while (body.status === "queued" || body.status === "running") {
      setProgress(body.progress || 0, body.status === "queued" ? "Waiting for the analysis to start…" : "Analysing: " + Math.round(100 * (body.progress || 0)) + "%");
      await new Promise(function (r) { window.setTimeout(r, 1000); });
      var poll = await fetch("/api/videos/" + id, { credentials: "same-origin" });
      body = await poll.json().catch(function () { return { status: "failed", error: "The server's answer could not be read." }; });
      if (!poll.ok) { problem("[data-recorded-problem]", body.detail || "The analysis could not be followed."); return; }
    }
    if (body.status === "failed") { setProgress(0, ""); problem("[data-recorded-problem]", body.error); return; }
    setProgress(1, "Done.");
    showResult(body);
    storedKeyframes(body);
  }

  /* The server keeps one annotated picture per repetition of an uploaded video (the video
     itself is deleted): show each beside its cue. */
  function storedKeyframes(body) {
    var items = root.querySelectorAll("ol.reps li");
    (body.keyframes || []).forEach(function (k) {
      var li = items[k.index - 1];
      if (!li) return;
      var img = document.createElement("img");
      img.className = "rep-keyframe";
      img.src = k.url;
      img.width = 160;
      img.height = Math.round(160 * k.height / k.width);
      img.alt = "Repetition " + k.index + " at its top, with the body's outline and any fault drawn";
      li.insertBefore(img, li.firstChild);
    });
  }

  var lastResult = null;
  function showResult(body) {
    lastResult = body;
    var box = $("[data-result]");
    box.hidden = false;
    var r = body.result;
    box.querySelector("[data-result-count]").textContent = String(r.reps);
    root.setAttribute("data-result-reps", String(r.reps));
    var ul = box.querySelector("ol");
    ul.innerHTML = "";
    (body.cues || []).forEach(function (c, i) {
      var li = document.createElement("li");
      var rep = r.repetitions[i] || {};
      li.textContent = "At " + (rep.start_s != null ? rep.start_s.toFixed(1) : "?") + " s: " + c.cue;
      li.className = c.good ? "good" : "fix";
      ul.appendChild(li);
    });
    var warn = box.querySelector("[data-result-warnings]");
    warn.textContent = (r.warnings || []).join(" ");
    warn.hidden = !(r.warnings || []).length;
    if (r.reps === 0) problem("[data-recorded-problem]", "No repetitions were counted in this video.");
  }

  var addBtn = $("[data-add-set]");
  if (addBtn) addBtn.addEventListener("click", function () {
    if (!lastResult || !lastResult.log || !lastResult.log.reps) return;
    var log = window.BackcoachSetLog.addSet(cfg.day, cfg.exercise, lastResult.log);
    showLogged(log);
    $("[data-result]").hidden = true;
  });
  if ($("[data-analyse-here]")) {
    $("[data-analyse-here]").addEventListener("click", function () {
      analyseHere().catch(function (e) { setProgress(0, ""); problem("[data-recorded-problem]", "The analysis stopped: " + (e && e.message ? e.message : e)); });
    });
    $("[data-upload]").addEventListener("click", function () {
      upload().catch(function (e) { problem("[data-recorded-problem]", "The upload stopped: " + (e && e.message ? e.message : e)); });
    });
  }
})();
