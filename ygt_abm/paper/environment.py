"""The software the paper was built with: Python, the operating system's kind and the processor's
architecture, and the versions of the libraries whose arithmetic or typesetting decides what the paper shows
(the STRESS-ABS item on software). Unlike the build's identity (``identity.py``) these depend on the
installation, not the source tree: a library upgraded rewrites numbers.json and the PDF, as it may change a
result."""

from __future__ import annotations

import importlib.metadata
import platform

#: the distributions the runs, the estimation, the figures and the typesetting rest on, as PyPI names them
LIBRARIES = ("numpy", "numba", "scipy", "pandas", "pyarrow", "scikit-learn", "pyabc", "SALib", "optuna",
             "matplotlib", "typst")
#: the keys of numbers.json the environment fills; no manifest number may take one of them
KEYS = ("software.python", "software.platform", "software.libraries")


def library_versions(names: tuple[str, ...] = LIBRARIES) -> dict[str, str]:
    """Each installed library's version (``not installed`` where it is missing)."""
    versions = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def environment_numbers() -> dict[str, dict]:
    """The environment as numbers.json entries: each with the ``value`` and the ``text`` the paper prints."""
    libraries = library_versions()
    system = f"{platform.system()} {platform.machine()}"
    return {
        "software.python": {"value": platform.python_version(), "text": platform.python_version(),
                            "source": "platform.python_version()"},
        "software.platform": {"value": system, "text": system, "source": "platform.system(), platform.machine()"},
        "software.libraries": {"value": libraries, "text": ", ".join(f"{k} {v}" for k, v in libraries.items()),
                               "source": "importlib.metadata.version"},
    }
