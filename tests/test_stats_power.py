"""Power and design effects: published sample sizes, the brief's simulation row, validation.

Published values: R ``pwr.t.test`` for the two-sample t-test (d = 0.5, power .80 -> n =
63.76561 per group) and the brief's analytic row (d = 0.2, n = 50 per group -> power 0.168).  The simulation check
reproduces the brief's row (N = 100, Y = 0.2 Z + N(0, 1), half treated, Welch difference in
means): rejection rate, CI coverage and bias, each within 3 Monte Carlo standard errors.
"""

import math

import numpy as np
import pytest
from scipy import stats as sps

from mentorlab import InputError
from mentorlab.stats.power import design_effect, effective_n, power_two_groups

REPS = 2000


def first(result, column):
    return result[column].iloc[0]


def test_sample_size_for_medium_effect():
    # R: pwr.t.test(d = 0.5, power = 0.8, sig.level = 0.05) -> n = 63.76561 per group.
    res = power_two_groups(effect_size=0.5, power=0.8)
    assert first(res, "n_per_group") == pytest.approx(63.77, abs=0.005)
    assert first(res, "n_total") == pytest.approx(2 * 63.7656, abs=0.001)
    assert first(res, "solved_for") == "n_per_group"
    assert "recruit 64 per group (128 in total)" in res.reading()


def test_power_for_small_effect_and_50_per_group():
    # The brief's published simulation row: analytic power 0.168 for d = 0.2, 50 per group.
    res = power_two_groups(effect_size=0.2, n=50)
    assert first(res, "power") == pytest.approx(0.168, abs=5e-4)
    assert first(res, "solved_for") == "power"


def test_solving_for_effect_size_inverts_the_sample_size():
    # Consistency with the published n: 63.7656 per group at power .80 detects d = 0.5.
    res = power_two_groups(n=63.7656, power=0.8)
    assert first(res, "effect_size") == pytest.approx(0.5, abs=1e-4)
    one_sided = power_two_groups(effect_size=0.5, power=0.8, alternative="greater")
    assert first(one_sided, "n_per_group") < 63.77


@pytest.mark.parametrize(
    "kwargs",
    [
        {"effect_size": 0.5, "n": 50, "power": 0.8},  # nothing to solve for
        {"effect_size": 0.5},  # two unknowns
        {"effect_size": 0.5, "n": 1},
        {"effect_size": 0.5, "power": 1.2},
        {"effect_size": 0.0, "n": 50},
        {"effect_size": 0.5, "n": 50, "alpha": 0},
        {"effect_size": 0.5, "n": 50, "alternative": "larger"},
    ],
)
def test_power_input_errors(kwargs):
    with pytest.raises(InputError):
        power_two_groups(**kwargs)


def test_design_effect_and_effective_n():
    # Kish (1965): deff = 1 + (m - 1) ICC; 5 mentees per mentor with ICC 0.05 -> 1.2.
    assert design_effect(5, 0.05) == pytest.approx(1.2)
    assert design_effect(1, 0.9) == 1  # singletons: no clustering penalty
    assert design_effect(10, 1) == 10  # perfectly correlated clusters count once
    assert effective_n(120, 5, 0.05) == pytest.approx(100.0)
    for m, icc in [(0.5, 0.1), (5, -0.1), (5, 1.5), (5, math.nan)]:
        with pytest.raises(InputError):
            design_effect(m, icc)
    with pytest.raises(InputError):
        effective_n(0, 5, 0.1)


def test_simulation_matches_analytic_power_coverage_and_bias():
    # The brief's row: N = 100, half treated, Y = 0.2 Z + N(0, 1), Welch difference in
    # means; all replications at once (rows = replications).
    rng = np.random.default_rng(20240611)
    treated = 0.2 + rng.standard_normal((REPS, 50))
    control = rng.standard_normal((REPS, 50))
    welch = sps.ttest_ind(treated, control, axis=1, equal_var=False)
    estimate = treated.mean(axis=1) - control.mean(axis=1)
    ci = welch.confidence_interval(0.95)

    analytic = first(power_two_groups(effect_size=0.2, n=50), "power")
    rejection = np.mean(welch.pvalue < 0.05)
    assert abs(rejection - analytic) < 3 * math.sqrt(analytic * (1 - analytic) / REPS)

    coverage = np.mean((ci.low < 0.2) & (0.2 < ci.high))
    assert abs(coverage - 0.95) < 3 * math.sqrt(0.95 * 0.05 / REPS)

    bias = estimate.mean() - 0.2
    assert abs(bias) < 3 * estimate.std(ddof=1) / math.sqrt(REPS)
