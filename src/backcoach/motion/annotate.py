"""Drawing the analysis onto the video: skeleton, the counted angle, the rep counter, faults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import numpy as np

from .analysis import AnalysisResult, Repetition
from .errors import VideoError
from .landmarks import SKELETON
from .checks.base import FAULT
from .report import FAULT_LABELS, finding_text
from .video import VideoInfo, _cv2, _prepare

GREEN = (80, 200, 80)
RED = (60, 60, 230)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)


def _pixels(result: AnalysisResult, i: int, width: int, height: int) -> np.ndarray | None:
    seq = result.sequence
    if seq is None or i < 0 or i >= len(seq):
        return None
    xy = seq.xy[i] * max(width, height)
    return xy if np.isfinite(xy[[11, 12, 23, 24]]).any() else None


def _text(cv2, img, text: str, org: tuple[int, int], scale: float, color=WHITE) -> None:
    thick = max(1, int(round(scale * 2)))
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, BLACK, thick + 3, cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, color, thick, cv2.LINE_AA)


def draw_frame(img: np.ndarray, result: AnalysisResult, t: float) -> np.ndarray:
    """Draw the state of the analysis at time `t` onto an upright frame (in place)."""
    cv2 = _cv2()
    h, w = img.shape[:2]
    seq = result.sequence
    i = seq.nearest_index(t) if seq is not None and len(seq) else -1
    current = next((r for r in result.repetitions if r.start_s <= t <= r.end_s), None)
    if current is None:
        ended = [r for r in result.repetitions if r.end_s < t <= r.end_s + 1.5]
        current = ended[-1] if ended else None
    bad = bool(current and current.faults)
    xy = _pixels(result, i, w, h)
    scale = max(0.5, min(w, h) / 720.0)
    if xy is not None:
        color = RED if bad else GREEN
        for a, b in SKELETON:
            if np.isfinite(xy[[a, b]]).all():
                cv2.line(img, tuple(int(v) for v in xy[a]), tuple(int(v) for v in xy[b]), color,
                         max(2, int(3 * scale)), cv2.LINE_AA)
        for k in range(11, 33):
            if np.isfinite(xy[k]).all():
                cv2.circle(img, tuple(int(v) for v in xy[k]), max(3, int(4 * scale)), WHITE, -1, cv2.LINE_AA)
    done = sum(1 for r in result.repetitions if r.end_s <= t)
    unit = "holds" if result.mode == "hold" else "reps"
    _text(cv2, img, f"{unit}: {done}", (int(20 * scale), int(45 * scale)), 1.2 * scale)
    val = result.signals.get(result.primary)
    if val is not None and 0 <= i < len(val) and np.isfinite(val[i]):
        _text(cv2, img, f"{result.primary_label} {val[i]:.0f} deg", (int(20 * scale), int(90 * scale)), 0.9 * scale)
    if current is not None:
        y = int(135 * scale)
        for f in current.findings:
            if f.status == FAULT:  # the measured value next to its limit
                _text(cv2, img, finding_text(f), (int(20 * scale), y), 0.7 * scale, RED)
                y += int(32 * scale)
        if not current.findings:  # a result built without findings (older callers)
            for f in current.faults:
                _text(cv2, img, FAULT_LABELS.get(f, f), (int(20 * scale), y), 0.8 * scale, RED)
                y += int(35 * scale)
        if current.good:
            _text(cv2, img, "good repetition", (int(20 * scale), y), 0.8 * scale, GREEN)
            y += int(35 * scale)
        skipped = len(current.not_judged)
        if skipped:
            _text(cv2, img, f"{skipped} check(s) not judged from this view", (int(20 * scale), y), 0.6 * scale)
    return img


def write_annotated(result: AnalysisResult, info: VideoInfo, out_path: str | os.PathLike, max_side: int = 960) -> Path:
    cv2 = _cv2()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    cap = cv2.VideoCapture(info.path)
    auto = bool(cap.get(cv2.CAP_PROP_ORIENTATION_AUTO)) if hasattr(cv2, "CAP_PROP_ORIENTATION_AUTO") else False
    writer = None
    index = 0
    try:
        while True:
            ok, frame = cap.read()
            if not ok or frame is None:
                break
            frame = _prepare(cv2, frame, info.rotation, auto, max_side)
            if writer is None:
                h, w = frame.shape[:2]
                writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), info.fps, (w, h))
                if not writer.isOpened():
                    raise VideoError(f"Could not write {out}; check the folder exists and is writable.")
            writer.write(draw_frame(frame, result, index / info.fps))
            index += 1
    finally:
        cap.release()
        if writer is not None:
            writer.release()
    return out


def keyframe_pictures(result: AnalysisResult, info: VideoInfo, max_side: int = 1280
                      ) -> Iterator[tuple[Repetition, float, np.ndarray]]:
    """Each repetition's picture, annotated: the frame at its peak (or the middle of a hold),
    with its media time."""
    from .video import read_frame_at  # noqa: PLC0415

    for rep in result.repetitions:
        t = rep.peak_s if result.mode == "reps" else (rep.start_s + rep.end_s) / 2
        img = read_frame_at(info, t, max_side=max_side)
        if img is None:
            continue
        yield rep, t, draw_frame(img, result, t)


def keyframe_jpegs(result: AnalysisResult, info: VideoInfo, max_side: int = 640, quality: int = 80
                   ) -> list[tuple[Repetition, float, bytes, int, int]]:
    """(repetition, time, JPEG bytes, width, height) per repetition: small enough to keep in
    the database after the video itself is deleted."""
    cv2 = _cv2()
    out = []
    for rep, t, img in keyframe_pictures(result, info, max_side=max_side):
        ok, data = cv2.imencode(".jpg", img, [int(cv2.IMWRITE_JPEG_QUALITY), quality])
        if not ok:
            raise VideoError("Could not encode a keyframe picture.")
        out.append((rep, t, data.tobytes(), img.shape[1], img.shape[0]))
    return out


def write_keyframes(result: AnalysisResult, info: VideoInfo, out_dir: str | os.PathLike, max_side: int = 1280) -> list[Path]:
    """One PNG per repetition, at its peak (or the middle of a hold)."""
    cv2 = _cv2()
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for rep, _t, img in keyframe_pictures(result, info, max_side=max_side):
        path = folder / f"rep_{rep.index:02d}.png"
        if not cv2.imwrite(str(path), img):
            raise VideoError(f"Could not write {path}; check the folder is writable.")
        paths.append(path)
    return paths
