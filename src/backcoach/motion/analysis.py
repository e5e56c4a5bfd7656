"""The analysis pipeline: landmarks -> clean signals -> repetitions or holds -> metrics and faults.

`analyze_landmarks` works on a whole recording; `StreamingAnalyzer` takes one frame at a
time (a live camera) and reports each repetition as soon as it ends. Both use the same
checks and the same counters; only the smoothing differs (zero-phase for a recording,
causal for a stream, which cannot look ahead).
"""

from __future__ import annotations

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from .pose import PoseEstimator
    from .video import VideoInfo

import numpy as np

from . import signals as S
from .checks import CheckOptions, ExerciseCheck, get_check
from .config import motion_config
from .errors import NoPersonError, NotVisibleError, UnknownExerciseError, WrongViewError
from .landmarks import N_LANDMARKS, LandmarkFrame, LandmarkSequence, side_landmark
from .recognise import check_posture, recognise_exercise
from .segmentation import HoldTracker, RepetitionCounter, Segment

# Numbers: catalog/motion.yaml (``visibility``, ``view``, ``stream``, ``sampling``).
_CONFIG = motion_config()
MIN_PERSON_FRAMES = _CONFIG.visibility.min_person_frames
MIN_PERSON_SHARE = _CONFIG.visibility.min_person_share  # below this share of frames with a person: nobody there
MIN_VISIBLE_SHARE = _CONFIG.visibility.min_visible_share  # below this share with the needed body parts in view: refuse
WARN_VISIBLE_SHARE = _CONFIG.visibility.warn_visible_share
FRONT_VIEW_REFUSE_RATIO = _CONFIG.view.front_view_refuse_ratio  # a side-view exercise filmed with this width ratio is refused
ORIENTATION_MIN_FRAMES = _CONFIG.view.orientation_min_frames


@dataclass(frozen=True)
class Repetition:
    """One repetition (or one hold) with its measurements and faults."""

    index: int
    start_s: float
    end_s: float
    peak_s: float
    metrics: dict[str, Any]
    faults: list[str]
    complete: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "peak_s": round(self.peak_s, 2),
            "metrics": self.metrics,
            "faults": list(self.faults),
        }


