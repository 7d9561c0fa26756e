"""Tests for geo/claims.py and geo/validation.py: loading, every problem, filtering."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

import cli
from geo import claims, settings
from geo.errors import AmbiguousPlaceError, ClaimsFileError, PlaceNotFoundError, SchemaError

ROOT = Path(__file__).resolve().parent.parent
SOURCE = {"file": "000_x.txt", "outlet": "RFE/RL", "title": "A report", "quote": "clashed"}
EVENT = {
    "event_id": "t-01",
    "date_start": "2022-04-18",
    "date_end": "",
    "date_precision": "week",
    "date_basis": "'last week' before the dateline",
    "event_type": "clash",
    "actor1": "National Resistance Front (NRF)",
    "actor2": "Taliban",
    "claimed_by": "NRF",
    "claim_status": "claimed",
    "location_name": "Bazarak",
    "province_code": "AF-PAN",
    "district": "",
    "longitude": "",
    "latitude": "",
    "location_precision": "3",
    "location_basis": "province named",
    "fatalities": "",
    "fatalities_claimed_by": "",
    "notes": "",
    "sources": json.dumps([SOURCE]),
}
PRESENCE = {
    "presence_id": "p-01",
    "group": "National Resistance Front (NRF)",
    "location_name": "Panjshir",
    "province_code": "AF-PAN",
    "district": "",
    "location_precision": "3",
    "period_start": "2021-09-01",
    "period_end": "",
    "date_precision": "range",
    "date_basis": "since September last year",
    "level": "stronghold",
    "claimed_by": "NRF",
    "claim_status": "claimed",
    "notes": "",
    "sources": json.dumps([SOURCE]),
}
#: Points inside the real provinces.
KABUL = ("69.17", "34.53")
PANJSHIR = ("69.9", "35.3")


def csv_text(rows, columns=settings.EVENT_COLUMNS, base=EVENT) -> str:
    """Build a CSV (RFC 4180 quoting) from dicts that override ``base``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        merged = {**base, **row}
        writer.writerow([merged.get(c, "") for c in columns])
    return buffer.getvalue()


def event(i: int = 1, **values: str) -> dict[str, str]:
    return {"event_id": f"t-{i:02d}", **values}


def point(lon_lat: tuple[str, str], **values: str) -> dict[str, str]:
    lon, lat = lon_lat
    return {"longitude": lon, "latitude": lat, "location_precision": "1", **values}


@pytest.fixture
def load(write_text, provinces):
    """Write rows to events.csv and load it with on_invalid='report'."""

    def _load(*rows, gazetteer=None, name="events.csv", **kwargs) -> claims.LoadResult:
        path = write_text(name, csv_text(rows, **kwargs))
        return claims.read_events(
            path, on_invalid="report", provinces=provinces, gazetteer=gazetteer
        )

    return _load


def only(result: claims.LoadResult, code: str) -> claims.Problem:
    """Return the single problem, checking its code."""
    assert [p.code for p in result.problems] == [code], [str(p) for p in result.problems]
    return result.problems[0]


class FakeGazetteer:
    """Bazarak is in Panjshir, Andarab in Baghlan, Kabul in two places at once."""

    places: ClassVar[dict[str, set[str | None]]] = {
        "bazarak": {"AF-PAN"},
        "andarab": {"AF-BGL"},
        "afghanistan": {None},
    }

    def __init__(self):
        self.calls = 0

    def resolve(self, name, *, province=None, fuzzy=True):
        self.calls += 1
        key = name.strip().casefold()
        if key == "kabul":
            raise AmbiguousPlaceError("Kabul: city or province", candidates=[])
        where = self.places.get(key)
        if where is None:
            raise PlaceNotFoundError(f"no place matches {name!r}")
        if province is not None and province not in where:
            raise PlaceNotFoundError(f"{name!r} is not in {province}")
        return name


