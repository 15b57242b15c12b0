"""Before/after comparisons: paired change, McNemar, attrition and difference in differences.

A mentorship evaluation usually has a baseline survey and an end survey.  These functions
answer the questions such data raise, in the order a careful evaluator asks them:

* :func:`paired_change` - did scores change from ``pre`` to ``post`` (paired t or Wilcoxon
  signed-rank), and by how much in standardized terms (``d_z``, ``d_av``, ``hedges_g``)?
* :func:`mcnemar` - did a yes/no outcome change (McNemar's test on the discordant pairs)?
* :func:`attrition` and :func:`attrition_bounds` - who did not answer the end survey, do
  they differ at baseline, and how much could their absence move the mean change?
* :func:`did` - difference in differences against a comparison group, with cluster-robust
  standard errors when the same person appears in both periods.

The tests themselves come from pingouin, scipy and statsmodels; only effect-size formulas
no library exposes are computed here, with the formula cited.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg
import statsmodels.api as sm
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint

from ..errors import InputError
from ._core import (
    StatsResult,
    binary,
    check_alpha,
    drop_missing,
    format_ci,
    format_p,
    make_result,
    numeric,
    require_columns,
    require_n,
)

__all__ = ["attrition", "attrition_bounds", "did", "mcnemar", "paired_change"]

ALTERNATIVES = ("two-sided", "greater", "less")
# Below this many discordant pairs McNemar's chi-squared approximation is poor, so the
# exact binomial test is used (the rule of thumb in statsmodels' and Agresti's advice).
EXACT_DISCORDANT_LIMIT = 25


# --------------------------------------------------------------------------- helpers


def _check_alternative(alternative: str) -> None:
    if alternative not in ALTERNATIVES:
        raise InputError(
            f"alternative must be one of {', '.join(ALTERNATIVES)}, got {alternative!r}"
        )


def _no_spread(values: np.ndarray) -> bool:
    """True when all values are equal up to floating-point noise (e.g. 1.1 - 0.1 vs 2.1 - 1.1)."""
    scale = max(1.0, float(np.max(np.abs(values))))
    return bool(np.ptp(values) <= 1e-12 * scale)


def _ci_phrase(low: float, high: float, alpha: float, flip: bool) -> str:
    """'95% CI a to b' (or a one-sided bound), for the change or, if ``flip``, its magnitude."""
    if flip:
        low, high = -high, -low
    level = 1 - alpha
    if math.isinf(low) and math.isinf(high):
        return "no confidence interval"
    if math.isinf(high):
        return f"{round(level * 100):d}% lower bound {low:.2f}"
    if math.isinf(low):
        return f"{round(level * 100):d}% upper bound {high:.2f}"
    return format_ci(low, high, level=level)


# --------------------------------------------------------------------------- paired change


def paired_change(
    data: pd.DataFrame,
    pre: str,
    post: str,
    *,
    method: str = "t",
    alternative: str = "two-sided",
    alpha: float = 0.05,
) -> StatsResult:
    r"""Change from ``pre`` to ``post`` in the same people: paired t or Wilcoxon signed-rank.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide data, one row per person.
    pre, post : str
        Numeric columns measured before and after.  Rows missing either are dropped (the
        count is reported in ``notes``).
    method : {"t", "wilcoxon"}
        Paired t-test (pingouin ``ttest(post, pre, paired=True)``) or Wilcoxon signed-rank
        test (pingouin ``wilcoxon(post, pre)``, i.e. scipy with a continuity correction when
        the normal approximation is used).
    alternative : {"two-sided", "greater", "less"}
        "greater" means post > pre.
    alpha : float
        1 - confidence level of the interval for the mean change.

    Returns
    -------
    StatsResult
        One row with ``n``, ``mean_pre``, ``mean_post``, ``mean_change`` (post - pre),
        ``sd_change``, ``ci_low`` and ``ci_high`` (t-based interval for the mean change; one-
        sided with a one-sided ``alternative``, as in R), ``test``, ``statistic``, ``df`` (t
        only), ``p_value`` and the effect sizes ``d_z``, ``d_av`` and ``hedges_g``.

    Notes
    -----
    The Wilcoxon ``statistic`` is V as R's ``wilcox.test`` reports it: the sum of the ranks
    of the positive differences post - pre (zero differences dropped).  The p-value is exact
    when there are at most 50 non-zero differences and no ties; with ties or zeros scipy
    uses an exact permutation distribution up to 13 differences and the normal
    approximation with continuity correction above that (R would use the normal
    approximation with ties at any n, so p-values can differ slightly there).

    Effect sizes (Lakens 2013, Cumming 2012):

    * ``d_z`` = mean change / SD of the change (pingouin ``eftype="cohen_dz"``); it equals
      t / sqrt(n).
    * ``d_av`` = mean change / sqrt((SD_pre^2 + SD_post^2) / 2), pingouin's paired
      ``eftype="cohen"``.  The denominator is the root mean square of the two SDs (Cumming
      2012), not their arithmetic mean as in Lakens (2013, eq. 10); pingouin switched to
      Cumming's form in v0.3.4.  The two differ only when the SDs differ.
    * ``hedges_g`` = ``d_av`` x (1 - 3 / (4 (n_pre + n_post) - 9)), pingouin's paired
      ``eftype="hedges"``: the small-sample correction for two groups of n, i.e. with
      2n - 2 degrees of freedom, which is smaller than the n - 1 correction some authors
      prefer for within-person designs; it always shrinks ``d_av`` towards 0.

    Why ``d_z`` and ``d_av`` differ: ``d_z`` scales the change by how much the *change*
    varies, ``d_av`` by how much *scores* vary.  With equal SDs s and pre-post correlation
    r, SD of change = s sqrt(2 (1 - r)), so ``d_z = d_av / sqrt(2 (1 - r))``: when people keep
    their rank order (r > .5) ``d_z`` is larger than ``d_av``.  Use ``d_z`` for power of a
    repeated-measures design, ``d_av`` to compare with between-group effects.

    When every person changed by exactly the same amount (no variance of the change), the
    test statistic, p-value, confidence interval and ``d_z`` are NaN, with a note; the mean
    change is still reported.

    Examples
    --------
    >>> import pandas as pd
    >>> sleep = pd.DataFrame({
    ...     "pre": [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4],
    ...     "post": [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]})
    >>> res = paired_change(sleep, "pre", "post")
    >>> round(float(res["statistic"].iloc[0]), 4), round(float(res["d_z"].iloc[0]), 4)
    (-4.0621, -1.2846)
    """
    if method not in ("t", "wilcoxon"):
        raise InputError(f"method must be 't' or 'wilcoxon', got {method!r}")
    _check_alternative(alternative)
    check_alpha(alpha)
    require_columns(data, pre, post)
    if pre == post:
        raise InputError(f"pre and post must be different columns, both are '{pre}'", column=pre)
    complete, notes = drop_missing(data, [pre, post])
    before, after = numeric(complete, pre).to_numpy(), numeric(complete, post).to_numpy()
    n = len(before)
    require_n(n, f"paired change from '{pre}' to '{post}'")
    change = after - before

    row: dict[str, object] = {
        "n": n,
        "mean_pre": before.mean(),
        "mean_post": after.mean(),
        "mean_change": change.mean(),
        "sd_change": change.std(ddof=1),
    }
    constant_change = _no_spread(change)
    row.update(_mean_change_ci(after, before, alternative, alpha, constant_change))
    if method == "t":
        row.update(_paired_t(after, before, alternative, constant_change))
    else:
        row.update(_signed_rank(after, before, alternative, notes))
    row.update(_paired_effect_sizes(after, before, constant_change))
    if constant_change:
        notes.append(
            f"every pair changed by the same amount ({change[0]:.4g}): with no variance of the "
            f"change {'the t statistic, p-value, ' if method == 't' else 'the '}CI and d_z are "
            "undefined (NaN)"
        )
    if alternative != "two-sided":
        notes.append(
            f"one-sided test (alternative: post {'>' if alternative == 'greater' else '<'} "
            "pre); the confidence interval is one-sided to match, as in R"
        )
    table = pd.DataFrame([row], index=pd.Index([f"{post} - {pre}"], name="change"))
    title = "Paired t-test" if method == "t" else "Wilcoxon signed-rank test"
    return make_result(
        table,
        title=f"{title}: {post} vs {pre}",
        notes=notes,
        reading=_paired_reading(row, pre, post, method, alpha),
    )


def _mean_change_ci(
    after: np.ndarray, before: np.ndarray, alternative: str, alpha: float, constant: bool
) -> dict[str, float]:
    """t-based CI for the mean change from scipy (pingouin rounds its CI to 2 decimals)."""
    if constant:
        return {"ci_low": math.nan, "ci_high": math.nan}
    ci = sps.ttest_rel(after, before, alternative=alternative).confidence_interval(1 - alpha)
    return {"ci_low": float(ci.low), "ci_high": float(ci.high)}


def _paired_t(
    after: np.ndarray, before: np.ndarray, alternative: str, constant: bool
) -> dict[str, object]:
    if constant:
        return {
            "test": "paired t",
            "statistic": math.nan,
            "df": len(after) - 1,
            "p_value": math.nan,
        }
    res = pg.ttest(after, before, paired=True, alternative=alternative)
    return {
        "test": "paired t",
        "statistic": float(res.at["T_test", "T"]),
        "df": int(res.at["T_test", "dof"]),
        "p_value": float(res.at["T_test", "p_val"]),
    }


def _signed_rank(
    after: np.ndarray, before: np.ndarray, alternative: str, notes: list[str]
) -> dict[str, object]:
    change = after - before
    nonzero = change[change != 0]
    out: dict[str, object] = {"test": "Wilcoxon signed-rank"}
    if len(nonzero) == 0:
        notes.append("all differences are zero: the signed-rank test is undefined (NaN)")
        return {**out, "statistic": math.nan, "p_value": math.nan}
    # V = sum of the ranks of |d| over the positive differences (R's wilcox.test statistic;
    # scipy reports min(V+, V-) for two-sided tests, so V is computed here).
    ranks = sps.rankdata(np.abs(nonzero))
    v = float(ranks[nonzero > 0].sum())
    res = pg.wilcoxon(after, before, alternative=alternative)
    notes.append(
        "statistic is V, the sum of the ranks of the positive differences (post - pre), as R "
        "reports it"
    )
    zeros, ties = len(change) - len(nonzero), len(np.unique(np.abs(nonzero))) < len(nonzero)
    if zeros:
        notes.append(f"{zeros} zero difference{'s' if zeros > 1 else ''} dropped from the ranking")
    notes.append(f"p-value: {_signed_rank_method(len(nonzero), zeros > 0 or ties)}")
    return {**out, "statistic": v, "p_value": float(res.at["Wilcoxon", "p_val"])}


def _signed_rank_method(n_nonzero: int, ties_or_zeros: bool) -> str:
    """Which null distribution scipy's method='auto' used (see scipy.stats.wilcoxon Notes)."""
    if not ties_or_zeros and n_nonzero <= 50:
        return "exact"
    if ties_or_zeros and n_nonzero <= 13:
        return "exact permutation distribution (ties or zeros present)"
    return "normal approximation with continuity correction"


