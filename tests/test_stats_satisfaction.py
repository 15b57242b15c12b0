"""Tests for mentorlab.stats.satisfaction against published results and independent paths.

Each test that reproduces a published value says where the value comes from.  Where no
published value was available, the test compares with an independent computation
written differently (scipy tests that are special cases, hand-written formulas or
likelihoods) or checks a known property by simulation.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels
from scipy import optimize, stats
from statsmodels.tools.numdiff import approx_hess3

from mentorlab.errors import InputError
from mentorlab.stats import StatsResult
from mentorlab.stats.satisfaction import (
    _dunn_z,
    compare_groups,
    icc,
    mixed_model,
    ordinal,
    posthoc,
    reliability,
)

DATA = Path(__file__).parent / "data"
UCLA = Path(statsmodels.__file__).parent / "miscmodels/tests/results/ologit_ucla.csv"


# ----------------------------------------------------------------------------- data


@pytest.fixture(scope="module")
def pain() -> pd.DataFrame:
    """pingouin's 'anova' dataset: Pain threshold by Hair color (McClave & Dietrich)."""
    return pg.read_dataset("anova")


@pytest.fixture(scope="module")
def plant_growth() -> pd.DataFrame:
    """R datasets::PlantGrowth (Dobson 1983), typed in from R."""
    weights = {
        "ctrl": [4.17, 5.58, 5.18, 6.11, 4.50, 4.61, 5.17, 4.53, 5.33, 5.14],
        "trt1": [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69],
        "trt2": [6.31, 5.12, 5.54, 5.50, 5.37, 5.29, 4.92, 6.15, 5.80, 5.26],
    }
    return pd.DataFrame(
        [(w, g) for g, ws in weights.items() for w in ws], columns=["weight", "group"]
    )


@pytest.fixture(scope="module")
def ponds() -> pd.DataFrame:
    """pH in four ponds, Zar (2010) Biostatistical Analysis; as in R FSA's dunnTest tests."""
    ph = [
        *[7.68, 7.69, 7.70, 7.70, 7.72, 7.73, 7.73, 7.76],
        *[7.71, 7.73, 7.74, 7.74, 7.78, 7.78, 7.80, 7.81],
        *[7.74, 7.75, 7.77, 7.78, 7.80, 7.81, 7.84, np.nan],
        *[7.71, 7.71, 7.74, 7.79, 7.81, 7.85, 7.87, 7.91],
    ]
    return pd.DataFrame({"pH": ph, "pond": np.repeat([1, 2, 3, 4], 8)})


@pytest.fixture(scope="module")
def sleepstudy() -> pd.DataFrame:
    return pd.read_csv(DATA / "sleepstudy.csv")


@pytest.fixture(scope="module")
def slopes_fit(sleepstudy) -> StatsResult:
    return mixed_model(sleepstudy, "Reaction ~ Days", "Subject", re_formula="~Days")


@pytest.fixture
def small() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "score": [3.0, 4.0, 5.0, 4.5, 6.0, 7.0, 6.5, 8.0, 2.0],
            "arm": ["a", "a", "a", "b", "b", "b", "c", "c", "c"],
            "word": list("xyzxyzxyz"),
            "same": [1.0] * 9,
        }
    )


# ---------------------------------------------------------------------- compare_groups


def test_one_way_anova_reproduces_published_values(pain):
    # Published (preamble table; R aov / oneway.test(var.equal=TRUE)): F(3,15) = 6.791, p = .0041
    res = compare_groups(pain, "Pain threshold", "Hair color", method="anova")
    row = res.iloc[0]
    assert row["statistic"] == pytest.approx(6.791, abs=5e-4)
    assert (row["df"], row["df2"]) == (3, 15)
    assert row["p_value"] == pytest.approx(0.0041, abs=5e-5)
    # eta² = SS_between / SS_total, computed here from the raw data.
    y, g = pain["Pain threshold"], pain["Hair color"]
    ss_between = (y.groupby(g).transform("mean") - y.mean()).pow(2).sum()
    assert row["eta_sq_partial"] == pytest.approx(ss_between / ((y - y.mean()) ** 2).sum())
    assert res.reading() == (
        "Mean Pain threshold differed across the 4 Hair color groups "
        "(F(3, 15) = 6.79, p = .004); partial eta-squared = 0.58."
    )


