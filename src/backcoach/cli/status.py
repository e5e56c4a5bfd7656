"""`backcoach status`: program, decisions, pain trend, adherence, escalations."""

from __future__ import annotations

from typing import Optional

from backcoach.cli.render import disclaimer, fmt, out, print_json, render_alerts, render_program
from backcoach.cli.root import JsonOpt, PersonOpt, app, now, uow


@app.command()
def status(person: Optional[str] = PersonOpt, as_json: bool = JsonOpt) -> None:
    """Program, latest decisions with reasons, pain trend, adherence and escalations."""
    from backcoach import services

    pid = services.resolve_person(uow(), person)
    st = services.get_status(uow(), pid, now())
    data = st.to_dict()
    if as_json:
        print_json(data)
        return
    out.print(f"{st.display_name} — status on {now().date().isoformat()}", style="bold")
    gate = data["gate"]
    latest = gate.get("latest_screening")
    if latest:
        out.print(f"Last safety screen: {latest['at'][:10]} ({latest['level'].replace('_', ' ')})")
    if gate.get("lock"):
        lock = gate["lock"]
        out.print(f"Paused until a clinician has checked you ({lock['level']} screen on {lock['on']})", style="bold red")
    if gate["allowed"]:
        out.print("Program: allowed", style="green")
    else:
        out.print("Program: paused", style="bold red")
        for r in gate["reasons"]:
            out.print(f"  • {r}")
    if gate.get("reminder"):
        out.print(f"Reminder: {gate['reminder']}", style="yellow")
    if st.program is not None:
        render_program(st.program)
    else:
        out.print("No program yet (`backcoach start`).")
    mon = data["monitoring"]
    out.print(f"Pain: baseline {fmt(mon.get('baseline'))}, last 7 days {fmt(mon.get('mean_7d'))}, trend {mon.get('trend')}")
    adherence = mon.get("adherence") or []
    if adherence:
        out.print("Adherence: " + "; ".join(
            f"week of {w.get('week_start')}: {w.get('done')}/{w.get('planned')}" for w in adherence[-4:]))
    if data["escalations"]:
        out.print("Needs attention", style="bold")
        render_alerts(data["escalations"])
    if data["decisions"]:
        out.print("Latest decisions", style="bold")
        for d in data["decisions"][:6]:
            who = f"by {d.get('by_name') or 'a clinician'}" if d["source"] == "clinician" else "rules"
            out.print(f"  {d['at'][:10]} {d['action']} {d['exercise_id']} ({who})")
            for r in d["reasons"]:
                out.print(f"      {r}")
    disclaimer()
