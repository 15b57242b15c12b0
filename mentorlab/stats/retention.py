"""Retention and completion: binary-event shares, Kaplan–Meier tables, log-rank tests and models.

Functions
---------
:func:`proportions`
    Share of a binary event (completion, early closure ...) per group with Wilson intervals,
    an overall test of equal proportions and risk differences against the first group.
:func:`km_table`
    Kaplan–Meier median time to event (with confidence interval) per group.
:func:`logrank`
    Log-rank test of equal survival curves across groups.
:func:`cox`
    Cox proportional-hazards model (Efron ties), optionally with cluster-robust SEs.
:func:`logistic`
    Logistic regression from a formula, optionally with cluster-robust SEs.

Conventions shared by all five functions:

- An event column must be coded 0/1 (1 = the event happened) or boolean; anything else
  (for example R's ``survival::lung`` coding 1 = censored, 2 = dead) raises
  :class:`~mentorlab.errors.InputError` naming the column, rather than being guessed at.
- Groups are taken in sorted order, or in category order for a pandas ``Categorical``
  column; the first one is the reference.  Make the column categorical to choose it.
- Rows with missing values in the columns used are dropped and the count is reported in
  ``notes``; fewer than 3 complete rows raise :class:`~mentorlab.errors.InputError`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.exceptions import ConvergenceError
from lifelines.statistics import logrank_test, multivariate_logrank_test
from lifelines.utils import median_survival_times
from scipy import stats
from scipy.stats.contingency import association, expected_freq
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
)
from statsmodels.stats.proportion import (
    test_proportions_2indep as _score_test_2indep,
)

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

try:  # statsmodels' default formula engine; its parse errors are not ValueErrors
    from patsy import PatsyError as _FormulaError
except ImportError:  # pragma: no cover - statsmodels can also run on formulaic
    _FormulaError = ValueError  # type: ignore[assignment,misc]

__all__ = ["cox", "km_table", "logistic", "logrank", "proportions"]

#: Fisher's exact test replaces Pearson's χ² (2 groups) when an expected count is below this.
MIN_EXPECTED = 5

LOGLOG_NOTE = (
    "Confidence intervals for the median come from lifelines, which uses the log(-log) "
    "transform of the survival function; R's survfit defaults to the log transform, so "
    "interval limits can differ slightly across tools (the medians agree)."
)


# --------------------------------------------------------------------------- input helpers


def _complete(
    data: pd.DataFrame, columns: Sequence[str | None], what: str
) -> tuple[pd.DataFrame, list[str]]:
    """Rows complete on ``columns`` (None entries skipped), the drop note, n >= 3 checked."""
    names = require_columns(data, *columns)
    if len(set(names)) != len(names):
        raise InputError(f"{what}: each column may be used only once, got {names}")
    df, notes = drop_missing(data, names)
    require_n(len(df), what)
    return df, notes


def _durations(data: pd.DataFrame, column: str) -> pd.Series:
    """Durations as floats; InputError naming the column when negative or not finite."""
    values = numeric(data, column)
    if (values < 0).any() or not np.isfinite(values).all():
        raise InputError(
            f"column '{column}' must hold finite, non-negative durations", column=column
        )
    return values


def _levels(values: pd.Series, column: str, what: str) -> list[Any]:
    """Group levels in category order (Categorical) or sorted order; at least two."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = set(values.unique())
        levels = [c for c in values.cat.categories if c in present]
    else:
        levels = list(pd.unique(values))
        try:
            levels = sorted(levels)
        except TypeError:  # mixed types: keep order of first appearance
            pass
    if len(levels) < 2:
        raise InputError(
            f"{what}: column '{column}' needs at least 2 groups, got {len(levels)}", column=column
        )
    return levels


def _pct(share: float) -> str:
    return f"{100 * share:.1f}%"


# ---------------------------------------------------------------------------- proportions


