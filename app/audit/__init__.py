"""The audit trail: every change of state that matters, append-only."""
