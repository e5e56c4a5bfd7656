"""Body landmarks in the MediaPipe BlazePose 33-point layout, the internal standard.

A `LandmarkFrame` is what one video frame (or one frame of a live camera) turns into;
a `LandmarkSequence` stacks many of them into arrays so that everything after pose
estimation is plain NumPy. Other keypoint layouts come in through adapters.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

N_LANDMARKS = 33


class Landmark(IntEnum):
    NOSE = 0
    LEFT_EYE_INNER = 1
    LEFT_EYE = 2
    LEFT_EYE_OUTER = 3
    RIGHT_EYE_INNER = 4
    RIGHT_EYE = 5
    RIGHT_EYE_OUTER = 6
    LEFT_EAR = 7
    RIGHT_EAR = 8
    MOUTH_LEFT = 9
    MOUTH_RIGHT = 10
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_ELBOW = 13
    RIGHT_ELBOW = 14
    LEFT_WRIST = 15
    RIGHT_WRIST = 16
    LEFT_PINKY = 17
    RIGHT_PINKY = 18
    LEFT_INDEX = 19
    RIGHT_INDEX = 20
    LEFT_THUMB = 21
    RIGHT_THUMB = 22
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


@functools.lru_cache(maxsize=None)
def side_landmark(part: str, side: str) -> int:
    """Index of e.g. ("hip", "left") -> 23 (cached: the live path asks thousands of times a second)."""
    return int(Landmark[f"{side.upper()}_{part.upper()}"])


# Bones drawn on annotated frames.
SKELETON: tuple[tuple[int, int], ...] = (
    (11, 12), (11, 13), (13, 15), (12, 14), (14, 16),
    (11, 23), (12, 24), (23, 24),
    (23, 25), (25, 27), (27, 29), (29, 31), (27, 31),
    (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
)


@dataclass(frozen=True)
class LandmarkFrame:
    """Landmarks of one frame, or `points=None` when no person was found.

    `points` is (33, 4): x, y in image fractions (0..1, y downwards), z in the same
    scale as x (MediaPipe's depth relative to the hips), visibility 0..1.
    `width`/`height` are the image size in pixels, needed to measure angles without
    the distortion of non-square fractions.
    """

    t: float
    points: np.ndarray | None
    width: int = 1
    height: int = 1

    def __post_init__(self) -> None:
        if self.points is not None:
            pts = np.asarray(self.points, dtype=float)
            if pts.shape != (N_LANDMARKS, 4):
                raise ValueError(f"expected (33, 4) landmark array, got {pts.shape}")
            object.__setattr__(self, "points", pts)

    @property
    def has_person(self) -> bool:
        return self.points is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "t": float(self.t),
            "width": int(self.width),
            "height": int(self.height),
            "landmarks": None if self.points is None else np.round(self.points, 5).tolist(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "LandmarkFrame":
        """Build from the JSON record a browser sends ({"t", "width", "height", "landmarks"}).

        `landmarks` may be 33 rows of [x, y, z, visibility] or of objects with those keys
        (the shape `@mediapipe/pose` returns).
        """
        raw = data.get("landmarks")
        points = None
        if raw:
            rows = []
            for p in raw:
                if isinstance(p, Mapping):
                    rows.append([p.get("x", np.nan), p.get("y", np.nan), p.get("z", 0.0), p.get("visibility", 1.0)])
                else:
                    vals = [float(v) for v in p][:4]
                    rows.append(vals + [0.0, 1.0][len(vals) - 2 :] if len(vals) < 4 else vals)
            points = np.asarray(rows, dtype=float)
        return cls(t=float(data["t"]), points=points, width=int(data.get("width", 1)), height=int(data.get("height", 1)))


@dataclass
class LandmarkSequence:
    """Many frames as arrays: `t` (N,), `xy` (N, 33, 2) in square units, `z` (N, 33), `vis` (N, 33).

    Square units: x and y are divided by the longer image side, so distances and angles
    are true to the picture. Missing frames or points are NaN.
    """

    t: np.ndarray
    xy: np.ndarray
    z: np.ndarray
    vis: np.ndarray
    width: int = 1
    height: int = 1
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @property
    def person_found(self) -> np.ndarray:
        return np.isfinite(self.xy[:, 11, 0]) | np.isfinite(self.xy[:, 23, 0])

    @classmethod
    def from_frames(cls, frames: Sequence[LandmarkFrame] | Iterable[LandmarkFrame]) -> "LandmarkSequence":
        frames = list(frames)
        n = len(frames)
        t = np.array([f.t for f in frames], dtype=float)
        xy = np.full((n, N_LANDMARKS, 2), np.nan)
        z = np.full((n, N_LANDMARKS), np.nan)
        vis = np.zeros((n, N_LANDMARKS))
        width = height = 1
        for i, f in enumerate(frames):
            if f.points is None:
                continue
            width, height = f.width, f.height
            scale = np.array([f.width, f.height], dtype=float) / max(f.width, f.height)
            xy[i] = f.points[:, :2] * scale
            z[i] = f.points[:, 2] * scale[0]
            vis[i] = f.points[:, 3]
        return cls(t=t, xy=xy, z=z, vis=vis, width=width, height=height)

    def frame(self, i: int) -> LandmarkFrame:
        """Back to a per-frame record (image fractions), e.g. for drawing."""
        if not np.isfinite(self.xy[i]).any():
            return LandmarkFrame(t=float(self.t[i]), points=None, width=self.width, height=self.height)
        scale = np.array([self.width, self.height], dtype=float) / max(self.width, self.height)
        pts = np.zeros((N_LANDMARKS, 4))
        pts[:, :2] = self.xy[i] / scale
        pts[:, 2] = np.nan_to_num(self.z[i] / scale[0])
        pts[:, 3] = self.vis[i]
        return LandmarkFrame(t=float(self.t[i]), points=pts, width=self.width, height=self.height)

    def nearest_index(self, t: float) -> int:
        return int(np.argmin(np.abs(self.t - t))) if len(self) else 0


# COCO-17 (OpenPose/MMPose/YOLO-pose/MoveNet order) -> BlazePose index.
COCO17_TO_BLAZEPOSE: tuple[int, ...] = (0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28)


def frame_from_coco17(t: float, keypoints: np.ndarray, width: int, height: int) -> LandmarkFrame:
    """Adapter: a (17, 3) array of (x_px, y_px, score) in COCO order -> a BlazePose frame.

    Landmarks COCO lacks (hands, heels, toes) are NaN with zero visibility, so checks
    that need them report the metric as unavailable rather than guessing.
    """
    kp = np.asarray(keypoints, dtype=float)
    if kp.shape != (17, 3):
        raise ValueError(f"expected (17, 3) COCO keypoints, got {kp.shape}")
    pts = np.full((N_LANDMARKS, 4), np.nan)
    pts[:, 3] = 0.0
    pts[:, 2] = 0.0
    for coco_i, bp_i in enumerate(COCO17_TO_BLAZEPOSE):
        pts[bp_i] = [kp[coco_i, 0] / width, kp[coco_i, 1] / height, 0.0, kp[coco_i, 2]]
    return LandmarkFrame(t=t, points=pts, width=width, height=height)
