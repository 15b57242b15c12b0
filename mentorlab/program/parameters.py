"""Every parameter of the program model in one dataclass, and the named scenarios.

Values rest on the mentoring literature where it gives a number and are documented
with their source (``docs/model.md`` has the equations):

* Eby et al. (2013), *Psychological Bulletin* meta-analysis of 173 samples: similarity in
  attitudes, values and personality relates to protégés' perceptions of the
  relationship at rho ~ .38-.59; relationship quality to satisfaction rho ~ .38;
  psychosocial support to interaction frequency rho ~ .25.
* Allen, Eby & Lentz (2006, *Journal of Applied Psychology*): input into one's match goes
  with better mentoring; Kendall & Smith-Jentsch (2015, randomized, 65 dyads): mentees
  who chose their mentor reported more similarity and support.
* STAR study (OJJDP 2017): 31% of new matches closed within 12 months, about two thirds
  of closures attributed to the mentor.  Kupersmidt et al. (2017): 38% of 6,468 matches
  in 170 programs closed prematurely.
* Grossman & Rhodes (2002): matches of 12+ months brought the most benefit and very
  early endings could leave youth worse off; Grossman et al. (2012): rematched youth
  fared worse.
* Raposa et al. (2019): mentoring effects are modest, g ~ 0.18-0.21 across 70 studies.

The quality of a relationship is on a standard-deviation scale (0 = a typical pair).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

import pandas as pd

from ..errors import ConfigError


@dataclass(frozen=True)
class ProgramParameters:
    """Parameters of :func:`mentorlab.run_program` (defaults = the ``default`` scenario).

    Relationship quality (SD units)
        ``compatibility_effect`` per SD of the world's true compatibility score (Eby et
        al. 2013: similarity and perceived quality rho ~ .38-.59); ``chemistry_effect`` per
        SD of the pair's unobserved chemistry; ``buy_in_effect`` when the mentee chose the
        mentor (Allen, Eby & Lentz 2006; Kendall & Smith-Jentsch 2015);
        ``overload_effect`` per mentee above the mentor's preferred load;
        ``mentor_effect_sd`` of a mentor-level random effect (mentees of one mentor share
        it: clustering); ``pair_noise_sd`` of other pair-level variation;
        ``rematch_cost`` subtracted from a rematched relationship (Grossman et al. 2012).
        ``true_weights``: the world's criterion weights (None = the default weights); a
        program's own weights are only its belief about what matters.
        ``preferred_load_offset`` shifts every mentor's comfortable load (negative = they
        overestimated what they can take).
    Meetings
        Scheduled per month at the ``frequency_rule`` frequency ("slower" of the two
        preferences, or the "mentee" preference alone); each is attended with
        probability logistic(``attendance_intercept`` + ``attendance_quality`` * quality +
        ``attendance_schedule`` * (schedule fit - 0.5) - ``attendance_overload`` * overload);
        attended meetings last Normal(``minutes_mean``, ``minutes_sd``) minutes.
    Early closure (monthly hazard, logit scale)
        ``closure_intercept`` - ``closure_quality`` * quality + ``closure_missed`` * share of
        the month's meetings missed + ``closure_overload`` * overload, plus
        ``closure_early_boost`` in the first ``early_months`` months.  A closure is the
        mentor's with probability logistic(``mentor_reason_logit`` +
        ``mentor_reason_overload`` * overload), else a mutual mismatch with probability
        logistic(``mismatch_logit`` - ``mismatch_quality`` * quality), else the mentee's.
        Defaults give about a third of matches closed within a year, two thirds of them by
        the mentor (STAR 2017; Kupersmidt et al. 2017).
    Rematching
        With ``rematch_threshold`` set, a mentee whose mean satisfaction at the day-30 or
        day-90 check-in is below it is rematched (once) to a mentor with a free place.
    Surveys
        Satisfaction: latent = ``satisfaction_mean`` + ``satisfaction_quality`` * quality +
        person-wave noise (``satisfaction_noise_sd``); each of 4 items is the latent plus
        item noise (``item_noise_sd``) rounded to 1-5.  Confidence: 5 items around the
        latent confidence with ``confidence_item_noise_sd``.  Answer rates:
        ``response_rate`` while the pair is active, ``closed_end_response`` at the end
        survey for closed pairs (attrition that is not at random),
        ``unmatched_end_response`` for mentees never matched.
    Confidence growth (1-5 scale points over the program)
        ``maturation`` for everyone; for mentored mentees
        dose * (``growth_base`` + ``growth_quality`` * quality), dose = share of the
        program retained times share of meetings attended, plus ``early_end_harm`` when
        the first relationship ended within ``early_months`` (Grossman & Rhodes 2002),
        plus Normal(0, ``growth_sd``).  Defaults give a mentored-vs-not difference of
        about 0.2 SD (Raposa et al. 2019).
    """

    compatibility_effect: float = 0.45
    chemistry_effect: float = 0.55
    buy_in_effect: float = 0.25
    overload_effect: float = 0.35
    mentor_effect_sd: float = 0.30
    pair_noise_sd: float = 0.30
    rematch_cost: float = 0.30
    true_weights: dict[str, float] | None = None
    preferred_load_offset: int = 0

    frequency_rule: Literal["slower", "mentee"] = "slower"
    attendance_intercept: float = 1.6
    attendance_quality: float = 0.5
    attendance_schedule: float = 1.0
    attendance_overload: float = 0.3
    minutes_mean: float = 50.0
    minutes_sd: float = 15.0

    closure_intercept: float = -3.55
    closure_quality: float = 0.9
    closure_missed: float = 1.2
    closure_overload: float = 0.4
    closure_early_boost: float = 0.5
    early_months: int = 3
    mentor_reason_logit: float = 0.45
    mentor_reason_overload: float = 0.5
    mismatch_logit: float = -1.2
    mismatch_quality: float = 0.8

    rematch_threshold: float | None = None

    satisfaction_mean: float = 3.5
    satisfaction_quality: float = 0.5
    satisfaction_noise_sd: float = 0.4
    item_noise_sd: float = 0.5
    confidence_item_noise_sd: float = 0.55
    response_rate: float = 0.9
    closed_end_response: float = 0.3
    unmatched_end_response: float = 0.5

    maturation: float = 0.05
    growth_base: float = 0.12
    growth_quality: float = 0.08
    early_end_harm: float = -0.10
    growth_sd: float = 0.25

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("true_weights", "rematch_threshold", "frequency_rule"):
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise ConfigError(f"{f.name} must be a finite number, got {value!r}")
        for name in (
            "mentor_effect_sd",
            "pair_noise_sd",
            "minutes_sd",
            "satisfaction_noise_sd",
            "item_noise_sd",
            "confidence_item_noise_sd",
            "growth_sd",
            "minutes_mean",
        ):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be zero or more, got {getattr(self, name)!r}")
        for name in ("response_rate", "closed_end_response", "unmatched_end_response"):
            if not 0 <= getattr(self, name) <= 1:
                raise ConfigError(
                    f"{name} is a probability and must lie in [0, 1], got {getattr(self, name)!r}"
                )
        if self.frequency_rule not in ("slower", "mentee"):
            raise ConfigError(
                f"frequency_rule must be 'slower' or 'mentee', got {self.frequency_rule!r}"
            )
        if not isinstance(self.early_months, int) or self.early_months < 0:
            raise ConfigError(
                f"early_months must be a whole number >= 0, got {self.early_months!r}"
            )
        if self.rematch_threshold is not None and not 1 <= self.rematch_threshold <= 5:
            raise ConfigError(
                f"rematch_threshold is a 1-5 satisfaction score, got {self.rematch_threshold!r}"
            )
        if self.true_weights is not None:
            from ..compatibility import Weights

            Weights(self.true_weights)

    def with_overrides(self, **changes: Any) -> ProgramParameters:
        """A copy with some parameters changed; unknown names raise :class:`ConfigError`."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(
                f"unknown program parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}"
            )
        return replace(self, **changes)


