"""Interview: what happened, who was there, where it went wrong, and research on the company."""

from __future__ import annotations

from datetime import date, datetime, time

import streamlit as st
from pydantic import ValidationError

from app_pages.ui import SELECTED, as_text, select_interview, show_error
from debrief.errors import DebriefError
from debrief.records.models import Interview, Interviewer, InterviewFormat, Outcome, Stumble
from debrief.services.container import app_services

services = app_services()
FORM = "iv_form"


def _new_uid() -> int:
    """Widget-key ids unique for the session (the script re-runs, so no module-level counter)."""
    st.session_state["iv_uid"] = st.session_state.get("iv_uid", 0) + 1
    return int(st.session_state["iv_uid"])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _load_form(interview_id: int | None) -> None:
    """Fill the widgets from a stored interview (or blank for a new one)."""
    state = st.session_state
    people: list[int] = []
    stumbles: list[int] = []
    if interview_id is None:
        values: dict[str, object] = {
            "iv_company": "",
            "iv_role": "",
            "iv_stage": "",
            "iv_date": date.today(),
            "iv_time": time(10, 0),
            "iv_format": InterviewFormat.VIDEO.value,
            "iv_outcome": Outcome.PENDING.value,
            "iv_has_next": False,
            "iv_next": date.today(),
            "iv_notes": "",
        }
        uid = _new_uid()
        people.append(uid)
        values |= {
            f"p{uid}_name": "",
            f"p{uid}_title": "",
            f"p{uid}_email": "",
            f"p{uid}_topics": "",
            f"p{uid}_questions": "",
            f"p{uid}_takeaways": "",
            f"p{uid}_rapport": "",
            f"p{uid}_id": None,
        }
    else:
        details = services.interviews.details(interview_id)
        iv = details.interview
        values = {
            "iv_company": iv.company,
            "iv_role": iv.role,
            "iv_stage": iv.stage,
            "iv_date": iv.held_at.date(),
            "iv_time": iv.held_at.time(),
            "iv_format": iv.format.value,
            "iv_outcome": iv.outcome.value,
            "iv_has_next": iv.next_interview_at is not None,
            "iv_next": iv.next_interview_at.date() if iv.next_interview_at else date.today(),
            "iv_notes": iv.notes,
        }
        names = {}
        for person in details.people:
            uid = _new_uid()
            people.append(uid)
            names[person.id] = person.name
            values |= {
                f"p{uid}_name": person.name,
                f"p{uid}_title": person.title,
                f"p{uid}_email": person.email or "",
                f"p{uid}_topics": "\n".join(person.topics),
                f"p{uid}_questions": "\n".join(person.questions),
                f"p{uid}_takeaways": "\n".join(person.takeaways),
                f"p{uid}_rapport": person.rapport_notes,
                f"p{uid}_id": person.id,
            }
        for stumble in details.stumbles:
            uid = _new_uid()
            stumbles.append(uid)
            values |= {
                f"s{uid}_question": stumble.question,
                f"s{uid}_said": stumble.what_i_said,
                f"s{uid}_wish": stumble.what_i_wish,
                f"s{uid}_who": names.get(stumble.interviewer_id, "(nobody in particular)"),
            }
    for key, value in values.items():
        state[key] = value
    state[FORM] = {"source": interview_id, "people": people, "stumbles": stumbles}


state = st.session_state
st.title("Interview")
if state.pop("iv_saved", False):  # after a save: edit what was saved (before the toggle exists)
    state["iv_new"] = state["iv_new_kept"] = False
    st.success("Saved. Next: draft the thank-you notes.")
# The toggle is a widget: Streamlit forgets it off this page. Keep it, so an unsaved new
# interview is still the one shown after a visit elsewhere.
if "iv_new" not in state and "iv_new_kept" in state:
    state["iv_new"] = state["iv_new_kept"]
mode_new = st.toggle("Start a new interview", key="iv_new", value=state.get(SELECTED) is None)
state["iv_new_kept"] = mode_new
source = None if mode_new else state.get(SELECTED)
if FORM not in state or state[FORM]["source"] != source:
    _load_form(source)
form = state[FORM]
# Streamlit forgets a widget's value when another page is shown; keep an unsaved form's values
# in a plain session key and put them back, so leaving the page loses nothing.
for key, value in form.setdefault("values", {}).items():
    if key not in state:
        state[key] = value

