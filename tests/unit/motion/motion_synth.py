"""A small kinematic model of each exercise that produces BlazePose landmark frames.

World coordinates are metres, y up, the person lying along x with the head to the
right. `render` projects them into an image (y down) with the far side of the body
slightly offset and less visible, as a pose model reports it. Timelines give a known
number of repetitions with a chosen tempo and hold; faults are injected by changing
the target posture. Noise, dropped frames and timing jitter are applied on top.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from backcoach.motion.landmarks import N_LANDMARKS, Landmark, LandmarkFrame

W, H = 1280, 720
SCALE = 500.0  # pixels per metre
ORIGIN = (640.0, 560.0)  # pixel position of world (0, 0)


def _rot(v, deg):
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


# ------------------------------------------------------------------ timelines


@dataclass
class Tempo:
    up_s: float = 1.2
    hold_s: float = 2.0
    down_s: float = 1.2
    rest_s: float = 1.0
    lead_s: float = 1.5  # still at rest before the first repetition
    tail_s: float = 1.5


def rep_timeline(reps: int, tempo: Tempo, fps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """t, u (0 = rest, 1 = top) and the repetition number (1-based, 0 outside) per frame."""
    one = tempo.up_s + tempo.hold_s + tempo.down_s + tempo.rest_s
    total = tempo.lead_s + reps * one + tempo.tail_s - tempo.rest_s
    t = np.arange(0.0, total, 1.0 / fps)
    u = np.zeros_like(t)
    which = np.zeros(len(t), dtype=int)
    for r in range(reps):
        s = tempo.lead_s + r * one
        a, b, c = s + tempo.up_s, s + tempo.up_s + tempo.hold_s, s + tempo.up_s + tempo.hold_s + tempo.down_s
        up = (t >= s) & (t < a)
        u[up] = 0.5 - 0.5 * np.cos(np.pi * (t[up] - s) / tempo.up_s)
        u[(t >= a) & (t < b)] = 1.0
        dn = (t >= b) & (t < c)
        u[dn] = 0.5 + 0.5 * np.cos(np.pi * (t[dn] - b) / tempo.down_s)
        which[(t >= s) & (t < c)] = r + 1
    return t, u, which


# ------------------------------------------------------------------ posture models


def bridge_pose(u: float, top_angle: float = 178.0, knee_top: float = 90.0, rest_angle: float = 125.0,
                one_leg: bool = False) -> dict:
    """Shoulders on the floor, feet planted; hips lift so shoulder-hip-knee goes from rest to top_angle."""
    trunk, thigh, shin = 0.5, 0.42, 0.42
    theta = rest_angle + u * (top_angle - rest_angle)
    h = 0.10 + u * 0.22
    alpha = np.degrees(np.arcsin(h / trunk))
    S = np.array([0.55, 0.0])
    Hp = S + trunk * np.array([-np.cos(np.radians(alpha)), np.sin(np.radians(alpha))])
    beta = alpha + (180.0 - theta)
    K = Hp + thigh * np.array([-np.cos(np.radians(beta)), np.sin(np.radians(beta))])
    # shin direction from the knee so that hip-knee-ankle is the wanted knee angle (more open at rest)
    knee = knee_top + (1 - u) * 0.0
    thigh_dir = (Hp - K) / np.linalg.norm(Hp - K)
    shin_dir = _rot(thigh_dir, knee)  # turn towards the floor (counter-clockwise from hip direction)
    if shin_dir[1] > 0:
        shin_dir = _rot(thigh_dir, -knee)
    A = K + shin * shin_dir
    joints = {"shoulder": S, "hip": Hp, "knee": K, "ankle": A, "nose": S + np.array([0.22, 0.05]),
              "elbow": S + np.array([-0.25, -0.02]), "wrist": S + np.array([-0.5, -0.03]),
              "toe": A + np.array([-0.15, 0.0]), "heel": A + np.array([0.04, -0.02])}
    pose = {"left": joints, "right": dict(joints)}
    if one_leg:  # the far (right) leg is held straight in line with the thigh
        d = (K - Hp) / np.linalg.norm(K - Hp)
        pose["right"] = dict(joints, knee=Hp + thigh * d, ankle=Hp + (thigh + shin) * d,
                             toe=Hp + (thigh + shin + 0.12) * d, heel=Hp + (thigh + shin) * d)
    return pose


def clamshell_pose(u: float, top_opening: float = 45.0, rest_opening: float = 5.0, feet_apart: float = 0.0,
                   pelvis_roll: float = 0.0) -> dict:
    """Lying on the left side facing the camera, knees bent; the top (right) knee opens about the feet."""
    phi = rest_opening + u * (top_opening - rest_opening)
    Hb, Sb = np.array([0.0, 0.10]), np.array([0.55, 0.10])
    width = 0.32
    Ht = np.array([-0.02 * u * pelvis_roll / 20, 0.10 + width * np.cos(np.radians(u * pelvis_roll))])
    St = np.array([0.55, 0.10 + width])
    Ab = np.array([-0.55, 0.06])
    Kb = np.array([-0.30, 0.02])
    At = Ab + np.array([0.0, 0.05 + u * feet_apart])
    A = (Ab + At) / 2
    Kt = A + _rot(Kb - A, phi)
    bottom = {"shoulder": Sb, "hip": Hb, "knee": Kb, "ankle": Ab, "elbow": Sb + np.array([0.1, -0.05]),
              "wrist": Sb + np.array([0.3, 0.0]), "toe": Ab + np.array([-0.02, -0.05]), "heel": Ab + np.array([0.04, 0.0]),
              "nose": Sb + np.array([0.25, 0.12])}
    top = {"shoulder": St, "hip": Ht, "knee": Kt, "ankle": At, "elbow": St + np.array([0.05, -0.15]),
           "wrist": St + np.array([0.15, -0.25]), "toe": At + np.array([-0.02, -0.05]), "heel": At + np.array([0.04, 0.0]),
           "nose": Sb + np.array([0.25, 0.12])}
    return {"left": bottom, "right": top}


def leg_raise_pose(u: float, top_abduction: float = 35.0, rest: float = 3.0, hip_flexion: float = 0.0,
                   toes_up: float = 0.0, trunk_roll: float = 0.0, trunk_bend: float = 0.0) -> dict:
    """Lying on the left side, legs straight; the top (right) leg lifts away from the trunk line."""
    a = rest + u * (top_abduction - rest)
    width = 0.32
    Hb, Sb = np.array([0.0, 0.10]), np.array([0.55, 0.10])
    Ht = np.array([0.0, 0.10 + width])
    St = Sb + np.array([0.0, width * np.cos(np.radians(u * trunk_roll))])
    centre = (Hb + Ht) / 2
    Sb, St = centre + _rot(Sb - centre, u * trunk_bend), centre + _rot(St - centre, u * trunk_bend)
    leg = 0.9
    trunk_dir = (Ht - (Sb + St) / 2 + (Hb - Ht) / 2)
    trunk_dir = np.array([-1.0, 0.0]) if np.linalg.norm(trunk_dir) == 0 else trunk_dir / np.linalg.norm(trunk_dir)
    d = _rot(np.array([-1.0, 0.0]), -a)  # rotate towards +y (up)
    flex = np.radians(u * hip_flexion)
    Kt = Ht + 0.45 * np.cos(flex) * d
    At = Ht + leg * np.cos(flex) * d
    up = _rot(d, -90)
    if up[1] < 0:
        up = -up
    foot = 0.05 * d + (0.02 + 0.2 * u * toes_up) * up
    z_top = {"ankle": -leg * np.sin(flex), "knee": -0.45 * np.sin(flex)}
    bottom = {"shoulder": Sb, "hip": Hb, "knee": Hb + np.array([-0.45, -0.02]), "ankle": Hb + np.array([-leg, -0.04]),
              "elbow": Sb + np.array([0.1, -0.05]), "wrist": Sb + np.array([0.3, 0.0]),
              "toe": Hb + np.array([-leg - 0.05, -0.03]), "heel": Hb + np.array([-leg + 0.02, -0.06]),
              "nose": Sb + np.array([0.25, 0.12])}
    top = {"shoulder": St, "hip": Ht, "knee": Kt, "ankle": At, "elbow": St + np.array([-0.1, 0.02]),
           "wrist": St + np.array([-0.3, 0.02]), "toe": At + foot, "heel": At - 0.03 * d,
           "nose": Sb + np.array([0.25, 0.12]), "_z": z_top}
    return {"left": bottom, "right": top}


def side_plank_pose(u: float, sag: float = 0.0, knees: bool = False) -> dict:
    """Facing the camera; u = 1 raised on the forearm in a straight line, u = 0 lying down."""
    F = np.array([-0.8, 0.04])
    S_up, S_down = np.array([0.6, 0.55]), np.array([0.6, 0.10])
    S = S_down + u * (S_up - S_down)
    mid = F + 0.55 * (S - F)
    n = _rot((S - F) / np.linalg.norm(S - F), -90)
    if n[1] > 0:
        n = -n
    Hp = mid + n * (u * sag)  # sag pushes the hips towards the floor
    K = F + 0.45 * (Hp - F) / np.linalg.norm(Hp - F) * np.linalg.norm(Hp - F) / 0.9
    K = F + (Hp - F) * 0.5
    j = {"shoulder": S, "hip": Hp, "knee": K, "ankle": F, "elbow": S + np.array([0.0, -0.3]),
         "wrist": S + np.array([0.25, -0.32]), "toe": F + np.array([-0.05, 0.0]), "heel": F + np.array([0.03, -0.02]),
         "nose": S + np.array([0.2, 0.1])}
    if knees:
        j["ankle"] = K + np.array([0.3, -0.1])
        j["knee"] = F
        j["hip"] = Hp
    far = {k: v + np.array([0.0, 0.3]) for k, v in j.items()}
    return {"left": j, "right": far}


def bird_dog_pose(u: float, lift: float = 0.0, hip_drop: float = 0.0) -> dict:
    """On all fours seen from the side; u = 1 right arm forward and left leg back (lift = degrees above level)."""
    S, Hp = np.array([0.35, 0.55]), np.array([-0.15, 0.55 - u * 0.5 * np.sin(np.radians(hip_drop))])
    base = {"shoulder": S, "hip": Hp, "knee": np.array([-0.15, 0.05]), "ankle": np.array([-0.55, 0.02]),
            "elbow": S + np.array([0.0, -0.28]), "wrist": S + np.array([0.0, -0.55]),
            "toe": np.array([-0.65, 0.0]), "heel": np.array([-0.5, 0.05]), "nose": S + np.array([0.2, 0.05])}
    right = dict(base)
    left = dict(base)
    arm = _rot(np.array([0.0, -0.55]), u * 90)
    right.update(elbow=S + arm * 0.5, wrist=S + arm)
    legdir = _rot(np.array([0.0, -1.0]), -u * (90 + lift))
    left.update(knee=Hp + 0.45 * legdir, ankle=Hp + 0.9 * legdir, toe=Hp + 1.0 * legdir, heel=Hp + 0.92 * legdir)
    return {"left": left, "right": right}


def dead_bug_pose(u: float, low: bool = False) -> dict:
    """On the back, arms up and knees over hips; u = 1 right arm overhead and left leg straightened."""
    S, Hp = np.array([0.4, 0.08]), np.array([-0.1, 0.08])
    base = {"shoulder": S, "hip": Hp, "knee": Hp + np.array([0.0, 0.42]), "ankle": Hp + np.array([-0.4, 0.42]),
            "elbow": S + np.array([0.0, 0.3]), "wrist": S + np.array([0.0, 0.58]),
            "toe": Hp + np.array([-0.5, 0.44]), "heel": Hp + np.array([-0.38, 0.40]), "nose": S + np.array([0.22, 0.05])}
    left, right = dict(base), dict(base)
    arm = _rot(np.array([0.0, 0.58]), -u * 80)
    right.update(elbow=S + arm * 0.5, wrist=S + arm)
    end_angle = 5.0 if low else 30.0
    legdir = _rot(np.array([0.0, 1.0]), u * (90 - end_angle))
    left.update(knee=Hp + 0.45 * legdir, ankle=Hp + 0.9 * legdir, toe=Hp + 1.0 * legdir, heel=Hp + 0.88 * legdir)
    return {"left": left, "right": right}


# ------------------------------------------------------------------ projection to landmarks

_PARTS = {"shoulder": "SHOULDER", "elbow": "ELBOW", "wrist": "WRIST", "hip": "HIP", "knee": "KNEE",
          "ankle": "ANKLE", "heel": "HEEL", "toe": "FOOT_INDEX"}


def render(pose: dict, t: float, near: str = "left", far_offset=(0.012, 0.01), far_vis: float = 0.7,
           flip: bool = False) -> LandmarkFrame:
    pts = np.zeros((N_LANDMARKS, 4))
    pts[:, 3] = 0.9

    def px(p):
        x = ORIGIN[0] + (-p[0] if flip else p[0]) * SCALE
        y = ORIGIN[1] - p[1] * SCALE
        return x / W, y / H

    for side in ("left", "right"):
        j = pose[side]
        off = np.zeros(2) if side == near else np.array(far_offset)
        vis = 0.99 if side == near else far_vis
        zmap = j.get("_z", {})
        for name, lm in _PARTS.items():
            idx = int(Landmark[f"{side.upper()}_{lm}"])
            x, y = px(j[name] + off)
            pts[idx] = [x, y, zmap.get(name, 0.0) * SCALE / W, vis]
        for hand in ("PINKY", "INDEX", "THUMB"):
            pts[int(Landmark[f"{side.upper()}_{hand}"])] = pts[int(Landmark[f"{side.upper()}_WRIST"])]
    nx, ny = px(pose[near]["nose"])
    for i in range(0, 11):
        pts[i] = [nx + 0.003 * (i % 3), ny - 0.003 * (i % 2), 0.0, 0.99]
    return LandmarkFrame(t=float(t), points=pts, width=W, height=H)


@dataclass
class Noise:
    sigma_px: float = 2.0  # landmark jitter
    drop_rate: float = 0.0  # frames where the pose model found nobody
    remove_rate: float = 0.0  # frames missing entirely (uneven time steps)
    time_jitter: float = 0.0  # fraction of a frame interval
    spikes: int = 0  # single-frame outliers
    seed: int = 0


def make_frames(pose_fn, u: np.ndarray, t: np.ndarray, noise: Noise = Noise(), **render_kw) -> list[LandmarkFrame]:
    frames = []
    rng = np.random.default_rng(noise.seed)  # fresh per call: results do not depend on test order
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 0.033
    spike_at = set(rng.choice(len(t), size=min(noise.spikes, len(t)), replace=False).tolist()) if noise.spikes else set()
    for i, (ti, ui) in enumerate(zip(t, u)):
        if noise.remove_rate and rng.random() < noise.remove_rate:
            continue
        tt = ti + (rng.uniform(-1, 1) * noise.time_jitter * dt if noise.time_jitter else 0.0)
        if noise.drop_rate and rng.random() < noise.drop_rate:
            frames.append(LandmarkFrame(t=tt, points=None, width=W, height=H))
            continue
        f = render(pose_fn(float(ui)), tt, **render_kw)
        pts = f.points.copy()
        pts[:, 0] += rng.normal(0, noise.sigma_px / W, N_LANDMARKS)
        pts[:, 1] += rng.normal(0, noise.sigma_px / H, N_LANDMARKS)
        if i in spike_at:
            k = rng.integers(11, 33)
            pts[k, :2] += rng.normal(0, 0.05, 2)
        frames.append(LandmarkFrame(t=tt, points=pts, width=W, height=H))
    return frames


def hold_timeline(holds: list[float], fps: float, gap_s: float = 2.0, ramp_s: float = 0.6) -> tuple[np.ndarray, np.ndarray]:
    """u = 1 during each hold (seconds given), 0 between, with short ramps."""
    total = gap_s + sum(h + 2 * ramp_s + gap_s for h in holds)
    t = np.arange(0.0, total, 1.0 / fps)
    u = np.zeros_like(t)
    s = gap_s
    for h in holds:
        a, b, c, d = s, s + ramp_s, s + ramp_s + h, s + 2 * ramp_s + h
        m = (t >= a) & (t < b)
        u[m] = (t[m] - a) / ramp_s
        u[(t >= b) & (t < c)] = 1.0
        m = (t >= c) & (t < d)
        u[m] = 1.0 - (t[m] - c) / ramp_s
        s = d + gap_s
    return t, u


def standing_pose(u: float = 0.0) -> dict:
    """Standing upright, seen from the side (getting up after a set)."""
    j = {"ankle": np.array([0.0, 0.05]), "knee": np.array([0.0, 0.5]), "hip": np.array([0.0, 0.95]),
         "shoulder": np.array([0.0, 1.45]), "elbow": np.array([0.02, 1.15]), "wrist": np.array([0.03, 0.9]),
         "nose": np.array([0.08, 1.65]), "toe": np.array([0.15, 0.0]), "heel": np.array([-0.04, 0.02])}
    return {"left": j, "right": dict(j)}


def blend(a: dict, b: dict, w: float) -> dict:
    """Posture between a (w = 0) and b (w = 1), joint by joint (a crude getting-up movement)."""
    out = {}
    for side in ("left", "right"):
        out[side] = {k: (1 - w) * a[side][k] + w * b[side][k] for k in a[side] if not k.startswith("_")}
    return out


def march_pose(u: float, lift_side: str = "left", hip_sag: float = 0.0) -> dict:
    """Top of a bridge; u lifts one knee towards the chest (thigh turned up by up to 40 degrees)."""
    pose = bridge_pose(1.0, top_angle=178.0 - u * hip_sag)
    j = dict(pose[lift_side])
    Hp, K, A = j["hip"], j["knee"], j["ankle"]
    K2 = Hp + _rot(K - Hp, -40.0 * u)  # towards the chest (head is to the right)
    A2 = K2 + _rot(A - K, -40.0 * u)
    j.update(knee=K2, ankle=A2, toe=A2 + np.array([-0.15, 0.0]), heel=A2 + np.array([0.04, -0.02]))
    pose[lift_side] = j
    return pose


def march_timeline(lifts: int, fps: float, up_s: float = 2.0, hold_s: float = 2.2, down_s: float = 2.0,
                   rest_s: float = 0.8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Alternating lifts (left, right, ...): t, u, and which side is up per frame (+1 left, -1 right, 0 none)."""
    t, u, which = rep_timeline(lifts, Tempo(up_s=up_s, hold_s=hold_s, down_s=down_s, rest_s=rest_s), fps)
    side = np.where(which == 0, 0, np.where(which % 2 == 1, 1, -1))
    return t, u, side


