"""Which area holds each point, fast: a grid over the areas with exact tests at borders.

A spatial join of a million points against province and district polygons spends
nearly all its time testing points against polygons with thousands of vertices. An
:class:`AreaIndex` does that work once per boundary set: it lays a grid over the
areas and records, per cell, the one area that covers the whole cell, or that no area
touches it, or that the cell is on a border. A point in a covered or empty cell is
answered by one array lookup; only points in border cells are tested exactly, with an
STRtree of the polygons (predicate ``intersects``, so a point on a shared border is
held by both areas), once per distinct coordinate (claims repeat places). Rows
without a point (NaN) are left out before any of this. The answers equal a plain
spatial join's (a test checks them); :func:`area_index` keeps the index of each
boundary set (found by its polygons' identities, else by a digest of their WKB), so
it is built once per process.

Ties (a point on a border, held by several areas) are settled the same way
everywhere: the area the row states, when it is one of them, else the first area in
the boundary frame's order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import shapely
from numpy.typing import ArrayLike

__all__ = ["AreaIndex", "area_index"]

_OUTSIDE, _BORDER = -1, -2
#: Grid cells over the areas' bounds: finer grids leave fewer points for exact tests.
_CELLS = 2_000_000
#: How close (as a fraction of a cell) to a cell's edge a point is tested exactly.
_EDGE = 1e-9


@dataclass(frozen=True)
class AreaIndex:
    """A grid over a set of areas that answers "which area holds this point".

    Attributes
    ----------
    geoms : numpy.ndarray
        The areas' polygons, in the order of the boundary frame.
    origin : tuple of float
        The grid's lower-left corner (x, y).
    cell : float
        The cell size, in the coordinates' units (degrees).
    cells : numpy.ndarray of int32
        Per cell: the index of the area covering it, -1 (no area touches it) or -2
        (a border: several areas, or one that does not cover it, touch it).
    tree : shapely.STRtree
        The polygons, for the exact tests.
    """

    geoms: np.ndarray
    origin: tuple[float, float]
    cell: float
    cells: np.ndarray
    tree: shapely.STRtree

    @classmethod
    def build(cls, geoms: ArrayLike, *, n_cells: int = _CELLS) -> AreaIndex:
        """Lay the grid over ``geoms`` (polygons) and classify every cell.

        Cells that a polygon's boundary passes through, or comes close to, are border
        cells: every boundary is cut into pieces shorter than half a cell, and the
        cells around each vertex are marked. The cells left form runs along each row
        that no boundary crosses, so one point per run, tested exactly, classifies
        the whole run.

        Examples
        --------
        >>> index = AreaIndex.build([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
        >>> index.holders([0.5, 1.0, 5.0], [0.5, 0.5, 5.0])[0].tolist()
        [0, 0, -1]
        """
        polys = np.array(geoms, dtype=object)
        shapely.prepare(polys)
        tree = shapely.STRtree(polys)
        west, south, east, north = shapely.total_bounds(polys)
        width, height = max(east - west, 1e-9), max(north - south, 1e-9)
        cell = float(np.sqrt(width * height / n_cells))
        nx, ny = int(np.ceil(width / cell)) + 1, int(np.ceil(height / cell)) + 1
        border = np.zeros((ny + 2, nx + 2), dtype=bool)  # padded by one cell each side
        lines = shapely.segmentize(shapely.boundary(polys), cell / 2)
        xy = shapely.get_coordinates(lines)
        col = np.floor((xy[:, 0] - west) / cell).astype(np.int64) + 1
        row = np.floor((xy[:, 1] - south) / cell).astype(np.int64) + 1
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                border[row + dy, col + dx] = True
        border = border[1:-1, 1:-1]
        cells = np.full((ny, nx), _BORDER, dtype=np.int32)
        free = ~border
        # Runs of free cells along each row: one exact test per run.
        flat = free.ravel()
        starts = np.flatnonzero(
            flat & ~np.concatenate([[False], flat[:-1]]) | (flat & (np.arange(flat.size) % nx == 0))
        )
        run_id = np.cumsum(np.isin(np.arange(flat.size), starts)) - 1
        ys, xs = np.divmod(starts, nx)
        probes = shapely.points(west + (xs + 0.5) * cell, south + (ys + 0.5) * cell)
        which, hit = _exact(tree, polys, probes)
        owner = np.full(len(starts), _OUTSIDE, dtype=np.int32)
        owner[which] = hit
        cells.ravel()[flat] = owner[run_id[flat]]
        return cls(polys, (float(west), float(south)), cell, cells, tree)

    @cached_property
    def _padded(self) -> np.ndarray:
        """The cells, flat, and one cell more (-1: no area) where points off the grid look."""
        return np.append(self.cells.ravel(), np.int32(_OUTSIDE))

    def query(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the (point, area) pairs where the area holds the point, exactly."""
        return _exact(self.tree, self.geoms, points)

    def _cell_values(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ny, nx = self.cells.shape
        with np.errstate(invalid="ignore"):  # NaN and infinite coordinates: no cell
            fx, fy = (x - self.origin[0]) / self.cell, (y - self.origin[1]) / self.cell
            col, row = np.floor(fx), np.floor(fy)
            # A point within rounding of a cell's edge is tested exactly, whatever the cell.
            fx -= col
            fy -= row
            near = (fx < _EDGE) | (fx > 1 - _EDGE) | (fy < _EDGE) | (fy > 1 - _EDGE)
            # NaN fails every comparison, infinities the bounds: both land on no cell.
            inside = (col >= 0) & (col < nx) & (row >= 0) & (row < ny)
        flat = np.where(inside, row * nx + col, ny * nx).astype(np.int64)
        values = self._padded[flat].astype(np.int64)
        values[near & inside] = _BORDER
        return values

    def _border_pairs(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the (point, area) pairs of these points, sorted, testing each spot once.

        Claims repeat places: a million rows often stand on a few thousand distinct
        coordinates, so the exact tests run on the distinct ones and their pairs are
        copied to every point that stands there.
        """
        spot = np.empty(len(x), dtype=np.complex128)
        spot.real, spot.imag = x, y
        code, distinct = pd.factorize(spot)
        which, hit = self.query(np.asarray(shapely.points(distinct.real, distinct.imag)))
        order = np.lexsort((hit, which))
        which, hit = which[order], hit[order]
        count = np.bincount(which, minlength=len(distinct))
        start = np.concatenate([[0], np.cumsum(count)[:-1]])
        per_point = count[code]  # pairs of each point, in the order of the points
        point = np.repeat(np.arange(len(x)), per_point)
        offset = np.arange(len(point)) - np.repeat(np.cumsum(per_point) - per_point, per_point)
        return point, hit[start[code][point] + offset]

    def holders(
        self, x: ArrayLike, y: ArrayLike, *, prefer: ArrayLike | None = None, pairs: bool = False
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """Return, per point, the area that holds it and every (point, area) pair.

        Parameters
        ----------
        x, y : array-like of float
            Coordinates; NaN marks a row without a point.
        prefer : array-like of int, optional
            Per point, the index of the area the row states (-1: none): a point held by
            several areas is given that one when it is among them.
        pairs : bool, default False
            Also return every (point, area) pair.

        Returns
        -------
        first : numpy.ndarray of int
            The index of the holding area per point (-1: none); on a border, the
            preferred area if it holds the point, else the first in order.
        pairs : numpy.ndarray of int, shape (2, n), or None
            With ``pairs=True``: every (point, area) pair where the area holds the
            point, sorted by point then area (what ``sjoin(..., predicate="intersects")``
            gives).
        """
        xs = np.asarray(x, dtype=float)
        ys = np.asarray(y, dtype=float)
        at = np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
        if len(at) < len(xs):  # rows without a point are held by nothing: leave them out
            wanted = None if prefer is None else np.asarray(prefer)[at]
            held, found_at = self.holders(xs[at], ys[at], prefer=wanted, pairs=pairs)
            first = np.full(len(xs), -1, dtype=np.int64)
            first[at] = held
            return first, None if found_at is None else np.vstack([at[found_at[0]], found_at[1]])
        values = self._cell_values(xs, ys)
        first = np.where(values >= 0, values, -1)
        border = np.flatnonzero(values == _BORDER)
        found: list[np.ndarray] = []
        if pairs:
            direct = np.flatnonzero(values >= 0)
            found.append(np.vstack([direct, values[direct]]))
        if len(border):
            which, hit = self._border_pairs(xs[border], ys[border])
            which = border[which]
            lowest = np.full(len(xs), -1)
            lowest[which[::-1]] = hit[::-1]
            first[border] = lowest[border]
            if prefer is not None:
                wanted = np.asarray(prefer)[which] == hit
                first[which[wanted]] = hit[wanted]
            found.append(np.vstack([which, hit]))
        if not pairs:
            return first, None
        both = np.hstack(found) if found else np.zeros((2, 0), dtype=np.int64)
        return first, both[:, np.lexsort((both[1], both[0]))]


def _exact(
    tree: shapely.STRtree, polys: np.ndarray, points: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (point, polygon) that intersect: bounding boxes first, then prepared tests.

    (Much faster than ``tree.query(points, predicate="intersects")`` on polygons with
    many vertices, because the polygons are prepared once.)
    """
    which, hit = tree.query(points)
    keep = shapely.intersects(polys[hit], points[which])
    return which[keep], hit[keep]


def _digest(geoms: np.ndarray) -> str:
    return hashlib.sha1(b"".join(shapely.to_wkb(geoms).tolist())).hexdigest()


_INDEXES: dict[str, AreaIndex] = {}
#: The same indexes by the identities of the polygons they were asked for (kept alive
#: here, so no other object can take their ids): shapely geometries are immutable, so
#: the same objects are the same polygons, found without hashing their vertices.
_BY_IDENTITY: dict[tuple[int, ...], tuple[AreaIndex, np.ndarray]] = {}
_KEEP = 8


def area_index(geoms: ArrayLike) -> AreaIndex:
    """Return the :class:`AreaIndex` of a set of polygons, built once per process.

    Found by the polygons' identities when they are the very objects of a cached
    index, else by a digest of their WKB (equal polygons, other objects).

    Examples
    --------
    >>> from geo import boundaries
    >>> index = area_index(boundaries.load_provinces().geometry.values)
    >>> index is area_index(boundaries.load_provinces().geometry.values)
    True
    """
    polys = np.asarray(geoms, dtype=object)
    identity = tuple(map(id, polys.tolist()))
    if identity in _BY_IDENTITY:
        return _BY_IDENTITY[identity][0]
    key = _digest(polys)
    if key not in _INDEXES:
        if len(_INDEXES) >= _KEEP:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = AreaIndex.build(polys)
    if len(_BY_IDENTITY) >= _KEEP:
        _BY_IDENTITY.pop(next(iter(_BY_IDENTITY)))
    _BY_IDENTITY[identity] = (_INDEXES[key], polys.copy())
    return _INDEXES[key]
