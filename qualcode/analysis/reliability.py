"""Chance-corrected agreement statistics for nominal codes, from counts.

qualcode never builds a unit-by-coder matrix: a corpus has millions of character
units. Agreement on one code between n coders is fully described by how many units
show each *pattern* (which coders coded the unit): an array `patterns` of shape
(rows, 2**n), entry [r, mask] = units of row r coded by exactly the coders whose bits
are set in mask (bit i = coder i). Every figure below is computed from that array:

- percent agreement: units where all coders agree (all coded or none did) / units;
- Cohen's kappa for a pair: Cohen (1960), from the pair's 2x2 table;
- Fleiss' kappa: Fleiss (1971), "Measuring nominal scale agreement among many
  raters", Psychological Bulletin 76(5), as statsmodels.stats.inter_rater.fleiss_kappa;
- Krippendorff's alpha (nominal): Krippendorff (2011), "Computing Krippendorff's
  alpha-reliability", from the coincidence matrix. The `krippendorff` package computes
  it whenever the units are few enough to list one by one (it needs a row per unit);
  above that the same coincidence-matrix formula runs on the counts, which gives the
  same value (tests/test_reliability.py checks both against the package).

Undefined values (nobody used the code, or everyone coded every unit) are NaN; the
tables show them as "n/a".
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

# The krippendorff package needs one row per unit (and 4 floats per row while it runs);
# above this many units per row of `patterns` the counts formula is used instead.
PACKAGE_UNITS = 200_000


def popcounts(n: int) -> np.ndarray:
    """Number of coders in each pattern mask 0 .. 2**n - 1."""
    masks = np.arange(1 << n)
    return np.array([bin(m).count("1") for m in masks], dtype="int64")


def pair_tables(
    patterns: np.ndarray, n: int
) -> dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """For each pair (i, j), i < j: arrays (both, i only, j only, neither), one per row."""
    masks = np.arange(1 << n)
    out: dict[tuple[int, int], tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for i, j in combinations(range(n), 2):
        has_i, has_j = (masks >> i) & 1 == 1, (masks >> j) & 1 == 1
        out[i, j] = (
            patterns[:, has_i & has_j].sum(axis=1),
            patterns[:, has_i & ~has_j].sum(axis=1),
            patterns[:, ~has_i & has_j].sum(axis=1),
            patterns[:, ~has_i & ~has_j].sum(axis=1),
        )
    return out


def percent_agreement(patterns: np.ndarray) -> np.ndarray:
    """Share of units on which all coders agree (NaN for a row without units)."""
    units = patterns.sum(axis=1).astype("float64")
    agree = patterns[:, 0] + patterns[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(units > 0, agree / units, np.nan)


def coded_by(patterns: np.ndarray, n: int) -> np.ndarray:
    """Units coded by each coder: shape (rows, n)."""
    masks = np.arange(1 << n)
    return np.stack([patterns[:, (masks >> i) & 1 == 1].sum(axis=1) for i in range(n)], axis=1)


def _by_popcount(patterns: np.ndarray, n: int) -> np.ndarray:
    """Units by how many coders coded them: shape (rows, n + 1)."""
    out = np.zeros((patterns.shape[0], n + 1), dtype="int64")
    for mask, k in enumerate(popcounts(n)):
        out[:, k] += patterns[:, mask]
    return out


def fleiss_kappa(patterns: np.ndarray, n: int) -> np.ndarray:
    """Fleiss' kappa per row, two categories (coded, not coded), n raters per unit.

    P_i = (sum_j n_ij^2 - n) / (n (n - 1)); kappa = (mean P_i - P_e) / (1 - P_e) with
    P_e = sum_j p_j^2. NaN when P_e is 1 (every unit in one category) or n < 2."""
    k = _by_popcount(patterns, n).astype("float64")
    units = k.sum(axis=1)
    if n < 2:
        return np.full(len(units), np.nan)
    ones = np.arange(n + 1, dtype="float64")
    agree_pairs = ones * (ones - 1) + (n - ones) * (n - ones - 1)  # ordered agreeing pairs
    with np.errstate(invalid="ignore", divide="ignore"):
        p_bar = (k * agree_pairs).sum(axis=1) / (units * n * (n - 1))
        p1 = (k * ones).sum(axis=1) / (units * n)
        p_e = p1**2 + (1 - p1) ** 2
        coded = (k * ones).sum(axis=1)
        degenerate = (coded == 0) | (coded == units * n)
        return np.where(degenerate | (units == 0), np.nan, (p_bar - p_e) / (1 - p_e))


def krippendorff_alpha(
    patterns: np.ndarray, n: int, package_units: int = PACKAGE_UNITS
) -> np.ndarray:
    """Krippendorff's alpha (nominal) per row of `patterns`; NaN when undefined."""
    k = _by_popcount(patterns, n)
    ones = np.arange(n + 1)
    rows = np.stack([n - ones, ones], axis=1)  # value counts per unit: (not coded, coded)
    return np.array([nominal_alpha(rows, counts, package_units) for counts in k])


def nominal_alpha(
    value_counts: np.ndarray, weights: np.ndarray, package_units: int = PACKAGE_UNITS
) -> float:
    """Krippendorff's alpha (nominal) of units given as distinct value-count rows.

    value_counts: (R, V) ints, how many coders gave each of V values to a unit (a row
    may sum to less than the number of coders: missing values); weights: (R,) how many
    units have that row. NaN when undefined (fewer than two values used, or no unit
    with two values). Up to `package_units` units go to the `krippendorff` package (a
    row per unit); more use the same coincidence-matrix formula on the weighted rows
    (Krippendorff 2011, section C): o = sum_u (v v^T - diag v) / (m_u - 1) over units
    with m_u >= 2 values, n_c = row sums of o, alpha = 1 - (n - 1) sum_{c!=k} o_ck /
    sum_{c!=k} n_c n_k."""
    value_counts = np.asarray(value_counts, dtype="int64")
    weights = np.asarray(weights, dtype="int64")
    m = value_counts.sum(axis=1)
    pairable = (m >= 2) & (weights > 0)
    value_counts, weights, m = value_counts[pairable], weights[pairable], m[pairable]
    if not len(m) or (value_counts.T @ weights > 0).sum() < 2:
        return float("nan")
    if weights.sum() <= package_units:
        import krippendorff

        return float(
            krippendorff.alpha(
                value_counts=np.repeat(value_counts, weights, axis=0),
                level_of_measurement="nominal",
            )
        )
    v = value_counts.astype("float64")
    outer = v[:, :, None] * v[:, None, :] - v[:, :, None] * np.eye(v.shape[1])[None]
    o = (outer * (weights / (m - 1))[:, None, None]).sum(axis=0)
    n_c = o.sum(axis=1)
    total = n_c.sum()
    off = ~np.eye(len(n_c), dtype=bool)
    return float(1 - (total - 1) * o[off].sum() / np.outer(n_c, n_c)[off].sum())
