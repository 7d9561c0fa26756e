"""Exception classes named for the problem, and the :class:`Problem` record.

Imports nothing from the project, so every module may depend on it. Every data
problem the project reports on purpose is a :class:`GeoError` subclass (the command
line turns them into exit code 1); a :class:`Problem` is one bad cell or row of a
file, named by file, line, column and value.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Problem codes about a file's header rather than one of its rows.
FILE_CODES = ("missing_columns", "extra_columns", "duplicate_columns", "too_many_columns")


@dataclass(frozen=True)
class Problem:
    """One problem in a file: where it is, what was found, what was expected.

    ``line`` is the line the record starts on (the header is line 1; quoted newlines
    are counted). ``str()`` gives the message, e.g. ``events.csv, line 7, column
    'latitude': found '95.2'; expected a latitude between 29.3 and 38.6``.

    Examples
    --------
    >>> str(Problem("events.csv", 7, "latitude", "95.2", "a latitude", "out_of_range"))
    "events.csv, line 7, column 'latitude': found '95.2'; expected a latitude"
    """

    file: str
    line: int
    column: str
    value: str
    expected: str
    code: str

    def __str__(self) -> str:
        if self.code in FILE_CODES:
            return f"{self.file}, line {self.line} (header): {self.value}; expected {self.expected}"
        found = f"'{self.value}'" if self.value != "" else "an empty value"
        where = f"{self.file}, line {self.line}, column '{self.column}'"
        return f"{where}: found {found}; expected {self.expected}"


class GeoError(Exception):
    """Base class of every error this project raises on purpose."""


class BoundaryError(GeoError):
    """A boundary file is missing, unreadable, has no CRS or fails verification."""


class DistrictsNotInstalledError(BoundaryError):
    """The optional district layer has not been installed (``armap districts install``)."""


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


class NothingToShowError(GeoError):
    """The claims hold nothing a map or an export can show (no dated row at all)."""


class ImportFormatError(GeoError):
    """An input file is not in the format asked for, or its format cannot be recognised."""


class ExportError(GeoError):
    """An export cannot be written (target exists without ``force``, bad extension...)."""


class BatchEngineError(GeoError):
    """The dask engine cannot run: dask is not installed, or its cluster is unreachable."""


class ArticleError(GeoError):
    """A news article given to the claims desk cannot be read: missing, empty, not UTF-8."""


class AppendError(GeoError):
    """Reviewed candidates cannot be appended to an events file: no path, not one, ids taken."""
