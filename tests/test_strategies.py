"""Matching strategies: shared invariants, and the behaviour each one claims."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorlab as ml
from mentorlab import ConfigError
from mentorlab.matching import PAIRS_TABLE, Group, blocking_pairs, gini, make_problem
from mentorlab.matching.strategies import Administrative

ALL = list(ml.STRATEGY_NAMES)


@pytest.fixture(scope="module")
def cohort():
    return ml.simulate_cohort(40, 100, seed=11)


@pytest.fixture(scope="module")
def chemistry(cohort):
    return ml.draw_chemistry(cohort, seed=5)


def check_invariants(result: ml.Matching, *, circle_capacity=None):
    problem = result.problem
    mentor_of = result.mentor_of
    assert mentor_of.shape == (problem.n_mentees,)
    assert ((mentor_of >= -1) & (mentor_of < problem.n_mentors)).all()
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=problem.n_mentors)
    limit = problem.capacity if circle_capacity is None else circle_capacity
    assert (load <= limit).all(), "a mentor holds more mentees than allowed"
    rows = np.flatnonzero(mentor_of >= 0)
    assert problem.allowed[rows, mentor_of[rows]].all(), "a disallowed pair was formed"
    assert result.pairs["mentee_id"].is_unique
    assert len(result.pairs) + len(result.unmatched) == problem.n_mentees
    PAIRS_TABLE.validate(result.pairs.round(6))


@pytest.mark.parametrize("name", ALL)
def test_invariants_and_reproducibility(cohort, chemistry, name):
    first = ml.match(cohort, name, seed=3, chemistry=chemistry)
    circle_capacity = Group().circle_capacity(first.problem.capacity) if name == "group" else None
    check_invariants(first, circle_capacity=circle_capacity)
    again = ml.match(cohort, name, seed=3, chemistry=chemistry)
    pd.testing.assert_frame_equal(first.pairs, again.pairs)


@pytest.mark.parametrize("name", ALL)
def test_min_score_and_forbidden_pairs_hold_for_every_strategy(cohort, name):
    forbidden = pd.DataFrame(
        {"mentee_id": cohort.mentees["mentee_id"][:5], "mentor_id": cohort.mentors["mentor_id"][:5]}
    )
    result = ml.match(cohort, name, seed=1, min_score=0.45, forbidden=forbidden)
    assert (result.pairs["score"] >= 0.45).all()
    banned = set(zip(forbidden["mentee_id"], forbidden["mentor_id"], strict=True))
    assert not banned & set(zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True))
    teams = dict(zip(cohort.mentees["mentee_id"], cohort.mentees["team"], strict=True))
    mentor_teams = dict(zip(cohort.mentors["mentor_id"], cohort.mentors["team"], strict=True))
    assert all(
        teams[e] != mentor_teams[m]
        for e, m in zip(result.pairs["mentee_id"], result.pairs["mentor_id"], strict=True)
    )


@settings(max_examples=25, deadline=None)
@given(
    n_mentors=st.integers(1, 12),
    n_mentees=st.integers(0, 30),
    seed=st.integers(0, 2**16),
    name=st.sampled_from(ALL),
)
def test_invariants_on_random_cohorts(n_mentors, n_mentees, seed, name):
    cohort = ml.simulate_cohort(n_mentors, n_mentees, seed=seed)
    result = ml.match(cohort, name, seed=seed)
    circle_capacity = Group().circle_capacity(result.problem.capacity) if name == "group" else None
    check_invariants(result, circle_capacity=circle_capacity)


def test_contributions_in_pairs_sum_to_score(cohort):
    pairs = ml.match(cohort, "algorithmic").pairs
    np.testing.assert_allclose(pairs[list(ml.CRITERIA)].sum(axis=1), pairs["score"], atol=1e-12)


def test_unknown_strategy_and_option():
    cohort = ml.simulate_cohort(3, 5, seed=1)
    with pytest.raises(ConfigError, match="unknown strategy 'magic'"):
        ml.match(cohort, "magic")
    with pytest.raises(ConfigError, match="has no option speed"):
        ml.match(cohort, "random", speed=2)
    with pytest.raises(ConfigError, match=r"requests .* cannot exceed browse"):
        ml.match(cohort, "self_selection", browse=2, requests=3)


# -- random -------------------------------------------------------------------------


def test_random_chooses_places_uniformly():
    # One mentee, mentors offering 1 and 3 places: the second should be taken 3/4 of the time.
    cohort = ml.simulate_cohort(2, 1, seed=2, config=ml.CohortConfig(capacity_probs={1: 1.0}))
    mentors = cohort.mentors.assign(capacity=[1, 3], preferred_load=[1, 3], team=["x", "y"])
    mentees = cohort.mentees.assign(team="z")
    small = ml.Cohort(mentors, mentees)
    draws = np.array([ml.match(small, "random", seed=s).mentor_of[0] for s in range(2000)])
    share = (draws == 1).mean()
    assert abs(share - 0.75) < 4 * np.sqrt(0.75 * 0.25 / 2000)


# -- algorithmic ---------------------------------------------------------------------


def test_algorithmic_has_the_highest_total_among_full_matchings(cohort, chemistry):
    best = ml.match(cohort, "algorithmic")
    best_total = best.pairs["score"].sum()
    for name in ALL:
        other = ml.match(cohort, name, seed=2, chemistry=chemistry)
        if len(other.pairs) == len(best.pairs) and name != "group":
            assert other.pairs["score"].sum() <= best_total + 1e-9, name


def test_best_fit_total_is_at_least_most_matched(cohort):
    most = ml.match(cohort, "algorithmic", min_score=0.5)
    fit = ml.match(cohort, "algorithmic", objective="best_fit", min_score=0.5)
    assert fit.pairs["score"].sum() >= most.pairs["score"].sum() - 1e-9
    assert len(most.pairs) >= len(fit.pairs)


# -- stable --------------------------------------------------------------------------


def test_stable_has_no_blocking_pair_under_its_own_views(cohort):
    result = ml.match(cohort, "stable")
    assert result.diagnostics().summary["blocking pairs"] == 0
    # ... but the optimal assignment usually has some under those same views.
    optimal = ml.match(cohort, "algorithmic")
    a = result.assignment
    count = blocking_pairs(
        optimal.mentor_of,
        a.mentee_view,
        a.mentor_view,
        optimal.problem.capacity,
        optimal.problem.allowed,
    )
    assert count > 0


# -- self-selection ------------------------------------------------------------------


def test_self_selection_requests_and_waitlist(cohort, chemistry):
    result = ml.match(cohort, "self_selection", seed=4, chemistry=chemistry)
    requests = result.assignment.requests
    assert requests.sum() == cohort.n_mentees * 3
    assert result.pairs["chosen_by_mentee"].eq(1).all()
    assert set(result.unmatched["reason"]) <= {"no request accepted (waitlist)"}


def test_coordinator_fallback_places_the_waitlist(cohort, chemistry):
    wait = ml.match(cohort, "self_selection", seed=4, chemistry=chemistry)
    helped = ml.match(cohort, "self_selection", seed=4, chemistry=chemistry, fallback="coordinator")
    assert len(wait.unmatched) > 0, "the fixture should leave someone on the waitlist"
    assert len(helped.pairs) > len(wait.pairs)
    assert helped.pairs["chosen_by_mentee"].eq(0).sum() == len(helped.pairs) - len(wait.pairs)


def test_standing_floods_popular_mentors(cohort):
    flat = [
        ml.match(cohort, "self_selection", seed=s, standing_weight=0.0).diagnostics()
        for s in range(10)
    ]
    steep = [
        ml.match(cohort, "self_selection", seed=s, standing_weight=3.0).diagnostics()
        for s in range(10)
    ]
    flat_gini = np.mean([d.summary["requests Gini"] for d in flat])
    steep_gini = np.mean([d.summary["requests Gini"] for d in steep])
    assert steep_gini > flat_gini + 0.1


def test_mentees_sense_chemistry_when_they_choose(cohort, chemistry):
    def mean_chemistry(result):
        rows = np.flatnonzero(result.mentor_of >= 0)
        return chemistry[rows, result.mentor_of[rows]].mean()

    chosen = np.mean(
        [
            mean_chemistry(
                ml.match(
                    cohort, "self_selection", seed=s, chemistry=chemistry, chemistry_signal=2.0
                )
            )
            for s in range(10)
        ]
    )
    blind = np.mean(
        [
            mean_chemistry(
                ml.match(
                    cohort, "self_selection", seed=s, chemistry=chemistry, chemistry_signal=0.0
                )
            )
            for s in range(10)
        ]
    )
    algorithm = mean_chemistry(ml.match(cohort, "algorithmic", chemistry=chemistry))
    assert chosen > blind + 0.3
    assert abs(algorithm) < 4 / np.sqrt(cohort.n_mentees)  # the algorithm cannot see it


def test_preference_acceptance_is_stable_over_requests(cohort, chemistry):
    result = ml.match(
        cohort, "self_selection", seed=6, chemistry=chemistry, acceptance="preference"
    )
    check_invariants(result)
    assert result.pairs["chosen_by_mentee"].eq(1).all()


# -- administrative ------------------------------------------------------------------


def test_coordinator_follows_specialty_then_site(cohort):
    def same_specialty_share(result):
        mentees = cohort.mentees.set_index("mentee_id")["specialty"]
        mentors = cohort.mentors.set_index("mentor_id")["specialty"]
        pairs = result.pairs
        return (
            mentees[pairs["mentee_id"]].to_numpy() == mentors[pairs["mentor_id"]].to_numpy()
        ).mean()

    careful = np.mean(
        [
            same_specialty_share(ml.match(cohort, "administrative", seed=s, review_noise=0.0))
            for s in range(5)
        ]
    )
    rushed = np.mean(
        [
            same_specialty_share(ml.match(cohort, "administrative", seed=s, review_noise=3.0))
            for s in range(5)
        ]
    )
    chance = np.mean([same_specialty_share(ml.match(cohort, "random", seed=s)) for s in range(5)])
    assert careful > rushed > chance - 0.05
    assert careful > 0.6


def test_review_noise_grows_with_cohort_size():
    coordinator = Administrative(review_noise=0.2, reference_size=50, noise_growth=0.5)
    assert coordinator.noise_sd(50) == pytest.approx(0.2)
    assert coordinator.noise_sd(200) == pytest.approx(0.4)


# -- hybrid --------------------------------------------------------------------------


def test_hybrid_never_releases_a_rejected_pair(cohort):
    proposed = ml.match(cohort, "algorithmic")
    reviewed = ml.match(cohort, "hybrid", seed=1, review_quantile=1.0, reject_probability=1.0)
    # Every proposal is doubtful and sent back, so no mentee keeps the proposed mentor.
    merged = proposed.pairs.merge(
        reviewed.pairs, on="mentee_id", suffixes=("_proposed", "_released")
    )
    assert (merged["mentor_id_proposed"] != merged["mentor_id_released"]).all()


def test_hybrid_without_rejections_is_algorithmic(cohort):
    proposed = ml.match(cohort, "algorithmic")
    reviewed = ml.match(cohort, "hybrid", seed=1, reject_probability=0.0)
    np.testing.assert_array_equal(proposed.mentor_of, reviewed.mentor_of)


# -- group circles -------------------------------------------------------------------


def test_circles_share_goals_more_than_one_to_one_mentoring(cohort):
    circles = ml.match(cohort, "group", seed=2)
    ids = circles.pairs["circle_id"]
    assert ids.notna().all()
    assert (ids == "circle_" + circles.pairs["mentor_id"]).all()
    similarity = circles.diagnostics().summary["circle goal similarity (mean Jaccard)"]
    # Mentees who share a mentor under one-to-one matching, for comparison.
    from mentorlab.matching.result import _circle_similarity

    baseline = _circle_similarity(circles.problem, ml.match(cohort, "random", seed=2).mentor_of)
    assert similarity > baseline + 0.1


# -- diagnostics ---------------------------------------------------------------------


def test_gini_reference_values():
    assert gini(np.zeros(5)) == 0.0
    assert gini(np.array([1, 2, 3, 4, 5])) == pytest.approx(4 / 15)  # (n+1-2*sum(cum)/total)/n
    assert gini(np.array([0, 0, 0, 0, 10])) == pytest.approx(0.8)


def test_blocking_pairs_hand_example():
    # Two mentees, two mentors (capacity 1); both mentees prefer mentor 0, who prefers mentee 1.
    mentee_view = np.array([[2.0, 1.0], [2.0, 1.0]])
    mentor_view = np.array([[1.0, 1.0], [2.0, 1.0]])
    allowed = np.ones((2, 2), dtype=bool)
    capacity = np.array([1, 1])
    assert blocking_pairs(np.array([0, 1]), mentee_view, mentor_view, capacity, allowed) == 1
    assert blocking_pairs(np.array([1, 0]), mentee_view, mentor_view, capacity, allowed) == 0
    # A free place at mentor 1 and an unmatched mentee who wants it: blocking.
    assert blocking_pairs(np.array([0, -1]), mentee_view, mentor_view, capacity, allowed) == 2


def test_diagnostics_by_group_and_partner_rank(cohort):
    result = ml.match(cohort, "algorithmic")
    diagnostics = result.diagnostics()
    groups = diagnostics.by_group
    assert groups["mentees"].sum() == cohort.n_mentees
    overall = (groups["mentees"] * groups["matched_rate"]).sum() / groups["mentees"].sum()
    assert overall == pytest.approx(diagnostics.summary["share matched"])
    assert diagnostics.partner_rank.sum() == len(result.pairs)
    assert diagnostics.mentor_load["load"].sum() == len(result.pairs)
    assert "share matched" in diagnostics.to_text()


def test_write_pairs_round_trips_through_the_schema(tmp_path, cohort):
    from mentorlab.schema import read_csv_table

    result = ml.match(cohort, "group", seed=1)
    path = result.write(tmp_path / "pairs.csv")
    again = read_csv_table(path, PAIRS_TABLE)
    pd.testing.assert_series_equal(again["mentor_id"], result.pairs["mentor_id"])
    np.testing.assert_allclose(again["score"], result.pairs["score"], atol=1e-6)


def test_problem_rejects_bad_chemistry_shape(cohort):
    with pytest.raises(ConfigError, match="chemistry must have shape"):
        make_problem(cohort, chemistry=np.zeros((2, 2)))


def test_match_arms_randomises_people_into_separate_arms():
    cohort = ml.simulate_cohort(30, 80, seed=9)
    pairs = ml.match_arms(cohort, {"a": "random", "b": "algorithmic"}, seed=2)
    again = ml.match_arms(cohort, {"a": "random", "b": "algorithmic"}, seed=2)
    pd.testing.assert_frame_equal(pairs, again)
    mentors = pairs.groupby("strategy")["mentor_id"].apply(set)
    assert not mentors["a"] & mentors["b"], "an arm used another arm's mentor"
    assert pairs["mentee_id"].is_unique
    # Arms are near-equal halves: no arm can have more mentees than its half of the cohort.
    assert pairs.groupby("strategy").size().max() <= cohort.n_mentees // 2
    load = pairs.groupby("mentor_id").size()
    assert (load <= cohort.mentors.set_index("mentor_id")["capacity"][load.index]).all()