left, right = st.columns(2)
left.text_input("Company *", key="iv_company", max_chars=200)
right.text_input("Role *", key="iv_role", max_chars=200)
left.text_input("Stage or round", key="iv_stage", placeholder="e.g. second round")
right.selectbox("Format", [f.value for f in InterviewFormat], key="iv_format")
left.date_input("Date", key="iv_date", format="YYYY-MM-DD")
right.time_input("Time", key="iv_time")
left.selectbox("Outcome so far", [o.value for o in Outcome], key="iv_outcome")
if right.checkbox("A next interview is booked", key="iv_has_next"):
    right.date_input("Next interview", key="iv_next", format="YYYY-MM-DD")
st.text_area("Notes", key="iv_notes", height=80)

st.subheader("Interviewers")
for uid in list(form["people"]):
    with st.container(border=True):
        a, b, c = st.columns([3, 3, 1])
        a.text_input("Name *", key=f"p{uid}_name", max_chars=120)
        b.text_input("Title", key=f"p{uid}_title", max_chars=200)
        if c.button("Remove", key=f"p{uid}_remove", disabled=len(form["people"]) == 1):
            form["people"].remove(uid)
            st.rerun()
        st.text_input("Email (optional)", key=f"p{uid}_email")
        a2, b2 = st.columns(2)
        a2.text_area("Topics you discussed (one per line)", key=f"p{uid}_topics", height=100)
        b2.text_area("Questions they asked (one per line)", key=f"p{uid}_questions", height=100)
        st.text_area(
            "In your own words: what stuck with you, or what you would add (one per line, "
            "optional; your note uses these lines and keeps their numbers and names)",
            key=f"p{uid}_takeaways",
            height=80,
            placeholder="e.g. I'd replay the backfill into a consumer keyed by invoice id",
        )
        st.text_input("Rapport notes", key=f"p{uid}_rapport")
if st.button("Add an interviewer", key="add_person", disabled=len(form["people"]) >= 20):
    uid = _new_uid()
    form["people"].append(uid)
    for field in ("name", "title", "email", "topics", "questions", "takeaways", "rapport"):
        state[f"p{uid}_{field}"] = ""
    state[f"p{uid}_id"] = None
    st.rerun()

st.subheader("Where it went wrong")
names = ["(nobody in particular)"] + [
    state[f"p{u}_name"] for u in form["people"] if state[f"p{u}_name"].strip()
]
for uid in list(form["stumbles"]):
    with st.container(border=True):
        a, c = st.columns([6, 1])
        a.text_input("The question you stumbled on *", key=f"s{uid}_question")
        if c.button("Remove", key=f"s{uid}_remove"):
            form["stumbles"].remove(uid)
            st.rerun()
        if state.get(f"s{uid}_who") not in names:
            state[f"s{uid}_who"] = names[0]
        st.selectbox("Asked by", names, key=f"s{uid}_who")
        st.text_area("What you said", key=f"s{uid}_said", height=70)
        st.text_area("What you wish you had said", key=f"s{uid}_wish", height=70)
if st.button("Add a stumble", key="add_stumble"):
    uid = _new_uid()
    form["stumbles"].append(uid)
    for field in ("question", "said", "wish"):
        state[f"s{uid}_{field}"] = ""
    st.rerun()


