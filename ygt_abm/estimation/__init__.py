"""Estimation with a posterior (``ygt-abm calibrate`` with ``method: abc-smc``): likelihood-free ABC-SMC
(pyabc) of the parameters a calibration names, jointly from the baseline calibration targets and the
training set of published evaluations.

- ``statistics``: what is fitted (each statistic with its target or band) and the distance;
- ``particles``: a particle's runs, parameter values → statistics;
- ``smc``: the priors, the generations, resuming from the history database;
- ``outputs``: the posterior, its draws, the parameters' table, the posterior predictive, the figure.

A fitting package: it reads the training evaluations only (tests/test_evaluations.py checks every import).
"""
