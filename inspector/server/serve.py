"""Serving an ASGI app with uvicorn: the server's ``inspector serve`` and the field client alike."""

import gc
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
    settle_heap()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if not server.started:
        sys.exit(3)  # uvicorn's start-up failure code, as uvicorn.run exits


def settle_heap() -> None:
    """Put what start-up made (modules, the app, its routes and models: some 200 000 objects) out of
    the garbage collector's reach before serving.

    A full collection walks every tracked object, and it came on its own while requests ran: on
    these 2-core machines 0.2 s each, 0.6-1.4 s when the cores were busy (a login rush), with every
    request of the server waiting meanwhile. Frozen objects are never walked again; what requests
    leave behind still is (``gc.freeze``). The garbage start-up left is collected first, not kept."""
    gc.collect()
    gc.freeze()
