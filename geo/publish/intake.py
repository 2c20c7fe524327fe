"""After an upload: build from the upload folder and report per new article (read or not, title,
date, language guess, meetings proposed, warnings).

A build reads one corpus folder and replaces every table of the data folder. So:

- when the upload folder **is** the app's corpus (``TALKS_ATLAS_CORPUS`` points at it), the
  build publishes into the data folder and the map shows the new meetings on its next view;
- otherwise (the default: the corpus is the read-only seed folder, uploads go to
  ``data/corpus/``) the build runs on a scratch copy of the data folder: the report says what
  the articles would give, and nothing the map shows is replaced by a build of the uploads alone.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.core.errors import Problem, TalksAtlasError
from geo.core.tables import CURATION
from geo.ingest.corpus import article_id
from geo.language.guess import guess_language
from geo.meetings.journal import STORE_NAME, sqlite_url
from geo.publish.build import BuildResult, build


@dataclass(frozen=True)
class FileReport:
    name: str  # as stored in the upload folder
    read: bool
    title: str = ""
    date: str = ""  # ISO day, '' when the article has none
    language: str = ""
    proposed: int = 0  # candidate meetings found in it
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Intake:
    reports: tuple[FileReport, ...]
    published: bool  # the data folder was rebuilt (the map shows the result)
    summary: str  # the build's summary, or why it failed
    failed: bool = False


def is_app_corpus(upload_dir: Path, corpus_dir: Path) -> bool:
    """Whether uploads land in the corpus the app's build reads."""
    return Path(upload_dir).resolve() == Path(corpus_dir).resolve()


def build_uploads(names: list[str], upload_dir: Path, data_dir: Path, corpus_dir: Path, gazetteer=None) -> Intake:
    """Build from ``upload_dir`` (into ``data_dir`` when it is the app's corpus, else into a
    scratch copy) and report on the articles stored as ``names``."""
    publish = is_app_corpus(upload_dir, corpus_dir)
    try:
        if publish:
            result = build(upload_dir, data_dir, gazetteer=gazetteer)
        else:
            with tempfile.TemporaryDirectory(prefix="talks-atlas-preview-") as scratch:
                preview = scratch_copy(Path(data_dir), Path(scratch), Path(upload_dir))
                result = build(upload_dir, preview, gazetteer=gazetteer, allow_empty=True, store=sqlite_url(preview))
    except TalksAtlasError as exc:
        return Intake(tuple(FileReport(n, read=False) for n in names), False, str(exc), failed=True)
    return Intake(tuple(report(n, result) for n in names), publish, result.summary())


def scratch_copy(data_dir: Path, scratch: Path, upload_dir: Path) -> Path:
    """What a build reads from ``data_dir`` (lexicon, events, venue overrides...) copied into
    ``scratch/data``, without the uploads, publish leftovers or the analyst's decisions: those
    are about the map's corpus (an added meeting citing a seed article would stop a build of the
    uploads alone), so the preview shows what the articles themselves give."""
    target = scratch / "data"
    skip = {upload_dir.resolve(), (data_dir / CURATION.name).resolve()}

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {
            n for n in names if n.startswith(".") or n.startswith(STORE_NAME) or (Path(folder) / n).resolve() in skip
        }

    shutil.copytree(data_dir, target, ignore=ignore)
    return target


def report(name: str, result: BuildResult) -> FileReport:
    file = article_id(name)
    warnings = tuple(p.message for p in (*result.corpus.problems, *result.warnings) if mentions(p, name))
    art = result.corpus.article(file)
    if art is None:
        return FileReport(name, read=False, warnings=warnings or ("not read",))
    proposed = sum(1 for c in result.candidates if c.file == file)
    return FileReport(
        name, True, art.title, art.date.isoformat() if art.date else "", guess_language(art.body), proposed, warnings
    )


def mentions(problem: Problem, name: str) -> bool:
    return Path(problem.path).name == name
