"""Recorded sets: an uploaded video becomes a job, the job fills in its record.

Why a record in the database rather than the job runner's own state: the web servers
stay stateless and a Celery worker on another machine reports progress the same way the
in-process runner does, so `GET /api/videos/{id}` reads one place whatever ran the job.
A failed or finished job leaves no half-done result, and the video file is deleted
after analysis unless the person asked to keep it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from backcoach.domain.errors import BackcoachError
from backcoach.storage import models as m
from backcoach.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

PROGRESS_EVERY_S = 0.5  # how often a running job writes its progress (and so shows it is alive)
STALLED_MESSAGE = "The analysis stopped before finishing; please upload again."


class VideoRejected(BackcoachError):
    """The upload is not a video we can analyse (wrong kind, too big, too long)."""


class VideoTooLarge(VideoRejected):
    pass


class VideoNotFound(BackcoachError):
    pass


# What the first bytes of a video file look like (we never trust the name or the browser's type).
def sniff_container(head: bytes) -> Optional[str]:
    """'mp4' (MP4, MOV, 3GP: an ISO media 'ftyp' box), 'webm' (Matroska/WebM), 'avi', or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    return None


@dataclass(frozen=True)
class VideoLimits:
    max_bytes: int
    max_seconds: float

    def too_large(self, size: int) -> str:
        return (f"The video is too large ({size / 1e6:.0f} MB). The most we take is {self.max_bytes / 1e6:.0f} MB: "
                "film just one set, or choose a lower video quality on your phone.")


def probe_duration(path: str) -> float:
    """Seconds of video, read by OpenCV (the `vision` extra). Raises VideoRejected if unreadable."""
    try:
        import cv2  # noqa: PLC0415 - optional extra
    except ImportError:
        raise BackcoachError("Video analysis is not installed on this server (the `vision` extra).") from None
    cap = cv2.VideoCapture(path)
    try:
        if not cap.isOpened():
            raise VideoRejected("This file could not be opened as a video. Please choose an MP4, MOV or WebM video.")
        fps = cap.get(cv2.CAP_PROP_FPS) or 0.0
        frames = cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0
        ok, _ = cap.read()
        if not ok:
            raise VideoRejected("This file has no picture we can read. Please choose an MP4, MOV or WebM video.")
        return float(frames / fps) if fps > 0 and frames > 0 else 0.0
    finally:
        cap.release()


def store_upload(uow: UnitOfWork, person_id: int, exercise_id: str, temp_path: Path, size: int, upload_dir: Path,
                 limits: VideoLimits, keep: bool, hold_s: float | None, now: dt.datetime) -> m.VideoAnalysis:
    """Check a received file (content, size, duration), move it into the upload folder and
    add its record (queued). On any refusal the file is deleted and nothing is stored."""
    try:
        if size > limits.max_bytes:
            raise VideoTooLarge(limits.too_large(size))
        if size == 0:
            raise VideoRejected("The file is empty. Please choose the video again.")
        with open(temp_path, "rb") as fh:
            kind = sniff_container(fh.read(64))
        if kind is None:
            raise VideoRejected("This file is not a video we can read (we take MP4, MOV, WebM or AVI). "
                                "Nothing was stored.")
        seconds = probe_duration(str(temp_path))
        if seconds > limits.max_seconds:
            raise VideoRejected(f"The video is {seconds:.0f} seconds long; the most we analyse is "
                                f"{limits.max_seconds:.0f} seconds. Film just one set, or trim the video.")
        upload_dir.mkdir(parents=True, exist_ok=True)
        final = upload_dir / f"{uuid.uuid4().hex}.{kind}"
        os.replace(temp_path, final)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    try:
        rec = m.VideoAnalysis(person_id=person_id, exercise_id=exercise_id, status="queued", progress=0.0,
                              file_path=str(final), size_bytes=size, keep_video=keep, hold_s=hold_s, created_at=now)
        uow.videos.add(rec)
        uow.commit()
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return rec


def video_for(uow: UnitOfWork, person_id: int, video_id: int) -> m.VideoAnalysis:
    rec = uow.videos.get(video_id)
    if rec is None or rec.person_id != person_id:
        raise VideoNotFound("There is no video analysis with this number in your account.")
    return rec