def test_welch_anova_reproduces_published_values(pain):
    # Published (preamble table; R oneway.test): Welch F(3, 8.33) = 5.890, p = .0188
    res = compare_groups(pain, "Pain threshold", "Hair color")
    row = res.iloc[0]
    assert row["method"] == "Welch ANOVA"
    assert row["statistic"] == pytest.approx(5.890, abs=5e-4)
    assert row["df"] == 3
    assert row["df2"] == pytest.approx(8.33, abs=5e-3)
    assert row["p_value"] == pytest.approx(0.0188, abs=5e-5)
    assert "eta_sq_partial" in res.columns
    assert any("unweighted" in note for note in res.notes)
    assert "Welch's F(3, 8.33) = 5.89, p = .019" in res.reading()


def test_kruskal_matches_scipy_and_epsilon_squared_formula(pain):
    res = compare_groups(pain, "Pain threshold", "Hair color", method="kruskal")
    samples = [s.to_numpy() for _, s in pain.groupby("Hair color")["Pain threshold"]]
    h, p = stats.kruskal(*samples)  # an independent implementation (scipy)
    n = len(pain)
    row = res.iloc[0]
    assert row["statistic"] == pytest.approx(h)
    assert row["p_value"] == pytest.approx(p)
    assert row["df"] == 3
    assert "df2" not in res.columns
    # Tomczak & Tomczak (2014): E²_R = H / ((n² − 1) / (n + 1))
    assert row["epsilon_sq"] == pytest.approx(h * (n + 1) / (n**2 - 1))
    assert res.reading().startswith("The distribution of Pain threshold differed")


def test_group_descriptives_in_fit_info(pain):
    res = compare_groups(pain, "Pain threshold", "Hair color", method="anova")
    light = pain.loc[pain["Hair color"] == "Light Brunette", "Pain threshold"]
    assert res.fit_info["n[Light Brunette]"] == 4
    assert res.fit_info["mean[Light Brunette]"] == pytest.approx(light.mean())
    assert res.fit_info["sd[Light Brunette]"] == pytest.approx(light.std(ddof=1))
    assert (res.fit_info["n"], res.fit_info["k_groups"]) == (19, 4)


def test_compare_groups_reading_when_not_significant(plant_growth):
    two = plant_growth[plant_growth["group"] != "trt2"]
    res = compare_groups(two, "weight", "group", method="anova")
    assert res.iloc[0]["p_value"] > 0.05
    assert res.reading().startswith("Mean weight did not differ significantly across the 2 group")


def test_compare_groups_bad_method_lists_choices(pain):
    with pytest.raises(InputError, match=r"'welch', 'anova', 'kruskal'"):
        compare_groups(pain, "Pain threshold", "Hair color", method="t-test")


def test_compare_groups_drops_missing_with_count(pain):
    holey = pain.copy()
    holey.loc[[0, 7], "Pain threshold"] = np.nan
    holey.loc[3, "Hair color"] = None
    res = compare_groups(holey, "Pain threshold", "Hair color", method="anova")
    assert res.notes[0].startswith("3 of 19 rows dropped")
    expected = compare_groups(pain.drop(index=[0, 3, 7]), "Pain threshold", "Hair color")
    assert res.iloc[0]["n"] == 16 == expected.iloc[0]["n"]


@pytest.mark.parametrize(
    ("dv", "group", "match"),
    [
        ("nope", "arm", r"'nope' not in the data"),
        ("score", "nope", r"'nope' not in the data"),
        ("word", "arm", r"column 'word' must be numeric"),
        ("score", "same", r"at least 2 groups"),
        ("same", "arm", r"column 'same' has the same value in every"),
    ],
)
def test_compare_groups_input_errors(small, dv, group, match):
    with pytest.raises(InputError, match=match):
        compare_groups(small, dv, group)


def test_compare_groups_needs_three_rows(small):
    with pytest.raises(InputError, match=r"at least 3 complete observations, got 2"):
        compare_groups(small.iloc[[0, 3]], "score", "arm", method="anova")


def test_welch_needs_two_per_group_but_anova_does_not(small):
    one_in_c = small.iloc[:7]
    with pytest.raises(InputError, match=r"too few in: c"):
        compare_groups(one_in_c, "score", "arm")
    assert compare_groups(one_in_c, "score", "arm", method="anova").iloc[0]["df2"] == 4


# ----------------------------------------------------------------------------- posthoc


