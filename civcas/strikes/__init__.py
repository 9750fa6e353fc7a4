"""What belligerents declared (strike releases) matched to what was alleged (issue 20).

Public surface:

- :func:`parse_line` / :func:`targets`: a release line -> place, strikes, (count, kind)
  targets.
- :func:`import_strike_releases`: ``civcas import strike-releases FILE``.
- :class:`MatchSettings`, :func:`match`, :func:`match_store`: declared strikes near each
  alleged incident in space and time, with a suggested strike status.
- :func:`save_suggestions`, :func:`accept`, :func:`reject`, :func:`pending`: suggestions
  for a person to decide (accepting one is an audited incident edit).
- :func:`declared_summary`: "of N alleged incidents, M occurred where and when the
  belligerent declared strikes".
- :func:`undeclared_nearby` / :func:`unalleged_strikes`, :func:`monthly`: the other
  direction (declared strikes with no allegation) and the monthly series.
"""

from .importer import StrikeImportResult, import_strike_releases
from .parse import parse_line, targets

__all__ = [
    "StrikeImportResult",
    "import_strike_releases",
    "parse_line",
    "targets",
]
