"""Tests for the matching kernels ``deferred_acceptance`` and ``optimal_assignment``.

No expected value here is copied from the kernels' own output.  The oracles are:

* brute force written in this file: every assignment of a small instance (each mentee to
  a mentor or to nobody, within capacities and allowed pairs) is enumerated.  For
  deferred acceptance the stable ones (no blocking pair) are kept and the mentee-optimal
  one (every mentee at least as well off as in any other stable matching) is the
  answer; for the assignment problem the best (count, total) or total is the answer;
* a textbook, one-proposal-at-a-time deferred acceptance written here, run with the free
  mentees picked in random orders (the mentee-optimal matching is order independent);
* the ``matching`` package (``matching.games.HospitalResident``, resident optimal);
* :func:`scipy.optimize.linear_sum_assignment` on the slot-expanded score matrix;
* the dense and sparse solvers of ``optimal_assignment`` against each other;
* small instances worked out by hand from the documented rules (ties to the lower
  index, ``best_fit`` versus ``most_matched``, unavailable pairs).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from mentorlab.matching import deferred_acceptance, optimal_assignment

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
METHODS = ["dense", "sparse"]


# ---------------------------------------------------------------------------------
# Oracles


def _positions(values) -> list[int]:
    """Position of each entry in a best-first list: higher value first, ties to lower index."""
    best_first = sorted(range(len(values)), key=lambda k: (-values[k], k))
    position = [0] * len(values)
    for place, k in enumerate(best_first):
        position[k] = place
    return position


def _strict_ranks(mentee_scores, mentor_scores):
    """mentee_rank[i, j]: place of mentor j in mentee i's list; mentor_rank[i, j]: place of
    mentee i in mentor j's list (0 = favourite), ties broken towards the lower index."""
    n, m = mentee_scores.shape
    mentee_rank = np.array([_positions(list(row)) for row in mentee_scores], dtype=int)
    mentor_rank = np.array([_positions(list(col)) for col in mentor_scores.T], dtype=int).T
    return mentee_rank.reshape(n, m), mentor_rank.reshape(n, m)


def _all_assignments(n, m, capacity, allowed) -> np.ndarray:
    """Every assignment (K, n) of mentees to a mentor or -1, within capacity and allowed."""
    every = list(itertools.product(range(-1, m), repeat=n))
    rows = np.array(every, dtype=int).reshape(len(every), n)
    if m == 0:
        return rows
    onehot = rows[:, :, None] == np.arange(m)
    fits = (onehot.sum(axis=1) <= np.asarray(capacity)[None, :]).all(axis=1)
    permitted = ~(onehot & ~allowed[None, :, :]).any(axis=(1, 2))
    return rows[fits & permitted]


def _blocking_mask(assignments, mentee_rank, mentor_rank, capacity, acceptable):
    """Boolean (K, n, m): True where (i, j) blocks assignment k."""
    n = assignments.shape[1]
    m = mentee_rank.shape[1]
    # Unmatched (-1) indexes the appended last column: worse than every mentor.
    extended = np.hstack([mentee_rank, np.full((n, 1), m)])
    current = extended[np.arange(n)[None, :], assignments]  # (K, n)
    holds = assignments[:, :, None] == np.arange(m)  # (K, n, m)
    count = holds.sum(axis=1)  # (K, m)
    worst_held = np.where(holds, mentor_rank[None], -1).max(axis=1, initial=-1)  # (K, m)
    mentee_wants = mentee_rank[None] < current[:, :, None]
    mentor_wants = (count < np.asarray(capacity)[None, :])[:, None, :] | (
        mentor_rank[None] < worst_held[:, None, :]
    )
    return acceptable[None] & ~holds & mentee_wants & mentor_wants


def _blocking_pairs(result, mentee_rank, mentor_rank, capacity, acceptable):
    mask = _blocking_mask(result[None, :], mentee_rank, mentor_rank, capacity, acceptable)[0]
    return list(zip(*np.nonzero(mask), strict=True))