def plank_leg_raise_pose(u: float) -> dict:
    """A plank on the forearms seen from the side; u lifts one straight leg (a "plank leg raise")."""
    S, Hp = np.array([0.35, 0.30]), np.array([-0.15, 0.26])
    A = np.array([-0.95, 0.04])
    j = {"shoulder": S, "hip": Hp, "knee": (Hp + A) / 2, "ankle": A, "elbow": np.array([0.35, 0.02]),
         "wrist": np.array([0.6, 0.02]), "toe": A + np.array([-0.02, -0.03]), "heel": A + np.array([-0.03, 0.05]),
         "nose": S + np.array([0.2, 0.05])}
    lifted = dict(j)
    A2 = A + np.array([0.0, 0.35 * u])
    lifted.update(knee=(Hp + A2) / 2, ankle=A2, toe=A2 + np.array([-0.02, -0.03]), heel=A2 + np.array([-0.03, 0.05]))
    return {"left": lifted, "right": j}


# ------------------------------------------------------------------ the view from the feet end

# Half the body's width (metres) for a person lying on the back: the left side towards +z.
HALF_WIDTH = {"shoulder": 0.18, "elbow": 0.24, "wrist": 0.26, "hip": 0.15, "knee": 0.13, "ankle": 0.12,
              "heel": 0.12, "toe": 0.12, "nose": 0.0}


