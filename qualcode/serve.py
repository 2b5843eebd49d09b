"""`qualcode serve`: the workbench in a web browser, through textual-serve.

textual-serve (Textualize's own server for Textual apps) runs one workbench process per
browser tab and relays keys, mouse and screen over a websocket; the page, its JavaScript and
fonts come from the server itself, so it works on a machine with no internet. Every tab is a
separate process with its own connection to the project (SQLite WAL with a busy timeout), so
several tabs can code the same project at once.

textual-serve is imported inside the functions that use it, so the rest of qualcode does not
load aiohttp.
"""

from __future__ import annotations

import ipaddress
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from qualcode.errors import QualcodeError

TEMPLATES = Path(__file__).parent / "data" / "serve"


class ServeError(QualcodeError):
    """The server cannot start (the address is taken, the host is unknown...)."""


def is_loopback(host: str) -> bool:
    """True if `host` (a name or an address) only reaches this machine: 127.0.0.0/8, ::1,
    or a name that resolves to nothing else. An unknown name is not loopback."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    addresses = {info[4][0] for info in infos}
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed before serving on an address other machines can reach (None for
    a loopback host)."""
    if is_loopback(host):
        return None
    return (
        f"warning: serving on {host}:{port}: anyone who can reach this machine on port {port} "
        "can read and change the project (there is no password). For remote use keep the "
        f"default host and tunnel over SSH: ssh -N -L {port}:127.0.0.1:{port} SERVER"
    )


def app_command(project: Path | None, coder: str | None = None) -> str:
    """The shell command textual-serve runs for each browser tab: this Python's qualcode on
    the project (absolute, so the server's working directory does not matter). With
    `coder` every tab codes as that person; without, every tab asks who codes in it (the
    server's user.json names the person who started it, not the one at each browser)."""
    args = [sys.executable, "-m", "qualcode", "open"]
    if project is not None:
        args.append(str(Path(project).resolve()))
    args += ["--coder", coder] if coder else ["--ask-coder"]
    return shlex.join(args)


def make_server(
    project: Path | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    title=None,
    coder: str | None = None,
):
    """A textual_serve Server for the workbench on `project` (the start screen if None).

    Differences from textual-serve's own: the page is built with the address the browser used
    (so an SSH tunnel on another local port, or a name instead of 0.0.0.0, works), it loads
    nothing from outside the server, and it prints one line saying where to go.
    """
    from textual_serve.server import Server

    class WorkbenchServer(Server):
        async def on_startup(self, app) -> None:
            # On every interface (0.0.0.0): name the machine, which other computers can use.
            shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
            print(
                f"qualcode: the workbench is at http://{_url_host(shown)}:{port} "
                f"(one session per browser tab; ctrl+c stops)",
                flush=True,
            )

        def initialize_logging(self) -> None:
            import logging

            # textual-serve logs each websocket at INFO; only problems are worth a line here.
            logging.basicConfig(level="WARNING", format="%(message)s")

        async def handle_index(self, request) -> Any:
            import aiohttp_jinja2

            base = f"{request.scheme}://{request.host}"
            websocket = ("wss://" if request.scheme == "https" else "ws://") + request.host
            context = {
                "font_size": _int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": websocket + str(request.app.router["websocket"].url_for()),
                "config": {"static": {"url": f"{base}/static/"}},
                "application": {"name": self.title},
                "ping_url": "",
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

    return WorkbenchServer(
        app_command(project, coder),
        host=host,
        port=port,
        title=title or ("qualcode · " + (Path(project).stem if project else "start")),
        templates_path=TEMPLATES,
    )


def serve(
    project: Path | None, host: str = "127.0.0.1", port: int = 8000, coder: str | None = None
) -> None:
    """Serve the workbench until ctrl+c (SIGINT) or SIGTERM; each browser tab gets its own
    workbench process, stopped when the tab closes or the server stops.

    Raises ServeError if the address cannot be listened on (taken port, unknown host).
    """
    server = make_server(project, host, port, coder=coder)
    try:
        _check_free(host, port)  # before the address is announced (on_startup)
        server.serve()
    except OSError as exc:
        raise ServeError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} "
            "(another server there? choose another --port)"
        ) from None


def _check_free(host: str, port: int) -> None:
    """Bind (host, port) as the server will (SO_REUSEADDR, as aiohttp does on Unix) and
    let it go again; OSError when the address is taken or the host unknown. The server's
    own bind comes after its address line is printed, so a taken port would otherwise
    be announced before it is refused."""
    for family, kind, proto, _, address in socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[:1]:
        with socket.socket(family, kind, proto) as probe:
            if hasattr(socket, "SO_REUSEADDR") and sys.platform != "win32":
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default
