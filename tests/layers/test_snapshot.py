"""layers/snapshot.py: the view as a PNG, its colours those of the map's legend."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import numpy as np
from PIL import Image

from geo import views
from geo.claims import Filters
from layers import share, snapshot, style


def _png(fixture_data, metric: str = "claims", **values):
    window = values.get("window", fixture_data.span)
    filters = dataclasses.replace(share.filters(values), start=window[0], end=window[1])
    view = share.map_view({**share.DEFAULTS, "window": window, "metric": metric, **values})
    frames = views.map_frames(fixture_data, filters=filters, metric=metric)
    breaks = views.browser_data(fixture_data, filters).breaks
    png = snapshot.view_file(frames, view=view, breaks=breaks, filters=filters, source="x.csv")
    return Image.open(io.BytesIO(png)).convert("RGB"), frames, breaks


def _pixel_at(image, frames, code: str) -> tuple[int, int, int]:
    areas = frames["provinces"]
    point = areas.set_index("area_code").geometry[code].representative_point()
    (x, y), = snapshot.Projection(areas.total_bounds, snapshot.MAP_BOX).points(
        np.array([[point.x, point.y]])
    )  # fmt: skip
    return image.getpixel((round(x), round(y)))


def _map_part(image) -> list:
    """The colours of the map's box alone (the legend shows every status anyway)."""
    left, top, right, bottom = snapshot.MAP_BOX
    return np.asarray(image)[top:bottom, left:right].reshape(-1, 3).tolist()


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def test_areas_are_filled_with_their_legend_colour(fixture_data):
    image, frames, breaks = _png(fixture_data, show_events=False, show_presence=False)
    assert image.width == 1200
    edges = breaks["provinces"]["claims"]
    palette = style.palette_for("claims", len(edges) - 1)
    values = frames["provinces"].set_index("area_code")["value"]
    assert values["AF-PAN"] == 2 and values["AF-KAB"] == 1
    assert _pixel_at(image, frames, "AF-PAN") == _rgb(palette[snapshot._class_of(2, edges)])
    assert _pixel_at(image, frames, "AF-KAB") == _rgb(palette[snapshot._class_of(1, edges)])
    assert _pixel_at(image, frames, "AF-HER") == (255, 255, 255)  # none in the window


def test_claims_are_drawn_in_their_status_colours(fixture_data):
    with_events, *_ = _png(fixture_data, show_presence=False)
    without, *_ = _png(fixture_data, show_presence=False, show_events=False)
    drawn, plain = ({tuple(c) for c in _map_part(i)} for i in (with_events, without))
    for status in ("claimed", "confirmed", "denied"):  # the fixture has all three
        assert _rgb(style.STATUS_COLORS[status]) in drawn - plain, status


def test_a_window_changes_the_picture(fixture_data):
    whole, frames, _ = _png(fixture_data, show_events=False, show_presence=False)
    late, late_frames, _ = _png(
        fixture_data, show_events=False, show_presence=False,
        window=(date(2022, 9, 1), date(2022, 9, 30)),
    )  # fmt: skip
    assert _pixel_at(late, late_frames, "AF-PAN") == (255, 255, 255)  # nothing in September
    assert _pixel_at(whole, frames, "AF-PAN") != (255, 255, 255)


def test_filters_are_said_in_words():
    words = snapshot.filter_words(Filters(statuses=("denied",), actors=("AFF",)))
    assert words == "groups: AFF; statuses: Denied by the other side"