def _brute_force_mentee_optimal(mentee_scores, mentor_scores, capacity, acceptable):
    n, m = mentee_scores.shape
    mentee_rank, mentor_rank = _strict_ranks(mentee_scores, mentor_scores)
    candidates = _all_assignments(n, m, capacity, acceptable)
    blocked = _blocking_mask(candidates, mentee_rank, mentor_rank, capacity, acceptable)
    stable = candidates[~blocked.any(axis=(1, 2))]
    assert len(stable) > 0, "a stable matching always exists"
    extended = np.hstack([mentee_rank, np.full((n, 1), m)])
    ranks = extended[np.arange(n)[None, :], stable]
    best = ranks.min(axis=0)
    optimal = stable[(ranks == best).all(axis=1)]
    assert len(optimal) == 1, "with strict preferences the mentee-optimal matching is unique"
    return optimal[0]


def _textbook_da(mentee_rank, mentor_rank, capacity, acceptable, rng):
    """One proposal at a time; the next free mentee is drawn at random."""
    n, m = mentee_rank.shape
    lists = [
        sorted((j for j in range(m) if acceptable[i, j]), key=mentee_rank[i].__getitem__)
        for i in range(n)
    ]
    next_choice = [0] * n
    held: dict[int, list[int]] = {j: [] for j in range(m)}
    free = list(range(n))
    while free:
        i = free.pop(int(rng.integers(len(free))))
        if next_choice[i] >= len(lists[i]):
            continue  # list exhausted: stays unmatched
        j = lists[i][next_choice[i]]
        next_choice[i] += 1
        held[j].append(i)
        if len(held[j]) > capacity[j]:
            worst = max(held[j], key=lambda k, j=j: mentor_rank[k, j])
            held[j].remove(worst)
            free.append(worst)
    result = np.full(n, -1)
    for j, mentees in held.items():
        result[mentees] = j
    return result


def _allowed_pairs(scores, capacity, forbidden=None, min_score=None, objective="most_matched"):
    allowed = ~np.isnan(scores)
    if forbidden is not None:
        allowed &= ~forbidden
    if min_score is not None:
        allowed &= np.nan_to_num(scores, nan=-np.inf) >= min_score
    if objective == "best_fit":
        allowed &= np.nan_to_num(scores, nan=-np.inf) >= 0
    return allowed


def _total(scores, result) -> float:
    matched = np.flatnonzero(result >= 0)
    return float(scores[matched, result[matched]].sum())


def _brute_force_assignment(scores, capacity, allowed, objective):
    """(number matched, total) of the best assignment for the objective."""
    n, m = scores.shape
    candidates = _all_assignments(n, m, capacity, allowed)
    # Unmatched (-1) indexes the appended last column, worth 0.
    padded = np.hstack([np.nan_to_num(scores), np.zeros((n, 1))])
    totals = padded[np.arange(n)[None, :], candidates].sum(axis=1)
    counts = (candidates >= 0).sum(axis=1)
    if objective == "most_matched":
        most = counts.max()
        return int(most), float(totals[counts == most].max())
    best = totals.max()
    return int(counts[totals == best].max()), float(best)


def _assert_valid(result, n, m, capacity, allowed):
    result = np.asarray(result)
    assert result.shape == (n,)
    assert np.issubdtype(result.dtype, np.integer)
    assert ((result >= -1) & (result < m)).all()
    matched = np.flatnonzero(result >= 0)
    assert (np.bincount(result[matched], minlength=m) <= np.asarray(capacity)).all()
    assert allowed[matched, result[matched]].all(), "a disallowed pair was used"


# ---------------------------------------------------------------------------------
# Random instances


@st.composite
def da_instances(draw, max_n=6, max_m=3, max_capacity=2, min_n=0, min_m=0):
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(min_m, max_m))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):  # many ties, broken by index
        mentee_scores = rng.integers(0, 3, size=(n, m)).astype(float)
        mentor_scores = rng.integers(0, 3, size=(n, m)).astype(float)
    else:
        mentee_scores = rng.normal(size=(n, m))
        mentor_scores = rng.normal(size=(n, m))
    capacity = rng.integers(0, max_capacity + 1, size=m)
    acceptable = rng.random((n, m)) < 0.7 if draw(st.booleans()) else None
    return mentee_scores, mentor_scores, capacity, acceptable


@st.composite
def assignment_instances(draw, max_n=6, max_m=3, max_capacity=2):
    n = draw(st.integers(0, max_n))
    m = draw(st.integers(0, max_m))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(["uniform", "ties", "signed"]))
    if kind == "uniform":
        scores = rng.random((n, m))
    elif kind == "ties":
        scores = rng.integers(0, 3, size=(n, m)).astype(float)
    else:
        scores = rng.normal(size=(n, m))
    if draw(st.booleans()):
        scores[rng.random((n, m)) < 0.2] = np.nan
    capacity = rng.integers(0, max_capacity + 1, size=m)
    forbidden = rng.random((n, m)) < 0.25 if draw(st.booleans()) else None
    min_score = draw(st.sampled_from([None, 0.2, -0.5]))
    objective = draw(st.sampled_from(["most_matched", "best_fit"]))
    return scores, capacity, forbidden, min_score, objective


