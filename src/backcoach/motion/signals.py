"""From raw landmarks to clean signals: gap filling, smoothing, geometry, view and side.

Everything here is a function over arrays and does not care how landmarks were made.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import replace

import numpy as np
from scipy import ndimage, signal

from .config import Cleaning, MotionConfig, View, motion_config
from .landmarks import LandmarkSequence, side_landmark

# The numbers (``cleaning``, ``view``, ``visibility``, ``trust`` in catalog/motion.yaml) come
# in as arguments: a `MotionConfig` or one of its sections, the shipped one when left out.


# ---------------------------------------------------------------- time base and cleaning


def to_uniform_grid(seq: LandmarkSequence, fps: float | None = None) -> LandmarkSequence:
    """Resample onto evenly spaced times (dropped frames become NaN rows, filled later)."""
    if len(seq) < 2:
        return seq
    order = np.argsort(seq.t, kind="stable")
    t = seq.t[order]
    keep = np.concatenate([[True], np.diff(t) > 1e-6])
    t = t[keep]
    idx = order[keep]
    dt = 1.0 / fps if fps else float(np.median(np.diff(t)))
    if dt <= 0:
        return seq
    n = int(round((t[-1] - t[0]) / dt)) + 1
    if n > 20 * len(t):  # absurd timestamps: keep the frames as they are
        return replace(seq, t=t, xy=seq.xy[idx], z=seq.z[idx], vis=seq.vis[idx])
    grid = t[0] + np.arange(n) * dt
    slot = np.clip(np.round((t - t[0]) / dt).astype(int), 0, n - 1)
    xy = np.full((n,) + seq.xy.shape[1:], np.nan)
    z = np.full((n,) + seq.z.shape[1:], np.nan)
    vis = np.zeros((n,) + seq.vis.shape[1:])
    xy[slot] = seq.xy[idx]
    z[slot] = seq.z[idx]
    vis[slot] = seq.vis[idx]
    return replace(seq, t=grid, xy=xy, z=z, vis=vis)


def fill_gaps(x: np.ndarray, t: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linear interpolation over NaN runs no longer than `max_gap_s`, along axis 0."""
    x = np.array(x, dtype=float, copy=True)
    flat = x.reshape(len(x), -1)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for s, e in _runs(~np.isfinite(col)):
            if s == 0 or e == len(col) or t[e] - t[s - 1] > max_gap_s + 1e-9:
                continue
            col[s:e] = np.interp(t[s:e], [t[s - 1], t[e]], [col[s - 1], col[e]])
    return flat.reshape(x.shape)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of runs of True."""
    m = np.concatenate([[False], mask, [False]]).astype(int)
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)))


def smooth(x: np.ndarray, fs: float, cutoff_hz: float, median_samples: int, order: int) -> np.ndarray:
    """Spike removal (running median) then zero-phase Butterworth low-pass, per finite run, along axis 0."""
    x = np.array(x, dtype=float, copy=True)
    flat = x.reshape(len(x), -1)
    wn = min(0.9, cutoff_hz / (fs / 2.0)) if fs > 0 else 0.9
    b, a = signal.butter(order, wn)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for s, e in _runs(np.isfinite(col)):
            seg = col[s:e]
            if len(seg) >= median_samples:
                seg = ndimage.median_filter(seg, size=median_samples, mode="nearest")
            if len(seg) > 3 * max(len(a), len(b)):
                seg = signal.filtfilt(b, a, seg, padlen=min(len(seg) - 1, 3 * max(len(a), len(b))))
            col[s:e] = seg
    return flat.reshape(x.shape)


def clean(seq: LandmarkSequence, cleaning: Cleaning | None = None) -> LandmarkSequence:
    """Uniform time base, unreliable points dropped, short gaps filled, jitter smoothed."""
    c = cleaning or motion_config().cleaning
    seq = to_uniform_grid(seq)
    xy = seq.xy.copy()
    xy[seq.vis < c.min_visibility] = np.nan
    xy = fill_gaps(xy, seq.t, c.max_gap_s)
    fs = sampling_rate(seq.t)
    xy = smooth(xy, fs, c.cutoff_hz, c.median_samples, c.lowpass_order)
    z = smooth(fill_gaps(seq.z, seq.t, c.max_gap_s), fs, c.cutoff_hz, c.median_samples, c.lowpass_order)
    return replace(seq, xy=xy, z=z)


def sampling_rate(t: np.ndarray) -> float:
    if len(t) < 2:
        return 0.0
    dt = float(np.median(np.diff(t)))
    return 1.0 / dt if dt > 0 else 0.0


# ---------------------------------------------------------------- geometry


def _length(v: np.ndarray) -> np.ndarray:
    """Euclidean length over the last axis (cheaper than np.linalg.norm on a frame at a time)."""
    return np.sqrt(np.sum(v * v, axis=-1))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, NaN where den is 0, without a warning. (An errstate block costs more than
    the division itself on the live path, which analyses one frame at a time.)"""
    return num / np.where(den == 0, np.nan, den)


def angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle a-b-c at b in degrees (0..180), vectorised over leading axes; NaN if a or c is at b."""
    v1 = a - b
    v2 = c - b
    cross = v1[..., 0] * v2[..., 1] - v1[..., 1] * v2[..., 0]
    dot = v1[..., 0] * v2[..., 0] + v1[..., 1] * v2[..., 1]
    # atan2 of (|cross|, dot) is the angle between the vectors, exact near 0 and 180 degrees
    return np.where((cross == 0) & (dot == 0), np.nan, np.degrees(np.arctan2(np.abs(cross), dot)))


def vector_angle(v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Angle between two vectors in degrees (0..180)."""
    return angle(v1, np.zeros_like(v1), v2)


def cross2(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]


def offset_from_line(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Signed distance of p from the line a->b, positive to the image's "up" side."""
    d = b - a
    side = _ratio(cross2(d, p - a), _length(d))
    # Image y points down: make "above the line" positive whatever the line direction.
    sign = np.where(d[..., 0] >= 0, -1.0, 1.0)
    return side * sign


def straightness(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Angle a-b-c extended past 180 degrees when b is above the a-c line (e.g. hips pushed too high)."""
    ang = angle(a, b, c)
    above = offset_from_line(b, a, c) > 0
    return np.where(above, 360.0 - ang, ang)


def incline(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle of the segment a->b to the horizontal, degrees 0..90 (direction ignored)."""
    d = b - a
    return np.degrees(np.arctan2(np.abs(d[..., 1]), np.abs(d[..., 0])))  # NaN in, NaN out, no warning


def point(seq: LandmarkSequence, part: str, side: str) -> np.ndarray:
    return seq.xy[:, side_landmark(part, side)]


def midpoint(seq: LandmarkSequence, part: str) -> np.ndarray:
    return (point(seq, part, "left") + point(seq, part, "right")) / 2.0


# ---------------------------------------------------------------- view and side


def facing_side(seq: LandmarkSequence, parts: tuple[str, ...] = ("shoulder", "hip", "knee", "ankle")) -> str:
    """The side of the body nearer the camera: the one whose landmarks are seen best."""
    score = {}
    for side in ("left", "right"):
        idx = [side_landmark(p, side) for p in parts]
        score[side] = float(np.nanmean(seq.vis[:, idx])) if len(seq) else 0.0
    return "left" if score["left"] >= score["right"] else "right"


def width_ratio(seq: LandmarkSequence) -> np.ndarray:
    """Per frame: shoulder and hip width over torso length. Small = side view, large = front/back."""
    sh = _length(point(seq, "shoulder", "left") - point(seq, "shoulder", "right"))
    hp = _length(point(seq, "hip", "left") - point(seq, "hip", "right"))
    torso = _length(midpoint(seq, "shoulder") - midpoint(seq, "hip"))
    return _ratio((sh + hp) / 2.0, torso)


def estimate_view(seq: LandmarkSequence, view: View | None = None) -> tuple[str, float]:
    """("side" | "front" | "feet" | "head" | "unknown", median width ratio).

    Seen from the feet end the camera looks along the body: the trunk is foreshortened, so
    the body's width is large against the trunk's length in the picture (at rest the trunk
    nearly vanishes; at the top of a bridge the raised hips lengthen it a little). Seen from
    the side the width nearly vanishes; from the front both are in proportion.
    """
    v = view or motion_config().view
    r = width_ratio(seq)
    r = r[np.isfinite(r)]
    if len(r) < 3:
        return "unknown", float("nan")
    med = float(np.median(r))
    if float(np.mean(r >= v.feet_view_min_ratio)) >= v.feet_view_min_share:
        return end_nearer_the_camera(seq), med
    return ("side" if med < v.side_view_max_ratio else "front"), med


def end_nearer_the_camera(seq: LandmarkSequence) -> str:
    """Looking along the body, which end is the camera at: "feet" or "head".

    Both ends foreshorten the trunk alike, so the width ratio cannot tell them apart; the
    order of the body in depth does. Two cues, each of which alone can mislead: the nearer
    end lies lower in the picture when the phone looks down along the body (the lower foot,
    on the floor, against the shoulders; a foot resting high or a phone held low can turn
    this round), and the pose model's depth estimate puts the nearer end in front (only the
    sign of a difference of the body's whole length is used, not a measurement). The head
    end is said only when both agree; otherwise, and without feet or shoulders seen, the
    feet end, the view the coach asks for.
    """
    low_foot = np.fmax(point(seq, "ankle", "left")[:, 1], point(seq, "ankle", "right")[:, 1])
    below = low_foot - midpoint(seq, "shoulder")[:, 1]  # > 0: the feet lower in the picture
    ankles = (seq.z[:, side_landmark("ankle", "left")] + seq.z[:, side_landmark("ankle", "right")]) / 2.0
    shoulders = (seq.z[:, side_landmark("shoulder", "left")] + seq.z[:, side_landmark("shoulder", "right")]) / 2.0
    behind = ankles - shoulders  # > 0: the feet further from the camera
    below, behind = below[np.isfinite(below)], behind[np.isfinite(behind)]
    head_low = len(below) > 0 and float(np.median(below)) < 0
    head_near = len(behind) > 0 and float(np.median(behind)) > 0
    return "head" if head_low and head_near else "feet"


def in_picture(seq: LandmarkSequence, idx: list[int], config: MotionConfig | None = None) -> np.ndarray:
    """Per frame, per landmark: seen with some confidence and inside the picture."""
    visibility = (config or motion_config()).visibility
    min_visibility, margin = visibility.in_picture_min_visibility, visibility.in_picture_margin
    scale = np.array([seq.width, seq.height], dtype=float) / max(seq.width, seq.height)
    xy = seq.xy[:, idx] / scale
    inside = np.all((xy > -margin) & (xy < 1 + margin), axis=-1)
    return inside & (seq.vis[:, idx] >= min_visibility)


def start_window(t: np.ndarray, start: int, seconds: float) -> slice:
    """The person's own starting frames before sample `start`: the last `seconds` up to it."""
    lo = int(np.searchsorted(t, t[start] - seconds - 1e-9))
    return slice(max(0, min(lo, start)), start + 1)


def roll_against_start(length: np.ndarray, start: slice, top: slice, noise_floor: float) -> float | None:
    """Roll (degrees) of a left-right line about the body's long axis, seen from the front.

    `length` is the line's length over a length the roll does not change (the trunk), so
    camera distance cancels. The baseline is the person's own starting frames; shortening
    within the jitter of those frames (or `noise_floor`) is not a roll. None: not measurable.
    """
    base = np.asarray(length[start], float)
    top_v = np.asarray(length[top], float)
    base, top_v = base[np.isfinite(base)], top_v[np.isfinite(top_v)]
    if len(base) < 2 or not len(top_v):
        return None
    l0 = float(np.median(base))
    if l0 <= 1e-9:
        return None
    spread = float(np.percentile(base, 90) - np.percentile(base, 10)) / l0
    ratio = float(np.median(top_v)) / l0 + max(noise_floor, spread)
    return float(np.degrees(np.arccos(np.clip(ratio, 0.0, 1.0))))


def around(x: np.ndarray, i: int, half: int = 1) -> np.ndarray:
    """Mean of x over i-half..i+half (ignoring NaN): a steadier reading at one moment."""
    lo, hi = max(0, i - half), min(len(x), i + half + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(x[lo:hi], axis=0)


def upright_share(seq: LandmarkSequence, view: View | None = None) -> float:
    """Share of frames in which the body's long axis (shoulders to feet) is steeper than
    ``view.upright_deg`` (standing, sitting, or the picture is turned).

    Lying down, shoulders and feet are both near the floor, even at the top of a bridge,
    so this line stays near level; a video turned on its side makes it near vertical.
    """
    inc = incline(midpoint(seq, "shoulder"), midpoint(seq, "ankle"))
    inc = inc[np.isfinite(inc)]
    return float(np.mean(inc > (view or motion_config().view).upright_deg)) if len(inc) else 0.0


# ---------------------------------------------------------------- one frame in plain floats
# The live stream counts one frame at a time, and numpy's calls on one-frame arrays cost far
# more than their arithmetic (an `angle` of one frame: 54 us against 0.4 us in floats, timeit
# on the loaded machine). These take plain floats and do numpy's operations in numpy's order,
# so they give the same numbers here (math.atan2 and numpy's float64 arctan2 both call the C
# library, except numpy's AVX-512 loops, which may differ in the last bit; + - * / sqrt are
# exact in both). Points are (x, y) pairs; NaN in, NaN out.


def angle_of(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    """`angle` of one frame."""
    v1x, v1y, v2x, v2y = a[0] - b[0], a[1] - b[1], c[0] - b[0], c[1] - b[1]
    cross = v1x * v2y - v1y * v2x
    dot = v1x * v2x + v1y * v2y
    if cross == 0 and dot == 0:
        return math.nan
    return math.degrees(math.atan2(abs(cross), dot))


def length_of(dx: float, dy: float) -> float:
    """The length of (dx, dy), as numpy's norm of a 2-vector computes it (up to the last bit,
    which numpy's kernels may round differently on some CPUs)."""
    return math.sqrt(dx * dx + dy * dy)


def offset_from_line_of(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """`offset_from_line` of one frame."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = length_of(dx, dy)
    side = (dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / (math.nan if length == 0 else length)
    return side * (-1.0 if dx >= 0 else 1.0)


def straightness_of(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    """`straightness` of one frame."""
    ang = angle_of(a, b, c)
    return 360.0 - ang if offset_from_line_of(b, a, c) > 0 else ang


def incline_of(a: tuple[float, float], b: tuple[float, float]) -> float:
    """`incline` of one frame."""
    return math.degrees(math.atan2(abs(b[1] - a[1]), abs(b[0] - a[0])))


def midpoint_of(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The midpoint of two points, as `midpoint` computes it."""
    return (a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0
