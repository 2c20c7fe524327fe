"""Errors and warnings that name the file, row and field.

Row numbers are spreadsheet rows: the header is row 1, the first record row 2, so an analyst
opening the CSV in LibreOffice or Excel lands on the right line.
"""
from __future__ import annotations

from dataclasses import dataclass

EXIT_USAGE = 2  # bad input, bad arguments, missing files: the CLI exits with this code


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    path: str
    message: str
    row: int | None = None
    field: str | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.path
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class TalksAtlasError(Exception):
    """Base class: every error a user can cause. The CLI prints it and exits 2."""


class DataError(TalksAtlasError):
    """An input file is invalid. Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem, hint: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.hint = hint
        super().__init__(self.describe())

    def describe(self, limit: int = 20) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)


class UsageError(TalksAtlasError):
    """Bad arguments or a missing/empty input path."""
