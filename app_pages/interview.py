"""Interview: what happened, who was there, where it went wrong, and research on the company."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

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
    state.pop("iv_tried", None)  # messages belong to the form they were found in


state = st.session_state
st.title("Interview")
saved_now = state.pop("iv_saved", False)
example_now = state.pop("iv_example", False)
if saved_now or example_now:  # edit what was saved (set before the toggle exists)
    state["iv_new"] = state["iv_new_kept"] = False
    state.pop("iv_tried", None)
if example_now:
    st.success(
        "This is an example interview, filled in as you would after a real one. Read it "
        "through, then draft the thank-you notes."
    )
    st.page_link("app_pages/notes.py", label="Next: the thank-you notes", icon=":material/mail:")
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

# What _collect reads, by widget key, so its messages can stand beside the fields they are about.
_INTERVIEW_KEYS = {
    "company": "iv_company",
    "role": "iv_role",
    "stage": "iv_stage",
    "notes": "iv_notes",
}
_PERSON_KEYS = {
    "name": "name",
    "title": "title",
    "email": "email",
    "topics": "topics",
    "questions": "questions",
    "takeaways": "takeaways",
    "rapport_notes": "rapport",
}
_STUMBLE_KEYS = {"question": "question", "what_i_said": "said", "what_i_wish": "wish"}
_LABELS = {
    "company": "Company",
    "role": "Role",
    "stage": "Stage",
    "notes": "Notes",
    "name": "Name",
    "title": "Title",
    "email": "Email",
    "topics": "Topics",
    "questions": "Questions",
    "takeaways": "Your own words",
    "rapport_notes": "Rapport notes",
    "question": "The question",
    "what_i_said": "What you said",
    "what_i_wish": "What you wish you had said",
}


def _plain(error: Any) -> str:
    """A pydantic error in the words a person would use, e.g. "Company is required."."""
    field, *rest = error["loc"]
    label = _LABELS.get(str(field), str(field).replace("_", " ").capitalize())
    if rest and isinstance(rest[0], int):
        label = f"{label}, line {rest[0] + 1}"
    limit = (error.get("ctx") or {}).get("max_length")
    if error["type"] == "string_too_short":
        return f"{label} is required."
    if error["type"] == "string_too_long":
        return f"{label}: too long, at most {limit:,} characters."
    if error["type"] == "too_long":
        return f"{label}: at most {limit} lines."
    return f"{label}: {error['msg']}."


def _names() -> list[str]:
    """Who a stumble can be put down to: nobody in particular, or an interviewer named above."""
    return ["(nobody in particular)"] + [
        state[f"p{u}_name"].strip() for u in form["people"] if state[f"p{u}_name"].strip()
    ]


Collected = tuple[Interview, list[Interviewer], list[tuple[Stumble, str | None]]]


def _collect() -> Collected | dict[str, str]:
    """Validated records from the widgets, or a message per widget key to show beside it."""
    problems: dict[str, str] = {}
    held = datetime.combine(state["iv_date"], state["iv_time"])
    next_at = datetime.combine(state["iv_next"], time(9, 0)) if state["iv_has_next"] else None
    if next_at and next_at.date() <= held.date():
        problems["iv_next"] = "The next interview must be after this one."
    if held.date() > date.today():
        problems["iv_date"] = (
            "This date is in the future; Debrief is for interviews that already happened. "
            "Put an upcoming one under 'A next interview is booked'."
        )
    interview: Interview | None = None
    try:
        interview = Interview(
            id=form["source"],
            company=state["iv_company"].strip(),
            role=state["iv_role"].strip(),
            stage=state["iv_stage"],
            held_at=held,
            format=InterviewFormat(state["iv_format"]),
            outcome=Outcome(state["iv_outcome"]),
            next_interview_at=next_at,
            notes=state["iv_notes"],
        )
    except ValidationError as exc:
        for e in exc.errors():
            problems.setdefault(_INTERVIEW_KEYS.get(str(e["loc"][0]), "iv_form"), _plain(e))
    people: list[Interviewer] = []
    seen: set[str] = set()
    for uid in form["people"]:
        name = state[f"p{uid}_name"].strip()
        if name and name.lower() in seen:
            problems[f"p{uid}_name"] = (
                f"Another interviewer is called {name}: add a surname or an initial."
            )
        seen.add(name.lower())
        try:
            people.append(
                Interviewer(
                    id=state.get(f"p{uid}_id"),
                    interview_id=form["source"] or 0,
                    name=name,
                    title=state[f"p{uid}_title"],
                    email=state[f"p{uid}_email"].strip() or None,
                    topics=_lines(state[f"p{uid}_topics"]),
                    questions=_lines(state[f"p{uid}_questions"]),
                    takeaways=_lines(state.get(f"p{uid}_takeaways", "")),
                    rapport_notes=state[f"p{uid}_rapport"],
                )
            )
        except ValidationError as exc:
            for e in exc.errors():
                field = _PERSON_KEYS.get(str(e["loc"][0]), "name")
                problems.setdefault(f"p{uid}_{field}", _plain(e))
    names = _names()
    stumbles: list[tuple[Stumble, str | None]] = []
    for uid in form["stumbles"]:
        try:
            stumble = Stumble(
                interview_id=form["source"] or 0,
                question=state[f"s{uid}_question"].strip(),
                what_i_said=state[f"s{uid}_said"],
                what_i_wish=state[f"s{uid}_wish"],
            )
        except ValidationError as exc:
            for e in exc.errors():
                field = _STUMBLE_KEYS.get(str(e["loc"][0]), "question")
                message = _plain(e)
                if e["type"] == "string_too_short":
                    message = "Write the question you stumbled on, or remove this part."
                problems.setdefault(f"s{uid}_{field}", message)
            continue
        who = state.get(f"s{uid}_who")
        stumbles.append((stumble, None if who == names[0] else who))
    if problems or interview is None:
        return problems
    return interview, people, stumbles


# After a save that failed, the messages follow the typing: each goes once its field is right.
problems: dict[str, str] = {}
if state.get("iv_tried"):
    checked = _collect()
    problems = checked if isinstance(checked, dict) else {}


shown: set[str] = set()


def _problem(where: Any, key: str) -> None:
    """The message about widget `key`, right under it, in plain words."""
    shown.add(key)
    if message := problems.get(key):
        where.markdown(f":red[:material/error: {as_text(message)}]")


if saved_now:
    st.success(
        "Saved. Next: add what you know about the company at the bottom of this page "
        "(optional), then draft the thank-you notes."
    )
    st.page_link("app_pages/notes.py", label="Draft the thank-you notes", icon=":material/mail:")

left, right = st.columns(2)
left.text_input("Company *", key="iv_company", max_chars=200)
_problem(left, "iv_company")
right.text_input("Role *", key="iv_role", max_chars=200)
_problem(right, "iv_role")
left.text_input("Stage or round", key="iv_stage", placeholder="e.g. second round")
_problem(left, "iv_stage")
right.selectbox("Format", [f.value for f in InterviewFormat], key="iv_format")
left.date_input("Date", key="iv_date", format="YYYY-MM-DD")
_problem(left, "iv_date")
right.time_input("Time", key="iv_time")
left.selectbox("Outcome so far", [o.value for o in Outcome], key="iv_outcome")
if right.checkbox("A next interview is booked", key="iv_has_next"):
    right.date_input("Next interview", key="iv_next", format="YYYY-MM-DD")
    _problem(right, "iv_next")
st.text_area("Notes", key="iv_notes", height=80)
_problem(st, "iv_notes")

st.subheader("Interviewers")
for uid in list(form["people"]):
    with st.container(border=True):
        a, b, c = st.columns([3, 3, 1])
        a.text_input("Name *", key=f"p{uid}_name", max_chars=120)
        _problem(a, f"p{uid}_name")
        b.text_input("Title", key=f"p{uid}_title", max_chars=200)
        if c.button("Remove", key=f"p{uid}_remove", disabled=len(form["people"]) == 1):
            form["people"].remove(uid)
            st.rerun()
        st.text_input(
            "Email (optional: the note's To: line)",
            key=f"p{uid}_email",
            placeholder="name@company.com",
        )
        _problem(st, f"p{uid}_email")
        a2, b2 = st.columns(2)
        a2.text_area("Topics you discussed (one per line)", key=f"p{uid}_topics", height=100)
        _problem(a2, f"p{uid}_topics")
        b2.text_area("Questions they asked (one per line)", key=f"p{uid}_questions", height=100)
        _problem(b2, f"p{uid}_questions")
        st.text_area(
            "In your own words: what stuck with you, or what you would add (one per line, "
            "optional; your note uses these lines and keeps their numbers and names)",
            key=f"p{uid}_takeaways",
            height=80,
            placeholder="e.g. I'd replay the backfill into a consumer keyed by invoice id",
        )
        _problem(st, f"p{uid}_takeaways")
        for line in services.interviews.jottings(_lines(st.session_state[f"p{uid}_takeaways"])):
            jotted = line if len(line) <= 60 else line[:59].rstrip() + "\u2026"
            st.caption(
                f":material/edit_note: \u201c{as_text(jotted)}\u201d reads as a note to yourself, "
                "and your thank-you note may have to use it as written. Write it as a full "
                "sentence for a note that reads well."
            )
        st.text_input("Rapport notes", key=f"p{uid}_rapport")
        _problem(st, f"p{uid}_rapport")
if st.button("Add an interviewer", key="add_person", disabled=len(form["people"]) >= 20):
    uid = _new_uid()
    form["people"].append(uid)
    for field in ("name", "title", "email", "topics", "questions", "takeaways", "rapport"):
        state[f"p{uid}_{field}"] = ""
    state[f"p{uid}_id"] = None
    st.rerun()

st.subheader("Where it went wrong")
names = _names()
for uid in list(form["stumbles"]):
    with st.container(border=True):
        a, c = st.columns([6, 1])
        a.text_input("The question you stumbled on *", key=f"s{uid}_question")
        _problem(a, f"s{uid}_question")
        if c.button("Remove", key=f"s{uid}_remove"):
            form["stumbles"].remove(uid)
            st.rerun()
        if state.get(f"s{uid}_who") not in names:
            state[f"s{uid}_who"] = names[0]
        st.selectbox("Asked by", names, key=f"s{uid}_who")
        st.text_area("What you said", key=f"s{uid}_said", height=70)
        _problem(st, f"s{uid}_said")
        st.text_area("What you wish you had said", key=f"s{uid}_wish", height=70)
        _problem(st, f"s{uid}_wish")
if st.button("Add a stumble", key="add_stumble"):
    uid = _new_uid()
    form["stumbles"].append(uid)
    for field in ("question", "said", "wish"):
        state[f"s{uid}_{field}"] = ""
    st.rerun()


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
    if isinstance(collected, dict):
        state["iv_tried"] = True
        st.rerun()  # the messages stand beside their fields, drawn above
    try:
        saved = services.interviews.save(*collected)
    except DebriefError as exc:
        show_error(exc)
    else:
        select_interview(saved.id or 0)
        state["iv_saved"] = True
        state.pop(FORM, None)
        st.rerun()
if problems:
    count = len(problems)
    st.error(
        f"Nothing was saved yet: {count} field{'s' if count > 1 else ''} above "
        f"need{'' if count > 1 else 's'} a change (marked in red). Everything you typed is "
        "still here."
    )
    for key in problems.keys() - shown:  # none expected; never let a message go unseen
        st.error(as_text(problems[key]))

st.subheader("Company research")
if form["source"] is None:
    st.caption(
        "What you know about the company (pasted, a file, or a web page) is used as background "
        "for the notes and your questions later. Save the interview first; then add it here."
    )
else:
    st.caption(
        "Paste, upload or fetch what you know about the company. It is used as background "
        "for your notes, never as instructions."
    )
    if state.pop("res_clear", False):  # the pasted text went in: an empty box for the next
        state["res_text"] = ""
    if added_message := state.pop("res_added", None):
        st.success(added_message)
    paste, upload, link = st.tabs(["Paste", "Upload", "From a web page"])
    interview_id = form["source"]
    added = None
    try:
        with paste:
            st.text_area("Research text", key="res_text", height=120)
            if st.button("Add pasted research", key="res_add_paste"):
                added = services.interviews.add_pasted_research(interview_id, state["res_text"])
                state["res_clear"] = True
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
            state["res_added"] = as_text(f"Added “{added.title}” ({len(added.text):,} characters).")
            st.rerun()
    except DebriefError as exc:
        show_error(exc)
    for research in services.interviews.details(interview_id).research:
        with st.expander(as_text(f"{research.title} · {research.source}")):
            st.text(research.text[:3000] + ("…" if len(research.text) > 3000 else ""))
            if st.button("Delete", key=f"res_del_{research.id}"):
                services.interviews.delete_research(research.id or 0)
                st.rerun()
