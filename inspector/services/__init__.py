"""Use cases: what the UI and the HTTP routes both call. Each runs one unit of work."""
