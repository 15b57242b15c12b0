"""Matching kernels: the two exact algorithms every strategy is built on.

Both take plain NumPy matrices, ``n_mentees x n_mentors``, where a higher number means
"more preferred" (or "a better pair"), and return the mentor index matched to each
mentee, or ``-1`` for an unmatched mentee.

:func:`deferred_acceptance`
    Mentee-proposing deferred acceptance with mentor capacities (the hospital-resident
    problem).  Returns the mentee-optimal stable matching: no mentee and mentor would
    both rather be together than with their partners, and every mentee gets the best
    mentor they have in any stable matching.  Proposals are made in parallel rounds;
    the result does not depend on the order of proposals (McVitie and Wilson, 1970).
:func:`optimal_assignment`
    The assignment that maximises the total score subject to capacities and forbidden
    pairs.  Small problems are solved with :func:`scipy.optimize.linear_sum_assignment`
    on the slot-expanded matrix; large ones as a transportation linear program (HiGHS)
    over a sparse set of candidate pairs, grown until the LP dual proves the solution
    optimal for the full problem.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment, linprog

Objective = Literal["most_matched", "best_fit"]
UNMATCHED = -1
# Problems whose slot-expanded matrix has at most this many cells go to the dense solver.
DENSE_CELL_LIMIT = 16_000_000


# ---------------------------------------------------------------------------------
# Deferred acceptance


def deferred_acceptance(
    mentee_scores: np.ndarray,
    mentor_scores: np.ndarray,
    capacity: np.ndarray,
    *,
    acceptable: np.ndarray | None = None,
) -> np.ndarray:
    """Mentee-optimal stable matching with mentor capacities.

    Parameters
    ----------
    mentee_scores : array (n_mentees, n_mentors)
        Row ``i``: how much mentee ``i`` wants each mentor (higher is better).
    mentor_scores : array (n_mentees, n_mentors)
        Column ``j``: how much mentor ``j`` wants each mentee (higher is better).
    capacity : array (n_mentors,)
        Most mentees each mentor can take (whole numbers >= 0).
    acceptable : bool array (n_mentees, n_mentors), optional
        False where a pair may not be formed (either side refuses, or a rule forbids
        it).  All pairs are acceptable when omitted.

    Returns
    -------
    numpy.ndarray of int
        Mentor index per mentee, ``-1`` when unmatched.

    Notes
    -----
    Ties are broken by index: between equally scored mentors a mentee prefers the lower
    index, and likewise for mentors.  Each round, every free mentee proposes to the next
    mentor on their list; each mentor keeps the best proposals up to capacity (among those
    it already holds and the new ones) and rejects the rest.

    Examples
    --------
    >>> mentee = np.array([[2, 1], [2, 1], [1, 2]])
    >>> mentor = np.array([[1, 3], [2, 2], [3, 1]])
    >>> deferred_acceptance(mentee, mentor, np.array([1, 2])).tolist()
    [1, 0, 1]
    """
    mentee_scores, mentor_scores, capacity, acceptable = _check_da_inputs(
        mentee_scores, mentor_scores, capacity, acceptable
    )
    n, m = mentee_scores.shape
    if n == 0 or m == 0:
        return np.full(n, UNMATCHED, dtype=np.int64)

    # Each mentee's list: acceptable mentors by decreasing score, ties to the lower index.
    order = np.argsort(-mentee_scores, axis=1, kind="stable")
    if acceptable is not None:
        refused = ~np.take_along_axis(acceptable, order, axis=1)
        order = np.take_along_axis(order, np.argsort(refused, axis=1, kind="stable"), axis=1)
        list_length = acceptable.sum(axis=1)
    else:
        list_length = np.full(n, m)
    # rank[i, j]: position of mentee i in mentor j's list (0 = favourite).
    rank = np.empty((n, m), dtype=np.int64)
    rank[np.argsort(-mentor_scores, axis=0, kind="stable"), np.arange(m)] = np.arange(n)[:, None]

    next_pick = np.zeros(n, dtype=np.int64)
    target = np.where(list_length > 0, order[:, 0], UNMATCHED)
    while True:
        rejected = _rejections(target, rank, capacity)
        if rejected.size == 0:
            return target
        next_pick[rejected] += 1
        more = next_pick[rejected] < list_length[rejected]
        target[rejected] = np.where(
            more, order[rejected, np.minimum(next_pick[rejected], m - 1)], UNMATCHED
        )
        if rejected.size <= _SEQUENTIAL_BELOW:
            # The last few free mentees can wander for many rounds; finishing one
            # proposal at a time is cheaper than re-sorting everyone each round.
            return _finish_one_by_one(
                target, rejected, next_pick, order, list_length, rank, capacity
            )


_SEQUENTIAL_BELOW = 32


def _finish_one_by_one(target, proposing, next_pick, order, list_length, rank, capacity):
    """Sequential deferred acceptance from a state where only ``proposing`` are unsettled."""
    import heapq

    target = target.copy()
    unsettled = set(proposing.tolist())
    held: dict[int, list[tuple[int, int]]] = {}  # mentor -> max-heap of (-rank, mentee)
    for mentee in np.flatnonzero(target >= 0).tolist():
        if mentee not in unsettled:
            mentor = int(target[mentee])
            held.setdefault(mentor, []).append((-int(rank[mentee, mentor]), mentee))
    for heap in held.values():
        heapq.heapify(heap)
    queue = [int(i) for i in proposing if target[i] >= 0]
    while queue:
        mentee = queue.pop()
        while next_pick[mentee] < list_length[mentee]:
            mentor = int(order[mentee, next_pick[mentee]])
            heap = held.setdefault(mentor, [])
            mine = -int(rank[mentee, mentor])
            if len(heap) < capacity[mentor]:
                heapq.heappush(heap, (mine, mentee))
                target[mentee] = mentor
                break
            if heap and mine > heap[0][0]:  # better (lower rank) than the worst held
                _, displaced = heapq.heapreplace(heap, (mine, mentee))
                target[mentee] = mentor
                target[displaced] = UNMATCHED
                next_pick[displaced] += 1
                queue.append(displaced)
                break
            next_pick[mentee] += 1
        else:
            target[mentee] = UNMATCHED
    return target


def _rejections(target: np.ndarray, rank: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Mentees a mentor turns away: beyond capacity among everyone proposing to or held by it."""
    proposing = np.flatnonzero(target >= 0)
    mentor = target[proposing]
    by_mentor_then_rank = np.lexsort((rank[proposing, mentor], mentor))
    proposing, mentor = proposing[by_mentor_then_rank], mentor[by_mentor_then_rank]
    place = np.arange(mentor.size) - np.searchsorted(mentor, mentor, side="left")
    return proposing[place >= capacity[mentor]]