def video_dict(rec: m.VideoAnalysis, uow: UnitOfWork | None = None) -> dict[str, Any]:
    """What `GET /api/videos/{id}` answers: the result is exactly `backcoach analyze --json`;
    `keyframes` lists each repetition's picture (given the unit of work to find them)."""
    from backcoach.services import coaching
    from backcoach.services.common import catalog

    out: dict[str, Any] = {"id": rec.id, "exercise_id": rec.exercise_id, "status": rec.status,
                           "progress": round(float(rec.progress or 0.0), 3), "error": rec.error,
                           "video_kept": bool(rec.keep_video and rec.file_path),
                           "created_at": rec.created_at.isoformat(),
                           "finished_at": rec.finished_at.isoformat() if rec.finished_at else None,
                           "result": rec.result}
    if rec.result is not None:
        try:
            ex = catalog().get(rec.exercise_id)
            known, serious = [f.id for f in ex.faults], list(ex.serious_fault_ids)
        except BackcoachError:
            known, serious = [], []
        hold = rec.hold_s or 2.0
        out["log"] = coaching.log_fields(rec.result, known, serious)
        out["cues"] = [coaching.cue_for_repetition(r, rec.exercise_id, hold)
                       for r in rec.result.get("repetitions") or []]
        if uow is not None:
            rows = uow.videos.keyframes_of(rec.id)
            out["keyframes"] = [{"index": i, "t": t, "width": w, "height": h,
                                 "url": f"/api/videos/{rec.id}/keyframes/{i}"} for i, t, w, h in rows]
    return out


def poll(uow: UnitOfWork, person_id: int, video_id: int, now: dt.datetime, limits: "StallLimits") -> dict[str, Any]:
    """A person asks how their job is doing: a job whose worker is gone is failed first
    (`uow` writes only then, as `begin_write` says; the caller's uow need not be writing)."""
    rec = video_for(uow, person_id, video_id)
    if limits.stalled(rec, now):
        uow.begin_write()
        fail_stalled(uow, now, limits, video_id=video_id)
        uow.commit()
    return video_dict(rec, uow)


def _keyframes(analysis: Any, video_id: int) -> list[tuple[int, float, bytes, int, int]]:
    """Each repetition's annotated picture, taken while the video is still here, numbered
    by its place in the result's repetitions (1, 2, ...). Without them the result still
    stands (the counts and cues): a failure is logged, not shown."""
    if getattr(analysis, "video", None) is None or not analysis.repetitions:
        return []
    try:
        from backcoach.motion.annotate import keyframe_jpegs

        place = {id(rep): i for i, rep in enumerate(analysis.repetitions, 1)}
        return [(place[id(rep)], t, image, w, h) for rep, t, image, w, h in keyframe_jpegs(analysis, analysis.video)]
    except Exception:  # noqa: BLE001 - the analysis is done; only its pictures are missing
        log.exception("video analysis %s: keyframe pictures could not be made", video_id)
        return []


def keyframe_for(uow: UnitOfWork, person_id: int, video_id: int, rep_index: int) -> m.VideoKeyframe:
    """A repetition's picture, only for the person whose video it was."""
    video_for(uow, person_id, video_id)
    frame = uow.videos.keyframe(video_id, rep_index)
    if frame is None:
        raise VideoNotFound("There is no picture for this repetition.")
    return frame


def _finish_file(rec: m.VideoAnalysis) -> None:
    if rec.file_path and not rec.keep_video:
        Path(rec.file_path).unlink(missing_ok=True)
        rec.file_path = None


