"""Many tests and "no difference" claims: p-value adjustment and equivalence tests (TOST).

An evaluation that tests ten outcomes will find one "significant" by chance about
half the time; :func:`adjust_p` controls that (Holm for the family-wise error rate,
Benjamini-Hochberg for the false discovery rate).  And a non-significant difference is not
evidence of no difference; :func:`tost` tests equivalence within a margin the evaluator
chooses in advance (two one-sided tests, Schuirmann 1987).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from ..errors import InputError
from ._core import (
    StatsResult,
    drop_missing,
    format_ci,
    format_p,
    make_result,
    numeric,
    require_columns,
    require_n,
)

__all__ = ["adjust_p", "tost"]

METHODS = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}


def adjust_p(
    p_values: Sequence[float] | pd.Series | np.ndarray,
    method: str = "holm",
    *,
    alpha: float = 0.05,
) -> StatsResult:
    """Adjust p-values for multiple testing (statsmodels ``multipletests``).

    Parameters
    ----------
    p_values : list, numpy array or pandas Series
        Raw p-values.  A Series keeps its index (name the tests there).  Missing values are
        left out of the adjustment (as R's ``p.adjust`` does) and stay NaN, with a note.
    method : {"holm", "fdr_bh", "bonferroni"}
        Holm's step-down (family-wise error rate), Benjamini-Hochberg (false discovery
        rate) or Bonferroni.
    alpha : float
        ``reject`` is True where the adjusted p-value is <= alpha (statsmodels' rule).

    Returns
    -------
    StatsResult
        ``p_value``, ``p_adjusted`` and ``reject`` (bool), in the input order.

    Examples
    --------
    >>> res = adjust_p([0.01, 0.02, 0.03, 0.04, 0.05], "holm")
    >>> [round(float(p), 2) for p in res["p_adjusted"]]
    [0.05, 0.08, 0.09, 0.09, 0.09]
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    raw = _as_p_series(p_values)
    present = raw.notna()
    if not present.any():
        raise InputError("p_values: no non-missing p-values to adjust")
    reject, adjusted, _, _ = multipletests(raw[present].to_numpy(), alpha=alpha, method=method)
    table = pd.DataFrame({"p_value": raw, "p_adjusted": np.nan, "reject": False}, index=raw.index)
    table.loc[present, "p_adjusted"] = adjusted
    table.loc[present, "reject"] = reject
    notes = []
    if not present.all():
        notes.append(
            f"{int((~present).sum())} missing p-value(s) left out; the adjustment is over the "
            f"{int(present.sum())} present"
        )
    return make_result(
        table,
        title=f"{METHODS[method]} adjustment of {int(present.sum())} p-values",
        notes=notes,
        reading=_adjust_reading(table, method, alpha),
    )


def _as_p_series(p_values) -> pd.Series:
    if isinstance(p_values, pd.DataFrame):
        raise InputError("p_values must be a list, array or Series, not a DataFrame")
    raw = p_values.copy() if isinstance(p_values, pd.Series) else pd.Series(p_values)
    if raw.ndim != 1 or len(raw) == 0:
        raise InputError("p_values must be a non-empty one-dimensional list of p-values")
    try:
        raw = pd.to_numeric(raw, errors="raise").astype(float)
    except (TypeError, ValueError):
        raise InputError("p_values must be numbers between 0 and 1") from None
    if ((raw < 0) | (raw > 1)).any():
        raise InputError("p_values must lie between 0 and 1")
    raw.name = "p_value"
    return raw


def _adjust_reading(table: pd.DataFrame, method: str, alpha: float) -> str:
    kept, total = int(table["reject"].sum()), int(table["p_adjusted"].notna().sum())
    raw = int((table["p_value"] <= alpha).sum())
    level = f"{alpha:g}".lstrip("0")
    return (
        f"After {METHODS[method]} adjustment {kept} of {total} tests "
        f"{'remains' if kept == 1 else 'remain'} statistically "
        f"significant at α = {level} ({raw} before adjustment)."
    )


# --------------------------------------------------------------------------- TOST


def tost(
    data: pd.DataFrame,
    dv: str,
    group: str | None = None,
    *,
    bound: float,
    paired_with: str | None = None,
    alpha: float = 0.05,
    welch: bool = False,
) -> StatsResult:
    """Equivalence test (two one-sided t-tests) within ``±bound``: pingouin ``tost``.

    Three designs:

    * ``group`` given: two independent groups (exactly two levels; difference = first level
      minus second in sorted order);
    * ``paired_with`` given: paired columns, difference = ``dv`` - ``paired_with``;
    * neither: one sample, mean of ``dv`` against 0 (e.g. ``dv`` holds change scores).

    Parameters
    ----------
    data : pandas.DataFrame
    dv : str
        Numeric outcome column.
    group : str, optional
        Grouping column for the two-group design.
    bound : float
        Equivalence margin (> 0) in the units of ``dv``: the smallest difference that would
        matter, chosen before seeing the data.
    paired_with : str, optional
        Second column for the paired design.
    alpha : float
        Level of each one-sided test; the matching interval is the (1 - 2 alpha) CI.
    welch : bool
        Two-group design only: Welch's unequal-variance t instead of Student's.

    Returns
    -------
    StatsResult
        One row with ``bound``, ``mean_diff``, ``ci_low``/``ci_high`` (the 1 - 2 alpha CI:
        equivalence holds exactly when it lies inside ±bound), ``statistic`` (the t of the
        one-sided test with the larger p-value), ``df``, ``p_value`` (the larger of the two
        one-sided p-values) and ``equivalent`` (``p_value < alpha``).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"change": [0.1, -0.2, 0.05, 0.15, -0.1, 0.0, 0.2, -0.05]})
    >>> res = tost(d, "change", bound=0.3)
    >>> bool(res["equivalent"].iloc[0]), int(res["df"].iloc[0])
    (True, 7)
    """
    if group is not None and paired_with is not None:
        raise InputError("give either group (two independent groups) or paired_with, not both")
    if not (isinstance(bound, numbers.Real) and math.isfinite(bound) and bound > 0):
        raise InputError(f"bound must be a positive number, got {bound!r}")
    if not 0 < alpha < 0.5:
        raise InputError(f"alpha must be between 0 and 0.5, got {alpha}")
    require_columns(data, dv, group, paired_with)
    complete, notes = drop_missing(data, [c for c in (dv, group, paired_with) if c])
    x, y, label, paired = _tost_samples(complete, dv, group, paired_with)
    row = {"bound": float(bound), **_tost_row(x, y, float(bound), paired, welch, alpha, notes)}
    table = pd.DataFrame([row], index=pd.Index([label], name="comparison"))
    return make_result(
        table,
        title=f"Equivalence test (TOST), bound ±{bound:g}",
        notes=notes,
        reading=_tost_reading(row, label, alpha),
    )


def _tost_samples(data, dv, group, paired_with):
    """(x, y, label, paired): y is 0.0 for the one-sample design."""
    x = numeric(data, dv).to_numpy()
    if paired_with is not None:
        require_n(len(x), f"paired equivalence test of '{dv}' and '{paired_with}'")
        return x, numeric(data, paired_with).to_numpy(), f"{dv} - {paired_with}", True
    if group is None:
        require_n(len(x), f"equivalence test of '{dv}'")
        return x, 0.0, f"mean {dv}", False
    levels = sorted(data[group].unique(), key=str)
    if len(levels) != 2:
        raise InputError(
            f"group column '{group}' must have exactly 2 groups, found {len(levels)}",
            column=group,
        )
    a, b = (x[(data[group] == level).to_numpy()] for level in levels)
    for level, sample in zip(levels, (a, b), strict=True):
        require_n(len(sample), f"equivalence test, group {group} = {level}", minimum=2)
    return a, b, f"{levels[0]} - {levels[1]}", False


def _tost_row(x, y, bound, paired, welch, alpha, notes) -> dict:
    diff = x - y if paired else x
    one_sample = np.isscalar(y)
    spread = np.ptp(diff) if (paired or one_sample) else max(np.ptp(x), np.ptp(y))
    mean_diff = float(np.mean(x) - np.mean(y))
    if spread == 0:
        notes.append("no variation in the data: the t statistics are undefined (NaN)")
        nan = math.nan
        return {"mean_diff": mean_diff, "ci_low": nan, "ci_high": nan, "statistic": nan,
                "df": nan, "p_value": nan, "equivalent": False}  # fmt: skip
    res = pg.tost(x, y, bound=bound, paired=paired, correction=welch)
    # pingouin.tost reports only the larger p; the binding side's t comes from the same
    # one-sided tests tost runs internally (x + bound > y and x - bound < y).
    lower = pg.ttest(x + bound, y, paired=paired, correction=welch, alternative="greater")
    upper = pg.ttest(x - bound, y, paired=paired, correction=welch, alternative="less")
    binding = lower if lower.at["T_test", "p_val"] >= upper.at["T_test", "p_val"] else upper
    ci = _difference_ci(x, y, paired, welch, 1 - 2 * alpha)
    p = float(res.at["TOST", "pval"])
    return {
        "mean_diff": mean_diff,
        "ci_low": ci[0],
        "ci_high": ci[1],
        "statistic": float(binding.at["T_test", "T"]),
        "df": float(res.at["TOST", "dof"]),
        "p_value": p,
        "equivalent": bool(p < alpha),
    }


def _difference_ci(x, y, paired, welch, level) -> tuple[float, float]:
    """CI of the mean difference from scipy (pingouin rounds its CI to 2 decimals)."""
    if paired:
        res = sps.ttest_rel(x, y)
    elif np.isscalar(y):
        res = sps.ttest_1samp(x, y)
    else:
        res = sps.ttest_ind(x, y, equal_var=not welch)
    ci = res.confidence_interval(level)
    return float(ci.low), float(ci.high)


def _tost_reading(row: dict, label: str, alpha: float) -> str:
    if math.isnan(row["p_value"]):
        return (
            f"Equivalence of {label} within ±{row['bound']:g} could not be tested (no variation)."
        )
    level = 1 - 2 * alpha
    verdict = (
        "is equivalent to zero within"
        if row["equivalent"]
        else "cannot be declared equivalent to zero within"
    )
    subject = f"The {label}" if label.startswith("mean ") else f"The difference {label}"
    return (
        f"{subject} = {row['mean_diff']:.2f} "
        f"({format_ci(row['ci_low'], row['ci_high'], level=level)}) {verdict} "
        f"±{row['bound']:g} (TOST t({row['df']:.4g}) = {row['statistic']:.2f}, "
        f"{format_p(row['p_value'])})."
    )
