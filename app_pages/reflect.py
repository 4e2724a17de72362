"""Reflect: an honest look at what went wrong, stored for later; then a grounded reframe."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from app_pages.ui import require_interview, show_error
from debrief.errors import DebriefError
from debrief.records.models import CAUSE_TAGS, Reflection
from debrief.services.container import app_services
from debrief.services.reflection import reflection_questions

services = app_services()
st.title("Reflect")
interview = require_interview(services)
assert interview.id is not None  # require_interview guarantees a saved interview
state = st.session_state
key = f"rf_{interview.id}"
questions = reflection_questions()
# Streamlit drops a widget's state when another page is shown: load again on return.
if state.get("rf_loaded") != interview.id or "rf_tags" not in state:
    saved = services.reflection.get(interview.id) or Reflection(interview_id=interview.id)
    for asked in questions:
        state[f"rf_{asked.field}"] = getattr(saved, asked.field)
    state["rf_tags"] = list(saved.cause_tags)
    state["rf_confidence"] = saved.confidence
    state["rf_loaded"] = interview.id

for asked in questions:
    st.text_area(asked.question, key=f"rf_{asked.field}", height=80)


def _reflection() -> Reflection:
    return Reflection(
        interview_id=interview.id or 0,
        cause_tags=state["rf_tags"],
        confidence=state["rf_confidence"],
        **{asked.field: state[f"rf_{asked.field}"] for asked in questions},
    )


if st.button("Suggest causes", key="rf_suggest"):
    try:
        with st.spinner("Reading your answers…"):
            proposal = services.reflection.propose(_reflection())
        state["rf_tags"] = list(proposal.cause_tags)
        state["rf_diagnosis"] = proposal.diagnosis
        st.rerun()
    except DebriefError as exc:
        show_error(exc)
if state.get("rf_diagnosis"):
    st.caption("Suggested diagnosis (copy what fits into your own words above):")
    st.text(state["rf_diagnosis"])
# Pills, not a drop-down: leaving a text area reruns the page, and a rerun could close a
# drop-down the same click had just opened (reported: "did not open on the first click").
# A pill is toggled by that one click, rerun or not, and all causes are seen at once.
st.pills(
    "Causes",
    CAUSE_TAGS,
    selection_mode="multi",
    key="rf_tags",
    format_func=lambda t: t.replace("_", " "),
)
st.slider("How confident do you feel now? (1-5)", 1, 5, key="rf_confidence")

if st.button("Save reflection", type="primary", key="rf_save"):
    try:
        services.reflection.save(_reflection())
    except ValidationError as exc:
        st.error("; ".join(e["msg"] for e in exc.errors()))
    else:
        st.success("Saved. Here is a different way to look at it:")
        try:
            with st.spinner("Writing…"):
                reframe = services.reframe.reframe(interview.id)
            state[f"reframe_{interview.id}"] = reframe.text
        except DebriefError as exc:
            show_error(exc)
if state.get(f"reframe_{interview.id}"):
    with st.container(border=True):
        st.text(state[f"reframe_{interview.id}"])
