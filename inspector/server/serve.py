"""Serving an ASGI app with uvicorn: the server's ``inspector serve`` and the field client alike."""

import sys

import uvicorn


def run_uvicorn(app, host: str, port: int, banner: str, log_level: str, **options) -> None:
    """Serve ``app`` on ``host:port`` after printing ``banner`` with the bound port in place of ``{port}``.

    The socket is bound before uvicorn starts, so ``--port 0`` (any free port, chosen by the system)
    announces the real port: a test reads it from the output instead of guessing a free one.
    """
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, **options)
    sock = config.bind_socket()  # exits with uvicorn's start-up failure code when the port is taken
    print(banner.replace("{port}", str(sock.getsockname()[1])), flush=True)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if not server.started:
        sys.exit(3)  # uvicorn's start-up failure code, as uvicorn.run exits
