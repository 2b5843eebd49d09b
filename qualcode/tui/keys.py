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
