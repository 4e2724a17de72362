"""Start: what Debrief does, how far the model is, the next step, and a one-off draft."""

from __future__ import annotations

import time

import streamlit as st

from app_pages.ui import SELECTED, as_text, select_interview, show_error
from debrief.errors import DebriefError, LLMStreamIncompleteError
from debrief.llm.types import StreamStats
from debrief.services.container import app_services

services = app_services()
state = st.session_state

st.title("Debrief")
st.markdown(
    "After an interview that went badly, Debrief helps you **send a specific thank-you note to "
    "each interviewer**, **reflect honestly** on what went wrong, and **prepare** for the next "
    "one with a dated plan.  \n"
    "Everything runs and stays on this computer: no account, nothing sent anywhere."
)

for notice in services.notices:
    if not state.get(f"told:{notice}"):
        st.info(notice, icon=":material/info:")
        state[f"told:{notice}"] = True


def _elapsed(stage: str) -> int:
    """Seconds since this session first saw `stage` (what the page can observe of a load)."""
    seen = state.setdefault("prep_seen", {})
    return int(time.monotonic() - seen.setdefault(stage, time.monotonic()))


@st.fragment(run_every=0.5)
def _preparing() -> None:
    preparation = services.llm.prepare_in_background()
    if preparation.error is not None:
        show_error(preparation.error)
        if st.button("Try again", key="retry_prepare"):
            services.llm.prepare_in_background(retry=True)
            st.rerun(scope="fragment")
        return
    if preparation.done:
        st.rerun()
    stage = preparation.stage
    if preparation.fraction is not None:  # assembling: bytes written of the whole file
        st.progress(preparation.fraction, text=f"{stage}…")
        st.caption("Next it is loaded into memory. You can add your interview meanwhile.")
        return
    if stage.startswith("Loading"):
        st.markdown(":material/check_circle: The model file is assembled and checked.")
    # llama.cpp reports no fraction while it loads: say how long it has taken so far.
    st.markdown(f":material/hourglass_top: {as_text(stage)}… {_elapsed(stage)} s")
    st.caption(
        "The first start assembles the model (about 1 GB, from the packages installed with "
        "Debrief) and loads it, which can take a minute and pause this page; later starts "
        "take seconds. You can add your interview meanwhile."
    )


st.subheader("The model", divider="gray")
if services.llm.is_ready():
    st.success(f"Ready: {services.llm.describe()}.", icon=":material/check_circle:")
else:
    _preparing()


def _next_steps() -> None:
    """The advice Debrief follows, in order, with where the selected interview stands."""
    interview_id = state.get(SELECTED)
    done = {"interview": interview_id is not None, "notes": False, "reflect": False, "plan": False}
    if interview_id is not None:
        try:
            latest = services.notes.overview(interview_id).latest
            done["notes"] = bool(latest) and all(d is not None for d in latest.values())
            done["reflect"] = services.reflection.get(interview_id) is not None
            view = services.plan.view(interview_id)
            done["plan"] = view is not None and bool(view.plan.steps)
        except DebriefError:
            pass  # the interview went away; the steps read as not done
    steps = [
        (
            "interview",
            "app_pages/interview.py",
            "Interview",
            "Write down who you met, what you talked about, the question that threw you.",
        ),
        (
            "notes",
            "app_pages/notes.py",
            "Thank-you notes",
            "Send one to each interviewer within 24 hours, citing what you discussed.",
        ),
        (
            "reflect",
            "app_pages/reflect.py",
            "Reflect",
            "A few honest questions while it is fresh; Debrief suggests the causes.",
        ),
        (
            "plan",
            "app_pages/plan.py",
            "Plan",
            "Dated steps up to the next interview, built from your reflection.",
        ),
    ]
    upcoming = next((key for key, *_ in steps if not done[key]), None)
    for number, (key, page, title, detail) in enumerate(steps, start=1):
        mark = "✓" if done[key] else f"{number}."
        left, right = st.columns([1, 3], vertical_alignment="center")
        locked = key != "interview" and not done["interview"]
        left.page_link(page, label=f"{mark} {title}", disabled=locked)
        right.caption(("**Next:** " if key == upcoming else "") + detail)


st.subheader("What to do next", divider="gray")
_next_steps()
if services.interviews.has_example():
    st.caption(
        "New here? Load an example interview (two interviewers, a fumbled question, some "
        "company research) and walk through the whole flow before typing anything."
    )
    if st.button(
        "Try it with an example interview", key="load_example", icon=":material/play_arrow:"
    ):
        try:
            example_id = services.interviews.add_example()
        except DebriefError as exc:
            show_error(exc)
        else:
            select_interview(example_id)
            state["iv_example"] = True
            st.switch_page("app_pages/interview.py")

with st.expander("A quick one-off draft, without saving an interview"):
    request = st.text_area(
        "What should I draft?",
        key="quick_request",
        height=140,
        placeholder="A short thank-you email to Maria Chen (engineering manager) about our talk "
        "on moving the billing service to Kafka. I froze on the on-call question.",
    )
    if st.button("Draft it", type="primary", key="quick_submit"):
        try:
            services.quick_draft.validate(request)
        except DebriefError as exc:
            st.error(as_text(exc.message + (f" {exc.hint}" if exc.hint else "")))
        else:
            state.pop("quick_result", None)
            stats = StreamStats()
            placeholder = st.empty()
            pieces: list[str] = []
            try:
                with st.spinner("Writing… (the first draft after a start takes longest)"):
                    for piece in services.quick_draft.stream(request, stats=stats):
                        pieces.append(piece)
                        # Model output is shown as plain text: never Markdown or HTML.
                        placeholder.text("".join(pieces))
                state["quick_result"] = {"text": "".join(pieces), "complete": True}
            except LLMStreamIncompleteError as exc:
                state["quick_result"] = {"text": exc.partial, "complete": False}
            except DebriefError as exc:
                show_error(exc)
            placeholder.empty()

    result = state.get("quick_result")
    if result:
        if not result["complete"]:
            st.warning("The answer stopped half-way. This is what arrived; it is incomplete.")
        st.code(result["text"], language=None, wrap_lines=True)
        st.caption("Copy it with the button at the top right of the box; edit it in your mail app.")
