"""Mesa agents: facilities and doctors (hundreds to thousands of them; residents are arrays)."""

from ygt_abm.agents.doctor import Doctor
from ygt_abm.agents.facility import Facility, FacilityState

__all__ = ["Doctor", "Facility", "FacilityState"]
