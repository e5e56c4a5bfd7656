"""The live path: landmarks one frame at a time (a camera in the browser), each repetition
reported, with its cue, as soon as it ends.

Uses the same checks, counters and trust gates as a recorded video; only the smoothing
differs (causal here, as a stream cannot look ahead).
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from . import signals as S
from .checks import CheckOptions, get_check
from .checks.base import frame_primary
from .config import MotionConfig, motion_config
from .errors import UnknownExerciseError
from .landmarks import N_LANDMARKS, LandmarkFrame, LandmarkSequence, side_landmark
from .recording import hold_segment
from .result import Repetition
from .segmentation import HoldTracker, RepetitionCounter, Segment
from .trust import SETTLE_FRAMES, JudgeContext, is_body_cut, judge_repetition, jumped


@dataclass(frozen=True)
class StreamUpdate:
    """What a live display needs after each frame."""

    t: float
    reps: int
    value: float | None  # the counted angle now (degrees), None when not seen
    in_repetition: bool
    repetition: Repetition | None = None  # set on the frame a repetition (or hold) ends
    person_found: bool = True
    cut: bool = False  # the body jumped (a camera cut, or someone else): counting starts afresh

    def to_dict(self) -> dict[str, Any]:
        """JSON for a live display (e.g. sent back to the browser after each frame)."""
        out = {
            "t": round(self.t, 3),
            "reps": self.reps,
            "value": None if self.value is None else round(self.value, 1),
            "in_repetition": self.in_repetition,
            "person_found": self.person_found,
            "repetition": None if self.repetition is None else self.repetition.to_dict(),
            "cue": None if self.repetition is None else (self.repetition.cue or None),
        }
        if self.cut:
            out["cut"] = True
        return out


_SHOULDERS_AND_HIPS = [side_landmark(part, side) for part in ("shoulder", "hip") for side in ("left", "right")]
_NOBODY = np.array([[np.nan, np.nan, np.nan, 0.0]] * N_LANDMARKS)  # a frame without a person, as `_one` has it


def _median3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Element-wise median of three arrays (NaN if any is NaN, as np.median), without sorting:
    the live path runs it on every frame of every stream."""
    return np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))


