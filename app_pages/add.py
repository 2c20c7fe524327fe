"""Add articles: upload files or paste a text; each is checked and saved (geo.ingest.uploads),
then the build runs on the upload folder (geo.publish.intake) and a report per file is shown.
Names, titles and messages come from the uploads: shown through plain()."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.core import paths
from geo.core.errors import Problem
from geo.core.paths import display
from geo.ingest.corpus import EXTENSIONS, KINDS
from geo.ingest.uploads import pasted_article, save_upload, size_limit, size_text, upload_folder
from geo.publish.intake import Intake, build_uploads, is_app_corpus
from ui import data
from ui.messages import plain
from ui.view import current

_RESULT = "add_result"  # (refused problems, notices, Intake | None) of the last submission

current()  # opened through app.py
folder = upload_folder(data.data_dir())
corpus = paths.DEFAULT_CORPUS
publishes = is_app_corpus(folder, corpus)

st.subheader("Add articles")
st.caption(
    f"Articles are saved into {plain(display(folder))}; the same file is never stored twice and "
    f"no article is overwritten. Up to {size_text(size_limit())} a file; {plain(KINDS)}."
)
if publishes:
    st.caption(
        "This folder is the corpus the map is built from: after saving, the tables are rebuilt "
        "and the map shows the new meetings on its next view."
    )
else:
    st.caption(
        f"The map is built from {plain(display(corpus))} (TALKS\\_ATLAS\\_CORPUS), not from this "
        "folder: the build of your articles is a preview on a scratch copy and the map does not "
        "change. Start the app with TALKS\\_ATLAS\\_CORPUS set to the upload folder to map your corpus."
    )


def submit(items: list[tuple[str, bytes] | Problem]) -> None:
    """Save each item, build once, keep the outcome for drawing."""
    bar = st.progress(0.0, text="Saving")
    refused: list[Problem] = []
    notices: list[str] = []
    saved: list[str] = []
    for i, item in enumerate(items, start=1):
        got = item if isinstance(item, Problem) else save_upload(item[0], item[1], folder)
        if isinstance(got, Problem):
            refused.append(got)
        else:
            saved.append(got.name)
            if got.notice:
                notices.append(got.notice)
        bar.progress(i / (len(items) + 1), text=f"Saved {i} of {len(items)}")
    intake = None
    if saved:
        bar.progress(len(items) / (len(items) + 1), text="Reading the articles and proposing meetings")
        intake = build_uploads(saved, folder, data.data_dir(), corpus)
    bar.progress(1.0, text="Done")
    st.session_state[_RESULT] = (refused, notices, intake)


files_tab, paste_tab = st.tabs(["Upload files", "Paste a text"])
with files_tab, st.form("add_files", clear_on_submit=True):
    uploads = st.file_uploader(
        "Articles", accept_multiple_files=True, key="add_uploads", help=f"{KINDS} ({', '.join(EXTENSIONS)})"
    )
    if st.form_submit_button("Add these articles", type="primary") and uploads:
        submit([(u.name, u.getvalue()) for u in uploads])
with paste_tab, st.form("add_paste", clear_on_submit=False):
    title = st.text_input("Title", key="add_title")
    published = st.text_input("Publication date", key="add_date", placeholder="YYYY-MM-DD")
    source = st.text_input("Source URL", key="add_source", placeholder="https://...")
    text = st.text_area("Text", key="add_text", height=220)
    if st.form_submit_button("Add this text", type="primary"):
        submit([pasted_article(title, published, source, text)])


def draw(refused: list[Problem], notices: list[str], intake: Intake | None) -> None:
    for p in refused:
        st.error(f"**{plain(p.path)}** was not saved: {plain(p.message)}")
    for n in notices:
        st.warning(plain(n))
    if intake is None:
        return
    if intake.failed:
        st.error(f"The articles were saved but the build stopped: {plain(intake.summary, 2000)}")
    elif intake.published:
        st.success("Saved and built: the map and the other pages show the new tables.")
    else:
        st.info("Saved. The preview build below did not change the map (see above).")
    table = pd.DataFrame(
        [
            {
                "file": r.name,
                "read": "yes" if r.read else "no",
                "title": r.title,
                "date": r.date or "not known",
                "language": r.language,
                "meetings proposed": r.proposed,
                "warnings": "; ".join(r.warnings),
            }
            for r in intake.reports
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")  # a dataframe shows text as text
    st.caption(plain(intake.summary.splitlines()[0] if intake.summary else ""))


if _RESULT in st.session_state:
    draw(*st.session_state[_RESULT])
