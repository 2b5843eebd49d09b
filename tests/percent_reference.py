"""An independent reference for percentages: decimal arithmetic, half rounded up."""

from decimal import ROUND_HALF_UP, Decimal, localcontext


def expected_percent(n: int, total: int, decimals: int = 1) -> str:
    """100 * n / total as text with `decimals` places, rounded once, half up ("43.5");
    held one step inside 0 and 100 when 0 < n < total ("99.9" for 2499/2500)."""
    if not total:
        return "0" if decimals == 0 else "0." + "0" * decimals
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(100 * int(n)) / Decimal(int(total))
        step = Decimal(1).scaleb(-decimals)
        value = exact.quantize(step, rounding=ROUND_HALF_UP)
        if 0 < n < total:  # a share that is neither none nor all never reads 0 or 100
            value = min(max(value, step), Decimal(100) - step)
        return str(value.quantize(step))
