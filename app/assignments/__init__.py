"""Assignments and the shopper's briefs."""