def _overall_test(counts: np.ndarray) -> tuple[dict[str, Any], list[str]]:
    """Pearson χ² (no continuity correction) or, with 2 groups and small counts, Fisher."""
    info: dict[str, Any] = {
        "test": "none",
        "statistic": np.nan,
        "df": np.nan,
        "p_value": np.nan,
        "cramers_v": np.nan,
        "odds_ratio": np.nan,
        "min_expected": np.nan,
    }
    if counts[:, 0].sum() == 0 or counts[:, 1].sum() == 0:
        # One outcome column is empty: all shares are 0 (or 1), nothing to test.
        return info, ["every row has the same event value, so equal proportions cannot be tested"]
    expected = expected_freq(counts)
    info["min_expected"] = float(expected.min())
    notes = []
    if len(counts) == 2 and expected.min() < MIN_EXPECTED:
        # Second group's odds over the reference's, the direction of the risk difference.
        odds_ratio, p_value = stats.fisher_exact(counts[::-1])
        info.update(test="fisher_exact", odds_ratio=float(odds_ratio), p_value=float(p_value))
        notes.append(
            f"Fisher's exact test was used because an expected count was below {MIN_EXPECTED} "
            f"(smallest {expected.min():.2f}); its statistic is the sample odds ratio "
            "(in 'odds_ratio'), so 'statistic' and 'df' are NaN."
        )
        return info, notes
    chi2 = stats.chi2_contingency(counts, correction=False)
    info.update(
        test="chi2",
        statistic=float(chi2.statistic),
        df=int(chi2.dof),
        p_value=float(chi2.pvalue),
        cramers_v=float(association(counts, method="cramer")),
    )
    notes.append("Pearson's χ² test of equal proportions, without continuity correction.")
    if expected.min() < MIN_EXPECTED:
        notes.append(
            f"an expected count is below {MIN_EXPECTED} (smallest {expected.min():.2f}); "
            "the χ² approximation may be poor and Fisher's exact test is only used for 2 groups."
        )
    return info, notes


def _risk_difference(
    count: int, n: int, ref_count: int, ref_n: int, alpha: float
) -> tuple[float, float, float, float]:
    """Difference in shares (group − reference), Newcombe hybrid score CI and score-test p."""
    low, high = confint_proportions_2indep(
        count, n, ref_count, ref_n, method="newcomb", compare="diff", alpha=alpha
    )
    pooled = count + ref_count
    p_value = np.nan
    if 0 < pooled < n + ref_n:  # the pooled variance is zero otherwise
        # Score test without the n/(n-1) correction: the pooled z test, whose square is
        # Pearson's χ² for the 2x2 table (R's prop.test(correct = FALSE)).
        p_value = _score_test_2indep(
            count, n, ref_count, ref_n, method="score", compare="diff", correction=False
        ).pvalue
    return count / n - ref_count / ref_n, float(low), float(high), float(p_value)


