"""Keys the document view and main screen use; code shortcuts may not take them."""

RESERVED_KEYS = frozenset("jkugGxcnNadmq")


def shortcut_problem(key: str | None) -> str | None:
    """Why `key` cannot be a code shortcut in the workbench (None if it can)."""
    if not key:
        return None
    if len(key) != 1 or not key.isalnum():
        return f"shortcut {key!r} must be one letter or digit"
    if key in RESERVED_KEYS:
        return f"shortcut {key!r} is taken by the workbench (reserved: {' '.join(sorted(RESERVED_KEYS))})"
    return None

# The help screen and the README show this table; keep it in step with the BINDINGS.
KEY_TABLE: list[tuple[str, str, str]] = [
    ("j / ↓, k / ↑", "document", "next / previous unit (sentence, turn or paragraph)"),
    ("u", "document", "cycle the unit: sentence → turn → paragraph"),
    ("shift+↓ / shift+↑", "document", "extend / shrink the selection by one unit"),
    ("shift+→ / shift+←", "document", "extend / shrink the selection by one character"),
    ("mouse drag, click", "document", "select characters; a click selects the unit"),
    ("pgup / pgdn, g / G", "document", "page up / down; first / last unit"),
    ("1-9, letters", "document", "code the selection with the code of that shortcut"),
    ("c", "document", "code the selection with a code chosen by fuzzy search"),
    ("x", "document", "remove the (innermost) coding under the cursor"),
    ("m", "document", "edit the memo of the coding under the cursor"),
    ("] / [", "document", "next / previous coding of any code"),
    ("} / {", "document", "next / previous coding of the code selected in the codebook"),
    ("/", "document", "search with a regular expression; n / N next / previous match"),
    ("a / d", "document", "accept / dismiss the top code suggestion (when shown)"),
    ("a / A", "codebook", "add a code at the top level / under the highlighted code"),
    ("r, e", "codebook", "rename; edit description, colour and shortcut"),
    ("m, M", "codebook", "move (re-parent); merge into another code"),
    ("d / delete", "codebook", "delete the code (asks first)"),
    ("space", "codebook, participants", "expand / collapse; enter on a document opens it"),
    ("enter", "codings", "edit the memo of the highlighted coding"),
    ("tab / shift+tab", "everywhere", "move between panels"),
    ("ctrl+z / ctrl+y", "everywhere", "undo / redo coding and codebook changes"),
    ("ctrl+p", "everywhere", "command palette: every action, and open a document by name"),
    ("ctrl+o", "everywhere", "open another project"),
    ("?", "everywhere", "this help"),
    ("ctrl+q", "everywhere", "quit (everything is already saved)"),
]
