"""Answer files and a runner for the CLI tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from answers import CLEAR

LEVELS = {
    "clear": CLEAR,
    "see_clinician": {**CLEAR, "onset_weeks": 8},
    "urgent": {**CLEAR, "fever_or_chills": True},
    "emergency": {**CLEAR, "saddle_numbness": True, "bladder_change": True},
}
ASSESSMENT = {
    "pain_now": 3, "pain_worst_24h": 4, "side": "left", "radiation": "none", "onset_weeks": 2,
    "bridge_hold_s": 20, "single_leg_bridge_reps_left": 5, "single_leg_bridge_reps_right": 8,
    "stance_hip_drop_left": True, "stance_hip_drop_right": False,
    "side_lying_hold_s_left": 15, "side_lying_hold_s_right": 30,
}


def write(dir_: Path, name: str, data: Any) -> Path:
    path = dir_ / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def session_file(dir_: Path, today_json: dict[str, Any], *, pain: int = 1, rpe: int = 5, name: str = "session.json",
                 **extra: Any) -> Path:
    """A session doing exactly what `backcoach today --json` asked."""
    entries = []
    for item in today_json["exercises"]:
        p = item["prescription"]
        entry = {"exercise_id": p["exercise_id"], "sets": p["sets"], "hold_s": p["hold_s"],
                 "pain_during": pain, "rpe": rpe, "form": "good"}
        if p.get("reps") is not None:
            entry["reps"] = p["reps"]
        entries.append(entry)
    return write(dir_, name, {"exercises": entries, **extra})


CLINICIAN_PASSWORD = "a long clinician password"


def clinician_account(database_url: str, email: str = "rivera@clinic.example", name: str = "Dr Rivera",
                      approval: str | None = "approved") -> str:
    """A clinician's web account in the CLI's database (signed up, then approved or refused as asked)."""
    import datetime as dt

    from backcoach.services import web_accounts
    from backcoach.storage import SqlAlchemyUnitOfWork, upgrade_if_behind
    from backcoach.web.security import make_hasher

    now = dt.datetime.now(dt.timezone.utc)
    upgrade_if_behind(database_url)  # as the command line does when it starts
    with SqlAlchemyUnitOfWork(database_url) as uow:
        web_accounts.sign_up(uow, email=email, password=CLINICIAN_PASSWORD, display_name=name,
                             role="clinician", profession="Doctor", registration_number="GMC 7654321",
                             hash_password=make_hasher(fast=True).hash, now=now)
        if approval in ("approved", "refused"):
            web_accounts.decide_clinician(uow, None, approve=approval == "approved", email=email, now=now)
        uow.commit()
    return email
