"""Plan: concrete, dated steps up to the next interview; edit, reorder, check off, export."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st
from pydantic import ValidationError

from app_pages.ui import as_text, require_interview, show_error
from debrief.errors import DebriefError
from debrief.records.models import PlanStep
from debrief.services.container import app_services
from debrief.services.exports import (
    plan_ics,
    plan_ics_filename,
    plan_markdown,
    plan_markdown_filename,
)

services = app_services()
st.title("Plan")
interview = require_interview(services)
assert interview.id is not None  # require_interview guarantees a saved interview
current = services.plan.view(interview.id)
plan = current.plan if current else None
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
        services.plan.make_plan(interview.id)
        st.rerun()  # the plan's check is shown beside it below
    except DebriefError as exc:
        show_error(exc)

if plan is None or not plan.steps:
    if services.reflection.get(interview.id) is None:
        st.info("Save a reflection first (Reflect page); the plan is built from it.")
    else:
        st.info("No plan yet: “Make a plan” drafts dated steps from your reflection.")
    st.stop()

names = services.plan.cause_names()  # tag -> what the user reads ("Your story stalled")
tags = {name: tag for tag, name in names.items()}

# A card per step: the action and its "done when" wrap in full at any width (a table's cells
# cut long text off on the right). Editing is in the table below, folded away.
for step in plan.steps:
    with st.container(border=True):
        tick, body = st.columns([1, 12])
        ticked = tick.checkbox("Done", value=step.done, key=f"plan_done_{plan.id}_{step.position}")
        if ticked != step.done:
            services.plan.set_done(interview.id, step.position, ticked)
            st.rerun()
        # Plain text, never Markdown: an edited or imported step may hold anything.
        body.text(step.action)
        body.text(
            f"Due {step.due_date:%a %d %b} · Done when: {step.done_when} · "
            f"For: {names.get(step.cause, step.cause)}"
        )

rows: list[dict[str, Any]] = [
    {
        "order": s.position + 1,
        "done": s.done,
        "action": s.action,
        "due": s.due_date,
        "done when": s.done_when,
        "cause": names.get(s.cause, s.cause),
    }
    for s in plan.steps
]
with st.expander("Edit, add or reorder steps"):
    edited = st.data_editor(
        rows,
        key=f"plan_editor_{plan.id}",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "order": st.column_config.NumberColumn("Order", min_value=1, step=1, width="small"),
            "done": st.column_config.CheckboxColumn("Done", width="small"),
            "action": st.column_config.TextColumn("Action", width="large"),
            "due": st.column_config.DateColumn("Due", format="ddd D MMM", width="small"),
            "done when": st.column_config.TextColumn("Done when", width="medium"),
            "cause": st.column_config.SelectboxColumn(
                "For", options=list(names.values()), width="medium"
            ),
        },
    )
    save = st.button("Save changes", key="plan_save")
done = sum(bool(r.get("done")) for r in edited)
st.progress(done / max(1, len(edited)), text=f"{done} of {len(edited)} steps done")

if current is not None and not current.check.passed:
    st.warning(as_text(current.check.comment))
for flag in current.flags if current is not None else ():
    st.warning(f"{as_text(flag.reason)} “{as_text(flag.span)}”", icon=":material/flag:")

if save:
    try:
        ordered = sorted(edited, key=lambda r: r.get("order") or 99)
        steps = [
            PlanStep(
                action=r["action"],
                due_date=r["due"],
                done_when=r["done when"],
                cause=tags.get(r["cause"] or "", r["cause"] or "other"),
                done=bool(r.get("done")),
            )
            for r in ordered
        ]
    except (ValidationError, ValueError, TypeError, KeyError) as exc:
        st.error(
            f"A step is incomplete: {as_text(str(exc))}. "
            "Every step needs an action, a due date and a 'done when'."
        )
    else:
        try:
            services.plan.save_edited(interview.id, steps)
        except DebriefError as exc:
            show_error(exc)
        else:
            st.success("Saved.")
            st.rerun()


a, b, _ = st.columns([1, 1, 3])
a.download_button(
    "Add to calendar (.ics)",
    plan_ics(interview, plan),
    file_name=plan_ics_filename(interview),
    mime="text/calendar",
    key="plan_ics",
)
b.download_button(
    "Download as Markdown",
    plan_markdown(interview, plan),
    file_name=plan_markdown_filename(interview),
    mime="text/markdown",
    key="plan_md",
)
today = date.today()
overdue = [s for s in plan.steps if not s.done and s.due_date < today]
if overdue:
    st.warning(f"{len(overdue)} step(s) are past their date: move the date or mark them done.")