# --- a good file --------------------------------------------------------------------
def test_good_file_loads_with_types_and_filled_end_dates(load):
    result = load(
        event(1, date_precision="day", date_start="2022-04-20"),
        event(2),
        event(3, date_precision="month", date_start="2022-02-01"),
        event(4, date_precision="range", date_start="2021-09-01"),
        event(5, date_precision="range", date_start="2021-09-01", date_end="2021-10-15"),
        event(6, **point(PANJSHIR), fatalities="12", fatalities_claimed_by="NRF"),
    )
    assert result.problems == [] and result.rejected.empty
    data = result.data
    assert data.crs.to_epsg() == 4326
    ends = data["date_end"].dt.strftime("%Y-%m-%d").fillna("NaT").tolist()
    assert ends == ["2022-04-20", "2022-04-24", "2022-02-28", "NaT", "2021-10-15", "2022-04-24"]
    assert str(data["date_start"].dtype).startswith("datetime64")
    assert str(data["location_precision"].dtype) == "Int64"
    assert str(data["fatalities"].dtype) == "Int64"
    assert data["fatalities"].iloc[5] == 12 and data["fatalities"].isna().sum() == 5
    assert data["longitude"].dtype == float and np.isnan(data["longitude"].iloc[0])
    assert data.geometry.iloc[:5].isna().all()
    assert data.geometry.iloc[5].x == pytest.approx(69.9)
    assert data["sources"].iloc[0] == [SOURCE]
    assert data["actors"].iloc[0] == ["National Resistance Front (NRF)", "Taliban"]
    assert data["line"].tolist() == [2, 3, 4, 5, 6, 7]


def test_empty_actor2_is_left_out_of_actors(load):
    result = load(event(1, actor2=""))
    assert result.data["actors"].iloc[0] == ["National Resistance Front (NRF)"]


def test_header_only_file_gives_an_empty_frame(write_text):
    path = write_text("events.csv", ",".join(settings.EVENT_COLUMNS) + "\n")
    result = claims.read_events(path, gazetteer=None)
    assert len(result.data) == 0 and result.ok
    assert {"date_start", "actors", "geometry", "line"} <= set(result.data.columns)


# --- files that cannot be read ------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_empty_file_is_a_claims_file_error(write_text, tmp_path, content):
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    with pytest.raises(ClaimsFileError, match=r"events\.csv is empty; expected a header row"):
        claims.read_events(path, gazetteer=None)


def test_bom_is_a_claims_file_error(write_text):
    path = write_text("events.csv", "\ufeff" + csv_text([event()]))
    with pytest.raises(ClaimsFileError, match=r"byte-order mark \(BOM\); save it as UTF-8 without"):
        claims.read_events(path, gazetteer=None)


def test_non_utf8_names_the_byte_offset_and_line(write_text):
    text = csv_text([event(), event(2, notes="Café")])
    path = write_text("events.csv", text, encoding="cp1252")
    offset = text.encode("cp1252").index(b"\xe9")
    line = text[: text.index("é")].count("\n") + 1
    with pytest.raises(
        ClaimsFileError,
        match=rf"not valid UTF-8: byte 0xe9 at byte offset {offset} \(line {line}\)",
    ):
        claims.read_events(path, gazetteer=None)


def test_unclosed_quote_is_a_claims_file_error():
    data = (",".join(settings.EVENT_COLUMNS) + '\nt-01,"2022-01-01\n').encode()
    with pytest.raises(
        ClaimsFileError, match=r"events\.csv, line 2: the CSV cannot be parsed .*check the quotes"
    ):
        claims.read_events_bytes(data, name="events.csv", gazetteer=None)


def test_missing_file_is_a_claims_file_error(tmp_path):
    with pytest.raises(ClaimsFileError, match="claims file not found"):
        claims.read_events(tmp_path / "nope.csv", gazetteer=None)


# --- header problems ----------------------------------------------------------------
def test_missing_columns_are_named_and_every_row_is_rejected(load):
    columns = [c for c in settings.EVENT_COLUMNS if c not in ("latitude", "sources")]
    result = load(event(1), event(2), columns=columns)
    problem = only(result, "missing_columns")
    assert problem.row == 1
    assert "missing column(s) 'latitude', 'sources'" in str(problem)
    assert "expected the 21 columns event_id, date_start, date_end" in str(problem)
    assert len(result.data) == 0 and result.rejected["line"].tolist() == [2, 3]


def test_missing_columns_raise_by_default(write_text, provinces):
    columns = [c for c in settings.EVENT_COLUMNS if c != "notes"]
    path = write_text("events.csv", csv_text([event()], columns=columns))
    with pytest.raises(SchemaError, match=r"line 1 \(header\): missing column\(s\) 'notes'"):
        claims.read_events(path, provinces=provinces, gazetteer=None)


