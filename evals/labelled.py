"""The defect detectors measured against notes people labelled (`evals/labels/*.jsonl`).

Each label names a note (its text, as the reader saw it, is frozen in
`evals/labels/notes_read.ndjson`: recordings are replaced when a version is recorded again) and
the defect classes a reader found in it (evals/LABELLING.md). The detectors read the same note
with the inputs the app would have given them — built by the eval suite's own `case_workspace`,
so the research is retrieved and filtered exactly as when the note was drafted — plus the case's
`must_reference` list as the facts the note must mention. Scores are per note and class (present
or absent), on the dev or the test split of `evals/labels/split.yaml`.

`python -m evals detectors [--split dev|test|all] [--errors]` prints the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from debrief.checks.defects import DEFECT_KEYS, Defect, find_defects
from debrief.checks.notes.inputs import NoteInputs
from debrief.errors import DebriefError, InputError
from evals.run_options import CASES_DIR, EVALS_DIR
from evals.scores import ClassScore, class_scores, score_row

LABELS_DIR = EVALS_DIR / "labels"
SPLIT_FILE = LABELS_DIR / "split.yaml"
NOTES_READ_FILE = LABELS_DIR / "notes_read.ndjson"  # the text of every note as its reader saw it
FLOORS_FILE = EVALS_DIR / "detector_floors.yaml"
UNFILTERED = "-unfiltered"  # a variant drafted with the research filter off (evals/unfiltered.py)

Split = Literal["dev", "test"]
SplitChoice = Literal["dev", "test", "all"]


class DefectLabel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    class_: str = Field(alias="class")
    span: str = ""


class LabelRow(BaseModel):
    """One line of a label file (evals/LABELLING.md, "The label file")."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    note_id: str
    case: str
    variant: str
    interviewer: str
    sendable: bool
    defects: tuple[DefectLabel, ...] = ()
    comment: str | None = None
    labeller: str = ""


@dataclass(frozen=True)
class LabelledNote:
    """A recorded note and what a reader found in it."""

    note_id: str
    case_id: str
    variant: str
    interviewer: str
    split: Split
    sendable: bool
    classes: frozenset[str]  # defect classes present
    spans: tuple[tuple[str, str], ...]  # (class, span) as labelled
    subject: str
    body: str


@dataclass(frozen=True)
class Replayed:
    """A labelled note and what the detectors found in it."""

    note: LabelledNote
    found: tuple[Defect, ...]

    @property
    def found_classes(self) -> frozenset[str]:
        return frozenset(defect.key for defect in self.found)


@dataclass(frozen=True)
class DetectorTable:
    """Every class on one split, and how "nothing found" agrees with the reader's `sendable`."""

    split: SplitChoice
    notes: int
    classes: tuple[ClassScore, ...]
    sendable: int  # notes the reader would send as they are
    nothing_found: int  # notes in which no detector fired
    agreement: float  # share of notes where "nothing found" == sendable

    def score(self, key: str) -> ClassScore:
        return next(item for item in self.classes if item.key == key)


class Floor(BaseModel):
    """The least precision and recall one detector must keep on the dev split."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    precision: float = Field(ge=0.0, le=1.0)
    recall: float = Field(ge=0.0, le=1.0)


class Floors(BaseModel):
    """evals/detector_floors.yaml: the accuracy the detectors had when they were last tuned."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    agreement: float = Field(ge=0.0, le=1.0)
    classes: dict[str, Floor]


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def load_floors(path: Path = FLOORS_FILE) -> Floors:
    """The floors a detector change must not go under (checked by tests/evals)."""
    try:
        return Floors.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise InputError(f"{path} is not a valid floors file: {exc}") from None


