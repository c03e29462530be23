"""The state of a simulated region, as structs of arrays: residents, facilities, doctors, what providers
do, the insurance fund, the year's counters and the week's episodes. State holds data and the arithmetic that keeps it
consistent; behaviour lives in ``ygt_abm.processes``."""
