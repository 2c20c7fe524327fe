"""Provenance where people read it: map popups (and the exported slide's map), the slide's dated
list, the Sources page — "analyst" or "article", and the confidence, escaped."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest

from geo.core import paths
from geo.core.provenance import Given, Provenance
from geo.core.schema import load_dataset
from geo.present import provenance
from geo.present.brief import compose, dated_list, page_html
from geo.present.filters import Filters
from geo.present.mapview import ANALYST_MARK, EvidenceLookup, build_map, esc, map_html, popup_html


@pytest.fixture(scope="module")
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.fixture(scope="module")
def ev(ds, fixture_data):
    return EvidenceLookup(ds.articles, fixture_data / "articles")


def popup_of(ds, ev, venue: str) -> str:
    rows = ds.meetings[ds.meetings["venue"] == venue].to_dict("records")
    return popup_html(venue, len(rows), rows, {}, ev)


@pytest.mark.parametrize(
    "venue, marked, says",
    [
        ("Vienna", False, ["confidence 0.90", "from the article", "<b>reviewed</b>: analyst Ani, 20 Nov 2026"]),
        (
            "Geneva",
            True,
            [
                "confidence 0.70",
                "<b>date</b>: analyst Ani, 20 Nov 2026 <i>(the summit of 6 October, general knowledge)</i>",
            ],
        ),
        ("Tbilisi", True, ["confidence 0.60", "other" + ANALYST_MARK, "<b>level</b>: analyst <i>"]),
        ("Almaty", False, ["confidence 0.90", "from the article, unreviewed"]),
    ],
)
def test_popups_say_analyst_or_article_and_the_confidence(ds, ev, venue, marked, says):
    popup = popup_of(ds, ev, venue)
    assert ("(analyst)</span>" in popup) == marked
    for text in says:
        assert text in popup, popup


EVIL = '<img src=x onerror=alert(1)> "quoted" ${x} `t`'


@pytest.mark.parametrize(
    "url, link",
    [
        ("javascript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("https://ok.example/a b", False),
        ("https://ok.example/a?b=1&c=2", True),
        ("HTTP://ok.example/", True),
    ],
)
def test_only_web_addresses_become_links_and_everything_is_escaped(ds, ev, url, link):
    one = ds.meetings[ds.meetings["venue"] == "Vienna"].copy()
    one["prov"] = [Provenance(fields=(("level", Given(EVIL, "2026-11-23T19:45:00Z", EVIL, url)),))]
    popup = popup_html("Vienna", 1, one.to_dict("records"), {}, ev)
    anchor = f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{esc(url)}</a>'
    assert (anchor in popup) == link and popup.count("<a ") == int(link) and "<img" not in popup
    assert esc(EVIL) in popup and esc(url) in popup and "${" not in popup and "`" not in popup
    page = map_html(build_map(one, ds.venues, ds.mediators, evidence=ev))  # through script_json
    assert "<img src=x" not in page and 'href=\\"javascript' not in page and 'href=\\"data:' not in page


def test_a_table_built_before_provenance_says_so(ds, ev):
    old = ds.meetings[ds.meetings["venue"] == "Vienna"].drop(columns=["prov"])
    old["provenance"] = ""
    popup = popup_html("Vienna", 1, old.to_dict("records"), {}, ev)
    assert provenance.NOT_KNOWN in popup


def _decoded(page: str) -> str:
    for _ in range(3):
        page = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)
        page = html.unescape(page)
    return page


def test_the_exported_slide_map_names_articles_and_quotes_evidence(ds, fixture_data, monkeypatch):
    monkeypatch.setattr(paths, "DEFAULT_CORPUS", fixture_data / "articles")
    brief = compose(ds, Filters(), as_of=date(2026, 11, 23))
    page = _decoded(page_html(brief))
    assert "Source: Brussels and Geneva keep the European track going" in page
    assert "In October 2022 they met again in Geneva" in page  # quoted, not fx_europe.txt:193-340
    assert "Evidence: <code>" not in page
    assert "confidence 0.70" in page and "date</b>: analyst Ani, 20 Nov 2026" in page


@pytest.mark.parametrize(
    "venue, listed",
    [("Geneva", "Geneva (date by analyst)"), ("Tbilisi", "Tbilisi (planned)"), ("Vienna", "Vienna")],
)
def test_the_slides_dated_list_says_what_an_analyst_gave(ds, venue, listed):
    rows, _ = dated_list(ds.meetings, 20)
    assert listed in [v for _, v in rows]


# --- the Sources page (AppTest on the committed data/) -----------------------------------------


@pytest.mark.slow
def test_the_sources_page_shows_confidence_and_provenance_per_meeting(monkeypatch):
    from streamlit.testing.v1 import AppTest

    data = load_dataset(paths.DATA)
    edited = data.meetings[data.meetings["prov"].map(lambda p: bool(p.fields))].iloc[0]
    file = edited["documents"].split(";")[0]
    monkeypatch.delenv("TALKS_ATLAS_DATA", raising=False)
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("app_pages/sources.py")
    at.query_params["article"] = file
    at.run()
    (df,) = [d.value for d in at.dataframe if "provenance" in d.value.columns]
    assert df["confidence"].between(0, 1).all()
    assert df["provenance"].str.startswith("from the article").all()
    assert df["by analyst"].str.len().gt(0).any() and df["provenance"].str.contains(": analyst").any()
    assert not at.exception


@pytest.mark.parametrize(
    "fields, listed",
    [
        ((), "Tbilisi (planned)"),
        (("status",), "Tbilisi (planned; status by analyst)"),
        (("date", "venue"), "Tbilisi (planned; date, venue by analyst)"),
        (("participants",), "Tbilisi (planned)"),  # not on the list: not said there
    ],
)
def test_the_dated_list_names_the_listed_facts_an_analyst_gave(ds, fields, listed):
    one = ds.meetings[ds.meetings["venue"] == "Tbilisi"].copy()
    one["prov"] = [Provenance(fields=tuple((f, Given()) for f in fields))]
    (row,), _ = dated_list(one, 5)
    assert row[1] == listed


@pytest.mark.slow
def test_the_map_pages_popups_say_analyst_or_article_and_the_confidence(monkeypatch):
    import json

    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("TALKS_ATLAS_DATA", raising=False)
    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=90)
    at.run()
    (comp,) = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    args = json.loads(comp.proto.json_args)
    script = _decoded(args["script"] + (args.get("feature_group") or ""))  # the markers: the swapped layer
    assert "(analyst)</span>" in script and "from the article" in script
    assert re.search(r"confidence 0\.\d\d", script) and "date</b>: analyst" in script
    assert not at.exception
