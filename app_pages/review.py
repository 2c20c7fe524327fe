"""Review: the candidate meetings of the last build, one at a time, undecided ones first (lowest
confidence first), each with its evidence highlighted in the article and its fields as checked
choices. Every decision has a key: A accept (with the fields as shown), X reject, E save edits,
M merge into the chosen meeting, S skip, N add the meeting written below, U undo your last
decision. A decision goes to the decision journal and the meetings are published again at once:
the next candidate is on screen and the map shows the change on its next view.

The queue, the checks and the decision rows are geo.meetings.review; recording and publishing
are ui.review. Article text, titles and notes are untrusted: shown escaped (ui.highlight,
plain())."""

from __future__ import annotations

import zlib

import streamlit as st

from geo.core.dates import When
from geo.core.errors import Problem
from geo.core.tables import split_list
from geo.meetings import review
from ui import data, sidebar
from ui import review as rv
from ui.highlight import Span, highlight_html
from ui.messages import plain
from ui.view import current

view = current()
ds = view.dataset
ev = data.evidence(ds)
analyst = sidebar.analyst_name()

st.subheader("Review")
cands = rv.candidates()
journal = rv.journal()
decisions = journal.decisions()
meeting_rows = ds.meetings[["id", "date", "venue", "level", "evidence", "notes"]].to_dict("records")
items = review.queue(cands or [], decisions, review.meetings_by_candidate(meeting_rows))
by_id = {i.id: i for i in items}
venue_countries = dict(zip(ds.venues["venue"], ds.venues["country"], strict=True))
choices = review.Choices(
    venues=tuple(sorted(venue_countries)),
    mediators=tuple(ds.mediators["name"]),
    participants=rv.participants(),
    hosts=tuple(sorted(set(venue_countries.values()))),
)


# ---------------------------------------------------------------------------------------------
# What the buttons do (callbacks: they run before the page is drawn again)


def form_in(prefix: str) -> review.Form:
    ss = st.session_state
    return review.Form(
        ss.get(prefix + "date", ""),
        ss.get(prefix + "venue", "") or "",
        tuple(ss.get(prefix + "mediators", ())),
        ss.get(prefix + "host", "") or "",
        ss.get(prefix + "level", ""),
        ss.get(prefix + "format", ""),
        tuple(ss.get(prefix + "participants", ())),
        ss.get(prefix + "status", ""),
    )


def refused(problems) -> bool:
    if problems:
        rv.flash("error", "Nothing was recorded: fix the fields named below.", problems)
    return bool(problems)


def decided(rows: list[dict], done: str) -> None:
    if rv.record(rows, sidebar.analyst_name(), done):
        rv.show(None)  # the next candidate in the queue


@rv.on_click
def accept(item: review.Item, prefix: str) -> None:
    form, note, url = form_in(prefix), st.session_state.get(prefix + "note", ""), st.session_state[prefix + "url"]
    edits = review.edit_rows(item, form, note, url)
    if refused((review.check_form(form, choices) if edits else []) + review.check_url(url)):
        return
    decided(review.accept_rows(item, note) + edits, f"Accepted {item.id}" + (" with your edits" if edits else ""))


@rv.on_click
def reject(item: review.Item, prefix: str) -> None:
    decided(review.reject_rows(item, st.session_state.get(prefix + "note", "")), f"Rejected {item.id}")


@rv.on_click
def save_edits(item: review.Item, prefix: str) -> None:
    form, note, url = form_in(prefix), st.session_state.get(prefix + "note", ""), st.session_state[prefix + "url"]
    if refused(review.check_form(form, choices) + review.check_url(url)):
        return
    edits = review.edit_rows(item, form, note, url)
    if not edits:
        rv.flash("info", "No field was changed: nothing to save (A accepts the candidate as it is).")
        return
    decided(edits, f"Saved {len(edits)} edit{'s' if len(edits) != 1 else ''} of {item.id}")


@rv.on_click
def merge(item: review.Item, prefix: str, targets: dict[str, review.Target]) -> None:
    target = targets.get(st.session_state.get(prefix + "target") or "")
    if target is None:
        rv.flash("error", "Choose the meeting to merge it into first.")
        return
    rows = review.merge_rows(item, target, st.session_state.get(prefix + "note", ""))
    if not rows:
        rv.flash("info", f"{item.id} is already part of {target.id}: nothing to merge.")
        return
    decided(rows, f"Merged {item.id} into {target.id}")


@rv.on_click
def skip(item: review.Item) -> None:
    rv.skipped().add(item.id)
    rv.show(None)


@rv.on_click
def undo() -> None:
    rv.show(rv.undo(sidebar.analyst_name()))


