"""The camera coach pages: live coaching and "analyse a video of my set" for one exercise
of today's session, and the guided session (one exercise at a time)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from backcoach.domain.errors import ProgramLocked
from backcoach.web import usecases
from backcoach.web.pages import Page, PageContext, redirect, role_required

router = APIRouter()

# The coach pages run the pose model (WebAssembly) and play the chosen video from a blob: URL.
COACH_CSP = ("default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; "
             "script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; connect-src 'self'; "
             "frame-ancestors 'none'; form-action 'self'")


def camera_exercises() -> frozenset[str]:
    from backcoach.motion import EXERCISES

    return frozenset(EXERCISES)


def install(env: Any) -> None:
    """Template globals: which exercises the camera can check (for the buttons on Today)."""
    env.globals["camera_exercises"] = camera_exercises()


def _today_cards(ctx: PageContext) -> tuple[Any, list[dict[str, Any]]] | Any:
    from backcoach import services
    from backcoach.web.routes.person import _locked

    role_required(ctx, "person")
    try:
        session = services.todays_session(ctx.service_uow(write=False), ctx.person_id, ctx.now)
    except ProgramLocked as exc:
        return _locked(ctx, exc)
    except services.NoProgram:
        return redirect("/assessment")
    return session, usecases.exercise_cards(session)


def _with_csp(response: Any) -> Any:
    response.headers["content-security-policy"] = COACH_CSP
    return response


@router.get("/coach/{exercise_id}")
def coach_page(exercise_id: str, ctx: Page):
    got = _today_cards(ctx)
    if not isinstance(got, tuple):
        return got
    session, cards = got
    index = next((i for i, c in enumerate(cards) if c["exercise_id"] == exercise_id), None)
    if index is None:
        return ctx.render("errors/error.html", status_code=404, status=404,
                          error_message="This exercise is not in today's session, so there is nothing to coach here.")
    card = cards[index]
    from backcoach.motion import get_check

    from backcoach.services.common import catalog

    check = get_check(exercise_id) if exercise_id in camera_exercises() else None
    ex = catalog().get(exercise_id)
    return _with_csp(ctx.render(
        "person/coach.html", card=card, index=index, supported=check is not None, day=ctx.today.isoformat(),
        camera=camera_setup(check, ex) if check is not None else None, mode=check.mode if check is not None else None,
        known_faults=",".join(f.id for f in ex.faults), serious_faults=",".join(sorted(ex.serious_fault_ids)),
        sample_fps=_sample_fps(), max_mb=ctx.settings.video_max_mb, max_seconds=ctx.settings.video_max_seconds))


_COUNTING_VIEW = {
    "side": "Put the phone on the floor at hip height, 2 to 3 metres to your side, so it sees you side-on from head "
            "to feet. From there the coach counts your repetitions and checks your form.",
    "front": "Put the phone at the height of your hips, in front of you, so it sees your whole body.",
}


def camera_setup(check: Any, ex: Any) -> dict[str, str]:
    """Where to put the phone for this exercise: the view that counts (the check's first), and,
    when some faults can only be seen from the feet end, how to film from there to check them."""
    out = {"count": _COUNTING_VIEW.get(check.views[0], "Put the phone where it sees your whole body, head to feet.")}
    names = {f.id: f.name for f in ex.faults} if ex is not None else {}
    feet_only = [f'"{names.get(f, f.replace("_", " "))}"' for f in check.faults_seen_only_from("feet")]
    if "feet" in check.views and feet_only:
        out["feet"] = (f"{' and '.join(feet_only)} can only be seen from your feet. To check it, film a set from there: "
                       "put the phone 1 to 1.5 metres beyond your feet, raised 40 to 100 cm (a low stool or a chair "
                       "seat) and tilted down to look along your body, so both hips and both shoulders are in the "
                       f"picture. The coach counts from there too; the other checks need the {check.views[0]} view.")
    return out


def _sample_fps() -> float:
    """Frames per second of media time analysed in the browser: the recorded path's rate (catalog/motion.yaml)."""
    try:
        from backcoach.motion.config import motion_config

        return float(motion_config().sampling.sample_fps)
    except (ImportError, AttributeError):
        return 8.0


@router.get("/guided")
def guided_page(ctx: Page):
    got = _today_cards(ctx)
    if not isinstance(got, tuple):
        return got
    session, cards = got
    if session.rest_day or not cards:
        return redirect("/today")
    return _with_csp(ctx.render("person/guided.html", session=session, cards=cards))
