"""Errors and warnings that name the file, row and field.

Row numbers are spreadsheet rows: the header is row 1, the first record row 2, so an analyst
opening the CSV in LibreOffice or Excel lands on the right line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

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


# ---------------------------------------------------------------------------------------------
# What slips through: the one top-level guard of the CLI and of the app calls this.

LOG_DIR_ENV = "TALKS_ATLAS_LOG_DIR"


def describe_os_error(exc: OSError) -> str:
    """'cannot write data/venues.csv: Permission denied' — the path and the system's reason."""
    name = exc.filename if exc.filename is not None else ""
    other = f" -> {exc.filename2}" if getattr(exc, "filename2", None) else ""
    reason = exc.strerror or exc.__class__.__name__
    return f"{name}{other}: {reason}" if name else reason


def record_crash(exc: BaseException, context: str) -> str:
    """Write the traceback of an unexpected error to a log file and return where it went
    (or why it could not be written). ``context`` names the input (command line, page, URL)."""
    import os
    import tempfile
    import traceback
    from datetime import datetime
    from pathlib import Path

    from geo.core.paths import ROOT

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    text = f"{context}\n\n" + "".join(traceback.format_exception(exc))
    candidates = [os.environ.get(LOG_DIR_ENV), str(ROOT / "cache" / "logs"), tempfile.gettempdir()]
    for folder in filter(None, candidates):
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix=f"talks-atlas-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            return path
        except OSError:
            continue
    return "nowhere (no writable log folder)"


QUOTE_LIMIT = 80  # characters of an input value quoted in a message (a URL value can be 100 kB)


def clip(text: object, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how many were cut."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """``value`` quoted for a message, cut to ``limit`` characters with the number cut said:
    ``'![x](https://ho'… (99,950 more characters)``."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}… ({len(text) - limit:,} more characters)"
