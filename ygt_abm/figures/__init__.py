"""Seaborn figures drawn from result tables (never from a live model)."""
