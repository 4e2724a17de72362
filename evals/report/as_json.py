"""The JSON report, for tools: each version's notes, checks and means, the comparisons, the gate."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from evals.results import RunResult, VariantRun
from evals.stats import Interval


def _interval_json(interval: Interval | None) -> dict[str, float | int] | None:
    return asdict(interval) if interval else None


def _run_json(run: VariantRun) -> dict[str, Any]:
    cases = []
    for score, generation in zip(run.scores, run.generations, strict=True):
        raw = {note.interviewer: note for note in generation.notes}
        cases.append(
            {
                "case": score.case_id,
                "stale": score.stale,
                "values": score.values(),
                "distinctness": asdict(score.distinctness) | {"evidence": None},
                "notes": [
                    {
                        "interviewer": note.interviewer,
                        "subject": raw[note.interviewer].subject,
                        "body": raw[note.interviewer].body,
                        "repaired": raw[note.interviewer].repaired,
                        "seconds": round(raw[note.interviewer].seconds, 2),
                        "error": note.error,
                        "words": note.words,
                        "checks": [
                            {
                                "key": c.key,
                                "score": c.score,
                                "passed": c.passed,
                                "comment": c.comment,
                            }
                            for c in (*note.checks, *([note.judge] if note.judge else []))
                        ],
                    }
                    for note in score.notes
                ],
            }
        )
    return {
        "label": run.label,
        "prompt_hash": run.variant.prompt_hash,
        "revision_hash": run.variant.revision_hash,
        "generated_notes": run.generated_notes,
        "means": {key: _interval_json(value) for key, value in run.means().items()},
        "cases": cases,
    }


def to_json(result: RunResult) -> dict[str, Any]:
    return {
        "started_at": result.started_at,
        "model": result.model.as_dict(),
        "judge": result.judge or None,
        "cases": [
            {
                "id": case.case_id,
                "about": case.about,
                "content_hash": case.content_hash,
                "interviewers": list(case.interviewer_names),
            }
            for case in result.cases
        ],
        "versions": [_run_json(run) for run in result.runs],
        "comparisons": [
            {
                "candidate": c.candidate,
                "baseline": c.baseline,
                "metrics": {
                    m.metric: {
                        "candidate": asdict(m.candidate),
                        "baseline": asdict(m.baseline),
                        "delta": asdict(m.delta),
                    }
                    for m in c.metrics
                },
            }
            for c in result.comparisons
        ],
        "gate": {
            "applied": result.gated,
            "regression": result.regression,
            "findings": [asdict(f) for f in result.findings],
        },
        "timing": asdict(result.timing),
        "stale": list(result.stale),
    }
