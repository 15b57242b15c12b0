"""``mentorlab.match``: one call from a cohort to a :class:`Matching`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._seed import SeedLike, as_generator
from ..cohort import Cohort
from ..compatibility import Weights, compatibility, forbidden_pairs
from ..errors import ConfigError
from .problem import MatchingProblem
from .result import Matching, build_matching
from .strategies import STRATEGIES, Strategy, make_strategy


def match(
    cohort: Cohort,
    strategy: str | Strategy,
    *,
    seed: SeedLike = None,
    weights: Weights | Mapping[str, float] | None = None,
    forbid_same_team: bool = True,
    forbidden: pd.DataFrame | None = None,
    min_score: float | None = None,
    chemistry: np.ndarray | None = None,
    forbidden_source: str | None = None,
    **options: Any,
) -> Matching:
    """Pair the mentees of ``cohort`` with mentors using one strategy.

    Parameters
    ----------
    cohort : Cohort
    strategy : str or Strategy
        A name from :data:`STRATEGY_NAMES` (options passed as keywords) or a configured
        strategy object.
    seed : int, SeedSequence, Generator or None
        Randomness of the strategy (order of arrival, noise, ...).
    weights : Weights or mapping, optional
        The program's criterion weights (defaults when omitted).
    forbid_same_team : bool
        Never pair people who share a line manager.
    forbidden : DataFrame, optional
        Further pairs to avoid (``mentee_id``, ``mentor_id``), e.g. earlier pairs.
    forbidden_source : str, optional
        File the forbidden pairs came from (named in error messages).
    min_score : float, optional
        No pair below this compatibility score is formed.
    chemistry : array (n_mentees, n_mentors), optional
        The unobserved chemistry of every pair (simulation only); mentees who choose for
        themselves sense it with noise, and later stages use the same matrix.
    **options
        Options of the named strategy (see its class, e.g. ``browse=10``).

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> cohort = simulate_cohort(20, 50, seed=1)
    >>> result = match(cohort, "algorithmic", seed=2)
    >>> bool(result.pairs["mentee_id"].is_unique)
    True
    >>> match(cohort, "self_selection", seed=2, browse=6).strategy
    'self_selection'
    """
    if isinstance(strategy, str):
        strategy = make_strategy(strategy, **options)
    elif options:
        raise ConfigError(
            "pass options either to the strategy object or as keywords with its name, not both"
        )
    problem = make_problem(
        cohort,
        weights=weights,
        forbid_same_team=forbid_same_team,
        forbidden=forbidden,
        min_score=min_score,
        chemistry=chemistry,
        forbidden_source=forbidden_source,
    )
    rng = as_generator(seed)
    assignment = strategy.assign(problem, rng)
    recorded_seed = int(seed) if isinstance(seed, (int, np.integer)) else None
    used = {k: getattr(strategy, k) for k in getattr(strategy, "__dataclass_fields__", {})}
    return build_matching(strategy.name, used, problem, assignment, recorded_seed)


def make_problem(
    cohort: Cohort,
    *,
    weights: Weights | Mapping[str, float] | None = None,
    forbid_same_team: bool = True,
    forbidden: pd.DataFrame | None = None,
    min_score: float | None = None,
    chemistry: np.ndarray | None = None,
    forbidden_source: str | None = None,
) -> MatchingProblem:
    """Scores, capacities and hard constraints of a cohort, ready for a strategy."""
    compat = compatibility(cohort, weights)
    capacity = cohort.mentors["capacity"].to_numpy(np.int64)
    allowed = ~forbidden_pairs(
        cohort, same_team=forbid_same_team, pairs=forbidden, source=forbidden_source
    )
    allowed &= capacity[None, :] > 0
    if min_score is not None:
        if not np.isfinite(min_score):
            raise ConfigError(f"min_score must be a finite number, got {min_score!r}")
        allowed &= compat.total >= min_score
    if chemistry is not None:
        chemistry = np.asarray(chemistry, dtype=float)
        if chemistry.shape != allowed.shape:
            raise ConfigError(
                f"chemistry must have shape {allowed.shape} (mentees x mentors), got {chemistry.shape}"
            )
    return MatchingProblem(cohort, compat, capacity, allowed, chemistry, min_score)


STRATEGY_NAMES: tuple[str, ...] = tuple(STRATEGIES)


def match_arms(
    cohort: Cohort,
    arms: Mapping[str, str | Strategy],
    *,
    seed: SeedLike = None,
    chemistry: np.ndarray | None = None,
    **common: Any,
) -> pd.DataFrame:
    """Randomise mentees and mentors into trial arms and match each arm its own way.

    This is the data strategy of a randomised trial of matching strategies: each arm
    gets a random, equal-as-possible share of the mentees and of the mentors, and is
    matched with its strategy within its share only.

    Parameters
    ----------
    cohort : Cohort
    arms : mapping of arm name to strategy (name or object)
    seed : int, SeedSequence, Generator or None
    chemistry : array (n_mentees, n_mentors), optional
        The whole cohort's chemistry; each arm sees its own block of it.
    **common
        Passed to every :func:`match` call (weights, min_score, ...).

    Returns
    -------
    pandas.DataFrame
        A pairs table for the whole cohort (``strategy`` holds the arm name), ready for
        :func:`mentorlab.run_program`.

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> cohort = simulate_cohort(20, 50, seed=1)
    >>> pairs = match_arms(cohort, {"a": "random", "b": "algorithmic"}, seed=3)
    >>> sorted(pairs["strategy"].unique())
    ['a', 'b']
    """
    if len(arms) < 1:
        raise ConfigError("give at least one arm")
    rng = as_generator(seed)
    mentee_arm = _random_split(cohort.n_mentees, len(arms), rng)
    mentor_arm = _random_split(cohort.n_mentors, len(arms), rng)
    tables = []
    for k, (name, strategy) in enumerate(arms.items()):
        mentees, mentors = np.flatnonzero(mentee_arm == k), np.flatnonzero(mentor_arm == k)
        sub = Cohort(
            cohort.mentors.iloc[mentors].reset_index(drop=True),
            cohort.mentees.iloc[mentees].reset_index(drop=True),
        )
        block = None if chemistry is None else np.asarray(chemistry)[np.ix_(mentees, mentors)]
        result = match(sub, strategy, seed=rng, chemistry=block, **common)
        tables.append(result.pairs.assign(strategy=name))
    return pd.concat(tables, ignore_index=True)


def _random_split(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Arm index per unit: a random permutation of near-equal arm sizes."""
    return rng.permutation(np.arange(n) % k)
