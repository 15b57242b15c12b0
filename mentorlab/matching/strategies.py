"""The ways real programs pair mentors and mentees.

Each strategy is a small dataclass whose fields are its options, with an
``assign(problem, rng) -> Assignment`` method (the :class:`Strategy` protocol).  All of
them respect the same hard constraints (``problem.allowed``: capacity, forbidden pairs,
minimum score), so they differ only in how they choose.

==================  ========================================================================
``random``          a baseline: each mentee, in random order, takes a random free place
``self_selection``  mentees browse a few profiles, rank them by their own perceived fit
                    (own weights on the visible criteria, the mentor's visible standing, a
                    noisy sense of chemistry) and send requests; mentors accept first come
                    or by their own preference; unplaced mentees wait or go to a coordinator
``administrative``  a coordinator's rules (same specialty, then same site, then schedule),
                    greedy and capacity-aware, with judgement noise that grows with the
                    number of files to review
``algorithmic``     the weighted score and :func:`optimal_assignment`
``stable``          deferred acceptance on the mentees' and the mentors' own preferences
``hybrid``          algorithmic proposals, then a coordinator review that sends back
                    low-confidence pairs, which are matched again without them
``group``           mentoring circles: one mentor with several mentees who share goals
==================  ========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Literal, Protocol

import numpy as np

from ..compatibility import CRITERIA, Weights, compatibility
from ..errors import ConfigError
from ..taxonomy import COMMUNICATION_MODES
from .kernels import deferred_acceptance, optimal_assignment
from .problem import UNMATCHED, Assignment, MatchingProblem, loads


class Strategy(Protocol):
    """What :func:`mentorlab.match` needs from a strategy."""

    name: ClassVar[str]

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment: ...


# ---------------------------------------------------------------------------------
# Shared building blocks


def _greedy_by_preference(
    order: np.ndarray,
    preference: np.ndarray,
    allowed: np.ndarray,
    remaining: np.ndarray,
    mentor_of: np.ndarray,
) -> None:
    """Each mentee in ``order`` takes their favourite allowed mentor with a free place.

    ``preference`` is ``n_mentees x n_mentors``; ``remaining`` and ``mentor_of`` are
    updated in place.
    """
    for mentee in order:
        options = allowed[mentee] & (remaining > 0)
        if not options.any():
            continue
        mentor = int(np.argmax(np.where(options, preference[mentee], -np.inf)))
        mentor_of[mentee] = mentor
        remaining[mentor] -= 1


def _check_positive(name: str, value: float, *, allow_zero: bool = True) -> None:
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ConfigError(
            f"{name} must be a {'non-negative' if allow_zero else 'positive'} number, got {value!r}"
        )


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")


# ---------------------------------------------------------------------------------
# random


@dataclass(frozen=True)
class RandomStrategy:
    """Baseline: mentees in random order each take a uniformly random free place."""

    name: ClassVar[str] = "random"

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        mentor_of = np.full(problem.n_mentees, UNMATCHED, dtype=np.int64)
        remaining = problem.capacity.copy()
        # A random key per pair, weighted so that every free *place* is equally likely.
        keys = rng.random(problem.allowed.shape)
        for mentee in rng.permutation(problem.n_mentees):
            options = problem.allowed[mentee] & (remaining > 0)
            if options.any():
                weight = np.where(options, remaining, 0).astype(float)
                mentor = int(np.argmax(np.log(keys[mentee]) / np.maximum(weight, 1e-300)))
                mentor_of[mentee] = mentor
                remaining[mentor] -= 1
        return Assignment(mentor_of)


# ---------------------------------------------------------------------------------
# administrative


@dataclass(frozen=True)
class Administrative:
    """A coordinator assigns mentees one by one, following rules.

    Rules, in order of weight: the same specialty (2), the same site (1), then schedule
    overlap (0 to 1), with a small preference for mentors who still have most of their
    places (load balancing).  Review is imperfect: each judgement carries normal noise
    with SD ``review_noise * (n_mentees / reference_size) ** noise_growth``, because a
    coordinator with more files has less time for each.

    Parameters
    ----------
    review_noise : float
        Noise SD when reviewing ``reference_size`` mentees.
    reference_size : int
        Cohort size at which the noise SD equals ``review_noise``.
    noise_growth : float
        Elasticity of the noise SD with cohort size (0: no growth).
    """

    name: ClassVar[str] = "administrative"
    review_noise: float = 0.25
    reference_size: int = 50
    noise_growth: float = 0.5

    def __post_init__(self) -> None:
        _check_positive("review_noise", self.review_noise)
        _check_count("reference_size", self.reference_size)
        _check_positive("noise_growth", self.noise_growth)

    def noise_sd(self, n_mentees: int) -> float:
        return self.review_noise * (max(n_mentees, 1) / self.reference_size) ** self.noise_growth

    def rule_scores(self, problem: MatchingProblem) -> np.ndarray:
        f = problem.compatibility.features
        e = np.arange(problem.n_mentees)[:, None]
        m = np.arange(problem.n_mentors)[None, :]
        same_specialty = (f.mentee_specialty[e] == f.mentor_specialty[m]).astype(float)
        same_site = (f.mentee_site[e] == f.mentor_site[m]).astype(float)
        return 2.0 * same_specialty + 1.0 * same_site + CRITERIA["schedule"].function(f, e, m)

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        mentor_of = np.full(problem.n_mentees, UNMATCHED, dtype=np.int64)
        remaining = problem.capacity.copy()
        self.place(problem, rng, rng.permutation(problem.n_mentees), remaining, mentor_of)
        return Assignment(mentor_of)

    def place(self, problem, rng, order, remaining, mentor_of) -> None:
        """Place the mentees in ``order`` into ``remaining`` places (updated in place)."""
        judged = self.rule_scores(problem) + rng.normal(
            0.0, self.noise_sd(problem.n_mentees), problem.allowed.shape
        )
        capacity = np.maximum(problem.capacity, 1)
        for mentee in order:
            options = problem.allowed[mentee] & (remaining > 0)
            if not options.any():
                continue
            balance = 0.25 * remaining / capacity
            mentor = int(np.argmax(np.where(options, judged[mentee] + balance, -np.inf)))
            mentor_of[mentee] = mentor
            remaining[mentor] -= 1


# ---------------------------------------------------------------------------------
# self-selection


@dataclass(frozen=True)
class SelfSelection:
    """Mentees choose from profiles; mentors accept up to capacity.

    Each mentee reads ``browse`` randomly listed profiles and ranks them by *perceived*
    fit: their own weighting of the visible criteria (weights drawn around the program's
    with Dirichlet concentration ``weight_concentration``), plus the mentor's visible
    standing (years and mentoring experience, which everyone sees alike and which floods
    popular mentors), plus a noisy sense of the pair's chemistry, plus noise.  All terms
    are in standard-deviation units of the personal score.  They then request their top
    ``requests`` mentors.

    Mentors accept ``first_come`` (mentees act in random order and take their best
    requested mentor with a place left) or by ``preference`` (deferred acceptance over
    the requests, mentors ranking requesters by the program score plus noise).  Mentees
    left without a place join a ``waitlist`` (stay unmatched) or go to a ``coordinator``
    who assigns them with the administrative rules.

    Parameters
    ----------
    browse, requests : int
        Profiles read and requests sent per mentee.
    acceptance : {"first_come", "preference"}
    fallback : {"waitlist", "coordinator"}
    standing_weight, chemistry_signal, perception_noise : float
        Weights of the mentor's standing, of the true chemistry and of pure noise in
        the mentee's perceived fit.
    weight_concentration : float
        How closely mentees' own criterion weights follow the program's.
    mentor_noise : float
        Noise in mentors' judgement of requesters (``preference`` acceptance).
    """

    name: ClassVar[str] = "self_selection"
    browse: int = 8
    requests: int = 3
    acceptance: Literal["first_come", "preference"] = "first_come"
    fallback: Literal["waitlist", "coordinator"] = "waitlist"
    standing_weight: float = 0.5
    chemistry_signal: float = 0.5
    perception_noise: float = 0.5
    weight_concentration: float = 20.0
    mentor_noise: float = 0.05

    def __post_init__(self) -> None:
        _check_count("browse", self.browse)
        _check_count("requests", self.requests)
        if self.requests > self.browse:
            raise ConfigError(f"requests ({self.requests}) cannot exceed browse ({self.browse})")
        _check_choice("acceptance", self.acceptance, ("first_come", "preference"))
        _check_choice("fallback", self.fallback, ("waitlist", "coordinator"))
        for name in ("standing_weight", "chemistry_signal", "perception_noise", "mentor_noise"):
            _check_positive(name, getattr(self, name))
        _check_positive("weight_concentration", self.weight_concentration, allow_zero=False)

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        m = problem.n_mentors
        browsed = self._browse(problem, rng)
        perceived = self._perceive(problem, rng, browsed)
        order = np.argsort(-perceived, axis=1, kind="stable")[:, : self.requests]
        requested = np.take_along_axis(browsed, order, axis=1)  # best first; -1 = nothing
        requests = np.bincount(requested[requested >= 0], minlength=m)

        if self.acceptance == "first_come":
            mentor_of = self._first_come(problem, rng, requested)
        else:
            mentor_of = self._by_preference(problem, rng, requested, perceived, browsed, order)
        chosen = mentor_of >= 0
        reason = np.where(chosen, "", "no request accepted (waitlist)")
        if self.fallback == "coordinator":
            remaining = problem.capacity - loads(mentor_of, m)
            waiting = rng.permutation(np.flatnonzero(~chosen))
            Administrative().place(problem, rng, waiting, remaining, mentor_of)
            reason = np.where(mentor_of >= 0, "", "no place left after coordinator review")
        return Assignment(mentor_of, reason=reason, chosen_by_mentee=chosen, requests=requests)

    def _browse(self, problem: MatchingProblem, rng: np.random.Generator) -> np.ndarray:
        """Mentor indices each mentee reads (-1 where fewer profiles are available)."""
        n, m = problem.n_mentees, problem.n_mentors
        k = min(self.browse, m)
        keys = np.where(problem.allowed, rng.random((n, m)), -1.0)
        listed = np.argsort(-keys, axis=1, kind="stable")[:, :k]
        visible = np.take_along_axis(keys, listed, axis=1) >= 0
        return np.where(visible, listed, -1)

    def _perceive(self, problem, rng, browsed) -> np.ndarray:
        n = problem.n_mentees
        seen = browsed >= 0
        e = np.repeat(np.arange(n)[:, None], browsed.shape[1], axis=1)[seen]
        mentor = browsed[seen]
        program = problem.compatibility.weights.array()
        own_weights = rng.dirichlet(self.weight_concentration * program + 1e-9, size=n)[e]
        features = problem.compatibility.features
        personal = sum(
            own_weights[:, k] * CRITERIA[name].function(features, e, mentor)
            for k, name in enumerate(CRITERIA)
        )
        standing = _standardise(
            np.log1p(problem.cohort.mentors["years_in_practice"].to_numpy(float))
            + np.log1p(problem.cohort.mentors["prior_mentees"].to_numpy(float))
        )
        chemistry = (
            problem.chemistry[e, mentor]
            if problem.chemistry is not None
            else rng.standard_normal(e.size)
        )
        perceived = np.full(browsed.shape, -np.inf)
        perceived[seen] = (
            _standardise(personal)
            + self.standing_weight * standing[mentor]
            + self.chemistry_signal * chemistry
            + self.perception_noise * rng.standard_normal(e.size)
        )
        return perceived

    def _first_come(self, problem, rng, requested) -> np.ndarray:
        mentor_of = np.full(problem.n_mentees, UNMATCHED, dtype=np.int64)
        remaining = problem.capacity.copy()
        for mentee in rng.permutation(problem.n_mentees):
            for mentor in requested[mentee]:
                if mentor >= 0 and remaining[mentor] > 0:
                    mentor_of[mentee] = mentor
                    remaining[mentor] -= 1
                    break
        return mentor_of

    def _by_preference(self, problem, rng, requested, perceived, browsed, order) -> np.ndarray:
        n, m = problem.n_mentees, problem.n_mentors
        acceptable = np.zeros((n, m), dtype=bool)
        mentee_view = np.zeros((n, m))
        rows = np.repeat(np.arange(n)[:, None], requested.shape[1], axis=1)
        sent = requested >= 0
        acceptable[rows[sent], requested[sent]] = True
        # Requests keep the mentee's own ranking: first request scores highest.
        mentee_view[rows[sent], requested[sent]] = (
            requested.shape[1] - np.nonzero(sent)[1]
        ).astype(float)
        mentor_view = problem.scores + rng.normal(0.0, self.mentor_noise, (n, m))
        return deferred_acceptance(
            mentee_view, mentor_view, problem.capacity, acceptable=acceptable
        )


def _standardise(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values
    sd = values.std()
    return (values - values.mean()) / (sd if sd > 0 else 1.0)


# ---------------------------------------------------------------------------------
# algorithmic, stable, hybrid


@dataclass(frozen=True)
class Algorithmic:
    """Maximise the total weighted score (:func:`optimal_assignment`).

    Parameters
    ----------
    objective : {"most_matched", "best_fit"}
        Match as many mentees as possible first, or maximise the total score alone.
    """

    name: ClassVar[str] = "algorithmic"
    objective: Literal["most_matched", "best_fit"] = "most_matched"

    def __post_init__(self) -> None:
        _check_choice("objective", self.objective, ("most_matched", "best_fit"))

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        mentor_of = optimal_assignment(
            problem.scores, problem.capacity, forbidden=~problem.allowed, objective=self.objective
        )
        return Assignment(mentor_of)


# What mentors look for, by default, when they rank mentees themselves.
DEFAULT_MENTOR_VIEW = {
    "goals": 0.30,
    "schedule": 0.20,
    "working_style": 0.15,
    "career_gap": 0.15,
    "frequency": 0.10,
    "communication": 0.10,
}


@dataclass(frozen=True)
class Stable:
    """Deferred acceptance on mutual preferences (mentee-proposing, mentee-optimal).

    Mentees rank mentors by the program's weighted score; mentors rank mentees by their
    own view (``mentor_weights``; by default they care most about whether they can teach
    the mentee's goals and about schedule, style and the career gap).  The result has no
    blocking pair under these two views.

    Parameters
    ----------
    mentor_weights : mapping, optional
        Criterion weights of the mentors' view.
    """

    name: ClassVar[str] = "stable"
    mentor_weights: dict[str, float] | None = None

    def __post_init__(self) -> None:
        Weights(self.mentor_weights or DEFAULT_MENTOR_VIEW)  # validates

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        mentee_view = problem.scores
        mentor_view = compatibility(
            problem.cohort, Weights(self.mentor_weights or DEFAULT_MENTOR_VIEW)
        ).total
        mentor_of = deferred_acceptance(
            mentee_view, mentor_view, problem.capacity, acceptable=problem.allowed
        )
        return Assignment(mentor_of, mentee_view=mentee_view, mentor_view=mentor_view)


@dataclass(frozen=True)
class Hybrid:
    """The algorithm proposes; a coordinator reviews before release.

    Pairs the coordinator doubts (score in the lowest ``review_quantile`` of proposed
    pairs, or both preferring in-person meetings across regions) are sent back with
    probability ``reject_probability`` (reviews miss some).  Rejected pairs are
    forbidden and their mentees are matched again, optimally, into the places left.

    Parameters
    ----------
    review_quantile : float
        Share of the weakest proposed pairs the coordinator looks at closely.
    reject_probability : float
        Chance that a doubtful pair is actually sent back.
    review_rounds : int
        Rounds of review (re-matched pairs are reviewed again in the next round).
    """

    name: ClassVar[str] = "hybrid"
    review_quantile: float = 0.2
    reject_probability: float = 0.8
    review_rounds: int = 1

    def __post_init__(self) -> None:
        for name in ("review_quantile", "reject_probability"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ConfigError(f"{name} must lie in [0, 1], got {value!r}")
        _check_count("review_rounds", self.review_rounds)

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        allowed = problem.allowed.copy()
        mentor_of = optimal_assignment(problem.scores, problem.capacity, forbidden=~allowed)
        threshold = self._threshold(problem, mentor_of)
        to_review = np.flatnonzero(mentor_of >= 0)
        for _ in range(self.review_rounds):
            rejected = self._review(problem, rng, mentor_of, to_review, threshold)
            if rejected.size == 0:
                break
            allowed[rejected, mentor_of[rejected]] = False
            mentor_of[rejected] = UNMATCHED
            remaining = problem.capacity - loads(mentor_of, problem.n_mentors)
            again = optimal_assignment(
                problem.scores[rejected], remaining, forbidden=~allowed[rejected]
            )
            mentor_of[rejected] = again
            to_review = rejected[again >= 0]
        reason = np.where(mentor_of >= 0, "", "no place left after review")
        return Assignment(mentor_of, reason=reason)

    def _threshold(self, problem, mentor_of) -> float:
        """Score at or below which a proposed pair counts among the weakest ``review_quantile``."""
        matched = np.flatnonzero(mentor_of >= 0)
        weakest = int(np.ceil(self.review_quantile * matched.size))
        if weakest == 0:
            return -np.inf
        scores = np.sort(problem.scores[matched, mentor_of[matched]])
        return float(scores[weakest - 1])

    def _review(self, problem, rng, mentor_of, mentees, threshold) -> np.ndarray:
        if mentees.size == 0:
            return mentees
        f = problem.compatibility.features
        mentors = mentor_of[mentees]
        weak = problem.scores[mentees, mentors] <= threshold
        in_person = COMMUNICATION_MODES.index("in_person")
        far_apart = (
            (f.mentee_communication[mentees] == in_person)
            & (f.mentor_communication[mentors] == in_person)
            & (f.mentee_region[mentees] != f.mentor_region[mentors])
        )
        doubtful = weak | far_apart
        sent_back = doubtful & (rng.random(mentees.size) < self.reject_probability)
        return mentees[sent_back]


# ---------------------------------------------------------------------------------
# group circles


@dataclass(frozen=True)
class Group:
    """Mentoring circles: each mentor leads one circle of mentees who share goals.

    Circles take more mentees than one-to-one mentoring (group sessions cost a mentor
    less time per mentee): a circle holds up to ``circle_factor`` times the mentor's
    capacity, at most ``max_circle``.  Mentees are first assigned optimally on a score
    that weighs the goals criterion extra (``goal_emphasis``), then pairs of mentees in
    different circles are swapped whenever that raises the sum of their fit with the
    mentor and their goal similarity (Jaccard) with the circle's other members.

    Parameters
    ----------
    circle_factor : float
        Circle size relative to one-to-one capacity.
    max_circle : int
        Largest circle.
    goal_emphasis : float
        Share of the assignment score given to the goals criterion (0 to 1).
    peer_weight : float
        Weight of peer goal similarity against mentor fit in the swap step.
    swap_attempts : int
        Swap attempts per mentee.
    """

    name: ClassVar[str] = "group"
    circle_factor: float = 2.0
    max_circle: int = 6
    goal_emphasis: float = 0.5
    peer_weight: float = 0.5
    swap_attempts: int = 10

    def __post_init__(self) -> None:
        _check_positive("circle_factor", self.circle_factor, allow_zero=False)
        _check_count("max_circle", self.max_circle)
        if not 0 <= self.goal_emphasis <= 1:
            raise ConfigError(f"goal_emphasis must lie in [0, 1], got {self.goal_emphasis!r}")
        _check_positive("peer_weight", self.peer_weight)
        _check_count("swap_attempts", self.swap_attempts)

    def circle_capacity(self, capacity: np.ndarray) -> np.ndarray:
        return np.minimum(np.floor(self.circle_factor * capacity), self.max_circle).astype(np.int64)

    def assign(self, problem: MatchingProblem, rng: np.random.Generator) -> Assignment:
        f = problem.compatibility.features
        goal_fit = problem.compatibility.criterion("goals")
        fit = (1 - self.goal_emphasis) * problem.scores + self.goal_emphasis * goal_fit
        mentor_of = optimal_assignment(
            fit, self.circle_capacity(problem.capacity), forbidden=~problem.allowed
        )
        self._swap(problem, rng, fit, f.mentee_topics, mentor_of)
        mentor_ids = problem.compatibility.mentor_ids
        circle = np.array(
            [f"circle_{mentor_ids[j]}" if j >= 0 else "" for j in mentor_of], dtype=object
        )
        return Assignment(mentor_of, circle=circle)

    def _swap(self, problem, rng, fit, topics, mentor_of) -> None:
        """Random pairwise swaps between circles that raise mentor fit plus peer similarity."""
        matched = np.flatnonzero(mentor_of >= 0)
        if matched.size < 2:
            return
        members = {
            int(j): np.flatnonzero(mentor_of == j).tolist() for j in np.unique(mentor_of[matched])
        }

        similarity = _PeerSimilarity(topics)
        fit_rows = fit.tolist() if fit.size <= 10_000_000 else fit

        def value(mentee: int, mentor: int, peers: list[int]) -> float:
            return fit_rows[mentee][mentor] + self.peer_weight * similarity.mean(mentee, peers)

        allowed = problem.allowed
        attempts = rng.choice(matched, size=(self.swap_attempts * matched.size, 2))
        for a, b in attempts.tolist():
            ja, jb = int(mentor_of[a]), int(mentor_of[b])
            if ja == jb or not (allowed[a, jb] and allowed[b, ja]):
                continue
            stay_a = [p for p in members[ja] if p != a]
            stay_b = [p for p in members[jb] if p != b]
            before = value(a, ja, stay_a) + value(b, jb, stay_b)
            after = value(a, jb, stay_b) + value(b, ja, stay_a)
            if after > before + 1e-12:
                members[ja] = [*stay_a, b]
                members[jb] = [*stay_b, a]
                mentor_of[a], mentor_of[b] = jb, ja


class _PeerSimilarity:
    """Mean goal similarity of a mentee with a list of peers, fast for small circles.

    Up to a few thousand mentees the whole Jaccard matrix is computed once and kept as
    nested lists (cheap scalar look-ups in the swap loop); beyond that rows are computed
    on demand.
    """

    _DENSE_LIMIT = 1000

    def __init__(self, topics: np.ndarray) -> None:
        self.topics = topics
        self.table = None
        if topics.size <= self._DENSE_LIMIT:
            from ..compatibility import popcount

            union = popcount(topics[:, None] | topics[None, :])
            shared = popcount(topics[:, None] & topics[None, :])
            self.table = np.where(union > 0, shared / np.maximum(union, 1), 0.0).tolist()

    def mean(self, mentee: int, peers: list[int]) -> float:
        if not peers:
            return 0.0
        if self.table is not None:
            row = self.table[mentee]
            return sum(row[p] for p in peers) / len(peers)
        return float(jaccard_rows(self.topics, mentee, peers).mean())


def jaccard_rows(topics: np.ndarray, mentee: int, others: list[int]) -> np.ndarray:
    """Goal similarity (Jaccard) of one mentee with several others, from topic bit masks."""
    from ..compatibility import popcount

    mine, theirs = topics[mentee], topics[others]
    union = popcount(mine | theirs)
    return np.where(union > 0, popcount(mine & theirs) / np.maximum(union, 1), 0.0)


# ---------------------------------------------------------------------------------
# Registry


STRATEGIES: dict[str, type] = {
    cls.name: cls
    for cls in (RandomStrategy, SelfSelection, Administrative, Algorithmic, Stable, Hybrid, Group)
}


def make_strategy(name: str, **options: Any) -> Strategy:
    """The strategy called ``name``, configured with ``options``.

    Raises
    ------
    ConfigError
        For an unknown strategy or option (listing the valid ones) or a bad value.
    """
    if name not in STRATEGIES:
        raise ConfigError(f"unknown strategy '{name}' (choose from: {', '.join(STRATEGIES)})")
    cls = STRATEGIES[name]
    valid = [f.name for f in fields(cls)]
    unknown = sorted(set(options) - set(valid))
    if unknown:
        allowed = ", ".join(valid) if valid else "none"
        raise ConfigError(
            f"strategy '{name}' has no option {', '.join(unknown)} (its options: {allowed})"
        )
    return cls(**options)