def on_the_back(pose: dict, drop_deg: float = 0.0) -> dict:
    """A lying-on-the-back posture (bridges) in 3D: each side's joints at their half width,
    left towards +z. `drop_deg` lowers the right hip (the pelvis tilting to that side)."""
    out = {}
    for side, sign in (("left", 1.0), ("right", -1.0)):
        j = {k: np.array([v[0], v[1], sign * HALF_WIDTH.get(k, 0.1)]) for k, v in pose[side].items() if not k.startswith("_")}
        if side == "right" and drop_deg:
            j["hip"] = j["hip"] - np.array([0.0, 2 * HALF_WIDTH["hip"] * np.sin(np.radians(drop_deg)), 0.0])
        out[side] = j
    return out


def on_the_side(pose: dict) -> dict:
    """A lying-on-the-side posture (leg raises) in 3D: up is already in the pose (top side
    higher), forward (towards the front of the body) comes from its ``_z``."""
    out = {}
    for side in ("left", "right"):
        zmap = pose[side].get("_z", {})
        out[side] = {k: np.array([v[0], v[1], zmap.get(k, 0.0)]) for k, v in pose[side].items() if not k.startswith("_")}
    return out


@dataclass
class FeetCamera:
    """A phone beyond the person's feet looking along the body towards the head: `beyond_m`
    past the feet (world x = -1.0), `height_m` above the floor, tilted down `pitch_deg`."""

    beyond_m: float = 1.2
    height_m: float = 0.7
    pitch_deg: float = 14.0
    focal_px: float = 1400.0