# ---------------------------------------------------------------------------------
# A. Brute force


@FAST
@given(da_instances())
def test_deferred_acceptance_is_the_brute_force_mentee_optimal_stable_matching(instance):
    mentee_scores, mentor_scores, capacity, acceptable = instance
    n, m = mentee_scores.shape
    mask = np.ones((n, m), dtype=bool) if acceptable is None else acceptable
    expected = _brute_force_mentee_optimal(mentee_scores, mentor_scores, capacity, mask)
    result = deferred_acceptance(mentee_scores, mentor_scores, capacity, acceptable=acceptable)
    _assert_valid(result, n, m, capacity, mask)
    np.testing.assert_array_equal(result, expected)


@FAST
@given(instance=assignment_instances(), method=st.sampled_from([*METHODS, "auto"]))
def test_optimal_assignment_matches_brute_force(instance, method):
    scores, capacity, forbidden, min_score, objective = instance
    n, m = scores.shape
    allowed = _allowed_pairs(scores, capacity, forbidden, min_score, objective)
    result = optimal_assignment(
        scores,
        capacity,
        forbidden=forbidden,
        min_score=min_score,
        objective=objective,
        method=method,
    )
    _assert_valid(result, n, m, capacity, allowed)
    best_count, best_total = _brute_force_assignment(scores, capacity, allowed, objective)
    if objective == "most_matched":
        assert int((result >= 0).sum()) == best_count
    assert _total(scores, result) == pytest.approx(best_total, rel=1e-9, abs=1e-12)


def test_brute_force_oracles_on_a_hand_checked_instance():
    # The oracles themselves, on the example in the deferred_acceptance docstring worked
    # out by hand: mentees 0 and 1 both want mentor 0, who prefers mentee 1.
    mentee = np.array([[2.0, 1.0], [2.0, 1.0], [1.0, 2.0]])
    mentor = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]])
    capacity = np.array([1, 2])
    everything = np.ones((3, 2), dtype=bool)
    expected = [1, 0, 1]
    assert _brute_force_mentee_optimal(mentee, mentor, capacity, everything).tolist() == expected
    rng = np.random.default_rng(0)
    ranks = _strict_ranks(mentee, mentor)
    assert _textbook_da(*ranks, capacity, everything, rng).tolist() == expected
    assert _brute_force_assignment(mentee, capacity, everything, "most_matched") == (3, 5.0)


# ---------------------------------------------------------------------------------
# B. Properties


@FAST
@given(da_instances(max_n=12, max_m=5, max_capacity=3))
def test_deferred_acceptance_is_stable_and_individually_rational(instance):
    mentee_scores, mentor_scores, capacity, acceptable = instance
    n, m = mentee_scores.shape
    mask = np.ones((n, m), dtype=bool) if acceptable is None else acceptable
    result = deferred_acceptance(mentee_scores, mentor_scores, capacity, acceptable=acceptable)
    _assert_valid(result, n, m, capacity, mask)
    ranks = _strict_ranks(mentee_scores, mentor_scores)
    assert _blocking_pairs(result, *ranks, capacity, mask) == []


@FAST
@given(da_instances(max_n=12, max_m=5, max_capacity=3), st.integers(0, 2**32 - 1))
def test_deferred_acceptance_does_not_depend_on_proposal_order(instance, seed):
    mentee_scores, mentor_scores, capacity, acceptable = instance
    n, m = mentee_scores.shape
    mask = np.ones((n, m), dtype=bool) if acceptable is None else acceptable
    ranks = _strict_ranks(mentee_scores, mentor_scores)
    result = deferred_acceptance(mentee_scores, mentor_scores, capacity, acceptable=acceptable)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        np.testing.assert_array_equal(result, _textbook_da(*ranks, capacity, mask, rng))


