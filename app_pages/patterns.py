"""Patterns: what keeps going wrong, whether notes go out in time, and how plans are going."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import streamlit as st

from debrief.records.models import CAUSE_TAGS, DraftKind, DraftStatus
from debrief.services.container import app_services

services = app_services()
store = services.history.store
st.title("Patterns")
interviews = store.list_interviews()
if not interviews:
    st.info(
        "Your patterns will show here once you have saved a few interviews and reflections. "
        "Start on the Interview page; after each interview, reflect and make a plan."
    )
    st.stop()

by_id = {i.id: i for i in interviews}
reflections = store.list_reflections()
st.subheader("Causes across interviews, by month")
if reflections:
    months: dict[str, Counter[str]] = {}
    for reflection in reflections:
        month = by_id[reflection.interview_id].held_at.strftime("%Y-%m")
        months.setdefault(month, Counter()).update(reflection.cause_tags)
    ordered = sorted(months)
    table = {
        tag.replace("_", " "): [months[m][tag] for m in ordered]
        for tag in CAUSE_TAGS
        if any(months[m][tag] for m in ordered)
    }
    if table:
        st.bar_chart(table | {"month": ordered}, x="month", stack=True, height=260)
    else:
        st.caption("No causes tagged yet.")
else:
    st.caption("No reflections yet: the Reflect page asks a few questions after each interview.")

left, right = st.columns(2)
with left:
    st.subheader("Notes sent within 24 hours")
    sent = on_time = 0
    for interview in interviews:
        for draft in store.list_drafts(interview.id or 0):
            if (
                draft.kind == DraftKind.THANK_YOU
                and draft.status == DraftStatus.SENT
                and draft.updated_at
            ):
                sent += 1
                sent_at = draft.updated_at.replace(tzinfo=None)
                on_time += sent_at - interview.held_at <= timedelta(hours=24)
    if sent:
        st.metric(
            "On time",
            f"{on_time} of {sent}",
            help="Marked as sent within a day of the interview (UTC).",
        )
    else:
        st.caption("Mark notes as sent on the Thank-you notes page to see this.")
with right:
    st.subheader("Plan completion")
    progress = {}
    for interview in interviews:
        plan = store.get_plan(interview.id or 0)
        if plan and plan.steps:
            progress[f"{interview.company} {interview.held_at:%d %b}"] = round(
                100 * sum(s.done for s in plan.steps) / len(plan.steps)
            )
    if progress:
        st.bar_chart(
            {"interview": list(progress), "% done": list(progress.values())},
            x="interview",
            y="% done",
            height=240,
        )
    else:
        st.caption("Make a plan on the Plan page to track it here.")
