"""What every strategy works on (:class:`MatchingProblem`) and what it returns (:class:`Assignment`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..cohort import Cohort
from ..compatibility import Compatibility

UNMATCHED = -1


@dataclass(frozen=True, eq=False)
class MatchingProblem:
    """A cohort ready to be matched: scores, capacities and hard constraints.

    Attributes
    ----------
    cohort : Cohort
    compatibility : Compatibility
        The program's weighted scores (what an algorithm or coordinator can observe).
    capacity : numpy.ndarray
        Places each mentor offers.
    allowed : numpy.ndarray
        ``n_mentees x n_mentors`` booleans: False for forbidden pairs, pairs under the
        minimum score, and mentors without capacity.  No strategy forms a disallowed pair.
    chemistry : numpy.ndarray or None
        The pairs' unobserved chemistry (standard-normal units), when the caller knows it
        (in simulation).  Only mentees choosing for themselves get a noisy sense of it.
    min_score : float or None
        Minimum compatibility score of a pair, if the program sets one.
    """

    cohort: Cohort
    compatibility: Compatibility
    capacity: np.ndarray
    allowed: np.ndarray
    chemistry: np.ndarray | None = None
    min_score: float | None = None

    @property
    def scores(self) -> np.ndarray:
        return self.compatibility.total

    @property
    def n_mentees(self) -> int:
        return self.allowed.shape[0]

    @property
    def n_mentors(self) -> int:
        return self.allowed.shape[1]


@dataclass(eq=False)
class Assignment:
    """A strategy's raw output.

    Attributes
    ----------
    mentor_of : numpy.ndarray
        Mentor index per mentee, -1 when unmatched.
    reason : numpy.ndarray
        Why each unmatched mentee is unmatched ('' for matched mentees).
    chosen_by_mentee : numpy.ndarray
        True where the mentee picked this mentor themselves (self-selection).
    requests : numpy.ndarray or None
        Requests each mentor received (self-selection only).
    circle : numpy.ndarray or None
        Circle label per mentee (group strategy only; '' when unmatched).
    mentee_view, mentor_view : numpy.ndarray or None
        Preferences the strategy treated as the two sides' own (stable matching); blocking
        pairs are counted against these when given.
    """

    mentor_of: np.ndarray
    reason: np.ndarray = field(default=None)  # type: ignore[assignment]
    chosen_by_mentee: np.ndarray = field(default=None)  # type: ignore[assignment]
    requests: np.ndarray | None = None
    circle: np.ndarray | None = None
    mentee_view: np.ndarray | None = None
    mentor_view: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = self.mentor_of.size
        if self.reason is None:
            self.reason = np.where(self.mentor_of >= 0, "", "no suitable place left")
        if self.chosen_by_mentee is None:
            self.chosen_by_mentee = np.zeros(n, dtype=bool)


def loads(mentor_of: np.ndarray, n_mentors: int) -> np.ndarray:
    """Number of mentees held by each mentor."""
    return np.bincount(mentor_of[mentor_of >= 0], minlength=n_mentors)
