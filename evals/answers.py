"""`python -m evals answers`: Ask over the interview histories in `evals/grounded/histories/`.

`--retrieval` (no model): for every question with gold records, the share of them that reach
the answer's context — before (the similarity search of the first Ask: six passages, 900
tokens) and now (`AskService.prepare`: records counted by code, or passages ranked by kind and
grouped by interview). `--generate FILE` answers every question with the configured model and
writes the answers, their sources and the detectors' findings as YAML, for labelling by reading.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from debrief.checks.answers import KINDS, CitedRecord, answer_defects
from debrief.services.ask import Answer
from debrief.settings import Settings
from evals.histories import HISTORIES_DIR, History, HistoryWorkspace, load_histories, workspace
from evals.no_model import NoModel
from evals.scores import ClassScore, class_scores, score_row
from rag.index import SearchFilters

OLD_K = 6
OLD_BUDGET = 900
OLD_MIN_RELEVANCE = 0.2


def run_answers(args: argparse.Namespace) -> int:
    histories = {
        name: h
        for name, h in load_histories(args.folder or HISTORIES_DIR).items()
        if not args.only or args.only in name
    }
    if not histories:
        print("No histories found in evals/grounded/histories/.", file=sys.stderr)
        return 2
    if args.detectors:
        return run_answer_detectors(args.detectors)
    settings = Settings()
    if args.generate:
        from debrief.llm.connection import LLMConnection

        return _generate(histories, settings, LLMConnection(settings), args.generate)
    return _retrieval(histories, settings)


def _retrieval(histories: dict[str, History], settings: Settings) -> int:
    rows: list[tuple[str, str, int, int, int]] = []
    for name, history in histories.items():
        with workspace(history, settings, NoModel("the retrieval eval asks no model")) as space:
            for item in history.questions:
                if not item.gold:
                    continue
                gold = {space.refs[ref] for ref in item.gold if ref in space.refs}
                filters = _filters(space, item.interview)
                before = _old_context(space, item.question, filters)
                prepared = space.services.ask.prepare(item.question, filters)
                now = {(s.hit.citation.kind, s.hit.citation.record_id) for s in prepared.sources}
                rows.append((name, item.question, len(gold), len(gold & before), len(gold & now)))
    print("| history | question | gold | before | now |")
    print("|---|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    total = sum(r[2] for r in rows)
    found_before = sum(r[3] for r in rows)
    found_now = sum(r[4] for r in rows)
    print(
        f"\nGold records in the context, {len(rows)} questions: before {found_before}/{total} "
        f"({found_before / total:.2f}), now {found_now}/{total} ({found_now / total:.2f})."
    )
    full_before = sum(r[3] == r[2] for r in rows)
    full_now = sum(r[4] == r[2] for r in rows)
    print(f"Questions with every gold record in the context: before {full_before}, now {full_now}.")
    return 0


def _filters(space: HistoryWorkspace, interview: str | None) -> SearchFilters | None:
    """A question about one interview is asked the way the page allows: unfiltered (the
    question names it); the gold says which interview, not the user's filter."""
    del space, interview
    return None


def _old_context(space: HistoryWorkspace, question: str, filters: SearchFilters | None) -> set[Any]:
    """What the first Ask showed the model: six passages by similarity within 900 tokens."""
    from debrief.services.history_documents import KINDS

    base = filters or SearchFilters()
    hits = space.history.search(
        question,
        k=OLD_K,
        filters=SearchFilters(kinds=base.kinds or KINDS),
        token_budget=OLD_BUDGET,
    )
    kept = [
        h
        for h in hits
        if h.citation.kind in {"reflection", "stumble"} or h.score >= OLD_MIN_RELEVANCE
    ]
    return {(h.citation.kind, h.citation.record_id) for h in kept}


def _generate(histories: dict[str, History], settings: Settings, llm: Any, out: Path) -> int:
    entries: list[dict[str, Any]] = []
    for name, history in histories.items():
        with workspace(history, settings, llm) as space:
            names = {
                interview_id: [i.company, *[p.name for p in i.interviewers]]
                for i in history.interviews
                if (interview_id := space.interview_ids[i.key])
            }
            for item in history.questions:
                started = time.monotonic()
                answer = space.services.ask.ask(item.question)
                seconds = time.monotonic() - started
                entries.append(_entry(name, item.question, answer, space, names, seconds))
                print(f"{name}: {item.question} ({seconds:.0f} s)", file=sys.stderr)
    out.write_text(yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=100))
    print(f"Wrote {len(entries)} answers to {out}.")
    return 0


