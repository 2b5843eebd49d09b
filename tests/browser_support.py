"""Driving `qualcode serve` in headless Chromium (Debian's chromium + chromium-driver, through
selenium), for the browser tests and for trying the served workbench by hand.

The page's terminal (xterm.js inside textual-serve's textual.js) draws on a canvas, so the
screen text is not in the DOM: a script added before the page loads keeps every byte the
workbench sends over the websocket, and `screen_text` strips the terminal's escape sequences
from it. That is enough to wait for a phrase the workbench draws.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,800",
]

# Keeps what the server sends to the page's terminal (binary websocket messages), as text.
RECORD_SCREEN = """
window.__qualcodeScreen = [];
const PageWebSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new PageWebSocket(url, protocols);
  const decoder = new TextDecoder();
  socket.addEventListener("message", (event) => {
    if (typeof event.data !== "string") {
      window.__qualcodeScreen.push(decoder.decode(event.data, {stream: true}));
    }
  });
  return socket;
};
window.WebSocket.prototype = PageWebSocket.prototype;
"""

_ESCAPES = re.compile(
    r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Z]"
)


def missing_browser() -> str | None:
    """Why no browser test can run here (None if Chromium, its driver and selenium are there)."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "headless Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float, what: str, every: float = 0.1):
    """Poll `condition` until it returns something true; AssertionError naming `what` after
    `timeout` seconds (a bound, not a timing assert: it only stops a hung test)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def workbench_processes(project: Path) -> list[int]:
    """Process ids of the workbenches textual-serve started on `project` (one per tab)."""
    wanted = ["-m", "qualcode", "open", str(Path(project).resolve())]
    found = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
        except OSError:
            continue
        if argv[1 : 1 + len(wanted)] == wanted:
            found.append(int(proc.name))
    return found


class ServedProject:
    """`qualcode serve PROJECT --port N` in a child process; `stop()` sends ctrl+c (SIGINT)."""

    def __init__(self, project: Path | None, host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        args = [sys.executable, "-m", "qualcode", "serve"]
        args += [str(project)] if project is not None else []
        args += ["--host", host, "--port", str(self.port)]
        self.process = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # ctrl+c goes to the server only, as in a terminal
        )
        wait_for(self._listening, 60, f"qualcode serve to listen on port {self.port}", 0.2)

    def _listening(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"qualcode serve exited: {self.process.stdout.read()}")
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self, timeout: float = 30) -> tuple[int, str]:
        """ctrl+c, then the exit status and everything the server printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            output, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            output, _ = self.process.communicate()
            return -1, output
        return self.process.returncode, output


class Browser:
    """One headless Chromium session (its own fresh profile) on a served workbench."""

    def __init__(self, url: str) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="qualcode-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS + [f"--user-data-dir={self.profile}"]:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SCREEN}
        )
        self.driver.get(url)

    def screen_text(self) -> str:
        """Everything the workbench has drawn so far, escape sequences removed."""
        chunks = self.driver.execute_script("return window.__qualcodeScreen || []")
        return _ESCAPES.sub("", "".join(chunks))

    def wait_for_text(self, phrase: str, timeout: float = 60) -> None:
        wait_for(lambda: phrase in self.screen_text(), timeout, f"{phrase!r} on the page", 0.2)

    def wait_until_quiet(self, quiet: float = 0.5, timeout: float = 60) -> None:
        """Wait until the workbench has drawn nothing new for `quiet` seconds (it has taken
        in every key sent so far and finished redrawing)."""
        count = "return (window.__qualcodeScreen || []).length"
        state = {"n": -1, "since": time.monotonic()}

        def settled() -> bool:
            n = self.driver.execute_script(count)
            if n != state["n"]:
                state["n"], state["since"] = n, time.monotonic()
            return time.monotonic() - state["since"] >= quiet

        wait_for(settled, timeout, "the page to stop changing", 0.1)

    def type(self, keys: str) -> None:
        """Type into the page's terminal (its hidden textarea has the keyboard focus)."""
        from selenium.webdriver.common.action_chains import ActionChains

        self.driver.execute_script("document.querySelector('.xterm-helper-textarea').focus()")
        for key in keys:
            ActionChains(self.driver).send_keys(key).perform()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