def test_extra_columns_are_named_and_good_rows_still_load(load):
    columns = [*settings.EVENT_COLUMNS, "comment"]
    result = load(event(1), columns=columns)
    problem = only(result, "extra_columns")
    assert "unexpected column(s) 'comment'" in str(problem)
    assert "remove the extra column(s)" in str(problem)
    assert len(result.data) == 1 and "comment" not in result.data.columns


def test_repeated_columns_are_a_problem(load):
    result = load(event(1), columns=[*settings.EVENT_COLUMNS, "notes"])
    assert "repeated column(s) 'notes'" in str(only(result, "duplicate_columns"))


def test_row_with_too_many_fields_is_rejected_with_its_line(write_text, provinces):
    text = csv_text([event(1), event(2)]).replace("t-02,", "t-02,extra,", 1)
    path = write_text("events.csv", text)
    result = claims.read_events(path, on_invalid="report", provinces=provinces, gazetteer=None)
    problem = only(result, "field_count")
    assert str(problem).startswith("events.csv, line 3, column '(row)': found '22 fields'")
    assert "expected 21 fields" in str(problem)
    assert result.rejected["line"].tolist() == [3] and len(result.data) == 1


# --- dates --------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["22/04/2022", "2022-4-18", "April 2022"])
def test_bad_date_format(load, value):
    problem = only(load(event(date_start=value)), "bad_date")
    assert str(problem) == (
        f"events.csv, line 2, column 'date_start': found '{value}'; expected a date as "
        "YYYY-MM-DD (e.g. 2022-04-29) in date_start"
    )


def test_impossible_date(load):
    problem = only(load(event(date_start="2022-02-30")), "impossible_date")
    assert "found '2022-02-30'; expected a real calendar date" in str(problem)


def test_date_end_before_date_start(load):
    result = load(event(date_start="2022-04-18", date_end="2022-04-01", date_precision="range"))
    problem = only(result, "date_order")
    assert problem.column == "date_end"
    assert "expected a date on or after date_start (2022-04-18)" in str(problem)


def test_future_date(load):
    problem = only(load(event(date_start="2999-01-01", date_precision="day")), "future_date")
    assert "a claim cannot be in the future" in str(problem)


def test_day_precision_with_a_different_end(load):
    result = load(event(date_start="2022-04-18", date_end="2022-04-20", date_precision="day"))
    assert "use date_precision 'range'" in str(only(result, "date_precision_mismatch"))


# --- vocabularies and required values -----------------------------------------------
@pytest.mark.parametrize(
    ("column", "value", "hint"),
    [
        ("event_type", "Clash", "did you mean 'clash'?"),
        ("date_precision", "daily", "one of day, week, month, range"),
        ("claim_status", "claim", "did you mean 'claimed'?"),
        ("location_precision", "5", "one of 1, 2, 3, 4"),
    ],
)
def test_bad_vocabulary(load, column, value, hint):
    problem = only(load(event(**{column: value})), "bad_vocabulary")
    assert problem.column == column and problem.value == value
    assert hint in str(problem)


@pytest.mark.parametrize("column", ["event_id", "date_basis", "actor1", "location_basis"])
def test_required_values(load, column):
    problem = only(load(event(**{column: ""})), "missing_value")
    assert f"column '{column}': found an empty value" in str(problem)
    assert "this column is required" in str(problem)


def test_duplicate_ids_list_every_line(load):
    result = load(
        event(1), event(2, notes="two\nlines"), event(1), event(3), event(1, event_type="Clash")
    )
    dupes = [p for p in result.problems if p.code == "duplicate_id"]
    assert [p.row for p in dupes] == [2, 5, 7]
    assert all("'t-01' is on lines 2, 5, 7: give each row its own id" in str(p) for p in dupes)
    assert {p.code for p in result.problems} == {"duplicate_id", "bad_vocabulary"}
    assert result.data["event_id"].tolist() == ["t-02", "t-03"]


# --- coordinates --------------------------------------------------------------------
def test_latitude_out_of_range_message(load):
    problem = only(load(event(**point(("69.2", "95.2")))), "out_of_range")
    assert str(problem).startswith(
        "events.csv, line 2, column 'latitude': found '95.2'; expected a latitude between "
        "29.3 and 38.6"
    )