@pytest.mark.parametrize("with_mask", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_deferred_acceptance_large_instances_against_textbook(seed, with_mask):
    # Big enough that many mentees are rejected per round (the parallel-round code path).
    rng = np.random.default_rng(seed)
    n, m = 400, 12
    mentee_scores = rng.integers(0, 5, size=(n, m)).astype(float) + 0.1 * rng.random((n, m))
    mentor_scores = rng.normal(size=(n, m))
    capacity = rng.integers(0, 40, size=m)
    mask = rng.random((n, m)) < 0.6 if with_mask else np.ones((n, m), dtype=bool)
    result = deferred_acceptance(
        mentee_scores, mentor_scores, capacity, acceptable=mask if with_mask else None
    )
    _assert_valid(result, n, m, capacity, mask)
    ranks = _strict_ranks(mentee_scores, mentor_scores)
    assert _blocking_pairs(result, *ranks, capacity, mask) == []
    np.testing.assert_array_equal(result, _textbook_da(*ranks, capacity, mask, rng))


@FAST
@given(
    instance=assignment_instances(max_n=10, max_m=4, max_capacity=3),
    method=st.sampled_from(METHODS),
)
def test_optimal_assignment_respects_capacity_and_allowed_pairs(instance, method):
    scores, capacity, forbidden, min_score, objective = instance
    n, m = scores.shape
    allowed = _allowed_pairs(scores, capacity, forbidden, min_score, objective)
    result = optimal_assignment(
        scores,
        capacity,
        forbidden=forbidden,
        min_score=min_score,
        objective=objective,
        method=method,
    )
    _assert_valid(result, n, m, capacity, allowed)
    if min_score is not None:
        matched = np.flatnonzero(result >= 0)
        assert (scores[matched, result[matched]] >= min_score).all()


@SLOW
@given(
    n=st.integers(0, 40),
    m=st.integers(0, 12),
    seed=st.integers(0, 2**32 - 1),
    objective=st.sampled_from(["most_matched", "best_fit"]),
    forbid=st.floats(0.0, 0.9),
    popularity=st.sampled_from([0.0, 3.0]),
)
def test_dense_and_sparse_reach_the_same_total(n, m, seed, objective, forbid, popularity):
    rng = np.random.default_rng(seed)
    # Popular mentors (a column effect) make every mentee's favourites overlap, so the
    # sparse solver must look beyond its first candidate pairs.
    scores = rng.normal(size=(n, m)) + popularity * rng.normal(size=m)[None, :]
    capacity = rng.integers(0, 5, size=m)
    forbidden = rng.random((n, m)) < forbid
    allowed = _allowed_pairs(scores, capacity, forbidden, None, objective)
    results = {
        method: optimal_assignment(
            scores, capacity, forbidden=forbidden, objective=objective, method=method
        )
        for method in METHODS
    }
    for result in results.values():
        _assert_valid(result, n, m, capacity, allowed)
    dense, sparse = results["dense"], results["sparse"]
    if objective == "most_matched":
        assert (dense >= 0).sum() == (sparse >= 0).sum()
    assert _total(scores, sparse) == pytest.approx(_total(scores, dense), rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------------
# C. Independent libraries


def _matching_library_solution(mentee_scores, mentor_scores, capacity, acceptable):
    from matching.games import HospitalResident

    n, m = mentee_scores.shape
    mentee_rank, mentor_rank = _strict_ranks(mentee_scores, mentor_scores)
    resident_prefs = {
        i: sorted((j for j in range(m) if acceptable[i, j]), key=mentee_rank[i].__getitem__)
        for i in range(n)
    }
    hospital_prefs = {
        j: sorted((i for i in range(n) if acceptable[i, j]), key=mentor_rank[:, j].__getitem__)
        for j in range(m)
    }
    capacities = {j: int(capacity[j]) for j in range(m)}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore")
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solution = game.solve(optimal="resident")
    expected = np.full(n, -1)
    for hospital, residents in solution.items():
        for resident in residents:
            expected[resident.name] = hospital.name
    return expected


@pytest.mark.parametrize("seed", range(30))
def test_deferred_acceptance_agrees_with_matching_package(seed):
    rng = np.random.default_rng(1000 + seed)
    n, m = int(rng.integers(1, 41)), int(rng.integers(1, 9))
    mentee_scores = rng.random((n, m))
    mentor_scores = rng.random((n, m))
    capacity = rng.integers(1, 6, size=m)
    everything = np.ones((n, m), dtype=bool)
    expected = _matching_library_solution(mentee_scores, mentor_scores, capacity, everything)
    result = deferred_acceptance(mentee_scores, mentor_scores, capacity)
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("seed", range(6))
def test_deferred_acceptance_agrees_with_matching_package_incomplete_lists(seed):
    # Reciprocal incomplete lists, everyone ranking at least one player, and enough
    # mentees that the parallel-round code path is used.
    rng = np.random.default_rng(2000 + seed)
    n, m = 150, 8
    mentee_scores = rng.random((n, m))
    mentor_scores = rng.random((n, m))
    capacity = rng.integers(1, 15, size=m)
    acceptable = rng.random((n, m)) < 0.5
    acceptable[np.arange(n), rng.integers(0, m, size=n)] = True
    acceptable[rng.integers(0, n, size=m), np.arange(m)] = True
    expected = _matching_library_solution(mentee_scores, mentor_scores, capacity, acceptable)
    result = deferred_acceptance(mentee_scores, mentor_scores, capacity, acceptable=acceptable)
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("n", "m", "seed"), [(7, 3, 0), (60, 15, 1), (150, 40, 2), (300, 60, 3)])
def test_most_matched_total_equals_linear_sum_assignment(n, m, seed, method):
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(n, m)) * rng.uniform(0.5, 20)
    capacity = rng.integers(1, 7, size=m)
    while capacity.sum() < n:
        capacity[rng.integers(m)] += 1
    expanded = np.repeat(scores, capacity, axis=1)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    assert rows.size == n
    reference = float(expanded[rows, cols].sum())
    result = optimal_assignment(scores, capacity, objective="most_matched", method=method)
    _assert_valid(result, n, m, capacity, np.ones((n, m), dtype=bool))
    assert (result >= 0).all()
    assert _total(scores, result) == pytest.approx(reference, rel=1e-9)


