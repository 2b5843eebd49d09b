"""Keys a web browser keeps for itself, and what to press instead in `qualcode serve`.

A page cannot stop Chrome, Chromium or Firefox from acting on these keys outside full screen
(they never reach the workbench; see the "reserved keys" of the W3C Keyboard Lock draft and
Firefox's reserved shortcuts). Other ctrl keys (ctrl+l, ctrl+o, ctrl+e,
ctrl+s, ctrl+z...) reach the workbench in the browser: its terminal takes them first.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

TAKEN_BY_BROWSER = {
    "ctrl+w": "closes the tab",
    "ctrl+t": "opens a new tab",
    "ctrl+n": "opens a new window",
    "ctrl+shift+w": "closes the window",
    "ctrl+shift+t": "reopens a closed tab",
    "ctrl+shift+n": "opens a private window",
    "ctrl+tab": "goes to the next tab",
    "ctrl+shift+tab": "goes to the previous tab",
    "ctrl+q": "quits Firefox",
}

# Actions on a taken key that need no other key in a browser.
NO_KEY_NEEDED = {"quit": "close the browser tab instead (everything is already saved)"}


def browser_rows(app: App, bindings: list[tuple[str, Binding]]) -> list[tuple[str, str]]:
    """(key, what to do instead) for every binding in `bindings` ((where, binding) pairs) whose
    key the browser takes: the other keys bound to the same action in the same place, or the
    NO_KEY_NEEDED advice. A binding with neither is listed as having no other key."""
    rows = []
    for where, binding in bindings:
        if binding.key not in TAKEN_BY_BROWSER:
            continue
        others = [
            app.get_key_display(b)
            for w, b in bindings
            if w == where and b.action == binding.action and b.key not in TAKEN_BY_BROWSER
        ]
        if others:
            instead = "press " + " or ".join(others)
        else:
            instead = NO_KEY_NEEDED.get(binding.action, "no other key: use the command palette")
        what = binding.description or binding.action
        rows.append(
            (
                app.get_key_display(binding),
                f"{what}: in a browser it {TAKEN_BY_BROWSER[binding.key]}; {instead}",
            )
        )
    return rows