_DEFAULT = ProgramParameters()

SCENARIOS: dict[str, tuple[str, ProgramParameters]] = {
    "default": (
        "Literature-based defaults: compatibility and chemistry both matter; about a third of matches close within a year.",
        _DEFAULT,
    ),
    "null": (
        "Outcomes do not depend on who is matched with whom: every strategy has the same expected retention and satisfaction.",
        replace(
            _DEFAULT,
            compatibility_effect=0.0,
            chemistry_effect=0.0,
            buy_in_effect=0.0,
            overload_effect=0.0,
            attendance_schedule=0.0,
            attendance_overload=0.0,
            closure_overload=0.0,
            mentor_reason_overload=0.0,
            frequency_rule="mentee",
            pair_noise_sd=0.75,
            closure_intercept=-3.75,
        ),
    ),
    "chemistry_dominant": (
        "Unobserved chemistry dominates observed compatibility: mentees who choose for themselves should do best.",
        replace(_DEFAULT, compatibility_effect=0.15, chemistry_effect=0.9, buy_in_effect=0.35),
    ),
    "overloaded_mentors": (
        "Mentors offered one more place than they can handle and overload hurts: more matches close than under default, most of all with the fullest mentors.",
        replace(
            _DEFAULT,
            preferred_load_offset=-1,
            overload_effect=0.6,
            attendance_overload=0.8,
            closure_overload=0.7,
        ),
    ),
    "guide_claims": (
        "The program guide's claim: only about 1 in 3 mentorships succeed when matching ignores compatibility (random pairs).",
        replace(
            _DEFAULT,
            compatibility_effect=1.0,
            chemistry_effect=0.4,
            closure_intercept=-2.55,
            closure_quality=1.1,
        ),
    ),
}


def scenarios() -> pd.DataFrame:
    """The named scenarios with one line each.

    Examples
    --------
    >>> "null" in scenarios().index
    True
    """
    return pd.DataFrame(
        {"description": {name: description for name, (description, _) in SCENARIOS.items()}}
    ).rename_axis("scenario")


def scenario_parameters(scenario: str | ProgramParameters) -> ProgramParameters:
    """Parameters of a named scenario (or the given parameters unchanged)."""
    if isinstance(scenario, ProgramParameters):
        return scenario
    if scenario not in SCENARIOS:
        raise ConfigError(f"unknown scenario '{scenario}' (choose from: {', '.join(SCENARIOS)})")
    return SCENARIOS[scenario][1]