def test_longitude_out_of_range(load):
    problem = only(load(event(**point(("-69.2", "34.5")))), "out_of_range")
    assert problem.column == "longitude" and "check the sign" in str(problem)


@pytest.mark.parametrize(("column", "value"), [("latitude", "35,3"), ("longitude", "abc")])
def test_coordinates_not_a_number(load, column, value):
    result = load(event(**point(PANJSHIR, **{column: value})))
    problem = only(result, "not_a_number")
    assert problem.column == column and f"expected a {column} in decimal degrees" in str(problem)


def test_point_outside_afghanistan(load):
    problem = only(load(event(**point(("74.0", "31.0")))), "outside_afghanistan")
    assert "(74.0, 31.0) lies in no province" in str(problem)


def test_swapped_longitude_and_latitude(load):
    problem = only(load(event(**point(("35.3", "69.9")))), "swapped_coordinates")
    assert "longitude and latitude look swapped: (69.9, 35.3) lies in Panjshir" in str(problem)


def test_province_code_that_disagrees_with_the_point_names_both(load):
    problem = only(load(event(**point(KABUL))), "province_mismatch")
    assert problem.column == "province_code" and problem.value == "AF-PAN"
    assert "expected AF-KAB (Kabul), the province holding the point" in str(problem)
    assert "not Panjshir (AF-PAN)" in str(problem)


def test_points_within_the_border_tolerance_are_accepted(write_text, tiny_provinces):
    # The tiny Parwan/Panjshir border is lon 70.0; 0.01 degree is about 0.9 km.
    rows = [event(1, **point(("69.99", "35.5"))), event(2, **point(("69.9", "35.5")))]
    path = write_text("events.csv", csv_text(rows))
    result = claims.read_events(path, on_invalid="report", provinces=tiny_provinces, gazetteer=None)
    problem = only(result, "province_mismatch")
    assert problem.row == 3 and "AF-PAR (Parwan)" in str(problem)


def test_unknown_province_code(load):
    problem = only(load(event(province_code="Panjsher")), "unknown_province")
    assert "expected an ISO 3166-2 province code such as AF-PAN" in str(problem)
    assert "for 'Panjsher' write AF-PAN" in str(problem)
    problem = only(load(event(province_code="AF-XYZ")), "unknown_province")
    assert "write" not in str(problem)


def test_bad_precision_with_coordinates_is_one_problem(load):
    problem = only(load(event(**point(PANJSHIR, location_precision="1.5"))), "bad_vocabulary")
    assert problem.column == "location_precision"


def test_missing_province_code_is_allowed_only_at_precision_4(load):
    result = load(event(1, province_code=""), event(2, province_code="", location_precision="4"))
    problem = only(result, "missing_value")
    assert problem.row == 2 and "may be empty only when location_precision is 4" in str(problem)


def test_coordinates_for_a_vague_place(load):
    result = load(event(**point(PANJSHIR, location_precision="3")))
    problem = only(result, "coordinates_for_vague_place")
    assert problem.value == "69.9, 35.3"
    assert "location_precision is 3 (province)" in str(problem)
    assert "coordinates are given only for an exact place" in str(problem)


def test_missing_coordinates_at_precision_1(load):
    problem = only(load(event(location_precision="1")), "missing_coordinates")
    assert "add longitude and latitude, or lower location_precision" in str(problem)


def test_one_coordinate_without_the_other(load):
    problem = only(load(event(**point(PANJSHIR, latitude=""))), "incomplete_coordinates")
    assert problem.column == "latitude" and "give both longitude and latitude" in str(problem)


# --- fatalities ---------------------------------------------------------------------
@pytest.mark.parametrize("value", ["3.5", "twelve", "~10"])
def test_fatalities_must_be_whole_numbers(load, value):
    result = load(event(fatalities=value, fatalities_claimed_by="NRF"))
    assert "expected a whole number as claimed" in str(only(result, "bad_fatalities"))


def test_negative_fatalities(load):
    result = load(event(fatalities="-2", fatalities_claimed_by="NRF"))
    assert "a number of at least 0" in str(only(result, "negative_fatalities"))


def test_fatalities_need_who_claims_them(load):
    problem = only(load(event(fatalities="12")), "missing_fatalities_source")
    assert problem.column == "fatalities_claimed_by"
    assert "who claims the 12 fatalities" in str(problem)