def _paired_effect_sizes(after: np.ndarray, before: np.ndarray, constant: bool) -> dict:
    no_score_spread = _no_spread(after) and _no_spread(before)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        d_z = math.nan if constant else pg.compute_effsize(after, before, True, "cohen_dz")
        d_av = math.nan if no_score_spread else pg.compute_effsize(after, before, True, "cohen")
        g = math.nan if no_score_spread else pg.compute_effsize(after, before, True, "hedges")
    return {"d_z": float(d_z), "d_av": float(d_av), "hedges_g": float(g)}


def _paired_reading(row: dict, pre: str, post: str, method: str, alpha: float) -> str:
    change = float(row["mean_change"])
    if math.isnan(float(row["ci_low"])):
        tested = (
            "" if math.isnan(float(row["p_value"])) else f" (Wilcoxon {format_p(row['p_value'])})"
        )
        return (
            f"From {pre} to {post} every one of the {row['n']} people changed by the same "
            f"amount ({change:.2f}){tested}, so no confidence interval or d_z can be computed."
        )
    direction = "rose" if change > 0 else "fell" if change < 0 else "did not change"
    ci = _ci_phrase(float(row["ci_low"]), float(row["ci_high"]), alpha, flip=change < 0)
    if method == "t":
        test = f"t({row['df']}) = {row['statistic']:.2f}, {format_p(row['p_value'])}"
    else:
        test = f"Wilcoxon V = {row['statistic']:.0f}, {format_p(row['p_value'])}"
    amount = f" by {abs(change):.2f} points on average" if change else " on average"
    return (
        f"From {pre} to {post}, scores {direction}{amount} ({ci}; {test}); "
        f"standardized change d_z = {row['d_z']:.2f} (d_av = {row['d_av']:.2f})."
    )


