"""The app's typed columnar copy of the published tables: ``meetings.parquet`` beside
``meetings.csv`` (for every table the catalogue declares ``columnar``).

The CSV stays the table people read, edit and version; the Parquet file is the same rows already
checked and typed (categories, timestamps, numbers), so the app reads a data version in a fraction
of a second instead of parsing and validating every CSV row again. Checking happens once: the
build validates the tables before it publishes them, and :func:`geo.core.snapshot.publish` writes
the Parquet files in the same snapshot as their CSVs (one commit point for both).

Each Parquet file records the SHA-256 and size of the CSV bytes it was made from. A reader
trusts it only when the CSV on disk still has those bytes: a CSV edited by hand, or a fresh clone
(the Parquet files are not committed: see .gitignore), makes it stale, and the app validates the
CSV instead — every problem named by file, row and field — and then writes a fresh copy.

pyarrow is imported only inside the functions (``geo.core.snapshot`` stays light).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.core.tables import DATA_TABLES, Table

SUFFIX = ".parquet"
META_KEY = b"talks_atlas.source"
FORMAT = 1  # bump when the frames' types change otherwise: older files are then stale


def columnar_tables() -> tuple[Table, ...]:
    """The tables published with a Parquet copy (declared in geo.core.tables)."""
    return tuple(t for t in DATA_TABLES if t.columnar)


def parquet_name(table: Table) -> str:
    """``meetings.csv`` -> ``meetings.parquet``."""
    return Path(table.name).stem + SUFFIX


@dataclass(frozen=True)
class Source:
    """The CSV bytes a Parquet copy stands for."""

    sha256: str
    size: int

    @classmethod
    def of(cls, data: bytes) -> Source:
        return cls(hashlib.sha256(data).hexdigest(), len(data))

    @classmethod
    def of_file(cls, path: Path) -> Source | None:
        """The file's digest, read in chunks (a million meetings are 150 MB of CSV); None when
        it cannot be read (the CSV reader then names the problem)."""
        try:
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, "sha256")
                return cls(digest.hexdigest(), f.tell())
        except OSError:
            return None


def _expected(table: Table, source: Source) -> dict:
    """The stamp a current copy carries: the CSV bytes it was made from, and the frame's layout
    (columns, categories) in this version of the code: a copy written before a column was added
    to the catalogue is stale even when the CSV did not change."""
    from geo.core.schema import frame_layout

    return {"format": FORMAT, "layout": frame_layout(table), "sha256": source.sha256, "size": source.size}


def encode(table: Table, frame: pd.DataFrame, source: Source) -> bytes:
    """The frame as Parquet bytes, stamped with the CSV it was made from."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    stamp = json.dumps(_expected(table, source)).encode("utf-8")
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), META_KEY: stamp})
    out = io.BytesIO()
    pq.write_table(arrow, out, compression="zstd")
    return out.getvalue()


def read(folder: Path, table: Table, source: Source | None) -> pd.DataFrame | None:
    """The stored frame of ``table`` in ``folder`` when its Parquet copy exists and was made
    from exactly the CSV bytes ``source`` describes; otherwise None (the caller validates the CSV)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / parquet_name(table)
    if source is None or not path.is_file():
        return None
    # Arrow's default pool (mimalloc) keeps the pages it decoded into; the system allocator
    # returns them, which keeps the app's memory near the size of its frames
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        meta = pq.read_schema(path).metadata or {}
        if _stamp(meta.get(META_KEY)) != _expected(table, source):
            return None
        return pq.read_table(path).to_pandas(self_destruct=True, split_blocks=True)
    except (OSError, pa.ArrowException):
        return None  # unreadable or half-copied: the CSV is the truth
    finally:
        _release_freed_memory()


def _release_freed_memory() -> None:
    """Give the decoding buffers back to the system (glibc keeps freed heap otherwise: about
    50 MB after reading a million meetings). Elsewhere than glibc: nothing to do."""
    libc = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc), "malloc_trim", None) if libc else None
    if trim is not None:
        trim(0)


def _stamp(raw: bytes | None) -> dict:
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}


def copies_for(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """For each CSV among ``files`` whose table is columnar, its Parquet copy (name -> bytes),
    made from those very bytes. A CSV that does not read as its table (a test's placeholder,
    a build that wrote something else) gets no copy: readers then fall back to the CSV, which
    names the problem."""
    from geo.core.schema import stored_frame

    out = {}
    for table in columnar_tables():
        data = files.get(table.name)
        if data is None:
            continue
        cells = _cells(data, table)
        if cells is None:
            continue
        try:
            frame = stored_frame(table, cells)
        except (ValueError, TypeError):
            continue
        out[parquet_name(table)] = encode(table, frame, Source.of(data))
    return out


def _cells(data: bytes, table: Table) -> pd.DataFrame | None:
    """The CSV's cells as strings (the build checked them), or None when the header lacks a
    required column. The C parser reads a million rows in about a second."""
    try:
        df = pd.read_csv(
            io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=True
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None
    missing = [c for c in table.names if c not in df.columns]
    if [c for c in missing if c not in table.optional_columns]:
        return None
    for c in missing:
        df[c] = ""
    return df[table.names]