def test_who_claims_fatalities_needs_a_number(load):
    result = load(event(fatalities_claimed_by="NRF"))
    assert "an empty value when fatalities is empty" in str(
        only(result, "fatalities_source_without_number")
    )


# --- sources ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("not json", r"expected valid JSON \(Expecting value at character 0\)"),
        (json.dumps(SOURCE), r"a non-empty JSON array of objects"),
        ("[]", r"a non-empty JSON array of objects"),
        ('["RFE/RL"]', r"source 1 to be a JSON object with the keys file, outlet, title, quote"),
        (
            json.dumps([SOURCE, {"file": "a.txt", "outlet": "x", "title": ""}]),
            r"source 2 to have the keys .* \(missing or empty: title, quote;",
        ),
    ],
)
def test_bad_sources(load, value, expected):
    problem = only(load(event(sources=value)), "bad_sources")
    assert problem.column == "sources"
    assert re.search(expected, str(problem)), str(problem)


def test_quote_longer_than_300_characters(load):
    long = {**SOURCE, "quote": "x" * 301}
    problem = only(load(event(sources=json.dumps([long]))), "quote_too_long")
    assert "at most 300 characters (it has 301); quote a short phrase only" in str(problem)
    assert len(problem.value) <= 80


def test_optional_source_keys_are_accepted(load):
    full = {**SOURCE, "cites": "AFP", "published": "2022-04-29", "url": "https://x", "cites2": 1}
    assert load(event(sources=json.dumps([full]))).ok


# --- place names --------------------------------------------------------------------
def test_unknown_place_name(load):
    result = load(event(location_name="Xyzzy"), gazetteer=FakeGazetteer())
    problem = only(result, "unknown_place")
    assert "a place the gazetteer knows in Panjshir (AF-PAN)" in str(problem)
    assert "add the spelling to data/aliases.csv" in str(problem)


def test_place_in_another_province(load):
    result = load(event(location_name="Andarab"), gazetteer=FakeGazetteer())
    problem = only(result, "place_not_in_province")
    assert "a place in Panjshir (AF-PAN), the row's province" in str(problem)


def test_precision_4_resolves_without_a_province(load):
    row = event(location_name="Afghanistan", province_code="", location_precision="4")
    assert load(row, gazetteer=FakeGazetteer()).ok
    bad = event(location_name="Atlantis", province_code="", location_precision="4")
    assert "a place name the gazetteer knows" in str(
        only(load(bad, gazetteer=FakeGazetteer()), "unknown_place")
    )


def test_ambiguous_place_is_accepted_and_names_are_resolved_once(load):
    gazetteer = FakeGazetteer()
    result = load(*(event(i, location_name="Kabul") for i in range(1, 6)), gazetteer=gazetteer)
    assert result.ok and gazetteer.calls == 1


def test_gazetteer_none_skips_the_place_check(load):
    assert load(event(location_name="Xyzzy"), gazetteer=None).ok


# --- reporting ----------------------------------------------------------------------
def test_line_numbers_count_quoted_newlines(load):
    result = load(
        event(1, notes="first\nsecond\nthird"), event(2, event_type="bad"), event(3, notes="a\nb")
    )
    problem = only(result, "bad_vocabulary")
    assert problem.row == 5


def test_report_mode_returns_good_rows_problems_and_rejected_rows(load):
    result = load(event(1), event(2, date_start="x"), event(3), event(4, event_type="y"))
    assert [p.row for p in result.problems] == [3, 5]
    assert result.data["event_id"].tolist() == ["t-01", "t-03"]
    assert result.rejected["line"].tolist() == [3, 5]
    assert result.rejected["event_id"].tolist() == ["t-02", "t-04"]
    assert len(result.data) + len(result.rejected) == 4


def test_raise_mode_lists_every_problem(write_text, provinces):
    rows = [event(1, date_start="x"), event(2, event_type="y", fatalities="-1")]
    path = write_text("events.csv", csv_text(rows))
    with pytest.raises(SchemaError, match=r"events\.csv: 4 problem\(s\) on 2 line\(s\)") as info:
        claims.read_events(path, provinces=provinces, gazetteer=None)
    message = str(info.value)
    assert len(info.value.problems) == 4
    for problem in info.value.problems:
        assert str(problem) in message
    assert [p.code for p in info.value.problems] == [
        "bad_date",
        "bad_vocabulary",
        "negative_fatalities",
        "missing_fatalities_source",
    ]


