"""Per-run result tables written atomically, merged tables, and the run manifest."""