# --------------------------------------------------------------------------- McNemar


def mcnemar(data: pd.DataFrame, pre: str, post: str, *, exact: bool | None = None) -> StatsResult:
    """McNemar's test for a yes/no outcome measured before and after in the same people.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide data, one row per person.
    pre, post : str
        0/1 or True/False columns.  Rows missing either are dropped (count in ``notes``).
    exact : bool, optional
        True: exact binomial test on the discordant pairs; False: chi-squared with
        continuity correction (R's ``mcnemar.test`` default).  None (default): exact when
        fewer than 25 people changed, chi-squared otherwise.

    Returns
    -------
    StatsResult
        One row with the 2x2 counts ``n_00``, ``n_01`` (0 before, 1 after), ``n_10``,
        ``n_11``, the shares ``prop_pre`` and ``prop_post`` with value 1, ``test``,
        ``statistic`` (chi-squared, or the smaller discordant count for the exact test),
        ``df`` (1, NaN for the exact test), ``p_value``, and the conditional odds ratio
        ``odds_ratio`` = n_01 / n_10 with an exact ``ci_low``/``ci_high`` (Clopper-Pearson
        interval for n_01 / (n_01 + n_10) transformed to the odds scale).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"pre": [0] * 10 + [1] * 10, "post": [1] * 8 + [0] * 2 + [1] * 10})
    >>> res = mcnemar(d, "pre", "post")
    >>> res["test"].iloc[0], round(float(res["p_value"].iloc[0]), 4)
    ('exact binomial', 0.0078)
    """
    require_columns(data, pre, post)
    complete, notes = drop_missing(data, [pre, post])
    before, after = binary(complete, pre), binary(complete, post)
    n = len(before)
    require_n(n, f"McNemar test of '{pre}' and '{post}'")
    counts = pd.crosstab(before, after).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    table = counts.to_numpy()
    n01, n10 = int(table[0, 1]), int(table[1, 0])
    use_exact = (n01 + n10) < EXACT_DISCORDANT_LIMIT if exact is None else bool(exact)
    row: dict[str, object] = {
        "n": n,
        "n_00": int(table[0, 0]),
        "n_01": n01,
        "n_10": n10,
        "n_11": int(table[1, 1]),
        "prop_pre": before.mean(),
        "prop_post": after.mean(),
        "test": "exact binomial" if use_exact else "chi-squared, continuity corrected",
    }
    row.update(_mcnemar_test(table, use_exact, notes))
    row.update(_discordant_odds_ratio(n01, n10))
    if exact is None:
        notes.append(
            f"{n01 + n10} discordant pairs: "
            + (
                f"exact binomial test (fewer than {EXACT_DISCORDANT_LIMIT})"
                if use_exact
                else "chi-squared test with continuity correction"
            )
        )
    table_out = pd.DataFrame([row], index=pd.Index([f"{pre} -> {post}"], name="change"))
    return make_result(
        table_out,
        title=f"McNemar test: {post} vs {pre}",
        notes=notes,
        reading=_mcnemar_reading(row, use_exact),
    )


