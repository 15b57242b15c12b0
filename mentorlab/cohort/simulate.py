"""Draw a synthetic cohort of mentors and mentees.

The generative story, one attribute at a time (every parameter is in
:class:`~mentorlab.cohort.config.CohortConfig`):

1. **Site** from the site weights; the **region** follows from the site.
2. **Specialty** given the site: specialised sites (a yoga studio, an acupuncture clinic,
   the hospital, a nutrition practice) have more of their own specialty.
3. **Years in practice**: a shifted gamma for mentors (at least ``mentor_min_years``),
   a gamma for mentees; **career stage** is read off years times log-normal noise, so it
   mostly follows experience but not perfectly, as self-reports do.
4. **Topics** (mentor expertise, mentee learning goals) are drawn without replacement
   from the shared list, with the specialty's core topics boosted and, for early-career
   mentees, the practicalities of a new practice boosted too.
5. **Availability**: each person has a flexibility (beta); each of the 21 weekly slots is
   open with a probability shifted by the slot (clinic hours, evenings, weekends).
6. **Meeting frequency** and **communication** are role-specific categorical draws.
7. **Personality** (four traits on a 1-5 inventory) and **working style** come from one
   multivariate normal: exploratory styles go with openness, structured ones with
   conscientiousness.  **Treatment philosophy** is centred on the specialty's position.
8. **Capacity**, **preferred load** and **prior mentees** (mentors); **baseline
   confidence** rising with experience (mentees).
9. **Demographic group** from the region's mix; **team** within the site, shared by
   mentors and mentees so that line-management conflicts exist to be avoided.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtr

from .._seed import SeedLike, as_generator
from ..errors import ConfigError
from ..schema import TableSpec
from ..taxonomy import (
    CAREER_STAGE_CUTS,
    CAREER_STAGES,
    COMMUNICATION_MODES,
    CORE_TOPICS,
    DEMOGRAPHIC_GROUPS,
    EARLY_CAREER_TOPICS,
    LIST_SEPARATOR,
    MEETING_FREQUENCIES,
    PERIODS,
    PERSONALITY_TRAITS,
    REGIONS,
    SITE_FOCUS,
    SITE_REGIONS,
    SITES,
    SLOTS,
    SPECIALTIES,
    TOPICS,
)
from .cohort import Cohort
from .config import CohortConfig
from .tables import MENTEE_TABLE, MENTOR_TABLE

_MAX_YEARS = 50


def simulate_cohort(
    n_mentors: int,
    n_mentees: int,
    *,
    config: CohortConfig | None = None,
    seed: SeedLike = None,
) -> Cohort:
    """Simulate a cohort of mentors and mentees for a holistic-care program.

    Parameters
    ----------
    n_mentors, n_mentees : int
        Number of people in each role (zero or more).
    config : CohortConfig, optional
        Distribution parameters; the documented defaults when omitted.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Source of randomness; the same seed gives identical tables.

    Returns
    -------
    Cohort
        ``mentors`` and ``mentees`` DataFrames, one row per person, columns as in
        :func:`mentorlab.data_dictionary`.

    Raises
    ------
    ValueError
        (:class:`~mentorlab.errors.ConfigError`) for negative sizes, or when there are
        mentees but the mentors have no capacity at all.

    Examples
    --------
    >>> cohort = simulate_cohort(20, 50, seed=1)
    >>> cohort.mentors.shape[0], cohort.mentees.shape[0]
    (20, 50)
    >>> int(cohort.mentors["capacity"].sum()) > 0
    True
    """
    n_mentors = _size("n_mentors", n_mentors)
    n_mentees = _size("n_mentees", n_mentees)
    if n_mentees > 0 and n_mentors == 0:
        raise ConfigError("there are mentees but no mentors: total mentor capacity would be zero")
    config = CohortConfig() if config is None else config
    if not isinstance(config, CohortConfig):
        raise TypeError(f"config must be a CohortConfig, not {type(config).__name__}")
    rng = as_generator(seed)

    mentors = _people(rng, config, n_mentors, role="mentor")
    mentors.update(_mentor_extras(rng, config, mentors["years_in_practice"]))
    mentees = _people(rng, config, n_mentees, role="mentee")
    mentees["baseline_confidence"] = _baseline_confidence(rng, config, mentees["years_in_practice"])
    mentors["team"], mentees["team"] = _teams(rng, config, mentors["site"], mentees["site"])

    if n_mentees > 0 and mentors["capacity"].sum() == 0:
        raise ConfigError(
            "the simulated mentors have zero total capacity; raise capacity_probs or n_mentors"
        )
    recorded_seed = int(seed) if isinstance(seed, (int, np.integer)) else None
    return Cohort(
        mentors=_as_frame(mentors, "mentor", n_mentors, MENTOR_TABLE),
        mentees=_as_frame(mentees, "mentee", n_mentees, MENTEE_TABLE),
        config=config,
        seed=recorded_seed,
    )


def _size(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ConfigError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise ConfigError(f"{name} must be zero or more, got {value}")
    return int(value)


def _as_frame(columns: dict, role: str, n: int, table: TableSpec) -> pd.DataFrame:
    """Columns in the table's order, with the dtypes its schema gives (also when empty)."""
    width = max(3, len(str(n)))
    columns[f"{role}_id"] = [f"{role}_{i:0{width}d}" for i in range(1, n + 1)]
    return pd.DataFrame(
        {
            spec.name: pd.Series(columns[spec.name], dtype=spec.pandas_dtype)
            for spec in table.columns
        }
    )


