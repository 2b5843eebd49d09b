"""Where a place in a document's old text is in its new text, after another session changed
it (pseudonymised names, a rewrite): so that the workbench's cursor stays near the same words.

Pure functions on str offsets (code points); no Textual. Text before the first change keeps
its offsets, text after the last one moves by the change in length; a place in between is
found by the words beside it (ANCHORS characters after it, else before it) at their occurrence
nearest to where it would be if the changes were spread evenly.
"""

from __future__ import annotations

ANCHORS = (24, 12, 6)  # characters of context looked for, longest first


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (binary search over slice comparisons, which run
    at C speed: a few ms for a 300,000-character transcript)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix, at most `limit`."""
    lo, hi = 0, min(len(a), len(b), limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def follow_selection(old: str, new: str, start: int, end: int) -> tuple[int, int]:
    """The (start, end) in `new` of the selection [start, end) of `old`, as near the same
    words as can be told; always within `new` and start <= end."""
    prefix = common_prefix(old, new)
    suffix = common_suffix(old, new, min(len(old), len(new)) - prefix)
    new_start = _follow(old, new, start, prefix, suffix)
    new_end = _follow(old, new, end, prefix, suffix) if end > start else new_start
    return new_start, max(new_start, new_end)


def _follow(old: str, new: str, offset: int, prefix: int, suffix: int) -> int:
    if offset <= prefix:
        return min(offset, len(new))
    if offset >= len(old) - suffix:
        return max(0, offset + len(new) - len(old))
    old_middle = len(old) - suffix - prefix
    new_middle = len(new) - suffix - prefix
    guess = prefix + round((offset - prefix) * new_middle / max(old_middle, 1))
    for size in ANCHORS:
        for anchor, shift in (
            (old[offset : offset + size], 0),
            (old[max(0, offset - size) : offset], None),
        ):
            if len(anchor.strip()) < 4:
                continue  # blanks or a letter or two: found everywhere, tells nothing
            found = _nearest(new, anchor, guess)
            if found is not None:
                return found + (len(anchor) if shift is None else 0)
    return min(max(guess, 0), len(new))


def _nearest(text: str, anchor: str, guess: int) -> int | None:
    """The start of the occurrence of `anchor` in `text` nearest to `guess`, None if none."""
    best = None
    at = text.find(anchor)
    while at >= 0:
        if best is None or abs(at - guess) < abs(best - guess):
            best = at
        elif at > guess:
            break  # later ones are further still
        at = text.find(anchor, at + 1)
    return best
