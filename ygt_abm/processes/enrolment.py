"""Enrolment: family-doctor contracts (家庭医生签约).

Each year a county with a sign-up drive moves its contract share toward ``signup_target`` (of key
populations only, where the target counts them): new contracts only, none lapse. A contracted
resident's usual provider becomes the village clinic. One uniform per resident per year (stream
``signup``) keeps sign-up on common random numbers.
"""

from __future__ import annotations

import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import VILLAGE


class Enrolment(Process):
    """Family-doctor sign-up toward the year's target."""

    name = "enrolment"
    reads = ("signup_target", "signup_key_only")
    writes = ("population.family_doctor", "population.usual_level")

    def start_year(self, model) -> None:
        """Sign residents up toward the year's family-doctor target."""
        target = model.levers.signup_target
        if np.all(np.isnan(target)):
            return
        pop = model.population
        u = model.streams.yearly("signup", model.years_done).random(pop.size)
        key = pop.key_population
        for c in np.flatnonzero(~np.isnan(target)):
            group = (pop.county == c) & (key if model.levers.signup_key_only[c] else True)
            have = pop.family_doctor[group].mean() if group.any() else 1.0
            if have >= target[c]:
                continue
            p = (target[c] - have) / (1.0 - have)
            new = group & ~pop.family_doctor & (u < p)
            pop.family_doctor[new] = True
            pop.usual_level[new] = VILLAGE