def _mcnemar_test(table: np.ndarray, use_exact: bool, notes: list[str]) -> dict[str, float]:
    if table[0, 1] + table[1, 0] == 0:
        notes.append("nobody changed (no discordant pairs): the test is undefined (NaN)")
        return {"statistic": math.nan, "df": math.nan, "p_value": math.nan}
    res = sm_mcnemar(table, exact=use_exact, correction=True)
    return {
        "statistic": float(res.statistic),
        "df": math.nan if use_exact else 1.0,
        "p_value": float(res.pvalue),
    }


def _discordant_odds_ratio(n01: int, n10: int) -> dict[str, float]:
    """Conditional OR n01/n10 and its exact CI via the binomial share n01 / (n01 + n10)."""
    if n01 + n10 == 0:
        return {"odds_ratio": math.nan, "ci_low": math.nan, "ci_high": math.nan}
    low, high = proportion_confint(n01, n01 + n10, alpha=0.05, method="beta")

    def odds(p: float) -> float:
        return math.inf if p >= 1 else p / (1 - p)

    ratio = math.inf if n10 == 0 else n01 / n10
    return {"odds_ratio": ratio, "ci_low": odds(float(low)), "ci_high": odds(float(high))}


def _mcnemar_reading(row: dict, use_exact: bool) -> str:
    shares = f"{row['prop_pre']:.0%} before and {row['prop_post']:.0%} after"
    if math.isnan(row["p_value"]):
        return f"Nobody changed between the two measurements ({shares} had the outcome)."
    if use_exact:
        test = f"exact McNemar test {format_p(row['p_value'])}"
    else:
        test = f"McNemar χ²(1) = {row['statistic']:.2f}, {format_p(row['p_value'])}"
    return (
        f"The share with the outcome went from {shares}: {row['n_01']} people gained it and "
        f"{row['n_10']} lost it ({test})."
    )


# --------------------------------------------------------------------------- attrition


