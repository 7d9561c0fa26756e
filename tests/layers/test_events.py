"""layers/events.py: the events legend (markers and popups are made in the browser)."""

from __future__ import annotations

from geo import settings
from layers import events, style


def test_every_event_type_has_a_label_and_an_icon():
    assert set(settings.EVENT_TYPE_LABELS) == set(settings.EVENT_TYPES)
    assert set(style.EVENT_ICONS) == set(settings.EVENT_TYPES)


def test_the_legend_shows_statuses_precision_and_types():
    statuses, kinds, types = events.legend_rows()
    for label in style.STATUS_LABELS.values():
        assert style.esc(label) in statuses
    assert "arm-ev-exact" in kinds and "arm-ev-area" in kinds
    for event_type, label in settings.EVENT_TYPE_LABELS.items():
        assert f"fa-{style.EVENT_ICONS[event_type]}" in types and style.esc(label) in types
