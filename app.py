"""Debrief's Streamlit entry point: settings → services → navigation."""

from __future__ import annotations

import streamlit as st

from app_pages.ui import interview_picker
from debrief.errors import DebriefError
from debrief.services.container import app_services

WIDE_PAGES = frozenset({"notes", "ask", "plan", "patterns"})


def _secret_api_key() -> str | None:
    """An API key from .streamlit/secrets.toml, when there is one."""
    try:
        value = st.secrets.get("DEBRIEF_LLM_API_KEY") or st.secrets.get("OPENAI_API_KEY")
    except FileNotFoundError:  # no secrets file: the usual case
        return None
    return str(value) if value else None


# The favicon first, before the navigation names a page: a ":material/…:" page icon would
# otherwise become the favicon, fetched from fonts.gstatic.com; an emoji is drawn in the page.
st.set_page_config(page_title="Debrief", page_icon="📝")
navigation = st.navigation(
    [
        st.Page("app_pages/start.py", title="Start", icon=":material/home:", default=True),
        st.Page("app_pages/interview.py", title="Interview", icon=":material/event_note:"),
        st.Page("app_pages/notes.py", title="Thank-you notes", icon=":material/mail:"),
        st.Page("app_pages/reflect.py", title="Reflect", icon=":material/psychology:"),
        st.Page("app_pages/ask.py", title="Ask", icon=":material/forum:"),
        st.Page("app_pages/plan.py", title="Plan", icon=":material/checklist:"),
        st.Page("app_pages/patterns.py", title="Patterns", icon=":material/insights:"),
        st.Page("app_pages/settings.py", title="Settings", icon=":material/settings:"),
    ]
)
# The layout once the page is known (the calls add up): forms read best centred; tables, charts
# and a note beside its checks need the width.
st.set_page_config(layout="wide" if navigation.url_path in WIDE_PAGES else "centered")
try:
    # The first run opens the records and the search index (a few seconds): say so at once.
    with st.spinner("Opening your interviews and the search index…"):
        services = app_services(secret_api_key=_secret_api_key())
except DebriefError as exc:
    st.error(exc.message)
    st.info(exc.hint)
    st.stop()

interview_picker(services)
navigation.run()
