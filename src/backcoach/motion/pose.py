"""Pose estimation behind one small interface.

The analysis only sees `LandmarkFrame`s, so any estimator that returns BlazePose-layout
landmarks (or is adapted to it, see `landmarks.frame_from_coco17`) can be plugged in,
and tests pass a fake. The default backend is MediaPipe's legacy `solutions.pose` with
`model_complexity=1`: it uses `pose_detection.tflite` and `pose_landmark_full.tflite`
shipped inside the `mediapipe==0.10.14` wheel, so nothing is downloaded at run time
(complexity 0 and 2 would download their models, which is why they are refused).
"""

from __future__ import annotations

import contextlib
import importlib
import re
import os
import sys
import threading
import types
import warnings
from typing import Protocol, runtime_checkable

import numpy as np

from .config import MotionConfig, motion_config
from .errors import VisionExtraMissing
from .landmarks import LandmarkFrame


def _ignore_protobuf_deprecation() -> None:
    """mediapipe 0.10.14 calls a protobuf API deprecated in newer protobuf releases; harmless.

    Installed as a process-wide filter (not `catch_warnings`, which is not thread-safe and
    pose models run in worker threads).
    """
    warnings.filterwarnings("ignore", message="SymbolDatabase.GetPrototype", category=UserWarning)


@runtime_checkable
class PoseEstimator(Protocol):
    """Turns one upright RGB/BGR image into landmarks; keeps tracking state between calls."""

    def estimate(self, image_bgr: np.ndarray, t: float) -> LandmarkFrame: ...

    def close(self) -> None: ...


class _PyplotOnFirstUse(types.ModuleType):
    """Stands in for ``matplotlib.pyplot`` while mediapipe is imported; the real module is
    imported (and replaces this one) the first time anything is asked of it."""

    def __getattr__(self, name: str):
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


_import_lock = threading.Lock()


def _pose_solution():
    """mediapipe's legacy pose solution, imported without importing ``matplotlib.pyplot``.

    ``mediapipe.python.solutions`` imports its drawing helpers, which import pyplot at the
    top for a 3-D plot the coach never draws. Importing mediapipe took 1.04-1.12 s of CPU
    with pyplot and 0.50-0.61 s without (two runs each, 1-minute load ~12), paid by every
    process that analyses a video (`backcoach analyze`, each job) before its first frame
    reaches a pose model. A stand-in takes pyplot's place during the import and turns into
    the real module on first use.
    """
    with _import_lock:
        if "mediapipe.python.solutions.pose" in sys.modules or "matplotlib.pyplot" in sys.modules:
            from mediapipe.python.solutions import pose  # noqa: PLC0415
            return pose
        stand_in = _PyplotOnFirstUse("matplotlib.pyplot")
        sys.modules["matplotlib.pyplot"] = stand_in
        try:
            from mediapipe.python.solutions import pose  # noqa: PLC0415
        finally:
            if sys.modules.get("matplotlib.pyplot") is stand_in:
                del sys.modules["matplotlib.pyplot"]
        return pose


class MediaPipePose:
    """BlazePose Full through `mp.solutions.pose`, in tracking mode (video, not still images)."""

    model_complexity = 1

    def __init__(self, min_detection_confidence: float | None = None, min_tracking_confidence: float | None = None,
                 static_image_mode: bool = False, config: MotionConfig | None = None) -> None:
        """`static_image_mode`: every picture is searched afresh, nothing is followed (the
        second look for other people in `extract`). The confidences default to `config`'s
        ``pose`` section (the shipped motion.yaml when left out)."""
        pose = (config or motion_config()).pose
        if min_detection_confidence is None:
            min_detection_confidence = pose.min_detection_confidence
        if min_tracking_confidence is None:
            min_tracking_confidence = pose.min_tracking_confidence
        self._static = static_image_mode
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        self._warm = False
        _ignore_protobuf_deprecation()
        with _quiet_native_stderr():
            self._build(min_detection_confidence, min_tracking_confidence)
            # the graph starts its models on a worker thread; run one blank frame so that
            # start-up (and its native log lines) happens while stderr is quiet
            self._pose.process(np.zeros((64, 64, 3), dtype=np.uint8))
            self._pose.reset()

    def _build(self, min_detection_confidence: float, min_tracking_confidence: float) -> None:
        try:
            import cv2  # noqa: PLC0415
            mp_pose = _pose_solution()
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise VisionExtraMissing(
                "Video analysis needs the optional vision extra: pip install 'backcoach[vision]'."
            ) from exc
        self._cv2 = cv2
        self._pose = mp_pose.Pose(
            static_image_mode=self._static,
            model_complexity=self.model_complexity,
            smooth_landmarks=True,
            enable_segmentation=False,
            min_detection_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )

    def estimate(self, image_bgr: np.ndarray, t: float) -> LandmarkFrame:
        h, w = image_bgr.shape[:2]
        rgb = self._cv2.cvtColor(image_bgr, self._cv2.COLOR_BGR2RGB)
        if not self._warm:  # the first calls with a person print native start-up logs
            with _quiet_native_stderr():
                result = self._pose.process(rgb)
            self._warm = result.pose_landmarks is not None
        else:
            result = self._pose.process(rgb)
        if result.pose_landmarks is None:
            return LandmarkFrame(t=t, points=None, width=w, height=h)
        pts = np.array([(p.x, p.y, p.z, p.visibility) for p in result.pose_landmarks.landmark], dtype=float)
        return LandmarkFrame(t=t, points=pts, width=w, height=h)

    def reset(self) -> None:
        """Forget the tracked person (after a camera cut): the next frame is searched afresh."""
        self._pose.reset()

    def close(self) -> None:
        self._pose.close()

    def __enter__(self) -> "MediaPipePose":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_quiet_lock = threading.Lock()
