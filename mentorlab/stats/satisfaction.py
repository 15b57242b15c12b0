"""Satisfaction outcomes: group comparisons, post-hoc tests, clustered and ordinal models.

Mentee satisfaction is usually a score compared across program arms or mentors, a
Likert rating (ordinal), a multi-item scale (reliability) or a measure of mentees nested
within mentors (mixed models and the intraclass correlation).  Every function takes a
DataFrame and column names and returns a :class:`~mentorlab.stats._core.StatsResult`;
the computations are pingouin's, statsmodels' and scipy's.  Dunn's test is written
here because none of those libraries provides it.

Edge-case policy: an outcome with the same value in every row has nothing to compare
or model, so it raises :class:`~mentorlab.errors.InputError` (naming the column) rather
than returning NaN statistics.  Rows with missing values in the columns used are
dropped and the count is reported in ``notes``.
"""

from __future__ import annotations

import ast
import io
import itertools
import keyword
import tokenize
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
import pingouin as pg
import statsmodels.formula.api as smf
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
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

__all__ = ["compare_groups", "icc", "mixed_model", "ordinal", "posthoc", "reliability"]

COMPARE_METHODS = ("welch", "anova", "kruskal")
POSTHOC_METHODS = ("games-howell", "tukey", "dunn")


# ----------------------------------------------------------------------------- helpers


def _choice(value: object, choices: Sequence[str], name: str) -> str:
    """``value`` lower-cased if it is one of ``choices``; InputError listing them if not."""
    if isinstance(value, str) and value.lower() in choices:
        return value.lower()
    raise InputError(f"{name} must be one of {', '.join(repr(c) for c in choices)}; got {value!r}")


def _require_variation(values: pd.Series, column: str) -> None:
    if values.nunique() < 2:
        raise InputError(
            f"column '{column}' has the same value in every complete row; "
            "there is no variation to analyse",
            column=column,
        )


def _grouped(data: pd.DataFrame, dv: str, group: str, what: str) -> tuple[pd.DataFrame, list[str]]:
    """Complete rows of ``dv`` (as floats) and ``group``, checked; and the missing-value note."""
    require_columns(data, dv, group)
    work, notes = drop_missing(data[[dv, group]], [dv, group])
    work = work.assign(**{dv: numeric(work, dv)})
    require_n(len(work), what)
    if work[group].nunique() < 2:
        raise InputError(
            f"{what}: column '{group}' must have at least 2 groups, found {work[group].nunique()}",
            column=group,
        )
    _require_variation(work[dv], dv)
    return work, notes


def _descriptives(work: pd.DataFrame, dv: str, group: str) -> pd.DataFrame:
    return work.groupby(group, observed=True, sort=True)[dv].agg(["count", "mean", "std"])


def _require_two_per_group(desc: pd.DataFrame, group: str, test: str, alternatives: str) -> None:
    # Welch-type statistics weight each group by its own variance, which needs n >= 2.
    small = [str(g) for g, n in desc["count"].items() if n < 2]
    if small:
        raise InputError(
            f"{test} needs at least 2 observations in every '{group}' group; "
            f"too few in: {', '.join(small)} (use {alternatives} instead)",
            column=group,
        )


def _descriptive_info(desc: pd.DataFrame) -> dict[str, Any]:
    info: dict[str, Any] = {"n": int(desc["count"].sum()), "k_groups": len(desc)}
    for level, row in desc.iterrows():
        info[f"n[{level}]"] = int(row["count"])
        info[f"mean[{level}]"] = float(row["mean"])
        info[f"sd[{level}]"] = float(row["std"])
    return info


@contextmanager
def _warnings_as_notes(notes: list[str]) -> Iterator[None]:
    """Record statsmodels/pingouin warnings (all UserWarning subclasses) as notes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for item in caught:
        if issubclass(item.category, UserWarning):
            text = str(item.message).strip().splitlines()[0]
            note = f"{item.category.__name__}: {text}"
            if note not in notes:
                notes.append(note)


def _formula_columns(formula: str, data: pd.DataFrame) -> list[str]:
    """Data columns a patsy formula refers to (bare names and ``Q("...")``).

    Names that are called (``C(...)``, ``np.log``), attribute bases, and keyword
    arguments are not columns.  Other unknown names are left to the formula engine,
    whose error :func:`_formula_error` turns into an InputError.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(formula).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        raise InputError(f"cannot read the formula {formula!r}") from None
    columns: list[str] = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].string if i > 0 else ""
        if tok.type == tokenize.NAME and tok.string == "Q" and nxt == "(":
            quoted = tokens[i + 2] if i + 2 < len(tokens) else None
            if quoted is not None and quoted.type == tokenize.STRING:
                columns.append(str(ast.literal_eval(quoted.string)))
            continue
        if tok.type != tokenize.NAME or keyword.iskeyword(tok.string):
            continue
        if nxt in ("(", ".", "=") or prev == ".":
            continue
        if tok.string in data.columns:
            columns.append(tok.string)
    for column in columns:
        require_columns(data, column)
    return list(dict.fromkeys(columns))


def _formula_error(exc: Exception, formula: str) -> InputError:
    text = str(exc).strip().splitlines()[0]
    if "is not defined" in text and "name '" in text:
        name = text.split("name '", 1)[1].split("'", 1)[0]
        return InputError(
            f"the formula {formula!r} uses '{name}', which is not a column in the data",
            column=name,
        )
    return InputError(f"cannot use the formula {formula!r}: {text}")