def attrition(data: pd.DataFrame, completed: str, baseline: Sequence[str]) -> StatsResult:
    """Compare people who completed the follow-up with those who did not, at baseline.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person who started.
    completed : str
        0/1 or True/False column, e.g. ``data["confidence_post"].notna()`` stored as a column.
    baseline : list of str
        Baseline columns.  Numeric ones are compared with Welch's t-test (pingouin),
        others (text, category, bool) with a chi-squared test of independence (scipy,
        Yates-corrected for 2x2 tables).  Missing values are dropped per variable with a
        count in ``notes``.

    Returns
    -------
    StatsResult
        One row per baseline variable (index ``variable``): ``kind``, ``n_completers``,
        ``n_non_completers``, text summaries ``completers`` and ``non_completers`` (mean (SD)
        or level shares), ``mean_completers`` and ``mean_non_completers`` (numeric only),
        ``test``, ``statistic``, ``df``, ``p_value`` and ``smd``.

    Notes
    -----
    ``smd`` is the standardized difference used for balance checks (Austin 2009): for a
    numeric variable (mean_non_completers - mean_completers) / sqrt((SD_c^2 + SD_nc^2) / 2),
    so a negative value means non-completers scored lower; for a categorical variable the
    multi-category version of Yang & Dalton (2012), sqrt((p_nc - p_c)' S^-1 (p_nc - p_c))
    over the level shares with S the average of the two multinomial covariance matrices,
    which is unsigned.  Values above about 0.1 are usually read as a meaningful imbalance,
    whatever the p-value.  The t statistic is likewise non-completers minus completers.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"done": [1, 1, 1, 1, 0, 0, 0, 1],
    ...                   "conf": [4.0, 3.5, 4.5, 4.0, 3.0, 2.5, 3.5, 3.0]})
    >>> res = attrition(d, "done", ["conf"])
    >>> int(res.loc["conf", "n_non_completers"]), round(float(res.loc["conf", "smd"]), 2)
    (3, -1.49)
    """
    if isinstance(baseline, str):
        baseline = [baseline]
    require_columns(data, completed, list(baseline))
    if completed in baseline:
        raise InputError(f"'{completed}' cannot be both the completion flag and a baseline column")
    usable, notes = drop_missing(data, [completed])
    done = binary(usable, completed).astype(bool)
    n, n_missing = len(done), int((~done).sum())
    require_n(n, f"attrition analysis of '{completed}'")
    if n_missing == 0 or n_missing == n:
        notes.append("everyone completed" if n_missing == 0 else "nobody completed")
    rows = {name: _attrition_row(usable, done, name, notes) for name in baseline}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "variable"
    notes.insert(0, f"attrition: {n_missing} of {n} ({n_missing / n:.0%}) did not complete")
    return make_result(
        table,
        title=f"Attrition: completers vs non-completers ({completed})",
        notes=notes,
        reading=_attrition_reading(table, n_missing, n),
    )


def _attrition_row(data: pd.DataFrame, done: pd.Series, name: str, notes: list[str]) -> dict:
    present = data[name].notna()
    if not present.all():
        notes.append(f"{int((~present).sum())} missing value(s) of '{name}' left out of its row")
    values, flag = data.loc[present, name], done[present]
    is_numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    row = {
        "kind": "numeric" if is_numeric else "categorical",
        "n_completers": int(flag.sum()),
        "n_non_completers": int((~flag).sum()),
    }
    if is_numeric:
        row.update(_compare_numeric(values.astype(float), flag, name, notes))
    else:
        row.update(_compare_categorical(values.astype(str), flag, name, notes))
    return row


def _compare_numeric(values: pd.Series, done: pd.Series, name: str, notes: list[str]) -> dict:
    comp, non = values[done].to_numpy(), values[~done].to_numpy()
    out = {
        "completers": _mean_sd(comp),
        "non_completers": _mean_sd(non),
        "mean_completers": comp.mean() if len(comp) else math.nan,
        "mean_non_completers": non.mean() if len(non) else math.nan,
        "test": "Welch t",
        "statistic": math.nan,
        "df": math.nan,
        "p_value": math.nan,
        "smd": math.nan,
    }
    if len(comp) < 2 or len(non) < 2:
        notes.append(f"'{name}': fewer than 2 people in a group, not tested")
        return out
    pooled = math.sqrt((comp.var(ddof=1) + non.var(ddof=1)) / 2)
    if pooled == 0:
        notes.append(f"'{name}': no variation in either group, not tested")
        return out
    # Standardized difference for balance checks (Austin 2009, eq. 1).
    out["smd"] = (non.mean() - comp.mean()) / pooled
    res = pg.ttest(non, comp, correction=True)
    out.update(
        statistic=float(res.at["T_test", "T"]),
        df=float(res.at["T_test", "dof"]),
        p_value=float(res.at["T_test", "p_val"]),
    )
    return out


