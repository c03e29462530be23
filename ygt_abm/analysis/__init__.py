"""Pure functions from result tables to summary tables."""
