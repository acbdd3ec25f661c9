"""The pure core: catalogue, item state machine, permissions, scoring.

Only the standard library and ``inspector.errors`` are imported here. Nothing
reads a clock, a file or a database: time comes in as an argument.
"""