def _mean_sd(x: np.ndarray) -> str:
    if len(x) == 0:
        return "none"
    return f"{x.mean():.2f} ({x.std(ddof=1):.2f})" if len(x) > 1 else f"{x.mean():.2f}"


def _compare_categorical(values: pd.Series, done: pd.Series, name: str, notes: list[str]) -> dict:
    counts = pd.crosstab(values, done).reindex(columns=[True, False], fill_value=0)
    shares = counts / counts.sum().replace(0, np.nan)
    out = {
        "completers": _level_shares(shares[True]),
        "non_completers": _level_shares(shares[False]),
        "mean_completers": math.nan,
        "mean_non_completers": math.nan,
        "test": "chi-squared",
        "statistic": math.nan,
        "df": math.nan,
        "p_value": math.nan,
        "smd": math.nan,
    }
    if len(counts) < 2 or (counts.sum() == 0).any():
        notes.append(f"'{name}': needs two groups and at least two levels, not tested")
        return out
    res = sps.chi2_contingency(counts.to_numpy())
    out.update(
        statistic=float(res.statistic),
        df=float(res.dof),
        p_value=float(res.pvalue),
        smd=_categorical_smd(shares[True].to_numpy(), shares[False].to_numpy()),
    )
    return out


def _level_shares(shares: pd.Series) -> str:
    if shares.isna().all():
        return "none"
    return ", ".join(f"{level} {share:.0%}" for level, share in shares.items())


def _categorical_smd(p_c: np.ndarray, p_nc: np.ndarray) -> float:
    """Multi-category standardized difference (Yang & Dalton 2012, SAS Global Forum 335)."""
    # Drop one level: the shares sum to 1, so the full covariance matrix is singular.
    t, c = p_nc[1:], p_c[1:]
    cov = (np.diag(t) - np.outer(t, t) + np.diag(c) - np.outer(c, c)) / 2
    diff = t - c
    return float(np.sqrt(max(diff @ np.linalg.pinv(cov) @ diff, 0.0)))


def _attrition_reading(table: pd.DataFrame, n_missing: int, n: int) -> str:
    lead = f"{n_missing} of {n} participants ({n_missing / n:.0%}) did not complete the follow-up"
    tested = table.dropna(subset=["p_value"])
    if tested.empty:
        return lead + "; baseline differences could not be tested."
    worst = tested["p_value"].idxmin()
    best = tested.loc[worst]
    if best["p_value"] >= 0.05:
        names = ", ".join(map(str, tested.index))
        return (
            lead + f"; completers and non-completers did not differ significantly on {names}, "
            "which does not rule out differences on anything not measured."
        )
    if best["kind"] == "numeric":
        word = "lower" if best["mean_non_completers"] < best["mean_completers"] else "higher"
        detail = (
            f"non-completers had {word} baseline {worst} ({best['mean_non_completers']:.2f} vs "
            f"{best['mean_completers']:.2f}, {format_p(best['p_value'])})"
        )
    else:
        detail = f"non-completers differed in {worst} ({format_p(best['p_value'])})"
    return (
        f"{lead}; {detail}, so the pre/post change among completers may not represent "
        "everyone who started."
    )


