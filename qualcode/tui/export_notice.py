"""Saying where an export went: the full path (with `qualcode serve` the file is on the
server, not on the machine with the browser), and in a browser a copy as a download."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget


def report_export(node: Widget, path: Path) -> None:
    """Notify that `path` was written, by its absolute path; in a browser (the app runs under
    textual-serve) also deliver a copy to the browser as a download (Textual's deliver_binary)."""
    where = Path(path).resolve()
    app = node.app
    if app.is_web:
        app.deliver_binary(where)
        node.notify(f"wrote {where} on the server; a copy is downloading", markup=False)
    else:
        node.notify(f"wrote {where}", markup=False)
