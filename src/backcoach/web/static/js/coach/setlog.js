/* What the camera counted, kept on this device until the log is saved:
   sessionStorage "backcoach.setlog.<date>.<exercise>" = {sets: [reps...], faults: [...],
   serious: [share...], form}. Today's log form reads it (fill-log.js). */
(function () {
  "use strict";
  var PREFIX = "backcoach.setlog.";

  function key(day, exercise) { return PREFIX + day + "." + exercise; }

  function read(day, exercise) {
    try {
      var raw = window.sessionStorage.getItem(key(day, exercise));
      return raw ? JSON.parse(raw) : null;
    } catch (e) { return null; }
  }

  function write(day, exercise, value) {
    try { window.sessionStorage.setItem(key(day, exercise), JSON.stringify(value)); } catch (e) { /* private mode: nothing kept */ }
  }

  /* Add one analysed set: {reps, faults, serious_fault_fraction, form}. */
  function addSet(day, exercise, set) {
    var log = read(day, exercise) || { sets: [], faults: [], serious: [], form: "" };
    log.sets.push(set.reps);
    if (set.hold_s != null) (log.holds = log.holds || []).push(set.hold_s);
    (set.faults || []).forEach(function (f) { if (log.faults.indexOf(f) < 0) log.faults.push(f); });
    if (set.serious_fault_fraction != null) log.serious.push([set.reps, set.serious_fault_fraction]);
    if (set.form === "some_faults" || !log.form) log.form = set.form || log.form;
    write(day, exercise, log);
    return log;
  }

  function clear(day, exercise) {
    try { window.sessionStorage.removeItem(key(day, exercise)); } catch (e) { /* nothing to do */ }
  }

  /* Share of all counted repetitions with a serious fault, or null. */
  function seriousShare(log) {
    if (!log || !log.serious || !log.serious.length) return null;
    var n = 0, bad = 0;
    log.serious.forEach(function (p) { n += p[0]; bad += p[0] * p[1]; });
    return n ? Math.round(100 * bad / n) / 100 : null;
  }

  window.BackcoachSetLog = { read: read, addSet: addSet, clear: clear, seriousShare: seriousShare };
})();
