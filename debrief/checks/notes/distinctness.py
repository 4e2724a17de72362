"""Distinctness: whether the notes of one interview read as written for each person."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from itertools import combinations, pairwise

import numpy as np
import numpy.typing as npt

from debrief.checks.text import body_text, line_sentences, quote
from debrief.checks.types import (
    CheckResult,
    DistinctnessEvidence,
    NotePair,
    SharedSentence,
)

_NAME_PLACEHOLDER = "interviewername"
_DISTINCT_TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
_SHINGLE = 5
# Sentences this short ("Thanks again.") are too formulaic to be noticed as copied.
_MIN_SHARED_TOKENS = 4
_SHARED_SENTENCE_RATIO = 0.8


def _name_pattern(keys: Iterable[str]) -> re.Pattern[str] | None:
    names = tuple(keys)
    parts = {name.strip() for name in names if name.strip()}
    parts |= {part for name in names for part in name.split() if len(part) > 1}
    if not parts:
        return None
    alternation = "|".join(re.escape(part) for part in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternation})(?![\w])", re.IGNORECASE)


def _normalised_tokens(text: str, names: re.Pattern[str] | None) -> list[str]:
    """Lowercase tokens with every interviewer's name replaced by one placeholder."""
    if names is not None:
        text = names.sub(_NAME_PLACEHOLDER, text)
    return _DISTINCT_TOKEN.findall(text.lower())


def _jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + _SHINGLE]) for i in range(len(tokens) - _SHINGLE + 1)}


def _tfidf_cosines(documents: Sequence[Sequence[str]]) -> npt.NDArray[np.float64]:
    """Pairwise cosine of TF-IDF vectors (unigrams + bigrams, sublinear tf, smoothed idf)."""
    terms = [[*tokens, *(f"{a} {b}" for a, b in pairwise(tokens))] for tokens in documents]
    vocabulary = {term: i for i, term in enumerate(sorted({t for doc in terms for t in doc}))}
    counts = np.zeros((len(documents), max(1, len(vocabulary))))
    for row, doc in enumerate(terms):
        for term in doc:
            counts[row, vocabulary[term]] += 1
    tf = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)
    document_frequency = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + len(documents)) / (1.0 + document_frequency)) + 1.0
    weights = tf * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    unit = np.divide(weights, norms, out=np.zeros_like(weights), where=norms > 0)
    cosines: npt.NDArray[np.float64] = unit @ unit.T
    return cosines


def _shared_sentences(
    a: Sequence[tuple[str, list[str]]], b: Sequence[tuple[str, list[str]]]
) -> list[SharedSentence]:
    shared: list[SharedSentence] = []
    for text_a, tokens_a in a:
        for text_b, tokens_b in b:
            if min(len(tokens_a), len(tokens_b)) < _MIN_SHARED_TOKENS:
                continue
            ratio = SequenceMatcher(None, tokens_a, tokens_b, autojunk=False).ratio()
            if ratio >= _SHARED_SENTENCE_RATIO:
                shared.append(SharedSentence(text_a, text_b, round(ratio, 3)))
    return shared


def distinctness(
    notes: Mapping[str, str], *, max_jaccard: float = 0.2, max_cosine: float = 0.6
) -> CheckResult[DistinctnessEvidence]:
    """Whether the notes of one interview read as written for each person.

    For every pair: word 5-gram Jaccard, TF-IDF cosine and near-verbatim shared sentences, all
    on the bodies (subject, greeting, sign-off and signature lines removed) with every
    interviewer's name replaced by one placeholder. A pair's ratio is
    max(jaccard / max_jaccard, cosine / max_cosine, 1 if it shares a sentence else 0);
    score = 1 - the worst pair's ratio, clipped to 0..1. Passed when every ratio is under 1.
    """
    if len(notes) < 2:
        return CheckResult(
            key="distinctness",
            score=1.0,
            passed=True,
            comment="There is only one note, so there is nothing to compare.",
            evidence=DistinctnessEvidence((), max_jaccard, max_cosine),
        )
    names = _name_pattern(notes)
    keys = list(notes)
    bodies = {key: body_text(notes[key]) for key in keys}
    tokens = {key: _normalised_tokens(bodies[key], names) for key in keys}
    sentences = {
        key: [(s, _normalised_tokens(s, names)) for s in line_sentences(bodies[key])]
        for key in keys
    }
    cosines = _tfidf_cosines([tokens[key] for key in keys])
    pairs: list[NotePair] = []
    for (i, a), (j, b) in combinations(enumerate(keys), 2):
        pairs.append(
            NotePair(
                a=a,
                b=b,
                jaccard=round(_jaccard(_shingles(tokens[a]), _shingles(tokens[b])), 3),
                cosine=round(float(cosines[i, j]), 3),
                shared_sentences=tuple(_shared_sentences(sentences[a], sentences[b])),
            )
        )
    return _distinctness_result(pairs, max_jaccard, max_cosine)


def _pair_ratio(pair: NotePair, max_jaccard: float, max_cosine: float) -> float:
    shared = 1.0 if pair.shared_sentences else 0.0
    return max(pair.jaccard / max_jaccard, pair.cosine / max_cosine, shared)


def _distinctness_result(
    pairs: list[NotePair], max_jaccard: float, max_cosine: float
) -> CheckResult[DistinctnessEvidence]:
    worst = max(pairs, key=lambda pair: _pair_ratio(pair, max_jaccard, max_cosine))
    ratio = _pair_ratio(worst, max_jaccard, max_cosine)
    passed = ratio < 1.0
    measures = f"5-gram overlap {worst.jaccard:.2f}, TF-IDF cosine {worst.cosine:.2f}"
    if passed:
        comment = f"Each note reads as its own (closest pair: {measures})."
    elif worst.shared_sentences:
        sentence = worst.shared_sentences[0].a
        comment = (
            f"The notes to {worst.a} and {worst.b} share the sentence {quote(sentence)}"
            f" ({measures})."
        )
    else:
        comment = f"The notes to {worst.a} and {worst.b} read alike ({measures})."
    return CheckResult(
        key="distinctness",
        score=_clip(1.0 - ratio),
        passed=passed,
        comment=comment,
        evidence=DistinctnessEvidence(tuple(pairs), max_jaccard, max_cosine),
    )


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
