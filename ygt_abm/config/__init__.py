"""Typed configuration: model parameters with sources, experiments, and line-numbered YAML loading."""

from ygt_abm.config.experiment import Experiment, ResolvedExperiment, Scenario, SyntheticWorld
from ygt_abm.config.loading import ConfigError, Problem, load_experiment
from ygt_abm.config.params import ModelParameters

__all__ = ["ConfigError", "Experiment", "ModelParameters", "Problem", "ResolvedExperiment", "Scenario",
           "SyntheticWorld", "load_experiment"]
