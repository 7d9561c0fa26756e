"""Events on the map: their symbols and their legend.

* An exact place is a solid round pin.
* A district- or province-precision claim is drawn at the area's representative point
  as a larger dashed hollow ring, so it never looks as precise as a pin.
* Region/country claims (precision 4, no geometry) are not drawn; the app lists them.

The symbol is the event type (a Font Awesome icon), the colour the claim status. The
markers, their clusters and their popups are made in the browser from the events'
columns (``layers/js/claims_map.js``).
"""

from __future__ import annotations

from geo import settings
from layers import style


def legend_rows() -> list[str]:
    """Return the events legend: status colours, place precision, event-type symbols.

    Examples
    --------
    >>> len(legend_rows())
    3
    """
    statuses = "".join(
        f'<span><span class="arm-ev arm-ev-exact arm-ev-{status}"></span>{style.esc(label)}</span>'
        for status, label in style.STATUS_LABELS.items()
    )
    kinds = "".join(
        f'<span><span class="arm-ev arm-ev-{kind} arm-ev-claimed"></span>{style.esc(label)}</span>'
        for kind, label in style.KIND_LABELS.items()
    )
    types = "".join(
        f'<span class="arm-type"><i class="fa-solid fa-{style.EVENT_ICONS[t]}"></i> '
        f"{style.esc(label)}</span>"
        for t, label in settings.EVENT_TYPE_LABELS.items()
    )
    return [
        f'<div class="arm-inline">{statuses}</div>',
        f'<div class="arm-inline">{kinds}</div>',
        f'<div class="arm-types">{types}</div>',
    ]