@rv.on_click
def add(prefix: str) -> None:
    ss = st.session_state
    form, url, note = form_in(prefix), ss.get(prefix + "url", ""), ss.get(prefix + "note", "")
    problems = review.check_form(form, choices) + review.check_url(url, required=True)
    file = ss.get(prefix + "article") or ""
    text = ev.text(file) if file else None
    passage = review.find_passage(file, text, ss.get(prefix + "passage", "")) if text else None
    if passage is None:
        why = (
            "copy a sentence of the article that reports the meeting (it is its evidence)"
            if text
            else "choose an article that can be read (every meeting cites one)"
        )
        problems.append(Problem(review.FORM, f"not found in the article: {why}", field="passage"))
    if refused(problems):
        return
    taken = {r["id"] for r in meeting_rows} | {d.id for d in decisions}
    new_id = review.new_meeting_id(form, taken)
    if rv.record(
        review.add_rows(new_id, form, passage, note, url), sidebar.analyst_name(), f"Added the meeting {new_id}"
    ):
        for k in [k for k in ss if str(k).startswith(prefix)]:
            del ss[k]  # an empty form for the next one


# ---------------------------------------------------------------------------------------------
# Drawing


def draw_flash() -> None:
    shown = rv.take_flash()
    if shown is None:
        return
    lines = "\n".join(f"- {plain(p, 400)}" for p in shown.problems)
    text = plain(shown.text) + ("\n\n" + lines if lines else "")
    {"success": st.success, "error": st.error}.get(shown.kind, st.info)(text)


def label(i: review.Item) -> str:
    f = i.fields
    when = f["date"] or "no year"
    return f"[{i.state}] {f['venue']}, {when}, {f['level']} — confidence {i.candidate.confidence:.2f} — {i.id}"


def form_fields(prefix: str, values: dict[str, str], where) -> None:
    """The meeting's fields as checked choices, keyed under ``prefix``."""
    c1, c2 = where.columns(2)
    c1.text_input(
        "Date",
        value=values["date"],
        key=prefix + "date",
        help="A day (2024-10-23), a month (2024-07) or a year (2024): the precision is how you write it.",
    )
    try:
        when = When.parse(st.session_state[prefix + "date"])
        c1.caption(f"{when.human()} (precision: {when.precision})")
    except ValueError as exc:
        c1.caption(plain(exc) if st.session_state[prefix + "date"] else "a day, a month or a year")
    venues = list(choices.venues) + ([values["venue"]] if values["venue"] not in choices.venues else [])
    c2.selectbox(
        "Venue",
        venues,
        index=venues.index(values["venue"]) if values["venue"] else None,
        key=prefix + "venue",
        placeholder="a venue of venues.csv",
    )
    mediators = list(dict.fromkeys([*choices.mediators, *split_list(values["mediators"])]))
    where.multiselect(
        "Mediators",
        mediators,
        default=split_list(values["mediators"]),
        key=prefix + "mediators",
        help="'none' for direct talks",
    )
    c3, c4, c5 = where.columns(3)
    hosts = ["", *dict.fromkeys([*choices.hosts, values["host"]] if values["host"] else choices.hosts)]
    c3.selectbox(
        "Host",
        hosts,
        index=hosts.index(values["host"]),
        key=prefix + "host",
        format_func=lambda h: h or "no host",
        help="the host country (ISO code)",
    )
    c4.selectbox("Level", choices.levels, index=_index(choices.levels, values["level"]), key=prefix + "level")
    c5.selectbox("Format", choices.formats, index=_index(choices.formats, values["format"]), key=prefix + "format")
    people = list(dict.fromkeys([*choices.participants, *split_list(values["participants"])]))
    where.multiselect("Participants", people, default=split_list(values["participants"]), key=prefix + "participants")
    where.selectbox("Status", choices.statuses, index=_index(choices.statuses, values["status"]), key=prefix + "status")


def _index(options, value: str) -> int:
    return list(options).index(value) if value in options else 0


def draw_article(item: review.Item, where) -> None:
    c = item.candidate
    where.markdown(f"**{plain(ev.title(c.file))}**")
    meta = ds.articles[ds.articles["file"] == c.file] if len(ds.articles) else ds.articles
    row = meta.iloc[0] if len(meta) else None
    if row is not None:
        where.caption(plain(" · ".join(x for x in (c.file, row["date"] or "date not known", row["source"]) if x)))
    text = ev.text(c.file)
    if text is None:
        where.warning(f"The article text is not shown: {plain(ev.problem(c.file) or c.file, 300)}.")
        where.code("\n".join(c.refs))
        return
    ex = review.excerpt(text, c.evidence)
    marks = [Span(s, e, "evidence", "evidence") for s, e in ex.spans]
    places = ds.places[(ds.places["file"] == c.file) & (ds.places["role"] == "venue")]
    for p in places.itertuples(index=False):
        s, e = ex.shift(int(p.start), int(p.end))
        if s < e:
            marks.append(Span(s, e, "venue", p.venue or p.text))
    where.caption("Highlighted: the evidence. Underlined: places named as venues.")
    where.html(highlight_html(text[ex.start : ex.end], marks, ex.cut_before, ex.cut_after))


def draw_state(item: review.Item, where) -> None:
    part = f" · part of meeting {item.meeting}" if item.meeting else ""
    merged = f" into {item.merged_into}" if item.merged_into else ""
    who = next(
        (f" by {d.analyst}" + (f" at {d.time}" if d.time else "") for d in reversed(item.decisions) if d.analyst), ""
    )
    where.markdown(
        f"**{plain(item.state)}{plain(merged)}**{plain(who)} · confidence {item.candidate.confidence:.2f}{plain(part)}"
    )
    if item.candidate.reasons:
        where.caption(plain("Why it was proposed: " + "; ".join(item.candidate.reasons), 500))
    if not item.fields["date"]:
        where.caption("No year: it stays off the map until you give a date (E saves it).")


