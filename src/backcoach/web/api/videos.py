"""Recorded sets over the API.

Two ways to analyse a set, both giving the JSON of `backcoach analyze --json`:
- `POST /api/coach/landmarks/{exercise_id}`: the page ran the pose model on the person's
  device, stepping through the video by its media time, and sends only the landmarks;
  the answer comes straight back (the video never leaves the device).
- `POST /api/videos`: the video itself is uploaded and analysed by a background job
  (in-process, or Celery workers when JOBS_BACKEND=celery); poll `GET /api/videos/{id}`.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from backcoach.domain.errors import BackcoachError
from backcoach.services import videos as videos_svc
from backcoach.web.api.schemas import FROM_DICT, LandmarksAnalysed, VideoAnalysis, respond_with
from backcoach.web.deps import CurrentPerson, Now, RecordId, Services
from backcoach.web.slow import run_slow

router = APIRouter(tags=["camera coach"])

MAX_LANDMARK_FRAMES = 3600  # 6 minutes at 10 frames/s of media time
MULTIPART_OVERHEAD = 64 * 1024
CHUNK = 1024 * 1024
_runner_lock = threading.Lock()


STATUS = ((videos_svc.VideoTooLarge, 413), (videos_svc.VideoRejected, 415), (videos_svc.VideoNotFound, 404))


def http_error(exc: BackcoachError) -> HTTPException:
    """This module's errors with their HTTP status (the app's table stays as it is)."""
    return HTTPException(next((code for cls, code in STATUS if isinstance(exc, cls)), 400), str(exc))


def _camera_exercise(exercise_id: str) -> str:
    from backcoach.motion import EXERCISES

    if exercise_id not in EXERCISES:
        raise HTTPException(404, "The camera cannot check this exercise.")
    return exercise_id


def job_runner(app: Any) -> Any:
    """One runner per app: the in-process pool lives as long as the app."""
    with _runner_lock:
        runner = getattr(app.state, "jobs", None)
        if runner is None:
            from backcoach.jobs import get_runner

            runner = app.state.jobs = get_runner(app.state.settings)
        return runner


def limits_of(settings: Any) -> videos_svc.VideoLimits:
    return videos_svc.VideoLimits(max_bytes=int(settings.video_max_mb * 1_000_000), max_seconds=settings.video_max_seconds)


# -- in the browser: landmarks only ---------------------------------------------------------

class LandmarkFrameIn(BaseModel):
    t: float = Field(ge=0, le=86400, description="The frame's media time in seconds")
    width: int = Field(ge=1, le=10000)
    height: int = Field(ge=1, le=10000)
    landmarks: list[list[float]] | None = Field(default=None, description="33 rows of [x, y, z, visibility], or null")


class LandmarksIn(BaseModel):
    frames: list[LandmarkFrameIn] = Field(max_length=MAX_LANDMARK_FRAMES)
    seconds: float | None = Field(default=None, ge=0, le=86400, description="Length of the video")
    hold_s: float | None = Field(default=None, ge=0, le=120, description="Prescribed squeeze at the top")


def _analyse_landmarks(exercise_id: str, body: LandmarksIn) -> dict[str, Any]:
    from backcoach.motion import CheckOptions, LandmarkFrame, MotionError, analyze_landmarks
    from backcoach.services.common import catalog
    from backcoach.services import coaching

    frames = []
    last = -1.0
    for f in body.frames:
        if f.t <= last:
            raise HTTPException(422, "The frames must be in the order of their media time.")
        last = f.t
        if f.landmarks is not None and (len(f.landmarks) != 33 or any(len(p) != 4 for p in f.landmarks)):
            raise HTTPException(422, "Each frame needs 33 landmarks of [x, y, z, visibility].")
        frames.append(LandmarkFrame(t=f.t, points=f.landmarks, width=f.width, height=f.height))
    if not frames:
        raise HTTPException(422, "No frames were sent.")
    hold = body.hold_s
    options = CheckOptions(hold_target_s=hold) if hold else CheckOptions()
    try:
        result = analyze_landmarks(frames, exercise_id, options, seconds=body.seconds).to_dict()
    except MotionError as exc:
        raise HTTPException(422, str(exc)) from None
    ex = catalog().get(exercise_id)
    return {"exercise_id": exercise_id, "result": result,
            "log": coaching.log_fields(result, [f.id for f in ex.faults], list(ex.serious_fault_ids)),
            "cues": [coaching.cue_for_repetition(r, exercise_id, hold)
                     for r in result.get("repetitions") or []]}


@router.post("/coach/landmarks/{exercise_id}", summary="Analyse a set from landmarks found on the device",
             response_model=LandmarksAnalysed, **FROM_DICT)
def post_landmarks(exercise_id: str, body: LandmarksIn, me: CurrentPerson) -> Any:
    return _analyse_landmarks(_camera_exercise(exercise_id), body)


# -- upload: a background job ---------------------------------------------------------------

async def _receive_file(request: Request, upload_dir: Path, limits: videos_svc.VideoLimits) -> tuple[dict[str, str], Path, int]:
    """Parse the multipart form, copying the file part to a temporary file in the upload
    folder in chunks and stopping as soon as it passes the size limit."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes + MULTIPART_OVERHEAD:
        raise videos_svc.VideoTooLarge(limits.too_large(int(declared) - MULTIPART_OVERHEAD))
    if "multipart/form-data" not in request.headers.get("content-type", ""):
        raise HTTPException(415, "Send the video as multipart/form-data, in a field called 'file'.")
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if upload is None or isinstance(upload, str):
            raise HTTPException(422, "Choose a video file to upload (the form field 'file').")
        upload_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=upload_dir)
        temp = Path(name)
        size = 0
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := await upload.read(CHUNK):
                    size += len(chunk)
                    if size > limits.max_bytes:
                        raise videos_svc.VideoTooLarge(limits.too_large(size))
                    out.write(chunk)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return fields, temp, size
    finally:
        await form.close()


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@router.post("/videos", status_code=202, summary="Upload a video of a set; it is analysed in the background",
             response_model=VideoAnalysis, **FROM_DICT)
