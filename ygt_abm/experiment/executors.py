"""Where runs execute: in this process, a local process pool, or a Dask cluster. Every option is a
``concurrent.futures.Executor`` (or None for in-process), so the runner has one code path."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc mallopt parameters (malloc.h)


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB (NaN where the platform cannot say)."""
    try:
        import resource
    except ImportError:  # Windows
        return float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def set_fast_malloc_thresholds() -> bool:
    """Fix glibc's mmap and trim thresholds at 32 and 64 MiB in this process.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, to return memory to the system
    sooner. Setting it switches off glibc's adaptive mmap threshold, so every numpy temporary above
    128 KiB becomes a fresh ``mmap`` of zeroed pages: the weekly step ran 1.7–2.3× slower in a Dask
    worker than in a plain process (docs/performance.md). 32 MiB is the most the adaptive mmap threshold
    would grow to, and the trim threshold is twice it, as glibc keeps them. Returns whether they were
    set (glibc only)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, 32 * 2**20) and libc.mallopt(_M_TRIM_THRESHOLD, 64 * 2**20))
    except (OSError, AttributeError):  # not glibc
        return False


class SchedulerUnreachable(RuntimeError):
    """The Dask scheduler named on the command line cannot be reached (or its address is malformed)."""


def check_scheduler(address: str) -> None:
    """Raise ``SchedulerUnreachable`` for a scheduler address that is not one (before anything is created)."""
    try:
        from distributed.comm.addressing import parse_address, parse_host_port
    except ImportError:  # pragma: no cover - executor_for says what to install
        return
    try:
        protocol, location = parse_address(address)
        if protocol in ("tcp", "tls"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        raise SchedulerUnreachable(f"--scheduler {address}: {exc}; expected the address of a running Dask "
                                   "scheduler, e.g. tcp://10.0.0.5:8786") from None


@contextmanager
def executor_for(workers: int = 1, scheduler: str | None = None) -> Iterator[Executor | None]:
    """``scheduler`` (``tcp://host:port``) selects a running Dask scheduler; else ``workers`` > 1 a local
    process pool (spawned, so no state leaks from the parent); else None: run in this process."""
    if scheduler:
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError("a Dask scheduler needs the 'dask' extra: pip install 'ygt_abm[dask]'") from exc
        try:
            client = Client(scheduler, timeout="30s")
        except (ValueError, TypeError, OSError) as exc:  # a malformed address, or nothing answering there
            raise SchedulerUnreachable(f"--scheduler {scheduler}: cannot connect ({exc}); expected the address of a "
                                       "running Dask scheduler, e.g. tcp://10.0.0.5:8786") from None
        with client:
            client.register_plugin(_fast_allocator_plugin())  # on every worker, present and future
            yield client.get_executor()
    elif workers > 1:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            yield pool
    else:
        yield None


def parallelism(executor: Executor | None) -> int:
    """How many runs ``executor`` executes at once: a process pool's workers, a Dask cluster's threads
    now (workers that join later are not counted), this machine's CPUs for any other executor; 1 in
    this process (None)."""
    if executor is None:
        return 1
    if isinstance(executor, ProcessPoolExecutor):
        return executor._max_workers
    client = getattr(executor, "_client", None)  # distributed's ClientExecutor
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # noqa: BLE001 - a scheduler that cannot say: count this machine's CPUs
            pass
    return os.cpu_count() or 1


def _fast_allocator_plugin():
    from distributed import WorkerPlugin

    class FastAllocator(WorkerPlugin):
        """Runs ``set_fast_malloc_thresholds`` in each Dask worker process."""

        name = "ygt-abm-fast-allocator"

        def setup(self, worker) -> None:
            set_fast_malloc_thresholds()

    return FastAllocator()
