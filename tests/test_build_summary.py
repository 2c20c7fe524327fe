"""The build's summary never leaves an unknown venue or an undated article unsaid."""

from __future__ import annotations

from types import SimpleNamespace as Row

import pytest

from geo.publish.build import undated_lines, unresolved_lines


def mention(text: str, file: str = "a.txt", role: str = "venue") -> Row:
    return Row(text=text, file=file, role=role)


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        ([], []),
        ([mention("Atlantisville", role="other")], []),  # a passing place: reported in venues_report.csv only
        ([mention("Atlantisville"), mention("Atlantisville")], ["1 place(s)", "'Atlantisville' (a.txt)"]),
        ([mention(f"Town{i}") for i in range(7)], ["7 place(s)", "and 2 more", "venue_overrides.csv"]),
    ],
)
def test_unknown_venues_are_named_with_what_to_do(mentions, expected):
    text = " ".join(unresolved_lines(mentions))
    assert all(part in text for part in expected)
    assert bool(text) == bool(expected)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [([None], "1 article(s) have no publication date"), (["2024-01-01"], "")],
)
def test_undated_articles_are_named(dates, expected):
    articles = [Row(file=f"f{i}.txt", date=d) for i, d in enumerate(dates)]
    text = " ".join(undated_lines(articles))
    assert (expected in text) and bool(text) == bool(expected)