def _check_da_inputs(mentee_scores, mentor_scores, capacity, acceptable):
    mentee_scores = _score_matrix(mentee_scores, "mentee_scores")
    mentor_scores = _score_matrix(mentor_scores, "mentor_scores")
    if mentee_scores.shape != mentor_scores.shape:
        raise ValueError(
            f"mentee_scores {mentee_scores.shape} and mentor_scores {mentor_scores.shape} "
            "must have the same shape (n_mentees, n_mentors)"
        )
    capacity = _capacity(capacity, mentee_scores.shape[1])
    if acceptable is not None:
        acceptable = _mask(acceptable, mentee_scores.shape, "acceptable")
    return mentee_scores, mentor_scores, capacity, acceptable


# ---------------------------------------------------------------------------------
# Optimal assignment


def optimal_assignment(
    scores: np.ndarray,
    capacity: np.ndarray,
    *,
    forbidden: np.ndarray | None = None,
    min_score: float | None = None,
    objective: Objective = "most_matched",
    method: Literal["auto", "dense", "sparse"] = "auto",
) -> np.ndarray:
    """Assignment of mentees to mentors with the largest total score.

    Parameters
    ----------
    scores : array (n_mentees, n_mentors)
        Value of each pair (higher is better); NaN marks a pair that cannot be formed.
    capacity : array (n_mentors,)
        Most mentees each mentor can take.
    forbidden : bool array (n_mentees, n_mentors), optional
        True where a pair may not be formed.
    min_score : float, optional
        Pairs scoring below this are never formed.
    objective : {"most_matched", "best_fit"}
        ``most_matched`` first matches as many mentees as the allowed pairs permit, and
        among those assignments takes the one with the largest total score.
        ``best_fit`` maximises the total score alone, so it may leave a mentee unmatched
        to give a better pair to someone else; pairs with a negative score are never used.
    method : {"auto", "dense", "sparse"}
        ``dense``: linear_sum_assignment on the slot-expanded matrix; ``sparse``: the
        transportation LP with candidate pairs and a dual optimality check; ``auto``
        chooses by problem size.  Both give an optimal assignment.

    Returns
    -------
    numpy.ndarray of int
        Mentor index per mentee, ``-1`` when unmatched.

    Examples
    --------
    >>> scores = np.array([[0.9, 0.1], [0.8, 0.7], [0.2, 0.6]])
    >>> optimal_assignment(scores, np.array([1, 2])).tolist()
    [0, 1, 1]
    >>> optimal_assignment(scores, np.array([1, 1]), min_score=0.65).tolist()
    [0, 1, -1]
    """
    scores = _score_matrix(scores, "scores", allow_nan=True)
    n, m = scores.shape
    capacity = _capacity(capacity, m)
    if objective not in ("most_matched", "best_fit"):
        raise ValueError(f"objective must be 'most_matched' or 'best_fit', got {objective!r}")
    if method not in ("auto", "dense", "sparse"):
        raise ValueError(f"method must be 'auto', 'dense' or 'sparse', got {method!r}")
    allowed = np.isfinite(scores)
    if forbidden is not None:
        allowed &= ~_mask(forbidden, scores.shape, "forbidden")
    if min_score is not None:
        with np.errstate(invalid="ignore"):
            allowed &= scores >= min_score
    if objective == "best_fit":
        with np.errstate(invalid="ignore"):
            allowed &= scores >= 0
    allowed &= capacity[None, :] > 0
    if n == 0 or not allowed.any():
        return np.full(n, UNMATCHED, dtype=np.int64)
    if method == "auto":
        slots = int(np.minimum(capacity, n).sum())
        method = "dense" if n * slots <= DENSE_CELL_LIMIT else "sparse"
    if method == "dense":
        return _assign_dense(scores, capacity, allowed, objective)
    return _assign_sparse(scores, capacity, allowed, objective)


