"""Policy packages (``*.yaml``) and their documents read clause by clause (``clauses/``, ``clauses.py``)."""