def _response(formula: str) -> str:
    if "~" not in formula:
        raise InputError(f"the formula {formula!r} needs a response: 'outcome ~ predictors'")
    lhs = formula.split("~", 1)[0].strip()
    if lhs.startswith("Q(") and lhs.endswith(")"):
        lhs = str(ast.literal_eval(lhs[2:-1].strip()))
    return lhs


def _coef_table(names: Sequence[str], coef, se, z, p, ci_low, ci_high) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "coef": np.asarray(coef, float),
            "se": np.asarray(se, float),
            "statistic": np.asarray(z, float),
            "p_value": np.asarray(p, float),
            "ci_low": np.asarray(ci_low, float),
            "ci_high": np.asarray(ci_high, float),
        },
        index=pd.Index(list(names), name="term"),
    )
    return table


def _term_phrase(term: str) -> str:
    if "[T." in term:
        return f"for {term} (against the reference level)"
    return f"per one-unit increase in {term}"


# ----------------------------------------------------------------------- compare_groups


def compare_groups(
    data: pd.DataFrame, dv: str, group: str, *, method: str = "welch"
) -> StatsResult:
    """Compare a numeric outcome across two or more groups.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per mentee.
    dv : str
        Numeric outcome column (e.g. a satisfaction score).
    group : str
        Grouping column (e.g. program arm or mentor).
    method : {"welch", "anova", "kruskal"}
        ``"welch"``: Welch's heteroscedastic one-way ANOVA (pingouin ``welch_anova``);
        ``"anova"``: classic one-way ANOVA (``anova``); ``"kruskal"``: Kruskal–Wallis
        H test (``kruskal``).

    Returns
    -------
    StatsResult
        One row: ``method``, ``statistic`` (F or H), ``df``, ``df2`` (F tests only),
        ``p_value``, the effect size (``eta_sq_partial`` for the F tests, ``epsilon_sq``
        for Kruskal–Wallis), ``n`` and ``k_groups``.  ``fit_info`` holds the group
        descriptives as ``n[<group>]``, ``mean[<group>]`` and ``sd[<group>]``.

    Notes
    -----
    For Welch's ANOVA, ``eta_sq_partial`` is the value pingouin reports: the ordinary
    (unweighted) between-groups sum of squares over the total, which equals eta-squared
    in a one-way design.  It is not a variance-weighted (Welch) effect size.

    Examples
    --------
    >>> import pingouin as pg
    >>> res = compare_groups(pg.read_dataset("anova"), "Pain threshold", "Hair color")
    >>> round(float(res["statistic"].iloc[0]), 3), round(float(res["df2"].iloc[0]), 2)
    (5.89, 8.33)
    """
    method = _choice(method, COMPARE_METHODS, "method")
    work, notes = _grouped(data, dv, group, "compare_groups")
    desc = _descriptives(work, dv, group)
    n, k = len(work), len(desc)
    if method == "welch":
        _require_two_per_group(desc, group, "Welch's ANOVA", "method='anova' or 'kruskal'")
        if (desc["std"] == 0).any():
            flat = ", ".join(str(g) for g in desc.index[desc["std"] == 0])
            raise InputError(
                f"Welch's ANOVA weights each group by its variance; '{dv}' does not vary "
                f"within group(s) {flat} (use method='anova' or 'kruskal' instead)",
                column=dv,
            )
        table = _f_test(work, dv, group, welch=True)
        reading = _f_reading(dv, group, k, "Welch's ", table.iloc[0])
        notes.append(
            "eta_sq_partial is pingouin's SS_between / (SS_between + SS_within) from the "
            "ordinary (unweighted) sums of squares, as for the classic ANOVA"
        )
    elif method == "anova":
        table = _f_test(work, dv, group, welch=False)
        reading = _f_reading(dv, group, k, "", table.iloc[0])
    else:
        table, reading = _kruskal(work, dv, group, n, k)
    table["n"] = n
    table["k_groups"] = k
    titles = {"welch": "Welch's ANOVA", "anova": "One-way ANOVA", "kruskal": "Kruskal–Wallis test"}
    return make_result(
        table,
        title=f"{titles[method]}: {dv} by {group}",
        notes=notes,
        reading=reading,
        fit_info=_descriptive_info(desc),
    )


def _f_reading(dv: str, group: str, k: int, label: str, row: pd.Series) -> str:
    p = float(row["p_value"])
    verb = "differed" if p < 0.05 else "did not differ significantly"
    df2 = row["df2"]
    df2_text = f"{df2:.0f}" if float(df2).is_integer() else f"{df2:.2f}"
    return (
        f"Mean {dv} {verb} across the {k} {group} groups ({label}F({row['df']:.0f}, {df2_text}) "
        f"= {row['statistic']:.2f}, {format_p(p)}); partial eta-squared = "
        f"{row['eta_sq_partial']:.2f}."
    )


def _f_test(work: pd.DataFrame, dv: str, group: str, welch: bool) -> pd.DataFrame:
    test = pg.welch_anova if welch else pg.anova
    res = test(data=work, dv=dv, between=group).iloc[0]
    return pd.DataFrame(
        {
            "method": ["Welch ANOVA" if welch else "one-way ANOVA"],
            "statistic": [float(res["F"])],
            "df": [float(res["ddof1"])],
            "df2": [float(res["ddof2"])],
            "p_value": [float(res["p_unc"])],
            "eta_sq_partial": [float(res["np2"])],
        }
    )


