"""One exception tree for the whole library (as httpx does).

Adapters (CLI, web) catch :class:`CivcasError` and map its subclasses to exit codes
or HTTP statuses; nothing else should need to know the hierarchy.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class CivcasError(Exception):
    """Base of every error civcas raises on purpose."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with one input row, precise enough to fix the file by hand."""

    row: int
    field: str
    value: object
    expected: str

    def __str__(self) -> str:
        shown = repr(self.value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"row {self.row}: field {self.field!r} = {shown}: expected {self.expected}"


@dataclass
class InputError(CivcasError):
    """Bad input: a file (or request) that cannot be used as it is.

    Carries every problem found, not just the first, so a user can fix a file in one go.
    """

    message: str
    source: str = ""
    problems: list[RowProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        head = f"{self.source}: {self.message}" if self.source else self.message
        if not self.problems:
            return head
        lines = [head] + [f"  {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more problems")
        return "\n".join(lines)


class ConfigError(CivcasError):
    """A spec, mapping or setting that is invalid (all problems listed in the message)."""


class NotFoundError(CivcasError):
    """A record that was asked for by id or code does not exist."""


class ConflictError(CivcasError):
    """A write that would silently overwrite someone else's change."""


class BusyError(CivcasError):
    """The database stayed locked by another writer (a long import) past the wait limit:
    nothing was written; retrying later is safe."""


class MissingExtraError(CivcasError):
    """An optional engine is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"{module} is not installed: install it with  pip install 'civcas[{extra}]'"
        )
