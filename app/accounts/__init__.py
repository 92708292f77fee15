"""Accounts: sign-in, sessions, roles, and the shopper's confidentiality and conflict gate."""