def _kruskal(work: pd.DataFrame, dv: str, group: str, n: int, k: int) -> tuple[pd.DataFrame, str]:
    res = pg.kruskal(data=work, dv=dv, between=group).iloc[0]
    h = float(res["H"])
    # Epsilon-squared for Kruskal–Wallis, E²_R = H / ((n² − 1) / (n + 1)) = H / (n − 1)
    # (Tomczak & Tomczak 2014, Trends Sport Sci 21:19–25; King & Minium 2008).
    epsilon_sq = h / ((n**2 - 1) / (n + 1))
    table = pd.DataFrame(
        {
            "method": ["Kruskal-Wallis"],
            "statistic": [h],
            "df": [float(res["ddof1"])],
            "p_value": [float(res["p_unc"])],
            "epsilon_sq": [epsilon_sq],
        }
    )
    p = float(res["p_unc"])
    verb = "differed" if p < 0.05 else "did not differ significantly"
    reading = (
        f"The distribution of {dv} {verb} across the {k} {group} groups (Kruskal–Wallis "
        f"H({res['ddof1']:.0f}) = {h:.2f}, {format_p(p)}); epsilon-squared = {epsilon_sq:.2f}."
    )
    return table, reading


# ----------------------------------------------------------------------------- posthoc


def posthoc(
    data: pd.DataFrame, dv: str, group: str, *, method: str = "games-howell"
) -> StatsResult:
    """All pairwise comparisons between groups, adjusted for multiplicity.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per mentee.
    dv : str
        Numeric outcome column.
    group : str
        Grouping column.
    method : {"games-howell", "tukey", "dunn"}
        ``"games-howell"`` (unequal variances; pingouin ``pairwise_gameshowell``),
        ``"tukey"`` (Tukey HSD, pooled variance; ``pairwise_tukey``) or ``"dunn"``
        (Dunn's 1964 rank test on the joint Kruskal–Wallis ranks, Holm-adjusted).

    Returns
    -------
    StatsResult
        One row per pair: ``group_a``, ``group_b``, ``n_a``, ``n_b``, then for the mean
        tests ``mean_a``, ``mean_b``, ``mean_difference`` (a − b), ``se``, ``statistic``
        (t), ``df``, ``p_value`` (adjusted by the studentized range distribution),
        ``p_adjust``, ``ci_low``/``ci_high`` (simultaneous 95%) and ``hedges_g``; for
        Dunn ``mean_rank_a``, ``mean_rank_b``, ``mean_rank_difference``, ``se``,
        ``statistic`` (z), ``p_unadjusted``, ``p_value`` (Holm), ``p_adjust`` and
        ``rank_biserial`` (pingouin's Mann–Whitney rank-biserial correlation for the
        pair; positive when group a tends to be larger).  Dunn's test has no CI.

    Examples
    --------
    >>> import pingouin as pg
    >>> res = posthoc(pg.read_dataset("anova"), "Pain threshold", "Hair color", method="tukey")
    >>> len(res), round(float(res["p_value"].min()), 4)
    (6, 0.0037)
    """
    method = _choice(method, POSTHOC_METHODS, "method")
    work, notes = _grouped(data, dv, group, "posthoc")
    desc = _descriptives(work, dv, group)
    if method == "games-howell":
        _require_two_per_group(desc, group, "The Games-Howell test", "method='tukey' or 'dunn'")
        table = _games_howell(work, dv, group, desc)
        label = "Games-Howell"
    elif method == "tukey":
        if len(work) <= len(desc):
            raise InputError(
                f"Tukey's HSD needs more rows than groups to estimate the pooled variance "
                f"(got {len(work)} rows in {len(desc)} '{group}' groups)",
                column=group,
            )
        table = _tukey(work, dv, group, desc)
        label = "Tukey HSD"
    else:
        table = _dunn(work[dv], work[group])
        label = "Dunn's test, Holm-adjusted"
        notes.append(
            "Dunn's z uses the ranks of all groups together (as after a Kruskal–Wallis "
            "test) with the tie correction; p_value is Holm-adjusted, p_unadjusted is not"
        )
    return make_result(
        table,
        title=f"Pairwise comparisons ({label}): {dv} by {group}",
        notes=notes,
        reading=_posthoc_reading(table, dv, group, label),
    )


def _mean_pairs(res: pd.DataFrame, desc: pd.DataFrame, adjust: str) -> pd.DataFrame:
    counts = desc["count"]
    return pd.DataFrame(
        {
            "group_a": res["A"].to_numpy(),
            "group_b": res["B"].to_numpy(),
            "n_a": counts.loc[res["A"]].to_numpy().astype(int),
            "n_b": counts.loc[res["B"]].to_numpy().astype(int),
            "mean_a": res["mean_A"].to_numpy(float),
            "mean_b": res["mean_B"].to_numpy(float),
            "mean_difference": res["diff"].to_numpy(float),
            "se": res["se"].to_numpy(float),
            "statistic": res["T"].to_numpy(float),
            "df": np.nan,
            "p_value": np.nan,
            "p_adjust": adjust,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "hedges_g": res["hedges"].to_numpy(float),
        }
    )


def _simultaneous_ci(table: pd.DataFrame, k: int, level: float = 0.95) -> pd.DataFrame:
    # Tukey-type simultaneous interval: diff ± q(level; k, df) / √2 · se, with q the
    # studentized range quantile (Tukey 1953; Games & Howell 1976 with Welch df per pair).
    # The quantile is a slow numerical integral: evaluate it once per distinct df.
    dfs, where = np.unique(table["df"].to_numpy(float), return_inverse=True)
    q = np.array([stats.studentized_range.ppf(level, k, df) for df in dfs])[where]
    half = q / np.sqrt(2) * table["se"].to_numpy(float)
    table["ci_low"] = table["mean_difference"] - half
    table["ci_high"] = table["mean_difference"] + half
    return table