@pytest.mark.parametrize("objective", ["most_matched", "best_fit"])
@pytest.mark.parametrize("method", METHODS)
def test_optimum_needs_pairs_outside_every_mentees_favourites(method, objective):
    # Twenty mentees all rank mentors 0-7 (one seat each) on top; the other twelve must go
    # to mentor 8 or 9, and every one of them prefers mentor 9.  Mentor 9 is nobody's
    # favourite, so the sparse solver can only find it by pricing.
    n, m = 20, 10
    rng = np.random.default_rng(3)
    scores = np.empty((n, m))
    scores[:, :8] = 10 + rng.random((n, 8))
    scores[:, 8] = rng.random(n)
    scores[:, 9] = scores[:, 8] + 0.01 * (1 + rng.random(n))
    capacity = np.array([1] * 8 + [n, n])
    expanded = np.repeat(scores, np.minimum(capacity, n), axis=1)
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    result = optimal_assignment(scores, capacity, objective=objective, method=method)
    _assert_valid(result, n, m, capacity, np.ones((n, m), dtype=bool))
    assert (result >= 0).all()
    assert (result == 9).sum() == 12
    assert _total(scores, result) == pytest.approx(expanded[rows, cols].sum(), rel=1e-12)


# ---------------------------------------------------------------------------------
# D. Edge cases


@pytest.mark.parametrize("shape", [(0, 3), (4, 0), (0, 0)])
def test_empty_sides(shape):
    n, m = shape
    scores = np.ones(shape)
    capacity = np.ones(m, dtype=int)
    da = deferred_acceptance(scores, scores, capacity)
    assert da.shape == (n,)
    assert (da == -1).all()
    for method in [*METHODS, "auto"]:
        for objective in ["most_matched", "best_fit"]:
            result = optimal_assignment(scores, capacity, objective=objective, method=method)
            assert result.shape == (n,)
            assert (result == -1).all()


def test_all_capacities_zero_leaves_everyone_unmatched():
    rng = np.random.default_rng(5)
    scores = rng.random((5, 3))
    capacity = np.zeros(3, dtype=int)
    assert deferred_acceptance(scores, scores, capacity).tolist() == [-1] * 5
    for method in METHODS:
        for objective in ["most_matched", "best_fit"]:
            result = optimal_assignment(scores, capacity, objective=objective, method=method)
            assert result.tolist() == [-1] * 5


