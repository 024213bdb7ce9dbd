"""`storydiff serve`: the web app and HTTP API over a corpus store, on loopback unless told otherwise."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import app
from ._output import ExitCode, error, stderr


@app.command()
def serve(
    db: Annotated[Optional[str], typer.Option("--db", help="The store to browse (created empty if missing). Default: $STORYDIFF_DB, else ~/.local/share/storydiff/news.db.", show_default=False)] = None,
    host: Annotated[str, typer.Option("--host", help="The address to listen on. Anything but loopback needs --allow-remote.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="The port (0: any free one).", min=0, max=65535)] = 8000,
    allow_remote: Annotated[bool, typer.Option("--allow-remote", help="Listen on a non-loopback address; every request then needs the token.")] = False,
    token: Annotated[Optional[str], typer.Option("--token", help="The token requests must carry (made up and printed when --allow-remote is given without one).", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the address.")] = False,
) -> None:
    """Start the web app: browse the stories of a store, open one, compare articles; and the HTTP API (OpenAPI at /docs)."""
    from ..corpus import default_store
    from ..serve import ServeSettings, create_app, is_loopback, loopback_hosts

    local = is_loopback(host)
    if not local and not allow_remote:
        error(f"--host {host} would open the app to other machines: add --allow-remote (a token is then required)")
        raise typer.Exit(ExitCode.USAGE)
    if token is not None and len(token) < 16:
        error("--token: use at least 16 characters")
        raise typer.Exit(ExitCode.USAGE)
    if not local and token is None:
        token = secrets.token_urlsafe(24)
    path = Path(db).expanduser() if db else default_store()
    if db is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        error(f"cannot listen on {host}:{port} ({exc.strerror or exc})")
        raise typer.Exit(ExitCode.USAGE) from None
    port = sock.getsockname()[1]
    import storydiff

    settings = ServeSettings(db=path, token=token, hosts=loopback_hosts(port) if local else None)
    try:
        asgi = create_app(settings)
    except storydiff.StorydiffError as exc:
        sock.close()
        error(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    typer.echo(address if quiet else f"storydiff serves {path} at {address}  (API: http://{shown}:{port}/docs; Ctrl+C stops it)")
    import uvicorn

    config = uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    if not quiet:
        stderr.print("storydiff: stopped", markup=False)
