"""Sync: the wire format, and the field client's outbox and push/pull engine."""
