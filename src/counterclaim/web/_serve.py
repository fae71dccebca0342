"""Run the app with uvicorn in a background thread on 127.0.0.1 and a free port (tests, benchmarks)."""
from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

__all__ = ["serve_in_thread"]


@contextlib.contextmanager
def serve_in_thread(app: Any, *, host: str = "127.0.0.1", timeout: float = 20.0,
                    **config: Any) -> Iterator[str]:
    """Serve ``app`` on ``host`` with an OS-chosen port; yields the base URL; stops the server on exit."""
    import uvicorn

    cfg = uvicorn.Config(app, host=host, port=0, log_level="warning", server_header=False, **config)
    server = uvicorn.Server(cfg)
    thread = threading.Thread(target=server.run, name="counterclaim-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