# ---------------------------------------------------------------------------------
# Attributes shared by both roles


def _people(rng: np.random.Generator, cfg: CohortConfig, n: int, *, role: str) -> dict:
    site = _categorical(rng, _normalised(cfg.site_weights, SITES), n)
    specialty = _categorical_rows(rng, _specialty_given_site(cfg)[site])
    years_exact = _years(rng, cfg, n, role)
    stage = _career_stage(rng, cfg, years_exact)
    traits, style = _personality(rng, cfg, n)
    is_mentor = role == "mentor"
    topics_column = "expertise" if is_mentor else "learning_goals"
    region_index = np.array([REGIONS.index(SITE_REGIONS[s]) for s in SITES])[site]
    columns = {
        "site": np.array(SITES, dtype=object)[site],
        "region": np.array(REGIONS, dtype=object)[region_index],
        "specialty": np.array(SPECIALTIES, dtype=object)[specialty],
        "years_in_practice": np.floor(years_exact).astype(np.int64),
        "career_stage": np.array(CAREER_STAGES, dtype=object)[stage],
        topics_column: _topics(rng, cfg, specialty, stage, role),
        "availability": _availability(rng, cfg, n, role),
        "meeting_frequency": _pick(
            rng, getattr(cfg, f"{role}_frequency_probs"), MEETING_FREQUENCIES, n
        ),
        "communication": _pick(
            rng, getattr(cfg, f"{role}_communication_probs"), COMMUNICATION_MODES, n
        ),
        "working_style": np.round(style, 2),
        "treatment_philosophy": _philosophy(rng, cfg, specialty),
        "demographic_group": _demographic_group(rng, cfg, region_index),
    }
    columns.update({trait: traits[:, k] for k, trait in enumerate(PERSONALITY_TRAITS)})
    return columns


def _specialty_given_site(cfg: CohortConfig) -> np.ndarray:
    """Row s: specialty probabilities at site s."""
    base = _normalised(cfg.specialty_weights, SPECIALTIES)
    table = np.tile(base, (len(SITES), 1))
    for site, specialty in SITE_FOCUS.items():
        table[SITES.index(site), SPECIALTIES.index(specialty)] *= cfg.site_focus_affinity
    return table / table.sum(axis=1, keepdims=True)