def test_several_problems_in_one_row_are_all_reported(load):
    result = load(event(date_start="2022-02-30", claim_status="?", sources="[]"))
    assert {p.code for p in result.problems} == {"impossible_date", "bad_vocabulary", "bad_sources"}
    assert all(p.row == 2 for p in result.problems)


def test_on_invalid_is_checked():
    with pytest.raises(ValueError, match="on_invalid must be 'raise' or 'report', not 'warn'"):
        claims.read_events_bytes(b"x", name="e.csv", on_invalid="warn")  # type: ignore[arg-type]


def test_read_events_bytes_runs_the_same_checks(provinces):
    data = csv_text([event(date_start="2022-02-30")]).encode()
    with pytest.raises(SchemaError, match=r"upload\.csv, line 2, column 'date_start'"):
        claims.read_events_bytes(data, name="upload.csv", provinces=provinces, gazetteer=None)
    with pytest.raises(ClaimsFileError, match=r"upload\.csv starts with a UTF-8 byte-order"):
        claims.read_events_bytes(b"\xef\xbb\xbf" + data, name="upload.csv", gazetteer=None)


# --- presence -----------------------------------------------------------------------
def presence_csv(*rows) -> bytes:
    return csv_text(rows, columns=settings.PRESENCE_COLUMNS, base=PRESENCE).encode()


def test_presence_loads_with_open_ends_and_levels(provinces):
    data = presence_csv({}, {"presence_id": "p-02", "period_end": "2022-04-29", "level": "x"})
    result = claims.read_presence_bytes(
        data, name="presence.csv", on_invalid="report", provinces=provinces, gazetteer=None
    )
    assert "did you mean" not in str(only(result, "bad_vocabulary"))
    assert "reported_activity, sustained_fighting, stronghold" in str(result.problems[0])
    row = result.data.iloc[0]
    assert pd.isna(row["period_end"]) and row["level_value"] == 3
    assert result.data.geometry.isna().all() and result.data.crs.to_epsg() == 4326


def test_presence_precision_1_is_not_allowed(provinces):
    data = presence_csv({"location_precision": "1"})
    with pytest.raises(SchemaError, match=r"found '1'; expected one of 2, 3, 4"):
        claims.read_presence_bytes(data, name="presence.csv", provinces=provinces, gazetteer=None)


def test_presence_period_order(provinces):
    data = presence_csv({"period_start": "2022-01-01", "period_end": "2021-01-01"})
    with pytest.raises(SchemaError, match=r"column 'period_end'.*on or after period_start"):
        claims.read_presence_bytes(data, name="presence.csv", provinces=provinces, gazetteer=None)


def test_detect_kind():
    assert claims.detect_kind(csv_text([]).encode()) == "events"
    assert claims.detect_kind(presence_csv()) == "presence"
    with pytest.raises(ClaimsFileError, match=r"neither 'event_id' nor 'presence_id'"):
        claims.detect_kind(b"a,b\n1,2\n", name="x.csv")
    with pytest.raises(ClaimsFileError, match="is empty"):
        claims.detect_kind(b"", name="x.csv")


# --- filtering ----------------------------------------------------------------------
@pytest.fixture
def events(load):
    two = json.dumps([SOURCE, {**SOURCE, "file": "004_y.txt", "outlet": "AFP"}])
    return load(
        event(1, date_precision="day", date_start="2022-04-20"),
        event(2, date_precision="month", date_start="2022-03-01", actor1="Taliban", actor2=""),
        event(3, date_precision="range", date_start="2021-09-01", event_type="attack"),
        event(4, **point(PANJSHIR), date_start="2021-08-02", claim_status="denied", sources=two),
    ).data


def ids(frame) -> list[str]:
    return frame["event_id"].tolist()


def test_filter_window_uses_overlap(events):
    assert ids(claims.filter_events(events, start="2022-03-31", end="2022-03-31")) == [
        "t-02",
        "t-03",
    ]
    assert ids(claims.filter_events(events, start="2022-04-21")) == ["t-03"]
    assert ids(claims.filter_events(events, end="2021-08-31")) == ["t-04"]
    assert ids(claims.filter_events(events)) == ["t-01", "t-02", "t-03", "t-04"]


