"""The analysis pipeline: landmarks -> clean signals -> repetitions or holds -> findings and faults.

Split by what it does: `quality` (gates before counting), `recording` (a whole
recording's landmarks), `stream` (one frame at a time, live), `extract` (video to
landmarks), `trust` (when not to judge), `result` (what is returned). This module runs
the whole pipeline on a video file and keeps the old import paths working.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .checks import CheckOptions, get_check
from .config import MotionConfig, motion_config
from .errors import NoPersonError
from .extract import ProgressFn, extract_landmarks
from .recording import analyze_landmarks, hold_segment
from .result import AnalysisResult, Repetition
from .stream import StreamingAnalyzer, StreamUpdate
from .trust import TIMING_FAULTS, judge_repetition

if TYPE_CHECKING:
    from .pose import PoseEstimator

__all__ = [
    "AnalysisResult", "ProgressFn", "Repetition", "StreamUpdate", "StreamingAnalyzer", "TIMING_FAULTS", "analyze_landmarks", "analyze_video",
    "extract_landmarks", "hold_segment", "judge_repetition",
]


def analyze_video(
    path: str,
    exercise: str,
    options: CheckOptions | None = None,
    estimator: "PoseEstimator | None" = None,
    sample_fps: float | None = None,
    max_side: int | None = None,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    second_look: bool = True,
    config: MotionConfig | None = None,
) -> AnalysisResult:
    """Whole pipeline for a recorded set. Raises a `MotionError` with a plain message on bad input.

    `second_look`: look for other people in view now and then (`extract.second_look`).
    `config`: the settings for every step (default: the shipped catalog/motion.yaml);
    `sample_fps`, `max_side` and `options` default to its own."""
    config = config or motion_config()
    if exercise != "auto":
        get_check(exercise, config)  # fail fast on an unknown id, before decoding
    t0 = time.perf_counter()
    frames, info, timings = extract_landmarks(path, estimator, sample_fps, max_side, progress, workers=workers,
                                              looker=second_look, config=config)
    if not frames:
        raise NoPersonError("The video has no frames that could be analysed.")
    seconds = info.decoded_s if info.decoded_s is not None else info.duration_s
    result = analyze_landmarks(frames, exercise, options, seconds=seconds, cuts_s=info.cuts_s,
                               second_looks=info.second_looks, config=config)
    result.warnings.extend(info.warnings)
    result.timings.update(timings)
    result.timings["total_s"] = time.perf_counter() - t0
    result.timings["video_s"] = seconds
    if info.rotation:
        result.warnings.append(f"The video was turned upright ({info.rotation} degrees) using the phone's rotation setting.")
    result.video = info
    return result