def proportions(data: pd.DataFrame, event: str, group: str, *, alpha: float = 0.05) -> StatsResult:
    """Share of a binary event per group, a test of equal shares and risk differences.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    event : str
        Column coded 0/1 or boolean (1 / True = the event, e.g. completed the program).
    group : str
        Grouping column.  The first group (sorted, or category order for a Categorical)
        is the reference for the risk differences.
    alpha : float, default 0.05
        1 − confidence level of the intervals.

    Returns
    -------
    StatsResult
        One row per group (index ``group``) with ``n``, ``events``, ``share``, Wilson
        ``ci_low``/``ci_high``, ``risk_difference`` (share − reference share) with the
        Newcombe hybrid-score interval ``rd_ci_low``/``rd_ci_high`` and ``rd_p_value``
        (score test without continuity correction, equal to Pearson's χ² for two groups);
        NaN in the reference row.  The overall test of equal proportions is in ``fit_info``:
        ``test`` (``"chi2"``, ``"fisher_exact"`` or ``"none"``), ``statistic``, ``df``,
        ``p_value``, ``cramers_v`` (χ² only), ``odds_ratio`` (Fisher only: the second
        group's odds of the event over the reference group's),
        ``min_expected``, ``n``, ``events``, ``reference``.

    Notes
    -----
    Pearson's χ² without continuity correction is used, except that Fisher's exact test
    replaces it when there are 2 groups and an expected count is below 5.  When every row
    has the same event value nothing can be tested: the test fields are NaN, with a note.
    ``rd_p_value`` is always the score test, so when Fisher's test is used overall the two
    p values can differ.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"arm": ["a"] * 50 + ["b"] * 50,
    ...                    "completed": [1] * 15 + [0] * 35 + [1] * 25 + [0] * 25})
    >>> res = proportions(df, "completed", "arm")
    >>> res.fit_info["test"], round(float(res.fit_info["statistic"]), 4)
    ('chi2', 4.1667)
    >>> round(float(res.loc["b", "risk_difference"]), 2)
    0.2
    """
    check_alpha(alpha)
    df, notes = _complete(data, [event, group], "proportions")
    events = binary(df, event)
    levels = _levels(df[group], group, "proportions")
    counts = np.array(
        [[int(events[df[group] == g].sum()), int((df[group] == g).sum())] for g in levels]
    )
    counts[:, 1] -= counts[:, 0]  # columns: events, non-events
    info, test_notes = _overall_test(counts)
    rows = [_proportion_row(counts[i], counts[0], i == 0, alpha) for i in range(len(levels))]
    table = pd.DataFrame(rows, index=pd.Index(levels, name="group"))
    for g in table.index[table["events"] == 0]:
        notes.append(f"group {g!r} has no events; its Wilson interval is still valid")
    info.update(n=len(df), events=int(counts[:, 0].sum()), reference=levels[0])
    return make_result(
        table,
        title=f"Proportion of '{event}' by '{group}'",
        notes=[*notes, *test_notes],
        reading=_proportions_reading(table, info, event, group),
        fit_info=info,
    )


def _proportion_row(cells: np.ndarray, ref: np.ndarray, is_ref: bool, alpha: float) -> dict:
    count, n = int(cells[0]), int(cells.sum())
    low, high = proportion_confint(count, n, alpha=alpha, method="wilson")
    row = {"n": n, "events": count, "share": count / n, "ci_low": low, "ci_high": high}
    rd = (np.nan,) * 4
    if not is_ref:
        rd = _risk_difference(count, n, int(ref[0]), int(ref.sum()), alpha)
    row.update(zip(("risk_difference", "rd_ci_low", "rd_ci_high", "rd_p_value"), rd, strict=True))
    return row


def _test_phrase(info: dict) -> str:
    if info["test"] == "chi2":
        return f"χ²({info['df']}) = {info['statistic']:.2f}, {format_p(info['p_value'])}"
    if info["test"] == "fisher_exact":
        return f"Fisher's exact test {format_p(info['p_value'])}"
    return "no test possible"


def _proportions_reading(table: pd.DataFrame, info: dict, event: str, group: str) -> str:
    shares = [f"{_pct(r.share)} for {group} = {g} (n = {int(r.n)})" for g, r in table.iterrows()]
    listed = ", ".join(shares[:-1]) + f" and {shares[-1]}"
    test = _test_phrase(info)
    if len(table) == 2:
        r = table.iloc[1]
        ci = format_ci(100 * r.rd_ci_low, 100 * r.rd_ci_high, digits=1)
        return (
            f"The share with {event} was {listed}, a difference of "
            f"{100 * r.risk_difference:.1f} percentage points ({ci}; {test})."
        )
    return f"The share with {event} was {listed} ({test})."


# ------------------------------------------------------------------------ Kaplan–Meier


