"""Help: the key bindings of the app, read from the BINDINGS of the classes in use.

Nothing here is a hand-written copy: the table lists the app's bindings, those of every
screen on the stack and of the qualcode widgets on it (e.g. the document view), then those
of the other qualcode screens (found by importing qualcode.tui.screens.*), so a binding
added anywhere shows up here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

from rich.cells import cell_len
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import DataTable, Static

import qualcode.tui.components
import qualcode.tui.screens
from qualcode.errors import QualcodeError
from qualcode.tui.browser_keys import browser_rows
from qualcode.tui.screens.dialog import Dialog

WHERE_SHARE = 0.3  # at most this share of the table's width for the "Where" column
SCROLLBAR = 2  # the table's vertical scrollbar


def class_bindings(cls: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares and inherits (nearest class first, each key once)."""
    seen: set[str] = set()
    out: list[Binding] = []
    for klass in cls.__mro__:
        if not (isinstance(klass, type) and issubclass(klass, DOMNode)):
            continue
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", [])):
            if binding.key not in seen:
                seen.add(binding.key)
                out.append(binding)
        if not getattr(klass, "inherit_bindings", True):
            break
    return out


def _own_bindings(cls: type[DOMNode]) -> list[Binding]:
    return list(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))


def _rows(app: App, bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, description), keys of one action joined: 'down, j'."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for b in bindings:
        if b.system or not b.description:  # undescribed keys are a widget's plain navigation
            continue
        grouped.setdefault((b.action, b.description or b.action), []).append(app.get_key_display(b))
    return [(", ".join(keys), desc) for (_, desc), keys in grouped.items()]


def _title(cls: type) -> str:
    """HELP_TITLE if the class has one, else its name in words: CodePickerScreen -> Code picker."""
    if title := cls.__dict__.get("HELP_TITLE"):
        return str(title)
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", cls.__name__)
    if len(words) > 1 and words[-1] == "Screen":
        words = words[:-1]
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else cls.__name__


def _qualcode_classes(package, base: type) -> list[type]:
    """The classes of `base` with their own BINDINGS defined in the modules of `package`."""
    found = []
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(obj, base)
                and obj.__module__ == module.__name__
                and obj.__dict__.get("BINDINGS")
            ):
                found.append(obj)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


def _qualcode_screens() -> list[type[Screen]]:
    return _qualcode_classes(qualcode.tui.screens, Screen)


def all_bindings(app: App) -> list[tuple[str, Binding]]:
    """(where, binding) for the app and every qualcode screen and widget, loaded or not."""
    from textual.widget import Widget

    pairs = [(_title(type(app)), b) for b in class_bindings(type(app))]
    for cls in _qualcode_screens() + _qualcode_classes(qualcode.tui.components, Widget):
        pairs += [(_title(cls), b) for b in _own_bindings(cls)]
    return pairs


def help_sections(app: App) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(section title, [(keys, description)])] for the running app."""
    screens = _own_bindings(Screen)  # Screen's: tab, shift+tab
    # the app binds tab and shift+tab again (as priority keys): listed once, as Screen's
    taken = {b.action for b in screens}
    everywhere = _rows(
        app, [b for b in class_bindings(type(app)) if b.action not in taken] + screens
    )
    if app.ENABLE_COMMAND_PALETTE:
        everywhere.append(
            (app.get_key_display(Binding(app.COMMAND_PALETTE_BINDING, "")), "Command palette")
        )
    sections = [(f"Everywhere ({_title(type(app))})", everywhere)]
    shown: set[type] = {HelpScreen}
    for screen in reversed(app.screen_stack):
        if type(screen) in shown:
            continue
        shown.add(type(screen))
        ours = type(screen).__module__.startswith(
            "qualcode."
        )  # textual's default screen: keys under "Everywhere"
        if ours and type(screen).__dict__.get("BINDINGS"):
            sections.append((_title(type(screen)), _rows(app, _own_bindings(type(screen)))))
        for widget in screen.walk_children():
            cls = type(widget)
            if (
                cls in shown
                or not cls.__module__.startswith("qualcode.")
                or not cls.__dict__.get("BINDINGS")
            ):
                continue
            shown.add(cls)
            where = f"{_title(type(screen))} › {_title(cls)}" if ours else _title(cls)
            sections.append((where, _rows(app, _own_bindings(cls))))
    for cls in _qualcode_screens():
        if cls not in shown:
            shown.add(cls)
            sections.append((_title(cls), _rows(app, _own_bindings(cls))))
    shortcuts = _code_shortcuts(app)
    if shortcuts:
        sections.insert(1, ("Code shortcuts (document focused)", shortcuts))
    sections.append(("In a browser (qualcode serve)", browser_rows(app, all_bindings(app))))
    return [(title, rows) for title, rows in sections if rows]


def _code_shortcuts(app: App) -> list[tuple[str, str]]:
    """The codebook's own keys (set per code), from the open project if there is one."""
    project = getattr(app, "project", None)
    if project is None or not project.is_open:  # none, or one being closed: nothing to list
        return []
    try:
        codes = project.codes()
    except QualcodeError:
        return []
    return [(c.shortcut, f"code the selection: {c.path}") for c in codes if c.shortcut]


def project_line(app: App) -> str:
    """About the open project: its file and its last backup (time UTC, reason)."""
    project = getattr(app, "project", None)
    if project is None:
        return "No project open."
    try:
        last = project.last_backup()
    except (QualcodeError, OSError):
        last = None
    backup = (
        f"last backup {last.time.replace('T', ' ')[:16]} UTC ({last.reason}) in backups/"
        if last is not None
        else "no backup yet (`qualcode backup` makes one)"
    )
    return f"{project.name} · {project.path} · {backup}"


class HelpScreen(Dialog):
    """The key bindings, by where they apply."""

    HELP_TITLE = "Help"
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(
                Content(
                    "Keys (esc closes) · the mouse selects text in a document: drag for characters, click for a unit"
                ),
                id="help-title",
            )
            yield Static(Content(project_line(self.app)), id="help-project")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self._sections = help_sections(self.app)
        self._fill()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """Columns laid out by content: the keys in full, the rest shared between "Where"
        (at most WHERE_SHARE of it) and "Does"; a longer cell wraps onto more lines of its
        row, so a code shortcut's whole path always shows."""
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        rows = [
            (title if n == 0 else "", keys, desc)
            for title, section in self._sections
            for n, (keys, desc) in enumerate(section)
        ]
        padding = 2 * table.cell_padding
        room = max(30, table.size.width - SCROLLBAR - 3 * padding)
        keys = max([len("Keys"), *(cell_len(k) for _, k, _ in rows)])
        where = min(
            max([len("Where"), *(cell_len(w) for w, _, _ in rows)]), int(room * WHERE_SHARE)
        )
        does = max(10, room - keys - where)
        table.add_column("Where", width=where)
        table.add_column("Keys", width=keys)
        table.add_column("Does", width=does)
        for title, key, desc in rows:
            table.add_row(Text(title, style="bold"), Text(key), Text(desc), height=None)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
