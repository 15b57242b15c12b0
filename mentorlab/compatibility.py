"""Compatibility: how well a mentor and a mentee fit, criterion by criterion.

Each criterion is a documented function of one mentor and one mentee scaled to [0, 1]
(1 = the best fit the criterion can express).  A weighted sum of the criteria, with
weights the program chooses, gives the compatibility score of a pair, also in [0, 1]
because the weights are normalised to sum to 1.  Every pair's score can be explained as
the per-criterion contributions ``weight x criterion score`` that add up to it.

All pairs are scored at once: each criterion is written with NumPy broadcasting over
index arrays, so ``mentee_index[:, None]`` against ``mentor_index[None, :]`` gives the
full ``n_mentees x n_mentors`` matrix and two aligned index arrays give a list of pairs,
with the same code and no Python loop over pairs.

=====================  ================================================================
criterion              score
=====================  ================================================================
``goals``              share of the mentee's learning goals in the mentor's expertise
``specialty``          1 same specialty; 0.5 related specialties; 0 otherwise
``schedule``           shared weekly slots, 0 / 0.5 / 1 for none / one / two or more
``frequency``          1 same preferred meeting frequency, 0.5 one step apart, 0 weekly vs monthly
``communication``      fit of preferred modes (1 same; e.g. in person vs video 0.6)
``working_style``      1 - |difference| on the structured-exploratory slider
``philosophy``         1 - |difference| on the evidence-based-traditional slider
``proximity``          1 same site; 0.5 same region; 0 otherwise
``career_gap``         mentor ahead by 3-10 years: 1; rising from 0 at no lead to 1 at
                       3 years; falling from 1 at 10 to 0 at 20 years ahead
=====================  ================================================================
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .cohort import Cohort
from .errors import ConfigError, InputError
from .schema import ColumnSpec, TableSpec
from .taxonomy import (
    COMMUNICATION_FIT,
    COMMUNICATION_MODES,
    LIST_SEPARATOR,
    MEETING_FREQUENCIES,
    REGIONS,
    RELATED_SPECIALTIES,
    RELATED_SPECIALTY_CREDIT,
    SITES,
    SLOTS,
    SPECIALTIES,
    TOPICS,
)

# Career-gap trapezoid (years the mentor is ahead of the mentee).
CAREER_GAP_RISE = 3.0
CAREER_GAP_PLATEAU_END = 10.0
CAREER_GAP_ZERO = 20.0
SLOTS_FOR_FULL_SCHEDULE_FIT = 2


# ---------------------------------------------------------------------------------
# Features: the columns the criteria need, as arrays


@dataclass(frozen=True)
class Features:
    """Per-person arrays extracted once from a cohort (codes, bit masks and numbers)."""

    mentee_ids: np.ndarray
    mentor_ids: np.ndarray
    mentee_topics: np.ndarray  # bit mask over TOPICS (learning goals)
    mentor_topics: np.ndarray  # bit mask over TOPICS (expertise)
    mentee_goal_count: np.ndarray
    mentee_slots: np.ndarray  # bit mask over SLOTS
    mentor_slots: np.ndarray
    mentee_specialty: np.ndarray
    mentor_specialty: np.ndarray
    mentee_frequency: np.ndarray
    mentor_frequency: np.ndarray
    mentee_communication: np.ndarray
    mentor_communication: np.ndarray
    mentee_style: np.ndarray
    mentor_style: np.ndarray
    mentee_philosophy: np.ndarray
    mentor_philosophy: np.ndarray
    mentee_site: np.ndarray
    mentor_site: np.ndarray
    mentee_region: np.ndarray
    mentor_region: np.ndarray
    mentee_years: np.ndarray
    mentor_years: np.ndarray

    @classmethod
    def from_cohort(cls, cohort: Cohort) -> Features:
        e, m = cohort.mentees, cohort.mentors
        return cls(
            mentee_ids=e["mentee_id"].to_numpy(),
            mentor_ids=m["mentor_id"].to_numpy(),
            mentee_topics=_bitmask(e["learning_goals"], TOPICS),
            mentor_topics=_bitmask(m["expertise"], TOPICS),
            mentee_goal_count=e["learning_goals"].str.count(LIST_SEPARATOR).to_numpy() + 1,
            mentee_slots=_bitmask(e["availability"], SLOTS),
            mentor_slots=_bitmask(m["availability"], SLOTS),
            mentee_specialty=_codes(e["specialty"], SPECIALTIES),
            mentor_specialty=_codes(m["specialty"], SPECIALTIES),
            mentee_frequency=_codes(e["meeting_frequency"], MEETING_FREQUENCIES),
            mentor_frequency=_codes(m["meeting_frequency"], MEETING_FREQUENCIES),
            mentee_communication=_codes(e["communication"], COMMUNICATION_MODES),
            mentor_communication=_codes(m["communication"], COMMUNICATION_MODES),
            mentee_style=e["working_style"].to_numpy(float),
            mentor_style=m["working_style"].to_numpy(float),
            mentee_philosophy=e["treatment_philosophy"].to_numpy(float),
            mentor_philosophy=m["treatment_philosophy"].to_numpy(float),
            mentee_site=_codes(e["site"], SITES),
            mentor_site=_codes(m["site"], SITES),
            mentee_region=_codes(e["region"], REGIONS),
            mentor_region=_codes(m["region"], REGIONS),
            mentee_years=e["years_in_practice"].to_numpy(float),
            mentor_years=m["years_in_practice"].to_numpy(float),
        )


def _bitmask(cells: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    position = {name: 1 << k for k, name in enumerate(vocabulary)}
    return np.array(
        [sum(position[item] for item in cell.split(LIST_SEPARATOR) if item) for cell in cells],
        dtype=np.int64,
    )


def _codes(values: pd.Series, vocabulary: tuple[str, ...]) -> np.ndarray:
    return pd.Categorical(values, categories=vocabulary).codes.astype(np.int64)


_POPCOUNT_11 = np.array([bin(k).count("1") for k in range(1 << 11)], dtype=np.int64)


def popcount(bits: np.ndarray) -> np.ndarray:
    """Number of set bits (masks here have at most 22 bits: two table look-ups)."""
    return _POPCOUNT_11[bits & 0x7FF] + _POPCOUNT_11[(bits >> 11) & 0x7FF]


# ---------------------------------------------------------------------------------
# Criteria: f(features, mentee_index, mentor_index) -> scores in [0, 1] (broadcast)


def _symmetric_fit_table(
    vocabulary: tuple[str, ...], fits: Mapping[tuple[str, str], float]
) -> np.ndarray:
    """Square table of fits between categories: 1 on the diagonal, ``fits`` off it, else 0."""
    table = np.eye(len(vocabulary))
    for (a, b), fit in fits.items():
        i, j = vocabulary.index(a), vocabulary.index(b)
        table[i, j] = table[j, i] = fit
    return table


_SPECIALTY_FIT = _symmetric_fit_table(
    SPECIALTIES, dict.fromkeys(RELATED_SPECIALTIES, RELATED_SPECIALTY_CREDIT)
)
_COMMUNICATION_FIT = _symmetric_fit_table(COMMUNICATION_MODES, COMMUNICATION_FIT)


def goals(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Share of the mentee's learning goals that the mentor lists as expertise."""
    return popcount(f.mentee_topics[e] & f.mentor_topics[m]) / f.mentee_goal_count[e]


