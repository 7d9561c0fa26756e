"""A dask cluster to run batches on: a local one, or an existing scheduler by address.

:func:`dask_client` starts a local cluster (worker processes on this machine) or
connects to a running scheduler (``--scheduler tcp://host:8786``), and says clearly
when it cannot: dask not installed, an address that is no address, a scheduler that
does not answer. :func:`dask_mapper` turns a client into the ``map_batches`` of
:func:`geo.io.import_file`: batches go to the workers as the file is read, a few at a
time so that memory stays bounded, and their results come back in order. dask is
imported only here, and only when called.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from geo.errors import BatchEngineError

#: Seconds to wait for a scheduler to answer.
CONNECT_TIMEOUT = 10.0
#: Rows converted per task on the cluster: smaller than the in-memory engine's batches,
#: so that each worker's memory stays low while the others work too.
BATCH_ROWS = 10_000
_INSTALL = (
    "the dask engine needs dask, distributed and dask-geopandas: install them with "
    "`pip install 'afghan-resistance-map[dask]'` (they are in requirements.txt)"
)


def _distributed() -> Any:
    try:
        import dask_geopandas  # noqa: F401  (checked here: the export needs it)
        import distributed
    except ImportError as exc:
        raise BatchEngineError(f"{_INSTALL} ({exc})") from exc
    return distributed


def check_address(address: str) -> str:
    """Return a scheduler address in dask's form; refuse one that is no address.

    Parameters
    ----------
    address : str
        ``tcp://host:port``, ``host:port`` or ``inproc://...``.

    Raises
    ------
    BatchEngineError
        If dask is not installed.
    ValueError
        If ``address`` cannot be an address (the message says what one looks like).

    Examples
    --------
    >>> check_address("127.0.0.1:8786")
    'tcp://127.0.0.1:8786'
    >>> check_address("tcp://")
    Traceback (most recent call last):
    ...
    ValueError: 'tcp://' is not a scheduler address; expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786
    """
    comm = _distributed().comm
    expected = "expected tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786"
    try:
        normal = comm.normalize_address(address.strip())
        scheme, location = comm.parse_address(normal)
        if scheme == "tcp":
            host, port = comm.parse_host_port(location)
            if not host or not 0 < int(port) < 65536:
                raise ValueError(location)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{address!r} is not a scheduler address; {expected}") from exc
    return str(normal)


@contextlib.contextmanager
def dask_client(
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    processes: bool = True,
    timeout: float | None = None,
) -> Iterator[Any]:
    """Yield a dask ``Client``: of a new local cluster, or of the scheduler at an address.

    Parameters
    ----------
    scheduler : str, optional
        A running scheduler's address; without it a local cluster is started for the
        duration of the ``with`` block.
    workers : int, optional
        Local cluster only: worker count (default: the machine's cores), one thread each.
    processes : bool, default True
        Local cluster only: workers in their own processes (False: threads of this
        one, quicker to start; for tests).
    timeout : float, optional
        Seconds to wait for the scheduler (default :data:`CONNECT_TIMEOUT`).

    Raises
    ------
    BatchEngineError
        If dask is not installed, or the scheduler does not answer (the message
        names the address and how to start one).

    Examples
    --------
    >>> with dask_client(workers=1, processes=False) as client:  # doctest: +SKIP
    ...     print(client.submit(sum, [1, 2]).result())
    3
    """
    distributed = _distributed()
    if scheduler is None:
        count = workers or os.cpu_count() or 1
        with (
            distributed.LocalCluster(
                n_workers=count,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=":0",  # any free port: two imports may run at once
                silence_logs=logging.ERROR,
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            yield client
        return
    address = check_address(scheduler)
    timeout = CONNECT_TIMEOUT if timeout is None else timeout
    try:
        client = distributed.Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise BatchEngineError(
            f"cannot reach the dask scheduler at {address} within {timeout:g} s ({exc}); start "
            "one with `dask scheduler` and workers with `dask worker ADDRESS`, or leave out "
            "--scheduler to run a local cluster"
        ) from exc
    with client:
        yield client


def _call(function: Callable[[Any], Any], item: Any) -> Any:
    return function(item)


def dask_mapper(client: Any, *, in_flight: int | None = None) -> Callable[..., Iterator[Any]]:
    """Return a ``map(function, items)`` that runs on ``client``'s workers, in order.

    ``function`` is sent to every worker once; at most ``in_flight`` items (default:
    one more than the workers' threads) are on the cluster at a time, so memory stays bounded
    however many items ``items`` yields. A task's exception is raised as it is (the
    project's errors keep their message); a lost worker is a :class:`BatchEngineError`.

    Examples
    --------
    >>> with dask_client(workers=1, processes=False) as client:  # doctest: +SKIP
    ...     list(dask_mapper(client)(abs, [-1, -2]))
    [1, 2]
    """
    limit = in_flight or sum(client.nthreads().values()) + 1

    def map_batches(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        distributed = _distributed()
        shared = client.scatter(function, broadcast=True, hash=False)
        pending: deque[Any] = deque()
        try:
            for item in items:
                data = client.scatter(item, hash=False)  # sent to a worker, not in the graph
                pending.append((client.submit(_call, shared, data, pure=False), data))
                if len(pending) >= limit:
                    yield _result(pending.popleft()[0], distributed)
            while pending:
                yield _result(pending.popleft()[0], distributed)
        finally:
            client.cancel([shared, *(f for pair in pending for f in pair)])

    return map_batches


def _result(future: Any, distributed: Any) -> Any:
    try:
        return future.result()
    except distributed.KilledWorker as exc:
        raise BatchEngineError(
            f"a dask worker died while running a batch ({exc}); it may have run out of "
            "memory: give the workers more, or use fewer per machine"
        ) from exc