def km_table(
    data: pd.DataFrame,
    duration: str,
    event: str,
    group: str | None = None,
    *,
    alpha: float = 0.05,
) -> StatsResult:
    """Kaplan–Meier median time to event, per group or overall.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    duration : str
        Time from start to the event or to censoring (non-negative numbers).
    event : str
        1 / True = the event was observed, 0 / False = censored.
    group : str, optional
        Grouping column; without it one row (``"all"``) describes everyone.
    alpha : float, default 0.05
        1 − confidence level of the interval for the median.

    Returns
    -------
    StatsResult
        Index ``group``; columns ``n``, ``events``, ``median`` and its ``ci_low``,
        ``ci_high``.  A median (or CI limit) that the survival curve never reaches is NaN,
        with a note.  The fitted ``KaplanMeierFitter`` objects are in ``model`` (a dict
        keyed by group).

    Notes
    -----
    lifelines' intervals use the log(-log) transform; R's ``survfit`` default is the log
    transform, so compare medians across tools, not interval limits.

    Examples
    --------
    >>> from lifelines.datasets import load_lung
    >>> res = km_table(load_lung(), "time", "status", "sex")
    >>> res["median"].tolist()
    [270.0, 426.0]
    """
    check_alpha(alpha)
    df, notes = _complete(data, [duration, event, group], "km_table")
    times, events = _durations(df, duration), binary(df, event)
    if group is None:
        labels = pd.Series("all", index=df.index)
        levels: list[Any] = ["all"]
    else:
        labels = df[group]
        levels = _levels(labels, group, "km_table")
    rows, fitters = [], {}
    for g in levels:
        mask = labels == g
        fitters[g] = KaplanMeierFitter(alpha=alpha).fit(times[mask], events[mask], label=str(g))
        rows.append(_km_row(fitters[g], int(mask.sum()), int(events[mask].sum())))
    table = pd.DataFrame(rows, index=pd.Index(levels, name="group"))
    notes += _km_notes(table)
    return make_result(
        table,
        title=f"Kaplan–Meier median {duration}" + (f" by '{group}'" if group else ""),
        notes=[*notes, LOGLOG_NOTE],
        reading=_km_reading(table, duration, group, alpha),
        model=fitters,
    )


def _km_row(kmf: KaplanMeierFitter, n: int, events: int) -> dict:
    ci = median_survival_times(kmf.confidence_interval_).iloc[0]
    finite = [float(x) if np.isfinite(x) else np.nan for x in (kmf.median_survival_time_, *ci)]
    return dict(
        zip(("n", "events", "median", "ci_low", "ci_high"), (n, events, *finite), strict=True)
    )


def _km_notes(table: pd.DataFrame) -> list[str]:
    notes = []
    for g, r in table.iterrows():
        if r.events == 0:
            notes.append(f"group {g!r} has no events; its median is not reached (NaN)")
        elif np.isnan(r["median"]):
            notes.append(
                f"group {g!r}: survival never drops below 50%, so the median is not reached (NaN)"
            )
        elif np.isnan(r.ci_high):
            notes.append(f"group {g!r}: the upper confidence limit of the median is not reached")
    return notes


def _km_reading(table: pd.DataFrame, duration: str, group: str | None, alpha: float) -> str:
    parts = []
    for g, r in table.iterrows():
        if np.isnan(r["median"]):
            text = "not reached"
        else:
            high = "not reached" if np.isnan(r.ci_high) else f"{r.ci_high:g}"
            low = "not available" if np.isnan(r.ci_low) else f"{r.ci_low:g}"
            text = f"{r['median']:g} ({round(100 * (1 - alpha))}% CI {low} to {high})"
        parts.append(text if group is None else f"{text} for {group} = {g}")
    return f"The median {duration} was " + "; ".join(parts) + "."


# ---------------------------------------------------------------------------- log-rank