def test_tukey_reproduces_r_tukeyhsd_plantgrowth(plant_growth):
    # R: TukeyHSD(aov(weight ~ group, PlantGrowth)) prints
    #   trt1-ctrl -0.371 lwr -1.0622161 upr 0.3202161 p adj 0.3908711
    #   trt2-ctrl  0.494     -0.1972161     1.1852161       0.1979960
    #   trt2-trt1  0.865      0.1737839     1.5562161       0.0120064
    # Our rows are group_a − group_b (ctrl − trt1, ...), so R's signs flip.
    res = posthoc(plant_growth, "weight", "group", method="tukey").set_index(["group_a", "group_b"])
    published = {
        ("ctrl", "trt1"): (-0.371, -1.0622161, 0.3202161, 0.3909),
        ("ctrl", "trt2"): (0.494, -0.1972161, 1.1852161, 0.1980),
        ("trt1", "trt2"): (0.865, 0.1737839, 1.5562161, 0.0120),
    }
    for pair, (diff, lwr, upr, p_adj) in published.items():
        row = res.loc[pair]
        assert row["mean_difference"] == pytest.approx(-diff, abs=5e-4)
        assert row["ci_low"] == pytest.approx(-upr, abs=5e-5)
        assert row["ci_high"] == pytest.approx(-lwr, abs=5e-5)
        assert row["p_value"] == pytest.approx(p_adj, abs=5e-5)
        assert row["p_adjust"] == "tukey"
        assert row["df"] == 27


def test_tukey_with_two_groups_is_students_t_test(plant_growth):
    two = plant_growth[plant_growth["group"] != "trt2"]
    row = posthoc(two, "weight", "group", method="tukey").iloc[0]
    a, b = (two.loc[two["group"] == g, "weight"] for g in ("ctrl", "trt1"))
    t, p = stats.ttest_ind(a, b)  # with k = 2 the studentized range reduces to |t|
    assert row["statistic"] == pytest.approx(t)
    assert row["p_value"] == pytest.approx(p, rel=1e-6)


def test_games_howell_with_two_groups_is_welch_t_test(plant_growth):
    two = plant_growth[plant_growth["group"] != "ctrl"]
    row = posthoc(two, "weight", "group").iloc[0]
    a, b = (two.loc[two["group"] == g, "weight"] for g in ("trt1", "trt2"))
    welch = stats.ttest_ind(a, b, equal_var=False)
    assert row["statistic"] == pytest.approx(welch.statistic)
    assert row["df"] == pytest.approx(welch.df)
    assert row["p_value"] == pytest.approx(welch.pvalue, rel=1e-6)
    ci = welch.confidence_interval()
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high), rel=1e-6)


def test_games_howell_matches_hand_computation(pain):
    # Games & Howell (1976): se = √(s²_a/n_a + s²_b/n_b), Welch–Satterthwaite df,
    # p = P(Q_{k,df} > |t|·√2); simultaneous CI = diff ± q_{.95,k,df}/√2 · se.
    res = posthoc(pain, "Pain threshold", "Hair color", method="games-howell")
    groups = {g: s.to_numpy() for g, s in pain.groupby("Hair color")["Pain threshold"]}
    k = len(groups)
    for row in res.itertuples():
        a, b = groups[row.group_a], groups[row.group_b]
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        t = (a.mean() - b.mean()) / se
        half = stats.studentized_range.ppf(0.95, k, df) / np.sqrt(2) * se
        assert row.statistic == pytest.approx(t)
        assert row.df == pytest.approx(df)
        assert row.p_value == pytest.approx(stats.studentized_range.sf(abs(t) * np.sqrt(2), k, df))
        assert row.ci_low == pytest.approx(a.mean() - b.mean() - half)
        assert row.ci_high == pytest.approx(a.mean() - b.mean() + half)
    assert set(res["p_adjust"]) == {"games-howell"}


def test_dunn_reproduces_unistat_ponds(ponds):
    # Bonferroni-adjusted Dunn p values for Zar's ponds data from UniStat, used as the
    # validation target in R FSA's test suite (tests/testthat/EXS_dunnTest.R):
    # 2-1: 0.1956, 3-1: 0.0191, 3-2: 1, 4-1: 0.0166, 4-2: 1, 4-3: 1.
    res = posthoc(ponds, "pH", "pond", method="dunn")
    assert res.notes[0].startswith("1 of 32 rows dropped")
    by_pair = res.set_index(["group_a", "group_b"])
    published = {(1, 2): 0.1956, (1, 3): 0.0191, (2, 3): 1, (1, 4): 0.0166, (2, 4): 1, (3, 4): 1}
    for pair, p_bonf in published.items():
        ours = min(1.0, 6 * by_pair.loc[pair, "p_unadjusted"])
        assert ours == pytest.approx(p_bonf, abs=5e-5)
    # Holm (step-down), computed here by hand from the unadjusted p values.
    order = np.argsort(res["p_unadjusted"].to_numpy())
    stepped = np.maximum.accumulate(res["p_unadjusted"].to_numpy()[order] * np.arange(6, 0, -1))
    holm = np.empty(6)
    holm[order] = np.minimum(stepped, 1)
    assert res["p_value"].to_numpy() == pytest.approx(holm)
    assert set(res["p_adjust"]) == {"holm"}