def _assign_dense(scores, capacity, allowed, objective) -> np.ndarray:
    """linear_sum_assignment on one column per mentor slot."""
    n = scores.shape[0]
    slot_owner = np.repeat(np.arange(scores.shape[1]), np.minimum(capacity, n))
    profit = _profit(scores, allowed, objective)[:, slot_owner]
    rows, cols = linear_sum_assignment(profit, maximize=True)
    result = np.full(n, UNMATCHED, dtype=np.int64)
    mentor = slot_owner[cols]
    keep = allowed[rows, mentor]
    result[rows[keep]] = mentor[keep]
    return result


def _profit(scores, allowed, objective) -> np.ndarray:
    """Pair values for a solver that must prefer more pairs first (most_matched) or not.

    For most_matched every allowed pair is worth a bonus larger than the whole range of
    totals any assignment can reach, so one more pair always beats a better mix.
    Disallowed pairs are worth 0 and removed afterwards.
    """
    values = np.where(allowed, scores, 0.0)
    if objective == "best_fit":
        return values
    low, high = scores[allowed].min(), scores[allowed].max()
    pairs = min(scores.shape[0], int(allowed.sum()))
    bonus = (high - low) * pairs + 1.0
    return np.where(allowed, values - low + bonus, 0.0)


# -- sparse path: transportation LP with column generation ---------------------------

_CANDIDATES_PER_MENTEE = 8
_PLACES_DEPTH = 4  # candidate mentees per place a mentor offers
_TOLERANCE = 1e-9


def _assign_sparse(scores, capacity, allowed, objective) -> np.ndarray:
    n = scores.shape[0]
    capacity = np.minimum(capacity, n)
    if objective == "best_fit":
        return _solve_transport(scores, allowed, capacity, None, _empty_pairs())
    # most_matched: find the largest number of pairs by maximum flow first (a flow, not an
    # LP: the all-ones LP is so degenerate that interior point stalls on it), then fix
    # that number in the LP and maximise the score.
    target_pairs, seed_pairs = _maximum_cardinality(
        allowed, capacity, *_best_pairs_per_mentee(scores, allowed)
    )
    return _solve_transport(scores, allowed, capacity, target_pairs, seed_pairs)


def _empty_pairs():
    return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)


def _maximum_cardinality(allowed, capacity, candidate_rows, candidate_cols):
    """Largest number of pairs, and one assignment reaching it.

    A maximum flow on the candidate pairs is tried first; when it reaches the simple
    upper bound (every mentee with an option, or every place a mentee could take), it
    is optimal and the full graph need not be searched.
    """
    reachable = allowed.any(axis=1).sum()
    takers = np.minimum(capacity, allowed.sum(axis=0)).sum()
    upper = int(min(reachable, takers))
    value, pairs = _max_flow(candidate_rows, candidate_cols, capacity, allowed.shape)
    if value < upper:
        rows, cols = np.nonzero(allowed)
        value, pairs = _max_flow(rows, cols, capacity, allowed.shape)
    return value, pairs