@dataclass
class AnalysisResult:
    exercise: str
    mode: str
    view: str
    repetitions: list[Repetition]
    warnings: list[str]
    frames_analyzed: int
    seconds: float
    side: str = ""
    recognised: bool = False
    options: CheckOptions = field(default_factory=CheckOptions)
    sequence: LandmarkSequence | None = None  # cleaned landmarks, for drawing
    signals: dict[str, np.ndarray] = field(default_factory=dict)
    primary: str = ""
    primary_label: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    video: Any = None  # VideoInfo when the result came from a file (for drawing)

    @property
    def reps(self) -> int:
        return len(self.repetitions)

    @property
    def fault_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rep in self.repetitions:
            for f in rep.faults:
                counts[f] = counts.get(f, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        out = {
            "exercise": self.exercise,
            "reps": self.reps,
            "repetitions": [r.to_dict() for r in self.repetitions],
            "faults": self.fault_counts,
            "view": self.view,
            "warnings": list(self.warnings),
            "frames_analyzed": int(self.frames_analyzed),
            "seconds": round(float(self.seconds), 2),
        }
        sides = [r.metrics.get("side") for r in self.repetitions if r.metrics.get("side")]
        if sides:
            out["per_side"] = {s: sides.count(s) for s in ("left", "right") if s in sides}
        if self.mode == "hold":
            out["hold_s"] = round(sum(r.metrics.get("hold_s", 0.0) for r in self.repetitions), 2)
        if self.recognised:
            out["recognised_exercise"] = True
        if "total_s" in self.timings:
            out["processing_s"] = round(self.timings["total_s"], 2)
        return out


def _as_sequence(landmarks: LandmarkSequence | Iterable[LandmarkFrame]) -> LandmarkSequence:
    if isinstance(landmarks, LandmarkSequence):
        return landmarks
    return LandmarkSequence.from_frames(list(landmarks))


def _repetition(check: ExerciseCheck, sig: dict, t: np.ndarray, seg: Segment, opts: CheckOptions, index: int,
                offset: int = 0) -> Repetition:
    local = Segment(seg.start - offset, seg.peak - offset, seg.end - offset, seg.rest, seg.peak_value, seg.complete)
    metrics = check.rep_metrics(sig, t, local, check)
    faults = check.rep_faults(metrics, check, opts)
    if not seg.complete:  # cut off by the end of the recording: its timing is unknown
        faults = [f for f in faults if f not in TIMING_FAULTS]
    return Repetition(index=index, start_s=float(t[local.start]), end_s=float(t[local.end]),
                      peak_s=float(t[local.peak]), metrics=metrics, faults=faults, complete=seg.complete)


def _hold_segment(sig: dict, check: ExerciseCheck, start: int, end: int) -> Segment:
    primary = sig[check.primary][start : end + 1]
    peak = start + int(np.nanargmax(primary)) if np.isfinite(primary).any() else start
    val = float(sig[check.primary][peak]) if np.isfinite(sig[check.primary][peak]) else float("nan")
    return Segment(start=start, peak=peak, end=end, rest=float("nan"), peak_value=val)


TIMING_FAULTS = ("rushed", "no_hold")

PART_NAMES = {"shoulder": "shoulders", "hip": "hips", "knee": "knees", "ankle": "feet", "wrist": "hands"}


def _visibility(raw: LandmarkSequence, check: ExerciseCheck, warnings: list[str]) -> None:
    """Refuse when the body parts this exercise needs are out of the picture most of the time."""
    person = raw.person_found
    n = int(person.sum())
    missing = []
    for part in check.required:
        idx = [side_landmark(part, "left"), side_landmark(part, "right")]
        seen = S.in_picture(raw, idx).any(axis=1)[person]
        share = float(seen.mean()) if n else 0.0
        if share < MIN_VISIBLE_SHARE:
            missing.append(PART_NAMES[part])
        elif share < WARN_VISIBLE_SHARE:
            warnings.append(f"Your {PART_NAMES[part]} were out of view for {100 * (1 - share):.0f}% of the video; "
                            "results for those moments are less certain.")
    if missing:
        raise NotVisibleError(
            f"Your {' and '.join(missing)} are out of the picture for most of the video, so the "
            f"{check.exercise_id.replace('_', ' ')} cannot be checked. Move the camera back so your whole body "
            "is in view from head to feet, then film again."
        )


def _check_view(view: str, ratio: float, check: ExerciseCheck, warnings: list[str]) -> None:
    if view == "unknown" or view in check.views:
        return
    needed = " or ".join(check.views)
    if check.views == ("side",) and ratio >= FRONT_VIEW_REFUSE_RATIO:
        raise WrongViewError(
            f"This {check.exercise_id.replace('_', ' ')} was filmed from the front or the feet, but it can only be "
            f"checked from the {needed}. Put the camera at hip height, level with your body, about 2-3 m to your side."
        )
    warnings.append(f"The camera angle looks more like a {view} view than a {needed} view; "
                    "angles may be less accurate.")


def _check_orientation(cleaned: LandmarkSequence, check: ExerciseCheck, sig: dict) -> None:
    """A lying exercise seen with the body upright or upside down: the picture is turned
    (no rotation setting in the file) or the person is not doing this exercise."""
    name = check.exercise_id.replace("_", " ")
    if check.max_trunk_incline_deg is not None:
        if S.upright_share(cleaned) >= S.UPRIGHT_SHARE:
            raise WrongViewError(
                f"The body looks upright in this video, but a {name} is done lying down. If you were lying down, "
                "the video is turned on its side: record it again holding the phone the other way, or turn the file upright."
            )
    if check.family == "bridge":
        knee_up = np.fmin(S.point(cleaned, "knee", "left")[:, 1], S.point(cleaned, "knee", "right")[:, 1])
        hips = np.fmax(S.point(cleaned, "hip", "left")[:, 1], S.point(cleaned, "hip", "right")[:, 1])
        feet = np.fmax(S.point(cleaned, "ankle", "left")[:, 1], S.point(cleaned, "ankle", "right")[:, 1])
        with np.errstate(invalid="ignore"):
            # in a bridge the knees point to the ceiling; upside down they point to the bottom of the picture
            flipped = (knee_up > hips) & (knee_up > feet)
        finite = np.isfinite(knee_up) & np.isfinite(hips) & np.isfinite(feet)
        if finite.sum() >= ORIENTATION_MIN_FRAMES and float(np.mean(flipped[finite])) >= S.UPRIGHT_SHARE:
            raise WrongViewError(
                f"The video appears to be upside down (your knees point to the bottom of the picture), so the "
                f"{name} cannot be judged. Turn the video upright, or record it again."
            )


def analyze_landmarks(
    landmarks: LandmarkSequence | Iterable[LandmarkFrame],
    exercise: str,
    options: CheckOptions = CheckOptions(),
    seconds: float | None = None,
) -> AnalysisResult:
    """Count repetitions (or holds) and judge each one, from a whole recording's landmarks."""
    t0 = time.perf_counter()
    raw = _as_sequence(landmarks)
    warnings: list[str] = []
    person = raw.person_found if len(raw) else np.zeros(0, bool)
    if len(raw) == 0 or person.sum() < MIN_PERSON_FRAMES or person.mean() < MIN_PERSON_SHARE:
        raise NoPersonError(
            "No person was found in the video. Make sure your whole body is in the picture, "
            "the room is well lit and the camera is steady, then film again."
        )
    if person.mean() < WARN_VISIBLE_SHARE:
        warnings.append(f"No person was seen in {100 * (1 - person.mean()):.0f}% of the frames.")
    cleaned = S.clean(raw)
    recognised = False
    if exercise == "auto":
        exercise = recognise_exercise(cleaned)
        recognised = True
        warnings.append(f"Exercise recognised from the video as {exercise.replace('_', ' ')}.")
    check = get_check(exercise)
    _visibility(raw, check, warnings)
    view, ratio = S.estimate_view(cleaned)
    _check_view(view, ratio, check, warnings)
    if not recognised:
        check_posture(cleaned, check)
    layout = check.choose_layout(cleaned)
    sig = check.signals(cleaned, layout)
    _check_orientation(cleaned, check, sig)
    late = float(raw.t[person][0] - raw.t[0]) if person.any() else 0.0
    reps = _segment(check, sig, cleaned.t, options, warnings, first_seen_s=float(raw.t[person][0]) if late >= LATE_SIGHT_S else None)
    if not reps:
        warnings.append(_nothing_found(check))
    result = AnalysisResult(
        exercise=exercise, mode=check.mode, view=view, repetitions=reps, warnings=warnings,
        frames_analyzed=int(len(raw)), seconds=seconds if seconds is not None else _span(raw.t),
        side=layout.get("side", ""), recognised=recognised, options=options, sequence=cleaned, signals=sig,
        primary=check.primary, primary_label=check.primary_label,
    )
    result.timings["analysis_s"] = time.perf_counter() - t0
    return result


def _span(t: np.ndarray) -> float:
    return float(t[-1] - t[0]) if len(t) > 1 else 0.0


def _nothing_found(check: ExerciseCheck) -> str:
    if check.mode == "hold":
        return "No hold position was found. Check that the whole body is in view and the exercise matches."
    return ("No repetitions were found: the movement was too small or unclear to count. Check that the exercise "
            "matches and that the camera sees the moving joints.")


def _segment(check: ExerciseCheck, sig: dict, t: np.ndarray, opts: CheckOptions, warnings: list[str],
             first_seen_s: float | None = None) -> list[Repetition]:
    reps: list[Repetition] = []
    if check.mode == "reps":
        counter = RepetitionCounter(check.segmenter)
        for i, x in enumerate(sig[check.primary]):
            seg = counter.update(float(t[i]), float(x))
            if seg is not None:
                reps.append(_repetition(check, sig, t, seg, opts, len(reps) + 1))
        seg = counter.finish()
        if seg is not None:
            reps.append(_repetition(check, sig, t, seg, opts, len(reps) + 1))
            warnings.append("The video ended before the last repetition was lowered; it is counted but its "
                            "timing may be cut short.")
        first = (_repetition_before_first_sight(check, sig[check.primary], t, reps, first_seen_s)
                 if first_seen_s is not None else None)
        if first is not None:
            reps = [_repetition(check, sig, t, first, opts, 1)] + [
                Repetition(r.index + 1, r.start_s, r.end_s, r.peak_s, r.metrics, r.faults, r.complete) for r in reps]
            warnings.append("You were not seen at the very start of the video, already at the top of a repetition; "
                            "it is counted from the moment you were seen.")
        return reps
    tracker = HoldTracker(check.hold)
    inpos = check.in_position(sig, check)
    bouts = []
    for i, flag in enumerate(inpos):
        b = tracker.update(float(t[i]), bool(flag))
        if b is not None:
            bouts.append(b)
    b = tracker.finish()
    if b is not None:
        bouts.append(b)
    for start, end in bouts:
        reps.append(_repetition(check, sig, t, _hold_segment(sig, check, start, end), opts, len(reps) + 1))
    return reps


LATE_SIGHT_S = _CONFIG.visibility.late_sight_s  # the person first seen this long after the start: the start was missed


def _repetition_before_first_sight(check: ExerciseCheck, x: np.ndarray, t: np.ndarray,
                                   reps: list[Repetition], first_seen_s: float) -> Segment | None:
    """A repetition already at its top when the person was first seen (the pose model
    missed the start, e.g. the head was out of the picture) is counted, marked incomplete.

    Only when frames at the start had nobody in them and the person was measurable as
    soon as they appeared: a clip that simply starts at the top of a repetition, with the
    person visible, or someone seen getting into position, is not given an extra repetition.
    """
    finite = np.flatnonzero(np.isfinite(x))
    if len(finite) < 3 or abs(t[finite[0]] - first_seen_s) > LATE_SIGHT_S:
        return None  # the first measurable moment is not when the person appeared (e.g. getting into position)
    i0 = int(finite[0])
    stop = int(np.searchsorted(t, reps[0].start_s)) if reps else len(x)
    window = x[i0 : max(stop, i0 + 1) + 1]
    if not np.isfinite(window).any():
        return None
    low_i = i0 + int(np.nanargmin(window))
    peak_i = i0 + int(np.nanargmax(x[i0 : low_i + 1]))
    amp = float(x[peak_i] - x[low_i])
    if amp < max(check.segmenter.min_amplitude, check.segmenter.enter_delta):
        return None
    return Segment(start=i0, peak=peak_i, end=low_i, rest=float(x[low_i]), peak_value=float(x[peak_i]), complete=False)


# ---------------------------------------------------------------- live stream


@dataclass(frozen=True)
class StreamUpdate:
    """What a live display needs after each frame."""

    t: float
    reps: int
    value: float | None  # the counted angle now (degrees), None when not seen
    in_repetition: bool
    repetition: Repetition | None = None  # set on the frame a repetition (or hold) ends
    person_found: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON for a live display (e.g. sent back to the browser after each frame)."""
        return {
            "t": round(self.t, 3),
            "reps": self.reps,
            "value": None if self.value is None else round(self.value, 1),
            "in_repetition": self.in_repetition,
            "person_found": self.person_found,
            "repetition": None if self.repetition is None else self.repetition.to_dict(),
        }


class StreamingAnalyzer:
    """Analyse landmarks one frame at a time (live camera).

    Smoothing is causal (3-frame median, then a one-pole low-pass per landmark). The side
    of the body and the leg to follow are re-decided from recent frames until the first
    repetition starts, then kept.
    """

    LAYOUT_FRAMES = _CONFIG.stream.layout_every_frames
    LAYOUT_WINDOW = _CONFIG.stream.layout_window_frames
    MAX_BUFFER = _CONFIG.stream.max_buffer_frames
    RESTART_AFTER_S = _CONFIG.stream.restart_after_s

    def __init__(self, exercise: str, options: CheckOptions = CheckOptions(),
                 cutoff_hz: float = _CONFIG.stream.cutoff_hz) -> None:
        if exercise == "auto":
            raise UnknownExerciseError("A live stream needs the exercise named up front (not 'auto').")
        self.check = get_check(exercise)
        self.options = options
        self.cutoff_hz = cutoff_hz
        self.repetitions: list[Repetition] = []
        self._counter = RepetitionCounter(self.check.segmenter) if self.check.mode == "reps" else None
        self._tracker = HoldTracker(self.check.hold) if self.check.mode == "hold" else None
        self._state: np.ndarray | None = None  # smoothed (33, 4) in square units
        self._recent: list[np.ndarray] = []
        self._last_seen: float | None = None
        self._last_t: float | None = None
        self._frames: list[LandmarkFrame] = []
        self._t: list[float] = []
        self._rows: list[dict[str, np.ndarray]] = []
        self._offset = 0  # absolute index of _t[0]
        self._layout: dict | None = None
        self._layout_fixed = False  # decided from the frames before the first repetition, then kept
        self._seen = 0
        self._size = (1, 1)
        self._n = 0

    @property
    def reps(self) -> int:
        return len(self.repetitions)

    def _smooth(self, frame: LandmarkFrame) -> np.ndarray | None:
        """Causal smoothing: median of the last three frames (kills one-frame spikes), then a one-pole low-pass."""
        if frame.points is None:
            # a short loss of the person: keep the last pose, as the recording path fills short gaps
            if self._state is not None and self._last_seen is not None and frame.t - self._last_seen <= S.MAX_GAP_S:
                return self._state
            return None
        self._last_seen = frame.t
        w, h = frame.width, frame.height
        scale = np.array([w, h], float) / max(w, h)
        cur = frame.points.copy()
        cur[:, :2] *= scale
        cur[:, 2] *= scale[0]
        if self._last_t is not None and frame.t - self._last_t > self.RESTART_AFTER_S:
            self._recent.clear()
            self._state = None
        self._recent.append(cur)
        if len(self._recent) > 3:
            self._recent.pop(0)
        med = np.median(np.stack(self._recent), axis=0) if len(self._recent) == 3 else cur
        if self._state is None or self._last_t is None:
            self._state = med
        else:
            dt = max(frame.t - self._last_t, 1e-3)
            alpha = 1.0 - math.exp(-2.0 * math.pi * self.cutoff_hz * dt)
            ok = np.isfinite(med) & np.isfinite(self._state)
            self._state = np.where(ok, self._state + alpha * (med - self._state), med)
        self._last_t = frame.t
        return self._state

    def _one(self, pts: np.ndarray | None, t: float) -> LandmarkSequence:
        seq = LandmarkSequence(
            t=np.array([t]), xy=np.full((1, N_LANDMARKS, 2), np.nan), z=np.full((1, N_LANDMARKS), np.nan),
            vis=np.zeros((1, N_LANDMARKS)), width=self._size[0], height=self._size[1])
        if pts is not None:
            seq.xy[0] = pts[:, :2]
            seq.z[0] = pts[:, 2]
            seq.vis[0] = pts[:, 3]
            low = seq.vis[0] < S.MIN_VISIBILITY
            seq.xy[0][low] = np.nan
        return seq

    def _choose_layout(self) -> dict:
        seq = LandmarkSequence.from_frames(self._frames[-self.LAYOUT_WINDOW:])
        return self.check.choose_layout(seq)

    def push(self, frame: LandmarkFrame | dict) -> StreamUpdate:
        if isinstance(frame, dict):
            frame = LandmarkFrame.from_dict(frame)
        if frame.points is not None:
            self._size = (frame.width, frame.height)
            self._seen += 1
            if not self._layout_fixed:
                self._frames.append(frame)
                del self._frames[:-self.LAYOUT_WINDOW]
        pts = self._smooth(frame)
        busy_now = self._counter.in_repetition if self._counter is not None else self._tracker.in_hold
        if not self._layout_fixed and self._frames and (self._layout is None or self._seen % self.LAYOUT_FRAMES == 0):
            self._layout = self._choose_layout()
        if not self._layout_fixed and (self.reps > 0 or busy_now):
            self._layout_fixed = self._layout is not None
        layout = self._layout or {"side": "left", "leg": "left"}
        row = {k: v[0] for k, v in self.check.signals(self._one(pts, frame.t), layout).items()}
        self._t.append(frame.t)
        self._rows.append(row)
        value = float(row[self.check.primary])
        done: Repetition | None = None
        if self._counter is not None:
            seg = self._counter.update(frame.t, value)
            if seg is not None:
                done = self._finish_segment(seg)
            busy = self._counter.in_repetition
        else:
            flag = bool(self.check.in_position({k: np.atleast_1d(v) for k, v in row.items()}, self.check)[0])
            bout = self._tracker.update(frame.t, flag)
            if bout is not None:
                done = self._finish_bout(bout)
            busy = self._tracker.in_hold
        self._trim(busy)
        return StreamUpdate(t=frame.t, reps=self.reps, value=value if np.isfinite(value) else None,
                            in_repetition=busy, repetition=done, person_found=frame.points is not None)

    def _arrays(self) -> tuple[dict[str, np.ndarray], np.ndarray]:
        keys = self._rows[0].keys()
        return {k: np.array([r[k] for r in self._rows]) for k in keys}, np.array(self._t)

    def _finish_segment(self, seg: Segment) -> Repetition:
        sig, t = self._arrays()
        rep = _repetition(self.check, sig, t, seg, self.options, self.reps + 1, offset=self._offset)
        self.repetitions.append(rep)
        return rep

    def _finish_bout(self, bout: tuple[int, int]) -> Repetition:
        sig, t = self._arrays()
        start, end = bout[0] - self._offset, bout[1] - self._offset
        seg = _hold_segment(sig, self.check, max(start, 0), end)
        rep = _repetition(self.check, sig, t, seg, self.options, self.reps + 1)
        self.repetitions.append(rep)
        return rep

    def _trim(self, busy: bool) -> None:
        if len(self._t) > self.MAX_BUFFER and not busy:
            drop = len(self._t) // 2
            del self._t[:drop]
            del self._rows[:drop]
            self._offset += drop

    def finish(self) -> list[Repetition]:
        """Close what is still open when the camera stops; returns all repetitions."""
        if self._rows:
            if self._counter is not None:
                seg = self._counter.finish()
                if seg is not None:
                    self._finish_segment(seg)
            elif self._tracker is not None:
                bout = self._tracker.finish()
                if bout is not None:
                    self._finish_bout(bout)
        return list(self.repetitions)


# ---------------------------------------------------------------- recorded video

ProgressFn = Callable[[float, float], None]  # (seconds of video done, total seconds)
DEFAULT_SAMPLE_FPS = _CONFIG.sampling.sample_fps  # enough for movements of 1-4 s; see README "measured figures"
DEFAULT_MAX_SIDE = _CONFIG.sampling.max_side
PARALLEL_MIN_S = _CONFIG.sampling.parallel_min_s  # shorter videos are not worth a second pose model


def extract_landmarks(
    path: str,
    estimator: "PoseEstimator | None" = None,
    sample_fps: float | None = DEFAULT_SAMPLE_FPS,
    max_side: int = DEFAULT_MAX_SIDE,
    progress: ProgressFn | None = None,
    threaded: bool = True,
    workers: int | None = None,
) -> tuple[list[LandmarkFrame], "VideoInfo", dict[str, float]]:
    """Decode (sampled, upright, downscaled) and run pose estimation on each sampled frame.

    Longer videos are cut into `workers` consecutive parts, each decoded and tracked by
    its own pose model in its own thread (the model releases the GIL), so two cores are
    both used. A passed-in `estimator` is used as is, in one part.
    """
    from .pose import MediaPipePose  # noqa: PLC0415 - optional extra
    from .video import iter_frames, probe  # noqa: PLC0415

    info = probe(path)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if info.duration_s >= PARALLEL_MIN_S else 1
    if estimator is not None:
        workers = 1
    bounds = [info.duration_s * k / workers for k in range(workers + 1)]
    bounds[-1] = None
    done = [0.0] * workers
    stats = [{"decoded": 0} for _ in range(workers)]
    pose_s = [0.0] * workers
    lock = threading.Lock()

    def run(k: int) -> list[LandmarkFrame]:
        est = estimator if estimator is not None else MediaPipePose()
        out: list[LandmarkFrame] = []
        try:
            for f in iter_frames(info, sample_fps=sample_fps, max_side=max_side, threaded=threaded and workers == 1,
                                 stats=stats[k], start_s=bounds[k] or 0.0, end_s=bounds[k + 1]):
                p0 = time.perf_counter()
                out.append(est.estimate(f.image, f.t))
                pose_s[k] += time.perf_counter() - p0
                if progress is not None:
                    with lock:
                        done[k] = f.t - (bounds[k] or 0.0)
                        progress(min(sum(done), info.duration_s), info.duration_s)
        finally:
            if estimator is None:
                est.close()
        return out

    t0 = time.perf_counter()
    if workers == 1:
        frames = run(0)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="backcoach-pose") as pool:
            parts = list(pool.map(run, range(workers)))
        frames = [f for part in parts for f in part]
    wall = time.perf_counter() - t0
    if progress is not None:
        progress(info.duration_s, info.duration_s)
    timings = {"decode_and_pose_s": wall, "pose_s": sum(pose_s), "frames_decoded": float(sum(s["decoded"] for s in stats)),
               "frames_posed": float(len(frames)), "workers": float(workers)}
    return frames, info, timings


def analyze_video(
    path: str,
    exercise: str,
    options: CheckOptions = CheckOptions(),
    estimator: "PoseEstimator | None" = None,
    sample_fps: float | None = DEFAULT_SAMPLE_FPS,
    max_side: int = DEFAULT_MAX_SIDE,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> AnalysisResult:
    """Whole pipeline for a recorded set. Raises a `MotionError` with a plain message on bad input."""
    if exercise != "auto":
        get_check(exercise)  # fail fast on an unknown id, before decoding
    t0 = time.perf_counter()
    frames, info, timings = extract_landmarks(path, estimator, sample_fps, max_side, progress, workers=workers)
    if not frames:
        raise NoPersonError("The video has no frames that could be analysed.")
    result = analyze_landmarks(frames, exercise, options, seconds=info.duration_s)
    result.timings.update(timings)
    result.timings["total_s"] = time.perf_counter() - t0
    result.timings["video_s"] = info.duration_s
    if info.rotation:
        result.warnings.append(f"The video was turned upright ({info.rotation} degrees) using the phone's rotation setting.")
    result.video = info
    return result