def test_dunn_with_two_groups_squares_to_kruskal_wallis_h():
    # With k = 2, Dunn's tie-corrected z² equals the tie-corrected Kruskal–Wallis H.
    a = [1, 2, 2, 3, 5, 5, 5, 8]
    b = [2, 4, 5, 6, 6, 7, 9, 9, 10]
    df = pd.DataFrame({"y": a + b, "g": ["a"] * len(a) + ["b"] * len(b)})
    row = posthoc(df, "y", "g", method="dunn").iloc[0]
    h, p = stats.kruskal(a, b)
    assert row["statistic"] ** 2 == pytest.approx(h)
    assert row["p_unadjusted"] == pytest.approx(p)
    assert row["statistic"] < 0  # group a ranks lower
    # pingouin's rank-biserial: 1 − 2·U_b / (n_a·n_b), negative when a tends to be smaller.
    u_b = stats.mannwhitneyu(b, a).statistic
    assert row["rank_biserial"] == pytest.approx(1 - 2 * u_b / (len(a) * len(b)))


def test_dunn_holds_its_size_under_the_null():
    # Type I error by simulation: 3 groups of 15 from one normal distribution.
    rng = np.random.default_rng(20240611)
    groups = np.repeat(["a", "b", "c"], 15)
    rejections = [
        (_dunn_z(rng.normal(size=45), groups)["p_unadjusted"] < 0.05).to_numpy() for _ in range(600)
    ]
    rate = float(np.mean(rejections))
    assert 0.035 <= rate <= 0.065  # 0.05 ± about 2.5 Monte Carlo SEs


def test_posthoc_bad_method_and_small_groups(small):
    with pytest.raises(InputError, match=r"'games-howell', 'tukey', 'dunn'"):
        posthoc(small, "score", "arm", method="scheffe")
    with pytest.raises(InputError, match=r"too few in: c"):
        posthoc(small.iloc[:7], "score", "arm")
    assert len(posthoc(small.iloc[:7], "score", "arm", method="dunn")) == 3


def test_posthoc_reading(plant_growth):
    res = posthoc(plant_growth, "weight", "group", method="tukey")
    assert res.reading() == (
        "1 of 3 pairs of group groups differed significantly in weight (Tukey HSD): "
        "trt1 vs trt2 (mean difference -0.87, p = .012)."
    )
    two = plant_growth[plant_growth["group"] != "trt2"]
    assert posthoc(two, "weight", "group").reading().startswith("None of the 1 pairs")


# ------------------------------------------------------------------------- mixed_model


def test_mixed_model_sleepstudy_random_slopes_matches_lme4(slopes_fit):
    # Published (lme4 sleepstudy, Bates et al. 2015 JSS 67(1)):
    # lmer(Reaction ~ Days + (Days | Subject)) REML: fixed 251.405 (6.825), 10.467 (1.546);
    # Subject SD 24.741, Days SD 5.922, correlation 0.07; residual SD 25.592;
    # REML criterion 1743.6 (log-likelihood −871.8).
    res = slopes_fit
    assert res.index.name == "term"
    assert res.loc["Intercept", "coef"] == pytest.approx(251.405, abs=5e-4)
    assert res.loc["Intercept", "se"] == pytest.approx(6.825, abs=5e-4)
    assert res.loc["Days", "coef"] == pytest.approx(10.467, abs=5e-4)
    assert res.loc["Days", "se"] == pytest.approx(1.546, abs=5e-4)
    info = res.fit_info
    assert info["residual_sd"] == pytest.approx(25.592, abs=5e-4)
    assert info["group_sd"] == pytest.approx(24.741, abs=5e-4)
    assert info["slope_sd[Days]"] == pytest.approx(5.922, abs=5e-4)
    assert round(info["corr[Intercept,Days]"], 2) == 0.07
    assert -2 * info["log_likelihood"] == pytest.approx(1743.6, abs=0.05)
    assert (info["n"], info["n_groups"], info["method"]) == (180, 18, "REML")
    assert bool(info["converged"]) and "icc" not in info.index
    # Wald z and CI from the reported coefficient and SE
    days = res.loc["Days"]
    assert days["statistic"] == pytest.approx(days["coef"] / days["se"])
    assert days["ci_low"] == pytest.approx(days["coef"] - stats.norm.ppf(0.975) * days["se"])


