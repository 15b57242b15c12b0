"""Retention statistics: published reference results, cross-library checks and edge cases.

Reference values come from R, Newcombe (1998) and the project's table of published results;
where no published number exists the reference is a second, independent library
(statsmodels PHReg / survdiff for lifelines, a hypergeometric sum for scipy's Fisher test).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from lifelines.datasets import load_lung
from scipy import stats
from statsmodels.duration.survfunc import survdiff

from mentorlab.errors import InputError
from mentorlab.stats.retention import cox, km_table, logistic, logrank, proportions


@pytest.fixture(scope="module")
def lung() -> pd.DataFrame:
    # lifelines codes status 1 = dead, 0 = censored (R: 2 = dead, 1 = censored); 165 deaths
    # as in R. sex is coded as in R: 1 = male, 2 = female.
    data = load_lung()
    assert data["status"].sum() == 165
    return data


@pytest.fixture(scope="module")
def spector() -> pd.DataFrame:
    return sm.datasets.spector.load_pandas().data


def two_groups(events_a: int, n_a: int, events_b: int, n_b: int) -> pd.DataFrame:
    """Person-level data for two groups 'a' (the reference) and 'b'."""
    event = [1] * events_a + [0] * (n_a - events_a) + [1] * events_b + [0] * (n_b - events_b)
    return pd.DataFrame({"arm": ["a"] * n_a + ["b"] * n_b, "done": event})


# ----------------------------------------------------------------------------- logistic


def test_logistic_reproduces_spector(spector):
    # Published: project reference table (statsmodels spector, GRADE ~ GPA + TUCE + PSI;
    # Spector & Mazzeo 1980 via Greene): GPA 2.826113 (1.262941), PSI 2.378688 (1.064564),
    # const -13.021348 (4.931325).
    res = logistic(spector, "GRADE ~ GPA + TUCE + PSI")
    assert res.index.name == "term"
    assert res.loc["GPA", "coef"] == pytest.approx(2.826113, abs=5e-7)
    assert res.loc["GPA", "se"] == pytest.approx(1.262941, abs=5e-7)
    assert res.loc["PSI", "coef"] == pytest.approx(2.378688, abs=5e-7)
    assert res.loc["PSI", "se"] == pytest.approx(1.064564, abs=5e-7)
    # The exact MLE (score ~1e-16) is -13.0213469 (4.9313242): the published intercept and
    # its SE differ from it by ~1e-6, so the last digit gets a tolerance of 1.5e-6.
    assert res.loc["Intercept", "coef"] == pytest.approx(-13.021348, abs=1.5e-6)
    assert res.loc["Intercept", "se"] == pytest.approx(4.931325, abs=1.5e-6)
    assert res.loc["GPA", "odds_ratio"] == pytest.approx(np.exp(2.826113), rel=1e-6)
    assert res.fit_info["n"] == 32
    assert res.fit_info["converged"]
    assert 0 < res.fit_info["pseudo_r2_mcfadden"] < 1
    assert "16.88" in res.reading()  # exp(2.826113), the GPA odds ratio


def test_logistic_drops_missing_with_count(spector):
    data = spector.copy()
    data.loc[0, "GPA"] = np.nan
    data.loc[5, "GRADE"] = np.nan
    data.loc[7, "TUCE"] = np.nan
    res = logistic(data, "GRADE ~ GPA + TUCE + PSI")
    assert res.fit_info["n"] == 29
    assert any("3 of 32 rows dropped" in note for note in res.notes)
    expected = sm.Logit(
        data.dropna()["GRADE"], sm.add_constant(data.dropna()[["GPA", "TUCE", "PSI"]])
    ).fit(disp=0)
    assert res.loc["GPA", "coef"] == pytest.approx(expected.params["GPA"], rel=1e-8)


def test_logistic_cluster_keeps_coefficients_and_aligns_groups(spector):
    data = spector.assign(site=np.arange(len(spector)) % 8)
    data.loc[3, "GPA"] = np.nan  # dropped by statsmodels: the cluster labels must follow
    plain = logistic(data, "GRADE ~ GPA + TUCE + PSI")
    robust = logistic(data, "GRADE ~ GPA + TUCE + PSI", cluster="site")
    pd.testing.assert_series_equal(plain["coef"], robust["coef"])
    assert not np.allclose(plain["se"], robust["se"])
    # Reference: statsmodels fitted directly on the complete rows with the same groups.
    complete = data.dropna()
    direct = sm.Logit(complete["GRADE"], sm.add_constant(complete[["GPA", "TUCE", "PSI"]])).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": complete["site"].to_numpy()}
    )
    np.testing.assert_allclose(robust["se"].to_numpy(), direct.bse.to_numpy(), rtol=1e-8)
    assert robust.fit_info["n_clusters"] == 8
    assert robust.fit_info["cov_type"] == "cluster"


def test_logistic_unknown_variable_is_named(spector):
    with pytest.raises(InputError, match="'GPAX'") as err:
        logistic(spector, "GRADE ~ GPAX + PSI")
    assert err.value.column == "GPAX"


def test_logistic_local_names_are_not_in_scope(spector):
    # 'alpha' is a local variable inside logistic(); it must not leak into the formula.
    with pytest.raises(InputError, match="'alpha'"):
        logistic(spector, "GRADE ~ GPA + alpha")


def test_logistic_outcome_must_be_binary(spector):
    with pytest.raises(InputError, match="0/1"):
        logistic(spector.assign(GRADE=spector["GRADE"] + 1), "GRADE ~ GPA")


def test_logistic_boolean_outcome_is_accepted(spector):
    res = logistic(spector.assign(GRADE=spector["GRADE"].astype(bool)), "GRADE ~ GPA + TUCE + PSI")
    assert res.loc["GPA", "coef"] == pytest.approx(2.826113, abs=5e-7)


def test_logistic_unknown_cluster_and_too_few_rows(spector):
    with pytest.raises(InputError, match="'site'"):
        logistic(spector, "GRADE ~ GPA", cluster="site")
    with pytest.raises(InputError, match="at least 3"):
        logistic(spector.head(2), "GRADE ~ GPA")


# ------------------------------------------------------------------ Kaplan–Meier, log-rank


def test_km_and_logrank_reproduce_r_lung(lung):
    # Published: R survfit(Surv(time, status) ~ sex, lung) medians 270 and 426;
    # survdiff: Chisq = 10.3267 on 1 df, p = 0.001311 (project reference table).
    km = km_table(lung, "time", "status", "sex")
    assert km.index.name == "group"
    assert km.loc[1, "median"] == 270
    assert km.loc[2, "median"] == 426
    assert km.loc[1, "n"] == 138 and km.loc[1, "events"] == 112
    assert km.loc[1, "ci_low"] < 270 < km.loc[1, "ci_high"]
    assert any("log(-log)" in note for note in km.notes)
    assert "270" in km.reading() and "426" in km.reading()

    lr = logrank(lung, "time", "status", "sex")
    row = lr.iloc[0]
    assert row["test"] == "logrank_test"
    assert row["statistic"] == pytest.approx(10.3267, abs=5e-5)
    assert row["df"] == 1
    assert row["p_value"] == pytest.approx(0.001311, abs=5e-7)
    assert "10.33" in lr.reading()


def test_km_overall_median(lung):
    # Published: R survfit(Surv(time, status) ~ 1, lung): median 310 days.
    km = km_table(lung, "time", "status")
    assert list(km.index) == ["all"]
    assert km.loc["all", "median"] == 310


def test_logrank_k_groups_matches_statsmodels(lung):
    # No published value at hand: the reference is statsmodels' survdiff (second library).
    res = logrank(lung, "time", "status", "ph.ecog")
    complete = lung.dropna(subset=["ph.ecog"])
    chi2, p = survdiff(complete["time"].to_numpy(), complete["status"].to_numpy(),
                       complete["ph.ecog"].to_numpy())  # fmt: skip
    assert res.iloc[0]["test"] == "multivariate_logrank_test"
    assert res.iloc[0]["df"] == 3
    assert res.iloc[0]["statistic"] == pytest.approx(chi2, rel=1e-8)
    assert res.iloc[0]["p_value"] == pytest.approx(p, rel=1e-6)
    assert any("1 of 228 rows dropped" in note for note in res.notes)


def test_km_group_without_events_has_nan_median_and_note():
    data = pd.DataFrame(
        {
            "months": [1, 2, 3, 4, 5, 2, 3, 5, 7, 8, 9, 9],
            "closed": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
            "arm": ["a"] * 5 + ["b"] * 7,
        }
    )
    km = km_table(data, "months", "closed", "arm")
    assert km.loc["a", "median"] == 3  # S = 0.8, 0.6, 0.4 at months 1-3: first below 0.5
    assert np.isnan(km.loc["b", "median"])
    assert km.loc["b", "events"] == 0
    assert any("'b' has no events" in note for note in km.notes)
    assert "not reached" in km.reading()


def test_survival_event_coded_like_r_is_rejected(lung):
    r_coded = lung.assign(status=lung["status"] + 1)  # R's 1 = censored, 2 = dead
    for call in (
        lambda: km_table(r_coded, "time", "status", "sex"),
        lambda: logrank(r_coded, "time", "status", "sex"),
        lambda: cox(r_coded, "time", "status", ["sex"]),
    ):
        with pytest.raises(InputError, match="'status'") as err:
            call()
        assert err.value.column == "status"


def test_negative_durations_are_rejected(lung):
    with pytest.raises(InputError, match="'time'"):
        km_table(lung.assign(time=-lung["time"]), "time", "status")


def test_logrank_needs_two_groups(lung):
    with pytest.raises(InputError, match="at least 2 groups"):
        logrank(lung.assign(sex=1), "time", "status", "sex")


# ---------------------------------------------------------------------------------- Cox


def test_cox_reproduces_r_lung_sex(lung):
    # Published: R coxph(Surv(time, status) ~ sex, data = lung) (Efron ties):
    # coef -0.5310, exp(coef) 0.5880, se 0.1672, z -3.176, p 0.00149; n 228, 165 events.
    # lung's sex coding (1 = male, 2 = female) is the same in lifelines and R.
    res = cox(lung, "time", "status", ["sex"])
    row = res.loc["sex"]
    assert row["coef"] == pytest.approx(-0.5310, abs=5e-5)
    assert row["hazard_ratio"] == pytest.approx(0.5880, abs=5e-5)
    assert row["se"] == pytest.approx(0.1672, abs=5e-5)
    assert row["statistic"] == pytest.approx(-3.176, abs=5e-4)
    assert row["p_value"] == pytest.approx(0.00149, abs=5e-6)
    assert row["hr_ci_low"] == pytest.approx(np.exp(row["ci_low"]))
    assert res.fit_info["n"] == 228 and res.fit_info["events"] == 165
    assert res.fit_info["ties"] == "efron"
    assert "0.59" in res.reading()  # hazard ratio exp(-0.5310)


def test_cox_text_covariate_is_dummy_coded_against_first_level(lung):
    # Same R reference as above: female vs male gives coef -0.5310.
    sex = lung["sex"].map({1: "male", 2: "female"})
    data = lung.assign(sex=pd.Categorical(sex, categories=["male", "female"]))
    res = cox(data, "time", "status", ["sex"])
    assert list(res.index) == ["sex[T.female]"]
    assert res.loc["sex[T.female]", "coef"] == pytest.approx(-0.5310, abs=5e-5)
    assert any("reference level 'male'" in note for note in res.notes)
    assert "female (vs male)" in res.reading()
    # Plain strings: sorted order makes 'female' the reference, so the sign flips.
    flipped = cox(lung.assign(sex=sex), "time", "status", ["sex"])
    assert flipped.loc["sex[T.male]", "coef"] == pytest.approx(0.5310, abs=5e-5)


def test_cox_two_covariates_match_statsmodels_phreg(lung):
    # No published value at hand: the reference is statsmodels PHReg with Efron ties.
    res = cox(lung, "time", "status", ["sex", "age"])
    ref = sm.PHReg(lung["time"], lung[["sex", "age"]], status=lung["status"], ties="efron").fit()
    np.testing.assert_allclose(res["coef"].to_numpy(), ref.params, rtol=1e-5)
    np.testing.assert_allclose(res["se"].to_numpy(), ref.bse, rtol=1e-5)
    assert res.fit_info["log_likelihood"] == pytest.approx(ref.llf, rel=1e-7)


def test_cox_cluster_same_coefficients_robust_se(lung):
    plain = cox(lung, "time", "status", ["sex", "age"], cluster=None)
    robust = cox(lung, "time", "status", ["sex", "age"], cluster="inst")
    # inst has one missing value: dropped with a count, so refit the plain model on the same rows.
    assert any("1 of 228 rows dropped" in note for note in robust.notes)
    same_rows = cox(lung.dropna(subset=["inst"]), "time", "status", ["sex", "age"])
    pd.testing.assert_series_equal(same_rows["coef"], robust["coef"], rtol=1e-6)
    assert not np.allclose(plain["se"], robust["se"], rtol=1e-2)
    assert robust.fit_info["cluster"] == "inst" and robust.fit_info["n_clusters"] == 18
    # Reference: statsmodels PHReg's sandwich covariance with groups=inst. With tied times
    # the two libraries' score residuals differ slightly (neither applies Efron to them), so
    # they agree to 1% here ...
    complete = lung.dropna(subset=["inst"])
    ref = sm.PHReg(
        complete["time"], complete[["sex", "age"]], status=complete["status"], ties="efron"
    ).fit(groups=complete["inst"].to_numpy())
    np.testing.assert_allclose(robust["se"].to_numpy(), ref.bse, rtol=1e-2)


def test_cox_cluster_se_matches_statsmodels_without_ties(lung):
    # ... and exactly once ties are broken, where Efron and Breslow coincide.
    data = lung.dropna(subset=["inst"]).reset_index(drop=True)
    data = data.assign(time=data["time"] + np.arange(len(data)) * 1e-4)
    res = cox(data, "time", "status", ["sex", "age"], cluster="inst")
    ref = sm.PHReg(data["time"], data[["sex", "age"]], status=data["status"], ties="efron").fit(
        groups=data["inst"].to_numpy()
    )
    np.testing.assert_allclose(res["coef"].to_numpy(), ref.params, rtol=1e-5)
    np.testing.assert_allclose(res["se"].to_numpy(), ref.bse, rtol=1e-5)


def test_cox_edge_cases(lung):
    with pytest.raises(InputError, match="'weight'") as err:
        cox(lung, "time", "status", ["sex", "weight"])
    assert err.value.column == "weight"
    with pytest.raises(InputError, match="no variance") as err:
        cox(lung.assign(site=1.0), "time", "status", ["sex", "site"])
    assert err.value.column == "site"
    with pytest.raises(InputError, match="no events"):
        cox(lung.assign(status=0), "time", "status", ["sex"])
    with pytest.raises(InputError, match="at least 3"):
        cox(lung.head(2), "time", "status", ["sex"])


# --------------------------------------------------------------------------- proportions


def test_proportions_reproduce_r_prop_test():
    # Published: R prop.test(c(15, 25), c(50, 50), correct = FALSE): X-squared = 4.1667,
    # df = 1, p-value = 0.04123; Wilson interval for 15/50 (R prop.test(15, 50,
    # correct = FALSE)$conf.int) = [0.1910, 0.4375]. Verified here by hand: pooled z =
    # 0.2 / sqrt(0.4 * 0.6 * (2 / 50)) = 2.0412, z^2 = 4.1667; Wilson centre 16.92 / 53.84,
    # half-width 1.96 * sqrt(10.5 + 0.96) / 53.84 = 0.1232.
    res = proportions(two_groups(15, 50, 25, 50), "done", "arm")
    info = res.fit_info
    assert info["test"] == "chi2"
    assert info["statistic"] == pytest.approx(4.1667, abs=5e-5)
    assert info["df"] == 1
    assert info["p_value"] == pytest.approx(0.04123, abs=5e-6)
    assert info["cramers_v"] == pytest.approx(np.sqrt(4.1667 / 100), abs=1e-5)  # sqrt(χ²/n)
    assert res.loc["a", "ci_low"] == pytest.approx(0.1910, abs=5e-5)
    assert res.loc["a", "ci_high"] == pytest.approx(0.4375, abs=5e-5)
    assert res.loc["b", "risk_difference"] == pytest.approx(0.20)
    # The pooled score test of the difference is the same test as χ² for two groups.
    assert res.loc["b", "rd_p_value"] == pytest.approx(0.04123, abs=5e-6)
    assert np.isnan(res.loc["a", "risk_difference"])
    assert "4.17" in res.reading() and "20.0 percentage points" in res.reading()


def test_risk_difference_ci_reproduces_newcombe_1998():
    # Published: Newcombe (1998, Stat Med 17:873), Table II, method 10 (hybrid score):
    # 56/70 - 48/80 = 0.2000, 95% CI 0.0524 to 0.3339.
    res = proportions(two_groups(48, 80, 56, 70), "done", "arm")
    assert res.loc["b", "risk_difference"] == pytest.approx(0.2)
    assert res.loc["b", "rd_ci_low"] == pytest.approx(0.0524, abs=5e-5)
    assert res.loc["b", "rd_ci_high"] == pytest.approx(0.3339, abs=5e-5)


def test_proportions_small_counts_use_fisher():
    # 2/8 vs 7/9: expected counts below 5. Reference: scipy.stats.fisher_exact called
    # directly, and independently the two-sided hypergeometric sum over tables no more
    # likely than the observed one.
    res = proportions(two_groups(2, 8, 7, 9), "done", "arm")
    info = res.fit_info
    assert info["test"] == "fisher_exact"
    _, p_scipy = stats.fisher_exact([[2, 6], [7, 2]])
    dist = stats.hypergeom(17, 9, 8)  # 17 people, 9 events, 8 in group a
    pmf = dist.pmf(np.arange(0, 9))
    p_hyper = pmf[pmf <= dist.pmf(2) * (1 + 1e-7)].sum()
    assert info["p_value"] == pytest.approx(p_scipy, rel=1e-12)
    assert info["p_value"] == pytest.approx(p_hyper, rel=1e-9)
    assert info["odds_ratio"] == pytest.approx((7 / 2) / (2 / 6))  # b's odds over a's
    assert np.isnan(info["statistic"]) and np.isnan(info["cramers_v"])
    assert any("Fisher" in note for note in res.notes)
    assert "Fisher" in res.reading()


def test_proportions_group_without_events_keeps_valid_ci():
    res = proportions(two_groups(0, 20, 12, 20), "done", "arm")
    z2 = stats.norm.ppf(0.975) ** 2
    assert res.loc["a", "ci_low"] == 0
    assert res.loc["a", "ci_high"] == pytest.approx(z2 / (20 + z2))  # Wilson bound at x = 0
    assert not np.isnan(res.fit_info["p_value"])
    assert any("'a' has no events" in note for note in res.notes)


def test_proportions_without_any_event_cannot_test():
    res = proportions(two_groups(0, 10, 0, 10), "done", "arm")
    assert res.fit_info["test"] == "none" and np.isnan(res.fit_info["p_value"])
    assert np.isnan(res.loc["b", "rd_p_value"])
    assert any("cannot be tested" in note for note in res.notes)


def test_proportions_k_groups_and_missing_values():
    data = pd.concat(
        [two_groups(15, 50, 25, 50), pd.DataFrame({"arm": ["c"] * 50, "done": [1] * 30 + [0] * 20})]
    ).reset_index(drop=True)
    data.loc[[0, 60], "done"] = np.nan
    data.loc[99, "arm"] = None
    res = proportions(data, "done", "arm")
    assert any("3 of 150 rows dropped" in note for note in res.notes)
    assert list(res.index) == ["a", "b", "c"]
    assert res.fit_info["df"] == 2
    complete = data.dropna()
    table = pd.crosstab(complete["arm"], complete["done"])
    assert res.fit_info["statistic"] == pytest.approx(
        stats.chi2_contingency(table, correction=False).statistic
    )


def test_proportions_boolean_event_and_category_order():
    data = two_groups(15, 50, 25, 50)
    data = data.assign(done=data["done"].astype(bool), arm=pd.Categorical(data["arm"], ["b", "a"]))
    res = proportions(data, "done", "arm")
    assert list(res.index) == ["b", "a"]  # category order: 'b' is the reference
    assert res.loc["a", "risk_difference"] == pytest.approx(-0.20)


@pytest.mark.parametrize("values", [[0, 1, 2], ["yes", "no", "no"], [0.0, 0.5, 1.0]])
def test_proportions_event_must_be_binary(values):
    data = pd.DataFrame({"arm": ["a", "b"] * 3, "done": values * 2})
    with pytest.raises(InputError, match="'done'") as err:
        proportions(data, "done", "arm")
    assert err.value.column == "done"


def test_proportions_input_errors():
    data = two_groups(15, 50, 25, 50)
    with pytest.raises(InputError, match="at least 2 groups"):
        proportions(data.assign(arm="a"), "done", "arm")
    with pytest.raises(InputError, match="at least 3"):
        proportions(data.head(2), "done", "arm")


# ---------------------------------------------------------------- shared input checks


@pytest.mark.parametrize(
    "call",
    [
        lambda d: proportions(d, "stauts", "sex"),
        lambda d: km_table(d, "time", "stauts"),
        lambda d: km_table(d, "time", "status", "stauts"),
        lambda d: logrank(d, "time", "stauts", "sex"),
        lambda d: cox(d, "time", "stauts", ["sex"]),
        lambda d: cox(d, "time", "status", ["sex"], cluster="stauts"),
        lambda d: logistic(d, "stauts ~ sex"),
    ],
)
def test_unknown_column_is_named(lung, call):
    with pytest.raises(InputError, match="'stauts'") as err:
        call(lung)
    assert err.value.column == "stauts"


@pytest.mark.parametrize(
    "call",
    [
        lambda d: km_table(d, "time", "status"),
        lambda d: logrank(d, "time", "status", "sex"),
    ],
)
def test_fewer_than_three_rows(lung, call):
    with pytest.raises(InputError, match="at least 3"):
        call(lung.head(2))


def test_alpha_is_validated(lung):
    with pytest.raises(InputError, match="alpha"):
        km_table(lung, "time", "status", alpha=1.5)
