"""Article text with highlighted spans (ui.highlight): escaped, overlapping spans, excerpts."""

from __future__ import annotations

import html
import re

import pytest

from ui.highlight import Span, highlight_html, pieces

TEXT = 'The envoys met in <b>Lakeside</b> & "talked" for {{ hours }}.\nThen they left.'


def shown_text(markup: str) -> str:
    """What a reader sees inside the article box (tags dropped, entities read)."""
    body = markup.split('<div class="article-text">', 1)[1].rsplit("</div>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_the_text_is_shown_as_written_and_never_as_markup():
    out = highlight_html(TEXT, [Span(4, 10, "evidence", 'a "note" <i>')])
    assert shown_text(out) == TEXT  # nothing added, nothing lost, line breaks kept
    assert "<b>" not in out and "&lt;b&gt;" in out and "{{ hours }}" in out
    assert 'title="a &#34;note&#34; &lt;i&gt;"' in out


def test_overlapping_spans_cut_the_text_and_share_classes():
    got = [(p.text, p.tag, p.classes) for p in pieces("abcdef", [Span(1, 4, "evidence"), Span(3, 5, "venue")])]
    assert got == [
        ("a", "", ""),
        ("bc", "mark", "evidence"),
        ("d", "mark", "evidence venue"),
        ("e", "span", "venue"),
        ("f", "", ""),
    ]


@pytest.mark.parametrize("span", [Span(5, 2, "evidence"), Span(0, 999, "evidence"), Span(0, 3, "unknown")])
def test_spans_that_do_not_fit_are_left_out(span):
    assert [p.tag for p in pieces("abcdef", [span])] == [""]


@pytest.mark.parametrize("before, after", [(False, False), (True, False), (False, True), (True, True)])
def test_an_excerpt_says_where_text_was_left_out(before, after):
    out = highlight_html("middle", [], cut_before=before, cut_after=after)
    assert shown_text(out) == ("[…] " if before else "") + "middle" + (" […]" if after else "")
