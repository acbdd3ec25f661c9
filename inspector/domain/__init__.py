"""The pure core: catalogue, item state machine, event payload schemas, permissions, scoring.

Only the standard library, pydantic (the payload schemas of ``payloads``) and
``inspector.errors`` are imported here. Nothing reads a clock, a file or a
database: time comes in as an argument.
"""
