"""The JSON API under /api/v1: the Api object and RFC 9457 problem responses."""
