"""Thank-you notes: one per interviewer, streamed, checked, editable, ready to send."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from app_pages.ui import as_text, hours_left, require_interview, show_error
from debrief.errors import DebriefError, LLMStreamIncompleteError
from debrief.records.models import Draft, DraftStatus, Interviewer
from debrief.services.container import app_services
from debrief.services.exports import (
    has_recipient,
    note_eml,
    note_eml_filename,
    note_mailto,
    note_text,
)
from debrief.services.notes import (
    TONES,
    NoteDraft,
    NoteOptions,
    defects_to_fix,
    planted_text,
)

services = app_services()
state = st.session_state

st.title("Thank-you notes")
interview = require_interview(services)
assert interview.id is not None  # require_interview guarantees a saved interview
people = services.interviews.people(interview.id)
if not people:
    st.info("This interview has no interviewers yet: add them on the Interview page.")
    st.stop()

left = hours_left(interview.held_at)
if left > 0:
    st.metric(
        "Time left in the 24 hours after the interview", f"{int(left)} h {int(left % 1 * 60)} min"
    )
else:
    st.caption("More than 24 hours have passed since the interview; a note is still worth sending.")

a, b, c = st.columns(3)
tone = a.selectbox("Tone", TONES, key="note_tone")
max_words = b.slider("At most (words)", 60, 250, 150, step=10, key="note_words")
name = c.text_input("Your name (sign-off)", key="note_name")
options = NoteOptions(tone=tone, max_words=max_words, candidate_name=name)


dropped_key = f"notes_dropped_{interview.id}"


def _dropped_warning(dropped: int) -> None:
    lines = "line" if dropped == 1 else "lines"
    st.warning(
        f"{dropped} {lines} of your company research looked like instructions to an AI and "
        "were left out. Check the research on the Interview page.",
        icon=":material/shield:",
    )


def _generate(people_to_draft: list[Interviewer]) -> bool:
    """Stream each note into its own box; failures keep everything already drafted.

    True when every note was saved (the page may rerun); False when something was said that
    the user must still see.
    """
    try:
        jobs, dropped = services.notes.jobs(interview.id or 0, options)
    except DebriefError as exc:
        show_error(exc)
        return False
    complete = True
    if dropped and not state.get(dropped_key):
        _dropped_warning(dropped)
    state[dropped_key] = dropped  # shown above the notes until research changes it
    wanted = {p.id for p in people_to_draft}
    for job in (j for j in jobs if j.person.id in wanted):
        box = st.empty()
        try:
            with st.spinner(f"Writing to {job.person.name}… (about 15-30 s)"):
                final: NoteDraft | None = None
                for event in services.notes.stream(job):
                    if isinstance(event, NoteDraft):
                        final = event
                    elif event:
                        box.text(event)  # plain text: model output never renders as HTML/Markdown
            if final is not None:
                services.notes.save(final)
        except LLMStreamIncompleteError:
            complete = False
            st.warning(
                f"The note for {job.person.name} stopped half-way and was not saved. Try again."
            )
        except DebriefError as exc:
            show_error(exc)
            return False
        box.empty()
    return complete


if state.get(dropped_key):
    _dropped_warning(state[dropped_key])
if st.button("Draft all notes", type="primary", key="draft_all"):
    _generate(people)

overview = services.notes.overview(interview.id)
latest = overview.latest
if any(draft is None for draft in latest.values()):
    # A note is still to draft: the model reads the interview's shared context meanwhile.
    services.notes.warm_in_background(interview.id)
if overview.distinctness is not None and not overview.distinctness.passed:
    st.warning(f"Two notes are too similar: {as_text(overview.distinctness.comment)}")


def _defects_panel(draft: Draft, person: Interviewer) -> None:
    """What a careful reader would fix, sentence by sentence, each with a one-click rewrite."""
    check = next((c for c in draft.checks if c.key == "sendable"), None)
    if check is None:
        return
    if check.passed:
        st.success("Nothing found to fix: read it once and send it.", icon=":material/check:")
        return
    st.markdown(f"**To fix before sending** · {as_text(check.comment)}")
    for number, defect in enumerate(defects_to_fix(draft)):
        with st.container(border=True):
            st.caption(as_text(defect.reason))
            span = defect.span
            if span and span in draft.body:
                st.text(f"“{span}”")
                if st.button(
                    "Rewrite this sentence", key=f"rw_{draft.id}_{draft.version}_{number}"
                ):
                    try:
                        with st.spinner(f"Rewriting a sentence of the note to {person.name}…"):
                            services.notes.rewrite_sentence(
                                draft.id or 0, span, defect.reason, options
                            )
                    except DebriefError as exc:
                        show_error(exc)
                    else:
                        st.rerun()


def _checks_panel(draft: Draft) -> None:
    for check in draft.checks:
        if check.key == "sendable":
            continue  # shown above, sentence by sentence
        icon = ":material/check_circle:" if check.passed else ":material/warning:"
        st.markdown(f"{icon} **{check.key.replace('_', ' ')}** · {check.score:.2f}")
        # Comments and evidence quote the model's words: shown as text, never as Markdown.
        st.caption(as_text(check.comment))
        found = check.evidence.findings
        if check.key == "coverage" and found:
            st.caption(as_text("Missing: " + "; ".join(found)))
        if check.key == "grounding" and found:
            st.caption(as_text(f"Not in your notes: {', '.join(found)}"))


def _addressed(person: Interviewer) -> Interviewer:
    """The interviewer with an address for the e-mail's To: line, asked for when missing."""
    if has_recipient(person):
        st.caption(as_text(f"To: {person.name} <{person.email}>"))
        return person
    typed = st.text_input(
        f"{person.name}'s e-mail address, for the To: line",
        key=f"to_{person.id}",
        placeholder="name@company.com",
        help="Kept with the interviewer's details. Leave it empty to fill it in your mail app.",
    ).strip()
    if not typed:
        st.caption("Without an address the e-mail opens with an empty To: line.")
        return person
    candidate = person.model_copy(update={"email": typed})
    if not has_recipient(candidate):
        st.markdown(":red[:material/error: That is not an e-mail address (name@company.com).]")
        return person
    try:
        kept = services.interviews.set_email(person, typed)
    except DebriefError as exc:
        show_error(exc)
        return person
    st.caption(as_text(f"To: {kept.name} <{kept.email}> (kept with their details)"))
    return kept