def logrank(data: pd.DataFrame, duration: str, event: str, group: str) -> StatsResult:
    """Log-rank test that the survival curves of all groups are equal.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    duration : str
        Time to the event or to censoring.
    event : str
        1 / True = the event was observed, 0 / False = censored.
    group : str
        Grouping column with at least 2 groups.

    Returns
    -------
    StatsResult
        One row: ``test`` (``"logrank_test"`` for 2 groups, ``"multivariate_logrank_test"``
        for more), ``statistic`` (χ²), ``df``, ``p_value``, ``n``, ``events``, ``groups``.

    Examples
    --------
    >>> from lifelines.datasets import load_lung
    >>> res = logrank(load_lung(), "time", "status", "sex")
    >>> round(float(res["statistic"].iloc[0]), 4)
    10.3267
    """
    df, notes = _complete(data, [duration, event, group], "logrank")
    times, events = _durations(df, duration), binary(df, event)
    levels = _levels(df[group], group, "logrank")
    if len(levels) == 2:
        a, b = (df[group] == levels[0]), (df[group] == levels[1])
        res = logrank_test(times[a], times[b], events[a], events[b])
        name = "logrank_test"
    else:
        res = multivariate_logrank_test(times, df[group], events)
        name = "multivariate_logrank_test"
    if events.sum() == 0:
        notes.append("there are no events, so the curves cannot differ; the test is empty")
    table = pd.DataFrame(
        {
            "test": [name],
            "statistic": [float(res.test_statistic)],
            "df": [int(res.degrees_of_freedom)],
            "p_value": [float(res.p_value)],
            "n": [len(df)],
            "events": [int(events.sum())],
            "groups": [len(levels)],
        }
    )
    r = table.iloc[0]
    differed = "differed" if r.p_value < 0.05 else "did not differ significantly"
    reading = (
        f"Time to {event} ({duration}) {differed} between the {len(levels)} {group} groups "
        f"(log-rank χ²({r.df}) = {r.statistic:.2f}, {format_p(r.p_value)})."
    )
    return make_result(
        table,
        title=f"Log-rank test of {duration} by '{group}'",
        notes=notes,
        reading=reading,
        model=res,
    )


# ------------------------------------------------------------------------ term readings


def _term_subject(term: str, references: dict[str, tuple[str, Any, Any]]) -> tuple[str, bool]:
    """How to name a coefficient in a sentence, and whether it is a level contrast."""
    if term in references:
        column, level, ref = references[term]
        return f"{column} = {level} (vs {ref})", True
    match = re.fullmatch(r"(?:C\()?([^\[(),]+?)(?:,.*)?\)?\[T\.(.+)\]", term)
    if match:  # patsy's treatment contrast, e.g. "arm[T.b]" or "C(arm)[T.b]"
        return f"{match.group(1)} = {match.group(2)} (vs the reference level)", True
    return term, False


def _ratio_reading(
    table: pd.DataFrame,
    kind: str,
    outcome: str,
    alpha: float,
    references: dict[str, tuple[str, Any, Any]] | None = None,
) -> str:
    """Reading for the first non-intercept term of a hazard ("hazard") or odds ("odds") model."""
    terms = [t for t in table.index if t != "Intercept"]
    if not terms:
        return f"The model has no predictors; the table holds only the intercept for {outcome}."
    term = terms[0]
    r = table.loc[term]
    prefix = {"hazard": "hr", "odds": "or"}[kind]
    value, low, high = r[f"{kind}_ratio"], r[f"{prefix}_ci_low"], r[f"{prefix}_ci_high"]
    stats_text = f"({format_ci(low, high, level=1 - alpha)}, {format_p(r.p_value)})"
    subject, contrast = _term_subject(term, references or {})
    if contrast:
        return f"For {subject}, the {kind} ratio for {outcome} was {value:.2f} {stats_text}."
    return (
        f"Each one-unit increase in {subject} multiplied the {kind} of {outcome} "
        f"by {value:.2f} {stats_text}."
    )


# -------------------------------------------------------------------------------- Cox