def _entry(
    name: str,
    question: str,
    answer: Answer,
    space: HistoryWorkspace,
    names: dict[int, list[str]],
    seconds: float,
) -> dict[str, Any]:
    records = [
        CitedRecord(s.number, s.hit.text, s.hit.citation.interview_id) for s in answer.sources
    ]
    return {
        "history": name,
        "question": question,
        "answer": answer.text,
        "used_model": answer.used_model,
        "seconds": round(seconds, 1),
        "sources": [
            {
                "number": s.number,
                "ref": space.ref_of(s.hit.citation.kind, s.hit.citation.record_id),
                "title": s.hit.citation.title,
                "text": s.hit.text,
            }
            for s in answer.sources
        ],
        "found": [
            {"kind": d.kind, "sentence": d.sentence}
            for d in answer_defects(answer.text, records, names)
        ],
    }


def entries_of(path: Path) -> Sequence[dict[str, Any]]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data)


# --------------------------------------------------------------------------------------------
# The answer checks against answers labelled by reading (evals/grounded/answers/<split>.yaml)
# --------------------------------------------------------------------------------------------

LABELLED_DIR = Path(__file__).parent / "grounded" / "answers"
ANSWER_CLASSES = ("misses_point", "false_nothing", "answers_nothing", "hard_to_read")


@dataclass(frozen=True)
class DetectorReport:
    answers: int
    scores: tuple[ClassScore, ...]
    agreement: float  # "no finding" == the reader's "no defect", share of answers
    clean_by_reader: int
    clean_by_checks: int


SPLITS = ("dev", "test", "fresh")


def labelled_answers(split: str, folder: Path = LABELLED_DIR) -> list[dict[str, Any]]:
    """The labelled answers of one split: "dev", "test", "fresh" (histories written after the
    code they measure was fixed, read once, blind) or "all"."""
    names = list(SPLITS) if split == "all" else [split]
    entries: list[dict[str, Any]] = []
    for name in names:
        entries.extend(entries_of(folder / f"{name}.yaml"))
    return entries


def findings(entry: dict[str, Any], histories: dict[str, History]) -> set[str]:
    """The classes the answer checks find in one labelled answer."""
    history = histories[entry["history"]]
    keys = {item.key: number for number, item in enumerate(history.interviews, start=1)}
    names = {
        keys[item.key]: [item.company, *[person.name for person in item.interviewers]]
        for item in history.interviews
    }
    records = [
        CitedRecord(
            source["number"],
            source["text"],
            keys.get(str(source.get("ref") or "").split("/")[0]),
        )
        for source in entry.get("sources") or []
    ]
    return {defect.kind for defect in answer_defects(entry["answer"], records, names)}


def labelled_classes(entry: dict[str, Any]) -> set[str]:
    """The sentence classes the reader found in one answer."""
    return {str(label["kind"]) for label in entry.get("labels") or []}


def measure_detectors(
    entries: Sequence[dict[str, Any]], histories: dict[str, History]
) -> DetectorReport:
    found = [findings(entry, histories) for entry in entries]
    truth = [labelled_classes(entry) for entry in entries]
    scores = class_scores(KINDS, zip(truth, found, strict=True))
    clean_reader = [bool(entry.get("no_defect")) for entry in entries]
    clean_checks = [not f for f in found]
    agree = sum(a == b for a, b in zip(clean_reader, clean_checks, strict=True))
    return DetectorReport(
        len(entries),
        scores,
        agree / len(entries) if entries else 0.0,
        sum(clean_reader),
        sum(clean_checks),
    )


def run_answer_detectors(split: str) -> int:
    entries = labelled_answers(split)
    histories = load_histories()
    report = measure_detectors(entries, histories)
    print(f"Answer checks on the {split} split: {report.answers} answers labelled by reading.\n")
    print("| class | labelled | tp | fp | fn | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for score in report.scores:
        print(score_row(score))
    print(
        f"\n'No finding' agrees with the reader's 'no defect' on {report.agreement:.2f} of the "
        f"answers (reader: {report.clean_by_reader} with no defect; checks: "
        f"{report.clean_by_checks} with no finding)."
    )
    by_version: dict[str, list[bool]] = {}
    for entry in entries:
        by_version.setdefault(str(entry.get("version", "?")), []).append(
            bool(entry.get("no_defect"))
        )
    for version, clean in sorted(by_version.items()):
        print(f"Version {version}: {sum(clean)} of {len(clean)} answers with no defect (reader).")
    return 0