def _collect() -> tuple[Interview, list[Interviewer], list[tuple[Stumble, str | None]]] | list[str]:
    """Validated records from the widgets, or the problems to show."""
    problems: list[str] = []
    held = datetime.combine(state["iv_date"], state["iv_time"])
    next_at = datetime.combine(state["iv_next"], time(9, 0)) if state["iv_has_next"] else None
    if next_at and next_at.date() <= held.date():
        problems.append("The next interview must be after this one.")
    if held.date() > date.today():
        problems.append(
            "The interview date is in the future; Debrief is for interviews that already "
            "happened. Check the date (put an upcoming one under 'A next interview is booked')."
        )
    try:
        interview = Interview(
            id=form["source"],
            company=state["iv_company"],
            role=state["iv_role"],
            stage=state["iv_stage"],
            held_at=held,
            format=InterviewFormat(state["iv_format"]),
            outcome=Outcome(state["iv_outcome"]),
            next_interview_at=next_at,
            notes=state["iv_notes"],
        )
    except ValidationError as exc:
        problems += [
            f"{str(e['loc'][0]).replace('_', ' ').capitalize()}: {e['msg']}" for e in exc.errors()
        ]
        interview = None
    people: list[Interviewer] = []
    seen: set[str] = set()
    for n, uid in enumerate(form["people"], start=1):
        name = state[f"p{uid}_name"].strip()
        if name.lower() in seen:
            problems.append(
                f"Interviewer {n}: two interviewers are called {name!r}; add a surname or initial."
            )
        seen.add(name.lower())
        try:
            people.append(
                Interviewer(
                    id=state.get(f"p{uid}_id"),
                    interview_id=form["source"] or 0,
                    name=name,
                    title=state[f"p{uid}_title"],
                    email=state[f"p{uid}_email"] or None,
                    topics=_lines(state[f"p{uid}_topics"]),
                    questions=_lines(state[f"p{uid}_questions"]),
                    takeaways=_lines(state.get(f"p{uid}_takeaways", "")),
                    rapport_notes=state[f"p{uid}_rapport"],
                )
            )
        except ValidationError as exc:
            problems += [f"Interviewer {n}, {e['loc'][0]}: {e['msg']}" for e in exc.errors()]
    stumbles: list[tuple[Stumble, str | None]] = []
    for n, uid in enumerate(form["stumbles"], start=1):
        try:
            stumble = Stumble(
                interview_id=form["source"] or 0,
                question=state[f"s{uid}_question"],
                what_i_said=state[f"s{uid}_said"],
                what_i_wish=state[f"s{uid}_wish"],
            )
        except ValidationError as exc:
            problems += [f"Stumble {n}, {e['loc'][0]}: {e['msg']}" for e in exc.errors()]
            continue
        who = state.get(f"s{uid}_who")
        stumbles.append((stumble, None if who == names[0] else who))
    if problems or interview is None:
        return problems
    return interview, people, stumbles


_FIELDS = [
    "iv_company",
    "iv_role",
    "iv_stage",
    "iv_date",
    "iv_time",
    "iv_format",
    "iv_outcome",
    "iv_has_next",
    "iv_next",
    "iv_notes",
]
_FIELDS += [
    f"p{u}_{f}"
    for u in form["people"]
    for f in ("name", "title", "email", "topics", "questions", "takeaways", "rapport", "id")
]
_FIELDS += [f"s{u}_{f}" for u in form["stumbles"] for f in ("question", "who", "said", "wish")]
form["values"] = {key: state[key] for key in _FIELDS if key in state}

if st.button("Save interview", type="primary", key="save_interview"):
    collected = _collect()
    if isinstance(collected, list):
        for problem in collected:
            st.error(as_text(problem))
        st.caption("Nothing was saved; everything you typed is still here.")
    else:
        try:
            saved = services.interviews.save(*collected)
        except DebriefError as exc:
            show_error(exc)
        else:
            select_interview(saved.id or 0)
            state["iv_saved"] = True
            state.pop(FORM, None)
            st.rerun()

if form["source"] is not None:
    st.subheader("Company research")
    st.caption(
        "Paste, upload or fetch what you know about the company. It is used as background "
        "for your notes, never as instructions."
    )
    paste, upload, link = st.tabs(["Paste", "Upload", "From a web page"])
    interview_id = form["source"]
    added = None
    try:
        with paste:
            st.text_area("Research text", key="res_text", height=120)
            if st.button("Add pasted research", key="res_add_paste"):
                added = services.interviews.add_pasted_research(interview_id, state["res_text"])
        with upload:
            file = st.file_uploader(
                "A .txt, .md, .pdf or .html file",
                type=["txt", "md", "pdf", "html", "htm"],
                key="res_file",
            )
            if (
                st.button("Add the file", key="res_add_file", disabled=file is None)
                and file is not None
            ):
                added = services.interviews.add_research_file(
                    interview_id, file.name, file.getvalue()
                )
        with link:
            st.text_input("Web address", key="res_url", placeholder="https://")
            if st.button("Fetch and add", key="res_add_url"):
                with st.spinner("Fetching…"):
                    added = services.interviews.add_research_url(interview_id, state["res_url"])
        if added is not None:
            st.success(as_text(f"Added “{added.title}” ({len(added.text):,} characters)."))
    except DebriefError as exc:
        show_error(exc)
    for research in services.interviews.details(interview_id).research:
        with st.expander(as_text(f"{research.title} · {research.source}")):
            st.text(research.text[:3000] + ("…" if len(research.text) > 3000 else ""))
            if st.button("Delete", key=f"res_del_{research.id}"):
                services.interviews.delete_research(research.id or 0)
                st.rerun()