def cox(
    data: pd.DataFrame,
    duration: str,
    event: str,
    covariates: Sequence[str],
    *,
    cluster: str | None = None,
    alpha: float = 0.05,
) -> StatsResult:
    """Cox proportional-hazards model (lifelines ``CoxPHFitter``, Efron ties).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    duration : str
        Time to the event or to censoring (non-negative numbers).
    event : str
        1 / True = the event was observed, 0 / False = censored.
    covariates : list of str
        Predictor columns.  Numeric and boolean columns enter as they are (one
        coefficient per unit); text and categorical columns are dummy-coded against their
        first level (sorted, or category order), giving terms named ``"column[T.level]"``.
    cluster : str, optional
        Column identifying clusters (e.g. mentor or site).  When given, standard errors
        are cluster-robust (sandwich) by this column; coefficients are unchanged.
    alpha : float, default 0.05
        1 − confidence level of the intervals.

    Returns
    -------
    StatsResult
        Coefficient table indexed by ``term``: ``coef`` (log hazard ratio), ``se``,
        ``statistic`` (z), ``p_value``, ``ci_low``, ``ci_high``, ``hazard_ratio``,
        ``hr_ci_low``, ``hr_ci_high``.  ``fit_info``: ``n``, ``events``,
        ``log_likelihood``, ``concordance``, ``ties`` ("efron"), ``cluster``,
        ``n_clusters``, and the (model-based) likelihood-ratio test ``lr_statistic``,
        ``lr_df``, ``lr_p_value``.  ``model`` is the fitted ``CoxPHFitter``.

    Notes
    -----
    A covariate without variance (after dropping missing rows) raises InputError naming
    it, as does a data set without events.  With tied event times lifelines computes the
    score residuals behind the robust SEs without the Efron correction, so robust SEs can
    differ slightly from other software when times are tied.

    Examples
    --------
    >>> from lifelines.datasets import load_lung
    >>> res = cox(load_lung(), "time", "status", ["sex"])
    >>> round(float(res.loc["sex", "coef"]), 4), round(float(res.loc["sex", "se"]), 4)
    (-0.531, 0.1672)
    """
    check_alpha(alpha)
    covariates = [covariates] if isinstance(covariates, str) else list(covariates)
    if not covariates:
        raise InputError("cox: give at least one covariate column")
    df, notes = _complete(data, [duration, event, *covariates, cluster], "cox")
    times, events = _durations(df, duration), binary(df, event)
    if events.sum() == 0:
        raise InputError(f"cox: column '{event}' has no events, so no hazard can be estimated")
    design, references, design_notes = _cox_design(df, covariates)
    frame = design.assign(**{duration: times, event: events})
    if cluster is not None:
        frame[cluster] = df[cluster]
    cph, fit_notes = _fit_cox(frame, duration, event, cluster, alpha)
    table = _cox_table(cph)
    info = _cox_info(cph, df, events, cluster)
    if cluster is not None:
        fit_notes.append(
            f"standard errors are cluster-robust (sandwich) by '{cluster}' "
            f"({info['n_clusters']} clusters); the likelihood-ratio test is not"
        )
    return make_result(
        table,
        title=f"Cox proportional-hazards model of {duration} until {event}",
        notes=[*notes, *design_notes, *fit_notes],
        reading=_ratio_reading(table, "hazard", event, alpha, references),
        fit_info=info,
        model=cph,
    )


def _cox_design(
    df: pd.DataFrame, covariates: list[str]
) -> tuple[pd.DataFrame, dict[str, tuple[str, Any, Any]], list[str]]:
    """Numeric design columns; text/categorical covariates as dummies against level one."""
    columns: dict[str, pd.Series] = {}
    references: dict[str, tuple[str, Any, Any]] = {}
    notes = []
    for col in covariates:
        values = df[col]
        if pd.api.types.is_numeric_dtype(values) and not isinstance(
            values.dtype, pd.CategoricalDtype
        ):
            if values.nunique() < 2:
                raise InputError(
                    f"cox: column '{col}' has no variance, so its effect cannot be estimated",
                    column=col,
                )
            columns[col] = values.astype(float)
            continue
        levels = _levels(values, col, "cox")
        for level in levels[1:]:
            term = f"{col}[T.{level}]"
            columns[term] = (values == level).astype(float)
            references[term] = (col, level, levels[0])
        notes.append(f"'{col}' is dummy-coded with reference level {levels[0]!r}")
    return pd.DataFrame(columns, index=df.index), references, notes


