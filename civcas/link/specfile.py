"""A linkage spec as a file (``civcas link --spec FILE.yaml``): what the Python
:class:`~civcas.link.model.ModelSpec` gives, for a CLI user.

    # every key is optional
    mapping: {record_id: rec_id, given: given_name, family: surname}  # civcas column: yours
    columns:                 # extra columns of your files and how to compare them
      date_of_birth: string  # string: Jaro-Winkler 0.95 / 0.85; exact: equal or not
      soc_sec_id: string
      postcode: exact
    blocking:                # extra blocking keys (pairs sharing all the columns of one)
      - [date_of_birth]
      - [soc_sec_id]
    training:                # EM blocks (default: given + family, given + father + sex)
      - [date_of_birth]
    deterministic:           # rules for the prior (pairs surely one person)
      - [given, family, date_of_birth]
    threshold: 0.9           # match threshold (the CLI's --threshold wins when given)
    unique_lists: [moh0808]  # lists that name each person once (a register): never two
                             # of their records in one person (also: civcas link --unique)

Read as plain data (YAML or JSON, never executed); every problem is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import ConfigError
from .model import ModelSpec
from .records import COLUMNS, OPTIONAL, read_json_or_yaml

KINDS = ("exact", "string")
KEYS = ("mapping", "columns", "blocking", "training", "deterministic", "threshold",
        "unique_lists")  # fmt: skip
# the civcas names a rule may use besides the spec's own columns (features' names)
FEATURE_COLUMNS = {"given", "father", "grandfather", "family", "sex", "age", "dod", "place",
                   "incident", "id_number", "dod_wa", "dod_wb"}  # fmt: skip


@dataclass
class SpecFile:
    spec: ModelSpec
    mapping: dict[str, str] = field(default_factory=dict)
    extra_columns: list[str] = field(default_factory=list)
    threshold: float | None = None


def load_spec(path: str | Path) -> SpecFile:
    data = read_json_or_yaml(path, "spec")
    return parse_spec(data if data is not None else {}, str(path))


def parse_spec(data: Any, source: str = "spec") -> SpecFile:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a spec is a mapping of {', '.join(KEYS)}")
    for k in sorted(set(data) - set(KEYS)):
        problems.append(f"unknown key {k!r} (known: {', '.join(KEYS)})")
    mapping = data.get("mapping") or {}
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        problems.append("mapping: an object {civcas column: your column}")
        mapping = {}
    for k in sorted(set(mapping) - set(COLUMNS) - set(OPTIONAL)):
        problems.append(f"mapping: unknown civcas column {k!r} (known: {COLUMNS + OPTIONAL})")
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append("columns: an object {column: exact|string}")
        columns = {}
    for c, kind in columns.items():
        if kind not in KINDS:
            problems.append(f"columns: {c!r}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if c in COLUMNS + OPTIONAL:
            problems.append(f"columns: {c!r} is a civcas column (compared already): map it instead")
    known = FEATURE_COLUMNS | set(columns)

    def rules(key: str) -> list[list[str]]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(
            isinstance(r, list) and r and all(isinstance(c, str) for c in r) for r in value
        ):
            problems.append(f"{key}: a list of lists of column names, e.g. [[given, family]]")
            return []
        for r in value:
            for c in r:
                if c not in known:
                    problems.append(f"{key}: {c!r} is neither a civcas column nor in columns")
        return [list(r) for r in value]

    blocking, training, deterministic = rules("blocking"), rules("training"), rules("deterministic")
    threshold = data.get("threshold")
    if threshold is not None and not (isinstance(threshold, int | float) and 0 < threshold < 1):
        problems.append(f"threshold: {threshold!r} is not a number between 0 and 1")
        threshold = None
    unique = data.get("unique_lists") or []
    if not isinstance(unique, list) or not all(isinstance(x, str) and x for x in unique):
        problems.append("unique_lists: a list of list names, e.g. [moh0808]")
        unique = []
    if problems:
        raise ConfigError(f"{source}: {len(problems)} problems:\n  " + "\n  ".join(problems))
    spec = ModelSpec(
        extra_exact=[c for c, k in columns.items() if k == "exact"],
        extra_string=[c for c, k in columns.items() if k == "string"],
        training_blocks=training,
        blocking=blocking,
        unique_lists=list(unique),
    )
    if deterministic:
        spec.deterministic = deterministic
    return SpecFile(spec, {str(k): str(v) for k, v in mapping.items()}, list(columns), threshold)
