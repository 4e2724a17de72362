"""Settings: the model in use and a connection test, and your data: export, import, delete."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages.ui import SELECTED, show_error
from debrief.errors import DebriefError
from debrief.services.container import app_services, forget_app_services
from debrief.services.doctor import run_doctor
from debrief.settings import load_settings

services = app_services()
settings = services.settings
st.title("Settings")

st.subheader("Language model")
st.write(f"In use: **{services.llm.describe()}**")
st.caption(
    "To use another OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio), start Debrief with "
    "DEBRIEF_LLM_PROVIDER=openai_compatible, DEBRIEF_LLM_BASE_URL, DEBRIEF_LLM_MODEL and, "
    "if it needs "
    "one, DEBRIEF_LLM_API_KEY (or put the key in .streamlit/secrets.toml). The key is never shown."
)
with st.expander("Effective configuration"):
    st.table(
        {"setting": list(settings.public_view()), "value": list(settings.public_view().values())}
    )
if st.button("Test connection", key="doctor"):
    with st.spinner("Checking the model file, the endpoint and a one-token round trip…"):
        report = run_doctor(settings)
    for check in report.checks:
        took = f" ({check.seconds:.2f} s)" if check.seconds is not None else ""
        (st.success if check.ok else st.error)(f"{check.name}: {check.detail}{took}")
        if check.hint:
            st.info(check.hint)

with st.expander("Try another OpenAI-compatible endpoint"):
    url = st.text_input("Base URL", placeholder="http://127.0.0.1:11434/v1", key="try_url")
    model = st.text_input("Model id", placeholder="llama3.1:8b", key="try_model")
    key = st.text_input("API key (if it needs one)", type="password", key="try_key")
    if st.button("Test this endpoint", key="try_doctor"):
        try:
            candidate = load_settings(
                llm_provider="openai_compatible",
                llm_base_url=url,
                llm_model=model,
                llm_timeout_s=15,
                llm_max_retries=0,
                **({"DEBRIEF_LLM_API_KEY": key} if key else {}),
            )
        except DebriefError as exc:
            show_error(exc)
        else:
            with st.spinner(f"Contacting {candidate.llm_base_url}…"):
                tried = run_doctor(candidate)
            for check in tried.checks:
                (st.success if check.ok else st.error)(f"{check.name}: {check.detail}")
                if check.hint:
                    st.info(check.hint)
            if tried.healthy:
                st.info(
                    "It works. To use it, start Debrief with "
                    "DEBRIEF_LLM_PROVIDER=openai_compatible, "
                    f"DEBRIEF_LLM_BASE_URL={candidate.llm_base_url} and DEBRIEF_LLM_MODEL={model} "
                    "(and the key in DEBRIEF_LLM_API_KEY or .streamlit/secrets.toml)."
                )

# What each table holds, in words, singular and plural ("1 action plan", "2 action plans").
_NOUNS = {
    "interviews": ("interview", "interviews"),
    "interviewers": ("interviewer", "interviewers"),
    "stumbles": ("stumble", "stumbles"),
    "reflections": ("reflection", "reflections"),
    "company_research": ("piece of company research", "pieces of company research"),
    "drafts": ("draft", "drafts"),
    "draft_versions": ("earlier version of a draft", "earlier versions of drafts"),
    "action_plans": ("action plan", "action plans"),
    "plan_steps": ("plan step", "plan steps"),
}


def _counted(name: str, n: int) -> str:
    one, many = _NOUNS.get(name, (name.replace("_", " "), name.replace("_", " ")))
    return f"{n} {one if n == 1 else many}"


st.subheader("Your data")
deleted_box = st.empty()
st.write(f"Stored in `{settings.data_dir}` on this computer.")
counts_box = st.empty()  # rewritten in place after "Delete everything"
counts = services.data.counts()
counts_box.caption(
    ", ".join(_counted(name, n) for name, n in counts.items() if n) or "Nothing stored yet."
)
st.download_button(
    "Export everything (JSON)",
    services.data.export_json(),
    file_name=f"debrief-export-{date.today()}.json",
    mime="application/json",
    key="export",
)

upload = st.file_uploader("Import an export file", type=["json"], key="import_file")
replace = st.checkbox("Replace what is stored now", key="import_replace")
if st.button("Import", key="import", disabled=upload is None) and upload is not None:
    try:
        loaded = services.data.import_export(upload.getvalue(), replace=replace)
        st.success(
            f"Imported {loaded.counts['interviews']} interviews; "
            f"indexed {loaded.passages} passages."
        )
    except DebriefError as exc:
        show_error(exc)

with st.expander("Delete everything"):
    st.warning(
        "This removes every interview, note, reflection and plan, the search index and the "
        "assembled model from this computer. Export first if you may want it back."
    )
    confirm = st.text_input("Type DELETE to confirm", key="delete_confirm")
    if st.button(
        "Delete everything", type="primary", key="delete_all", disabled=confirm != "DELETE"
    ):
        try:
            removed = services.data.delete_everything()
            forget_app_services()
        except DebriefError as exc:
            show_error(exc)
        else:
            st.session_state.clear()
            st.session_state[SELECTED] = None
            # Said in place, not after a rerun: a rerun would open the data directory again
            # and create it anew, empty, right after the user deleted it.
            counts_box.caption("Nothing stored.")
            deleted_box.success(f"Deleted: {', '.join(removed) or 'nothing was stored'}.")
