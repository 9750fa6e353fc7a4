"""Pure domain types and vocabularies: no I/O, no SQL, no web. Imports nothing of ours."""

from .errors import (
    CivcasError,
    ConfigError,
    ConflictError,
    InputError,
    MissingExtraError,
    NotFoundError,
    RowProblem,
)
from .filters import IncidentFilter, Near
from .records import (
    BelligerentAssessment,
    CountRange,
    Incident,
    Place,
    Source,
    Statement,
    Victim,
)
from .vocab import (
    GRADE_DEFINITIONS,
    LIKELY_GRADES,
    AgeGroup,
    Assessment,
    DatePrecision,
    Grade,
    LocationPrecision,
    Sex,
    SourceType,
    StrikeType,
    VictimStatus,
    normalise_assessment,
    normalise_belligerent,
    normalise_grade,
)

__all__ = [
    "GRADE_DEFINITIONS", "LIKELY_GRADES", "AgeGroup", "Assessment", "BelligerentAssessment",
    "CivcasError", "ConfigError", "ConflictError", "CountRange", "DatePrecision", "Grade",
    "Incident", "IncidentFilter", "InputError", "LocationPrecision", "MissingExtraError",
    "Near", "NotFoundError", "Place", "RowProblem", "Sex", "Source", "SourceType",
    "Statement", "StrikeType", "Victim", "VictimStatus", "normalise_assessment",
    "normalise_belligerent", "normalise_grade",
]
