/* Today: fill the log form from what the camera counted (still editable before saving). */
(function () {
  "use strict";
  function fill() {
    var form = document.getElementById("log-form");
    if (!form || !window.BackcoachSetLog) return;
    var day = form.getAttribute("data-day");
    var cards = form.querySelectorAll(".exercise-card[data-exercise]");
    Array.prototype.forEach.call(cards, function (card) {
      var i = card.getAttribute("data-index");
      var log = window.BackcoachSetLog.read(day, card.getAttribute("data-exercise"));
      if (!log || !log.sets.length) return;
      var set = function (name, value) {
        var el = form.querySelector('[name="ex' + i + "_" + name + '"]');
        if (el && value != null) el.value = value;
      };
      set("sets", log.sets.length);
      var counted = log.sets.filter(function (n) { return n != null; });
      if (counted.length) set("reps", counted.join(","));
      if (log.holds && log.holds.length) set("holds", log.holds.join(","));
      set("faults", log.faults.join(","));
      var share = window.BackcoachSetLog.seriousShare(log);
      set("serious", share == null ? "" : share);
      if (log.form) {
        var radio = form.querySelector('input[name="ex' + i + '_form"][value="' + log.form + '"]');
        var chosen = form.querySelector('input[name="ex' + i + '_form"]:checked');
        if (radio && !chosen) radio.checked = true;
      }
      var note = card.querySelector("[data-camera-note]");
      if (note) {
        note.hidden = false;
        note.querySelector("span").textContent = "Filled in from the camera or the guided session: " + log.sets.length + " set(s)" +
          (counted.length ? " of " + counted.join(", ") + " repetitions" : "") + (log.faults.length ? "; mistakes seen: " + log.faults.join(", ").replace(/_/g, " ") : "") +
          ". Check it and change anything that is not right before you save.";
        var btn = note.querySelector("button");
        if (btn) btn.onclick = function () {
          window.BackcoachSetLog.clear(day, card.getAttribute("data-exercise"));
          ["sets", "reps", "faults", "serious"].forEach(function (n) { set(n, ""); });
          note.hidden = true;
        };
      }
    });
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(cards, function (card) {
        // once saved, the camera's counts are in the log; the next visit starts afresh
        window.BackcoachSetLog.clear(day, card.getAttribute("data-exercise"));
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill); else fill();
})();
