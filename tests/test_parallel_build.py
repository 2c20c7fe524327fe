"""The build's per-article work in worker processes: the same tables whatever the number of jobs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.paths import DATA
from geo.meetings.extract import is_current_id
from geo.publish import work
from geo.publish.build import build

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
TABLES = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")
PUBLISHED = ("venues.csv", "places.csv", "articles.csv", "venues_report.csv", "meetings.csv")


def data_dir(root: Path, with_curation: bool = False) -> Path:
    d = root / "data"
    d.mkdir(parents=True)
    for name in TABLES + (("curation.csv", "venue_overrides.csv") if with_curation else ()):
        if (DATA / name).exists():
            shutil.copy(DATA / name, d / name)
    return d


def published(d: Path) -> dict[str, bytes]:
    return {name: (d / name).read_bytes() for name in PUBLISHED}


NAMESAKES = {  # Arlington, Texas is not the Arlington the name alone means: "Arlington (US-TX)"
    "texas.txt": "date: 2024-05-10\n\n"
    "Armenian and Azerbaijani foreign ministers held talks in Arlington, Texas on May 3.\n",
    "virginia.txt": "date: 2024-06-10\n\nArmenian and Azerbaijani foreign ministers met in Arlington on June 4.\n",
}


@pytest.fixture()
def namesakes(tmp_path) -> Path:
    c = tmp_path / "namesakes"
    c.mkdir()
    for name, text in NAMESAKES.items():
        (c / name).write_text(text)
    return c


def test_a_venue_renamed_across_the_corpus_is_extracted_under_its_final_name(namesakes, tmp_path, gazetteer):
    result = build(namesakes, data_dir(tmp_path), gazetteer)
    venues = {c.file: c.venue for c in result.candidates}
    assert venues == {"texas.txt": "Arlington (US-TX)", "virginia.txt": "Arlington"}
    assert sorted(c.id.split("#")[0] for c in result.candidates) == ["texas.txt", "virginia.txt"]
    assert all(is_current_id(c.id) for c in result.candidates)  # ids do not depend on the venue's name


@pytest.mark.parametrize(
    "articles, jobs, sizes",
    [
        (10, 1, [3, 3, 3, 1]),
        (10, 2, [2, 2, 2, 2, 2]),
        (1000, 2, [32] * 31 + [8]),
        (0, 4, []),
    ],
)
def test_articles_go_out_in_consecutive_chunks(articles, jobs, sizes):
    chunks = work.chunked(list(range(articles)), jobs)
    assert [len(c) for c in chunks] == sizes
    assert [a for c in chunks for a in c] == list(range(articles))


def test_process_article_needs_a_started_worker(monkeypatch):
    monkeypatch.setattr(work, "_here", __import__("threading").local())
    with pytest.raises(RuntimeError, match="start"):
        work.process_article(None)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_cli_refuses_a_bad_number_of_jobs(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["build", str(tmp_path), "--jobs", value])
    assert exc.value.code == 2
    assert "not a number of processes" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["hard", "namesakes", "seeds"])
def test_tables_are_byte_identical_whatever_the_jobs(corpus, tmp_path, gazetteer, namesakes, request):
    src = {"hard": HARD, "namesakes": namesakes}.get(corpus) or request.getfixturevalue("seeds_dir")
    seeds = corpus == "seeds"  # the committed curation and overrides apply to the seed articles
    one, two = data_dir(tmp_path / "one", seeds), data_dir(tmp_path / "two", seeds)
    build(src, one, gazetteer, jobs=1)
    build(src, two, gazetteer, jobs=2)
    assert published(one) == published(two)
    if seeds:
        assert (two / "meetings.csv").read_bytes() == (DATA / "meetings.csv").read_bytes()


@pytest.mark.slow
def test_cli_build_with_jobs(tmp_path, capsys):
    d = data_dir(tmp_path)
    assert main(["build", str(HARD), "--data", str(d), "--jobs", "2"]) == 0
    assert "candidate meetings" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# Incremental rebuild: per-article results kept in a cache


def counting(monkeypatch) -> list[str]:
    """The files the per-article work is run on, in this process."""
    seen: list[str] = []
    original = work.Worker.process

    def process(self, article):
        seen.append(article.file)
        return original(self, article)

    monkeypatch.setattr(work.Worker, "process", process)
    return seen


LATER = "date: 2024-12-01\n\nArmenian and Azerbaijani foreign ministers held talks in Vienna on November 28.\n"


def test_adding_an_article_works_on_that_article_only(tmp_path, gazetteer, monkeypatch):
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    shutil.copytree(HARD, corpus)
    seen = counting(monkeypatch)
    d = data_dir(tmp_path / "cached")
    first = build(corpus, d, gazetteer, cache_dir=cache)
    assert first.reused == 0 and len(seen) == len(first.corpus.articles)
    seen.clear()
    (corpus / "later.txt").write_text(LATER)
    result = build(corpus, d, gazetteer, cache_dir=cache)
    assert seen == ["later.txt"]
    assert result.reused == len(first.corpus.articles)
    assert "unchanged since an earlier build" in result.summary()
    clean = data_dir(tmp_path / "clean")
    build(corpus, clean, gazetteer)
    assert published(d) == published(clean)


def test_a_changed_article_or_table_is_worked_on_again(tmp_path, gazetteer, monkeypatch):
    corpus, cache = tmp_path / "corpus", tmp_path / "cache"
    shutil.copytree(HARD, corpus)
    d = data_dir(tmp_path)
    build(corpus, d, gazetteer, cache_dir=cache)
    seen = counting(monkeypatch)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text() + "\nArmenian and Azerbaijani leaders met in Prague on May 5.\n")
    build(corpus, d, gazetteer, cache_dir=cache)
    assert seen == [changed.name]
    seen.clear()
    (d / "events.csv").write_text((d / "events.csv").read_text() + "\n")  # a table that shapes extraction
    result = build(corpus, d, gazetteer, cache_dir=cache)
    assert result.reused == 0 and len(seen) == len(result.corpus.articles)
    assert len(list(cache.glob("articles-*"))) == 2


def test_cached_results_are_the_results(tmp_path, gazetteer):
    from geo.ingest.corpus import read_corpus
    from geo.publish import article_cache

    setting = work.Setting(data_dir(tmp_path))
    for a in read_corpus(HARD).articles:
        result = work.start(setting).process(a)
        assert article_cache.from_plain(article_cache.to_plain(result)) == result


def test_a_damaged_or_foreign_entry_is_not_read(tmp_path, gazetteer):
    import os

    from geo.ingest.corpus import read_corpus
    from geo.publish import article_cache

    d = data_dir(tmp_path)
    cache = article_cache.ArticleCache.open(tmp_path / "cache", work.Setting(d))
    a = read_corpus(HARD).articles[0]
    result = work.start(work.Setting(d)).process(a)
    cache.put(a, result)
    assert cache.get(a) == result
    os.chmod(cache.path(a), 0o666)  # anyone could have written it
    assert cache.get(a) is None
    os.chmod(cache.path(a), 0o644)
    cache.path(a).write_text('{"@": "Candidate", "id": ')
    assert cache.get(a) is None
    cache.path(a).write_text('{"file": "x", "mentions": [[1, 2]], "venue_mentions": [], "candidates": []}')
    assert cache.get(a) is None


def test_a_gazetteer_of_ones_own_is_not_cached(tmp_path):
    from geo.publish import article_cache

    assert article_cache.ArticleCache.open(tmp_path, work.Setting(tmp_path, gazetteer=object())) is None


@pytest.mark.slow
def test_cli_rebuild_uses_the_cache_unless_told_not_to(tmp_path, capsys):
    d = data_dir(tmp_path)
    assert main(["build", str(HARD), "--data", str(d), "--jobs", "1"]) == 0
    capsys.readouterr()
    assert main(["build", str(HARD), "--data", str(d), "--jobs", "1"]) == 0
    assert "came from the cache" in capsys.readouterr().out
    assert main(["build", str(HARD), "--data", str(d), "--no-cache"]) == 0
    assert "came from the cache" not in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# The Dask engine (needs the dask[distributed] packages)


@pytest.mark.slow
def test_dask_engine_gives_the_same_tables(tmp_path, gazetteer):
    distributed = pytest.importorskip("distributed")
    one, on_dask = data_dir(tmp_path / "one"), data_dir(tmp_path / "dask")
    build(HARD, one, gazetteer, jobs=1)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        build(HARD, on_dask, gazetteer, engine="dask", scheduler=cluster.scheduler_address)
    assert published(one) == published(on_dask)


def test_scheduler_without_dask_engine_is_refused(tmp_path, capsys):
    assert main(["build", str(HARD), "--data", str(data_dir(tmp_path)), "--scheduler", "tcp://x:8786"]) == 2
    assert "--scheduler is for --engine dask" in capsys.readouterr().err


def test_dask_engine_without_dask_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(__import__("sys").modules, "dask.distributed", None)  # as if not installed
    assert main(["build", str(HARD), "--data", str(data_dir(tmp_path)), "--engine", "dask", "--no-cache"]) == 2
    assert "pip install 'dask[distributed]'" in capsys.readouterr().err
