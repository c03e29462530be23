"""Properties that hold in every world (hypothesis): random small worlds, random behaviour parameters and
random policy packages, each simulated for a year. For the books, the processes' contracts are checked
around every step (``checks=True``: each process writes only what it declares, and its invariants hold: no
slot used twice, no resident's outpatient care paid beyond the yearly limit, the fund's money the
facilities' money to the yuan, doctors adding up, beliefs and practice within their bounds), an observer
checks that every episode ended by the week's end, and at the year's end every share lies in [0, 1]. Under
common random numbers, raising a level's reimbursement never lowers that level's share of visits.

Profiles: ``ci`` (the default, a few examples per property, derandomised so CI is repeatable) and
``extended`` (1,000 examples: ``HYPOTHESIS_PROFILE=extended .venv/bin/python -m pytest tests/test_properties.py``).
"""

import os

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ygt_abm.config.experiment import SyntheticWorld
from ygt_abm.config.params import ModelParameters
from ygt_abm.config.policy import shipped_policies
from ygt_abm.dashboard.controls import shipped_package
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.processes import default_processes
from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import INDICATORS, LEVELS, OUTCOMES, TOWNSHIP, WEEKS_PER_YEAR
from ygt_abm.world import build_world

settings.register_profile("ci", max_examples=12, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("extended", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

worlds = st.builds(
    SyntheticWorld,
    counties=st.integers(1, 2),
    population=st.integers(1_000, 5_000),
    townships=st.integers(1, 4),
    villages_per_township=st.integers(1, 6).map(lambda n: (n, n + 2)),
    county_hospitals=st.integers(1, 3),
    remoteness=st.floats(0.5, 3.0),
)
#: behaviour parameters drawn across their stated ranges (dotted name → strategy)
behaviour = st.fixed_dictionaries({
    "providers": st.fixed_dictionaries({"patient_benefit_weight": st.floats(0.05, 2.0),
                                        "marginal_cost_share": st.floats(0.2, 0.8)}),
    "finance": st.fixed_dictionaries({"outpatient_fund_limit": st.floats(50.0, 1_000.0)}),
})
packages = st.sampled_from(shipped_policies())
seeds = st.integers(0, 2**32 - 1)


class Observer(Process):
    """Checks at the end of every week (after every other process) that every episode has ended."""

    name = "observer"

    def init(self, model) -> None:
        self.weeks = 0

    def end_week(self, model, week) -> None:
        ep = week.episodes
        assert not ep.active.any(), "an episode did not end"
        assert ((ep.outcome >= 0) & (ep.outcome < len(OUTCOMES))).all()
        self.weeks += 1


def simulate(world: SyntheticWorld, overrides: dict, package: str | None, seed: int, extra: list | None = None,
             checks: bool = False):
    region = build_world(world, seed)
    params = ModelParameters.model_validate(overrides)
    interventions = [build(entry) for entry in (shipped_package(package).interventions if package else [])]
    interventions += [build(entry) for entry in extra or []]
    observer = Observer()
    model = CountyModel(region, params, seed=seed, interventions=interventions,
                        processes=[*default_processes(), observer], checks=checks)
    table = model.run(1)
    assert observer.weeks == WEEKS_PER_YEAR
    return table


SHARE_WORDS = ("share", "_rate")


@given(world=worlds, overrides=behaviour, package=packages, seed=seeds)
def test_every_week_keeps_the_books_and_every_share_is_a_share(world, overrides, package, seed):
    table = simulate(world, overrides, package, seed, checks=True)
    shares = table[table["metric"].map(lambda m: any(w in m for w in SHARE_WORDS) and "per_" not in m)]
    assert set(shares["metric"]) & set(INDICATORS)
    values = shares["value"].dropna()
    assert ((values >= 0) & (values <= 1)).all(), shares[(shares["value"] < 0) | (shares["value"] > 1)]


@given(world=worlds, seed=seeds, level=st.sampled_from([LEVELS[TOWNSHIP], "county"]), rise=st.floats(0.05, 0.3))
def test_raising_a_levels_reimbursement_never_lowers_its_share_of_visits(world, seed, level, rise):
    def level_share(extra):
        table = simulate(world, {}, None, seed, extra)
        by = table.groupby("metric")["value"].sum()
        return by[f"visits_per_capita_{level}"] / by["visits_per_capita"]

    before = level_share([])
    after = level_share([{"type": "reimbursement_gap", "outpatient_change": {level: rise}, "source": "property"}])
    assert np.isfinite(before) and after >= before, (before, after)