def load_test_cases(path: Path = SPLIT_FILE) -> frozenset[str]:
    """The case ids of the test split; every other case is dev."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path} is not a readable split file: {exc}") from None
    test = data.get("test") if isinstance(data, dict) else None
    if not isinstance(test, list) or not all(isinstance(item, str) for item in test):
        raise InputError(f"{path} must hold `test:` with a list of case ids.")
    return frozenset(test)


def load_label_rows(labels_dir: Path = LABELS_DIR) -> list[LabelRow]:
    """Every row of every `*.jsonl` file in `labels_dir`, in file order."""
    rows: list[LabelRow] = []
    seen: dict[str, str] = {}
    for path in sorted(labels_dir.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                row = LabelRow.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as exc:
                raise InputError(f"{where} is not a valid label: {exc}") from None
            unknown = sorted({d.class_ for d in row.defects} - set(DEFECT_KEYS))
            if unknown:
                raise InputError(f"{where}: unknown defect class {', '.join(unknown)}.")
            if row.note_id in seen:
                raise InputError(f"{where}: {row.note_id} is labelled again ({seen[row.note_id]}).")
            seen[row.note_id] = where
            rows.append(row)
    return rows


def load_notes_read(path: Path = NOTES_READ_FILE) -> dict[str, tuple[str, str]]:
    """note_id -> (subject, body): the text each label was given, frozen when it was read.

    Recordings are replaced when a prompt version is recorded again; a label stays tied to the
    words its reader saw.
    """
    texts: dict[str, tuple[str, str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            texts[str(row["note_id"])] = (str(row["subject"]), str(row["body"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{number} is not a note: {exc}") from None
    return texts


def load_labelled_notes(
    labels_dir: Path = LABELS_DIR,
    notes_read: Path = NOTES_READ_FILE,
    split_file: Path = SPLIT_FILE,
) -> list[LabelledNote]:
    """Every labelled note with the text its reader saw, and its split."""
    test_cases = load_test_cases(split_file)
    texts = load_notes_read(notes_read)
    notes: list[LabelledNote] = []
    for row in load_label_rows(labels_dir):
        if row.note_id not in texts:
            raise InputError(f"{row.note_id}: its text is not in {notes_read.name}.")
        subject, body = texts[row.note_id]
        notes.append(
            LabelledNote(
                note_id=row.note_id,
                case_id=row.case,
                variant=row.variant,
                interviewer=row.interviewer,
                split="test" if row.case in test_cases else "dev",
                sendable=row.sendable,
                classes=frozenset(d.class_ for d in row.defects),
                spans=tuple((d.class_, d.span) for d in row.defects),
                subject=subject,
                body=body,
            )
        )
    return notes


def note_inputs(
    case_ids: Iterable[str], cases_dir: Path = CASES_DIR, *, unfiltered: bool = False
) -> dict[tuple[str, str], NoteInputs]:
    """(case, interviewer) -> the inputs the app builds for that note, with the case's
    `must_reference` as the facts the note must mention. `unfiltered`: the research as pasted,
    as the notes of `evals/unfiltered.py` were drafted from.

    Each case is stored in a temporary data directory by the eval suite's own workspace (the
    model is never started: building the jobs does not call it).
    """
    # Imported here: the services, the index and the embedder are only needed to replay.
    from debrief.llm.connection import LLMConnection
    from debrief.settings import load_settings
    from evals.cases import load_case, load_common
    from evals.generate import case_workspace
    from evals.unfiltered import filter_off

    settings = load_settings()
    llm = LLMConnection(settings)  # lazy: never started here
    common = load_common()
    inputs: dict[tuple[str, str], NoteInputs] = {}
    for case_id in sorted(set(case_ids)):
        case = load_case(cases_dir / f"{case_id}.yaml", common)
        with (
            filter_off() if unfiltered else nullcontext(),
            case_workspace(case, settings, llm) as workspace,
        ):
            for prepared in workspace.notes:
                expected = case.expect[prepared.name].must_reference
                inputs[(case_id, prepared.name)] = replace(
                    prepared.inputs, must_mention=tuple(expected)
                )
    return inputs


# --------------------------------------------------------------------------------------------
# Replaying and scoring
# --------------------------------------------------------------------------------------------


def replay(
    notes: Sequence[LabelledNote],
    inputs: Mapping[tuple[str, str], NoteInputs],
    unfiltered: Mapping[tuple[str, str], NoteInputs] | None = None,
) -> list[Replayed]:
    """Run every detector on every note, with the inputs its model was shown (`unfiltered` for
    the notes drafted with the research filter off)."""
    replayed = []
    for note in notes:
        given = inputs
        if note.variant.endswith(UNFILTERED):
            if not unfiltered:
                raise InputError(
                    f"{note.note_id} needs the unfiltered research it was drafted from."
                )
            given = unfiltered
        found = find_defects(note.subject, note.body, given[(note.case_id, note.interviewer)])
        replayed.append(Replayed(note, tuple(found)))
    return replayed


def in_split(replayed: Sequence[Replayed], split: SplitChoice) -> list[Replayed]:
    return [item for item in replayed if split == "all" or item.note.split == split]


def score(replayed: Sequence[Replayed], split: SplitChoice) -> DetectorTable:
    """Per class: labelled positives, true and false positives, false negatives (note level)."""
    chosen = in_split(replayed, split)
    classes = class_scores(
        DEFECT_KEYS, ((set(item.note.classes), set(item.found_classes)) for item in chosen)
    )
    nothing = [not item.found for item in chosen]
    agree = sum(item.note.sendable == clean for item, clean in zip(chosen, nothing, strict=True))
    return DetectorTable(
        split=split,
        notes=len(chosen),
        classes=classes,
        sendable=sum(item.note.sendable for item in chosen),
        nothing_found=sum(nothing),
        agreement=agree / len(chosen) if chosen else 0.0,
    )


def measure(split: SplitChoice) -> tuple[DetectorTable, list[Replayed]]:
    """Load every label, replay the detectors, score one split."""
    notes = load_labelled_notes()
    chosen = [note for note in notes if split == "all" or note.split == split]
    raw = {note.case_id for note in chosen if note.variant.endswith(UNFILTERED)}
    replayed = replay(
        chosen,
        note_inputs(note.case_id for note in chosen),
        note_inputs(raw, unfiltered=True) if raw else None,
    )
    return score(replayed, split), replayed


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def render_table(table: DetectorTable) -> str:
    """The table as Markdown."""
    lines = [
        f"Split: {table.split} ({table.notes} notes)",
        "",
        "| class | labelled | TP | FP | FN | precision | recall |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [score_row(item) for item in table.classes]
    lines += [
        "",
        f"Sendable (reader): {table.sendable} of {table.notes}; nothing found (detectors): "
        f"{table.nothing_found} of {table.notes}; agreement: {table.agreement:.2f}",
    ]
    return "\n".join(lines)


def render_errors(replayed: Sequence[Replayed]) -> str:
    """Every false positive and false negative, per class, with the spans on both sides."""
    out: list[str] = []
    for key in DEFECT_KEYS:
        for item in replayed:
            labelled, found = key in item.note.classes, key in item.found_classes
            if labelled == found:
                continue
            kind = "FN" if labelled else "FP"
            if labelled:
                spans = [span for cls, span in item.note.spans if cls == key]
            else:
                spans = [d.span for d in item.found if d.key == key]
            out.append(f"{key} {kind} {item.note.note_id}: " + " | ".join(map(repr, spans)))
    return "\n".join(out)


def add_detector_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--split",
        choices=("dev", "test", "all"),
        default="dev",
        help="which labelled notes to score (default: dev; test is read once per change)",
    )
    parser.add_argument(
        "--errors", action="store_true", help="also list every false positive and negative"
    )


def run_detectors(args: argparse.Namespace) -> int:
    """The `detectors` subcommand: print the table; exit 2 on bad labels or recordings."""
    try:
        table, replayed = measure(args.split)
    except DebriefError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(f"Defect detectors on labelled notes, {date.today().isoformat()}\n")
    print(render_table(table))
    if args.errors:
        print("\n" + render_errors(replayed))
    return 0
