"""`qualcode serve` without a browser: the command line, the warning for addresses other
machines can reach, the page the server gives, ctrl+c, and an address already taken."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import pytest
from click.testing import CliRunner

from qualcode import serve as serve_module
from qualcode.cli import main
from tests.browser_support import ServedProject, free_port


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("no-such-host.invalid", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert serve_module.is_loopback(host) is loopback
    assert (serve_module.exposure_warning(host, 8123) is None) is loopback


def test_the_cli_warns_before_listening_beyond_this_machine(r7_project, monkeypatch):
    path = r7_project.path
    r7_project.close()
    calls = []
    monkeypatch.setattr(serve_module, "serve", lambda *args: calls.append(args))
    result = CliRunner().invoke(main, ["serve", str(path), "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert calls == [(path, "0.0.0.0", 8123, None)]
    assert "warning: serving on 0.0.0.0:8123: anyone who can reach" in result.stderr
    assert "ssh -N -L 8123:127.0.0.1:8123" in result.stderr
    calls.clear()
    result = CliRunner().invoke(main, ["serve", str(path)])
    assert calls == [(path, "127.0.0.1", 8000, None)] and "warning" not in result.stderr
    calls.clear()
    CliRunner().invoke(main, ["serve", str(path), "--coder", " ana "])
    assert calls == [(path, "127.0.0.1", 8000, "ana")]  # every tab codes as ana


def test_a_missing_project_is_one_line_and_nothing_is_served(tmp_path, monkeypatch):
    monkeypatch.setattr(serve_module, "serve", lambda *args: pytest.fail("served"))
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "nope.qualcode")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "nope.qualcode" in result.stderr


def test_the_page_uses_the_address_the_browser_used_and_ctrl_c_stops_the_server(r7_project):
    path = r7_project.path
    r7_project.close()
    server = ServedProject(path)
    try:
        # Through an SSH tunnel the browser may use another port: the page must follow it.
        request = urllib.request.Request(server.url, headers={"Host": "localhost:9999"})
        page = urllib.request.urlopen(request, timeout=30).read().decode()
        assert 'data-session-websocket-url="ws://localhost:9999/ws"' in page
        assert "http://localhost:9999/static/js/textual.js" in page
        assert "googleapis" not in page  # nothing fetched from outside the server
        assert "<title>qualcode · t</title>" in page
        script = urllib.request.urlopen(server.url + "static/js/textual.js", timeout=30).read()
        assert len(script) > 100_000
    finally:
        status, output = server.stop()
    assert status == 0, output
    assert f"the workbench is at http://127.0.0.1:{server.port}" in output


def test_an_address_in_use_is_one_line(r7_project):
    path = r7_project.path
    r7_project.close()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "qualcode", "serve", str(path), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(f"error: cannot listen on 127.0.0.1:{port}")
    assert done.stdout == ""  # no address announced before the refusal


def test_app_command_runs_this_python_on_the_absolute_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    command = serve_module.app_command(serve_module.Path("a b.qualcode"))
    assert command.startswith(sys.executable) or command.startswith(f"'{sys.executable}'")
    assert command.endswith(f"-m qualcode open '{tmp_path / 'a b.qualcode'}' --ask-coder")
    assert serve_module.app_command(None).endswith("-m qualcode open --ask-coder")
    # --coder: every tab codes as that person instead of asking
    assert serve_module.app_command(None, "Ana Silva").endswith("open --coder 'Ana Silva'")
