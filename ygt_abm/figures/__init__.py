"""Figures drawn from result tables (never from a live model), written byte for byte the same each time."""