def _max_flow(rows, cols, capacity, shape):
    """Maximum b-matching on the given pairs: (number of pairs, (mentee rows, mentor cols))."""
    from scipy.sparse.csgraph import maximum_flow

    n, m = shape
    source, sink = 0, n + m + 1
    mentee_node, mentor_node = 1 + np.arange(n), 1 + n + np.arange(m)
    tails = np.concatenate([np.full(n, source), mentee_node[rows], mentor_node])
    heads = np.concatenate([mentee_node, mentor_node[cols], np.full(m, sink)])
    caps = np.concatenate([np.ones(n), np.ones(rows.size), capacity]).astype(np.int32)
    graph = sparse.csr_array((caps, (tails, heads)), shape=(n + m + 2, n + m + 2))
    result = maximum_flow(graph, source, sink, method="dinic")
    flow = sparse.coo_array(result.flow)
    used = (
        (flow.data > 0) & (flow.row >= 1) & (flow.row <= n) & (flow.col > n) & (flow.col <= n + m)
    )
    return int(result.flow_value), (flow.row[used] - 1, flow.col[used] - 1 - n)


def _solve_transport(values, allowed, capacity, target_pairs, seed_pairs) -> np.ndarray:
    """Max sum(values * x) over allowed pairs; x_ij in {0, 1}; row sums <= 1,
    column sums <= capacity, and sum(x) == target_pairs when given.

    Solves the LP on a candidate set of pairs, then prices every allowed pair with the
    LP duals; pairs with positive reduced cost join the candidates until none is left,
    which proves the candidate optimum optimal for the full problem.
    """
    n, m = values.shape
    rows, cols = _best_pairs_per_mentee(values, allowed)
    mentor_rows, mentor_cols = _best_pairs_per_mentor(values, allowed, capacity)
    candidates = _unique_pairs(
        np.concatenate([rows, mentor_rows, seed_pairs[0]]),
        np.concatenate([cols, mentor_cols, seed_pairs[1]]),
        m,
    )
    scale = max(1.0, float(np.abs(values[allowed]).max()))
    in_lp = np.zeros((n, m), dtype=bool)
    in_lp[candidates] = True
    while True:
        x, u, v, w = _solve_candidate_lp(values, candidates, capacity, target_pairs, n, m)
        # Pairs already in the LP satisfy the dual constraints (with their bound duals);
        # any other allowed pair with a positive reduced cost could still improve it.
        violating = _price(values, allowed & ~in_lp, u, v, w, tolerance=_TOLERANCE * scale)
        if violating[0].size == 0:
            break
        in_lp[violating] = True
        candidates = _unique_pairs(
            np.concatenate([candidates[0], violating[0]]),
            np.concatenate([candidates[1], violating[1]]),
            m,
        )
    chosen = x > 0.5
    result = np.full(n, UNMATCHED, dtype=np.int64)
    result[candidates[0][chosen]] = candidates[1][chosen]
    return result


def _best_pairs_per_mentee(values, allowed, block=2048):
    """Each mentee's few best allowed mentors (row blocks keep memory small)."""
    n, m = values.shape
    k = min(_CANDIDATES_PER_MENTEE, m)
    found_rows, found_cols = [], []
    for start in range(0, n, block):
        stop = min(start + block, n)
        masked = np.where(allowed[start:stop], values[start:stop], -np.inf)
        top = (
            np.argpartition(-masked, k - 1, axis=1)[:, :k]
            if k < m
            else np.tile(np.arange(m), (stop - start, 1))
        )
        rows = np.repeat(np.arange(start, stop), top.shape[1])
        cols = top.ravel()
        keep = allowed[rows, cols]
        found_rows.append(rows[keep])
        found_cols.append(cols[keep])
    return np.concatenate(found_rows), np.concatenate(found_cols)