def _tukey(work: pd.DataFrame, dv: str, group: str, desc: pd.DataFrame) -> pd.DataFrame:
    res = pg.pairwise_tukey(data=work, dv=dv, between=group, effsize="hedges")
    table = _mean_pairs(res, desc, "tukey")
    table["df"] = float(len(work) - len(desc))
    table["p_value"] = res["p_tukey"].to_numpy(float)
    return _simultaneous_ci(table, len(desc))


def _games_howell(work: pd.DataFrame, dv: str, group: str, desc: pd.DataFrame) -> pd.DataFrame:
    res = pg.pairwise_gameshowell(data=work, dv=dv, between=group, effsize="hedges")
    table = _mean_pairs(res, desc, "games-howell")
    table["df"] = res["df"].to_numpy(float)
    table["p_value"] = res["pval"].to_numpy(float)
    return _simultaneous_ci(table, len(desc))


def _dunn(values: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Dunn's test table: z statistics, Holm-adjusted p values and rank-biserial r."""
    table = _dunn_z(values.to_numpy(float), groups.to_numpy())
    table["p_value"] = multipletests(table["p_unadjusted"], method="holm")[1]
    table["p_adjust"] = "holm"
    y, g = values.to_numpy(float), groups.to_numpy()
    table["rank_biserial"] = [
        float(pg.mwu(y[g == a], y[g == b])["RBC"].iloc[0])
        for a, b in zip(table["group_a"], table["group_b"], strict=True)
    ]
    return table


def _dunn_z(y: np.ndarray, g: np.ndarray) -> pd.DataFrame:
    """Dunn's (1964) pairwise z tests on the joint ranks of all groups, tie-corrected.

    Neither scipy, statsmodels nor pingouin provides Dunn's test (pingouin's
    ``pairwise_tests(parametric=False)`` is a Mann–Whitney test on each pair alone).
    Formula (Dunn 1964, Technometrics 6:241–252; tie correction as in R ``dunn.test``):

        z_ab = (R̄_a − R̄_b) / sqrt( [N(N+1)/12 − Σ(t³ − t) / (12(N − 1))] · (1/n_a + 1/n_b) )

    with R̄ the mean rank of a group among all N observations and t the sizes of the
    tied groups; two-sided p = 2·(1 − Φ(|z|)).
    """
    ranks = stats.rankdata(y)
    n_total = len(y)
    _, tie_sizes = np.unique(y, return_counts=True)
    tie_term = np.sum(tie_sizes.astype(float) ** 3 - tie_sizes) / (12.0 * (n_total - 1))
    variance = n_total * (n_total + 1) / 12.0 - tie_term
    levels = sorted(pd.unique(g).tolist(), key=lambda v: (str(type(v)), v))
    rank_by = {level: ranks[g == level] for level in levels}
    rows = []
    for a, b in itertools.combinations(levels, 2):
        na, nb = len(rank_by[a]), len(rank_by[b])
        diff = rank_by[a].mean() - rank_by[b].mean()
        se = np.sqrt(variance * (1.0 / na + 1.0 / nb))
        rows.append(
            {
                "group_a": a,
                "group_b": b,
                "n_a": na,
                "n_b": nb,
                "mean_rank_a": rank_by[a].mean(),
                "mean_rank_b": rank_by[b].mean(),
                "mean_rank_difference": diff,
                "se": se,
                "statistic": diff / se,
                "p_unadjusted": 2.0 * stats.norm.sf(abs(diff / se)),
            }
        )
    return pd.DataFrame(rows)


def _posthoc_reading(table: pd.DataFrame, dv: str, group: str, label: str) -> str:
    sig = table[table["p_value"] < 0.05]
    total = len(table)
    if sig.empty:
        return (
            f"None of the {total} pairs of {group} groups differed significantly in {dv} "
            f"({label}; all adjusted p ≥ .05)."
        )
    diff_col = "mean_difference" if "mean_difference" in table else "mean_rank_difference"
    what = "mean difference" if diff_col == "mean_difference" else "mean-rank difference"
    shown = sig.nsmallest(3, "p_value")
    parts = [
        f"{r.group_a} vs {r.group_b} ({what} {getattr(r, diff_col):.2f}, {format_p(r.p_value)})"
        for r in shown.itertuples()
    ]
    more = f" and {len(sig) - len(shown)} more" if len(sig) > len(shown) else ""
    return (
        f"{len(sig)} of {total} pairs of {group} groups differed significantly in {dv} "
        f"({label}): {'; '.join(parts)}{more}."
    )


# ------------------------------------------------------------------------- mixed_model


def mixed_model(
    data: pd.DataFrame,
    formula: str,
    group: str,
    *,
    re_formula: str | None = None,
    reml: bool = True,
) -> StatsResult:
    """Linear mixed model for clustered data (e.g. mentees nested within mentors).

    Parameters
    ----------
    data : pandas.DataFrame
        Long data, one row per observation.
    formula : str
        Fixed effects, patsy syntax, e.g. ``"satisfaction ~ arm + baseline"``.
    group : str
        Cluster column (random intercept per cluster).
    re_formula : str, optional
        Random-effects formula, e.g. ``"~time"`` for a random intercept and slope;
        ``None`` gives a random intercept only.
    reml : bool
        Restricted maximum likelihood (default) or maximum likelihood.

    Returns
    -------
    StatsResult
        Fixed-effect table indexed by ``term`` (``coef``, ``se``, ``statistic`` (z),
        ``p_value``, ``ci_low``, ``ci_high``); ``fit_info`` with ``n``, ``n_groups``,
        ``log_likelihood``, ``method``, ``converged``, ``residual_var``, ``residual_sd``,
        ``group_var``/``group_sd`` (random intercept), ``slope_var[x]``/``slope_sd[x]``
        and ``corr[a,b]`` for random slopes, and ``icc`` (random-intercept models only;
        conditional on the fixed effects).  Convergence warnings become notes.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> mentor = np.repeat(np.arange(20), 5)
    >>> df = pd.DataFrame({"mentor": mentor, "x": rng.normal(size=100)})
    >>> df["y"] = 1 + 0.5 * df["x"] + rng.normal(size=20)[mentor] + rng.normal(size=100)
    >>> res = mixed_model(df, "y ~ x", "mentor")
    >>> list(res.index), res.fit_info["n_groups"]
    (['Intercept', 'x'], 20)
    """
    if not isinstance(formula, str):
        raise InputError(f"formula must be a string, got {type(formula).__name__}")
    response = _response(formula)
    require_columns(data, group)
    columns = _formula_columns(formula, data)
    if re_formula is not None:
        columns += _formula_columns(re_formula, data)
    columns = list(dict.fromkeys([*columns, group]))
    work, notes = drop_missing(data[columns], columns)
    require_n(len(work), "mixed_model")
    if response in work.columns:
        work = work.assign(**{response: numeric(work, response)})
        _require_variation(work[response], response)
    n_groups = work[group].nunique()
    if n_groups < 2:
        raise InputError(
            f"mixed_model: column '{group}' must have at least 2 groups, found {n_groups}",
            column=group,
        )
    fit = _fit_mixedlm(formula, work, group, re_formula, reml, notes)
    table = _fixed_effects(fit)
    info = _mixed_info(fit, reml)
    if not info["converged"]:
        notes.append("the optimiser did not report convergence; treat estimates with care")
    return make_result(
        table,
        title=f"Linear mixed model ({info['method']}): {formula}, groups = {group}",
        notes=notes,
        reading=_mixed_reading(table, response, group, n_groups),
        fit_info=info,
        model=fit,
    )


def _fit_mixedlm(
    formula: str,
    work: pd.DataFrame,
    group: str,
    re_formula: str | None,
    reml: bool,
    notes: list[str],
):
    try:
        with _warnings_as_notes(notes):
            model = smf.mixedlm(formula, work, groups=work[group], re_formula=re_formula)
            return model.fit(reml=reml)
    except np.linalg.LinAlgError as exc:
        raise InputError(f"the mixed model could not be fitted (singular matrix: {exc})") from None
    except Exception as exc:  # patsy/formulaic raise their own error types
        if type(exc).__module__.split(".")[0] in ("patsy", "formulaic") or isinstance(
            exc, NameError
        ):
            raise _formula_error(exc, formula) from None
        raise


def _fixed_effects(fit) -> pd.DataFrame:
    names = list(fit.model.exog_names)
    coef = fit.fe_params.to_numpy(float)
    se = np.asarray(fit.bse_fe, float)
    z = coef / se
    ci = np.asarray(fit.conf_int())[: len(names)]
    return _coef_table(names, coef, se, z, 2 * stats.norm.sf(np.abs(z)), ci[:, 0], ci[:, 1])


def _mixed_info(fit, reml: bool) -> dict[str, Any]:
    cov = fit.cov_re
    names = ["Intercept" if name == "Group" else str(name) for name in cov.index]
    info: dict[str, Any] = {
        "n": int(fit.nobs),
        "n_groups": len(fit.model.group_labels),
        "log_likelihood": float(fit.llf),
        "method": "REML" if reml else "ML",
        "converged": bool(fit.converged),
        "residual_var": float(fit.scale),
        "residual_sd": float(np.sqrt(fit.scale)),
    }
    values = cov.to_numpy(float)
    for i, name in enumerate(names):
        var = float(values[i, i])
        sd = float(np.sqrt(max(var, 0.0)))
        if name == "Intercept":
            info["group_var"], info["group_sd"] = var, sd
        else:
            info[f"slope_var[{name}]"], info[f"slope_sd[{name}]"] = var, sd
    for i, j in itertools.combinations(range(len(names)), 2):
        denom = np.sqrt(values[i, i] * values[j, j])
        corr = float(values[i, j] / denom) if denom > 0 else float("nan")
        info[f"corr[{names[i]},{names[j]}]"] = corr
    if names == ["Intercept"]:
        # ICC = τ² / (τ² + σ²): the share of residual variance between clusters.
        info["icc"] = info["group_var"] / (info["group_var"] + info["residual_var"])
    if not reml:
        info["aic"], info["bic"] = float(fit.aic), float(fit.bic)
    return info


def _mixed_reading(table: pd.DataFrame, response: str, group: str, n_groups: int) -> str:
    terms = [t for t in table.index if t != "Intercept"]
    if not terms:
        row = table.loc["Intercept"]
        return (
            f"The average {response} was {row['coef']:.2f} "
            f"({format_ci(row['ci_low'], row['ci_high'])}), allowing for differences "
            f"between the {n_groups} {group} groups."
        )
    term = terms[0]
    row = table.loc[term]
    return (
        f"{response} changed by {row['coef']:.2f} {_term_phrase(term)} "
        f"({format_ci(row['ci_low'], row['ci_high'])}; z = {row['statistic']:.2f}, "
        f"{format_p(row['p_value'])}), allowing for differences between the {n_groups} "
        f"{group} groups."
    )


# ----------------------------------------------------------------------------- ordinal


def ordinal(data: pd.DataFrame, formula: str) -> StatsResult:
    """Proportional-odds (cumulative logit) model for an ordered rating.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent.
    formula : str
        ``"rating ~ predictors"``.  The response must be an ordered ``pd.Categorical``
        or numeric (its sorted distinct values are the ordered levels).  No intercept
        is estimated: the cut-points play that role.

    Returns
    -------
    StatsResult
        Table indexed by ``term`` with a ``kind`` column (``"coefficient"`` or
        ``"threshold"``), ``coef``, ``se``, ``statistic`` (z), ``p_value``, ``ci_low``,
        ``ci_high``, ``odds_ratio`` and its CI (coefficients only).  Thresholds are the
        cut-points on the logit scale, named ``"low|high"`` as in R ``MASS::polr``; their
        SEs come from the delta method (statsmodels estimates the first cut-point and
        the logs of the increments).  Model: logit P(Y ≤ j) = cut_j − xβ, so a positive
        coefficient means higher categories are more likely.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=300)
    >>> latent = 0.8 * x + rng.logistic(size=300)
    >>> rating = pd.Categorical(np.digitize(latent, [-1, 1]), categories=[0, 1, 2], ordered=True)
    >>> res = ordinal(pd.DataFrame({"rating": rating, "x": x}), "rating ~ x")
    >>> list(res["kind"])
    ['coefficient', 'threshold', 'threshold']
    """
    if not isinstance(formula, str):
        raise InputError(f"formula must be a string, got {type(formula).__name__}")
    response = _response(formula)
    require_columns(data, response)
    columns = list(dict.fromkeys([response, *_formula_columns(formula, data)]))
    work, notes = drop_missing(data[columns], columns)
    require_n(len(work), "ordinal")
    work = work.assign(**{response: _ordered_response(work[response], response, notes)})
    if len(work[response].cat.categories) < 2:
        raise InputError(
            f"column '{response}' has only one observed level; an ordinal model needs at least 2",
            column=response,
        )
    model, fit = _fit_ordered(formula, work, notes)
    table = _ordinal_table(model, fit)
    levels = [str(c) for c in work[response].cat.categories]
    info = {
        "n": int(fit.nobs),
        "n_levels": len(levels),
        "levels": " < ".join(levels),
        "link": "logit",
        "log_likelihood": float(fit.llf),
        "deviance": float(-2 * fit.llf),
        "aic": float(fit.aic),
        "bic": float(fit.bic),
        "converged": bool(fit.mle_retvals.get("converged", False)),
    }
    if not info["converged"]:
        notes.append("the optimiser did not report convergence; treat estimates with care")
    return make_result(
        table,
        title=f"Proportional-odds logistic regression: {formula}",
        notes=notes,
        reading=_ordinal_reading(table, response),
        fit_info=info,
        model=fit,
    )


def _ordered_response(values: pd.Series, column: str, notes: list[str]) -> pd.Series:
    if isinstance(values.dtype, pd.CategoricalDtype):
        if not values.cat.ordered:
            raise InputError(
                f"column '{column}' is an unordered categorical; make it ordered "
                "(pd.Categorical(..., categories=[low, ..., high], ordered=True))",
                column=column,
            )
        unused = [str(c) for c in values.cat.categories if not (values == c).any()]
        if unused:
            notes.append(f"unobserved level(s) of {column} left out: {', '.join(unused)}")
        return values.cat.remove_unused_categories()
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        levels = np.sort(values.unique())
        return pd.Series(
            pd.Categorical(values, categories=levels, ordered=True), index=values.index
        )
    raise InputError(
        f"column '{column}' must be numeric or an ordered categorical so that the order of "
        "its levels is known",
        column=column,
    )


def _fit_ordered(formula: str, work: pd.DataFrame, notes: list[str]):
    try:
        with _warnings_as_notes(notes):
            model = OrderedModel.from_formula(formula, work, distr="logit")
            # BFGS with a tight gradient tolerance: the default stops early enough to move
            # coefficients in the 4th decimal on flat likelihoods.
            fit = model.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-8)
    except ValueError as exc:
        if "constant" in str(exc):
            raise InputError(
                f"the formula {formula!r} contains an intercept or an implicit one "
                "(e.g. '0 + C(x)'); an ordinal model's cut-points take its place"
            ) from None
        raise _formula_error(exc, formula) from None
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in ("patsy", "formulaic") or isinstance(
            exc, NameError
        ):
            raise _formula_error(exc, formula) from None
        raise
    return model, fit