def _fit_cox(
    frame: pd.DataFrame, duration: str, event: str, cluster: str | None, alpha: float
) -> tuple[CoxPHFitter, list[str]]:
    cph = CoxPHFitter(alpha=alpha)  # Efron's method for ties is lifelines' only choice
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cph.fit(frame, duration_col=duration, event_col=event, cluster_col=cluster)
        except ConvergenceError as err:
            raise InputError(
                f"cox: the model did not converge ({str(err).split('.')[0]}); check for "
                "covariates that separate events perfectly or are collinear"
            ) from err
    notes = [
        f"lifelines: {' '.join(str(w.message).split())[:200]}"
        for w in caught
        if issubclass(w.category, UserWarning | RuntimeWarning)
    ]
    return cph, notes


def _cox_table(cph: CoxPHFitter) -> pd.DataFrame:
    summary, ci = cph.summary, cph.confidence_intervals_
    table = pd.DataFrame(
        {
            "coef": summary["coef"],
            "se": summary["se(coef)"],
            "statistic": summary["z"],
            "p_value": summary["p"],
            "ci_low": ci.iloc[:, 0],
            "ci_high": ci.iloc[:, 1],
        }
    )
    table["hazard_ratio"] = np.exp(table["coef"])
    table["hr_ci_low"] = np.exp(table["ci_low"])
    table["hr_ci_high"] = np.exp(table["ci_high"])
    table.index.name = "term"
    return table


def _cox_info(
    cph: CoxPHFitter, df: pd.DataFrame, events: pd.Series, cluster: str | None
) -> pd.Series:
    lr = cph.log_likelihood_ratio_test()
    return pd.Series(
        {
            "n": len(df),
            "events": int(events.sum()),
            "log_likelihood": float(cph.log_likelihood_),
            "concordance": float(cph.concordance_index_),
            "ties": "efron",
            "cluster": cluster,
            "n_clusters": df[cluster].nunique() if cluster is not None else np.nan,
            "lr_statistic": float(lr.test_statistic),
            "lr_df": int(lr.degrees_freedom),
            "lr_p_value": float(lr.p_value),
        },
        dtype=object,
    )


# --------------------------------------------------------------------------- logistic


def logistic(
    data: pd.DataFrame, formula: str, *, cluster: str | None = None, alpha: float = 0.05
) -> StatsResult:
    """Logistic regression from a formula (statsmodels ``smf.logit``).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per person.
    formula : str
        A patsy formula such as ``"completed ~ age + C(arm)"``.  The outcome must be 0/1
        (boolean columns are converted to 0/1).  Only the data's columns and ``np``
        (numpy) are in scope, so a name that is not a column raises InputError naming it.
    cluster : str, optional
        Column identifying clusters; standard errors are then cluster-robust
        (statsmodels ``cov_type="cluster"``, with its default small-sample correction).
    alpha : float, default 0.05
        1 − confidence level of the intervals.

    Returns
    -------
    StatsResult
        Coefficient table indexed by ``term``: ``coef`` (log odds), ``se``, ``statistic``
        (z), ``p_value``, ``ci_low``, ``ci_high``, ``odds_ratio``, ``or_ci_low``,
        ``or_ci_high``.  ``fit_info``: ``n``, ``log_likelihood``, ``pseudo_r2_mcfadden``,
        ``converged``, ``cov_type``, ``cluster``, ``n_clusters``, and the (model-based)
        likelihood-ratio test ``lr_statistic``, ``lr_df``, ``lr_p_value``.

    Notes
    -----
    statsmodels drops rows with missing values in the formula's variables; how many is
    reported in ``notes``.  Convergence and perfect-separation warnings become notes too.

    Examples
    --------
    >>> import statsmodels.api as sm
    >>> spector = sm.datasets.spector.load_pandas().data
    >>> res = logistic(spector, "GRADE ~ GPA + TUCE + PSI")
    >>> round(float(res.loc["GPA", "coef"]), 6)
    2.826113
    """
    check_alpha(alpha)
    if not isinstance(formula, str) or "~" not in formula:
        raise InputError(
            f"logistic: formula must look like 'outcome ~ predictors', got {formula!r}"
        )
    require_columns(data, cluster)
    notes: list[str] = []
    frame = data
    if cluster is not None:
        frame, notes = drop_missing(data, [cluster])
    # Positional index so the cluster labels can be matched to the rows statsmodels keeps.
    frame = frame.reset_index(drop=True)
    frame = frame.astype({c: int for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])})
    model = _logit_model(frame, formula)
    n = int(model.endog.shape[0])
    if n < len(frame):
        notes.append(
            f"{len(frame) - n} of {len(frame)} rows dropped for missing values in the "
            "formula's variables"
        )
    require_n(n, "logistic")
    fit_kwargs: dict[str, Any] = {}
    if cluster is not None:
        groups = pd.factorize(frame.loc[model.data.row_labels, cluster])[0]
        fit_kwargs = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    res, fit_notes = _fit_logit(model, formula, fit_kwargs)
    table = _logit_table(res, alpha)
    info = _logit_info(res, n, cluster)
    if cluster is not None:
        fit_notes.append(
            f"standard errors are cluster-robust by '{cluster}' ({info['n_clusters']} "
            "clusters); the likelihood-ratio test is not"
        )
    outcome = formula.split("~")[0].strip()
    return make_result(
        table,
        title=f"Logistic regression: {formula}",
        notes=[*notes, *fit_notes],
        reading=_ratio_reading(table, "odds", outcome, alpha),
        fit_info=info,
        model=res,
    )