def attrition_bounds(
    data: pd.DataFrame, pre: str, post: str, *, scale: tuple[float, float] | None = None
) -> StatsResult:
    """How far could the people without a ``post`` score move the mean change?

    A simple, assumption-explicit sensitivity analysis for people who have ``pre`` but not
    ``post``.  The mean change over everyone who started is recomputed under four
    assumptions about the non-completers' change:

    * ``completers only``: ignore them (the usual complete-case analysis);
    * ``no change``: they did not change (baseline observation carried forward);
    * ``lower bound`` / ``upper bound``: without ``scale``, each changed as much as the
      worst / best completer did (the observed range of change); with ``scale=(low,
      high)``, each ended at the bottom / top of the scale (worst-/best-case bounds in the
      spirit of Manski; wide, but they need no assumption at all about non-completers).

    Parameters
    ----------
    data : pandas.DataFrame
        Wide data, one row per person who started.
    pre, post : str
        Numeric columns.  A missing ``post`` marks a non-completer; rows missing ``pre``
        are dropped (count in ``notes``).
    scale : (float, float), optional
        Lowest and highest possible score of the outcome, e.g. ``(1, 5)``.

    Returns
    -------
    StatsResult
        Index ``scenario``; columns ``n`` (people averaged over), ``n_imputed``,
        ``assumption`` and ``mean_change``.  No confidence intervals: the imputed
        scenarios are bounds, not estimates with sampling error.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"pre": [3.0, 3.0, 2.0, 4.0], "post": [4.0, 3.5, 3.0, None]})
    >>> res = attrition_bounds(d, "pre", "post", scale=(1, 5))
    >>> [round(float(v), 3) for v in res["mean_change"]]
    [0.833, 0.625, -0.125, 0.875]
    """
    require_columns(data, pre, post)
    started, notes = drop_missing(data, [pre])
    before = numeric(started, pre).to_numpy()
    after = numeric(started, post).to_numpy()
    done = ~np.isnan(after)
    change = after[done] - before[done]
    require_n(len(change), f"attrition bounds for '{post}' (people with both scores)")
    missing_pre = before[~done]
    if scale is not None:
        low, high = _check_scale(scale, np.concatenate([before, after[done]]))
        lower, upper = low - missing_pre, high - missing_pre
        lower_text = f"ended at the scale minimum {low:g}"
        upper_text = f"ended at the scale maximum {high:g}"
    else:
        lower = np.full(len(missing_pre), change.min())
        upper = np.full(len(missing_pre), change.max())
        lower_text = f"changed like the worst completer ({change.min():.2f})"
        upper_text = f"changed like the best completer ({change.max():.2f})"
    k = len(missing_pre)
    scenarios = {
        "completers only": (len(change), 0, "left out", change.mean()),
        "no change": (len(before), k, "no change", np.concatenate([change, np.zeros(k)]).mean()),
        "lower bound": (len(before), k, lower_text, np.concatenate([change, lower]).mean()),
        "upper bound": (len(before), k, upper_text, np.concatenate([change, upper]).mean()),
    }
    table = pd.DataFrame.from_dict(
        scenarios, orient="index", columns=["n", "n_imputed", "assumption", "mean_change"]
    )
    table.index.name = "scenario"
    return make_result(
        table,
        title=f"Attrition sensitivity: mean change {post} - {pre}",
        notes=notes,
        reading=_bounds_reading(table, k, scale),
    )


def _check_scale(scale: tuple[float, float], observed: np.ndarray) -> tuple[float, float]:
    low, high = (float(v) for v in scale)
    if not low < high:
        raise InputError(f"scale must be (lowest, highest) with lowest < highest, got {scale}")
    if observed.min() < low or observed.max() > high:
        raise InputError(f"observed scores lie outside the scale {scale}")
    return low, high


def _bounds_reading(table: pd.DataFrame, k: int, scale: tuple[float, float] | None) -> str:
    m = table["mean_change"]
    n_c = int(table.at["completers only", "n"])
    if k == 0:
        return f"All {n_c} participants completed; the mean change is {m.iloc[0]:.2f}."
    cases = (
        f"if they all ended at the bottom or top of the {scale[0]:g}-{scale[1]:g} scale"
        if scale is not None
        else "if they changed like the worst or best completer"
    )
    who = "the non-completer" if k == 1 else f"the {k} non-completers"
    return (
        f"Among the {n_c} completers the mean change was {m['completers only']:.2f}; counting "
        f"{who} as unchanged gives {m['no change']:.2f}, and {cases} it would be between "
        f"{m['lower bound']:.2f} and {m['upper bound']:.2f}."
    )


# --------------------------------------------------------------------------- DiD


