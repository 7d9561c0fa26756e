"""The batch path beyond one machine: imports and exports on a dask cluster.

The public face of the sub-package; everything outside it imports from here. dask is
imported only when these functions run, so the app and the default engine never pay
for it.

- :func:`dask_client` starts a local cluster or connects to a scheduler by address;
  :func:`check_address` refuses what is no address;
- :func:`dask_mapper` runs :func:`geo.io.import_file`'s batches on the cluster
  (``import_file(..., map_batches=dask_mapper(client))``): the export is read and
  its rows sorted on this machine, in bounded memory, and converted, located and
  validated on the workers, with the same result as the in-memory engine;
- :func:`load_joined` joins the events of an export to areas on the cluster with
  dask-geopandas, for :func:`geo.views.layer_frame`.

Inside: ``cluster`` (the client and the mapper), ``export`` (the join).
"""

from __future__ import annotations

from geo.batch.cluster import (
    BATCH_ROWS,
    CONNECT_TIMEOUT,
    check_address,
    dask_client,
    dask_mapper,
)
from geo.batch.export import JoinedData, load_joined

__all__ = [
    "BATCH_ROWS",
    "CONNECT_TIMEOUT",
    "JoinedData",
    "check_address",
    "dask_client",
    "dask_mapper",
    "load_joined",
]
