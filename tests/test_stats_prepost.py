"""Pre/post statistics and multiplicity: published references, formulas and edge cases.

Published values are R's (``t.test``, ``wilcox.test``, ``mcnemar.test``, ``p.adjust``) on
data printed in R's documentation and textbooks; each test names its source.  Values the
literature does not print (constructed data) are checked against a hand computation or an
independent library path, never against this package's own output.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from mentorlab import InputError
from mentorlab.stats.multiplicity import adjust_p, tost
from mentorlab.stats.prepost import attrition, attrition_bounds, did, mcnemar, paired_change

# R's `sleep` data (Student 1908): extra sleep under drug 1 and drug 2, paired by patient.
SLEEP_G1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_G2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# Hollander & Wolfe (1973, p. 29), depression scale at first (x) and second (y) visit; the
# example of R's ?wilcox.test.
HW_X = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
HW_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]


@pytest.fixture
def sleep():
    # pre = group 2, post = group 1, so post - pre is R's "group 1 - group 2".
    return pd.DataFrame({"pre": SLEEP_G2, "post": SLEEP_G1})


def first(result, column):
    return result[column].iloc[0]


# ----------------------------------------------------------------------------- paired t


def test_paired_t_reproduces_r_sleep(sleep):
    # R: t.test(extra ~ group, data = sleep, paired = TRUE) -> t = -4.0621, df = 9,
    # p-value = 0.002833, 95 percent CI -2.4598858 -0.7001142, mean difference -1.58.
    res = paired_change(sleep, "pre", "post")
    assert first(res, "statistic") == pytest.approx(-4.0621, abs=5e-5)
    assert first(res, "df") == 9
    assert first(res, "p_value") == pytest.approx(0.002833, abs=5e-7)
    assert first(res, "ci_low") == pytest.approx(-2.4599, abs=5e-5)
    assert first(res, "ci_high") == pytest.approx(-0.7001, abs=5e-5)
    assert first(res, "mean_change") == pytest.approx(-1.58, abs=1e-12)
    # d_z = -1.2846 (the preamble's published value; = t / sqrt(n) = -4.0621 / sqrt(10)).
    assert first(res, "d_z") == pytest.approx(-1.2846, abs=5e-5)
    assert first(res, "n") == 10
    assert "fell by 1.58" in res.reading() and "d_z = -1.28" in res.reading()


def test_paired_t_direction_and_one_sided(sleep):
    swapped = paired_change(sleep, "post", "pre")
    assert first(swapped, "statistic") == pytest.approx(4.0621, abs=5e-5)
    assert first(swapped, "d_z") == pytest.approx(1.2846, abs=5e-5)
    # One-sided p is half the two-sided one when t lies in the tested direction
    # (R: t.test(..., alternative = "less") -> p-value = 0.001416).
    less = paired_change(sleep, "pre", "post", alternative="less")
    assert first(less, "p_value") == pytest.approx(0.002833 / 2, abs=5e-7)
    assert first(less, "ci_low") == -math.inf
    assert any("one-sided" in note for note in less.notes)


def test_effect_sizes_d_av_hedges_and_d_z_differ(sleep):
    res = paired_change(sleep, "pre", "post")
    pre, post = np.array(SLEEP_G2), np.array(SLEEP_G1)
    change = post - pre
    # d_av with Cumming's (2012) denominator sqrt((SD1^2 + SD2^2) / 2): pingouin's paired
    # "cohen" effect size.
    s_av = math.sqrt((pre.var(ddof=1) + post.var(ddof=1)) / 2)
    assert first(res, "d_av") == pytest.approx(change.mean() / s_av, rel=1e-12)
    # ...which is not Lakens' (2013, eq. 10) arithmetic mean of the SDs: pin the choice.
    lakens = change.mean() / ((pre.std(ddof=1) + post.std(ddof=1)) / 2)
    assert abs(first(res, "d_av") - lakens) > 1e-3
    # d_z uses the SD of the change and is much larger here (pre-post r = 0.80).
    assert first(res, "d_z") == pytest.approx(change.mean() / change.std(ddof=1), rel=1e-12)
    assert abs(first(res, "d_z")) > abs(first(res, "d_av")) + 0.3
    # Hedges' g: d_av x (1 - 3 / (4 (n1 + n2) - 9)) with n1 = n2 = 10 (Hedges 1981),
    # always smaller in absolute value.
    g = first(res, "hedges_g")
    assert g == pytest.approx(first(res, "d_av") * (1 - 3 / (4 * 20 - 9)), rel=1e-12)
    assert abs(g) < abs(first(res, "d_av"))


# ----------------------------------------------------------------------------- Wilcoxon


def test_wilcoxon_reproduces_hollander_wolfe():
    # R: wilcox.test(x, y, paired = TRUE, alternative = "greater") -> V = 40,
    # p-value = 0.01953 (exact).
    data = pd.DataFrame({"pre": HW_Y, "post": HW_X})
    res = paired_change(data, "pre", "post", method="wilcoxon", alternative="greater")
    assert first(res, "statistic") == 40
    assert first(res, "p_value") == pytest.approx(0.01953, abs=5e-6)
    assert "df" not in res.columns
    assert any("positive differences" in note for note in res.notes)
    assert any(note == "p-value: exact" for note in res.notes)
    assert "Wilcoxon V = 40" in res.reading()


def test_wilcoxon_two_sided_still_reports_v():
    # R reports V (sum of positive ranks) for two-sided tests too; scipy would report
    # min(V+, V-) = 45 - 40 = 5.  Two-sided exact p = 2 x 0.01953 = 0.03906 (R).
    data = pd.DataFrame({"pre": HW_Y, "post": HW_X})
    res = paired_change(data, "pre", "post", method="wilcoxon")
    assert first(res, "statistic") == 40
    assert first(res, "p_value") == pytest.approx(0.03906, abs=5e-6)


# ----------------------------------------------------------------------------- edge cases


def test_all_identical_change_gives_nan_with_note():
    data = pd.DataFrame({"pre": [1.0, 2.0, 3.0, 4.0], "post": [1.5, 2.5, 3.5, 4.5]})
    res = paired_change(data, "pre", "post")
    for column in ("statistic", "p_value", "ci_low", "ci_high", "d_z"):
        assert math.isnan(first(res, column))
    assert first(res, "mean_change") == pytest.approx(0.5)
    assert any("same amount" in note for note in res.notes)
    assert "same amount" in res.reading()
    # No spread at all: every effect size is undefined, and the signed-rank test too.
    flat = pd.DataFrame({"pre": [2.0] * 5, "post": [2.0] * 5})
    res = paired_change(flat, "pre", "post", method="wilcoxon")
    assert math.isnan(first(res, "statistic")) and math.isnan(first(res, "d_av"))
    assert any("all differences are zero" in note for note in res.notes)


def test_missing_values_dropped_with_count(sleep):
    data = sleep.copy()
    data.loc[len(data)] = [np.nan, 1.0]
    data.loc[len(data)] = [2.0, np.nan]
    res = paired_change(data, "pre", "post")
    assert first(res, "n") == 10
    assert first(res, "statistic") == pytest.approx(-4.0621, abs=5e-5)
    assert any("2 of 12 rows dropped" in note for note in res.notes)


def test_paired_change_input_errors(sleep):
    with pytest.raises(InputError, match="'after'"):
        paired_change(sleep, "pre", "after")
    with pytest.raises(InputError, match="at least 3"):
        paired_change(sleep.head(2), "pre", "post")
    with pytest.raises(InputError, match="method"):
        paired_change(sleep, "pre", "post", method="sign")
    with pytest.raises(InputError, match="alternative"):
        paired_change(sleep, "pre", "post", alternative="larger")
    text = sleep.assign(post=["a"] * 10)
    with pytest.raises(InputError, match="'post' must be numeric"):
        paired_change(text, "pre", "post")


# ----------------------------------------------------------------------------- McNemar


def approval_data():
    """Agresti (1990, p. 350) presidential approval, 1 = approve, in two surveys."""
    cells = {(1, 1): 794, (1, 0): 150, (0, 1): 86, (0, 0): 570}
    rows = [pair for pair, count in cells.items() for _ in range(count)]
    return pd.DataFrame(rows, columns=["first", "second"])


def test_mcnemar_reproduces_r_performance_example():
    # R: mcnemar.test(matrix(c(794, 86, 150, 570), nrow = 2)) ->
    # McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05 (continuity corrected).
    res = mcnemar(approval_data(), "first", "second")
    assert first(res, "statistic") == pytest.approx(16.818, abs=5e-4)
    assert first(res, "df") == 1
    assert first(res, "p_value") == pytest.approx(4.115e-05, abs=5e-9)
    assert first(res, "test") == "chi-squared, continuity corrected"
    assert (first(res, "n_01"), first(res, "n_10"), first(res, "n")) == (86, 150, 1600)
    assert first(res, "odds_ratio") == pytest.approx(86 / 150)
    assert first(res, "ci_low") < 86 / 150 < first(res, "ci_high") < 1
    assert "86 people gained it and 150 lost it" in res.reading()


def test_mcnemar_exact_for_few_discordant_pairs():
    # 7 became 1, 1 became 0: exact two-sided binomial test of 1 in 8 at p = 1/2
    # = 2 x (1 + 8) / 256 = 0.0703125 (hand computation, checked against scipy.binomtest).
    data = pd.DataFrame(
        {"pre": [0] * 7 + [1] + [0] * 5 + [1] * 6, "post": [1] * 7 + [0] + [0] * 5 + [1] * 6}
    ).astype(bool)
    res = mcnemar(data, "pre", "post")
    assert first(res, "test") == "exact binomial"
    assert first(res, "p_value") == pytest.approx(18 / 256, rel=1e-12)
    assert first(res, "p_value") == pytest.approx(sps.binomtest(1, 8, 0.5).pvalue, rel=1e-12)
    assert math.isnan(first(res, "df"))
    forced = mcnemar(data, "pre", "post", exact=False)
    # Corrected chi-squared by hand: (|7 - 1| - 1)^2 / 8.
    assert first(forced, "statistic") == pytest.approx(25 / 8)


def test_mcnemar_edge_cases():
    nobody = pd.DataFrame({"pre": [0, 1, 1, 0], "post": [0, 1, 1, 0]})
    res = mcnemar(nobody, "pre", "post")
    assert math.isnan(first(res, "p_value"))
    assert any("nobody changed" in note for note in res.notes)
    with pytest.raises(InputError, match="'post' must hold 0/1"):
        mcnemar(nobody.assign(post=[0, 1, 2, 0]), "pre", "post")
    with pytest.raises(InputError, match="'later'"):
        mcnemar(nobody, "pre", "later")
    with_missing = pd.concat([nobody, pd.DataFrame({"pre": [np.nan], "post": [1]})])
    assert any("1 of 5 rows dropped" in n for n in mcnemar(with_missing, "pre", "post").notes)


# ----------------------------------------------------------------------------- attrition


@pytest.fixture
def dropout():
    """20 mentees; the 5 who did not answer the end survey had lower baseline confidence."""
    completers = [3.5, 3.8, 3.2, 3.6, 3.9, 3.4, 3.7, 3.3, 3.6, 3.5, 3.8, 3.4, 3.6, 3.7, 3.5]
    leavers = [2.6, 3.0, 2.8, 2.5, 3.1]
    return pd.DataFrame(
        {
            "answered": [True] * 15 + [False] * 5,
            "confidence_pre": completers + leavers,
            "site": ["A"] * 8 + ["B"] * 7 + ["A"] + ["B"] * 4,
            "confidence_post": [c + 0.5 for c in completers] + [np.nan] * 5,
        }
    )


def test_attrition_flags_a_designed_difference(dropout):
    res = attrition(dropout, "answered", ["confidence_pre", "site"])
    row = res.loc["confidence_pre"]
    assert (row["n_completers"], row["n_non_completers"]) == (15, 5)
    comp, leave = dropout.confidence_pre[:15], dropout.confidence_pre[15:]
    # Welch t (non-completers minus completers), checked against scipy.
    welch = sps.ttest_ind(leave, comp, equal_var=False)
    assert row["statistic"] == pytest.approx(welch.statistic, rel=1e-10)
    assert row["p_value"] == pytest.approx(welch.pvalue, rel=1e-10)
    assert row["p_value"] < 0.01
    # Standardized difference (Austin 2009): difference / sqrt of the average variance.
    smd = (leave.mean() - comp.mean()) / math.sqrt((leave.var() + comp.var()) / 2)
    assert row["smd"] == pytest.approx(smd, rel=1e-12)
    assert res.notes[0] == "attrition: 5 of 20 (25%) did not complete"
    assert res.reading().startswith("5 of 20 participants (25%) did not complete")
    assert "lower baseline confidence_pre (2.80 vs 3.57" in res.reading()


def test_attrition_categorical_row(dropout):
    res = attrition(dropout, "answered", ["site"])
    row = res.loc["site"]
    assert row["kind"] == "categorical" and row["test"] == "chi-squared"
    # Binary standardized difference by hand: |p1 - p2| / sqrt((p1 q1 + p2 q2) / 2),
    # p = share at site A: 8/15 among completers, 1/5 among non-completers.
    p1, p2 = 8 / 15, 1 / 5
    assert row["smd"] == pytest.approx(
        abs(p1 - p2) / math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / 2)
    )
    # Yates-corrected chi-squared for the 2x2 table [[8, 1], [7, 4]] by hand.
    table = np.array([[8, 1], [7, 4]])
    expected = table.sum(1, keepdims=True) * table.sum(0) / table.sum()
    yates = (((np.abs(table - expected) - 0.5) ** 2) / expected).sum()
    assert row["statistic"] == pytest.approx(yates, rel=1e-12)
    assert row["df"] == 1


def test_attrition_edge_cases(dropout):
    everyone = dropout.assign(answered=True)
    res = attrition(everyone, "answered", ["confidence_pre"])
    assert math.isnan(res.loc["confidence_pre", "p_value"])
    assert "everyone completed" in res.notes
    with pytest.raises(InputError, match="'age'"):
        attrition(dropout, "answered", ["age"])
    with pytest.raises(InputError, match="0/1"):
        attrition(dropout, "site", ["confidence_pre"])
    gap = dropout.copy()
    gap.loc[0, "confidence_pre"] = np.nan
    res = attrition(gap, "answered", ["confidence_pre"])
    assert res.loc["confidence_pre", "n_completers"] == 14
    assert any("1 missing value(s) of 'confidence_pre'" in note for note in res.notes)


def test_attrition_bounds_by_hand(dropout):
    res = attrition_bounds(dropout, "confidence_pre", "confidence_post", scale=(1, 5))
    leavers_pre = np.array([2.6, 3.0, 2.8, 2.5, 3.1])
    # Completers all gained 0.5; the 5 non-completers count as 0 change, then as ending
    # at 1 (change 1 - pre) or 5 (change 5 - pre).
    expected = {
        "completers only": 0.5,
        "no change": 15 * 0.5 / 20,
        "lower bound": (15 * 0.5 + (1 - leavers_pre).sum()) / 20,
        "upper bound": (15 * 0.5 + (5 - leavers_pre).sum()) / 20,
    }
    for scenario, value in expected.items():
        assert res.loc[scenario, "mean_change"] == pytest.approx(value, rel=1e-12)
    assert res.loc["no change", "n_imputed"] == 5
    observed = attrition_bounds(dropout, "confidence_pre", "confidence_post")
    # Without a scale the bounds are the completers' own range of change (all 0.5 here).
    assert observed.loc["upper bound", "mean_change"] == pytest.approx(0.5)
    with pytest.raises(InputError, match="outside the scale"):
        attrition_bounds(dropout, "confidence_pre", "confidence_post", scale=(3, 5))


# ----------------------------------------------------------------------------- DiD


def did_panel():
    """Two people per cell, two periods: cell means control 2 -> 3, treated 4 -> 7."""
    return pd.DataFrame(
        {
            "person": [1, 1, 2, 2, 3, 3, 4, 4],
            "treated": [0, 0, 0, 0, 1, 1, 1, 1],
            "post": [0, 1, 0, 1, 0, 1, 0, 1],
            "y": [1.0, 2.5, 3.0, 3.5, 3.0, 6.0, 5.0, 8.0],
        }
    )


def test_did_interaction_is_the_difference_of_differences():
    data = did_panel()
    res = did(data, "y", "treated", "post")
    # (7 - 4) - (3 - 2) = 2 exactly; the other terms are cell-mean contrasts.
    assert res.loc["treated:post", "coef"] == pytest.approx(2.0, abs=1e-12)
    assert res.loc["Intercept", "coef"] == pytest.approx(2.0, abs=1e-12)
    assert res.loc["treated", "coef"] == pytest.approx(2.0, abs=1e-12)
    assert res.loc["post", "coef"] == pytest.approx(1.0, abs=1e-12)
    assert res.index.name == "term"
    # Classical SE of the interaction in a saturated 2x2 by hand:
    # sigma^2 = within-cell SS / (n - 4), se = sigma * sqrt(sum of 1 / n_cell).
    within = sum(((g - g.mean()) ** 2).sum() for _, g in data.groupby(["treated", "post"]).y)
    sigma = math.sqrt(within / (8 - 4))
    assert res.loc["treated:post", "se"] == pytest.approx(sigma * math.sqrt(4 / 2), rel=1e-10)
    assert res.fit_info["mean_treated_post"] == pytest.approx(7.0)
    assert "changed by 2.00 more" in res.reading()


def test_did_cluster_with_singletons_equals_hc1():
    # CR1 multiplies by G/(G-1) x (N-1)/(N-K); with one observation per cluster (G = N)
    # that is N/(N-K), HC1's factor, so the two sandwich SEs coincide.
    import statsmodels.api as sm

    rng = np.random.default_rng(7)
    data = pd.DataFrame(
        {"treated": np.repeat([0, 1], 30), "post": np.tile(np.repeat([0, 1], 15), 2)}
    )
    data["y"] = rng.normal(size=60) * (1 + data.treated) + data.treated * data.post
    data["row"] = np.arange(60)
    res = did(data, "y", "treated", "post", cluster="row")
    design = sm.add_constant(
        data[["treated", "post"]].assign(inter=data.treated * data.post).astype(float)
    )
    hc1 = sm.OLS(data.y, design).fit(cov_type="HC1")
    assert res["se"].to_numpy() == pytest.approx(hc1.bse.to_numpy(), rel=1e-10)
    assert res.fit_info["n_clusters"] == 60


def test_did_input_errors():
    data = did_panel()
    with pytest.raises(InputError, match="all four cells"):
        did(data[(data.treated == 0) | (data.post == 0)], "y", "treated", "post")
    with pytest.raises(InputError, match="'treated' must hold 0/1"):
        did(data.assign(treated=data.treated * 2), "y", "treated", "post")
    with pytest.raises(InputError, match="'site'"):
        did(data, "y", "treated", "post", cluster="site")
    with pytest.raises(InputError, match="at least 2 clusters"):
        did(data.assign(site=1), "y", "treated", "post", cluster="site")
    res = did(data.assign(y=data.y.where(data.index != 0)), "y", "treated", "post")
    assert any("1 of 8 rows dropped" in note for note in res.notes)


# ----------------------------------------------------------------------------- multiplicity


def test_adjust_p_reproduces_r_p_adjust():
    p = [0.01, 0.02, 0.03, 0.04, 0.05]
    # R: p.adjust(p, "holm") -> 0.05 0.08 0.09 0.09 0.09
    assert adjust_p(p, "holm")["p_adjusted"].tolist() == pytest.approx(
        [0.05, 0.08, 0.09, 0.09, 0.09]
    )
    # R: p.adjust(p, "BH") -> 0.05 0.05 0.05 0.05 0.05
    assert adjust_p(p, "fdr_bh")["p_adjusted"].tolist() == pytest.approx([0.05] * 5)
    # R: p.adjust(p, "bonferroni") -> 0.05 0.10 0.15 0.20 0.25
    bonf = adjust_p(np.array(p), "bonferroni")
    assert bonf["p_adjusted"].tolist() == pytest.approx([0.05, 0.10, 0.15, 0.20, 0.25])
    # statsmodels rejects when the adjusted p is <= alpha, so 0.05 counts at alpha = .05.
    assert bonf["reject"].tolist() == [True, False, False, False, False]


def test_adjust_p_keeps_index_and_missing():
    p = pd.Series([0.01, np.nan, 0.04], index=["retention", "satisfaction", "confidence"])
    res = adjust_p(p, "holm")
    assert list(res.index) == ["retention", "satisfaction", "confidence"]
    # Holm over the two present values: 0.01 x 2, max(0.04 x 1, 0.02) (R's p.adjust drops NA).
    assert res.loc["retention", "p_adjusted"] == pytest.approx(0.02)
    assert res.loc["confidence", "p_adjusted"] == pytest.approx(0.04)
    assert math.isnan(res.loc["satisfaction", "p_adjusted"])
    assert res["reject"].dtype == bool
    assert any("1 missing p-value" in note for note in res.notes)
    with pytest.raises(InputError, match="between 0 and 1"):
        adjust_p([0.2, 1.5])
    with pytest.raises(InputError, match="method"):
        adjust_p([0.2], "BH")


def two_one_sided(x, y, bound, **kw):
    """Independent path: the two one-sided Student t-tests of Schuirmann (1987) in scipy."""
    lower = sps.ttest_ind(np.asarray(x) + bound, y, alternative="greater", **kw)
    upper = sps.ttest_ind(np.asarray(x) - bound, y, alternative="less", **kw)
    return max(lower.pvalue, upper.pvalue), (lower, upper)


def test_tost_two_groups_matches_two_one_sided_t_tests():
    rng = np.random.default_rng(11)
    a, b = rng.normal(0, 1, 25), rng.normal(0.1, 1, 30)
    data = pd.DataFrame({"y": np.r_[a, b], "arm": ["a"] * 25 + ["b"] * 30})
    res = tost(data, "y", "arm", bound=0.8)
    p, (lower, upper) = two_one_sided(a, b, 0.8)
    assert first(res, "p_value") == pytest.approx(p, rel=1e-10)
    binding = lower if lower.pvalue >= upper.pvalue else upper
    assert first(res, "statistic") == pytest.approx(binding.statistic, rel=1e-10)
    assert first(res, "df") == 53
    assert bool(first(res, "equivalent")) == (p < 0.05)
    # Equivalence at alpha <=> the 90% CI of the difference lies within +-bound.
    inside = -0.8 < first(res, "ci_low") and first(res, "ci_high") < 0.8
    assert inside == bool(first(res, "equivalent"))
    welch = tost(data, "y", "arm", bound=0.8, welch=True)
    assert first(welch, "p_value") == pytest.approx(
        two_one_sided(a, b, 0.8, equal_var=False)[0], rel=1e-10
    )


def test_tost_paired_and_one_sample(sleep):
    change = np.array(SLEEP_G1) - np.array(SLEEP_G2)
    # Paired TOST = one-sample TOST on the differences (two one-sided scipy tests).
    res = tost(sleep, "post", bound=2.0, paired_with="pre")
    p = max(
        sps.ttest_1samp(change, -2.0, alternative="greater").pvalue,
        sps.ttest_1samp(change, 2.0, alternative="less").pvalue,
    )
    assert first(res, "p_value") == pytest.approx(p, rel=1e-10)
    assert first(res, "df") == 9
    one = tost(pd.DataFrame({"d": change}), "d", bound=2.0)
    assert first(one, "p_value") == pytest.approx(p, rel=1e-10)
    # The sleep drugs differ by 1.58 on average: not equivalent within +-1.
    assert not bool(first(tost(sleep, "post", bound=1.0, paired_with="pre"), "equivalent"))
    with pytest.raises(InputError, match="bound"):
        tost(sleep, "post", bound=0, paired_with="pre")
    with pytest.raises(InputError, match="exactly 2 groups"):
        tost(sleep.assign(g=list("abcabcabca")), "post", "g", bound=1.0)