def _years(rng: np.random.Generator, cfg: CohortConfig, n: int, role: str) -> np.ndarray:
    if role == "mentor":
        floor, mean, sd = cfg.mentor_min_years, cfg.mentor_years_mean, cfg.mentor_years_sd
    else:
        floor, mean, sd = 0.0, cfg.mentee_years_mean, cfg.mentee_years_sd
    excess = mean - floor
    shape, scale = (excess / sd) ** 2, sd**2 / excess
    return np.minimum(floor + rng.gamma(shape, scale, size=n), _MAX_YEARS)


def _career_stage(rng: np.random.Generator, cfg: CohortConfig, years: np.ndarray) -> np.ndarray:
    reported = years * np.exp(rng.normal(0.0, cfg.career_stage_noise, size=years.shape))
    return np.searchsorted(np.asarray(CAREER_STAGE_CUTS), reported, side="right")


def _topics(
    rng: np.random.Generator, cfg: CohortConfig, specialty: np.ndarray, stage: np.ndarray, role: str
) -> list[str]:
    """Sample each person's topics without replacement (Gumbel top-k, vectorised)."""
    n = specialty.size
    weights = np.ones((len(SPECIALTIES), len(TOPICS)))
    for s, name in enumerate(SPECIALTIES):
        weights[s, [TOPICS.index(t) for t in CORE_TOPICS[name]]] *= cfg.core_topic_boost
    weights = weights[specialty]
    if role == "mentor":
        mean, most = cfg.expertise_mean, cfg.expertise_max
    else:
        mean, most = cfg.goals_mean, cfg.goals_max
        newcomer = stage <= CAREER_STAGES.index("developing")
        early = [TOPICS.index(t) for t in EARLY_CAREER_TOPICS]
        weights[np.ix_(newcomer, early)] *= cfg.early_career_topic_boost
    extra = (
        rng.binomial(most - 1, (mean - 1) / (most - 1), size=n) if most > 1 else np.zeros(n, int)
    )
    count = 1 + extra
    keys = np.log(weights) + rng.gumbel(size=weights.shape)
    rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
    return _join_rows(rank < count[:, None], TOPICS)


def _availability(rng: np.random.Generator, cfg: CohortConfig, n: int, role: str) -> list[str]:
    mean = getattr(cfg, f"{role}_flexibility_mean")
    c = cfg.flexibility_concentration
    flexibility = rng.beta(mean * c, (1 - mean) * c, size=n)
    offsets = np.array([_slot_offset(cfg, slot) for slot in SLOTS])
    p_open = expit(logit(np.clip(flexibility, 1e-6, 1 - 1e-6))[:, None] + offsets)
    open_slots = rng.random((n, len(SLOTS))) < p_open
    # Everyone in a program can meet at least once a week: give the empty rows the slot
    # most likely to be free for them.
    empty = ~open_slots.any(axis=1)
    fallback = np.argmax(offsets + rng.gumbel(size=(n, len(SLOTS))), axis=1)
    open_slots[empty, fallback[empty]] = True
    return _join_rows(open_slots, SLOTS)


def _slot_offset(cfg: CohortConfig, slot: str) -> float:
    day, period = slot.split("_")
    weekend = day in ("sat", "sun")
    offset = cfg.weekend_offset if weekend else 0.0
    if period == PERIODS[2]:
        offset += cfg.evening_offset
    elif not weekend:
        offset += cfg.weekday_daytime_offset
    return offset


