"""The claims desk: review the candidate events of one article, and keep the ones that hold.

A page of the app (Streamlit finds it in ``pages/``). Paste or upload an article with
what you know of it; the desk's rules (``geo.desk``) propose candidate rows, each quote
marked in the text. Edit the rows, tick the ones to keep, and download them as an
events CSV, or append them (with their stances, when the file has a ``stances.csv``
beside it) to an events file on the server whose absolute path you type: nothing is
written anywhere else, and never into the app's own ``data/`` without saying so.
Widgets and layout only: the work is in ``geo.desk`` and ``layers.desk``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import desk, settings
from geo._csv import frame_bytes
from geo.errors import GeoError
from geo.places import Gazetteer
from layers import page
from layers.desk import article_html
from layers.style import md_escape, plural

gazetteer = st.cache_resource(
    Gazetteer.load, max_entries=1, ttl=3600, show_spinner="Loading the gazetteer…"
)
state = st.session_state
_SELECT = {
    "event_type": settings.EVENT_TYPES,
    "claim_status": settings.CLAIM_STATUSES,
    "date_precision": settings.DATE_PRECISIONS,
    "location_precision": tuple(str(k) for k in settings.LOCATION_PRECISIONS),
}


def _article_form() -> None:
    """Ask for the article and what the reviewer knows of it; on submit, find candidates."""
    folded = "desk_rows" in state  # once there are candidates, the table comes first
    with st.expander("The article: paste or upload it", expanded=not folded), st.form("desk_input"):
        text = st.text_area("Paste the article's text", height=200, key="desk_paste")
        upload = st.file_uploader("…or upload it (.txt, UTF-8)", type=["txt"], key="desk_file")
        left, right = st.columns(2)
        published = left.date_input(
            "Published (optional)", value=None, min_value=date(2001, 1, 1), key="desk_published"
        )
        outlet = right.text_input("Outlet, as the text names it (optional)", key="desk_outlet")
        title = left.text_input("Title (optional)", key="desk_title")
        url = right.text_input("URL (optional)", key="desk_url")
        name = left.text_input("File name recorded in the sources", "article.txt", key="desk_name")
        if not st.form_submit_button("Find candidates", type="primary"):
            return
    try:
        if upload is not None:
            text, name = desk.article_text(upload.getvalue(), upload.name), upload.name
        else:
            text = desk.article_text(text.encode("utf-8"), name.strip() or "article.txt")
    except GeoError as exc:
        st.error(md_escape(exc))
        return
    article = desk.Article(
        text, file=Path(name.strip() or "article.txt").name, published=published,
        outlet=outlet.strip() or None, url=url.strip() or None, title=title.strip() or None,
    )  # fmt: skip
    state.desk_article = article
    state.desk_rows = desk.review_frame(desk.extract_candidates(article, gazetteer=gazetteer()))
    state.desk_version = state.get("desk_version", 0) + 1
    state.pop("desk_done", None)


def _decide_all(accept: bool) -> None:
    """Tick or untick every row, keeping the cells edited so far."""
    edits = state.get(f"desk_table_{state.desk_version}", {}).get("edited_rows", {})
    state.desk_rows = desk.with_edits(state.desk_rows, edits).assign(**{desk.ACCEPT: accept})
    state.desk_version += 1


def _review(article: desk.Article) -> None:
    rows = state.desk_rows
    st.subheader(f"{plural(len(rows), 'candidate')} in {md_escape(article.file)}", anchor=False)
    st.caption(
        "Each number marks the text a candidate quotes. Claims, not facts: check every "
        "row against the text, edit it, and tick Accept for the rows to keep."
    )
    article_box = st.container()  # the text first, marked as the table now stands
    edited = rows
    if len(rows):
        with st.container(horizontal=True):
            st.button("Accept all", on_click=_decide_all, args=(True,), key="desk_accept_all")
            st.button("Reject all", on_click=_decide_all, args=(False,), key="desk_reject_all")
        config = {c: st.column_config.SelectboxColumn(c, options=o, required=True)
                  for c, o in _SELECT.items()}  # fmt: skip
        config[desk.ACCEPT] = st.column_config.CheckboxColumn("Accept", default=False)
        key = f"desk_table_{state.desk_version}"
        edited = st.data_editor(rows, column_config=config, num_rows="fixed", key=key)
        changed = state.get(key, {}).get("edited_rows", {})
        cells = [f"#{int(i) + 1} {c}" for i, row in sorted(changed.items(), key=lambda r: int(r[0]))
                 for c in row if c != desk.ACCEPT]  # fmt: skip
        if cells:
            st.caption(f"Edited: {md_escape(', '.join(cells))}")
    article_box.html(article_html(article.text, edited))
    if missing := [str(i + 1) for i in desk.unquoted(article.text, edited)]:
        st.warning(f"Not in the article: the quote of candidate(s) {', '.join(missing)}.")
    if len(rows):
        numbers = edited.index[edited[desk.ACCEPT].fillna(False).astype(bool)].tolist()
        _output(article, desk.accepted_rows(edited), numbers, len(rows))


def _output(article: desk.Article, accepted: pd.DataFrame, numbers: list, total: int) -> None:
    if accepted.empty:
        st.markdown(f"**0 of {total} accepted**: tick Accept for the rows to keep.")
        return
    ids = md_escape(", ".join(accepted["event_id"]))
    st.markdown(f"**{len(accepted)} of {total} accepted**: {ids}; the others are left out.")
    if bad := desk.unquoted(article.text, accepted):
        named = ", ".join(str(numbers[i]) for i in bad)
        st.error(f"Accepted, but quoting what the article does not say: candidate(s) {named}. "
                 "Quote the article verbatim; nothing is written until then.")  # fmt: skip
        return
    problems = desk.row_problems(accepted)
    if len(problems):
        st.error(
            f"{plural(len(problems), 'problem')} in the accepted rows: fix them in the table; "
            "nothing is written until then."
        )
        number = [numbers[r - 1] if r else "header" for r in problems["row"]]
        problems = problems.drop(columns="row").assign(candidate=number)
        problems = problems[["candidate", *problems.columns[:-1]]]
        st.dataframe(problems, hide_index=True, width="stretch", key="desk_problems")
        return
    stem = Path(article.file).stem
    st.download_button(
        "Download the accepted rows (events CSV)", frame_bytes(accepted),
        file_name=f"accepted-{stem}.csv", mime="text/csv", on_click="ignore",
        key="desk_download",
    )  # fmt: skip
    st.markdown("**Append to an events file on the server**")
    if page.running_options().read_only:
        st.caption("This deployment writes nothing on the server (`--read-only`): download "
                   "the rows and add them to your events file yourself.")  # fmt: skip
        return
    st.caption(
        "Type the absolute path of an existing events CSV. The rows are added at its end "
        "(in its column order), with their stances when a stances.csv is beside it; "
        "each file is replaced in one move, never left half-written."
    )
    target = st.text_input("Events file (absolute path)", key="desk_target",
                           placeholder="/path/to/events.csv")  # fmt: skip
    mine = st.checkbox(
        f"It is this app's own data folder ({settings.DATA_DIR}), and I mean to change "
        "the data it serves",
        key="desk_allow_data",
    )
    if st.button("Append the accepted rows", key="desk_append"):
        try:
            done = desk.append_events(accepted, target, text=article.text, allow_data_dir=mine)
        except GeoError as exc:
            state.pop("desk_done", None)
            st.error(md_escape(exc))
            return
        said = f"{plural(done.rows, 'row')} appended to {done.events}"
        if done.stances is not None:
            said += f", {plural(done.stance_rows, 'stance')} to {done.stances}"
        else:
            said += " (no stances.csv beside it: each row's status stands as one stance)"
        state.desk_done = said
    if done_text := state.get("desk_done"):
        st.success(md_escape(done_text))


st.set_page_config(page_title="Claims desk", layout="wide")
st.sidebar.page_link("app.py", label="← The map")
st.markdown(
    "### Claims desk\nCandidate events from one news article, for you to review. "
    "The rules propose; you decide what is kept."
)
_article_form()
if "desk_rows" in state:
    _review(state.desk_article)
