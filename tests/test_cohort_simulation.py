"""The cohort simulator against its own generative story.

Where a marginal or a conditional probability can be written down from the config, the
test computes it independently (by hand or by numerical integration) and checks the
simulated share within four standard errors.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats
from scipy.special import expit, logit, ndtr

from mentorlab import CohortConfig, simulate_cohort
from mentorlab.taxonomy import (
    CORE_TOPICS,
    EARLY_CAREER_TOPICS,
    SITE_FOCUS,
    SITE_REGIONS,
    SITES,
    SLOTS,
    SPECIALTIES,
    TOPICS,
    career_stage_of,
    split_list,
)

N = 20_000


@pytest.fixture(scope="module")
def big():
    return simulate_cohort(N // 4, N, seed=2024)


def within(observed, expected, se, k=4.0):
    return abs(observed - expected) <= k * se


def share_se(p, n):
    return np.sqrt(p * (1 - p) / n)


# -- determinism ---------------------------------------------------------------------


def test_same_seed_same_tables():
    a, b = simulate_cohort(30, 70, seed=99), simulate_cohort(30, 70, seed=99)
    pd.testing.assert_frame_equal(a.mentors, b.mentors)
    pd.testing.assert_frame_equal(a.mentees, b.mentees)


def test_different_seeds_differ():
    a, b = simulate_cohort(30, 70, seed=1), simulate_cohort(30, 70, seed=2)
    assert not a.mentees.equals(b.mentees)
    assert not a.mentors.equals(b.mentors)


def test_every_seed_form_gives_the_same_cohort():
    by_int = simulate_cohort(10, 20, seed=5)
    by_generator = simulate_cohort(10, 20, seed=np.random.default_rng(5))
    by_sequence = simulate_cohort(10, 20, seed=np.random.SeedSequence(5))
    for other in (by_generator, by_sequence):
        pd.testing.assert_frame_equal(by_int.mentees, other.mentees)


def test_simulated_tables_pass_their_own_schema():
    cohort = simulate_cohort(40, 100, seed=3)
    checked = cohort.validate()
    pd.testing.assert_frame_equal(checked.mentors, cohort.mentors)
    pd.testing.assert_frame_equal(checked.mentees, cohort.mentees)


def test_ids_are_unique_strings():
    cohort = simulate_cohort(12, 1500, seed=3)
    assert cohort.mentees["mentee_id"].is_unique
    assert cohort.mentors["mentor_id"].iloc[0] == "mentor_001"
    assert cohort.mentees["mentee_id"].iloc[-1] == "mentee_1500"


def test_large_cohort_shapes():
    cohort = simulate_cohort(2000, 10_000, seed=1)
    assert cohort.mentors.shape[0] == 2000
    assert cohort.mentees.shape[0] == 10_000


# -- marginals -------------------------------------------------------------------


def test_specialty_marginal_follows_sites_and_weights(big):
    config = CohortConfig()
    site_p = np.array([config.site_weights[s] for s in SITES])
    site_p /= site_p.sum()
    expected = dict.fromkeys(SPECIALTIES, 0.0)
    for s, site in enumerate(SITES):
        weights = {k: config.specialty_weights[k] for k in SPECIALTIES}
        if site in SITE_FOCUS:
            weights[SITE_FOCUS[site]] *= config.site_focus_affinity
        total = sum(weights.values())
        for k in SPECIALTIES:
            expected[k] += site_p[s] * weights[k] / total
    observed = big.mentees["specialty"].value_counts(normalize=True)
    for k in SPECIALTIES:
        assert within(observed[k], expected[k], share_se(expected[k], N)), k


def test_specialised_sites_have_more_of_their_specialty(big):
    mentees = big.mentees
    at_studio = mentees.loc[mentees["site"] == "pinewood_yoga_studio", "specialty"]
    elsewhere = mentees.loc[mentees["site"] == "harbour_wellness_centre", "specialty"]
    assert (at_studio == "yoga_therapy").mean() > 2 * (elsewhere == "yoga_therapy").mean()


def test_capacity_distribution(big):
    config = CohortConfig()
    observed = big.mentors["capacity"].value_counts(normalize=True)
    n = big.n_mentors
    for value, p in config.capacity_probs.items():
        assert within(observed.get(value, 0.0), p, share_se(p, n)), value


def test_preferred_load_is_capacity_or_one_below(big):
    mentors = big.mentors
    gap = mentors["capacity"] - mentors["preferred_load"]
    assert set(gap.unique()) <= {0, 1}
    p_stretched = CohortConfig().stretch_probability * (mentors["capacity"] > 1).mean()
    assert within((gap == 1).mean(), p_stretched, share_se(p_stretched, len(mentors)))


def test_years_in_practice(big):
    config = CohortConfig()
    mentor_years = big.mentors["years_in_practice"]
    assert mentor_years.min() >= config.mentor_min_years
    # Whole years are the continuous draw floored: their mean lies within one year below.
    se = config.mentor_years_sd / np.sqrt(len(mentor_years))
    assert (
        config.mentor_years_mean - 1 - 4 * se
        <= mentor_years.mean()
        <= config.mentor_years_mean + 4 * se
    )
    mentee_years = big.mentees["years_in_practice"]
    se = config.mentee_years_sd / np.sqrt(N)
    assert (
        config.mentee_years_mean - 1 - 4 * se
        <= mentee_years.mean()
        <= config.mentee_years_mean + 4 * se
    )
    assert mentor_years.mean() > mentee_years.mean() + 5


def test_group_mix_by_region(big):
    config = CohortConfig()
    mentees = big.mentees
    for region, probs in config.group_probs_by_region.items():
        in_region = mentees.loc[mentees["region"] == region, "demographic_group"]
        for group, p in probs.items():
            assert within((in_region == group).mean(), p, share_se(p, len(in_region))), (
                region,
                group,
            )


def test_region_follows_site(big):
    for table in (big.mentors, big.mentees):
        assert (table["site"].map(SITE_REGIONS) == table["region"]).all()


# -- correlations ------------------------------------------------------------------


def test_stage_is_years_alone_without_reporting_noise():
    cohort = simulate_cohort(300, 1000, config=CohortConfig(career_stage_noise=0.0), seed=8)
    for table in (cohort.mentors, cohort.mentees):
        implied = table["years_in_practice"].map(career_stage_of)
        assert (implied == table["career_stage"]).all()


def test_stage_follows_years_with_some_disagreement(big):
    table = pd.concat([big.mentors, big.mentees])
    order = {"early_career": 0, "developing": 1, "established": 2, "senior": 3}
    rho = stats.spearmanr(table["years_in_practice"], table["career_stage"].map(order)).statistic
    assert rho > 0.85
    disagree = (table["years_in_practice"].map(career_stage_of) != table["career_stage"]).mean()
    assert 0.02 < disagree < 0.3


def test_single_expertise_area_is_core_with_the_boosted_probability():
    config = CohortConfig(expertise_mean=1.0, expertise_max=1)
    mentors = simulate_cohort(N, 0, config=config, seed=4).mentors
    assert (mentors["expertise"].map(lambda v: len(split_list(v))) == 1).all()
    is_core = [
        e in CORE_TOPICS[s] for e, s in zip(mentors["expertise"], mentors["specialty"], strict=True)
    ]
    b = config.core_topic_boost
    n_core = 4
    expected = n_core * b / (n_core * b + len(TOPICS) - n_core)
    assert within(np.mean(is_core), expected, share_se(expected, N))


def test_without_boost_core_share_is_the_base_rate():
    config = CohortConfig(core_topic_boost=1.0)
    mentors = simulate_cohort(N // 2, 0, config=config, seed=5).mentors
    chosen = [
        (t, s)
        for cell, s in zip(mentors["expertise"], mentors["specialty"], strict=True)
        for t in split_list(cell)
    ]
    share = np.mean([t in CORE_TOPICS[s] for t, s in chosen])
    expected = 4 / len(TOPICS)  # each chosen topic is core with this chance, by symmetry
    # Topics of one mentor are dependent (no repeats), so use the mentor count for the SE.
    assert within(share, expected, share_se(expected, len(mentors)))


def test_topic_counts_have_the_configured_mean(big):
    config = CohortConfig()
    counts = big.mentors["expertise"].map(lambda v: len(split_list(v)))
    assert counts.between(1, config.expertise_max).all()
    sd = counts.std()
    assert within(counts.mean(), config.expertise_mean, sd / np.sqrt(len(counts)))
    goals = big.mentees["learning_goals"].map(lambda v: len(split_list(v)))
    assert within(goals.mean(), config.goals_mean, goals.std() / np.sqrt(N))


def test_early_career_mentees_ask_for_practicalities():
    config = CohortConfig(goals_mean=1.0, goals_max=1)
    mentees = simulate_cohort(10, N, config=config, seed=6).mentees
    newcomers = mentees[
        mentees["career_stage"].isin(["early_career", "developing"])
        & (mentees["specialty"] == "acupuncture")
    ]
    weights = {t: 1.0 for t in TOPICS}
    for t in CORE_TOPICS["acupuncture"]:
        weights[t] *= config.core_topic_boost
    for t in EARLY_CAREER_TOPICS:
        weights[t] *= config.early_career_topic_boost
    expected = sum(weights[t] for t in EARLY_CAREER_TOPICS) / sum(weights.values())
    observed = newcomers["learning_goals"].isin(EARLY_CAREER_TOPICS).mean()
    assert within(observed, expected, share_se(expected, len(newcomers)))


def test_personality_scale_and_style_correlation(big):
    table = big.mentees
    for trait in ("openness", "conscientiousness", "extraversion", "agreeableness"):
        values = table[trait]
        assert values.between(1, 5).all()
        assert ((values * 2) % 1 == 0).all(), "two-item inventory means move in half points"
    assert table["working_style"].between(0, 1).all()
    # Spearman's rho of two normals with correlation r is (6/pi) asin(r/2); rounding the
    # trait to half points attenuates it only slightly.
    r = CohortConfig().style_openness_corr
    latent_rho = 6 / np.pi * np.arcsin(r / 2)
    rho = stats.spearmanr(table["openness"], table["working_style"]).statistic
    assert latent_rho - 0.05 < rho < latent_rho + 4 / np.sqrt(N)
    rho_c = stats.spearmanr(table["conscientiousness"], table["working_style"]).statistic
    assert rho_c < -0.25


def test_no_style_correlation_when_switched_off():
    config = CohortConfig(style_openness_corr=0.0, style_conscientiousness_corr=0.0)
    table = simulate_cohort(10, N, config=config, seed=12).mentees
    rho = stats.spearmanr(table["openness"], table["working_style"]).statistic
    assert abs(rho) < 4 / np.sqrt(N)


def test_philosophy_mean_by_specialty(big):
    config = CohortConfig()
    sigma = config.philosophy_sd
    for specialty in SPECIALTIES:
        values = big.mentees.loc[big.mentees["specialty"] == specialty, "treatment_philosophy"]
        # E[Phi(mu + sigma Z)] = Phi(mu / sqrt(1 + sigma^2))
        expected = ndtr(config.philosophy_by_specialty[specialty] / np.sqrt(1 + sigma**2))
        assert within(values.mean(), expected, values.std() / np.sqrt(len(values))), specialty


def test_mean_open_slots_matches_numerical_integration(big):
    config = CohortConfig()
    offsets = []
    for slot in SLOTS:
        day, period = slot.split("_")
        weekend = day in ("sat", "sun")
        offset = config.weekend_offset if weekend else 0.0
        offset += (
            config.evening_offset
            if period == "eve"
            else (0.0 if weekend else config.weekday_daytime_offset)
        )
        offsets.append(offset)
    offsets = np.array(offsets)
    mean, c = config.mentee_flexibility_mean, config.flexibility_concentration
    density = stats.beta(mean * c, (1 - mean) * c).pdf

    def expected_count(f):
        p = expit(logit(f) + offsets)
        # open slots, plus the one slot given to anyone with none open
        return p.sum() + np.prod(1 - p)

    expected, _ = integrate.quad(lambda f: expected_count(f) * density(f), 0, 1, limit=200)
    counts = big.mentees["availability"].map(lambda v: len(split_list(v)))
    assert counts.min() >= 1
    assert within(counts.mean(), expected, counts.std() / np.sqrt(N))


def test_confidence_rises_with_experience(big):
    config = CohortConfig()
    table = big.mentees
    assert table["baseline_confidence"].between(1, 5).all()
    fit = stats.linregress(np.log1p(table["years_in_practice"]), table["baseline_confidence"])
    assert within(fit.slope, config.confidence_per_log_year, fit.stderr)
    assert within(fit.intercept, config.confidence_intercept, fit.intercept_stderr)


def test_teams_nest_within_sites_and_span_both_roles():
    cohort = simulate_cohort(60, 150, seed=7)
    people = pd.concat([cohort.mentors[["team", "site"]], cohort.mentees[["team", "site"]]])
    assert (people.groupby("team")["site"].nunique() == 1).all()
    shared = set(cohort.mentors["team"]) & set(cohort.mentees["team"])
    assert shared, "some mentors share a team (line manager) with mentees"
    assert people.groupby("team").size().mean() <= CohortConfig().team_size
