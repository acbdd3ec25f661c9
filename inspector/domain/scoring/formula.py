"""The monthly exam's formula: ``base × Σ weight × term`` over the scored measures.

The shipped weights: ``100 × (0.4 × on_time_rate + 0.2 × (1 − rework_rate) +
0.2 × (1 − rebound_rate) + 0.2 × spot_agreement)``. Visit ``coverage``
(windows covered / windows due, ``scoring.coverage``) is a measure a campaign
may weigh too (``coverage=0.2`` in ``Settings.score_weights``); the shipped
weights leave it out, so months scored before visits were recorded keep their
scores, and a published month keeps the formula it was published with.
"""

from dataclasses import dataclass
from typing import Mapping, Sequence

# Measures a formula may weigh; True marks those where less is better (the formula uses 1 - rate).
SCORED_MEASURES: dict[str, bool] = {
    "on_time_rate": False,
    "rework_rate": True,
    "rebound_rate": True,
    "spot_agreement": False,
    "coverage": False,  # visit windows covered / due (scoring.coverage); the shipped weights leave it out
}


@dataclass(frozen=True)
class ScoreFormula:
    """``base × Σ weight × term`` with term = rate, or 1 − rate where less is better.

    A measure without data this period (no items, no fixes, nothing verified,
    no spot checks) has no value; its weight is shared among the measures that
    have one, in proportion to their weights, so the weights in force still sum
    to the configured total. With no measure at all there is no score.
    """

    weights: tuple[tuple[str, float], ...] = (
        ("on_time_rate", 0.4),
        ("rework_rate", 0.2),
        ("rebound_rate", 0.2),
        ("spot_agreement", 0.2),
    )
    base: float = 100.0

    def __post_init__(self):
        if not self.weights:
            raise ValueError("a formula needs at least one measure")
        for name, weight in self.weights:
            if name not in SCORED_MEASURES:
                raise ValueError(f"unknown measure {name!r}; known: {', '.join(SCORED_MEASURES)}")
            if weight < 0:
                raise ValueError(f"weight of {name} is negative")
        if sum(w for _, w in self.weights) <= 0:
            raise ValueError("the weights add up to nothing")

    @classmethod
    def parse(cls, text: str, base: float = 100.0) -> "ScoreFormula":
        """From ``"on_time_rate=0.4, rework_rate=0.2, ..."``; empty text gives the default."""
        if not text or not text.strip():
            return cls(base=base)
        weights = []
        for part in text.split(","):
            name, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"{part.strip()!r} is not measure=weight")
            weights.append((name.strip(), float(value)))
        return cls(weights=tuple(weights), base=base)

    def weights_in_force(self, values: Mapping[str, float | None]) -> tuple[tuple[str, float], ...]:
        """The weights after sharing out those of measures without a value."""
        total = sum(w for _, w in self.weights)
        have = [(name, w) for name, w in self.weights if values.get(name) is not None]
        share = sum(w for _, w in have)
        if share <= 0:
            return ()
        return tuple((name, w * total / share) for name, w in have)

    def score(self, values: Mapping[str, float | None]) -> float | None:
        """The score of the measures' ``values``; ``None`` when no weighed measure has one."""
        weights = self.weights_in_force(values)
        if not weights:
            return None
        total = sum(w for _, w in self.weights)
        points = 0.0
        for name, weight in weights:
            value = values[name]
            points += weight * ((1 - value) if SCORED_MEASURES[name] else value)
        return self.base * points / total

    def text(self, labels: Mapping[str, str], weights: Sequence[tuple[str, float]] | None = None) -> str:
        """E.g. ``100 × (0.4 × 按期办结率 + 0.2 × (1 − 返工率) + ...)`` with the given measure names."""
        terms = []
        for name, weight in self.weights if weights is None else weights:
            label = labels.get(name, name)
            term = f"(1 − {label})" if SCORED_MEASURES[name] else label
            terms.append(f"{_number(weight)} × {term}")
        return f"{_number(self.base)} × ({' + '.join(terms)})" if terms else "—"


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"
