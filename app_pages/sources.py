"""Sources: each article, its metadata, the meetings found in it (with their confidence and which
fields an analyst gave instead), the places, and its text with the evidence highlighted (escaped:
article text is untrusted)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.core.dates import When
from geo.core.paths import display
from geo.core.schema import parse_evidence, split_list
from geo.present.meetings_table import article_meetings
from ui import data
from ui.highlight import Span, highlight_html
from ui.messages import plain
from ui.view import current

view = current()
ds = view.dataset
ev = data.evidence(ds)

st.subheader("Sources")

cited_by = data.meetings_per_article(ds)  # once per data version: a million meetings cite thousands of articles
cited = sorted(cited_by)
files = list(ds.articles["file"]) if len(ds.articles) else []
files += [f for f in cited if f not in files]
if not len(ds.articles):
    st.caption(
        "`data/articles.csv` is not there yet (the build writes it); listing the articles "
        "the meetings cite, read from the corpus folder."
    )
if not files:
    st.info("No articles yet. Rebuild the tables with: `.venv/bin/python -m geo build ../shared/seeds`")
    st.stop()

in_filter = {d for docs in view.meetings["documents"].unique() for d in split_list(docs)}
only = st.toggle("Only articles behind the filtered meetings", key="sources_only", value=False)
choices = [f for f in files if f in in_filter] if only else files
if not choices:
    st.info("No article is cited by the meetings in the current filters.")
    st.stop()


def label(f: str) -> str:
    n = cited_by.get(f, 0)
    return f"{ev.title(f)}  ({f}, {n} meeting{'s' if n != 1 else ''})"


# ?article=FILE (the Meetings page links here) chooses the article shown first
asked = st.query_params.get("article")
if asked in choices and "sources_article" not in st.session_state:
    st.session_state["sources_article"] = asked
file = st.selectbox("Article", choices, format_func=label, key="sources_article")

meta = ds.articles[ds.articles["file"] == file] if len(ds.articles) else pd.DataFrame()
row = meta.iloc[0] if len(meta) else None
path = ev.path(file)
facts = {
    "title": ev.title(file),
    "date": (row["date"] if row is not None else "") or "not known",
    "date from": (row["date_source"] if row is not None else "") or "",
    "source": (row["source"] if row is not None else "") or "",
    "file": file,
    "path": display(path.resolve()) if path is not None else "",
}
# st.table renders Markdown in its cells: the title and source come from the article (untrusted)
st.table(pd.DataFrame({"": list(facts), "value": [plain(v) for v in facts.values()]}).set_index(""))

mine = ds.meetings[ds.meetings["documents"].map(lambda s: file in split_list(s)).astype(bool)]
mine = mine.assign(
    date=mine["date"].map(lambda d: When.parse(d).human()).astype(str)
)  # at its precision: "September 2024"
st.markdown(f"**Meetings found in this article: {len(mine)}**")
if len(mine):
    st.caption("“by analyst”: fields an analyst gave, not this article; “provenance” says who, when and why.")
    st.dataframe(
        article_meetings(mine),
        hide_index=True,
        width="stretch",
        column_config={
            "confidence": st.column_config.ProgressColumn("confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "provenance": st.column_config.TextColumn("provenance", width="large"),
        },
    )

places = ds.places[ds.places["file"] == file] if len(ds.places) else ds.places
st.markdown(f"**Places mentioned: {len(places)}**")
if len(places):
    st.dataframe(places[["text", "venue", "country", "role", "reason"]], hide_index=True, width="stretch")
elif not len(ds.places):
    st.caption("`data/places.csv` is not there yet (the build writes it).")

text = ev.text(file)
if text is None:  # unreadable, outside the corpus folder, or changed since the build
    why = ev.problem(file) or f"{display(path) if path else file} cannot be read"
    st.warning(f"The article text is not shown: {plain(why, 300)}. Evidence is shown as references only.")
    for r in mine.itertuples(index=False):
        st.code(r.evidence)
else:
    spans = []
    for r in mine.itertuples(index=False):
        for ref in split_list(r.evidence):
            try:
                f, a, b = parse_evidence(ref)
            except ValueError:
                continue
            if f == file:
                spans.append(Span(a, b, "evidence", f"{r.venue}, {r.date}"))
    for p in places.itertuples(index=False):
        spans.append(Span(int(p.start), int(p.end), "venue" if p.role == "venue" else "place", p.venue or p.text))
    st.caption(
        "Highlighted: evidence for the meetings. Underlined: places (red: venue of a meeting, blue: other mentions)."
    )
    st.html(highlight_html(text, spans))
