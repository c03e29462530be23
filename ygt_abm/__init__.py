"""ygt_abm: agent-based simulation of county medical communities (县域医共体)."""
