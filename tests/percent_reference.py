"""An independent reference for percentages: decimal arithmetic, half rounded up."""

from decimal import ROUND_HALF_UP, Decimal, localcontext


def expected_percent(n: int, total: int, decimals: int = 1) -> str:
    """100 * n / total as text with `decimals` places, rounded once, half up ("43.5")."""
    if not total:
        return "0" if decimals == 0 else "0." + "0" * decimals
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(100 * int(n)) / Decimal(int(total))
        return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