def _ordinal_table(model, fit) -> pd.DataFrame:
    params = np.asarray(fit.params, float)
    cov = np.asarray(fit.cov_params(), float)
    k_cut = model.k_levels - 1
    k_beta = len(params) - k_cut
    names = list(model.exog_names)[:k_beta]
    z_crit = stats.norm.ppf(0.975)

    beta, se_beta = params[:k_beta], np.sqrt(np.diag(cov)[:k_beta])
    coef = _coef_table(
        names,
        beta,
        se_beta,
        beta / se_beta,
        2 * stats.norm.sf(np.abs(beta / se_beta)),
        beta - z_crit * se_beta,
        beta + z_crit * se_beta,
    )
    coef.insert(0, "kind", "coefficient")
    coef["odds_ratio"] = np.exp(coef["coef"])
    coef["odds_ratio_ci_low"] = np.exp(coef["ci_low"])
    coef["odds_ratio_ci_high"] = np.exp(coef["ci_high"])

    cuts = model.transform_threshold_params(params)[1:-1]
    # Delta method: cut_j = a_1 + Σ_{i=2..j} exp(a_i), so ∂cut_j/∂a_1 = 1 and
    # ∂cut_j/∂a_i = exp(a_i) for 2 ≤ i ≤ j; Var(cut) = J Σ_a Jᵀ.
    raw = params[k_beta:]
    jac = np.tril(np.ones((k_cut, k_cut))) * np.concatenate(([1.0], np.exp(raw[1:])))
    se_cut = np.sqrt(np.diag(jac @ cov[k_beta:, k_beta:] @ jac.T))
    labels = [str(c) for c in model.labels]
    cut_names = [f"{labels[j]}|{labels[j + 1]}" for j in range(k_cut)]
    thresholds = _coef_table(
        cut_names,
        cuts,
        se_cut,
        cuts / se_cut,
        2 * stats.norm.sf(np.abs(cuts / se_cut)),
        cuts - z_crit * se_cut,
        cuts + z_crit * se_cut,
    )
    thresholds.insert(0, "kind", "threshold")
    for column in ("odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high"):
        thresholds[column] = np.nan
    return pd.concat([coef, thresholds])