def test_mixed_model_sleepstudy_ml_matches_lme4(sleepstudy):
    # Published (lme4, same model with REML = FALSE): logLik −875.97, AIC 1763.9, BIC 1783.1
    res = mixed_model(sleepstudy, "Reaction ~ Days", "Subject", re_formula="~Days", reml=False)
    assert res.fit_info["method"] == "ML"
    assert res.fit_info["log_likelihood"] == pytest.approx(-875.97, abs=5e-3)
    assert res.fit_info["aic"] == pytest.approx(1763.9, abs=0.05)
    assert res.fit_info["bic"] == pytest.approx(1783.1, abs=0.05)


def test_mixed_model_random_intercept_matches_lme4_and_gives_icc(sleepstudy):
    # Published (lme4: lmer(Reaction ~ Days + (1 | Subject))): Subject variance 1378.2
    # (SD 37.12), residual 960.5 (SD 30.99); Days 10.4673 (SE 0.8042), intercept SE 9.7467.
    res = mixed_model(sleepstudy, "Reaction ~ Days", "Subject")
    info = res.fit_info
    assert info["group_var"] == pytest.approx(1378.2, abs=0.05)
    assert info["group_sd"] == pytest.approx(37.12, abs=5e-3)
    assert info["residual_var"] == pytest.approx(960.5, abs=0.05)
    assert info["residual_sd"] == pytest.approx(30.99, abs=5e-3)
    assert res.loc["Days", "se"] == pytest.approx(0.8042, abs=5e-5)
    assert res.loc["Intercept", "se"] == pytest.approx(9.7467, abs=5e-5)
    assert info["icc"] == pytest.approx(1378.2 / (1378.2 + 960.5), abs=1e-4)


def test_mixed_model_reading(slopes_fit):
    assert slopes_fit.reading() == (
        "Reaction changed by 10.47 per one-unit increase in Days (95% CI 7.44 to 13.50; "
        "z = 6.77, p < .001), allowing for differences between the 18 Subject groups."
    )


def test_mixed_model_convergence_warning_becomes_note():
    # Group means made identical: the group variance sits on the boundary (0), which
    # makes statsmodels warn; the function must report, not crash.
    rng = np.random.default_rng(3)
    g = np.repeat(np.arange(10), 6)
    y = rng.normal(size=60)
    y = y - pd.Series(y).groupby(g).transform("mean").to_numpy()
    res = mixed_model(pd.DataFrame({"y": y, "g": g}), "y ~ 1", "g")
    assert any(note.startswith("ConvergenceWarning") for note in res.notes)
    assert res.fit_info["group_var"] == pytest.approx(0, abs=1e-3)


def test_mixed_model_drops_missing_and_checks_inputs(sleepstudy):
    holey = sleepstudy.copy()
    holey.loc[[0, 1], "Days"] = np.nan
    holey["Label"] = "x"
    res = mixed_model(holey, "Reaction ~ Days", "Subject")
    assert res.notes[0].startswith("2 of 180 rows dropped")
    assert res.fit_info["n"] == 178
    with pytest.raises(InputError, match=r"'Dayz', which is not a column") as err:
        mixed_model(sleepstudy, "Reaction ~ Dayz", "Subject")
    assert err.value.column == "Dayz"
    with pytest.raises(InputError, match=r"'Person' not in the data"):
        mixed_model(sleepstudy, "Reaction ~ Days", "Person")
    with pytest.raises(InputError, match=r"column 'Label' must be numeric"):
        mixed_model(holey, "Label ~ Days", "Subject")
    with pytest.raises(InputError, match=r"at least 2 groups"):
        mixed_model(holey, "Reaction ~ Days", "Label")
    with pytest.raises(InputError, match=r"needs a response"):
        mixed_model(sleepstudy, "Days", "Subject")


# ----------------------------------------------------------------------------- ordinal


