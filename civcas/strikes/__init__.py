"""What belligerents declared (strike releases) matched to what was alleged (issue 20).

Public surface:

- :func:`parse_line` / :func:`targets`: a release line -> place, strikes, (count, kind)
  targets.
- :func:`import_strike_releases`: ``civcas import strike-releases FILE``.
- :class:`MatchSettings`, :func:`match`, :func:`match_store`: declared strikes near each
  alleged incident in space and time, with a suggested strike status.
- :func:`save_suggestions`, :func:`decide`, :func:`list_suggestions`, :func:`pending`:
  suggestions for a person to decide (accepting one is an audited incident edit).
- :func:`declared_nearby`: the declared strikes near one incident (its page).
- :func:`declared_summary`: "of N alleged incidents, M occurred where and when the
  belligerent declared strikes".
- :func:`unalleged`, :func:`monthly`: the other
  direction (declared strikes with no allegation) and the monthly series.
"""

from .importer import StrikeImportResult, import_strike_releases
from .match import MatchSettings, match
from .other import declared_summary, monthly, unalleged
from .parse import parse_line, targets
from .review import decide, list_suggestions, pending
from .service import declared_nearby, match_store, save_suggestions

__all__ = [
    "MatchSettings",
    "StrikeImportResult",
    "declared_nearby",
    "declared_summary",
    "decide",
    "import_strike_releases",
    "list_suggestions",
    "match",
    "match_store",
    "monthly",
    "parse_line",
    "pending",
    "save_suggestions",
    "targets",
    "unalleged",
]