def _ordinal_reading(table: pd.DataFrame, response: str) -> str:
    coefs = table[table["kind"] == "coefficient"]
    if coefs.empty:
        return f"The model estimated only the cut-points between the levels of {response}."
    term = coefs.index[0]
    row = coefs.iloc[0]
    lo, hi = row["odds_ratio_ci_low"], row["odds_ratio_ci_high"]
    return (
        f"The odds of a higher {response} category were multiplied by "
        f"{row['odds_ratio']:.2f} {_term_phrase(term)} ({format_ci(lo, hi)}; "
        f"z = {row['statistic']:.2f}, {format_p(row['p_value'])})."
    )


# ------------------------------------------------------------------------- reliability


def reliability(data: pd.DataFrame, items: Sequence[str], *, alpha: float = 0.05) -> StatsResult:
    """Internal consistency of a multi-item scale: Cronbach's alpha with a CI.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent, one column per item.
    items : sequence of str
        Item columns (at least 2), all numeric and scored in the same direction.
    alpha : float
        Significance level for the ``1 - alpha`` confidence interval (not Cronbach's
        alpha).

    Returns
    -------
    StatsResult
        One row: ``cronbach_alpha``, ``ci_low``, ``ci_high`` (Feldt's F-based interval
        from pingouin, rounded by pingouin to 3 decimals), ``n`` (complete respondents)
        and ``k`` (items).  ``fit_info`` holds the corrected item-total correlations
        ``r_item_rest[<item>]`` (each item against the sum of the others).

    Notes
    -----
    Respondents missing any item are dropped (listwise, as R ``psych::alpha(...,
    use="complete.obs")``) and counted in ``notes``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"q1": [1, 2, 3, 4, 5, 3], "q2": [2, 2, 3, 5, 4, 3],
    ...                    "q3": [1, 3, 3, 4, 5, 2]})
    >>> round(float(reliability(df, ["q1", "q2", "q3"])["cronbach_alpha"].iloc[0]), 3)
    0.932
    """
    items = [items] if isinstance(items, str) else list(dict.fromkeys(items))
    if len(items) < 2:
        raise InputError("reliability needs a list of at least 2 item columns")
    require_columns(data, items)
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    work, notes = drop_missing(data[items], items)
    work = pd.DataFrame({item: numeric(work, item) for item in items})
    require_n(len(work), "reliability")
    if work.sum(axis=1).nunique() < 2:
        raise InputError(
            f"the total of the items {', '.join(items)} is the same for every respondent; "
            "alpha is undefined"
        )
    constant = [c for c in items if work[c].nunique() < 2]
    if constant:
        notes.append(f"item(s) with no variation: {', '.join(constant)}")
    value, ci = pg.cronbach_alpha(data=work, ci=1 - alpha)
    table = pd.DataFrame(
        {
            "cronbach_alpha": [float(value)],
            "ci_low": [float(ci[0])],
            "ci_high": [float(ci[1])],
            "n": [len(work)],
            "k": [len(items)],
        }
    )
    total = work.sum(axis=1)
    info: dict[str, Any] = {"n": len(work), "k": len(items)}
    for item in items:
        rest = total - work[item]
        r = work[item].corr(rest) if work[item].nunique() > 1 and rest.nunique() > 1 else np.nan
        info[f"r_item_rest[{item}]"] = float(r)
    level = 1 - alpha
    reading = (
        f"The {len(items)}-item scale had Cronbach's alpha = {value:.2f} "
        f"({format_ci(ci[0], ci[1], level=level)}) across {len(work)} respondents."
    )
    return make_result(
        table,
        title=f"Cronbach's alpha: {', '.join(items)}",
        notes=notes,
        reading=reading,
        fit_info=info,
    )


