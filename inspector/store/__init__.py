"""Persistence: tables, engine set-up, Alembic migrations and queries."""