@pytest.mark.skipif(not UCLA.exists(), reason="statsmodels test data not installed")
def test_ordinal_reproduces_polr_ucla_example():
    # Published: UCLA IDRE "Ordinal logistic regression | R data analysis examples";
    # MASS::polr(apply ~ pared + public + gpa), as stored in statsmodels' test results:
    #   pared 1.04769 (0.2658), public −0.05879 (0.2979), gpa 0.61594 (0.2606);
    #   unlikely|somewhat likely 2.2039 (0.7795), somewhat likely|very likely 4.2994 (0.8043);
    #   residual deviance 717.0249, AIC 727.0249.
    # polr's optimiser stops early on this flat likelihood (our log-likelihood is higher by
    # 3e-7), so estimates are compared to 1e-3 and the deviance to the printed precision.
    data = pd.read_csv(UCLA)
    data["apply"] = pd.Categorical(
        data["apply"], ["unlikely", "somewhat likely", "very likely"], ordered=True
    )
    res = ordinal(data, "apply ~ pared + public + gpa")
    expected = {
        "pared": (1.04769, 0.2658),
        "public": (-0.05879, 0.2979),
        "gpa": (0.61594, 0.2606),
        "unlikely|somewhat likely": (2.2039, 0.7795),
        "somewhat likely|very likely": (4.2994, 0.8043),
    }
    assert list(res.index) == list(expected)
    for term, (coef, se) in expected.items():
        assert res.loc[term, "coef"] == pytest.approx(coef, abs=1e-3)
        assert res.loc[term, "se"] == pytest.approx(se, abs=5e-5)
    assert res.fit_info["deviance"] == pytest.approx(717.0249, abs=5e-5)
    assert res.fit_info["aic"] == pytest.approx(727.0249, abs=5e-5)
    assert res.loc["pared", "odds_ratio"] == pytest.approx(np.exp(res.loc["pared", "coef"]))
    assert list(res["kind"]) == ["coefficient"] * 3 + ["threshold"] * 2


def _polr_negloglik(theta: np.ndarray, x: np.ndarray, y: np.ndarray, k: int) -> float:
    """Cumulative-logit likelihood with the cut-points themselves as parameters."""
    beta, cuts = theta[: x.shape[1]], theta[x.shape[1] :]
    if np.any(np.diff(cuts) <= 0):
        return np.inf
    bounds = np.concatenate(([-np.inf], cuts, [np.inf]))
    eta = x @ beta
    prob = stats.logistic.cdf(bounds[y + 1] - eta) - stats.logistic.cdf(bounds[y] - eta)
    return -np.sum(np.log(prob))


def test_ordinal_matches_hand_written_likelihood():
    # An independent fit: Nelder–Mead on a likelihood written directly in the cut-points,
    # SEs from the inverse numerical Hessian in that parametrisation (no delta method).
    rng = np.random.default_rng(11)
    n = 250
    x1, x2 = rng.normal(size=n), rng.binomial(1, 0.4, size=n)
    latent = 0.9 * x1 - 0.6 * x2 + rng.logistic(size=n)
    y = np.digitize(latent, [-1.0, 0.3, 1.5])
    data = pd.DataFrame({"rating": y + 1, "x1": x1, "x2": x2})  # numeric 1..4
    res = ordinal(data, "rating ~ x1 + x2")

    x = np.column_stack([x1, x2])
    start = np.array([0.0, 0.0, -1.0, 0.0, 1.0])
    fit = optimize.minimize(
        _polr_negloglik,
        start,
        args=(x, y, 4),
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 40000, "maxfev": 40000},
    )
    se = np.sqrt(np.diag(np.linalg.inv(approx_hess3(fit.x, _polr_negloglik, args=(x, y, 4)))))
    assert list(res.index) == ["x1", "x2", "1|2", "2|3", "3|4"]
    assert res["coef"].to_numpy() == pytest.approx(fit.x, abs=1e-4)
    assert res["se"].to_numpy() == pytest.approx(se, rel=1e-3)
    assert res.fit_info["log_likelihood"] == pytest.approx(-fit.fun, abs=1e-6)
    assert res.fit_info["levels"] == "1 < 2 < 3 < 4"


def test_ordinal_inputs_and_reading():
    rng = np.random.default_rng(5)
    x = rng.normal(size=60)
    levels = ["low", "mid", "high", "unused"]
    codes = np.digitize(0.8 * x + rng.logistic(size=60), [-0.5, 0.8])
    rating = pd.Categorical([levels[c] for c in codes], categories=levels, ordered=True)
    data = pd.DataFrame({"rating": rating, "x": x, "word": "a"})
    data.loc[0, "x"] = np.nan
    res = ordinal(data, "rating ~ x")
    assert res.notes[0].startswith("1 of 60 rows dropped")
    assert any("unobserved level(s) of rating left out: unused" in n for n in res.notes)
    assert list(res.index) == ["x", "low|mid", "mid|high"]
    assert res.reading().startswith("The odds of a higher rating category were multiplied by ")
    with pytest.raises(InputError, match=r"unordered categorical"):
        ordinal(data.assign(rating=data["rating"].astype(str).astype("category")), "rating ~ x")
    with pytest.raises(InputError, match=r"must be numeric or an ordered categorical"):
        ordinal(data, "word ~ x")
    with pytest.raises(InputError, match=r"only one observed level"):
        ordinal(data.assign(flat=1), "flat ~ x")
    with pytest.raises(InputError, match=r"'z', which is not a column"):
        ordinal(data, "rating ~ x + z")