# --------------------------------------------------------------------------------- icc


def icc(data: pd.DataFrame, dv: str, group: str) -> StatsResult:
    """Intraclass correlation of mentees within mentors (one-way random effects, ICC(1)).

    Two estimators of the share of variance that lies between clusters:

    * ``"REML"``: τ² / (τ² + σ²) from a random-intercept model ``dv ~ 1`` fitted by
      statsmodels ``mixedlm`` (REML); bounded below by 0; no CI.
    * ``"ANOVA"``: (MSB − MSW) / (MSB + (n₀ − 1)·MSW) from pingouin's one-way ANOVA,
      with n₀ = (N − Σnⱼ²/N) / (k − 1) the effective cluster size (Searle 1971); it can
      be negative.  Its CI is the F-based interval (Searle 1971; Donner 1986, Int Stat
      Rev 54:67–82): exact for equal cluster sizes, approximate otherwise.

    ``pingouin.intraclass_corr`` is not used: it needs a complete targets × raters table,
    i.e. the same number of mentees for every mentor, which real programs rarely have.
    In that balanced case the ANOVA row equals its ICC(1,1).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per mentee.
    dv : str
        Numeric outcome column.
    group : str
        Cluster column (e.g. mentor id).

    Returns
    -------
    StatsResult
        One row per estimator: ``estimator``, ``icc``, ``ci_low``, ``ci_high``,
        ``between_var``, ``within_var``, ``statistic`` (F), ``df``, ``df2``, ``p_value``
        (ANOVA row), and ``design_effect`` = 1 + (m − 1)·ICC with m the average cluster
        size.  ``fit_info``: ``n``, ``n_groups``, ``mean_cluster_size``, ``n0``,
        ``reml_converged``, ``log_likelihood``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(2)
    >>> mentor = np.repeat(np.arange(30), 8)
    >>> y = rng.normal(0, 0.5, 30)[mentor] + rng.normal(0, 1, 240)
    >>> res = icc(pd.DataFrame({"mentor": mentor, "y": y}), "y", "mentor")
    >>> list(res["estimator"])
    ['REML', 'ANOVA']
    """
    work, notes = _grouped(data, dv, group, "icc")
    sizes = work.groupby(group, observed=True).size()
    n, k = len(work), len(sizes)
    if n - k < 1:
        raise InputError(
            f"icc needs at least one '{group}' group with 2 or more rows to estimate the "
            "within-group variance",
            column=group,
        )
    m = n / k
    anova_row, n0 = _icc_anova(work, dv, group, sizes)
    reml_row, fit = _icc_reml(work, dv, group, notes)
    table = pd.DataFrame([reml_row, anova_row])
    table["design_effect"] = 1 + (m - 1) * table["icc"]
    if not fit.converged:
        notes.append("the REML fit did not report convergence; prefer the ANOVA estimate")
    if anova_row["icc"] < 0:
        notes.append("the ANOVA estimate is negative (reported unclipped): no clustering")
    if sizes.nunique() > 1:
        notes.append(
            "cluster sizes differ: the ANOVA CI uses the effective size n0 and is approximate"
        )
    info = {
        "n": n,
        "n_groups": k,
        "mean_cluster_size": m,
        "n0": n0,
        "reml_converged": bool(fit.converged),
        "log_likelihood": float(fit.llf),
    }
    reml_icc = float(reml_row["icc"])
    reading = (
        f"About {100 * reml_icc:.0f}% of the variance in {dv} lies between {group} groups "
        f"(ICC = {reml_icc:.2f} by REML; ANOVA estimate {anova_row['icc']:.2f}, "
        f"{format_ci(anova_row['ci_low'], anova_row['ci_high'])}); with {m:.1f} per group "
        f"on average, the design effect is {1 + (m - 1) * reml_icc:.2f}."
    )
    return make_result(
        table,
        title=f"Intraclass correlation ICC(1): {dv} within {group}",
        notes=notes,
        reading=reading,
        fit_info=info,
        model=fit,
    )