def _best_pairs_per_mentor(values, allowed, capacity, block=512):
    """Each mentor's best allowed mentees, a few per place offered.

    When mentees agree on who the best mentors are, their own top lists overlap and
    miss the mentors most of them will end up with; the mentors' side fills that gap.
    """
    n, m = values.shape
    depth = np.minimum(_PLACES_DEPTH * capacity + _CANDIDATES_PER_MENTEE, n)
    k = int(depth.max()) if m else 0
    found_rows, found_cols = [], []
    for start in range(0, m, block):
        stop = min(start + block, m)
        masked = np.where(allowed[:, start:stop], values[:, start:stop], -np.inf)
        top = (
            np.argpartition(-masked, k - 1, axis=0)[:k]
            if k < n
            else np.tile(np.arange(n)[:, None], (1, stop - start))
        )
        # Keep only each mentor's own depth, best first.
        order = np.argsort(-np.take_along_axis(masked, top, axis=0), axis=0, kind="stable")
        top = np.take_along_axis(top, order, axis=0)
        rank = np.arange(top.shape[0])[:, None]
        keep = (rank < depth[None, start:stop]) & np.take_along_axis(
            allowed[:, start:stop], top, axis=0
        )
        found_rows.append(top[keep])
        found_cols.append(np.broadcast_to(np.arange(start, stop)[None, :], top.shape)[keep])
    if not found_rows:
        return _empty_pairs()
    return np.concatenate(found_rows), np.concatenate(found_cols)


def _unique_pairs(rows, cols, m):
    codes = np.unique(rows.astype(np.int64) * m + cols)
    return codes // m, codes % m


def _solve_candidate_lp(values, candidates, capacity, target_pairs, n, m):
    rows, cols = candidates
    k = rows.size
    index = np.arange(k)
    a_ub = sparse.vstack(
        [
            sparse.csr_array((np.ones(k), (rows, index)), shape=(n, k)),
            sparse.csr_array((np.ones(k), (cols, index)), shape=(m, k)),
        ],
        format="csc",
    )
    b_ub = np.concatenate([np.ones(n), capacity.astype(float)])
    a_eq = b_eq = None
    if target_pairs is not None:
        a_eq, b_eq = sparse.csr_array(np.ones((1, k))), np.array([float(target_pairs)])
    result = linprog(
        -values[rows, cols],
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=b_eq,
        bounds=(0, 1),
        # Interior point with crossover ends on a vertex, which for this (totally
        # unimodular) constraint matrix is integral; it beats dual simplex here ~2x.
        method="highs-ipm",
    )
    if result.status != 0:
        raise RuntimeError(f"assignment LP failed: {result.message}")
    x = result.x
    if np.abs(x - np.round(x)).max() > 1e-6:  # the transportation polytope is integral
        raise RuntimeError("assignment LP returned a fractional solution")
    duals = -result.ineqlin.marginals
    u, v = duals[:n], duals[n:]
    w = 0.0 if target_pairs is None else float(-result.eqlin.marginals[0])
    return x, u, v, w


def _price(values, allowed, u, v, w, *, tolerance, block=2048):
    """Allowed pairs whose reduced cost is positive (the LP could still improve with them)."""
    found_rows, found_cols = [], []
    for start in range(0, values.shape[0], block):
        stop = min(start + block, values.shape[0])
        reduced = values[start:stop] - u[start:stop, None] - v[None, :] - w
        reduced[~allowed[start:stop]] = -np.inf
        r, c = np.nonzero(reduced > tolerance)
        if r.size:
            # Add at most a few per mentee, the most violated first.
            order = np.lexsort((-reduced[r, c], r))
            r, c = r[order], c[order]
            rank = np.arange(r.size) - np.searchsorted(r, r, side="left")
            keep = rank < _CANDIDATES_PER_MENTEE
            found_rows.append(r[keep] + start)
            found_cols.append(c[keep])
    if not found_rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(found_rows), np.concatenate(found_cols)


# ---------------------------------------------------------------------------------
# Input checks shared by both kernels


def _score_matrix(values, name: str, *, allow_nan: bool = False) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (n_mentees, n_mentors), got shape {array.shape}"
        )
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"{name}[{i}, {j}] is {array[i, j]}; scores must be finite")
    return array


def _capacity(values, m: int) -> np.ndarray:
    array = np.asarray(values)
    if array.shape != (m,):
        raise ValueError(f"capacity must have one entry per mentor ({m}), got shape {array.shape}")
    if array.size and (
        not np.issubdtype(array.dtype, np.number)
        or not np.isfinite(array).all()
        or np.any(array != np.round(array))
        or np.any(array < 0)
    ):
        raise ValueError("capacity must hold finite whole numbers >= 0")
    return array.astype(np.int64)


def _mask(values, shape, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    if array.dtype != bool:
        raise ValueError(f"{name} must be a boolean array")
    return array
