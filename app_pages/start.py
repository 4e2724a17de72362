"""Start: is the model ready, and a one-off draft, streamed."""

from __future__ import annotations

import streamlit as st

from debrief.errors import DebriefError, LLMStreamIncompleteError
from debrief.llm.types import StreamStats
from debrief.services.container import app_services

services = app_services()

st.title("Debrief")
st.caption(
    "For the days after an interview that went badly: specific thank-you notes, an honest "
    "reflection, and a plan for the next one. Everything stays on this computer."
)


for notice in services.notices:
    if not st.session_state.get(f"told:{notice}"):
        st.info(notice, icon=":material/info:")
        st.session_state[f"told:{notice}"] = True


def _show_ready() -> None:
    st.success(f"The model is ready: {services.llm.describe()}.", icon=":material/check_circle:")


@st.fragment(run_every=0.5)
def _preparing() -> None:
    preparation = services.llm.prepare_in_background()
    if preparation.error is not None:
        st.error(preparation.error.message)
        if preparation.error.hint:
            st.info(preparation.error.hint)
        if st.button("Try again", key="retry_prepare"):
            services.llm.prepare_in_background(retry=True)
            st.rerun(scope="fragment")
        return
    if preparation.done:
        st.rerun()
    st.progress(preparation.fraction or 0.0, text=f"{preparation.stage}…")
    st.caption("The first start assembles and loads the model; later starts take seconds.")


if services.llm.is_ready():
    _show_ready()
else:
    _preparing()

st.subheader("A quick draft")
request = st.text_area(
    "What should I draft?",
    key="quick_request",
    height=140,
    placeholder="A short thank-you email to Maria Chen (engineering manager) about our talk on "
    "moving the billing service to Kafka. I froze on the on-call question.",
)

if st.button("Draft it", type="primary", key="quick_submit"):
    try:
        services.quick_draft.validate(request)
    except DebriefError as exc:
        st.error(exc.message + (f" {exc.hint}" if exc.hint else ""))
    else:
        st.session_state.pop("quick_result", None)
        stats = StreamStats()
        placeholder = st.empty()
        pieces: list[str] = []
        try:
            with st.spinner("Writing… (the first draft after a start takes longest)"):
                for piece in services.quick_draft.stream(request, stats=stats):
                    pieces.append(piece)
                    # Model output is shown as plain text: never Markdown or HTML.
                    placeholder.text("".join(pieces))
            st.session_state["quick_result"] = {"text": "".join(pieces), "complete": True}
        except LLMStreamIncompleteError as exc:
            st.session_state["quick_result"] = {"text": exc.partial, "complete": False}
        except DebriefError as exc:
            st.error(exc.message)
            if exc.hint:
                st.info(exc.hint)
        placeholder.empty()

result = st.session_state.get("quick_result")
if result:
    if not result["complete"]:
        st.warning("The answer stopped half-way. This is what arrived; it is incomplete.")
    st.code(result["text"], language=None, wrap_lines=True)
    st.caption("Copy it with the button at the top right of the box; edit it in your email app.")
