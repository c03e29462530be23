"""JSON schema of experiment files (``ygt-abm schema``), for editors that check YAML as it is typed."""

from __future__ import annotations

from typing import Any

from ygt_abm.config.experiment import Experiment
from ygt_abm.config.params import ModelParameters


def experiment_schema() -> dict[str, Any]:
    """The experiment schema, with ``parameters`` and scenario ``overrides`` described as (partial)
    model parameters: every parameter has a default, so any subset validates."""
    schema = Experiment.model_json_schema()
    params = ModelParameters.model_json_schema()
    defs = schema.setdefault("$defs", {})
    defs.update(params.pop("$defs", {}))
    defs["ModelParameters"] = params
    ref = {"$ref": "#/$defs/ModelParameters"}
    schema["properties"]["parameters"] = {**ref, "description": schema["properties"]["parameters"].get("description", "")}
    defs["Scenario"]["properties"]["overrides"] = {**ref, "description": "parameter overrides for this scenario"}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ygt_abm experiment"
    return schema