def test_mentee_with_no_acceptable_mentor_is_unmatched():
    scores = np.array([[3.0, 2.0], [1.0, 2.0], [2.0, 1.0]])
    acceptable = np.array([[True, True], [False, False], [True, True]])
    # Mentee 1 is refused everywhere; mentees 0 and 2 get their favourite (mentor 0 has
    # room for both).
    result = deferred_acceptance(scores, scores, np.array([2, 2]), acceptable=acceptable)
    assert result.tolist() == [0, -1, 0]
    for method in METHODS:
        result = optimal_assignment(scores, np.array([2, 2]), forbidden=~acceptable, method=method)
        assert result.tolist() == [0, -1, 0]


def test_capacity_larger_than_the_number_of_mentees():
    scores = np.array([[1.0, 0.5], [0.9, 0.2], [0.3, 0.1]])
    capacity = np.array([10, 1])
    assert deferred_acceptance(scores, scores, capacity).tolist() == [0, 0, 0]
    for method in [*METHODS, "auto"]:
        assert optimal_assignment(scores, capacity, method=method).tolist() == [0, 0, 0]


def test_ties_are_broken_by_lower_index():
    # All scores equal: every mentee proposes to mentor 0 first, who keeps mentee 0;
    # the rest move on to mentor 1, who keeps mentee 1.
    equal = np.zeros((4, 2))
    capacity = np.array([1, 1])
    assert deferred_acceptance(equal, equal, capacity).tolist() == [0, 1, -1, -1]
    # Mentor 1 is strictly preferred by mentee 2; mentor 1 is indifferent between 1 and 2
    # and keeps the lower index.
    mentee = np.array([[1.0, 1.0], [1.0, 1.0], [0.0, 1.0]])
    mentor = np.zeros((3, 2))
    assert deferred_acceptance(mentee, mentor, capacity).tolist() == [0, 1, -1]


def test_ties_give_deterministic_results():
    rng = np.random.default_rng(11)
    scores = rng.integers(0, 2, size=(12, 4)).astype(float)
    mentor = rng.integers(0, 2, size=(12, 4)).astype(float)
    capacity = np.array([2, 3, 1, 2])
    first = deferred_acceptance(scores, mentor, capacity)
    np.testing.assert_array_equal(first, deferred_acceptance(scores.copy(), mentor, capacity))
    for method in METHODS:
        for objective in ["most_matched", "best_fit"]:
            once = optimal_assignment(scores, capacity, objective=objective, method=method)
            twice = optimal_assignment(scores.copy(), capacity, objective=objective, method=method)
            np.testing.assert_array_equal(once, twice)


@pytest.mark.parametrize("objective", ["most_matched", "best_fit"])
@pytest.mark.parametrize("method", METHODS)
def test_min_score_above_every_score_matches_nobody(objective, method):
    scores = np.random.default_rng(2).random((4, 3))
    result = optimal_assignment(
        scores, np.array([2, 2, 2]), min_score=1.5, objective=objective, method=method
    )
    assert result.tolist() == [-1] * 4


@pytest.mark.parametrize("objective", ["most_matched", "best_fit"])
@pytest.mark.parametrize("method", METHODS)
def test_min_score_is_inclusive_and_excludes_lower_pairs(objective, method):
    scores = np.array([[0.5, 0.3], [0.4, 0.2]])
    # Pairs scoring exactly min_score may be formed; lower ones may not.
    result = optimal_assignment(
        scores, np.array([2, 2]), min_score=0.4, objective=objective, method=method
    )
    assert result.tolist() == [0, 0]
    result = optimal_assignment(
        scores, np.array([1, 2]), min_score=0.4, objective=objective, method=method
    )
    assert result.tolist() == [0, -1]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("unavailable", ["nan", "forbidden"])
def test_best_fit_leaves_a_mentee_unmatched_when_that_raises_the_total(method, unavailable):
    # Mentee 1 can only go to mentor 0.  Matching both means 0 -> 1 and 1 -> 0, total 9;
    # best_fit rather gives mentor 0 to mentee 0 (total 10) and leaves mentee 1 out.
    scores = np.array([[10.0, 1.0], [8.0, 0.0]])
    forbidden = np.array([[False, False], [False, True]])
    if unavailable == "nan":
        scores[1, 1] = np.nan
        forbidden = None
    capacity = np.array([1, 1])
    most = optimal_assignment(scores, capacity, forbidden=forbidden, method=method)
    best = optimal_assignment(
        scores, capacity, forbidden=forbidden, objective="best_fit", method=method
    )
    assert most.tolist() == [1, 0]
    assert best.tolist() == [0, -1]


