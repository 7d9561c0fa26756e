r"""What the browser receives once per dataset and filters: the events as columns.

The map does its per-window work in the browser (which events are in the window,
clusters, the choropleth's figures, presence as of the window's end), so the events
cross to the browser once per dataset and filter set, never per window or playback
step. :func:`encode_events` packs them into one compact binary file: a JSON header
(sizes, dictionaries, the encoding) followed by one typed array per column, each
aligned to 8 bytes so that JavaScript reads it as a ``Float32Array``, ``Uint16Array``...
without copying. Text columns are dictionary-encoded (an index into a list of the
distinct values), so a place or an actor named 10,000 times costs 10,000 small
integers and one string. The file is gzip-compressed and named by its content
(:func:`payload_name`), so a browser that has it never fetches it again.

Layout (little-endian)::

    b"ARMAP1\n"  uint32 header length  header (UTF-8 JSON)  zero padding to 8
    array 1 (padded to 8)  array 2 ...

The header is padded with spaces so that the arrays start on a multiple of 8;
``header["arrays"]`` lists ``{"name", "dtype", "offset", "length"}`` (offsets from the
end of the header); ``header["dicts"]`` the dictionaries; days count from
``header["day0"]`` (``NO_DAY`` is an open end).

Dates: ``start`` and ``end`` are the claim's span; ``reported`` is its latest report
date (:func:`geo.claims.report_dates`: the latest ``published`` date among its
sources), and ``reported_fallback`` is 1 where no source has one and ``reported`` is the
claim's own latest date (``date_end``, ``date_start`` for an open range) instead, so a
page that shows it can say "Latest claim date (no report date)" rather than "Last
reported".
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any, Final

import numpy as np
import pandas as pd

from geo import settings
from geo.claims import report_dates

__all__ = ["MAGIC", "NO_DAY", "decode_events", "encode_events", "payload_name", "presence_rows"]

MAGIC: Final = b"ARMAP1\n"
#: Days are counted from this date (``settings.EARLIEST_DATE``: no claim is earlier).
DAY0: Final = pd.Timestamp(settings.EARLIEST_DATE)
#: The day number of an open end (a range with no end date).
NO_DAY: Final = 65535
#: geometry_kind -> code, as the browser draws it.
KINDS: Final = {"exact": 0, "area-representative-point": 1, "unmapped": 2}
_NONE = -1


def _codes(values: pd.Series, *, empty_is_none: bool = True) -> tuple[np.ndarray, list[str]]:
    """Dictionary-encode text: (indices, distinct values); -1 for missing or empty."""
    text = values.astype(object).where(values.notna(), None)
    if empty_is_none:
        text = text.where(text.astype(str).str.strip() != "", None)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    return codes.astype(np.int64), [str(u) for u in uniques]


def _smallest(codes: np.ndarray, size: int) -> np.ndarray:
    """Store indices in the smallest unsigned type; the type's maximum means none."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        top = np.iinfo(dtype).max
        if size < top:
            return np.where(codes < 0, top, codes).astype(dtype)
    raise ValueError(f"a dictionary of {size:,} values is too large to encode")


def _days(values: pd.Series) -> np.ndarray:
    days = (values - DAY0).dt.days
    return days.fillna(NO_DAY).clip(0, NO_DAY).astype(np.uint16).to_numpy()


def _first(sources: pd.Series, key: str) -> pd.Series:
    return sources.map(lambda items: (items[0].get(key) if items else None) or None)


def encode_events(
    frame: pd.DataFrame, *, province_codes: list[str], district_ids: list[str]
) -> bytes:
    """Pack an ``events`` layer frame into the browser's binary columns (uncompressed).

    Parameters
    ----------
    frame : pandas.DataFrame
        ``geo.views.layer_frame("events", ...)`` for the filters, over the whole span
        (the browser applies the window).
    province_codes, district_ids : list of str
        The order of the map's province and district features: an event's
        ``province`` and ``district`` columns index them.

    Returns
    -------
    bytes

    Examples
    --------
    >>> blob = encode_events(frame, province_codes=codes, district_ids=[])  # doctest: +SKIP
    >>> decode_events(blob)["n"]  # doctest: +SKIP
    29
    """
    n = len(frame)
    geoms = frame.geometry.to_numpy() if hasattr(frame, "geometry") else np.full(n, None)
    kind = frame["geometry_kind"].map(KINDS).fillna(KINDS["unmapped"]).to_numpy()
    has = kind != KINDS["unmapped"]
    lon = np.full(n, np.nan, dtype=np.float32)
    lat = np.full(n, np.nan, dtype=np.float32)
    if has.any():
        lon[has] = [g.x for g in geoms[has]]
        lat[has] = [g.y for g in geoms[has]]
    columns: dict[str, np.ndarray] = {"lon": lon, "lat": lat}
    columns["start"] = _days(frame["date_start"])
    columns["end"] = _days(frame["date_end"])
    reported = report_dates(frame)
    columns["reported"] = _days(reported["reported"])
    columns["reported_fallback"] = (~reported["from_source"]).to_numpy(dtype=np.uint8)
    dicts: dict[str, list[str]] = {}
    fixed = {
        "type": (frame["event_type"], list(settings.EVENT_TYPES)),
        "status": (frame["claim_status"], list(settings.CLAIM_STATUSES)),
        "date_precision": (frame["date_precision"], list(settings.DATE_PRECISIONS)),
    }
    for name, (values, vocabulary) in fixed.items():
        codes = pd.Index(vocabulary).get_indexer(pd.Index(values.astype(object)))
        columns[name] = _smallest(codes, len(vocabulary))
        dicts[name] = vocabulary
    precision = frame["location_precision"].astype("Int64").fillna(4).to_numpy(dtype=np.int64)
    columns["precision"] = precision.astype(np.uint8)
    columns["kind"] = kind.astype(np.uint8)
    province = pd.Index(province_codes).get_indexer(pd.Index(frame["province_code"].astype(object)))
    columns["province"] = _smallest(province, len(province_codes))
    district_col = (
        frame["district_id"] if "district_id" in frame else pd.Series(None, index=frame.index)
    )
    district = pd.Index(district_ids).get_indexer(pd.Index(district_col.astype(object)))
    columns["district"] = _smallest(district, max(len(district_ids), 1))
    texts = {
        "place": frame["location_name"],
        "actor1": frame["actor1"],
        "actor2": frame["actor2"],
        "claimed_by": frame["claimed_by"],
        "fatalities_by": frame["fatalities_claimed_by"],
        "outlet": _first(frame["sources"], "outlet"),
        "title": _first(frame["sources"], "title"),
    }
    for name, values in texts.items():
        codes, uniques = _codes(values)
        columns[name] = _smallest(codes, len(uniques))
        dicts[name] = uniques
    fatal = frame["fatalities"].astype("Int64")
    columns["fatalities"] = fatal.fillna(_NONE).to_numpy(dtype=np.int32)
    return _pack({"n": n, "day0": settings.EARLIEST_DATE, "no_day": NO_DAY}, columns, dicts)