# ------------------------------------------------------------------------- reliability


def _alpha_from_covariance(items: pd.DataFrame) -> float:
    # Cronbach (1951): α = k/(k − 1) · (1 − Σ var(item) / var(total))
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(ddof=1).sum() / items.sum(axis=1).var(ddof=1))


def _feldt_ci(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    # Feldt, Woodruff & Salih (1987): 1 − (1 − α)·F_{(1±level)/2}(n − 1, (n − 1)(k − 1))
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    return (
        1 - (1 - alpha) * stats.f.ppf(1 - tail, df1, df2),
        1 - (1 - alpha) * stats.f.ppf(tail, df1, df2),
    )


def test_reliability_listwise_matches_psych_value():
    # Published (pingouin docs for cronbach_alpha, "In R: psych::alpha(data,
    # use='complete.obs')"): α = 0.8016949 on 'cronbach_wide_missing' after listwise deletion.
    data = pg.read_dataset("cronbach_wide_missing")
    res = reliability(data, list(data.columns))
    row = res.iloc[0]
    assert row["cronbach_alpha"] == pytest.approx(0.8016949, abs=5e-8)
    assert (row["n"], row["k"]) == (9, 11)
    assert res.notes[0].startswith("3 of 12 rows dropped")
    # The CI uses the 9 complete respondents (pingouin's own docs example computes it with
    # n = 12, before deletion, hence its [0.581, 0.933]).
    low, high = _feldt_ci(0.8016949, n=9, k=11)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), abs=5e-4)


def test_reliability_likert_example_and_covariance_formula():
    # Published (pingouin docs): α = 0.5917 with 95% CI [0.195, 0.84] for 'cronbach_alpha'.
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    res = reliability(wide, list(wide.columns))
    row = res.iloc[0]
    assert row["cronbach_alpha"] == pytest.approx(0.5917, abs=5e-5)
    assert row["cronbach_alpha"] == pytest.approx(_alpha_from_covariance(wide))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.195, 0.84), abs=5e-4)
    narrower = reliability(wide, list(wide.columns), alpha=0.2).iloc[0]
    low80, high80 = _feldt_ci(row["cronbach_alpha"], len(wide), wide.shape[1], level=0.8)
    assert (narrower["ci_low"], narrower["ci_high"]) == pytest.approx((low80, high80), abs=5e-4)
    rest = wide.drop(columns="Q1").sum(axis=1)
    assert res.fit_info["r_item_rest[Q1]"] == pytest.approx(np.corrcoef(wide["Q1"], rest)[0, 1])
    assert res.reading() == (
        "The 10-item scale had Cronbach's alpha = 0.59 (95% CI 0.20 to 0.84) across 15 respondents."
    )


def test_reliability_input_errors(small):
    items = pd.DataFrame({"q1": [1, 2, 3, 4], "q2": [2, 3, 3, 5], "q3": [4, 3, 2, 1]})
    with pytest.raises(InputError, match=r"at least 2 item columns"):
        reliability(items, ["q1"])
    with pytest.raises(InputError, match=r"'q9' not in the data"):
        reliability(items, ["q1", "q9"])
    with pytest.raises(InputError, match=r"column 'word' must be numeric"):
        reliability(small, ["score", "word"])
    with pytest.raises(InputError, match=r"at least 3 complete observations"):
        reliability(items.iloc[:2], ["q1", "q2"])
    with pytest.raises(InputError, match=r"total of the items q1, q3 is the same"):
        reliability(items.assign(q3=5 - items["q1"]), ["q1", "q3"])


# --------------------------------------------------------------------------------- icc


