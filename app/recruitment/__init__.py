"""Volunteer recruitment: applications, training, approval."""
