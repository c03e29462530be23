"""Typed configuration: model parameters with sources, experiments, policy packages, and line-numbered
YAML. The config layer imports no simulation code; ``ygt_abm.experiment.loading`` loads experiment files
with the registered interventions' parameter models. Names are imported on first use (PEP 562), so
importing one config module does not build every parameter model."""

from importlib import import_module

_EXPORTS = {
    "ConfigError": "files", "Problem": "files",
    "Experiment": "experiment", "ResolvedExperiment": "experiment", "Scenario": "experiment",
    "SyntheticWorld": "experiment",
    "ModelParameters": "params",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