def _pack(meta: dict[str, Any], columns: dict[str, np.ndarray], dicts: dict) -> bytes:
    arrays, blobs, offset = [], [], 0
    for name, values in columns.items():
        data = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<")).tobytes()
        arrays.append(
            {"name": name, "dtype": values.dtype.name, "offset": offset, "length": len(values)}
        )
        pad = (-len(data)) % 8
        blobs.append(data + b"\0" * pad)
        offset += len(data) + pad
    header = {**meta, "dicts": dicts, "arrays": arrays}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head += b" " * ((-(len(MAGIC) + 4 + len(head))) % 8)  # JSON may end in spaces
    return MAGIC + len(head).to_bytes(4, "little") + head + b"".join(blobs)


def decode_events(blob: bytes) -> dict[str, Any]:
    """Read a payload back (what the browser does, for tests and tools).

    Returns
    -------
    dict
        The header, with ``columns`` (name -> numpy array).
    """
    if blob[:2] == b"\x1f\x8b":
        blob = gzip.decompress(blob)
    if not blob.startswith(MAGIC):
        raise ValueError("not an events payload: the magic bytes are missing")
    size = int.from_bytes(blob[len(MAGIC) : len(MAGIC) + 4], "little")
    header = json.loads(blob[len(MAGIC) + 4 : len(MAGIC) + 4 + size])
    columns = {}
    data_start = len(MAGIC) + 4 + size
    for entry in header["arrays"]:
        dtype = np.dtype(entry["dtype"]).newbyteorder("<")
        start = data_start + entry["offset"]
        columns[entry["name"]] = np.frombuffer(
            blob, dtype=dtype, count=entry["length"], offset=start
        )
    return {**header, "columns": columns}


def payload_name(data: bytes, *, prefix: str, suffix: str) -> str:
    """Name a file by its content: ``{prefix}-{sha256[:16]}{suffix}``.

    Examples
    --------
    >>> payload_name(b"x", prefix="events", suffix=".bin.gz")
    'events-2d711642b726b044.bin.gz'
    """
    return f"{prefix}-{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


def presence_rows(
    presence: pd.DataFrame, provinces: list[str], districts: list[str], groups: list[str]
) -> list[list[int]]:
    """Return presence as ``[area kind (0 province, 1 district), area, group, level, start, end]``.

    ``presence`` is joined (``province_code``, ``district_id``); a row at district
    precision whose district is known is drawn on the district, any other on its
    province; region- or country-wide rows are not drawn. Days count from
    ``settings.EARLIEST_DATE``; an open end is ``geo.views.payload.NO_DAY``.
    """
    rows = []
    p_index = {c: i for i, c in enumerate(provinces)}
    d_index = {c: i for i, c in enumerate(districts)}
    g_index = {g: i for i, g in enumerate(groups)}
    for r in presence.to_dict("records"):
        precision = int(r["location_precision"]) if pd.notna(r["location_precision"]) else 4
        if precision > 3:
            continue
        district = r.get("district_id")
        if precision == 2 and district in d_index:
            kind, area = 1, d_index[district]
        elif r.get("province_code") in p_index:
            kind, area = 0, p_index[r["province_code"]]
        else:
            continue
        start = int((pd.Timestamp(r["period_start"]) - DAY0).days)
        end = (
            NO_DAY if pd.isna(r["period_end"]) else int((pd.Timestamp(r["period_end"]) - DAY0).days)
        )
        rows.append([kind, area, g_index[str(r["group"])], int(r["level_value"]), start, end])
    return rows
