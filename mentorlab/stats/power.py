"""Planning: power and sample size for two groups, and the cost of clustering.

:func:`power_two_groups` answers "how many mentees per arm?" or "what could we detect
with the mentees we have?" for a two-sample t-test (statsmodels ``TTestIndPower``).
Mentees are often nested in mentors or sites, which makes them less informative than
independent people: :func:`design_effect` and :func:`effective_n` translate that.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd
from statsmodels.stats.power import TTestIndPower

from ..errors import InputError
from ._core import StatsResult, make_result

__all__ = ["design_effect", "effective_n", "power_two_groups"]

# statsmodels names the one-sided alternatives "larger"/"smaller"; the rest of the
# package uses scipy's "greater"/"less".
_ALTERNATIVES = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}


def power_two_groups(
    *,
    effect_size: float | None = None,
    n: float | None = None,
    alpha: float = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> StatsResult:
    """Power, sample size per group or detectable effect for a two-sample t-test.

    Give exactly two of ``effect_size``, ``n`` and ``power``; the third is solved for with
    statsmodels ``TTestIndPower().solve_power`` (noncentral t, equal group sizes).

    Parameters
    ----------
    effect_size : float, optional
        Cohen's d: difference in means divided by the common SD.
    n : float, optional
        Sample size *per group* (may be fractional when solved for; round up to plan).
    alpha : float
        Significance level.
    power : float, optional
        Probability of rejecting the null when the effect is ``effect_size``.
    alternative : {"two-sided", "greater", "less"}

    Returns
    -------
    StatsResult
        One row: ``effect_size``, ``n_per_group``, ``n_total``, ``alpha``, ``power``, and
        ``solved_for`` naming the computed quantity.

    Examples
    --------
    >>> res = power_two_groups(effect_size=0.5, power=0.8)
    >>> round(float(res["n_per_group"].iloc[0]), 2)
    63.77
    """
    if alternative not in _ALTERNATIVES:
        raise InputError(
            f"alternative must be one of {', '.join(_ALTERNATIVES)}, got {alternative!r}"
        )
    given = {"effect_size": effect_size, "n": n, "power": power}
    unknown = [name for name, value in given.items() if value is None]
    if len(unknown) != 1:
        raise InputError(
            "give exactly two of effect_size, n and power (the third is solved for); "
            f"missing: {', '.join(unknown) or 'none'}"
        )
    _check_inputs(effect_size, n, alpha, power)
    solved = TTestIndPower().solve_power(
        effect_size=effect_size,
        nobs1=n,
        alpha=alpha,
        power=power,
        ratio=1.0,
        alternative=_ALTERNATIVES[alternative],
    )
    values = {**given, unknown[0]: float(solved)}
    row = {
        "effect_size": float(values["effect_size"]),
        "n_per_group": float(values["n"]),
        "n_total": 2 * float(values["n"]),
        "alpha": float(alpha),
        "power": float(values["power"]),
        "solved_for": {"n": "n_per_group"}.get(unknown[0], unknown[0]),
    }
    return make_result(
        pd.DataFrame([row], index=pd.Index(["two-sample t"], name="design")),
        title="Power for a two-group comparison (two-sample t-test)",
        notes=[f"{alternative} test; equal group sizes; n is per group"],
        reading=_power_reading(row, unknown[0]),
    )


def _check_inputs(effect_size, n, alpha, power) -> None:
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    if power is not None and not alpha < power < 1:
        raise InputError(f"power must be between alpha ({alpha}) and 1, got {power}")
    if n is not None and not n >= 2:
        raise InputError(f"n (per group) must be at least 2, got {n}")
    if effect_size is not None and (effect_size == 0 or not math.isfinite(effect_size)):
        raise InputError(f"effect_size must be a non-zero number, got {effect_size}")


def _power_reading(row: dict, solved: str) -> str:
    d, n, power = row["effect_size"], row["n_per_group"], row["power"]
    if solved == "n":
        per_group = math.ceil(n - 1e-9)  # 63.77 -> 64, but 64.0000000001 -> 64 as well
        return (
            f"To detect d = {d:.2f} with {power:.0%} power at α = {row['alpha']:g}, recruit "
            f"{per_group} per group ({2 * per_group} in total)."
        )
    if solved == "power":
        return (
            f"With {n:g} per group, a difference of d = {d:.2f} would be detected with "
            f"{power:.0%} probability at α = {row['alpha']:g}."
        )
    return (
        f"With {n:g} per group, the smallest difference detectable with {power:.0%} power at "
        f"α = {row['alpha']:g} is d = {d:.2f}."
    )


def design_effect(m: float, icc: float) -> float:
    """Variance inflation from clustering: 1 + (m - 1) x ICC (Kish 1965).

    Parameters
    ----------
    m : float
        Average cluster size (e.g. mentees per mentor), at least 1.
    icc : float
        Intraclass correlation, between 0 and 1.

    Examples
    --------
    >>> design_effect(5, 0.05)
    1.2
    """
    if not (isinstance(m, numbers.Real) and m >= 1):
        raise InputError(f"average cluster size m must be at least 1, got {m!r}")
    if not (isinstance(icc, numbers.Real) and 0 <= icc <= 1):
        raise InputError(f"icc must be between 0 and 1, got {icc!r}")
    return 1 + (m - 1) * icc


def effective_n(n: float, m: float, icc: float) -> float:
    """The number of independent people ``n`` clustered people are worth: n / design effect.

    Examples
    --------
    >>> effective_n(120, 5, 0.05)
    100.0
    """
    if not (isinstance(n, numbers.Real) and n > 0):
        raise InputError(f"n must be a positive number, got {n!r}")
    return n / design_effect(m, icc)
