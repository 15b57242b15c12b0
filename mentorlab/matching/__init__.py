"""Matching stage: exact kernels, the strategies programs use, and their diagnostics."""

from .api import STRATEGY_NAMES, make_problem, match, match_arms
from .kernels import UNMATCHED, deferred_acceptance, optimal_assignment
from .problem import Assignment, MatchingProblem
from .result import PAIRS_TABLE, MatchDiagnostics, Matching, blocking_pairs, gini
from .strategies import (
    STRATEGIES,
    Administrative,
    Algorithmic,
    Group,
    Hybrid,
    RandomStrategy,
    SelfSelection,
    Stable,
    Strategy,
    make_strategy,
)

__all__ = [
    "PAIRS_TABLE",
    "STRATEGIES",
    "STRATEGY_NAMES",
    "UNMATCHED",
    "Administrative",
    "Algorithmic",
    "Assignment",
    "Group",
    "Hybrid",
    "MatchDiagnostics",
    "Matching",
    "MatchingProblem",
    "RandomStrategy",
    "SelfSelection",
    "Stable",
    "Strategy",
    "blocking_pairs",
    "deferred_acceptance",
    "gini",
    "make_problem",
    "make_strategy",
    "match",
    "match_arms",
    "optimal_assignment",
]