def test_filter_by_actor_type_status_precision_and_source(events):
    assert ids(claims.filter_events(events, actors=["taliban"])) == ["t-01", "t-02", "t-03", "t-04"]
    assert ids(claims.filter_events(events, actors=["National Resistance Front (NRF)"])) == [
        "t-01",
        "t-03",
        "t-04",
    ]
    assert ids(claims.filter_events(events, event_types=["attack"])) == ["t-03"]
    assert ids(claims.filter_events(events, statuses=["denied"])) == ["t-04"]
    assert ids(claims.filter_events(events, min_precision=2)) == ["t-04"]
    assert ids(claims.filter_events(events, sources=["AFP"])) == ["t-04"]
    assert ids(claims.filter_events(events, sources=["004_y.txt"])) == ["t-04"]
    assert len(claims.filter_events(events, sources=["000_x.txt"])) == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": "2022-05-01", "end": "2022-04-01"}, r"start \(2022-05-01\) is after end"),
        ({"start": "soon"}, "start must be a date"),
        ({"event_types": ["battle"]}, r"unknown event_types \['battle'\]; expected some of"),
        ({"statuses": ["rumour"]}, r"unknown statuses \['rumour'\]"),
        ({"min_precision": 5}, r"min_precision must be one of \[1, 2, 3, 4\], not 5"),
    ],
)
def test_filter_arguments_are_checked(events, kwargs, message):
    with pytest.raises(ValueError, match=message):
        claims.filter_events(events, **kwargs)


def test_filter_presence_and_as_of(provinces):
    data = presence_csv(
        {"period_end": "2022-04-29"},
        {"presence_id": "p-02", "group": "AFF", "period_start": "2022-02-01"},
    )
    presence = claims.read_presence_bytes(
        data, name="p.csv", provinces=provinces, gazetteer=None
    ).data
    assert claims.filter_presence(presence, start="2022-05-01")["presence_id"].tolist() == ["p-02"]
    assert claims.filter_presence(presence, groups=["aff"])["presence_id"].tolist() == ["p-02"]
    assert claims.presence_as_of(presence, "2022-03-01")["presence_id"].tolist() == [
        "p-01",
        "p-02",
    ]
    assert claims.presence_as_of(presence, "2021-01-01").empty


def test_events_to_csv_frame_round_trips(write_text, provinces, load):
    rows = [
        event(1, date_precision="day", date_start="2022-04-20"),
        event(2, date_precision="range", date_start="2021-09-01", date_end="2021-10-15"),
        event(3, **point(PANJSHIR), fatalities="12", fatalities_claimed_by="NRF", notes="a\nb"),
    ]
    original = csv_text(rows)
    loaded = load(*rows).data
    frame = claims.events_to_csv_frame(loaded)
    assert list(frame.columns) == list(settings.EVENT_COLUMNS)
    assert frame.to_csv(index=False, lineterminator="\n") == pd.read_csv(
        io.StringIO(original), dtype=str, keep_default_na=False
    ).to_csv(index=False, lineterminator="\n")


# --- performance --------------------------------------------------------------------
def test_ten_thousand_rows_load_whole(provinces):
    """Scale check (timings live in bench/bench_core.py): no row lost or mangled."""
    rng = np.random.default_rng(0)
    rows = []
    for i in range(10_000):
        exact = i % 3 == 0
        lon, lat = (69.6 + rng.random() * 0.3, 35.2 + rng.random() * 0.2) if exact else ("", "")
        rows.append(
            event(
                i,
                event_id=f"synth-{i:06d}",
                longitude=str(lon),
                latitude=str(lat),
                location_precision="1" if exact else "3",
            )
        )
    data = csv_text(rows).encode()
    result = claims.read_events_bytes(
        data, name="synth.csv", provinces=provinces, gazetteer=FakeGazetteer()
    )
    assert len(result.data) == 10_000
    assert result.data["event_id"].tolist() == [f"synth-{i:06d}" for i in range(10_000)]
    assert int(result.data.geometry.notna().sum()) == len(range(0, 10_000, 3))


