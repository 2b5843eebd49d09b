"""One way to turn n of N into a percentage, used by every table, screen and export.

A percentage is rounded ONCE, from the exact fraction n/N, half away from zero
(10/23 = 43.478...% -> "43", 13/23 = 56.521...% -> "57", 1/8 = 12.5% -> "13"). Rounding
an already rounded value again (43.478 -> 43.5 -> 44) is the mistake this avoids, so
no caller formats a stored percentage: they all pass n and N here.

A share that is neither none nor all never reads as 0 or 100: when 0 < n < N and the
rounded value would be 0 or 100, it is held one step inside (0.04% -> "0.1", 99.96%
-> "99.9" at one place; "1" and "99" at none), so that a table never claims "100%
agreement" or "nobody" for a count that is not. `proportion_text` does the same for a
proportion given as a float (percent agreement).

Pure Python (fractions), no pandas: the exporters and the TUI use it without loading it.
"""

from __future__ import annotations

from fractions import Fraction

SCREEN_DECIMALS = 0  # the TUI's and the terminal crosstab's "43%"
PAPER_DECIMALS = 1  # exports and the terminal frequency table: "43.5"


def _rounded(n: int, total: int, decimals: int) -> int:
    """round(100 * n / total * 10**decimals), half away from zero, exactly; held one
    step inside 0 and 100 when 0 < n < total (module docstring)."""
    return _rounded_fraction(Fraction(int(n), int(total)), decimals)


def _rounded_fraction(share: Fraction, decimals: int) -> int:
    """round(100 * share * 10**decimals) half away from zero, held inside (0, 100)
    when share is strictly between 0 and 1."""
    scaled = share * 100 * 10**decimals
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    if 0 < share < 1:
        whole = min(max(whole, 1), 100 * 10**decimals - 1)
    return whole if scaled >= 0 else -whole


def _text(value: int, decimals: int, sign: str) -> str:
    if decimals <= 0:
        return f"{value}{sign}"
    whole, part = divmod(abs(value), 10**decimals)
    minus = "-" if value < 0 else ""
    return f"{minus}{whole}.{part:0{decimals}d}{sign}"


def percent_value(n: int, total: int, decimals: int = PAPER_DECIMALS) -> float:
    """100 * n / total rounded once to `decimals` places, as a float (0.0 when total is 0).

    n, total: counts (n participants of total). Returns e.g. 43.5 for 10/23 at 1 place,
    99.9 (not 100.0) for 2499/2500 (module docstring).
    """
    if not total:
        return 0.0
    return _rounded(n, total, decimals) / 10**decimals


def percent_text(n: int, total: int, decimals: int = PAPER_DECIMALS, sign: str = "") -> str:
    """The percentage of n in total as text, rounded once: "43.5" (sign="%": "43.5%").

    A total of 0 gives "0" (or "0.0"...), as every table counts 0 of 0 as 0%.
    """
    return _text(_rounded(n, total, decimals) if total else 0, decimals, sign)


UNDEFINED = "n/a"  # a share of nobody (no participant in scope, an empty group): no percentage


def percent_or_undefined(n: int, total: int, decimals: int = PAPER_DECIMALS, sign: str = "") -> str:
    """percent_text, except that of a total of 0 the percentage is undefined: "n/a"
    (never "0%"). The one rule for the CLI's tables, the exports and the workbench."""
    return percent_text(n, total, decimals, sign) if total else UNDEFINED


def count_share_text(n: int, total: int) -> str:
    """ "17/23", or "n/a" of a total of 0 (nobody in scope: "0/0" would read as a count)."""
    return f"{n}/{total}" if total else UNDEFINED


def share_or_undefined(n: int, total: int, decimals: int = PAPER_DECIMALS) -> str:
    """share_text ("17/23 (73.9%)"), or "n/a" of a total of 0 (never "0/0 (0%)")."""
    return share_text(n, total, decimals) if total else UNDEFINED


def proportion_text(value: float | None, decimals: int = PAPER_DECIMALS, sign: str = "") -> str:
    """A proportion in 0..1 (a float, e.g. percent agreement 0.9996) as a percentage
    with the same rule as percent_text: rounded once from the float's exact value, half
    away from zero, and never "100.0" or "0.0" unless it is exactly 1 or 0 ("99.9").
    None or NaN gives "n/a"."""
    if value is None or value != value:
        return "n/a"
    return _text(_rounded_fraction(Fraction(float(value)), decimals), decimals, sign)


def share_text(n: int, total: int, decimals: int = PAPER_DECIMALS) -> str:
    """ "n/N (p%)", e.g. "17/23 (73.9%)"."""
    return f"{n}/{total} ({percent_text(n, total, decimals, '%')})"
