"""Repetition and hold segmentation: small online state machines over one signal.

The same objects are fed sample by sample by the recorded-video pipeline and by the
live stream, so both count the same way. Every threshold is relative to where the
person rests, so camera distance and body size do not matter. Each check's numbers, and
the defaults below, come from ``catalog/motion.yaml`` (``segmentation`` and ``checks``).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from .config import motion_config


def _rep(name: str) -> float:
    return getattr(motion_config().segmentation.repetition_defaults, name)


def _hold(name: str) -> float:
    return getattr(motion_config().segmentation.hold, name)


@dataclass(frozen=True)
class SegmenterSettings:
    """How a repetition is told apart from noise, in the units of the signal (degrees)."""

    enter_delta: float  # rise above the rest level that starts a repetition
    min_amplitude: float  # a repetition must reach at least rest + this
    # defaults: motion.yaml's ``segmentation.repetition_defaults``, read when the settings are made
    drop_fraction: float = field(default_factory=lambda: _rep("drop_fraction"))  # ends after falling from the peak by this share of the amplitude
    start_fraction: float = field(default_factory=lambda: _rep("start_fraction"))  # reported start: last time below rest + fraction * amplitude
    min_duration_s: float = field(default_factory=lambda: _rep("min_duration_s"))
    rest_window_s: float = field(default_factory=lambda: _rep("rest_window_s"))


@dataclass(frozen=True)
class Segment:
    """One repetition on the sample index axis of the fed signal (end inclusive)."""

    start: int
    peak: int
    end: int
    rest: float
    peak_value: float
    complete: bool = True

    @property
    def amplitude(self) -> float:
        return self.peak_value - self.rest


class RepetitionCounter:
    """Hysteresis counter: rest -> rise past rest+enter_delta -> peak -> fall back by a share of the rise.

    `update` returns a `Segment` at the sample where a repetition ends. `finish` closes
    a repetition still at its top when the recording stops (reported as incomplete
    only if it never came down). Samples that are NaN are ignored (person not seen).
    """

    def __init__(self, settings: SegmenterSettings, history_s: float = 30.0) -> None:
        self.s = settings
        self.history_s = history_s
        self.count = 0
        self._i = -1
        self._t: deque[float] = deque()
        self._x: deque[float] = deque()
        self._rest_win: deque[tuple[int, float, float]] = deque()  # (i, t, x) kept for min
        self._up = False
        self._rest = np.nan
        self._peak_i = -1
        self._peak_x = -np.inf
        self._first_i = 0
        self._start_guess = 0

    # history helpers: absolute index -> value
    def _value(self, i: int) -> float:
        return self._x[i - self._first_i]

    def _time(self, i: int) -> float:
        return self._t[i - self._first_i]

    def update(self, t: float, x: float) -> Segment | None:
        self._i += 1
        i = self._i
        self._t.append(t)
        self._x.append(x)
        while len(self._t) > 2 and self._t[-1] - self._t[0] > self.history_s and (not self._up or self._first_i < self._start_guess - 1):
            self._t.popleft()
            self._x.popleft()
            self._first_i += 1
        if not np.isfinite(x):
            return None
        if not self._up:
            while self._rest_win and self._rest_win[-1][2] >= x:
                self._rest_win.pop()
            self._rest_win.append((i, t, x))
            while self._rest_win and t - self._rest_win[0][1] > self.s.rest_window_s:
                self._rest_win.popleft()
            self._rest = self._rest_win[0][2]
            if x >= self._rest + self.s.enter_delta:
                self._up = True
                self._start_guess = self._rest_win[0][0]
                self._peak_i, self._peak_x = i, x
            return None
        if x > self._peak_x:
            self._peak_i, self._peak_x = i, x
        amp = self._peak_x - self._rest
        if x <= self._peak_x - max(self.s.enter_delta, self.s.drop_fraction * amp):
            return self._close(i, complete=True)
        return None

    def _close(self, end: int, complete: bool) -> Segment | None:
        self._up = False
        rest, peak_i, peak_x = self._rest, self._peak_i, self._peak_x
        x_end = self._value(end)
        self._rest_win.clear()
        self._rest_win.append((end, self._time(end), x_end))
        self._rest = x_end
        amp = peak_x - rest
        if amp < self.s.min_amplitude:
            return None
        start = peak_i
        level = rest + self.s.start_fraction * amp
        while start - 1 >= max(self._first_i, self._start_guess) and not (self._value(start) <= level):
            start -= 1
        if self._time(end) - self._time(start) < self.s.min_duration_s:
            return None
        self.count += 1
        return Segment(start=start, peak=peak_i, end=end, rest=float(rest), peak_value=float(peak_x), complete=complete)

    @property
    def started_at(self) -> float | None:
        """Time the repetition in progress started (its rest before the rise); None at rest."""
        if not self._up:
            return None
        return self._time(max(self._first_i, self._start_guess))

    def finish(self) -> Segment | None:
        """Close a repetition that reached its top but had not come down when the recording stopped."""
        if not self._up or self._i < 0:
            return None
        return self._close(self._last_finite(), complete=False)

    def _last_finite(self) -> int:
        i = self._i
        while i > self._first_i and not np.isfinite(self._value(i)):
            i -= 1
        return i

    @property
    def in_repetition(self) -> bool:
        return self._up


@dataclass(frozen=True)
class HoldSettings:
    # defaults: motion.yaml's ``segmentation.hold``, read when the settings are made
    min_hold_s: float = field(default_factory=lambda: _hold("min_hold_s"))  # shorter bouts are not holds
    debounce_s: float = field(default_factory=lambda: _hold("debounce_s"))  # ignore blips in or out of position shorter than this


class HoldTracker:
    """Turns a per-sample "in position" flag into hold bouts (start, end) with debouncing."""

    def __init__(self, settings: HoldSettings | None = None) -> None:
        self.s = settings if settings is not None else HoldSettings()
        self.count = 0
        self._i = -1
        self._in = False
        self._start_i = 0
        self._start_t = 0.0
        self._change_i: int | None = None
        self._change_t = 0.0
        self._last_in_i = 0
        self._last_in_t = 0.0

    def update(self, t: float, in_position: bool) -> tuple[int, int] | None:
        self._i += 1
        i = self._i
        if in_position == self._in:
            self._change_i = None
            if in_position:
                self._last_in_i, self._last_in_t = i, t
            return None
        if self._change_i is None:
            self._change_i, self._change_t = i, t
        if t - self._change_t < self.s.debounce_s:
            return None
        if not self._in:
            self._in = True
            self._start_i, self._start_t = self._change_i, self._change_t
            self._last_in_i, self._last_in_t = i, t
            self._change_i = None
            return None
        self._in = False
        self._change_i = None
        return self._close()

    def _close(self) -> tuple[int, int] | None:
        if self._last_in_t - self._start_t < self.s.min_hold_s:
            return None
        self.count += 1
        return self._start_i, self._last_in_i

    @property
    def in_hold(self) -> bool:
        return self._in

    @property
    def started_at(self) -> float | None:
        """Time the hold in progress started; None when not in a hold."""
        return self._start_t if self._in else None

    def finish(self) -> tuple[int, int] | None:
        if not self._in:
            return None
        self._in = False
        return self._close()
