"""Ask: "why do my interviews go badly?" across everything you have saved, with sources."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages.charts import cause_bars
from app_pages.ui import as_text, show_error
from debrief.errors import DebriefError
from debrief.services.ask import Answer, SearchFilters
from debrief.services.container import app_services

services = app_services()
st.title("Ask about your interviews")
state = st.session_state
state.setdefault("ask_history", [])

main, side = st.columns([2, 1], gap="large")
companies = services.interviews.companies()
with side:
    company = st.selectbox("Company", ["All", *companies], key="ask_company")
    since = st.date_input("Since", value=None, key="ask_since", format="YYYY-MM-DD")
    filters = SearchFilters(
        company=None if company == "All" else company,
        date_from=since if isinstance(since, date) else None,
    )
    counts, total = services.ask.cause_counts(filters)
    scope = "" if filters == SearchFilters() else " (filtered)"
    st.markdown(f"**Causes across {total} reflection{'' if total == 1 else 's'}{scope}**")
    if counts:
        st.altair_chart(cause_bars(counts, total), width="stretch")
    elif total:
        st.caption("None of these reflections has a cause tagged yet.")
    else:
        st.caption("Save reflections to see patterns here.")

with main:
    if not state["ask_history"]:
        st.caption(
            "Ask across everything you saved: reflections, stumbles, interviewers and company "
            "research. Each sentence cites the record it comes from by number; open a source "
            "below the answer to read it. For example: “Why do my interviews go badly?”, "
            "“Which questions catch me out?” or “What did I say when Dana asked about my "
            "five-year plan?”"
        )
    for past in state["ask_history"]:
        with st.chat_message("user"):
            st.text(past.question)
        with st.chat_message("assistant"):
            st.text(past.text)
            if past.repaired:
                st.caption("A sentence that looked planted by the company research was taken out.")
            for flag in past.flags:
                st.warning(f"{as_text(flag.reason)} “{as_text(flag.span)}”", icon=":material/flag:")
            for number in past.cited:
                hit = past.source(number)
                with st.expander(f"[{number}] {as_text(hit.citation.title)}"):
                    st.text(hit.text)

if unanswered := state.get("ask_unanswered"):
    with main:
        st.caption("Your last question got no answer; here it is to copy and ask again:")
        st.code(unanswered, language=None, wrap_lines=True)
question = st.chat_input("Why do my interviews go badly?", key="ask_input")
if question:
    with main, st.chat_message("assistant"):
        box = st.empty()
        text = ""
        try:
            for event in services.ask.stream(question, filters):
                if isinstance(event, Answer):
                    state["ask_history"].append(event)
                else:
                    text += event
                    box.text(text)
        except DebriefError as exc:
            state["ask_unanswered"] = question  # st.chat_input has already cleared itself
            show_error(exc)
        else:
            state.pop("ask_unanswered", None)
            st.rerun()
