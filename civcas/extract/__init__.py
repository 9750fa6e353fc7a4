"""Reading reports: text -> casualty claims (dates, places, counts, actors, weapons).

Public surface:
- :func:`extract_text` (text, published=None, lang=None) -> list[:class:`Claim`]; every
  field has spans (offsets into the text) and a confidence; ``Claim.to_json()``.
- :func:`extract_report` -> :class:`Report` (claims + report-level ``summary``).
- :func:`load_gazetteer` / :class:`Gazetteer`: the shipped offline gazetteer.
- ``intake.read_sources`` (files -> texts with SHA-256), ``evaluate`` (FA-KES scoring),
  ``into_db.draft_reports`` (claims -> draft reports linked to candidate incidents).
"""

from .claims import Claim, Count, Field, Span
from .extractor import Report, detect_lang, extract_report, extract_text
from .gazetteer import Gazetteer, Place, load_gazetteer

__all__ = [
    "Claim", "Count", "Field", "Span", "Report", "detect_lang", "extract_report",
    "extract_text", "Gazetteer", "Place", "load_gazetteer",
]  # fmt: skip
