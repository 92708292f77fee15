"""The statistics behind every figure: Wilson intervals, Newcombe's interval of a difference, and the shapes
the API and pages show (SPEC §4 and §6). Pure functions of counts; nothing here touches the database."""

import math

Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal: a two-sided 95% interval
DECIMALS = 4


def wilson(k: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of the proportion k / n; (0, 1) when there is no sample."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # The interval always holds p; rounding in the last bit must not put 0 of n just outside it.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


def newcombe(k1: float, n1: int, k2: float, n2: int, z: float = Z95) -> tuple[float, float]:
    """Newcombe's hybrid score interval (1998, method 10) of p1 - p2, from each side's Wilson interval."""
    p1, p2 = k1 / n1, k2 / n2
    low1, high1 = wilson(k1, n1, z)
    low2, high2 = wilson(k2, n2, z)
    difference = p1 - p2
    low = difference - math.sqrt((p1 - low1) ** 2 + (high2 - p2) ** 2)
    high = difference + math.sqrt((high1 - p1) ** 2 + (p2 - low2) ** 2)
    return max(-1.0, min(difference, low)), min(1.0, max(difference, high))


def rate(k: float, n: int, min_sample: int) -> dict:
    """SPEC §4's rate: ``{k, n, value, ci_low, ci_high, small_sample}``; value and interval null when n is 0."""
    if n <= 0:
        return {"k": 0, "n": 0, "value": None, "ci_low": None, "ci_high": None, "small_sample": True}
    low, high = wilson(k, n)
    return {
        "k": _count(k),
        "n": n,
        "value": round(k / n, DECIMALS),
        "ci_low": round(low, DECIMALS),
        "ci_high": round(high, DECIMALS),
        "small_sample": n < min_sample,
    }


def change(later: dict, earlier: dict) -> dict | None:
    """SPEC §4's change from ``earlier`` to ``later`` (two rates); None when either has no sample."""
    if not later or not earlier or not later["n"] or not earlier["n"]:
        return None
    low, high = newcombe(later["k"], later["n"], earlier["k"], earlier["n"])
    if low > 0:
        call = "improved"
    elif high < 0:
        call = "declined"
    else:
        call = "no_clear_change"
    return {
        "difference": round(later["k"] / later["n"] - earlier["k"] / earlier["n"], DECIMALS),
        "ci_low": round(low, DECIMALS),
        "ci_high": round(high, DECIMALS),
        "call": call,
    }


def mean(total: float, squares: float, n: int, min_sample: int) -> dict:
    """A mean (seconds, a 1-5 scale, transfers per contact) with its n and a normal 95% interval."""
    if n <= 0:
        return {"n": 0, "mean": None, "ci_low": None, "ci_high": None, "small_sample": True}
    average = total / n
    if n > 1:
        variance = max(0.0, (squares - n * average * average) / (n - 1))
        half = Z95 * math.sqrt(variance / n)
    else:
        half = math.inf
    return {
        "n": n,
        "mean": round(average, DECIMALS),
        "ci_low": round(average - half, DECIMALS) if math.isfinite(half) else None,
        "ci_high": round(average + half, DECIMALS) if math.isfinite(half) else None,
        "small_sample": n < min_sample,
    }


def _count(k: float):
    """A whole count stays an integer; a sum of scores keeps four decimals."""
    return int(k) if float(k).is_integer() else round(k, DECIMALS)