_quiet_state = {"depth": 0, "saved": -1}


@contextlib.contextmanager
def _quiet_native_stderr():
    """Silence the C++ start-up chatter of MediaPipe/TFLite, which ignores Python logging.

    Process-wide (file descriptor 2) and re-entrant across threads: the first thread in
    redirects, the last one out restores.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    with _quiet_lock:
        if _quiet_state["depth"] == 0:
            sys.stderr.flush()
            _quiet_state["saved"] = os.dup(fd)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
        _quiet_state["depth"] += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_state["depth"] -= 1
            if _quiet_state["depth"] == 0:
                os.dup2(_quiet_state["saved"], fd)
                os.close(_quiet_state["saved"])


def default_estimator() -> PoseEstimator:
    return MediaPipePose()


# Native log lines of MediaPipe/TFLite/absl: "W0000 00:00:1795954333.066262 5838 file.cc:114] ..."
# (absl/glog format), TFLite's own INFO lines, FFmpeg's "[mov,mp4,m4a @ 0x5606b1b65380] ..."
# and OpenCV's "[ WARN:0@0.054] global cap.cpp:204 ...".
_NATIVE_LINE = re.compile(rb"^([IWEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ \S+:\d+\]|INFO: Created TensorFlow Lite|"
                          rb"WARNING: All log messages before absl::InitializeLog|\[[\w,]+ @ 0x[0-9a-f]+\] |"
                          rb"\[ ?(?:WARN|ERROR|INFO|DEBUG):\d+@[\d.]+\] )")
_filter_lock = threading.Lock()
_filter_state: dict = {"depth": 0}


@contextlib.contextmanager
def native_log_filter():
    """While pose models run (in worker threads, which start their models lazily), drop the
    native log lines they print on stderr and pass everything else through unchanged.

    Process-wide (file descriptor 2 goes through a pipe read by a small thread) and
    re-entrant; the last one out restores stderr.
    """
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    with _filter_lock:
        if _filter_state["depth"] == 0:
            sys.stderr.flush()
            saved = os.dup(fd)
            read_end, write_end = os.pipe()
            os.dup2(write_end, fd)
            os.close(write_end)

            def pump() -> None:
                with os.fdopen(read_end, "rb", buffering=0) as src:
                    pending = b""
                    while True:
                        chunk = src.read(4096)
                        if not chunk:
                            break
                        pending += chunk
                        *lines, pending = pending.split(b"\n")
                        out = b"".join(line + b"\n" for line in lines if not _NATIVE_LINE.match(line))
                        if out:
                            os.write(saved, out)
                    if pending and not _NATIVE_LINE.match(pending):
                        os.write(saved, pending)

            thread = threading.Thread(target=pump, name="backcoach-stderr-filter", daemon=True)
            thread.start()
            _filter_state.update(saved=saved, thread=thread, fd=fd)
        _filter_state["depth"] += 1
    try:
        yield
    finally:
        with _filter_lock:
            _filter_state["depth"] -= 1
            if _filter_state["depth"] == 0:
                sys.stderr.flush()
                os.dup2(_filter_state["saved"], _filter_state["fd"])  # closes the pipe's last write end
                _filter_state["thread"].join(timeout=5)
                os.close(_filter_state["saved"])
