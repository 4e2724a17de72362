"""Patterns: what keeps going wrong, whether notes go out in time, and how plans are going."""

from __future__ import annotations

import streamlit as st

from app_pages.charts import causes_by_month, plan_completion
from debrief.services.container import app_services

services = app_services()
st.title("Patterns")
summary = services.patterns.summary()
if not summary.has_history:
    st.info(
        "Your patterns will show here once you have saved a few interviews and reflections. "
        "Start on the Interview page; after each interview, reflect and make a plan."
    )
    st.stop()

st.subheader("Causes across interviews, by month")
if summary.reflections:
    if summary.causes.causes:
        st.altair_chart(causes_by_month(summary.causes), width="stretch")
    else:
        st.caption("No causes tagged yet.")
else:
    st.caption("No reflections yet: the Reflect page asks a few questions after each interview.")

left, right = st.columns(2)
with left:
    st.subheader("Notes sent within 24 hours")
    if summary.notes.sent:
        st.metric(
            "On time",
            f"{summary.notes.on_time} of {summary.notes.sent}",
            help="Marked as sent within a day of the interview (UTC).",
        )
    else:
        st.caption("Mark notes as sent on the Thank-you notes page to see this.")
with right:
    st.subheader("Plan completion")
    if summary.plans:
        st.altair_chart(plan_completion(summary.plans), width="stretch")
    else:
        st.caption("Make a plan on the Plan page to track it here.")
