"""Write files atomically: a reader never sees half a file, a crash never loses the old one."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from geo.core.dates import When
from geo.core.errors import TalksAtlasError, describe_os_error


class WriteError(TalksAtlasError):
    """A file could not be written (a folder in the way, no permission, disk full...)."""


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder, fsynced, then renamed
    over the target. Any OS failure is a WriteError naming the target and the reason; the
    old file, if any, is untouched."""
    path = Path(path)
    check_target(path)
    try:
        _write(path, data)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or describe_os_error(exc)}") from exc


def check_target(path: Path) -> None:
    """WriteError when ``path`` cannot be a file: it is a folder, or a file stands where one of
    its folders should be."""
    if path.is_dir():
        raise WriteError(f"cannot write {path}: it is a folder (give a file name)")
    blocker = next((p for p in path.parents if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise WriteError(f"cannot write {path}: {blocker} is a file, not a folder")


FILE_MODE = 0o644  # tables are for every user of the machine to read (mkstemp would give 0600)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), FILE_MODE)
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def fsync_dir(folder: Path | str) -> None:
    """Make a rename in ``folder`` durable (the data first, then the directory entry)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: Path | str, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buf.getvalue()


def write_csv(path: Path | str, columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> None:
    """Write rows (dicts) with exactly ``columns``, atomically. None becomes an empty cell; a
    :class:`~geo.core.dates.When` its ISO form."""
    write_text(path, csv_text(columns, rows))


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, When):
        return value.iso()
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return value