def run_analysis(factory: Callable[[], UnitOfWork], video_id: int,
                 analyze: Callable[..., Any] | None = None, clock: Callable[[], dt.datetime] | None = None) -> dict[str, Any]:
    """The job: analyse the stored video, writing progress, then the result or a plain error.

    `analyze` defaults to `backcoach.motion.analyze_video` (tests pass a fake)."""
    from backcoach.motion import CheckOptions, MotionError

    if analyze is None:
        from backcoach.motion import analyze_video as analyze
    clock = clock or (lambda: dt.datetime.now(dt.timezone.utc))
    with factory() as uow:
        rec = uow.videos.get(video_id)
        if rec is None:
            raise VideoNotFound(f"Video analysis {video_id} is not in the database this worker uses.")
        if rec.status in ("done", "failed"):
            return {"id": video_id, "status": rec.status}
        rec.status, rec.progress, rec.heartbeat_at = "running", 0.0, clock()
        uow.commit()
        path, exercise, hold = rec.file_path, rec.exercise_id, rec.hold_s
    last = [0.0]

    def progress(done: float, total: float) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S:
            return
        last[0] = now
        with factory() as uow2:
            r = uow2.videos.get(video_id)
            if r is not None and r.status == "running":
                r.progress = min(0.99, done / total) if total > 0 else 0.0
                r.heartbeat_at = clock()
                uow2.commit()

    result: dict[str, Any] | None = None
    error: str | None = None
    pictures: list[tuple[int, float, bytes, int, int]] = []
    try:
        if not path or not Path(path).exists():
            raise VideoRejected("The uploaded video is no longer there; please upload it again.")
        options = CheckOptions(hold_target_s=hold) if hold else CheckOptions()
        analysis = analyze(path, exercise, options=options, progress=progress)
        result = analysis.to_dict()
        pictures = _keyframes(analysis, video_id)
    except (MotionError, BackcoachError) as exc:
        error = str(exc)
    except Exception:  # noqa: BLE001 - a bug: logged, the person gets a plain message
        log.exception("video analysis %s failed", video_id)
        error = "The analysis failed unexpectedly. Please try again; if it keeps failing, report it."
    with factory() as uow:
        rec = uow.videos.get(video_id)
        if rec is None:
            return {"id": video_id, "status": "gone"}
        if rec.status != "running":  # given up on as stalled meanwhile (fail_stalled): that answer stands
            return {"id": video_id, "status": rec.status}
        rec.status = "done" if result is not None else "failed"
        rec.result, rec.error = result, error
        rec.progress = 1.0 if result is not None else rec.progress
        rec.finished_at = clock()
        uow.videos.add_keyframes([
            m.VideoKeyframe(video_id=video_id, person_id=rec.person_id, rep_index=place, t_s=round(t, 3),
                            width=width, height=height, image=image)
            for place, t, image, width, height in (pictures if result is not None else ())])
        if result is None:
            rec.keep_video = False  # nothing half-done is kept
        _finish_file(rec)
        uow.commit()
        return {"id": video_id, "status": rec.status}


@dataclass(frozen=True)
class StallLimits:
    """How long a job may show no sign of life before we say it stopped.

    A running job writes its progress every PROGRESS_EVERY_S; if its process dies (a
    restart, a crash, a Celery worker killed) nothing else would ever finish the record,
    and the person would watch "running" for ever."""

    running_s: float = 120.0  # no progress written for this long: the worker is gone
    queued_s: float = 1800.0  # never started in this long: nothing is taking the queue

    @classmethod
    def of(cls, settings: Any) -> "StallLimits":
        return cls(running_s=settings.video_stall_running_s, queued_s=settings.video_stall_queued_s)

    def stalled(self, rec: m.VideoAnalysis, now: dt.datetime) -> bool:
        """The same test as `fail_stalled`'s query, for one record already read."""
        seen = rec.heartbeat_at or rec.created_at
        limit = {"running": self.running_s, "queued": self.queued_s}.get(rec.status)
        return limit is not None and seen < now - dt.timedelta(seconds=limit)


def fail_stalled(uow: UnitOfWork, now: dt.datetime, limits: StallLimits = StallLimits(),
                 video_id: int | None = None) -> int:
    """Mark jobs whose worker is gone as failed with a plain message and delete their
    files (a kept video too: the analysis must be redone from a fresh upload). Run at
    start-up and when a person asks for a job's status; returns how many were given up.
    The caller commits."""
    stalled = uow.videos.stalled(now - dt.timedelta(seconds=limits.running_s),
                                 now - dt.timedelta(seconds=limits.queued_s), video_id)
    for rec in stalled:
        log.warning("video analysis %s was %s with no sign of life since %s: marked failed", rec.id, rec.status,
                    rec.heartbeat_at or rec.created_at)
        rec.status, rec.error, rec.result, rec.finished_at = "failed", STALLED_MESSAGE, None, now
        rec.keep_video = False
        _finish_file(rec)
    return len(stalled)


def units_of_work(database_url: str) -> Callable[[], UnitOfWork]:
    """Units of work for a job worker (the schema is set up by the web app's start-up or `backcoach db upgrade`)."""
    from backcoach.storage.unit_of_work import SqlAlchemyUnitOfWork

    return lambda: SqlAlchemyUnitOfWork(database_url)


def delete_video(uow: UnitOfWork, person_id: int, video_id: int) -> None:
    """The person no longer wants the kept video (the analysis result stays)."""
    rec = video_for(uow, person_id, video_id)
    if rec.file_path and rec.status in ("done", "failed"):
        Path(rec.file_path).unlink(missing_ok=True)
        rec.file_path = None
        rec.keep_video = False
        uow.commit()


__all__ = ["STALLED_MESSAGE", "StallLimits", "VideoLimits", "VideoNotFound", "VideoRejected", "VideoTooLarge",
           "delete_video", "fail_stalled", "keyframe_for", "poll", "run_analysis",
           "sniff_container", "units_of_work", "store_upload", "video_dict", "video_for"]