class StreamingAnalyzer:
    """Analyse landmarks one frame at a time (live camera).

    Smoothing is causal (3-frame median, then a one-pole low-pass per landmark). The side
    of the body, the leg to follow and the camera view are re-decided from recent frames
    until the first repetition starts, then kept; from the feet end some exercises count on
    other signals (`ExerciseCheck.in_view`).

    A camera cut (or the pose model jumping to someone else) is seen in the landmarks as the
    whole body jumping between consecutive frames, given their media time: a repetition in
    progress then is neither counted nor judged (listed in `not_counted`), and smoothing and
    counting start afresh, as the recorded path does across a cut.
    """

    def __init__(self, exercise: str, options: CheckOptions | None = None, cutoff_hz: float | None = None,
                 config: MotionConfig | None = None) -> None:
        """`config`: the settings (default: the shipped catalog/motion.yaml; ``stream`` for the
        smoothing and buffers, the rest as for a recording); `options` default to its tempo."""
        if exercise == "auto":
            raise UnknownExerciseError("A live stream needs the exercise named up front (not 'auto').")
        config = config or motion_config()
        self.config = config
        self.LAYOUT_FRAMES = config.stream.layout_every_frames
        self.LAYOUT_WINDOW = config.stream.layout_window_frames
        self.MAX_BUFFER = config.stream.max_buffer_frames
        self.RESTART_AFTER_S = config.stream.restart_after_s
        self._base_check = get_check(exercise, config)
        self.check = self._base_check
        self.options = options if options is not None else CheckOptions.from_config(config)
        self.cutoff_hz = cutoff_hz if cutoff_hz is not None else config.stream.cutoff_hz
        self.repetitions: list[Repetition] = []
        self._counter = RepetitionCounter(self.check.segmenter) if self.check.mode == "reps" else None
        self._tracker = HoldTracker(self.check.hold) if self.check.mode == "hold" else None
        self._state: np.ndarray | None = None  # smoothed (33, 4) in square units
        self._recent: list[np.ndarray] = []
        self._last_seen: float | None = None
        self._last_t: float | None = None
        self._frames: list[LandmarkFrame] = []
        self._t: list[float] = []
        self._rows: dict[str, list[Any]] = {}  # signal name -> its values, one per frame since _offset
        # with the check's `frame_value`: only the counted signal is in _rows, and per frame the
        # smoothed points (None: nobody), the layout and the image size its other signals need
        self._points: list[tuple[np.ndarray | None, dict, tuple[int, int]]] = []
        self._offset = 0  # absolute index of _t[0]
        self._layout: dict | None = None
        self._layout_fixed = False  # decided from the frames before the first repetition, then kept
        self._seen = 0
        self._view = "unknown"  # camera view, decided with the layout from the frames before the first repetition
        self._size = (1, 1)
        self._scale_for: tuple[int, int] | None = None
        self._scale = np.ones(4)
        self._n = 0
        # camera cuts: the last bodies analysed, frames waiting on a jump, frames not tested after a cut
        self._before: deque[tuple[float, tuple[float, float], float]] = deque(maxlen=SETTLE_FRAMES)
        self._queue: list[LandmarkFrame] = []
        self._skip = 0
        self.cuts_s: list[float] = []
        self.not_counted: list[dict] = []

    @property
    def reps(self) -> int:
        return len(self.repetitions)

    def _smooth(self, frame: LandmarkFrame) -> np.ndarray | None:
        """Causal smoothing: median of the last three frames (kills one-frame spikes), then a one-pole low-pass."""
        if frame.points is None:
            # a short loss of the person: keep the last pose, as the recording path fills short gaps
            if self._state is not None and self._last_seen is not None and frame.t - self._last_seen <= self.config.cleaning.max_gap_s:
                return self._state
            return None
        self._last_seen = frame.t
        cur = frame.points * self._square_units(frame.width, frame.height)
        if self._last_t is not None and frame.t - self._last_t > self.RESTART_AFTER_S:
            self._recent.clear()
            self._state = None
        self._recent.append(cur)
        if len(self._recent) > 3:
            self._recent.pop(0)
        med = _median3(*self._recent) if len(self._recent) == 3 else cur
        if self._state is None or self._last_t is None:
            self._state = med
        else:
            dt = max(frame.t - self._last_t, 1e-3)
            alpha = 1.0 - math.exp(-2.0 * math.pi * self.cutoff_hz * dt)
            new = self._state + alpha * (med - self._state)  # not finite where either is missing: take med there
            self._state = np.where(np.isfinite(new), new, med)
        self._last_t = frame.t
        return self._state

    def _square_units(self, width: int, height: int) -> np.ndarray:
        """Per-column factors from image fractions to square units (x, y, z by the longer side)."""
        if self._scale_for != (width, height):
            sx, sy = width / max(width, height), height / max(width, height)
            self._scale, self._scale_for = np.array([sx, sy, sx, 1.0]), (width, height)
        return self._scale

    def _one(self, pts: np.ndarray | None, t: float) -> LandmarkSequence:
        if pts is None:
            return LandmarkSequence(t=np.array([t]), xy=np.full((1, N_LANDMARKS, 2), np.nan),
                                    z=np.full((1, N_LANDMARKS), np.nan), vis=np.zeros((1, N_LANDMARKS)),
                                    width=self._size[0], height=self._size[1])
        xy = pts[None, :, :2].copy()
        xy[0, pts[:, 3] < self.config.cleaning.min_visibility] = np.nan
        return LandmarkSequence(t=np.array([t]), xy=xy, z=pts[None, :, 2].copy(), vis=pts[None, :, 3].copy(),
                                width=self._size[0], height=self._size[1])

    def _choose_layout(self, busy: bool) -> dict:
        seq = LandmarkSequence.from_frames(self._frames[-self.LAYOUT_WINDOW:])
        view = S.estimate_view(seq, self.config.view)[0]
        check = self._base_check.in_view(view)
        if check is not self.check and not busy:  # another view counts on other signals: start counting afresh
            self.check = check
            self._restart_counting()
        self._view = view
        return self.check.choose_layout(seq)

    def _restart_counting(self) -> None:
        """A fresh counter, and the buffered signals it indexes into emptied with it."""
        self._counter = RepetitionCounter(self.check.segmenter) if self.check.mode == "reps" else None
        self._tracker = HoldTracker(self.check.hold) if self.check.mode == "hold" else None
        self._t.clear()
        self._rows.clear()
        self._points.clear()
        self._offset = 0

    def _body_of(self, frame: LandmarkFrame) -> tuple[float, tuple[float, float], float] | None:
        """(t, hip midpoint, body size) in square units, as the recording measures it; None
        without a measurable body."""
        if frame.points is None:
            return None
        # `trust.body_size` of one frame in plain floats, in numpy's order of operations (the
        # same numbers): numpy's calls on a few numbers cost more than the arithmetic, and this
        # runs on every frame of every live stream
        side = max(frame.width, frame.height)
        sx, sy = frame.width / side, frame.height / side
        (a, b), (c, d), (e, f), (g, h) = frame.points[_SHOULDERS_AND_HIPS, :2].tolist()
        a, b, c, d, e, f, g, h = a * sx, b * sy, c * sx, d * sy, e * sx, f * sy, g * sx, h * sy
        hx, hy = (e + g) / 2.0, (f + h) / 2.0
        parts = (S.length_of((a + c) / 2.0 - hx, (b + d) / 2.0 - hy), S.length_of(a - c, b - d), S.length_of(e - g, f - h))
        size = max(parts)
        if not (all(map(math.isfinite, parts)) and math.isfinite(hx) and math.isfinite(hy) and size > 1e-6):
            return None
        return frame.t, (hx, hy), size

    def _cut_before(self, body: tuple[float, tuple[float, float], float]) -> float | None | bool:
        """Whether a camera cut comes just before the queued frame whose body this is
        (`trust.is_body_cut`, the recording's rule): its time, None if not, False while the
        frames that decide it have not arrived yet."""
        if self._skip > 0 or len(self._before) < SETTLE_FRAMES:
            return None
        last = self._before[-1]
        if not jumped(last[1], last[2], body[1], body[2], self.config.trust):
            return None
        after = [b for b in map(self._body_of, self._queue) if b is not None][:SETTLE_FRAMES]
        if len(after) < SETTLE_FRAMES:
            return False
        before = list(self._before)
        cut = is_body_cut(np.array([b[1] for b in before]), np.array([b[2] for b in before]),
                          np.array([b[1] for b in after]), np.array([b[2] for b in after]), self.config.trust)
        return (last[0] + body[0]) / 2.0 if cut else None

    def _after_cut(self, at: float) -> None:
        self.cuts_s.append(at)
        start = (self._counter or self._tracker).started_at
        if start is not None:
            unit = "hold" if self.check.mode == "hold" else "movement"
            self.not_counted.append({"start_s": round(start, 2), "end_s": round(at, 2),
                                     "reason": f"the {unit} runs across a camera cut at {at:.1f} s, so it is neither "
                                               "counted nor judged"})
        self._restart_counting()
        self._recent.clear()
        self._state = None

    def _context(self) -> JudgeContext:
        return JudgeContext(view=self._view, layout=self._layout or {}, config=self.config)

    def push(self, frame: LandmarkFrame | dict) -> StreamUpdate:
        """Analyse the next frame. A frame where the body jumps waits (with the next ones) until
        `SETTLE_FRAMES` frames show whether the jump stays (a cut, as in a recording) or
        was one misplaced frame; the update then says so (`cut`) and carries a repetition
        ended meanwhile."""
        if isinstance(frame, dict):
            frame = LandmarkFrame.from_dict(frame)
        self._queue.append(frame)
        return self._drain(frame)

    def _drain(self, newest: LandmarkFrame | None, final: bool = False) -> StreamUpdate:
        """Analyse the queued frames that can be decided (all of them when `final`)."""
        update: StreamUpdate | None = None
        done: Repetition | None = None
        cut = False
        while self._queue:
            body = self._body_of(self._queue[0])
            at = None
            if body is not None:
                at = None if final else self._cut_before(body)
                if at is False:
                    break  # wait for the frames that decide
                if self._skip > 0:
                    self._skip -= 1
            frame = self._queue.pop(0)
            if at is not None:
                self._after_cut(at)
                self._skip = SETTLE_FRAMES - 1  # as the recording: the frames just after a cut are not tested again
                cut = True
            update = self._analyse(frame)
            done = update.repetition or done
            if body is not None:
                self._before.append(body)
        if update is not None and update.t == (newest.t if newest is not None else update.t):
            return update if done is update.repetition and not cut else replace(update, repetition=done, cut=cut)
        busy = self._counter.in_repetition if self._counter is not None else self._tracker.in_hold
        t = newest.t if newest is not None else (update.t if update is not None else 0.0)
        return StreamUpdate(t=t, reps=self.reps, value=None, in_repetition=busy, repetition=done,
                            person_found=newest is not None and newest.points is not None, cut=cut)

    def _analyse(self, frame: LandmarkFrame) -> StreamUpdate:
        if frame.points is not None:
            self._size = (frame.width, frame.height)
            self._seen += 1
            if not self._layout_fixed:
                self._frames.append(frame)
                del self._frames[:-self.LAYOUT_WINDOW]
        pts = self._smooth(frame)
        busy_now = self._counter.in_repetition if self._counter is not None else self._tracker.in_hold
        if not self._layout_fixed and self._frames and (self._layout is None or self._seen % self.LAYOUT_FRAMES == 0):
            self._layout = self._choose_layout(busy_now)
        if not self._layout_fixed and (self.reps > 0 or busy_now):
            self._layout_fixed = self._layout is not None
        layout = self._layout or {"side": "left", "leg": "left"}
        self._t.append(frame.t)
        row: dict[str, Any] = {}
        if self.check.frame_value is not None and self._counter is not None:
            # only the counted value now, in plain floats; the other signals when a repetition ends
            value = frame_primary(self.check, (pts if pts is not None else _NOBODY).tolist(), layout)
            self._points.append((pts, layout, self._size))
            self._rows.setdefault(self.check.primary, []).append(value)
        else:
            # plain floats (and the visibility row): an array of floats is built far faster than one of numpy scalars
            row = {k: (float(v[0]) if v.ndim == 1 else v[0]) for k, v in self.check.signals(self._one(pts, frame.t), layout).items()}
            for k, v in row.items():
                column = self._rows.get(k)
                if column is None:  # a signal first seen now: earlier frames had none
                    column = self._rows[k] = [np.nan] * (len(self._t) - 1)
                column.append(v)
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
        return StreamUpdate(t=frame.t, reps=self.reps, value=value if math.isfinite(value) else None,
                            in_repetition=busy, repetition=done, person_found=frame.points is not None)

    def _arrays(self, lo: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The buffered signals and times from buffer index `lo` on."""
        t = np.array(self._t[lo:])
        if not self._points:
            return {k: np.array(v[lo:], dtype=float) for k, v in self._rows.items()}, t
        # frames counted on `frame_value` alone: their signals now, one call per run of frames
        # analysed with the same layout and image size (as each frame's own would be)
        parts: list[dict[str, np.ndarray]] = []
        run_start = lo
        for i in range(lo + 1, len(self._t) + 1):
            if i == len(self._t) or self._points[i][1:] != self._points[run_start][1:]:
                parts.append(self._signals_of(run_start, i, t[run_start - lo:i - lo]))
                run_start = i
        keys = dict.fromkeys(k for part in parts for k in part)
        sig = {k: np.concatenate([part[k] if k in part else np.full(len(part["visibility"]), np.nan) for part in parts])
               for k in keys}
        sig[self.check.primary] = np.array(self._rows[self.check.primary][lo:], dtype=float)  # the values counted
        return sig, t

    def _signals_of(self, start: int, stop: int, t: np.ndarray) -> dict[str, np.ndarray]:
        """`check.signals` of buffered frames start..stop-1 (one layout and image size), as
        `_one` makes each frame's sequence: points seen too faintly are not seen."""
        _pts, layout, (width, height) = self._points[start]
        points = np.array([p if p is not None else _NOBODY for p, _l, _s in self._points[start:stop]])
        xy = points[:, :, :2].copy()
        xy[points[:, :, 3] < self.config.cleaning.min_visibility] = np.nan
        seq = LandmarkSequence(t=t, xy=xy, z=points[:, :, 2].copy(), vis=points[:, :, 3].copy(), width=width, height=height)
        return self.check.signals(seq, layout)

    def _finish_segment(self, seg: Segment) -> Repetition:
        # a repetition's metrics look at it and at the person's own starting frames before it
        # (`ExerciseCheck.start_window`), never further back: only those become arrays
        start = seg.start - self._offset
        lo = bisect.bisect_left(self._t, self._t[start] - self.config.trust.start_window_s - 1e-9, 0, start)
        sig, t = self._arrays(lo)
        rep = judge_repetition(self.check, sig, t, seg, self.options, self.reps + 1, offset=self._offset + lo,
                               ctx=self._context())
        self.repetitions.append(rep)
        return rep

    def _finish_bout(self, bout: tuple[int, int]) -> Repetition:
        sig, t = self._arrays()
        start, end = bout[0] - self._offset, bout[1] - self._offset
        seg = hold_segment(sig, self.check, max(start, 0), end)
        rep = judge_repetition(self.check, sig, t, seg, self.options, self.reps + 1, ctx=self._context())
        self.repetitions.append(rep)
        return rep

    def _trim(self, busy: bool) -> None:
        if len(self._t) > self.MAX_BUFFER and not busy:
            drop = len(self._t) // 2
            del self._t[:drop]
            for column in self._rows.values():
                del column[:drop]
            del self._points[:drop]
            self._offset += drop

    def finish(self) -> list[Repetition]:
        """Close what is still open when the camera stops; returns all repetitions. Frames
        still waiting on a jump are analysed without it (too few came after it to decide),
        as at the end of a recording."""
        if self._queue:
            self._drain(None, final=True)
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


