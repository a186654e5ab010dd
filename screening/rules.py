"""Load the criteria file, check it against the knowledge base, and attach each clause's verbatim text."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from knowledge.loader import KnowledgeBase
from knowledge.models import Facts, Round
from knowledge.phrasebook import load_phrasebooks
from screening.models import (
    AchievementOption,
    Criterion,
    NoteSpec,
    Parameters,
    RetirementRule,
    StepSpec,
    TrackInfo,
)


class CriteriaError(ValueError):
    """The criteria data does not validate; the message says where."""


class _CriteriaFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parameters: Parameters
    tracks: list[TrackInfo]
    retirement: list[RetirementRule]
    steps: list[StepSpec]
    notes: list[NoteSpec]
    criteria: list[Criterion]
    achievements: list[AchievementOption]


@dataclass(frozen=True)
class Criteria:
    """The rules of one notice: parameters, retirement rules, criteria, achievement options, and the round's
    facts (deadlines, contacts) that next steps point at."""

    parameters: Parameters
    tracks: dict[str, TrackInfo]
    retirement: dict[str, RetirementRule]
    criteria: list[Criterion]
    achievements: dict[str, AchievementOption]
    steps: list[StepSpec]
    notes: list[NoteSpec]
    facts: Facts

    @property
    def round(self) -> Round:
        """The round's dates and years the rules read: the cutoff, 近N年, N年以上."""
        return self.facts.round

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def for_track(self, track: str | None) -> list[Criterion]:
        """The criteria that apply to a track; with no track, those common to both."""
        if track is None:
            return [c for c in self.criteria if len(c.tracks) == 2]
        return [c for c in self.criteria if track in c.tracks]

    def skill_rank(self, level: str) -> int:
        return self.parameters.skill_levels.index(level)  # type: ignore[arg-type]


def criteria_path() -> Path:
    return Path(str(resources.files("screening").joinpath("data/criteria.toml")))


def load_criteria(kb: KnowledgeBase, path: Path | None = None) -> Criteria:
    """Read and validate criteria.toml; every clause id must exist in the knowledge base, every criterion
    must have its wording in the phrasebook, and every step must name facts that exist."""
    path = path or criteria_path()
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
        data = _CriteriaFile.model_validate(raw)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CriteriaError(f"{path.name}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CriteriaError(f"{path.name}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from exc

    cited = [item.clause for items in (data.criteria, data.achievements, data.tracks, data.steps, data.notes)
             for item in items]
    unknown = [clause for clause in cited if clause and clause not in kb.clauses]
    if unknown:
        raise CriteriaError(f"{path.name}: unknown clause id(s) {sorted(set(unknown))}")
    if {t.id for t in data.tracks} != {"professional", "skilled"}:
        raise CriteriaError(f"{path.name}: tracks must describe professional and skilled")
    if {r.category for r in data.retirement} != {"male", "female_cadre", "female_worker"}:
        raise CriteriaError(f"{path.name}: retirement rules must cover male, female_cadre and female_worker")
    wording = load_phrasebooks()["zh"]
    unworded = [c.id for c in data.criteria if not wording.has(f"criterion.{c.id}.label")]
    if unworded:
        raise CriteriaError(f"{path.name}: no phrasebook wording for criteria {unworded}")

    def attach(item):
        clause = kb.clause(item.clause)
        return item.model_copy(update={"clause_text": clause.text, "citation": clause.citation})

    return Criteria(
        parameters=data.parameters,
        tracks={t.id: t for t in data.tracks},
        retirement={r.category: r for r in data.retirement},
        criteria=[attach(c) for c in data.criteria],
        achievements={a.code: attach(a) for a in data.achievements},
        steps=data.steps,
        notes=data.notes,
        facts=kb.facts,
    )
