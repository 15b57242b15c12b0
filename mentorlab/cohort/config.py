"""Every distribution parameter of the cohort simulator, with documented defaults.

Defaults describe a mid-sized regional network of integrative-care sites: mentors are
experienced practitioners (about 14 years in practice) who each take two or three
mentees; mentees are mostly in their first few years.  The numbers are plausible
rather than estimated from one data set; change them to describe your own program.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..taxonomy import (
    COMMUNICATION_MODES,
    DEMOGRAPHIC_GROUPS,
    MEETING_FREQUENCIES,
    PERSONALITY_TRAITS,
    REGIONS,
    SITES,
    SPECIALTIES,
    TOPICS,
)

_PROBABILITY_TOLERANCE = 1e-6


def _default_site_weights() -> dict[str, float]:
    # The hospital is the largest site; the studio and the acupuncture clinic are small.
    sizes = (1.0, 0.8, 0.9, 0.6, 0.6, 0.8, 1.6, 0.7)
    return dict(zip(SITES, sizes, strict=True))


def _default_specialty_weights() -> dict[str, float]:
    return dict(zip(SPECIALTIES, (0.15, 0.17, 0.22, 0.18, 0.13, 0.15), strict=True))


def _default_philosophy() -> dict[str, float]:
    # Latent location on the evidence-based (negative) to traditional (positive) axis.
    return dict(zip(SPECIALTIES, (0.8, -0.2, -0.4, 0.1, 0.4, -0.8), strict=True))


def _default_group_probs() -> dict[str, dict[str, float]]:
    return {
        "coast": dict(zip(DEMOGRAPHIC_GROUPS, (0.55, 0.25, 0.20), strict=True)),
        "north": dict(zip(DEMOGRAPHIC_GROUPS, (0.70, 0.20, 0.10), strict=True)),
        "central": dict(zip(DEMOGRAPHIC_GROUPS, (0.45, 0.30, 0.25), strict=True)),
    }


@dataclass(frozen=True)
class CohortConfig:
    """Distribution parameters of :func:`mentorlab.simulate_cohort`.

    All mappings are keyed by the vocabulary in :mod:`mentorlab.taxonomy`; probability
    mappings must list every category and sum to 1.  Build a variant with
    :func:`dataclasses.replace` or :meth:`with_overrides`.

    Attributes
    ----------
    site_weights : dict
        Relative headcount of each site (any non-negative numbers, not all zero).
    site_focus_affinity : float
        Multiplier on the odds of a specialty at a site that specialises in it
        (:data:`mentorlab.taxonomy.SITE_FOCUS`); 1 means no association.
    specialty_weights : dict
        Relative frequency of each specialty (same for mentors and mentees).
    mentor_years_mean, mentor_years_sd : float
        Mean and SD of mentors' years in practice (shifted gamma, floored to whole years).
    mentor_min_years : float
        Fewest years in practice a mentor can have.
    mentee_years_mean, mentee_years_sd : float
        Mean and SD of mentees' years in practice (gamma, floored to whole years).
    career_stage_noise : float
        SD of the multiplicative (log-scale) noise between years and the self-reported
        career stage; 0 makes the stage a function of years alone.
    core_topic_boost : float
        How much likelier a topic is to be chosen (expertise or goal) when it is a core
        topic of the person's specialty.
    early_career_topic_boost : float
        Extra weight on practice-business, self-care, communication and documentation
        goals for mentees in the first two career stages.
    expertise_mean, expertise_max : float, int
        Mean and maximum number of expertise areas per mentor (at least one).
    goals_mean, goals_max : float, int
        Mean and maximum number of learning goals per mentee (at least one).
    mentor_flexibility_mean, mentee_flexibility_mean : float
        Mean share of the week's 21 slots a person could meet in (before slot effects).
    flexibility_concentration : float
        Beta concentration of the per-person flexibility; higher means more alike.
    weekday_daytime_offset, evening_offset, weekend_offset : float
        Log-odds shifts of availability for weekday mornings/afternoons (clinic hours),
        evenings and weekend slots.
    mentor_frequency_probs, mentee_frequency_probs : dict
        Preferred meeting frequency (weekly, biweekly, monthly).
    mentor_communication_probs, mentee_communication_probs : dict
        Preferred communication mode.
    trait_means : dict
        Mean of each personality trait on the 1-5 scale of a two-item-per-trait inventory.
    trait_sd : float
        SD of each trait before rounding to the inventory's half-point steps.
    style_openness_corr, style_conscientiousness_corr : float
        Correlations of the latent working style (structured to exploratory) with
        openness and conscientiousness.
    philosophy_by_specialty : dict
        Latent mean of treatment philosophy per specialty (probit scale; negative leans
        evidence-based, positive leans traditional).
    philosophy_sd : float
        Within-specialty SD of the latent philosophy.
    capacity_probs : dict
        Distribution of the most mentees a mentor will take (keys are whole numbers).
    stretch_probability : float
        Share of mentors whose comfortable load is one below their stated capacity.
    prior_mentees_per_year : float
        Expected earlier mentees per year in practice beyond ``mentor_min_years``.
    confidence_intercept, confidence_per_log_year, confidence_sd : float
        Mentee baseline confidence (1-5) = intercept + slope * log(1 + years) + noise.
    group_probs_by_region : dict
        Synthetic demographic group mix in each region (used only for fairness checks).
    team_size : int
        Typical number of people in a team (people in one team share a line manager).
    """

    site_weights: dict[str, float] = field(default_factory=_default_site_weights)
    site_focus_affinity: float = 4.0
    specialty_weights: dict[str, float] = field(default_factory=_default_specialty_weights)
    mentor_years_mean: float = 14.0
    mentor_years_sd: float = 6.0
    mentor_min_years: float = 3.0
    mentee_years_mean: float = 3.5
    mentee_years_sd: float = 3.0
    career_stage_noise: float = 0.2
    core_topic_boost: float = 6.0
    early_career_topic_boost: float = 3.0
    expertise_mean: float = 2.6
    expertise_max: int = 5
    goals_mean: float = 2.0
    goals_max: int = 4
    mentor_flexibility_mean: float = 0.22
    mentee_flexibility_mean: float = 0.32
    flexibility_concentration: float = 6.0
    weekday_daytime_offset: float = -0.6
    evening_offset: float = 0.4
    weekend_offset: float = -0.3
    mentor_frequency_probs: dict[str, float] = field(
        default_factory=lambda: dict(zip(MEETING_FREQUENCIES, (0.15, 0.45, 0.40), strict=True))
    )
    mentee_frequency_probs: dict[str, float] = field(
        default_factory=lambda: dict(zip(MEETING_FREQUENCIES, (0.30, 0.45, 0.25), strict=True))
    )
    mentor_communication_probs: dict[str, float] = field(
        default_factory=lambda: dict(
            zip(COMMUNICATION_MODES, (0.45, 0.30, 0.15, 0.10), strict=True)
        )
    )
    mentee_communication_probs: dict[str, float] = field(
        default_factory=lambda: dict(
            zip(COMMUNICATION_MODES, (0.35, 0.40, 0.10, 0.15), strict=True)
        )
    )
    trait_means: dict[str, float] = field(
        default_factory=lambda: dict(zip(PERSONALITY_TRAITS, (3.8, 3.9, 3.3, 3.9), strict=True))
    )
    trait_sd: float = 0.7
    style_openness_corr: float = 0.35
    style_conscientiousness_corr: float = -0.35
    philosophy_by_specialty: dict[str, float] = field(default_factory=_default_philosophy)
    philosophy_sd: float = 0.8
    capacity_probs: dict[int, float] = field(
        default_factory=lambda: {1: 0.15, 2: 0.40, 3: 0.30, 4: 0.15}
    )
    stretch_probability: float = 0.3
    prior_mentees_per_year: float = 0.2
    confidence_intercept: float = 2.6
    confidence_per_log_year: float = 0.3
    confidence_sd: float = 0.55
    group_probs_by_region: dict[str, dict[str, float]] = field(default_factory=_default_group_probs)
    team_size: int = 8

    def __post_init__(self) -> None:
        for name, check in _CHECKS.items():
            check(name, getattr(self, name))
        if self.mentor_years_mean <= self.mentor_min_years:
            raise ConfigError(
                f"mentor_years_mean ({self.mentor_years_mean}) must exceed "
                f"mentor_min_years ({self.mentor_min_years})"
            )
        for kind in ("expertise", "goals"):
            mean, most = getattr(self, f"{kind}_mean"), getattr(self, f"{kind}_max")
            if not 1 <= mean <= most:
                raise ConfigError(
                    f"{kind}_mean must lie between 1 and {kind}_max ({most}), got {mean}"
                )
        if self.style_openness_corr**2 + self.style_conscientiousness_corr**2 >= 1:
            raise ConfigError(
                "style_openness_corr and style_conscientiousness_corr are jointly impossible: "
                "the sum of their squares must be below 1"
            )
        if self.mean_capacity == 0:
            raise ConfigError(
                "capacity_probs give every mentor zero capacity: total capacity would be zero"
            )

    @property
    def mean_capacity(self) -> float:
        """Expected number of mentees a mentor will take."""
        return float(sum(k * p for k, p in self.capacity_probs.items()))

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dictionary of every parameter."""
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> CohortConfig:
        """Build a config from defaults plus the given overrides (as read from JSON/YAML).

        Examples
        --------
        >>> CohortConfig.from_dict({"team_size": 10}).team_size
        10
        """
        return cls().with_overrides(**values)

    def with_overrides(self, **changes: Any) -> CohortConfig:
        """A copy with some parameters changed; unknown names raise :class:`ConfigError`."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(
                f"unknown cohort parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
            )
        if "capacity_probs" in changes and isinstance(changes["capacity_probs"], Mapping):
            try:
                changes["capacity_probs"] = {
                    int(k): v for k, v in changes["capacity_probs"].items()
                }
            except (TypeError, ValueError):
                raise ConfigError("capacity_probs keys must be whole numbers") from None
        values = {**self.to_dict(), **changes}
        return type(self)(**values)


# ---------------------------------------------------------------------------------
# Field checks: one small function per kind of parameter.


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ConfigError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be finite, got {value!r}")
    return float(value)


def _positive(name: str, value: Any) -> None:
    if _number(name, value) <= 0:
        raise ConfigError(f"{name} must be positive, got {value!r}")


def _non_negative(name: str, value: Any) -> None:
    if _number(name, value) < 0:
        raise ConfigError(f"{name} must be zero or more, got {value!r}")


def _probability(name: str, value: Any) -> None:
    if not 0 <= _number(name, value) <= 1:
        raise ConfigError(f"{name} is a probability and must lie in [0, 1], got {value!r}")


def _open_unit(name: str, value: Any) -> None:
    if not 0 < _number(name, value) < 1:
        raise ConfigError(f"{name} must lie strictly between 0 and 1, got {value!r}")


def _correlation(name: str, value: Any) -> None:
    if not -1 < _number(name, value) < 1:
        raise ConfigError(f"{name} is a correlation and must lie in (-1, 1), got {value!r}")


def _count(name: str, value: Any, *, upper: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, got {value!r}")
    if upper is not None and value > upper:
        raise ConfigError(f"{name} must be at most {upper}, got {value!r}")


def _keys(name: str, value: Any, vocabulary: tuple[str, ...]) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{name} must be a mapping keyed by {', '.join(vocabulary)}")
    missing = [k for k in vocabulary if k not in value]
    extra = [str(k) for k in value if k not in vocabulary]
    if missing or extra:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(extra)}" if extra else "",
            )
            if part
        )
        raise ConfigError(f"{name} must have exactly the keys {', '.join(vocabulary)} ({detail})")


def _weights(vocabulary: tuple[str, ...]):
    def check(name: str, value: Any) -> None:
        _keys(name, value, vocabulary)
        for key, weight in value.items():
            _non_negative(f"{name}[{key}]", weight)
        if sum(value.values()) <= 0:
            raise ConfigError(f"{name} must not be all zero")

    return check


def _probabilities(vocabulary: tuple[str, ...] | None):
    def check(name: str, value: Any) -> None:
        if vocabulary is not None:
            _keys(name, value, vocabulary)
        elif not isinstance(value, Mapping) or not value:
            raise ConfigError(f"{name} must be a non-empty mapping of values to probabilities")
        for key, prob in value.items():
            _probability(f"{name}[{key}]", prob)
        total = sum(value.values())
        if abs(total - 1) > _PROBABILITY_TOLERANCE:
            raise ConfigError(f"{name} must sum to 1, got {total:.6g}")

    return check


def _finite_values(vocabulary: tuple[str, ...]):
    def check(name: str, value: Any) -> None:
        _keys(name, value, vocabulary)
        for key, number in value.items():
            _number(f"{name}[{key}]", number)

    return check


def _trait_means(name: str, value: Any) -> None:
    _keys(name, value, PERSONALITY_TRAITS)
    for key, mean in value.items():
        if not 1 <= _number(f"{name}[{key}]", mean) <= 5:
            raise ConfigError(f"{name}[{key}] must lie on the 1-5 scale, got {mean!r}")


def _capacity(name: str, value: Any) -> None:
    _probabilities(None)(name, value)
    for key in value:
        if isinstance(key, bool) or not isinstance(key, (int, np.integer)) or key < 0:
            raise ConfigError(
                f"{name} keys are capacities and must be whole numbers >= 0, got {key!r}"
            )


def _group_probs(name: str, value: Any) -> None:
    _keys(name, value, REGIONS)
    for region, probs in value.items():
        _probabilities(DEMOGRAPHIC_GROUPS)(f"{name}[{region}]", probs)


_CHECKS = {
    "site_weights": _weights(SITES),
    "site_focus_affinity": _positive,
    "specialty_weights": _weights(SPECIALTIES),
    "mentor_years_mean": _positive,
    "mentor_years_sd": _positive,
    "mentor_min_years": _non_negative,
    "mentee_years_mean": _positive,
    "mentee_years_sd": _positive,
    "career_stage_noise": _non_negative,
    "core_topic_boost": _positive,
    "early_career_topic_boost": _positive,
    "expertise_mean": _positive,
    "expertise_max": lambda n, v: _count(n, v, upper=len(TOPICS)),
    "goals_mean": _positive,
    "goals_max": lambda n, v: _count(n, v, upper=len(TOPICS)),
    "mentor_flexibility_mean": _open_unit,
    "mentee_flexibility_mean": _open_unit,
    "flexibility_concentration": _positive,
    "weekday_daytime_offset": _number,
    "evening_offset": _number,
    "weekend_offset": _number,
    "mentor_frequency_probs": _probabilities(MEETING_FREQUENCIES),
    "mentee_frequency_probs": _probabilities(MEETING_FREQUENCIES),
    "mentor_communication_probs": _probabilities(COMMUNICATION_MODES),
    "mentee_communication_probs": _probabilities(COMMUNICATION_MODES),
    "trait_means": _trait_means,
    "trait_sd": _positive,
    "style_openness_corr": _correlation,
    "style_conscientiousness_corr": _correlation,
    "philosophy_by_specialty": _finite_values(SPECIALTIES),
    "philosophy_sd": _positive,
    "capacity_probs": _capacity,
    "stretch_probability": _probability,
    "prior_mentees_per_year": _non_negative,
    "confidence_intercept": _number,
    "confidence_per_log_year": _number,
    "confidence_sd": _non_negative,
    "group_probs_by_region": _group_probs,
    "team_size": _count,
}