def test_icc_balanced_matches_pingouin_icc1(monkeypatch):
    # Balanced case: mentee index within mentor plays pingouin's "rater", so pingouin's
    # ICC(1,1) (Shrout & Fleiss case 1) is the one-way ICC and must agree exactly.
    rng = np.random.default_rng(8)
    mentor = np.repeat(np.arange(12), 5)
    y = rng.normal(0, 0.8, 12)[mentor] + rng.normal(0, 1, 60)
    data = pd.DataFrame({"mentor": mentor, "mentee": np.tile(np.arange(5), 12), "y": y})
    monkeypatch.setitem(pg.options, "round.column.CI95", None)  # pingouin rounds CIs
    ref = pg.intraclass_corr(data, targets="mentor", raters="mentee", ratings="y")
    ref = ref.set_index("Type").loc["ICC(1,1)"]
    res = icc(data, "y", "mentor").set_index("estimator")
    anova = res.loc["ANOVA"]
    assert anova["icc"] == pytest.approx(ref["ICC"])
    assert (anova["ci_low"], anova["ci_high"]) == pytest.approx(tuple(ref["CI95"]))
    assert anova["statistic"] == pytest.approx(ref["F"])
    assert (anova["df"], anova["df2"]) == (ref["df1"], ref["df2"])
    assert anova["p_value"] == pytest.approx(ref["pval"])
    # Balanced one-way data: the REML estimate equals the ANOVA estimate when the latter
    # is positive (Searle, Casella & McCulloch 1992, sec. 3.8).
    assert ref["ICC"] > 0
    assert res.loc["REML", "icc"] == pytest.approx(anova["icc"], abs=1e-4)
    assert res.fit_info["mean_cluster_size"] == 5 == res.fit_info["n0"]
    assert res.loc["REML", "design_effect"] == pytest.approx(1 + 4 * res.loc["REML", "icc"])


def test_icc_recovers_known_value_by_simulation():
    # 40 mentors × 10 mentees, between SD 0.5, within SD 1 → ICC = 0.25 / 1.25 = 0.2.
    # The SD of one estimate is about 0.06, so the mean of 10 replicates has SE ≈ 0.019.
    rng = np.random.default_rng(2024)
    mentor = np.repeat(np.arange(40), 10)
    estimates = []
    for _ in range(10):
        y = rng.normal(0, 0.5, 40)[mentor] + rng.normal(0, 1, 400)
        estimates.append(icc(pd.DataFrame({"m": mentor, "y": y}), "y", "m")["icc"].to_numpy())
    reml, anova = np.mean(estimates, axis=0)
    assert reml == pytest.approx(0.2, abs=0.05)
    assert anova == pytest.approx(0.2, abs=0.05)


def test_icc_unbalanced_uses_effective_cluster_size():
    rng = np.random.default_rng(4)
    sizes = [2, 3, 5, 8, 4, 6, 3, 7]
    mentor = np.repeat(np.arange(len(sizes)), sizes)
    y = rng.normal(0, 1, len(sizes))[mentor] + rng.normal(0, 1, len(mentor))
    data = pd.DataFrame({"mentor": mentor, "y": y})
    res = icc(data, "y", "mentor")
    n = len(mentor)
    n0 = (n - sum(s * s for s in sizes) / n) / (len(sizes) - 1)  # Searle (1971)
    assert res.fit_info["n0"] == pytest.approx(n0)
    assert res.fit_info["mean_cluster_size"] == pytest.approx(n / len(sizes))
    # ANOVA estimator from the mean squares, computed here from scratch.
    means = data.groupby("mentor")["y"].transform("mean")
    msw = ((data["y"] - means) ** 2).sum() / (n - len(sizes))
    msb = ((means - data["y"].mean()) ** 2).sum() / (len(sizes) - 1)
    anova = res.set_index("estimator").loc["ANOVA"]
    assert anova["icc"] == pytest.approx((msb - msw) / (msb + (n0 - 1) * msw))
    assert anova["design_effect"] == pytest.approx(1 + (n / len(sizes) - 1) * anova["icc"])
    assert any("cluster sizes differ" in note for note in res.notes)
    assert res.reading().startswith("About ")


def test_icc_input_errors_and_missing(small):
    with pytest.raises(InputError, match=r"has the same value in every"):
        icc(small, "same", "arm")
    with pytest.raises(InputError, match=r"at least 2 groups"):
        icc(small, "score", "same")
    singletons = pd.DataFrame({"y": [1.0, 2.0, 4.0], "g": ["a", "b", "c"]})
    with pytest.raises(InputError, match=r"2 or more rows"):
        icc(singletons, "y", "g")
    holey = small.copy()
    holey.loc[0, "score"] = np.nan
    assert icc(holey, "score", "arm").notes[0].startswith("1 of 9 rows dropped")


def test_every_result_is_a_statsresult(pain):
    for res in (
        compare_groups(pain, "Pain threshold", "Hair color"),
        posthoc(pain, "Pain threshold", "Hair color", method="dunn"),
    ):
        assert isinstance(res, StatsResult)
        assert res.title and res.reading().endswith(".")
        assert "Pain threshold" in res.summary()


def test_all_pairs_present(pain):
    res = posthoc(pain, "Pain threshold", "Hair color", method="dunn")
    pairs = set(zip(res["group_a"], res["group_b"], strict=True))
    levels = sorted(pain["Hair color"].unique())
    assert pairs == set(itertools.combinations(levels, 2))