def _icc_anova(
    work: pd.DataFrame, dv: str, group: str, sizes: pd.Series, level: float = 0.95
) -> tuple[dict[str, Any], float]:
    aov = pg.anova(data=work, dv=dv, between=group, detailed=True)
    msb, msw = float(aov["MS"].iloc[0]), float(aov["MS"].iloc[1])
    df1, df2 = float(aov["DF"].iloc[0]), float(aov["DF"].iloc[1])
    n, k = float(sizes.sum()), len(sizes)
    n0 = (n - float((sizes**2).sum()) / n) / (k - 1)
    f_value = msb / msw
    # F-based CI for ICC(1) (Searle 1971, ch. 9; Shrout & Fleiss 1979 case 1 with n0):
    # F_L = F / F_{1-α/2}(df1, df2), F_U = F · F_{1-α/2}(df2, df1),
    # ICC bound = (F_B − 1) / (F_B + n0 − 1).
    tail = 1 - (1 - level) / 2
    f_low = f_value / stats.f.ppf(tail, df1, df2)
    f_high = f_value * stats.f.ppf(tail, df2, df1)
    row = {
        "estimator": "ANOVA",
        "icc": (msb - msw) / (msb + (n0 - 1) * msw),
        "ci_low": (f_low - 1) / (f_low + n0 - 1),
        "ci_high": (f_high - 1) / (f_high + n0 - 1),
        "between_var": (msb - msw) / n0,
        "within_var": msw,
        "statistic": f_value,
        "df": df1,
        "df2": df2,
        "p_value": float(aov["p_unc"].iloc[0]),
    }
    return row, n0


def _icc_reml(work: pd.DataFrame, dv: str, group: str, notes: list[str]):
    # Plain column names so that any dv name works inside the formula.
    frame = pd.DataFrame({"y": work[dv].to_numpy(float), "g": work[group].to_numpy()})
    with _warnings_as_notes(notes):
        fit = smf.mixedlm("y ~ 1", frame, groups=frame["g"]).fit(reml=True)
    tau2, sigma2 = float(fit.cov_re.iloc[0, 0]), float(fit.scale)
    row = {
        "estimator": "REML",
        "icc": tau2 / (tau2 + sigma2),
        "ci_low": np.nan,
        "ci_high": np.nan,
        "between_var": tau2,
        "within_var": sigma2,
        "statistic": np.nan,
        "df": np.nan,
        "df2": np.nan,
        "p_value": np.nan,
    }
    return row, fit
