"""`newsarchive serve`: the read-only web workbench and JSON API over an archive, served by uvicorn.

It binds to loopback by default. On any other address it refuses to start without a token (`--token` or
$NEWSARCHIVE_TOKEN), and then every request must carry it.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import sys
from typing import Any

from scraper.cli.common import EXIT_OK, UsageError, UserError, add_command, add_db_option, open_existing

TOKEN_ENV = "NEWSARCHIVE_TOKEN"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening socket, so a busy port is a one-line error before the server starts."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise UsageError(f"cannot listen on {host}: {error.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise UserError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from scraper.web.app import create_app
    from scraper.web.security import LOOPBACK_HOSTS

    token = args.token or os.environ.get(TOKEN_ENV) or None
    loopback = is_loopback(args.host)
    if not loopback and not token:
        raise UsageError(
            f"refusing to serve on {args.host} without a token: give --token or set {TOKEN_ENV} "
            "(or serve on 127.0.0.1)"
        )
    if not 0 <= args.port <= 65535:
        raise UsageError(f"not a port number: {args.port}")
    with open_existing(args.db) as archive:
        sock = listening_socket(args.host, args.port)
        port = sock.getsockname()[1]
        allowed = LOOPBACK_HOSTS if loopback and not token else ()
        app = create_app(archive, token=token, allowed_hosts=allowed)
        shown = f"[{args.host}]" if ":" in args.host else args.host
        link = f"http://{shown}:{port}/" + (f"?token={token}" if token and args.show_token else "")
        print(f"newsarchive: serving {archive.url.split('://')[0]} archive at {link} (Ctrl-C stops)", flush=True)
        config = uvicorn.Config(app, log_level=args.log_level, access_log=args.log_level == "info")
        server = uvicorn.Server(config)
        # uvicorn shuts down gracefully on SIGINT/SIGTERM, then raises the signal again for the handler
        # it found: a quiet one makes a stop by signal a clean exit (0), not a death by signal
        previous = {number: signal.signal(number, _stopped) for number in (signal.SIGINT, signal.SIGTERM)}
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()
            for number, handler in previous.items():
                signal.signal(number, handler)
    print("newsarchive: stopped", file=sys.stderr)
    return EXIT_OK


def _stopped(number: int, frame: object) -> None:
    """The server has already stopped when this runs."""


def register(sub: Any) -> None:
    serve = add_command(
        sub,
        "serve",
        cmd_serve,
        "Serve the read-only web workbench and JSON API (search, chart, articles, export).",
        "newsarchive serve --db archive.db --port 8080",
    )
    add_db_option(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default: 8080; 0 picks a free one)")
    serve.add_argument(
        "--token",
        help=f"secret every request must carry (default: ${TOKEN_ENV}); required off loopback",
    )
    serve.add_argument(
        "--show-token", action="store_true", help="print the address with ?token=..., to open in a browser"
    )
    serve.add_argument(
        "--log-level", choices=("warning", "info", "debug"), default="warning", help="uvicorn's logging"
    )
