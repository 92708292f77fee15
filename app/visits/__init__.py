"""Visits: what shoppers capture (reports, exit interviews, call logs), its idempotent sync, and review."""
