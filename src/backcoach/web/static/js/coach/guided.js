/* The guided session: one exercise at a time, big controls, left/right counting for
   per-side exercises, hold and rest timers, spoken prompts, and each finished set kept
   for today's log (BackcoachSetLog), which the person checks and saves on Today. */
(function () {
  "use strict";
  var root = document.getElementById("guided");
  if (!root) return;
  var day = root.getAttribute("data-day");
  var restS = parseInt(root.getAttribute("data-rest") || "60", 10);
  var announce = root.querySelector("[data-announce]");
  var muted = false;
  try { muted = window.localStorage.getItem("backcoach.muted") === "1"; } catch (e) { /* sound on */ }
  var muteBtn = root.querySelector("[data-mute]");
  function showMute() { muteBtn.setAttribute("aria-pressed", muted ? "true" : "false"); muteBtn.textContent = muted ? "Sound off" : "Sound on"; }
  muteBtn.addEventListener("click", function () {
    muted = !muted;
    try { window.localStorage.setItem("backcoach.muted", muted ? "1" : "0"); } catch (e) { /* not kept */ }
    if (muted && window.speechSynthesis) window.speechSynthesis.cancel();
    showMute();
  });
  showMute();
  function say(text) {
    if (announce) announce.textContent = text;
    if (muted || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new window.SpeechSynthesisUtterance(text));
  }

  var steps = Array.prototype.slice.call(root.querySelectorAll("[data-step]"));
  function show(i) {
    steps.forEach(function (s, k) { s.hidden = k !== i; });
    var s = steps[i];
    s.querySelector("h2").focus && s.querySelector("h2").setAttribute("tabindex", "-1");
    s.querySelector("h2").focus();
    say(s.getAttribute("data-name") + ". " + s.querySelector(".dose").textContent);
  }

  steps.forEach(function (step, i) {
    var st = { set: 1, side: "left", counts: { left: 0, right: 0 }, timer: null };
    var sets = parseInt(step.getAttribute("data-sets"), 10) || 1;
    var target = parseInt(step.getAttribute("data-reps") || "0", 10) || 0;
    var hold = parseFloat(step.getAttribute("data-hold") || "0") || 0;
    var perSide = step.getAttribute("data-per-side") === "yes";
    var q = function (sel) { return step.querySelector(sel); };
    var countEl = q("[data-rep-count]");
    function render() {
      if (countEl) countEl.textContent = String(st.counts[st.side]);
      var lab = q("[data-side-label]");
      if (lab) lab.textContent = "(" + st.side + ")";
      q("[data-set]").textContent = String(st.set);
      Array.prototype.forEach.call(step.querySelectorAll("[data-side]"), function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-side") === st.side ? "true" : "false");
      });
    }
    Array.prototype.forEach.call(step.querySelectorAll("[data-side]"), function (b) {
      b.addEventListener("click", function () { st.side = b.getAttribute("data-side"); render(); say(st.side + " side"); });
    });
    if (q("[data-rep-plus]")) {
      q("[data-rep-plus]").addEventListener("click", function () {
        st.counts[st.side] += 1; render();
        var n = st.counts[st.side];
        say(target && n >= target ? n + ". That is the set." + (perSide && st.side === "left" ? " Now the right side." : "") : String(n));
        if (perSide && st.side === "left" && target && n >= target) { st.side = "right"; render(); }
      });
      q("[data-rep-minus]").addEventListener("click", function () { st.counts[st.side] = Math.max(0, st.counts[st.side] - 1); render(); });
    }
    var holdBtn = q("[data-hold-start]"), holdDisp = q("[data-hold-display]");
    if (holdBtn) holdBtn.addEventListener("click", function () {
      if (st.timer) return;
      var left = hold;
      say("Hold");
      holdDisp.textContent = left + " s";
      st.timer = window.setInterval(function () {
        left -= 1;
        holdDisp.textContent = Math.max(0, left) + " s";
        if (left <= 0) {
          window.clearInterval(st.timer); st.timer = null;
          holdDisp.textContent = hold + " s";
          say(target ? "And lower, slowly." : "Well done. Rest.");
          if (!target) { st.counts[st.side] = hold; }
        }
      }, 1000);
    });
    var restBox = q("[data-rest-box]"), restDisp = q("[data-rest-display]");
    var restTimer = null;
    function endRest() {
      if (restTimer) window.clearInterval(restTimer);
      restTimer = null; restBox.hidden = true;
      if (st.set <= sets) say("Set " + st.set + ". Go when you are ready.");
    }
    q("[data-rest-skip]").addEventListener("click", endRest);
    q("[data-set-done]").addEventListener("click", function () {
      // per-side: the set counts the repetitions both sides reached (the smaller number)
      var reps = target ? (perSide ? Math.min(st.counts.left, st.counts.right) : st.counts.left) : null;
      var entry = target ? { reps: reps, faults: [], form: "" } : { reps: null, hold_s: hold, faults: [], form: "" };
      if (target && !reps) { say("No repetitions counted in this set yet."); return; }
      var log = window.BackcoachSetLog.addSet(day, step.getAttribute("data-exercise"), entry);
      var done = q("[data-step-logged]");
      done.hidden = false;
      done.textContent = "Kept for today's log: " + log.sets.length + " set" + (log.sets.length > 1 ? "s" : "") +
        (target ? " (" + log.sets.join(", ") + " repetitions)" : "") + ".";
      st.counts = { left: 0, right: 0 }; st.side = "left"; st.set += 1;
      render();
      if (st.set > sets) { say("That exercise is done."); return; }
      var left = restS;
      restBox.hidden = false; restDisp.textContent = left + " s";
      say("Rest " + restS + " seconds.");
      restTimer = window.setInterval(function () {
        left -= 1; restDisp.textContent = left + " s";
        if (left <= 0) endRest();
      }, 1000);
    });
    if (q("[data-next]")) q("[data-next]").addEventListener("click", function () { show(i + 1); });
    if (q("[data-prev]")) q("[data-prev]").addEventListener("click", function () { show(i - 1); });
    render();
  });
})();
