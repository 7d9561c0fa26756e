"""The stances of reviewed candidates: who claims each one, and who denies or confirms it.

A claim's ``claim_status`` is derived from the stances on it (``data/README.md``,
"stances.csv"), so an events file with a ``stances.csv`` beside it needs, for every
row appended, the stances that make its status:

- one ``claims`` stance by its ``claimed_by``, with the row's own sources (its quote);
- for a ``denied``, ``acknowledged`` or ``corroborated`` row, the other party's
  ``denies``, ``acknowledges`` or ``corroborates``, quoting the article's sentence the
  row's notes point to ("from the article's sentence N"), else the row's own quote
  (the sentence that both reports and denies or confirms it), verbatim from the article.

Both are reported on the same day: the sources' ``published`` date, else their upper
bound (``published_before``), else the earliest the article can have been published
(``published_after``), else the claim's own latest date; ``reported_basis`` says which.
The other party is a proposal for the reviewer to check: for a denial or an
acknowledgement, the Taliban when the claim is not theirs (``actor1``), else the side
it is against (``actor2``); for a corroboration, the outlet that confirmed it.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

import pandas as pd

from geo.claims import STANCE_COLUMNS, report_day
from geo.desk.article import quote_of, split_sentences
from geo.desk.parties import TALIBAN
from geo.errors import AppendError

__all__ = ["OTHER_STANCE", "stances_for"]

#: The stance of the other party that makes each status (``claimed`` needs none).
OTHER_STANCE: Final = {
    "denied": "denies",
    "acknowledged": "acknowledges",
    "corroborated": "corroborates",
}
#: The note the extractor leaves on a status taken from another sentence.
_POINTED = re.compile(
    r"status '(?:denied|acknowledged|corroborated)' from (?:the article's )?sentence (\d+)\b"
)


def stances_for(rows: pd.DataFrame, text: str) -> pd.DataFrame:
    """Return the stances that make each row's ``claim_status``, as stances-file rows.

    Parameters
    ----------
    rows : pandas.DataFrame
        Valid events rows from the article (``settings.EVENT_COLUMNS``, text).
    text : str
        The article the rows quote.

    Returns
    -------
    pandas.DataFrame
        ``geo.claims.STANCE_COLUMNS``, all text: ``st-<event_id>`` (its claim) and,
        for a row whose status is not ``claimed``, ``st-<event_id>-<stance>``.

    Raises
    ------
    AppendError
        If a row's notes point to a sentence the article does not have, or a quote
        is not in the article; the message names the row.

    Examples
    --------
    >>> stances_for(candidates, text)["stance"].tolist()  # doctest: +SKIP
    ['claims', 'claims', 'denies']
    """
    sentences = split_sentences(text)
    out: list[dict[str, str]] = []
    records: list[dict[str, str]] = rows.astype(str).to_dict("records")  # type: ignore[assignment]
    for row in records:
        sources: list[dict[str, Any]] = json.loads(row["sources"])
        reported, basis = report_day(sources, row["date_start"], row["date_end"])
        common = {"addresses": row["event_id"], "reported": reported, "reported_basis": basis}
        out.append(
            {
                "stance_id": f"st-{row['event_id']}",
                "party": row["claimed_by"],
                "stance": "claims",
                "sources": row["sources"],
                **common,
            }
        )
        stance = OTHER_STANCE.get(row["claim_status"])
        if stance is None:
            continue
        pointed = _POINTED.search(row["notes"])
        if pointed is not None:
            number = int(pointed.group(1))
            if not 1 <= number <= len(sentences):
                raise AppendError(
                    f"{row['event_id']}: its notes point to the article's sentence {number}, "
                    f"but the article has {len(sentences)}; fix the notes"
                )
            quote = quote_of(sentences[number - 1].text)
        else:
            quote = str(sources[0].get("quote", ""))
        if not quote or quote not in text:
            raise AppendError(
                f"{row['event_id']}: the quote for its {stance} stance ('{quote[:60]}') is not "
                "in the article; quote the article verbatim"
            )
        source = {**sources[0], "quote": quote}
        out.append(
            {
                "stance_id": f"st-{row['event_id']}-{stance}",
                "party": _other_party(row, stance, source),
                "stance": stance,
                "sources": json.dumps([source], ensure_ascii=False),
                **common,
            }
        )
    return pd.DataFrame(out, columns=list(STANCE_COLUMNS), dtype=object)


def _other_party(row: dict[str, str], stance: str, source: dict[str, Any]) -> str:
    if stance == "corroborates":
        outlet = str(source.get("outlet", ""))
        return outlet if outlet and outlet != "unknown" else "the article (its own confirmation)"
    if row["actor1"] != TALIBAN:
        return TALIBAN
    return row["actor2"] or "the party the claim is against (not named)"
