"""Policy: this year's levers. Every lever starts at the baseline (no reform) and is rebuilt each year
by the interventions in force that year, so an intervention's end year simply stops its writes. They are
applied in canonical order (``Intervention.canonical_key``), so the order of a file never matters. The levers
are the rules as enforced: the reimbursement an unreferred contact loses is the written cut less the share
patients avoid by a referral on request (``care.referral_on_request``; docs/model.md, "policy")."""

from __future__ import annotations

from ygt_abm.levers import PolicyLevers
from ygt_abm.processes.base import Process


class Policy(Process):
    """Rebuild the levers from the baseline through this year's interventions."""

    name = "policy"
    writes = ("levers",)
    reads = ("unreferred_reimbursement_cut",)  # softened as enforced, after the interventions write it

    def start_year(self, model) -> None:
        """Rebuild the levers from the baseline through this year's interventions."""
        model.levers = PolicyLevers.baseline(model.params, model.region.n_counties, model.region.n_facilities)
        for intervention in model.interventions:
            if intervention.active(model.year):
                intervention.apply(model.levers, model.year)
        model.levers.unreferred_reimbursement_cut *= 1.0 - model.params.care.referral_on_request
