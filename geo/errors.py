"""Exception classes named for the problem. Imports nothing from the project."""

from __future__ import annotations


class GeoError(Exception):
    """Base class of every error this project raises on purpose."""


class BoundaryError(GeoError):
    """A boundary file is missing, unreadable, has no CRS or fails verification."""


class DistrictsNotInstalledError(BoundaryError):
    """The optional district layer has not been installed (``cli.py districts install``)."""


class ChecksumMismatchError(BoundaryError):
    """A file's sha256 differs from the expected release."""


class PlaceNotFoundError(GeoError):
    """A place name matches nothing in the gazetteer."""


class GazetteerError(GeoError):
    """The gazetteer or the aliases file is missing, malformed or inconsistent."""


class AmbiguousPlaceError(GeoError):
    """A place name matches several places; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[object]) -> None:
        super().__init__(message)
        self.candidates = candidates


class ClaimsFileError(GeoError):
    """A claims file (events or presence) cannot be read at all: empty, BOM, encoding."""


class SchemaError(GeoError):
    """A claims file has rows that fail validation; ``problems`` lists every one."""

    def __init__(self, message: str, problems: list[object]) -> None:
        super().__init__(message)
        self.problems = problems


class ImportFormatError(GeoError):
    """An input file is not in the format asked for, or its format cannot be recognised."""


class ExportError(GeoError):
    """An export cannot be written (target exists without ``force``, bad extension...)."""
