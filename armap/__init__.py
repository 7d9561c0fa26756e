"""The ``armap`` command: check, geocode, install, import and export the map's data.

The command line is :mod:`armap.cli`; the work is done by :mod:`geo`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("afghan-resistance-map")
except PackageNotFoundError:  # a checkout that was not installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
