"""Small helpers every page uses: the selected interview, and friendly errors."""

from __future__ import annotations

import re
from datetime import datetime

import streamlit as st

from debrief.errors import DebriefError
from debrief.records.models import Interview
from debrief.services.container import Services

SELECTED = "selected_interview_id"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
_PENDING = "picker_next"


def select_interview(interview_id: int) -> None:
    """Make `interview_id` the selected interview from the next run on."""
    st.session_state[SELECTED] = interview_id
    st.session_state[_PENDING] = interview_id


def label(interview: Interview) -> str:
    return f"{interview.company} · {interview.role} · {interview.held_at:%d %b %Y}"


def interview_picker(services: Services) -> None:
    """Sidebar: which interview the pages work on (kept for the whole session)."""
    interviews = services.interviews.all()
    if not interviews:
        st.sidebar.caption("No interviews yet: start on the Interview page.")
        st.session_state[SELECTED] = None
        return
    ids = [i.id for i in interviews]
    if (pending := st.session_state.pop(_PENDING, None)) in ids:
        st.session_state["picker"] = pending  # set before the widget exists, as Streamlit requires
    current = st.session_state.get(SELECTED)
    index = ids.index(current) if current in ids else 0
    chosen = st.sidebar.selectbox(
        "Interview",
        ids,
        index=index,
        # The id makes every label unique: Streamlit maps a label back to one option, so two
        # alike interviews (two rounds on one day) would otherwise swap on the next rerun.
        format_func=lambda i: f"{label(next(x for x in interviews if x.id == i))} · #{i}",
        key="picker",
    )
    st.session_state[SELECTED] = chosen


def selected_interview(services: Services) -> Interview | None:
    """The interview picked in the sidebar, or a helpful message and None."""
    interview_id = st.session_state.get(SELECTED)
    if interview_id is None:
        st.info("Add an interview first (Interview page), then come back here.")
        return None
    try:
        return services.interviews.get(interview_id)
    except DebriefError:
        st.session_state[SELECTED] = None
        st.info("That interview no longer exists; pick another in the sidebar.")
        return None


def as_text(text: str) -> str:
    """`text` for st.caption, alerts and labels (which render Markdown), shown as written:
    no image is fetched, no link, emphasis, LaTeX or icon shortcode is made of it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def show_error(exc: DebriefError) -> None:
    st.error(as_text(exc.message))
    if exc.hint:
        st.info(as_text(exc.hint))


def hours_left(held_at: datetime, now: datetime | None = None) -> float:
    """Hours left in the 24 hours after the interview (negative once they are over)."""
    now = now or datetime.now()
    return 24 - (now - held_at).total_seconds() / 3600


def require_interview(services: Services) -> Interview:
    """The selected interview; otherwise a message, and the page stops here."""
    interview = selected_interview(services)
    if interview is None or interview.id is None:
        st.stop()
        raise AssertionError("st.stop() does not return")
    return interview