tabs = st.tabs([as_text(p.name) for p in people])
for tab, person in zip(tabs, people, strict=True):
    with tab:
        draft = latest.get(person.id or 0)
        if hint := overview.hints.get(person.id or 0):
            st.info(as_text(hint), icon=":material/lightbulb:")
        if draft is None:
            st.caption("No note yet.")
            if st.button(
                f"Draft the note to {person.name}", key=f"draft_{person.id}"
            ) and _generate([person]):
                st.rerun()
            continue
        text_col, check_col = st.columns([3, 2])
        with text_col:
            version = overview.versions.get(person.id or 0, draft.version)
            st.caption(
                f"Status: {draft.status.value} · version {version} · "
                f"{draft.prompt_name} v{draft.prompt_version}"
            )
            new_subject = st.text_input(
                "Subject", value=draft.subject, key=f"subj_{draft.id}_{draft.version}"
            )
            new_body = st.text_area(
                "Note", value=draft.body, height=320, key=f"body_{draft.id}_{draft.version}"
            )
            b1, b2, b3 = st.columns(3)
            if b1.button("Save edits", key=f"save_{draft.id}"):
                try:
                    services.notes.revise(draft.id or 0, new_subject, new_body, options)
                except DebriefError as exc:
                    show_error(exc)
                else:
                    st.rerun()
            planted = planted_text(draft)
            override = False
            if planted and draft.status != DraftStatus.SENT:
                for flag in planted:
                    st.warning(
                        f"{as_text(flag.reason)} “{as_text(flag.span)}”",
                        icon=":material/flag:",
                    )
                override = st.checkbox(
                    "I have read the flagged text and want to send it as it is",
                    key=f"override_{draft.id}_{draft.version}",
                )
            if b2.button(
                "Mark as sent",
                key=f"sent_{draft.id}",
                disabled=draft.status == DraftStatus.SENT or (bool(planted) and not override),
            ):
                try:
                    services.notes.mark_sent(draft.id or 0, override=override)
                except DebriefError as exc:
                    show_error(exc)
                else:
                    st.rerun()
            if b3.button("Regenerate", key=f"regen_{draft.id}") and _generate([person]):
                st.rerun()
            st.code(note_text(new_subject, new_body), language=None, wrap_lines=True)
            person = _addressed(person)
            d1, d2 = st.columns(2)
            d1.download_button(
                "Download .eml",
                note_eml(person, new_subject, new_body),
                file_name=note_eml_filename(person),
                mime="message/rfc822",
                key=f"eml_{draft.id}",
            )
            d2.link_button("Open in your email app", note_mailto(person, new_subject, new_body))
        with check_col:
            _defects_panel(draft, person)
            with st.expander("All checks"):
                _checks_panel(draft)
        sent_in_time = draft.status == DraftStatus.SENT and draft.updated_at is not None
        if sent_in_time and draft.updated_at:
            st.caption(f"Sent {draft.updated_at:%d %b %H:%M}.")

st.caption(f"Last refreshed {datetime.now():%H:%M}.")