def form_key(item: review.Item) -> str:
    """The prefix of the candidate's widget keys: it changes when its decisions change (the form
    starts afresh from them), and only then (another analyst's decision elsewhere keeps your edits)."""
    said = repr([(d.action, d.field, d.value, d.note) for d in item.decisions])
    return f"rv{zlib.crc32(said.encode('utf-8')):08x}_{item.id}_"


def draw_candidate(item: review.Item) -> None:
    left, right = st.columns([3, 2], gap="large")
    draw_article(item, left)
    draw_state(item, right)
    prefix = form_key(item)
    row = right.container(horizontal=True)
    row.button(
        "Accept",
        key="rv_accept",
        shortcut="A",
        type="primary",
        on_click=accept,
        args=(item, prefix),
        help="as shown: your changes to the fields are saved with it",
    )
    row.button("Reject", key="rv_reject", shortcut="X", on_click=reject, args=(item, prefix), help="not a meeting")
    row.button("Save edits", key="rv_edit", shortcut="E", on_click=save_edits, args=(item, prefix))
    row.button("Skip", key="rv_skip", shortcut="S", on_click=skip, args=(item,), help="decide later")
    form_fields(prefix, item.fields, right)
    right.text_input("Note", key=prefix + "note", placeholder="why (kept with the decision)")
    right.text_input("Source URL", key=prefix + "url", placeholder="https://... where you read what you set (optional)")
    targets = {
        t.id: t
        for t in review.targets(meeting_rows, {d.id for d in decisions if d.action == "add"})
        if t.id != item.meeting
    }
    m1, m2 = right.columns([3, 1], vertical_alignment="bottom")
    m1.selectbox(
        "Merge into the meeting",
        list(targets),
        index=None,
        key=prefix + "target",
        format_func=lambda t: targets[t].label,
        placeholder="the same meeting, already on the map",
    )
    m2.button(
        "Merge",
        key="rv_merge",
        shortcut="M",
        on_click=merge,
        args=(item, prefix, targets),
        help="reject this candidate as a duplicate; its evidence joins the meeting's",
    )


def draw_add(item: review.Item | None) -> None:
    with st.expander("Add a meeting by hand", expanded=False):
        prefix = "rv_add_"
        st.caption(
            "A meeting the extraction missed: its fields, a sentence of a corpus article that reports it "
            "(its evidence) and where you read it."
        )
        blank = {
            "date": "",
            "venue": "",
            "mediators": "",
            "host": "",
            "level": "",
            "format": "",
            "participants": "",
            "status": "",
        }
        form_fields(prefix, blank, st)
        files = list(ds.articles["file"]) if len(ds.articles) else []
        default = files.index(item.candidate.file) if item and item.candidate.file in files else None
        st.selectbox("Article", files, index=default, key=prefix + "article", format_func=ev.title)
        st.text_area("Passage of the article that reports it", key=prefix + "passage", height=80)
        st.text_input("Source URL", key=prefix + "url", placeholder="https://...")
        st.text_input("Note", key=prefix + "note")
        st.button("Add meeting", key="rv_add", shortcut="N", on_click=add, args=(prefix,))


draw_flash()
if cands is None:
    st.info(
        "No candidates yet: the build writes data/candidates.csv. Add articles on the Add articles page, "
        "or run `.venv/bin/python -m geo build CORPUS_DIR`."
    )
    st.stop()
tally = review.counts(items)
st.caption(
    f"{len(items)} candidates: {tally['undecided']} undecided, {tally['accepted']} accepted, {tally['edited']} edited, "
    f"{tally['rejected']} rejected, {tally['merged']} merged. Keys: A accept · X reject · E save edits · "
    "M merge · S skip · N add · U undo (when no text field has the focus)."
)
if not analyst:
    st.warning("Type your name in the sidebar (Analyst) to record decisions: every decision says who took it.")

shown_id = st.session_state.get(rv.CURRENT)
item = by_id.get(shown_id) or review.next_item(items, rv.skipped())
top = st.columns([4, 1], vertical_alignment="bottom")
if items:
    st.session_state["rv_pick"] = item.id if item else None
    top[0].selectbox(
        "Candidate",
        [i.id for i in items],
        key="rv_pick",
        format_func=lambda c: label(by_id[c]),
        placeholder="every candidate is decided: pick one to look at it again",
        on_change=lambda: rv.show(st.session_state["rv_pick"]),
    )
top[1].button("Undo", key="rv_undo", shortcut="U", on_click=undo, help="cancel your last decision")

if not items:
    st.info("The last build proposed no meeting. Add one by hand below, or add articles on the Add articles page.")
elif item is None:
    st.success("Every candidate is decided. Pick one above to look at it again, or add a meeting by hand below.")
else:
    draw_candidate(item)
draw_add(item)