def render_feet(pose3d: dict, t: float, cam: FeetCamera = FeetCamera(), vis: float = 0.9) -> LandmarkFrame:
    """Landmarks of a 3D posture (x along the body, head at +x; y up; z the body's left or
    front) seen by a pinhole camera at the feet end."""
    c = np.array([-1.0 - cam.beyond_m, cam.height_m, 0.0])
    p = np.radians(cam.pitch_deg)
    fwd, up, right = np.array([np.cos(p), -np.sin(p), 0.0]), np.array([np.sin(p), np.cos(p), 0.0]), np.array([0.0, 0.0, 1.0])
    pts = np.zeros((N_LANDMARKS, 4))

    def px(q):
        d = q - c
        depth = float(d @ fwd)
        return ((W / 2 + cam.focal_px * float(d @ right) / depth) / W, (H / 2 - cam.focal_px * float(d @ up) / depth) / H,
                depth)

    for side in ("left", "right"):
        for name, lm in _PARTS.items():
            x, y, depth = px(pose3d[side][name])
            idx = int(Landmark[f"{side.upper()}_{lm}"])
            pts[idx] = [x, y, depth * SCALE / W, vis]
        for hand in ("PINKY", "INDEX", "THUMB"):
            pts[int(Landmark[f"{side.upper()}_{hand}"])] = pts[int(Landmark[f"{side.upper()}_WRIST"])]
    nose = pose3d["left"].get("nose", (pose3d["left"]["shoulder"] + pose3d["right"]["shoulder"]) / 2)
    nx, ny, _ = px(nose)
    for i in range(0, 11):
        pts[i] = [nx + 0.003 * (i % 3), ny - 0.003 * (i % 2), 0.0, vis]
    return LandmarkFrame(t=float(t), points=pts, width=W, height=H)


def make_feet_frames(pose3d_fn, u: np.ndarray, t: np.ndarray, noise: Noise = Noise(), cam: FeetCamera = FeetCamera()
                     ) -> list[LandmarkFrame]:
    """`make_frames` for the view from the feet end (`pose3d_fn(u)` gives a 3D posture)."""
    rng = np.random.default_rng(noise.seed)
    frames = []
    for ti, ui in zip(t, u):
        f = render_feet(pose3d_fn(float(ui)), float(ti), cam)
        pts = f.points.copy()
        pts[:, 0] += rng.normal(0, noise.sigma_px / W, N_LANDMARKS)
        pts[:, 1] += rng.normal(0, noise.sigma_px / H, N_LANDMARKS)
        frames.append(LandmarkFrame(t=float(ti), points=pts, width=W, height=H))
    return frames