def _personality(
    rng: np.random.Generator, cfg: CohortConfig, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Traits (n x 4, half-point 1-5 scale) and working style (n, in [0, 1])."""
    k = len(PERSONALITY_TRAITS)
    corr = np.eye(k + 1)
    corr[k, 0] = corr[0, k] = cfg.style_openness_corr
    corr[k, 1] = corr[1, k] = cfg.style_conscientiousness_corr
    latent = rng.standard_normal((n, k + 1)) @ np.linalg.cholesky(corr).T
    means = np.array([cfg.trait_means[t] for t in PERSONALITY_TRAITS])
    traits = np.clip(np.round(2 * (means + cfg.trait_sd * latent[:, :k])) / 2, 1.0, 5.0)
    return traits, ndtr(latent[:, k])


def _philosophy(rng: np.random.Generator, cfg: CohortConfig, specialty: np.ndarray) -> np.ndarray:
    centre = np.array([cfg.philosophy_by_specialty[s] for s in SPECIALTIES])[specialty]
    return np.round(ndtr(centre + rng.normal(0.0, cfg.philosophy_sd, size=specialty.size)), 2)


def _demographic_group(
    rng: np.random.Generator, cfg: CohortConfig, region: np.ndarray
) -> np.ndarray:
    table = np.array(
        [[cfg.group_probs_by_region[r][g] for g in DEMOGRAPHIC_GROUPS] for r in REGIONS]
    )
    return np.array(DEMOGRAPHIC_GROUPS, dtype=object)[_categorical_rows(rng, table[region])]


# ---------------------------------------------------------------------------------
# Role-specific attributes


def _mentor_extras(rng: np.random.Generator, cfg: CohortConfig, years: np.ndarray) -> dict:
    values = np.array(sorted(cfg.capacity_probs), dtype=np.int64)
    probs = np.array([cfg.capacity_probs[v] for v in values], dtype=float)
    capacity = values[_categorical(rng, probs / probs.sum(), years.size)]
    stretched = rng.random(years.size) < cfg.stretch_probability
    preferred = np.where(stretched & (capacity > 1), capacity - 1, capacity)
    rate = cfg.prior_mentees_per_year * np.maximum(years - cfg.mentor_min_years, 0)
    return {
        "capacity": capacity,
        "preferred_load": preferred.astype(np.int64),
        "prior_mentees": np.minimum(rng.poisson(rate), 200).astype(np.int64),
    }


def _baseline_confidence(
    rng: np.random.Generator, cfg: CohortConfig, years: np.ndarray
) -> np.ndarray:
    score = (
        cfg.confidence_intercept
        + cfg.confidence_per_log_year * np.log1p(years)
        + rng.normal(0.0, cfg.confidence_sd, size=years.size)
    )
    return np.round(np.clip(score, 1.0, 5.0), 2)


def _teams(
    rng: np.random.Generator, cfg: CohortConfig, mentor_sites: np.ndarray, mentee_sites: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Split each site's staff (both roles together) into teams of about ``team_size``."""
    sites = np.concatenate([mentor_sites, mentee_sites])
    team = np.empty(sites.size, dtype=object)
    for s, site in enumerate(SITES):
        members = np.flatnonzero(sites == site)
        n_teams = max(1, int(np.ceil(members.size / cfg.team_size)))
        numbers = rng.integers(n_teams, size=members.size)
        team[members] = [f"t{s + 1:02d}-{k + 1:03d}" for k in numbers]
    return team[: mentor_sites.size], team[mentor_sites.size :]


# ---------------------------------------------------------------------------------
# Small sampling helpers


def _normalised(weights: dict, order: tuple[str, ...]) -> np.ndarray:
    values = np.array([weights[k] for k in order], dtype=float)
    return values / values.sum()


def _categorical(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    return rng.choice(probs.size, size=n, p=probs)


def _categorical_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n x k) probability table (inverse-CDF, vectorised)."""
    cumulative = np.cumsum(probs, axis=1)
    u = rng.random(probs.shape[0]) * cumulative[:, -1]
    return np.minimum((u[:, None] >= cumulative).sum(axis=1), probs.shape[1] - 1)


def _pick(rng: np.random.Generator, probs: dict, order: tuple[str, ...], n: int) -> np.ndarray:
    return np.array(order, dtype=object)[_categorical(rng, _normalised(probs, order), n)]


def _join_rows(mask: np.ndarray, names: tuple[str, ...]) -> list[str]:
    """Each row of a boolean matrix as a ``;``-joined list of the names it selects."""
    labels = np.array(names, dtype=object)
    return [LIST_SEPARATOR.join(labels[row]) for row in mask]