# --- real data ----------------------------------------------------------------------
def _real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path.name} is not there yet (written by the data helpers)")
    return path


@pytest.mark.realdata
def test_real_events_load_without_problems():
    result = claims.read_events(_real(settings.EVENTS_PATH))
    assert result.ok and len(result.data) > 0
    assert result.data["event_id"].is_unique
    exact = result.data[result.data["location_precision"] == 1]
    assert exact.geometry.notna().all()
    assert result.data.loc[result.data["location_precision"] > 1].geometry.isna().all()


@pytest.mark.realdata
def test_real_presence_loads_without_problems():
    result = claims.read_presence(_real(settings.PRESENCE_PATH))
    assert result.ok and len(result.data) > 0
    assert result.data["presence_id"].is_unique


@pytest.fixture(scope="module")
def real_gazetteer():
    if not settings.GAZETTEER_PATH.exists():
        pytest.skip("data/gazetteer.csv is not there yet (written by the gazetteer helper)")
    from geo.gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.mark.realdata
def test_real_gazetteer_checks_place_names_within_the_province(load, real_gazetteer):
    result = load(
        event(1, location_name="Bazarak"),
        event(2, location_name="Panjsher"),
        event(3, location_name="Bazarak", province_code="AF-PAR"),
        event(4, location_name="Xyzzyville"),
        event(5, location_name="Afghanistan", province_code="", location_precision="4"),
        gazetteer=real_gazetteer,
    )
    assert [(p.row, p.code) for p in result.problems] == [
        (4, "place_not_in_province"),
        (5, "unknown_place"),
    ]
    assert "'Bazarak' is not in AF-PAR (Parwan)" in str(result.problems[0])
    assert "a place the gazetteer knows in Panjshir (AF-PAN)" in str(result.problems[1])


@pytest.mark.realdata
def test_ten_thousand_rows_with_real_place_names_all_resolve(provinces, real_gazetteer):
    places = real_gazetteer.places
    places = places[places["province_code"].notna()].head(800)
    n = len(places)
    assert n > 300
    pairs = list(zip(places["name"], places["province_code"], strict=True))
    rows = [
        event(
            i,
            event_id=f"synth-{i:06d}",
            location_name=pairs[i % n][0],
            province_code=pairs[i % n][1],
        )
        for i in range(10_000)
    ]
    data = csv_text(rows).encode()
    result = claims.read_events_bytes(
        data, name="synth.csv", provinces=provinces, gazetteer=real_gazetteer
    )
    assert result.ok
    assert len(result.data) == 10_000


# --- CLI ----------------------------------------------------------------------------
def test_cli_validate_prints_every_problem_and_exits_1(write_text, capsys):
    path = write_text("events.csv", csv_text([event(1), event(2, date_start="x", fatalities="-1")]))
    assert cli.main(["validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(
        "line 3, column 'date_start': found 'x'; expected a date as YYYY-MM-DD "
        "(e.g. 2022-04-29) in date_start"
    )
    assert "column 'fatalities': found '-1'" in out[1]
    assert "column 'fatalities_claimed_by'" in out[2]
    assert out[3].endswith("events.csv: 2 rows, 3 problem(s) on 1 line(s); 1 rows ok")


def test_cli_validate_detects_presence_and_says_no_problems(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_bytes(presence_csv({}, {"presence_id": "p-02"}))
    assert cli.main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip().endswith("people.csv: 2 rows, no problems")


def test_cli_validate_reports_unreadable_files_and_goes_on(write_text, tmp_path, capsys):
    good = write_text("events.csv", csv_text([event(1)]))
    bom = write_text("bom.csv", "\ufeff" + csv_text([event(1)]))
    assert cli.main(["validate", str(bom), str(tmp_path / "missing.csv"), str(good)]) == 1
    captured = capsys.readouterr()
    assert "byte-order mark" in captured.err and "missing.csv" in captured.err
    assert captured.out.strip().endswith("events.csv: 1 rows, no problems")


@pytest.mark.realdata
def test_cli_validate_defaults_to_the_real_files():
    _real(settings.EVENTS_PATH)
    _real(settings.PRESENCE_PATH)
    done = subprocess.run(
        [sys.executable, "cli.py", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("data/events.csv: ") and lines[0].endswith(" rows, no problems")
    assert lines[1].startswith("data/presence.csv: ")
