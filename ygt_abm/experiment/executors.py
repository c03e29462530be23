"""Where runs execute: in this process, a local process pool, or a Dask cluster. Every option is a
``concurrent.futures.Executor`` (or None for in-process), so the runner has one code path."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context


@contextmanager
def executor_for(workers: int = 1, scheduler: str | None = None) -> Iterator[Executor | None]:
    """``scheduler`` (``tcp://host:port``) selects a running Dask scheduler; else ``workers`` > 1 a local
    process pool (spawned, so no state leaks from the parent); else None: run in this process."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("a Dask scheduler needs the 'dask' extra: pip install 'ygt_abm[dask]'") from exc
        with Client(scheduler) as client:
            yield client.get_executor()
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            yield pool
    else:
        yield None
