"""The software and the machine the paper was built with: Python, the operating system's kind and the
processor's architecture, the versions of the libraries whose arithmetic or typesetting decides what the paper
shows, and the processor, cores and memory (the STRESS-ABS items on software and on the system's
specification). Unlike the build's identity (``identity.py``) these depend on the installation, not the source
tree: a library upgraded, or another machine, rewrites numbers.json and the PDF (the results stay the same
bytes on any machine: only these lines differ)."""

from __future__ import annotations

import importlib.metadata
import os
import platform
from pathlib import Path

#: the distributions the runs, the estimation, the figures and the typesetting rest on, as PyPI names them
LIBRARIES = ("numpy", "numba", "scipy", "pandas", "pyarrow", "scikit-learn", "pyabc", "SALib", "optuna",
             "matplotlib", "typst")
#: the keys of numbers.json the environment fills; no manifest number may take one of them
KEYS = ("software.python", "software.platform", "software.libraries", "hardware.processor", "hardware.cores",
        "hardware.memory")


def library_versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str]:
    """Each installed library's version (``not installed`` where it is missing)."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def processor_name(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The processor's model as the operating system names it (Linux's first ``model name``), else the
    platform's processor string, else ``unknown``."""
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                return " ".join(value.split())
    except OSError:
        pass
    return platform.processor() or "unknown"


def usable_cores() -> int:
    """Logical cores this process may run on (a container's or a batch job's share, not the host's)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def memory_gib() -> float:
    """The machine's physical memory in GiB (0 where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return 0.0


def environment_numbers() -> dict[str, dict]:
    """The environment as numbers.json entries: each with the ``value`` and the ``text`` the paper prints."""
    libraries = library_versions()
    processor, cores, memory = processor_name(), usable_cores(), memory_gib()
    system = f"{platform.system()} {platform.machine()}"
    return {
        "software.python": {"value": platform.python_version(), "text": platform.python_version(),
                            "source": "platform.python_version()"},
        "software.platform": {"value": system, "text": system, "source": "platform.system(), platform.machine()"},
        "software.libraries": {"value": libraries, "text": ", ".join(f"{k} {v}" for k, v in libraries.items()),
                               "source": "importlib.metadata.version"},
        "hardware.processor": {"value": processor, "text": processor, "source": "/proc/cpuinfo"},
        "hardware.cores": {"value": cores, "text": str(cores), "source": "os.sched_getaffinity"},
        "hardware.memory": {"value": round(memory, 1), "text": f"{memory:.0f} GiB", "source": "os.sysconf"},
    }