def specialty(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """1 for the same specialty, partial credit for related ones (taxonomy.RELATED_SPECIALTIES)."""
    return _SPECIALTY_FIT[f.mentee_specialty[e], f.mentor_specialty[m]]


def schedule(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Shared weekly slots; two or more shared slots leave room to meet reliably."""
    shared = popcount(f.mentee_slots[e] & f.mentor_slots[m])
    return np.minimum(shared, SLOTS_FOR_FULL_SCHEDULE_FIT) / SLOTS_FOR_FULL_SCHEDULE_FIT


def frequency(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Agreement on how often to meet (weekly, biweekly, monthly: one step costs half)."""
    return 1.0 - np.abs(f.mentee_frequency[e] - f.mentor_frequency[m]) / 2.0


def communication(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Fit of preferred communication modes (taxonomy.COMMUNICATION_FIT)."""
    return _COMMUNICATION_FIT[f.mentee_communication[e], f.mentor_communication[m]]


def working_style(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Closeness on the structured (0) to exploratory (1) slider."""
    return 1.0 - np.abs(f.mentee_style[e] - f.mentor_style[m])


def philosophy(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Closeness on the evidence-based (0) to traditional (1) slider."""
    return 1.0 - np.abs(f.mentee_philosophy[e] - f.mentor_philosophy[m])


def proximity(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """1 at the same site, 0.5 in the same region, 0 further away."""
    same_site = f.mentee_site[e] == f.mentor_site[m]
    same_region = f.mentee_region[e] == f.mentor_region[m]
    return np.where(same_site, 1.0, np.where(same_region, 0.5, 0.0))


def career_gap(f: Features, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """A mentor ahead, but not too far: a trapezoid in the years the mentor leads by."""
    lead = f.mentor_years[m] - f.mentee_years[e]
    rising = lead / CAREER_GAP_RISE
    falling = (CAREER_GAP_ZERO - lead) / (CAREER_GAP_ZERO - CAREER_GAP_PLATEAU_END)
    return np.clip(np.minimum(rising, falling), 0.0, 1.0)


@dataclass(frozen=True)
class Criterion:
    """A named compatibility criterion and its scoring function."""

    name: str
    label: str
    function: Callable[[Features, np.ndarray, np.ndarray], np.ndarray]

    @property
    def description(self) -> str:
        return (self.function.__doc__ or "").strip().splitlines()[0]


CRITERIA: dict[str, Criterion] = {
    c.name: c
    for c in (
        Criterion("goals", "learning goals vs expertise", goals),
        Criterion("specialty", "specialty alignment", specialty),
        Criterion("schedule", "schedule overlap", schedule),
        Criterion("frequency", "meeting frequency", frequency),
        Criterion("communication", "communication preference", communication),
        Criterion("working_style", "working style", working_style),
        Criterion("philosophy", "treatment philosophy", philosophy),
        Criterion("proximity", "proximity / site", proximity),
        Criterion("career_gap", "career-stage gap", career_gap),
    )
}
CRITERION_NAMES: tuple[str, ...] = tuple(CRITERIA)


def criteria_table() -> pd.DataFrame:
    """The criteria with their labels and one-line descriptions."""
    return pd.DataFrame(
        [(c.name, c.label, c.description) for c in CRITERIA.values()],
        columns=["criterion", "label", "description"],
    )


# ---------------------------------------------------------------------------------
# Weights


DEFAULT_WEIGHTS: dict[str, float] = {
    "goals": 0.25,
    "specialty": 0.15,
    "schedule": 0.15,
    "frequency": 0.05,
    "communication": 0.05,
    "working_style": 0.10,
    "philosophy": 0.10,
    "proximity": 0.05,
    "career_gap": 0.10,
}


@dataclass(frozen=True)
class Weights:
    """Criterion weights, normalised to sum to 1 (so scores stay in [0, 1]).

    Build from a mapping of criterion names to non-negative numbers; criteria left out
    weigh 0.  ``Weights()`` gives the defaults (:data:`DEFAULT_WEIGHTS`).

    Examples
    --------
    >>> Weights({"goals": 3, "schedule": 1}).as_dict()["goals"]
    0.75
    """

    values: tuple[float, ...]

    def __init__(self, weights: Mapping[str, Any] | None = None, *, source: str | None = None):
        raw = DEFAULT_WEIGHTS if weights is None else weights
        object.__setattr__(self, "values", _validated_weights(raw, source))

    def as_dict(self) -> dict[str, float]:
        return dict(zip(CRITERION_NAMES, self.values, strict=True))

    def array(self) -> np.ndarray:
        return np.array(self.values)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> Weights:
        """Read weights from a JSON or YAML mapping of criterion names to numbers."""
        from .schema import load_mapping_file

        path = Path(path)
        return cls(load_mapping_file(path, what="weights file"), source=str(path))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:.3g}" for k, v in self.as_dict().items() if v > 0)
        return f"Weights({shown})"


def _validated_weights(raw: Mapping[str, Any], source: str | None) -> tuple[float, ...]:
    prefix = f"{source}: " if source else ""
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{prefix}weights must be a mapping of criterion names to numbers")
    unknown = [str(k) for k in raw if k not in CRITERIA]
    if unknown:
        raise ConfigError(
            f"{prefix}unknown criteri{'a' if len(unknown) > 1 else 'on'} "
            + ", ".join(f"'{u}'" for u in unknown)
            + f" (known: {', '.join(CRITERION_NAMES)})"
        )
    values = []
    for name in CRITERION_NAMES:
        value = raw.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ConfigError(f"{prefix}weight of '{name}' must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ConfigError(
                f"{prefix}weight of '{name}' must be a finite number >= 0, got {value!r}"
            )
        values.append(float(value))
    total = sum(values)
    if total <= 0:
        raise ConfigError(f"{prefix}at least one criterion needs a positive weight")
    return tuple(v / total for v in values)


# ---------------------------------------------------------------------------------
# Scores for all pairs


@dataclass(frozen=True, eq=False)
class Compatibility:
    """Weighted compatibility of every mentee with every mentor.

    Attributes
    ----------
    features : Features
        Arrays the criteria read.
    weights : Weights
        Normalised criterion weights.
    total : numpy.ndarray
        ``n_mentees x n_mentors`` weighted scores in [0, 1]; row order follows
        ``cohort.mentees``, column order ``cohort.mentors``.
    """

    features: Features
    weights: Weights
    total: np.ndarray

    @property
    def mentee_ids(self) -> np.ndarray:
        return self.features.mentee_ids

    @property
    def mentor_ids(self) -> np.ndarray:
        return self.features.mentor_ids

    def criterion(self, name: str) -> np.ndarray:
        """The ``n_mentees x n_mentors`` matrix of one criterion (computed on demand)."""
        e, m = _all_pairs(self.features)
        return CRITERIA[name].function(self.features, e, m).astype(float)

    def pair_table(self, mentee_index: Iterable[int], mentor_index: Iterable[int]) -> pd.DataFrame:
        """Scores of the given pairs with per-criterion contributions that sum to ``score``."""
        e = np.asarray(
            list(mentee_index) if not isinstance(mentee_index, np.ndarray) else mentee_index,
            dtype=np.int64,
        )
        m = np.asarray(
            list(mentor_index) if not isinstance(mentor_index, np.ndarray) else mentor_index,
            dtype=np.int64,
        )
        contributions = {
            name: weight * CRITERIA[name].function(self.features, e, m)
            for name, weight in self.weights.as_dict().items()
        }
        table = pd.DataFrame(
            {
                "mentee_id": self.features.mentee_ids[e],
                "mentor_id": self.features.mentor_ids[m],
                "score": self.total[e, m] if e.size else np.empty(0),
            }
        )
        for name, values in contributions.items():
            table[name] = np.broadcast_to(values, e.shape).astype(float)
        return table

    def explain(self, mentee_id: str, mentor_id: str) -> pd.DataFrame:
        """One pair's score, criterion by criterion: raw score, weight, contribution.

        The ``contribution`` column sums to the pair's compatibility score.
        """
        e = _position(self.features.mentee_ids, mentee_id, "mentee")
        m = _position(self.features.mentor_ids, mentor_id, "mentor")
        rows = []
        for name, weight in self.weights.as_dict().items():
            score = float(CRITERIA[name].function(self.features, np.array([e]), np.array([m]))[0])
            rows.append((name, CRITERIA[name].label, score, weight, weight * score))
        table = pd.DataFrame(
            rows, columns=["criterion", "label", "score", "weight", "contribution"]
        )
        return table.set_index("criterion")


def compatibility(
    cohort: Cohort, weights: Weights | Mapping[str, float] | None = None
) -> Compatibility:
    """Score every mentee-mentor pair of a cohort.

    Parameters
    ----------
    cohort : Cohort
    weights : Weights or mapping, optional
        Criterion weights; the defaults when omitted.

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> compat = compatibility(simulate_cohort(10, 30, seed=1))
    >>> compat.total.shape
    (30, 10)
    >>> bool(((compat.total >= 0) & (compat.total <= 1)).all())
    True
    """
    weights = weights if isinstance(weights, Weights) else Weights(weights)
    features = Features.from_cohort(cohort)
    e, m = _all_pairs(features)
    total = np.zeros((features.mentee_ids.size, features.mentor_ids.size))
    for name, weight in weights.as_dict().items():
        if weight > 0:
            total += weight * CRITERIA[name].function(features, e, m)
    return Compatibility(features, weights, total)


def _all_pairs(features: Features) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.arange(features.mentee_ids.size)[:, None],
        np.arange(features.mentor_ids.size)[None, :],
    )


def _position(ids: np.ndarray, wanted: str, role: str) -> int:
    hits = np.flatnonzero(ids == wanted)
    if hits.size == 0:
        raise InputError(f"unknown {role} id '{wanted}'")
    return int(hits[0])


# ---------------------------------------------------------------------------------
# Hard constraints


FORBIDDEN_TABLE = TableSpec(
    "forbidden pairs",
    "Pairs a program must not form (earlier pairs, conflicts of interest).",
    (
        ColumnSpec("mentee_id", "text", "Mentee of the pair to avoid."),
        ColumnSpec("mentor_id", "text", "Mentor of the pair to avoid."),
    ),
)


def forbidden_pairs(
    cohort: Cohort,
    *,
    same_team: bool = True,
    pairs: pd.DataFrame | None = None,
    source: str | None = None,
) -> np.ndarray:
    """Boolean ``n_mentees x n_mentors`` matrix of pairs that must not be formed.

    Parameters
    ----------
    same_team : bool
        Forbid pairs in the same team (they share a line manager).
    pairs : DataFrame, optional
        Explicit pairs to forbid (e.g. earlier pairs), columns ``mentee_id`` and
        ``mentor_id``; ids must exist in the cohort.
    source : str, optional
        Name of the file the pairs came from, for error messages.

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> cohort = simulate_cohort(10, 30, seed=1)
    >>> bool(forbidden_pairs(cohort, same_team=False).any())
    False
    """
    mentee_team = cohort.mentees["team"].to_numpy()
    mentor_team = cohort.mentors["team"].to_numpy()
    forbidden = np.zeros((cohort.n_mentees, cohort.n_mentors), dtype=bool)
    if same_team:
        forbidden |= mentee_team[:, None] == mentor_team[None, :]
    if pairs is not None and len(pairs):
        source = source or "forbidden pairs"
        missing = {"mentee_id", "mentor_id"} - set(pairs.columns)
        if missing:
            raise InputError(
                f"{source}: needs columns mentee_id and mentor_id (missing {', '.join(sorted(missing))})",
                source=source,
            )
        e = pd.Index(cohort.mentees["mentee_id"]).get_indexer(pairs["mentee_id"])
        m = pd.Index(cohort.mentors["mentor_id"]).get_indexer(pairs["mentor_id"])
        bad = np.flatnonzero((e < 0) | (m < 0))
        if bad.size:
            row = int(bad[0])
            column = "mentee_id" if e[row] < 0 else "mentor_id"
            where = f"{source}, row {row + 1}" + (
                f" (line {row + 2})" if source.endswith(".csv") else ""
            )
            raise InputError(
                f"{where}, column '{column}': '{pairs[column].iloc[row]}' is not in the cohort",
                source=source,
                row=row + 1,
                column=column,
            )
        forbidden[e, m] = True
    return forbidden


# ---------------------------------------------------------------------------------
# The part of compatibility no one observes


def draw_chemistry(cohort: Cohort, *, seed=None) -> np.ndarray:
    """Draw the unobserved chemistry of every pair (standard normal, independent).

    In simulation, chemistry is what makes two people click beyond anything an intake
    form records.  No strategy sees it; mentees who choose their own mentor sense it
    with noise; the program stage turns it into relationship quality.  Draw it once per
    simulated world and pass the same matrix to every strategy being compared.

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> draw_chemistry(simulate_cohort(5, 12, seed=1), seed=3).shape
    (12, 5)
    """
    from ._seed import as_generator

    return as_generator(seed).standard_normal((cohort.n_mentees, cohort.n_mentors))
