"""The HTTP server: FastAPI app, auth dependency, thin routes, the Flet web UI mounted."""
