"""Tests of the statistics against the program simulator's null scenario.

Under ``null`` outcomes do not depend on who is matched with whom, so a valid comparison
of two randomised arms must reject at its nominal 5% rate.  Mentees share mentors, so the
analysis accounts for clustering by mentor: cluster-robust logistic regression for
early closure and a mixed model with a mentor random intercept for satisfaction.  With
200 replications the Monte Carlo SD of a 5% rate is 1.5 points; the test allows three.
The same analysis under the default scenario, where matching matters, must reject far
more often (the test can fail).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

import mentorlab as ml
from mentorlab import stats

ARMS = {"random": "random", "algorithmic": "algorithmic"}
ALPHA = 0.05


def trial_p_values(scenario: str, rep: int) -> dict[str, float]:
    cohort = ml.simulate_cohort(40, 100, seed=rep)
    pairs = ml.match_arms(cohort, ARMS, seed=rep)
    data = ml.run_program(cohort, pairs, seed=rep, scenario=scenario)
    out = data.outcomes[data.outcomes["matched"]].copy()
    out["algorithmic"] = (out["strategy"] == "algorithmic").astype(int)
    out["closed"] = out["closed_early"].astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        retention = stats.logistic(out, "closed ~ algorithmic", cluster="mentor_id")
        answered = out.dropna(subset=["satisfaction_day_90"])
        satisfaction = stats.mixed_model(answered, "satisfaction_day_90 ~ algorithmic", "mentor_id")
    return {
        "retention": retention.loc["algorithmic", "p_value"],
        "satisfaction": satisfaction.loc["algorithmic", "p_value"],
    }


def rejection_rates(scenario: str, reps: int) -> pd.Series:
    p_values = pd.DataFrame([trial_p_values(scenario, rep) for rep in range(reps)])
    return (p_values < ALPHA).mean()


@pytest.mark.slow
def test_comparisons_reject_at_the_nominal_rate_under_the_null():
    reps = 200
    rates = rejection_rates("null", reps)
    tolerance = 3 * np.sqrt(ALPHA * (1 - ALPHA) / reps)
    for outcome, rate in rates.items():
        assert abs(rate - ALPHA) <= tolerance, (outcome, rate)


def test_the_same_comparisons_detect_a_real_difference():
    rates = rejection_rates("default", 25)
    assert (rates > 0.3).all(), rates
