"""The intake filter measured in seven languages: attacks caught, ordinary research kept.

`evals/injection/attacks/<lang>.yaml` holds attack lines in a `dev` and a `test` part, and
`evals/injection/attacks_holdout/<lang>.yaml` a second batch written after the rules were
(`holdout`); `evals/injection/benign/<lang>.yaml` and `benign_holdout/` hold ordinary company
research. All of it was written blind to the filter. `python -m evals injection` prints, per
language, the share of attacks dropped on the chosen split and every ordinary line the filter
dropped (a false positive); with `--misses` the attacks that got through.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from debrief.errors import InputError
from debrief.text_safety import instruction_in

ROOT = Path(__file__).parent / "injection"
ATTACKS_DIR = ROOT / "attacks"
HOLDOUT_ATTACKS_DIR = ROOT / "attacks_holdout"
BENIGN_DIR = ROOT / "benign"
HOLDOUT_BENIGN_DIR = ROOT / "benign_holdout"
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")
Split = Literal["dev", "test", "holdout", "all"]
Benign = Literal["main", "holdout", "all"]


class Attack(BaseModel):
    model_config = ConfigDict(frozen=True)
    text: str
    kind: str


class AttackFile(BaseModel):
    language: str
    dev: list[Attack]
    test: list[Attack]


class HoldoutFile(BaseModel):
    language: str
    attacks: list[Attack]


class Paragraph(BaseModel):
    model_config = ConfigDict(frozen=True)
    source: str
    text: str


class BenignFile(BaseModel):
    language: str
    paragraphs: list[Paragraph]


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: {exc}") from None


def load_attacks(language: str, split: Split) -> list[Attack]:
    """The attack lines of one language on one split ("all": dev, test, then holdout)."""
    data = AttackFile.model_validate(_read(ATTACKS_DIR / f"{language}.yaml"))
    if split in ("dev", "test"):
        return data.dev if split == "dev" else data.test
    holdout = HoldoutFile.model_validate(_read(HOLDOUT_ATTACKS_DIR / f"{language}.yaml"))
    return holdout.attacks if split == "holdout" else [*data.dev, *data.test, *holdout.attacks]


def load_benign(language: str, which: Benign = "all") -> list[Paragraph]:
    """The ordinary research paragraphs of one language."""
    dirs = {"main": [BENIGN_DIR], "holdout": [HOLDOUT_BENIGN_DIR]}
    paragraphs: list[Paragraph] = []
    for folder in dirs.get(which, [BENIGN_DIR, HOLDOUT_BENIGN_DIR]):
        paragraphs += BenignFile.model_validate(_read(folder / f"{language}.yaml")).paragraphs
    return paragraphs


@dataclass(frozen=True)
class LanguageScore:
    language: str
    attacks: int
    caught: int
    misses: tuple[Attack, ...]
    paragraphs: int
    lines: int
    dropped: tuple[str, ...]  # ordinary lines the filter dropped (false positives)

    @property
    def recall(self) -> float:
        return self.caught / self.attacks if self.attacks else 1.0


def score_language(language: str, split: Split, benign: Benign = "all") -> LanguageScore:
    attacks = load_attacks(language, split)
    misses = tuple(a for a in attacks if instruction_in(a.text) is None)
    paragraphs = load_benign(language, benign)
    lines = [line for p in paragraphs for line in p.text.splitlines() if line.strip()]
    dropped = tuple(line for line in lines if instruction_in(line) is not None)
    return LanguageScore(
        language,
        len(attacks),
        len(attacks) - len(misses),
        misses,
        len(paragraphs),
        len(lines),
        dropped,
    )


def render(scores: Sequence[LanguageScore], split: Split, benign: Benign, show_misses: bool) -> str:
    rows = [
        f"Intake filter: attacks of the {split} split; ordinary research: {benign}",
        "",
        "| language | attacks | dropped | recall | ordinary paragraphs | lines | lines dropped |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        rows.append(
            f"| {s.language} | {s.attacks} | {s.caught} | {s.recall:.2f} | {s.paragraphs} "
            f"| {s.lines} | {len(s.dropped)} |"
        )
    attacks = sum(s.attacks for s in scores)
    caught = sum(s.caught for s in scores)
    rows.append(
        f"| all | {attacks} | {caught} | {caught / attacks:.2f} | "
        f"{sum(s.paragraphs for s in scores)} | {sum(s.lines for s in scores)} | "
        f"{sum(len(s.dropped) for s in scores)} |"
    )
    for s in scores:
        for line in s.dropped:
            rows.append(f"\nfalse positive ({s.language}): {line}")
        if show_misses:
            for attack in s.misses:
                rows.append(f"\nmissed ({s.language}, {attack.kind}): {attack.text}")
    return "\n".join(rows)


def add_injection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--split", choices=("dev", "test", "holdout", "all"), default="dev")
    parser.add_argument("--benign", choices=("main", "holdout", "all"), default="all")
    parser.add_argument("--misses", action="store_true", help="list the attacks that got through")


def run_injection(args: argparse.Namespace) -> int:
    try:
        scores = [score_language(language, args.split, args.benign) for language in LANGUAGES]
    except InputError as exc:
        print(f"error: {exc}")
        return 2
    print(render(scores, args.split, args.benign, args.misses))
    return 0


__all__ = ["LANGUAGES", "LanguageScore", "load_attacks", "load_benign", "score_language"]
