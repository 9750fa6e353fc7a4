"""Actor names of conflict-event exports -> belligerents, per country and period.

UCDP GED and ACLED name the state or its forces; which party of civcas's record that is
depends on the war: US strikes in Syria and Iraq since 2014 are the US-led Coalition's,
US strikes in Somalia are not. The rules live in a data file
(``civcas/io/mappings/actors.yaml``, documented there and in docs/io.md); a user's own
file is tried first. A name no rule covers goes through the gazetteer's spellings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model.errors import ConfigError
from . import gazetteer as gz
from .common import Unmapped

DEFAULT_RULES = Path(__file__).parent / "mappings" / "actors.yaml"
_YEARS = re.compile(r"\s*\([\d\s\-–]*\)$")  # ACLED's "(2017-2021)", "(2000-)"


def actor_key(name: str) -> str:
    """The name as rules match it: trimmed, lower case, ACLED's years in brackets gone."""
    return _YEARS.sub("", name.strip().lower())


@dataclass(frozen=True)
class Rule:
    actor: str  # actor_key of the name
    belligerent: str
    countries: frozenset[str] | None = None  # lower case; None: any country
    start: dt.date | None = None
    end: dt.date | None = None

    def applies(self, country: str | None, date: dt.date | None) -> bool:
        if self.countries is not None and (country or "").strip().lower() not in self.countries:
            return False
        if date is None:
            return self.start is None and self.end is None
        return (self.start is None or date >= self.start) and (self.end is None or date <= self.end)


def _date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
        return None


def parse_rules(data: Any, source: str) -> list[Rule]:
    """Rules from a loaded file; every problem is listed in one ConfigError."""
    problems: list[str] = []
    items = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{source}: expected a mapping with a list under 'rules'")
    out: list[Rule] = []
    for i, item in enumerate(items, start=1):
        where = f"{source}: rule {i}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        unknown = set(item) - {"actor", "belligerent", "countries", "from", "to"}
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        actor, bell = item.get("actor"), item.get("belligerent")
        if not isinstance(actor, str) or not actor.strip():
            problems.append(f"{where}: 'actor' must be a name")
        if not isinstance(bell, str) or not bell.strip():
            problems.append(f"{where}: 'belligerent' must be a name")
        countries = item.get("countries")
        if countries is not None and not (
            isinstance(countries, list) and all(isinstance(c, str) for c in countries)
        ):
            problems.append(f"{where}: 'countries' must be a list of names")
            countries = None
        start = _date(item.get("from"), f"{where} 'from'", problems)
        end = _date(item.get("to"), f"{where} 'to'", problems)
        if isinstance(actor, str) and isinstance(bell, str):
            out.append(
                Rule(
                    actor_key(actor),
                    bell.strip(),
                    frozenset(c.strip().lower() for c in countries) if countries else None,
                    start,
                    end,
                )
            )
    if problems:
        raise ConfigError("\n".join(problems))
    return out


def _load(path: Path) -> list[Rule]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the actor rules ({exc})") from exc
    return parse_rules(data, str(path))


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    return tuple(_load(DEFAULT_RULES))


class ActorMap:
    """Maps an actor of one event (its country and date) to a belligerent name."""

    def __init__(self, path: Path | None = None) -> None:
        own = _load(Path(path)) if path is not None else []
        self.rules = [*own, *_default_rules()]
        self._by_actor: dict[str, list[Rule]] = {}
        for r in self.rules:
            self._by_actor.setdefault(r.actor, []).append(r)

    def belligerent(
        self,
        name: str,
        country: str | None,
        date: dt.date | None,
        unmapped: Unmapped | None = None,
    ) -> str:
        for rule in self._by_actor.get(actor_key(name), ()):
            if rule.applies(country, date):
                return rule.belligerent
        return gz.belligerent(name, unmapped)