async def post_video(request: Request, me: CurrentPerson, units: Services, now: Now) -> Response:
    """Async, so that the upload streams to a file on the event loop; every database call and the
    job's submission run in the thread pool."""
    pid = me.person_id
    settings = request.app.state.settings
    limits = limits_of(settings)
    try:
        fields, temp, size = await _receive_file(request, settings.upload_dir, limits)
    except videos_svc.VideoRejected as exc:
        raise http_error(exc) from None
    try:
        exercise_id = _camera_exercise(fields.get("exercise_id", ""))
        hold = None
        if fields.get("hold_s"):
            try:
                hold = min(max(float(fields["hold_s"]), 0.0), 120.0)
            except ValueError:
                raise HTTPException(422, "hold_s must be a number of seconds.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise

    def store() -> Any:
        uow = units.write()
        with uow:
            return videos_svc.store_upload(uow, pid, exercise_id, temp, size, settings.upload_dir, limits,
                                           _flag(fields.get("keep")), hold, now)

    try:
        rec = await run_slow(request, store)  # it reads the video's length: slow work (web/slow.py)
    except (videos_svc.VideoRejected, videos_svc.VideoNotFound) as exc:
        raise http_error(exc) from None
    runner = job_runner(request.app)
    try:
        kwargs: dict[str, Any] = {"video_id": rec.id}
        if settings.jobs_backend != "celery":
            kwargs["database_url"] = settings.database_url
        job_id = await run_in_threadpool(lambda: runner.submit("analyze_upload", **kwargs))
    except Exception as exc:  # the broker is down: say so, keep nothing
        await run_in_threadpool(_abandon, units, rec.id)
        raise BackcoachError("The video could not be queued for analysis (the job service is not reachable). "
                             "Nothing was kept; please try again later.") from exc
    await run_in_threadpool(_set_job, units, rec.id, job_id)
    return respond_with(VideoAnalysis, 202)(await run_in_threadpool(_get, units, pid, rec.id))


def _abandon(units: Services, video_id: int) -> None:
    uow = units.write()
    with uow:
        rec = uow.videos.get(video_id)
        if rec is not None:
            if rec.file_path:
                Path(rec.file_path).unlink(missing_ok=True)
            uow.videos.delete(rec)
            uow.commit()


def _set_job(units: Services, video_id: int, job_id: str) -> None:
    uow = units.write()
    with uow:
        rec = uow.videos.get(video_id)
        if rec is not None:
            rec.job_id = job_id
            uow.commit()


def _get(units: Services, pid: int, video_id: int) -> dict[str, Any]:
    uow = units.write_phase()  # writes only to give up a stalled job
    with uow:
        try:
            return videos_svc.poll(uow, pid, video_id, units.now, videos_svc.StallLimits.of(units.state.settings))
        except videos_svc.VideoNotFound as exc:
            raise http_error(exc) from None


@router.get("/videos/{video_id}", summary="Status, progress and result of an uploaded video's analysis",
            response_model=VideoAnalysis, **FROM_DICT)
def get_video(video_id: RecordId, me: CurrentPerson, units: Services) -> Any:
    return _get(units, me.person_id, video_id)


@router.get("/videos/{video_id}/keyframes/{rep_index}", summary="A repetition's annotated picture (JPEG)",
            response_class=Response, responses={200: {"content": {"image/jpeg": {}}}})
def get_keyframe(video_id: RecordId, rep_index: RecordId, me: CurrentPerson, units: Services) -> Response:
    with units.read() as uow:
        try:
            frame = videos_svc.keyframe_for(uow, me.person_id, video_id, rep_index)
        except videos_svc.VideoNotFound as exc:
            raise http_error(exc) from None
        return Response(frame.image, media_type="image/jpeg")


@router.delete("/videos/{video_id}/file", status_code=204, summary="Delete a kept video (the result stays)")
def delete_video_file(video_id: RecordId, me: CurrentPerson, units: Services) -> Response:
    uow = units.write()
    with uow:
        try:
            videos_svc.delete_video(uow, me.person_id, video_id)
        except videos_svc.VideoNotFound as exc:
            raise http_error(exc) from None
    return Response(status_code=204)