def _logit_model(frame: pd.DataFrame, formula: str) -> Any:
    """Build the statsmodels model; formula and outcome problems become InputErrors."""
    try:
        return smf.logit(formula, frame, eval_env={"np": np})
    except (_FormulaError, ValueError) as err:
        unknown = re.search(r"name '([^']+)' is not defined", str(err))
        if unknown:
            name = unknown.group(1)
            raise InputError(
                f"logistic: '{name}' in the formula is not a column of the data "
                f"(available: {', '.join(map(str, frame.columns))})",
                column=name,
            ) from err
        message = " ".join(str(err).split())
        raise InputError(
            f"logistic: cannot build the model from {formula!r}: {message} "
            "(the outcome must be coded 0/1)"
        ) from err


def _fit_logit(model: Any, formula: str, fit_kwargs: dict[str, Any]) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = model.fit(disp=0, **fit_kwargs)
        except np.linalg.LinAlgError as err:
            raise InputError(
                f"logistic: the predictors in {formula!r} are constant or perfectly collinear"
            ) from err
        except ValueError as err:  # e.g. an outcome outside 0/1
            raise InputError(f"logistic: {err} (the outcome must be coded 0/1)") from err
    notes = [f"statsmodels: {' '.join(str(w.message).split())[:200]}" for w in caught]
    return res, notes


def _logit_table(res: Any, alpha: float) -> pd.DataFrame:
    ci = res.conf_int(alpha=alpha)
    table = pd.DataFrame(
        {
            "coef": res.params,
            "se": res.bse,
            "statistic": res.tvalues,
            "p_value": res.pvalues,
            "ci_low": ci.iloc[:, 0],
            "ci_high": ci.iloc[:, 1],
        }
    )
    table["odds_ratio"] = np.exp(table["coef"])
    table["or_ci_low"] = np.exp(table["ci_low"])
    table["or_ci_high"] = np.exp(table["ci_high"])
    table.index.name = "term"
    return table


def _logit_info(res: Any, n: int, cluster: str | None) -> pd.Series:
    groups = res.cov_kwds.get("groups") if cluster is not None else None
    return pd.Series(
        {
            "n": n,
            "log_likelihood": float(res.llf),
            "pseudo_r2_mcfadden": float(res.prsquared),
            "converged": bool(res.mle_retvals.get("converged", False)),
            "cov_type": res.cov_type,
            "cluster": cluster,
            "n_clusters": len(np.unique(groups)) if groups is not None else np.nan,
            "lr_statistic": float(res.llr),
            "lr_df": int(res.df_model),
            "lr_p_value": float(res.llr_pvalue),
        },
        dtype=object,
    )