@pytest.mark.parametrize("method", METHODS)
def test_negative_scores_are_never_used_by_best_fit(method):
    scores = np.array([[-1.0, -2.0], [0.5, -0.1]])
    capacity = np.array([1, 1])
    best = optimal_assignment(scores, capacity, objective="best_fit", method=method)
    assert best.tolist() == [-1, 0]
    # most_matched still matches both: 0->0, 1->1 totals -1.1, better than -2 + 0.5.
    assert optimal_assignment(scores, capacity, method=method).tolist() == [0, 1]


@pytest.mark.parametrize("method", METHODS)
def test_nan_pairs_are_never_used(method):
    scores = np.array([[np.nan, 5.0], [np.nan, 4.0], [1.0, np.nan]])
    result = optimal_assignment(scores, np.array([3, 1]), method=method)
    assert result[2] == 0
    assert sorted(result[:2].tolist()) == [-1, 1]
    assert result[0] == 1  # the better of the two for the single slot


# ---------------------------------------------------------------------------------
# E. Input validation


def _da_call(**overrides):
    arguments = {
        "mentee_scores": np.ones((3, 2)),
        "mentor_scores": np.ones((3, 2)),
        "capacity": np.array([1, 1]),
        "acceptable": None,
    }
    arguments.update(overrides)
    return deferred_acceptance(
        arguments["mentee_scores"],
        arguments["mentor_scores"],
        arguments["capacity"],
        acceptable=arguments["acceptable"],
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"mentor_scores": np.ones((2, 3))},
        {"mentee_scores": np.ones(3), "mentor_scores": np.ones(3)},
        {"capacity": np.array([1, 1, 1])},
        {"capacity": np.array([[1, 1]])},
        {"capacity": np.array([1, -1])},
        {"capacity": np.array([1.5, 1.0])},
        {"capacity": np.array([1.0, np.nan])},
        {"mentee_scores": np.array([[1.0, np.nan], [1.0, 1.0], [1.0, 1.0]])},
        {"mentor_scores": np.array([[1.0, np.inf], [1.0, 1.0], [1.0, 1.0]])},
        {"acceptable": np.ones((3, 2), dtype=int)},
        {"acceptable": np.ones((2, 3), dtype=bool)},
    ],
    ids=[
        "shape-mismatch",
        "one-dimensional",
        "capacity-length",
        "capacity-2d",
        "capacity-negative",
        "capacity-fractional",
        "capacity-nan",
        "mentee-nan",
        "mentor-inf",
        "acceptable-not-bool",
        "acceptable-shape",
    ],
)
def test_deferred_acceptance_rejects_bad_input(overrides):
    with pytest.raises(ValueError):
        _da_call(**overrides)


def _oa_call(**overrides):
    arguments = {"scores": np.ones((3, 2)), "capacity": np.array([1, 1])}
    arguments.update(overrides)
    return optimal_assignment(**arguments)


@pytest.mark.parametrize(
    "overrides",
    [
        {"scores": np.ones(3)},
        {"capacity": np.array([1, 1, 1])},
        {"capacity": np.array([1, -2])},
        {"capacity": np.array([0.5, 1.0])},
        {"scores": np.array([[1.0, np.inf], [1.0, 1.0], [1.0, 1.0]])},
        {"objective": "max"},
        {"method": "greedy"},
        {"forbidden": np.zeros((3, 2), dtype=int)},
        {"forbidden": np.zeros((3, 3), dtype=bool)},
    ],
    ids=[
        "one-dimensional",
        "capacity-length",
        "capacity-negative",
        "capacity-fractional",
        "score-inf",
        "bad-objective",
        "bad-method",
        "forbidden-not-bool",
        "forbidden-shape",
    ],
)
def test_optimal_assignment_rejects_bad_input(overrides):
    with pytest.raises(ValueError):
        _oa_call(**overrides)


@pytest.mark.parametrize(
    "scores",
    [np.zeros((0, 2)), np.full((2, 2), np.nan)],
    ids=["no-mentees", "no-allowed-pair"],
)
def test_bad_method_is_rejected_even_when_nothing_can_be_matched(scores):
    with pytest.raises(ValueError):
        optimal_assignment(scores, np.array([1, 1]), method="greedy")


def test_infinite_capacity_is_rejected():
    with pytest.raises(ValueError):
        deferred_acceptance(np.ones((2, 2)), np.ones((2, 2)), np.array([np.inf, 1.0]))
