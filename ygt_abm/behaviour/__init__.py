"""Behaviour of residents, one module per behaviour: pure functions over arrays."""