def did(
    data: pd.DataFrame,
    outcome: str,
    treated: str,
    post: str,
    *,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> StatsResult:
    """Difference in differences: OLS of ``outcome ~ treated * post``.

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per person and period.
    outcome : str
        Numeric outcome.
    treated, post : str
        0/1 (or True/False) columns: in the program group, in the later period.
    cluster : str, optional
        Column identifying clusters (usually the person, or the mentoring site).  Given,
        the standard errors are cluster-robust (statsmodels ``cov_type="cluster"``, CR1
        small-sample correction) with t tests on G - 1 degrees of freedom (Stata's
        convention); otherwise the classical OLS standard errors.
    alpha : float
        1 - confidence level.

    Returns
    -------
    StatsResult
        Coefficients indexed by ``term`` (``Intercept``, ``treated``, ``post`` and the
        interaction ``treated:post``, which is the DiD estimate) with ``coef``, ``se``,
        ``statistic``, ``p_value``, ``ci_low``, ``ci_high``.  ``fit_info`` holds n, the
        number of clusters, R², the covariance type and the four cell means; ``model`` the
        statsmodels results.

    Notes
    -----
    In this saturated 2x2 model the interaction equals (mean treated post - mean treated
    pre) - (mean control post - mean control pre) exactly.  It estimates the program's
    effect only under parallel trends: without the program both groups would have changed
    by the same amount.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1.0, 1.2, 2.0, 2.2, 1.0, 1.1, 3.0, 3.3],
    ...                   "treated": [0, 0, 0, 0, 1, 1, 1, 1],
    ...                   "post": [0, 0, 1, 1, 0, 0, 1, 1]})
    >>> res = did(d, "y", "treated", "post")
    >>> round(float(res.loc["treated:post", "coef"]), 3)
    1.1
    """
    check_alpha(alpha)
    require_columns(data, outcome, treated, post, cluster)
    if len({outcome, treated, post}) < 3:
        raise InputError("outcome, treated and post must be three different columns")
    complete, notes = drop_missing(data, [c for c in (outcome, treated, post, cluster) if c])
    y = numeric(complete, outcome)
    design = pd.DataFrame(
        {"Intercept": 1.0, treated: binary(complete, treated), post: binary(complete, post)}
    )
    design[f"{treated}:{post}"] = design[treated] * design[post]
    require_n(len(y), f"difference in differences of '{outcome}'", minimum=5)
    cells = y.groupby([design[treated], design[post]]).mean()
    if len(cells) < 4:
        raise InputError(
            f"difference in differences needs observations in all four cells of "
            f"'{treated}' x '{post}'; found only {', '.join(map(str, cells.index))}"
        )
    fit = _fit_did(y, design, complete, cluster, notes)
    table = _coef_table(fit, alpha)
    if table["se"].isna().any():
        notes.append(
            "standard errors of "
            + ", ".join(table.index[table["se"].isna()])
            + " are undefined (zero or negative sandwich variance): too little variation"
        )
    fit_info = {
        "n": int(fit.nobs),
        "n_clusters": int(complete[cluster].nunique()) if cluster else math.nan,
        "r_squared": float(fit.rsquared),
        "cov_type": "cluster-robust (CR1)" if cluster else "classical OLS",
        **{
            f"mean_{'treated' if t else 'control'}_{'post' if p else 'pre'}": float(m)
            for (t, p), m in cells.items()
        },
    }
    return make_result(
        table,
        title=f"Difference in differences: {outcome} ~ {treated} * {post}",
        notes=notes,
        reading=_did_reading(table.loc[f"{treated}:{post}"], fit, cluster, alpha),
        fit_info=pd.Series(fit_info, dtype=object),
        model=fit,
    )


def _fit_did(y, design, complete, cluster, notes):
    model = sm.OLS(y, design)
    if cluster is None:
        fit = model.fit()
    else:
        groups = pd.factorize(complete[cluster])[0]
        if len(np.unique(groups)) < 2:
            raise InputError(
                f"cluster column '{cluster}' needs at least 2 clusters", column=cluster
            )
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
    if fit.ssr <= 1e-24 * max(1.0, float((y**2).sum())):
        notes.append("the model fits the data exactly (no residual variance): SEs are 0 or NaN")
    return fit


def _coef_table(fit, alpha: float) -> pd.DataFrame:
    # A sandwich variance can be numerically zero or slightly negative (e.g. no variation
    # in the change within clusters); statsmodels then warns and returns NaN, noted by did().
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = fit.conf_int(alpha=alpha)
        table = pd.DataFrame(
            {
                "coef": fit.params,
                "se": fit.bse,
                "statistic": fit.tvalues,
                "p_value": fit.pvalues,
                "ci_low": ci[0],
                "ci_high": ci[1],
            }
        )
    table.index.name = "term"
    return table


def _did_reading(row: pd.Series, fit, cluster: str | None, alpha: float) -> str:
    df = round(fit.df_resid_inference if cluster else fit.df_resid)
    se = f"cluster-robust SEs by {cluster}" if cluster else "OLS SEs"
    more = "more" if row["coef"] >= 0 else "less"
    return (
        f"The program group's outcome changed by {abs(row['coef']):.2f} {more} than the "
        f"comparison group's (difference in differences; "
        f"{format_ci(row['ci_low'], row['ci_high'], level=1 - alpha)}; "
        f"t({df}) = {row['statistic']:.2f}, {format_p(row['p_value'])}; {se})."
    )
