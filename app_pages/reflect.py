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
    stored = services.reflection.get(interview.id)
    saved = stored or Reflection(interview_id=interview.id)
    for asked in questions:
        state[f"rf_{asked.field}"] = getattr(saved, asked.field)
    state["rf_tags"] = list(saved.cause_tags)
    state["rf_confidence"] = saved.confidence
    state["rf_loaded"] = interview.id
    state["rf_prefilled"] = 0
    # Start from what the Interview page already holds: the questions stumbled on.
    prefill = services.reflection.stumble_prefill(interview.id)
    if stored is None and prefill is not None and not state["rf_unprepared_question"]:
        state["rf_unprepared_question"] = prefill.text
        state["rf_prefilled"] = prefill.questions

for asked in questions:
    st.text_area(asked.question, key=f"rf_{asked.field}", height=80)
    if asked.field == "unprepared_question" and state.get("rf_prefilled"):
        count = state["rf_prefilled"]
        st.caption(
            f"Filled in from the {'question' if count == 1 else f'{count} questions'} you "
            "stumbled on (Interview page); say what happened in your own words."
        )


def _reflection() -> Reflection:
    return Reflection(
        interview_id=interview.id or 0,
        cause_tags=state["rf_tags"],
        confidence=state["rf_confidence"],
        **{asked.field: state[f"rf_{asked.field}"] for asked in questions},
    )


if st.button("Suggest causes", key="rf_suggest"):
    try:
        proposal = services.reflection.propose(_reflection())
        state["rf_tags"] = list(proposal.cause_tags)
        state["rf_diagnosis"] = proposal.diagnosis
        st.rerun()
    except DebriefError as exc:
        show_error(exc)
if state.get("rf_diagnosis"):
    st.caption("Suggested from your answers (causes ticked below; change what does not fit):")
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
