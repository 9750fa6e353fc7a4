"""What extraction produces: claims whose every field points back at the text.

A researcher confirms a claim by looking at the spans, so each field carries the
character offsets (into the text given to :func:`extract_text`) it was read from and a
confidence in [0, 1] that says how much the rule that produced it is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Field:
    """One extracted value; ``value`` is JSON-ready (str, int, dict)."""

    value: Any
    spans: list[Span] = field(default_factory=list)
    confidence: float = 0.5

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "spans": [s.to_json() for s in self.spans],
            "confidence": round(self.confidence, 2),
        }


@dataclass(frozen=True)
class Count:
    """A casualty figure as a range; ``max`` None means open-ended ("more than 12")."""

    min: int | None
    max: int | None

    def to_json(self) -> dict[str, int | None]:
        return {"min": self.min, "max": self.max}

    @property
    def best(self) -> int | None:
        """A single figure for scoring against point labels: the stated lower bound."""
        return self.min if self.min is not None else self.max


FIELD_NAMES = (
    "date",
    "place",
    "civilians_killed",
    "injured",
    "children_killed",
    "women_killed",
    "noncivilians_killed",
    "actor",
    "weapon",
)


@dataclass
class Claim:
    """One allegation: when, where, how many, who, with what. Missing fields are None."""

    date: Field | None = None
    place: Field | None = None
    civilians_killed: Field | None = None
    injured: Field | None = None
    children_killed: Field | None = None
    women_killed: Field | None = None
    noncivilians_killed: Field | None = None
    actor: Field | None = None
    weapon: Field | None = None
    lang: str = "en"
    sentence: Span | None = None

    def get(self, name: str) -> Field | None:
        f: Field | None = getattr(self, name)
        return f

    def count(self, name: str) -> Count | None:
        f = self.get(name)
        if f is None:
            return None
        v = f.value
        return Count(v.get("min"), v.get("max"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"lang": self.lang}
        for name in FIELD_NAMES:
            f = self.get(name)
            out[name] = f.to_json() if f is not None else None
        out["sentence"] = self.sentence.to_json() if self.sentence else None
        return out
