"""Plan: concrete, dated steps up to the next interview; edit, reorder, check off, export."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from app_pages.ui import require_interview, show_error
from debrief.errors import DebriefError
from debrief.records.models import CAUSE_TAGS, ActionPlan, PlanStep
from debrief.services.container import app_services

services = app_services()
store = services.history.store
st.title("Plan")
interview = require_interview(services)
assert interview.id is not None  # require_interview guarantees a saved interview
plan = store.get_plan(interview.id)
horizon = interview.next_interview_at.date() if interview.next_interview_at else None
st.caption(
    f"Up to your next interview on {horizon:%A %d %B}."
    if horizon
    else "No next interview booked: the plan covers the coming week."
)

if st.button(
    "Make a plan" if plan is None else "Make a new plan",
    type="primary" if plan is None else "secondary",
    key="plan_make",
):
    try:
        with st.spinner("Planning… (about 20 s)"):
            result = services.plan.make_plan(interview.id)
        if not result.check.passed:
            st.warning(result.check.comment)
        st.rerun()
    except DebriefError as exc:
        show_error(exc)

if plan is None or not plan.steps:
    st.info("Save a reflection first (Reflect page); the plan is built from it.")
    st.stop()

rows = [
    {
        "order": s.position + 1,
        "done": s.done,
        "action": s.action,
        "due": s.due_date,
        "done when": s.done_when,
        "cause": s.cause,
    }
    for s in plan.steps
]
edited = st.data_editor(
    rows,
    key=f"plan_editor_{plan.id}",
    num_rows="dynamic",
    width="stretch",
    column_config={
        "order": st.column_config.NumberColumn("Order", min_value=1, step=1, width="small"),
        "done": st.column_config.CheckboxColumn("Done", width="small"),
        "due": st.column_config.DateColumn("Due", format="ddd D MMM"),
        "cause": st.column_config.SelectboxColumn("Cause", options=list(CAUSE_TAGS)),
    },
)
done = sum(bool(r.get("done")) for r in edited)
st.progress(done / max(1, len(edited)), text=f"{done} of {len(edited)} steps done")

if st.button("Save changes", key="plan_save"):
    try:
        ordered = sorted(edited, key=lambda r: r.get("order") or 99)
        steps = [
            PlanStep(
                action=r["action"],
                due_date=r["due"],
                done_when=r["done when"],
                cause=r["cause"] or "other",
                done=bool(r.get("done")),
            )
            for r in ordered
        ]
        store.save_plan(ActionPlan(interview_id=interview.id, steps=steps))
        st.success("Saved.")
        st.rerun()
    except (ValueError, TypeError, KeyError) as exc:
        st.error(
            f"A step is incomplete: {exc}. "
            "Every step needs an action, a due date and a 'done when'."
        )


def _ics(steps: list[PlanStep]) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Debrief//Plan//EN"]
    for step in steps:
        day = step.due_date.strftime("%Y%m%d")
        summary = step.action.replace("\n", " ").replace(",", "\\,").replace(";", "\\;")
        lines += [
            "BEGIN:VEVENT",
            f"UID:debrief-{interview.id}-{step.id}@localhost",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day}",
            f"SUMMARY:{summary}",
            f"DESCRIPTION:Done when: {step.done_when.replace(',', chr(92) + ',')}",
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def _markdown(steps: list[PlanStep]) -> str:
    out = [f"# Plan after {interview.company} ({interview.held_at:%d %b %Y})", ""]
    out += [
        f"- [{'x' if s.done else ' '}] **{s.due_date:%a %d %b}** {s.action}"
        f" — done when: {s.done_when} ({s.cause})"
        for s in steps
    ]
    return "\n".join(out) + "\n"


a, b = st.columns(2)
a.download_button(
    "Add to calendar (.ics)",
    _ics(plan.steps),
    file_name="debrief-plan.ics",
    mime="text/calendar",
    key="plan_ics",
)
b.download_button(
    "Download as Markdown",
    _markdown(plan.steps),
    file_name="debrief-plan.md",
    mime="text/markdown",
    key="plan_md",
)
today = date.today()
overdue = [s for s in plan.steps if not s.done and s.due_date < today]
if overdue:
    st.warning(f"{len(overdue)} step(s) are past their date: move the date or mark them done.")
