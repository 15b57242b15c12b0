"""Run a matched cohort through a mentorship program, month by month.

The generative model (equations in ``docs/model.md``, parameters and sources in
:class:`~mentorlab.program.parameters.ProgramParameters`):

1. **Quality** of each relationship, in SD units: the world's true compatibility
   (standardised over all possible pairs) + the pair's unobserved chemistry + a buy-in
   effect when the mentee chose the mentor + a mentor effect shared by all of that
   mentor's mentees + pair noise - a rematch cost - an overload effect that follows the
   mentor's current load month by month.
2. **Meetings** each month at the agreed frequency; each attended with a probability
   rising with quality and schedule fit and falling with overload.  Missed meetings are
   recorded.
3. **Surveys**: mentee and mentor satisfaction at day 30, day 90, midpoint and end (four
   ordinal items around a latent score driven by quality); mentee confidence at baseline
   and end (five items).  Answers are missing at random while the pair is active, and
   mostly missing at the end survey once a pair has closed.
4. **Early closure**: a monthly hazard rising with low quality, missed meetings,
   overload and newness; the closure is attributed to the mentor, to both (mismatch) or
   to the mentee.  An optional **rematch** at the day-30 and day-90 check-ins replaces a
   relationship whose mentee reports low satisfaction.
5. **Confidence growth** with quality and dose (months retained x meetings attended), a
   setback for very early endings, and maturation for everyone.

Everything is vectorised over pairs; the only loop is over months.  World-level draws
(mentor effects, and chemistry when the matching carries none) come from their own
child seed, so runs of different strategies with the same ``seed`` share them (common
random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit

from .._seed import SeedLike, spawn_seeds
from ..cohort import Cohort
from ..compatibility import Compatibility, Weights, compatibility, forbidden_pairs
from ..errors import ConfigError, InputError
from ..matching.kernels import optimal_assignment
from ..matching.result import Matching
from ..taxonomy import COMMUNICATION_MODES, MEETING_FREQUENCIES, MEETINGS_PER_MONTH
from .data import (
    CONFIDENCE_ITEMS,
    MEETINGS_TABLE,
    PARTICIPANTS_TABLE,
    PROGRAM_PAIRS_TABLE,
    SATISFACTION_ITEMS,
    SURVEYS_TABLE,
    ProgramData,
)
from .parameters import ProgramParameters, scenario_parameters

DEFAULT_START = "2026-01-01"
_PER_MONTH = np.array([MEETINGS_PER_MONTH[f] for f in MEETING_FREQUENCIES], dtype=np.int64)
_DAYS_SPREAD = 28


def run_program(
    cohort: Cohort,
    matching: Matching | pd.DataFrame,
    *,
    months: int = 12,
    scenario: str | ProgramParameters = "default",
    seed: SeedLike = None,
    program_start: str | pd.Timestamp = DEFAULT_START,
    chemistry: np.ndarray | None = None,
    **overrides: Any,
) -> ProgramData:
    """Simulate a 6-12 month program for a matched cohort.

    Parameters
    ----------
    cohort : Cohort
    matching : Matching or DataFrame
        The pairs at the start: a :class:`~mentorlab.Matching`, or a pairs table with
        ``mentee_id``, ``mentor_id`` and optionally ``strategy`` and ``chosen_by_mentee``.
    months : int
        Program length, 6 to 12 (or more).
    scenario : str or ProgramParameters
        A name from :func:`mentorlab.scenarios` or explicit parameters.
    seed : int, SeedSequence, Generator or None
    program_start : str or Timestamp
        First day of the program (dates in the tables count from it).
    chemistry : array (n_mentees, n_mentors), optional
        The pairs' unobserved chemistry; by default the matching's, else drawn from the
        world seed.
    **overrides
        Parameters to change from the scenario's, e.g. ``rematch_threshold=2.5``.

    Returns
    -------
    ProgramData
        participants, pairs, meetings, surveys (plus ``outcomes`` and, being simulated,
        ``truth``).

    Examples
    --------
    >>> import mentorlab as ml
    >>> cohort = ml.simulate_cohort(20, 50, seed=1)
    >>> data = ml.run_program(cohort, ml.match(cohort, "algorithmic"), seed=2)
    >>> sorted(data.pairs.columns)[:3]
    ['chosen_by_mentee', 'end', 'end_reason']
    >>> int(data.outcomes["matched"].sum()) == len(data.pairs.drop_duplicates("mentee_id"))
    True
    """
    params = scenario_parameters(scenario)
    if overrides:
        params = params.with_overrides(**overrides)
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 1:
        raise ConfigError(f"months must be a whole number of at least 1, got {months!r}")
    start = _timestamp(program_start)
    setup = _Setup.build(cohort, matching, params, seed, chemistry)
    state = _simulate(setup, params, int(months))
    return _tables(setup, state, params, int(months), start)


def _timestamp(value) -> pd.Timestamp:
    try:
        return pd.Timestamp(value).normalize()
    except (ValueError, TypeError):
        raise ConfigError(
            f"program_start must be a date such as 2026-01-01, got {value!r}"
        ) from None


# ---------------------------------------------------------------------------------
# Set-up: who is paired, and the world's hidden quantities


@dataclass
class _Setup:
    cohort: Cohort
    strategy: np.ndarray  # per mentee (object)
    mentor_of: np.ndarray
    chosen: np.ndarray
    observed: Compatibility  # what the program's coordinator sees (for rematching)
    true_z: np.ndarray  # world's standardised compatibility, n_mentees x n_mentors
    chemistry: np.ndarray
    mentor_effect: np.ndarray
    frequency: np.ndarray  # agreed meetings per month per (mentee, mentor) code pair
    schedule_fit: np.ndarray
    preferred_load: np.ndarray
    capacity: np.ndarray
    allowed: np.ndarray
    rng: np.random.Generator

    @classmethod
    def build(cls, cohort, matching, params: ProgramParameters, seed, chemistry) -> _Setup:
        world_seed, run_seed = spawn_seeds(seed, 2)
        world = np.random.default_rng(world_seed)
        mentor_effect = world.normal(0.0, params.mentor_effect_sd, cohort.n_mentors)
        mentor_of, strategy, chosen, observed, carried = _read_matching(cohort, matching)
        if chemistry is None:
            chemistry = carried
        if chemistry is None:
            chemistry = world.standard_normal((cohort.n_mentees, cohort.n_mentors))
        chemistry = np.asarray(chemistry, dtype=float)
        if chemistry.shape != (cohort.n_mentees, cohort.n_mentors):
            raise ConfigError(
                f"chemistry must have shape {(cohort.n_mentees, cohort.n_mentors)}, got {chemistry.shape}"
            )
        truth = (
            compatibility(cohort, Weights(params.true_weights)) if params.true_weights else observed
        )
        if params.true_weights is None and observed.weights != Weights():
            truth = compatibility(cohort, Weights())
        total = truth.total
        sd = total.std()
        true_z = (total - total.mean()) / (sd if sd > 0 else 1.0)
        f = observed.features
        mentee_code, mentor_code = f.mentee_frequency, f.mentor_frequency
        if params.frequency_rule == "slower":
            code = np.maximum(mentee_code[:, None], mentor_code[None, :])
        else:
            code = np.broadcast_to(mentee_code[:, None], (mentee_code.size, mentor_code.size))
        preferred = (
            cohort.mentors["preferred_load"].to_numpy(np.int64) + params.preferred_load_offset
        )
        capacity = cohort.mentors["capacity"].to_numpy(np.int64)
        if _is_circle_format(matching):
            # Mentors who agreed to lead a circle expect a group, not their one-to-one load.
            preferred, capacity = (
                _circle_loads(matching, preferred),
                _circle_loads(matching, capacity),
            )
        return cls(
            cohort=cohort,
            strategy=strategy,
            mentor_of=mentor_of,
            chosen=chosen,
            observed=observed,
            true_z=true_z,
            chemistry=chemistry,
            mentor_effect=mentor_effect,
            frequency=_PER_MONTH[code],
            schedule_fit=observed.criterion("schedule"),
            preferred_load=np.maximum(preferred, np.minimum(capacity, 1)),
            capacity=capacity,
            allowed=~forbidden_pairs(cohort) & (capacity[None, :] > 0),
            rng=np.random.default_rng(run_seed),
        )


def _is_circle_format(matching) -> bool:
    if isinstance(matching, Matching):
        return matching.assignment.circle is not None
    return "circle_id" in matching and matching["circle_id"].notna().any()


def _circle_loads(matching, loads: np.ndarray) -> np.ndarray:
    """Loads scaled the way the group strategy scales capacity into circle size."""
    from ..matching.strategies import Group

    options = matching.options if isinstance(matching, Matching) else {}
    group = Group(**{k: v for k, v in options.items() if k in ("circle_factor", "max_circle")})
    return group.circle_capacity(loads)


def _read_matching(cohort: Cohort, matching):
    """Mentor index, strategy and chosen flag per mentee, from a Matching or a pairs table."""
    n = cohort.n_mentees
    if isinstance(matching, Matching):
        if len(matching.problem.compatibility.mentee_ids) != n or not np.array_equal(
            matching.problem.compatibility.mentee_ids, cohort.mentees["mentee_id"].to_numpy()
        ):
            raise InputError("the matching was made for a different cohort (mentee ids differ)")
        strategy = np.full(n, matching.strategy, dtype=object)
        chosen = matching.assignment.chosen_by_mentee.astype(bool)
        return (
            matching.mentor_of.copy(),
            strategy,
            chosen,
            matching.problem.compatibility,
            matching.problem.chemistry,
        )
    pairs = matching
    missing = {"mentee_id", "mentor_id"} - set(pairs.columns)
    if missing:
        raise InputError(
            f"pairs table: missing column{'s' if len(missing) > 1 else ''} {', '.join(sorted(missing))}",
            source="pairs",
        )
    e = pd.Index(cohort.mentees["mentee_id"]).get_indexer(pairs["mentee_id"])
    m = pd.Index(cohort.mentors["mentor_id"]).get_indexer(pairs["mentor_id"])
    for column, index in (("mentee_id", e), ("mentor_id", m)):
        bad = np.flatnonzero(index < 0)
        if bad.size:
            row = int(bad[0])
            raise InputError(
                f"pairs, row {row + 1} (line {row + 2}), column '{column}': '{pairs[column].iloc[row]}' is not in the cohort",
                source="pairs",
                row=row + 1,
                column=column,
            )
    duplicated = pd.Series(e).duplicated().to_numpy()
    if duplicated.any():
        row = int(np.flatnonzero(duplicated)[0])
        raise InputError(
            f"pairs, row {row + 1} (line {row + 2}), column 'mentee_id': '{pairs['mentee_id'].iloc[row]}' has two mentors",
            source="pairs",
            row=row + 1,
            column="mentee_id",
        )
    mentor_of = np.full(n, -1, dtype=np.int64)
    mentor_of[e] = m
    strategy = np.full(n, "unknown", dtype=object)
    strategy[e] = pairs["strategy"].to_numpy() if "strategy" in pairs else "unknown"
    chosen = np.zeros(n, dtype=bool)
    if "chosen_by_mentee" in pairs:
        chosen[e] = pairs["chosen_by_mentee"].fillna(0).astype(int).to_numpy() == 1
    return mentor_of, strategy, chosen, compatibility(cohort), None


# ---------------------------------------------------------------------------------
# The monthly loop


@dataclass
class _State:
    """Growing arrays describing every relationship, plus the records of each month."""

    mentee: np.ndarray
    mentor: np.ndarray
    base_quality: np.ndarray
    chosen: np.ndarray
    is_rematch: np.ndarray
    start_month: np.ndarray
    end_month: np.ndarray  # -1 while active
    end_reason: np.ndarray
    quality_sum: np.ndarray = field(default=None)  # type: ignore[assignment]
    quality_months: np.ndarray = field(default=None)  # type: ignore[assignment]
    meetings: list = field(default_factory=list)  # (pair, month, slot, per_month, went, minutes)
    answers: list = field(
        default_factory=list
    )  # (person index, role, pair, wave, instrument, responses)
    scheduled: np.ndarray = field(default=None)  # type: ignore[assignment]
    attended: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        n = self.mentee.size
        self.quality_sum = np.zeros(n)
        self.quality_months = np.zeros(n)
        self.scheduled = np.zeros(n, dtype=np.int64)
        self.attended = np.zeros(n, dtype=np.int64)

    def add(self, mentee, mentor, base_quality, chosen, is_rematch, start_month) -> None:
        k = mentee.size
        self.mentee = np.concatenate([self.mentee, mentee])
        self.mentor = np.concatenate([self.mentor, mentor])
        self.base_quality = np.concatenate([self.base_quality, base_quality])
        self.chosen = np.concatenate([self.chosen, chosen])
        self.is_rematch = np.concatenate([self.is_rematch, is_rematch])
        self.start_month = np.concatenate([self.start_month, np.full(k, start_month)])
        self.end_month = np.concatenate([self.end_month, np.full(k, -1)])
        self.end_reason = np.concatenate([self.end_reason, np.full(k, "", dtype=object)])
        for name in ("quality_sum", "quality_months"):
            setattr(self, name, np.concatenate([getattr(self, name), np.zeros(k)]))
        for name in ("scheduled", "attended"):
            setattr(self, name, np.concatenate([getattr(self, name), np.zeros(k, dtype=np.int64)]))


def _base_quality(
    setup: _Setup, params: ProgramParameters, mentee, mentor, chosen, rematch
) -> np.ndarray:
    noise = setup.rng.normal(0.0, params.pair_noise_sd, mentee.size)
    return (
        params.compatibility_effect * setup.true_z[mentee, mentor]
        + params.chemistry_effect * setup.chemistry[mentee, mentor]
        + params.buy_in_effect * chosen
        + setup.mentor_effect[mentor]
        + noise
        - params.rematch_cost * rematch
    )


def _simulate(setup: _Setup, params: ProgramParameters, months: int) -> _State:
    matched = np.flatnonzero(setup.mentor_of >= 0)
    mentors = setup.mentor_of[matched]
    chosen = setup.chosen[matched]
    state = _State(
        mentee=matched,
        mentor=mentors,
        base_quality=_base_quality(
            setup, params, matched, mentors, chosen.astype(float), np.zeros(matched.size)
        ),
        chosen=chosen,
        is_rematch=np.zeros(matched.size, dtype=bool),
        start_month=np.zeros(matched.size, dtype=np.int64),
        end_month=np.full(matched.size, -1, dtype=np.int64),
        end_reason=np.full(matched.size, "", dtype=object),
    )
    waves = _wave_months(months)
    for month in range(1, months + 1):
        active = np.flatnonzero((state.end_month < 0) & (state.start_month < month))
        if active.size == 0:
            continue
        overload = _overload(setup, state, active)
        quality = state.base_quality[active] - params.overload_effect * overload
        state.quality_sum[active] += quality
        state.quality_months[active] += 1
        missed_share = _meet(setup, params, state, active, quality, overload, month)
        mentee_view = {}
        for wave in waves.get(month, ()):
            mentee_view[wave] = _survey_satisfaction(setup, params, state, active, quality, wave)
        check_in = {1: "day_30", 3: "day_90"}.get(month)
        if params.rematch_threshold is not None and check_in in mentee_view:
            replaced = _rematch(setup, params, state, active, mentee_view[check_in], month)
            keep = ~np.isin(active, replaced)
            active, quality, overload, missed_share = (
                active[keep],
                quality[keep],
                overload[keep],
                missed_share[keep],
            )
        if month < months:
            _close(setup, params, state, active, quality, overload, missed_share, month)
    still = state.end_month < 0
    state.end_month[still] = months
    state.end_reason[still] = "completed"
    return state


def _wave_months(months: int) -> dict[int, tuple[str, ...]]:
    schedule: dict[int, list[str]] = {}
    for wave, month in (
        ("day_30", 1),
        ("day_90", 3),
        ("midpoint", max(1, months // 2)),
        ("end", months),
    ):
        if month <= months:
            schedule.setdefault(month, []).append(wave)
    return {month: tuple(w) for month, w in schedule.items()}


def _overload(setup: _Setup, state: _State, active: np.ndarray) -> np.ndarray:
    load = np.bincount(state.mentor[active], minlength=setup.capacity.size)
    return np.maximum(load - setup.preferred_load, 0)[state.mentor[active]].astype(float)


def _meet(setup, params, state, active, quality, overload, month) -> np.ndarray:
    """Schedule and hold this month's meetings; returns the share missed per active pair."""
    rng = setup.rng
    mentee, mentor = state.mentee[active], state.mentor[active]
    per_month = setup.frequency[mentee, mentor]
    p_attend = expit(
        params.attendance_intercept
        + params.attendance_quality * quality
        + params.attendance_schedule * (setup.schedule_fit[mentee, mentor] - 0.5)
        - params.attendance_overload * overload
    )
    pair_of_meeting = np.repeat(np.arange(active.size), per_month)
    slot = np.arange(pair_of_meeting.size) - np.repeat(np.cumsum(per_month) - per_month, per_month)
    went = rng.random(pair_of_meeting.size) < p_attend[pair_of_meeting]
    minutes = np.clip(
        rng.normal(params.minutes_mean, params.minutes_sd, pair_of_meeting.size), 10, 180
    )
    minutes = np.where(went, np.round(minutes / 5) * 5, np.nan)
    state.meetings.append(
        (
            active[pair_of_meeting],
            np.full(pair_of_meeting.size, month),
            slot,
            per_month[pair_of_meeting],
            went,
            minutes,
        )
    )
    attended = np.bincount(pair_of_meeting, weights=went, minlength=active.size)
    state.scheduled[active] += per_month
    state.attended[active] += attended.astype(np.int64)
    return 1.0 - attended / per_month


def _survey_satisfaction(setup, params, state, active, quality, wave) -> np.ndarray:
    """Mentee and mentor satisfaction items for the active pairs; returns each mentee's
    mean answer (NaN when the mentee did not answer), which is what a coordinator sees."""
    latent_quality = quality
    seen = np.full(active.size, np.nan)
    for role in ("mentee", "mentor"):
        person = state.mentee[active] if role == "mentee" else state.mentor[active]
        latent = params.satisfaction_mean + params.satisfaction_quality * latent_quality
        latent = latent + setup.rng.normal(0.0, params.satisfaction_noise_sd, active.size)
        answered, responses = _answer(
            setup.rng, latent, params.response_rate, params.item_noise_sd, len(SATISFACTION_ITEMS)
        )
        state.answers.append(
            (person[answered], role, active[answered], wave, "satisfaction", responses)
        )
        if role == "mentee":
            seen[answered] = responses.mean(axis=1)
    return seen


def _answer(rng, latent, respond_probability, noise, n_items):
    """Who answers (probability per person) and their 1-5 item responses."""
    answered = rng.random(latent.size) < respond_probability
    raw = latent[answered][:, None] + rng.normal(0.0, noise, (int(answered.sum()), n_items))
    return answered, np.clip(np.rint(raw), 1, 5).astype(np.int64)


def _rematch(setup, params, state, active, mentee_satisfaction, month) -> np.ndarray:
    """End the relationships of unhappy mentees at a check-in and pair them anew.

    Only mentees who answered the check-in survey can be flagged, and each mentee is
    rematched at most once.
    """
    first_time = ~np.isin(state.mentee[active], state.mentee[state.is_rematch])
    with np.errstate(invalid="ignore"):
        unhappy = first_time & (mentee_satisfaction < params.rematch_threshold)
    candidates = active[unhappy]
    if candidates.size == 0:
        return candidates
    # Places free once the unhappy mentees' places are released.
    still = np.flatnonzero(state.end_month < 0)
    load = np.bincount(state.mentor[still], minlength=setup.capacity.size)
    load -= np.bincount(state.mentor[candidates], minlength=setup.capacity.size)
    free = np.maximum(setup.capacity - load, 0)
    mentees = state.mentee[candidates]
    allowed = setup.allowed[mentees].copy()
    allowed[np.arange(mentees.size), state.mentor[candidates]] = False
    new_mentor = optimal_assignment(setup.observed.total[mentees], free, forbidden=~allowed)
    placed = new_mentor >= 0
    # Without another mentor to go to, the coordinator keeps the relationship going.
    leaving = candidates[placed]
    state.end_month[leaving] = month
    state.end_reason[leaving] = "rematched"
    if leaving.size:
        who, whom = mentees[placed], new_mentor[placed]
        quality = _base_quality(setup, params, who, whom, np.zeros(who.size), np.ones(who.size))
        state.add(
            who, whom, quality, np.zeros(who.size, dtype=bool), np.ones(who.size, dtype=bool), month
        )
    return leaving


def _close(setup, params, state, active, quality, overload, missed_share, month) -> None:
    rng = setup.rng
    new = (month - state.start_month[active]) <= params.early_months
    hazard = expit(
        params.closure_intercept
        - params.closure_quality * quality
        + params.closure_missed * missed_share
        + params.closure_overload * overload
        + params.closure_early_boost * new
    )
    closing = rng.random(active.size) < hazard
    if not closing.any():
        return
    q, load = quality[closing], overload[closing]
    by_mentor = rng.random(q.size) < expit(
        params.mentor_reason_logit + params.mentor_reason_overload * load
    )
    mismatch = ~by_mentor & (
        rng.random(q.size) < expit(params.mismatch_logit - params.mismatch_quality * q)
    )
    reason = np.where(
        by_mentor, "closed_by_mentor", np.where(mismatch, "mutual_mismatch", "closed_by_mentee")
    )
    ended = active[closing]
    state.end_month[ended] = month
    state.end_reason[ended] = reason


# ---------------------------------------------------------------------------------
# Turning the state into the program tables


def _tables(
    setup: _Setup, state: _State, params: ProgramParameters, months: int, start: pd.Timestamp
) -> ProgramData:
    cohort = setup.cohort
    mentee_ids = cohort.mentees["mentee_id"].to_numpy()
    mentor_ids = cohort.mentors["mentor_id"].to_numpy()
    n_pairs = state.mentee.size
    width = max(4, len(str(n_pairs)))
    pair_ids = np.array([f"pair_{k + 1:0{width}d}" for k in range(n_pairs)], dtype=object)
    month_starts = _month_starts(start, months + 1)

    pairs = pd.DataFrame(
        {
            "pair_id": pair_ids,
            "mentor_id": mentor_ids[state.mentor],
            "mentee_id": mentee_ids[state.mentee],
            "strategy": setup.strategy[state.mentee],
            "chosen_by_mentee": state.chosen.astype(np.int64),
            "start": month_starts[state.start_month],
            "end": month_starts[state.end_month],
            "end_reason": state.end_reason,
        }
    )
    meetings = _meeting_table(setup, state, pair_ids, month_starts)
    surveys = _survey_table(setup, state, params, pair_ids, months)
    truth = pd.DataFrame(
        {
            "pair_id": pair_ids,
            "quality": np.divide(
                state.quality_sum,
                state.quality_months,
                out=np.full(n_pairs, np.nan),
                where=state.quality_months > 0,
            ),
            "base_quality": state.base_quality,
            "true_compatibility_z": setup.true_z[state.mentee, state.mentor],
            "chemistry": setup.chemistry[state.mentee, state.mentor],
            "mentor_effect": setup.mentor_effect[state.mentor],
            "chosen_by_mentee": state.chosen.astype(np.int64),
            "rematch": state.is_rematch.astype(np.int64),
            "meetings_scheduled": state.scheduled,
            "meetings_attended": state.attended,
        }
    )
    return ProgramData(
        PARTICIPANTS_TABLE.conform(_participants(cohort)),
        PROGRAM_PAIRS_TABLE.conform(pairs),
        MEETINGS_TABLE.conform(meetings),
        SURVEYS_TABLE.conform(surveys),
        start,
        months,
        truth,
    )


def _month_starts(start: pd.Timestamp, count: int) -> np.ndarray:
    """First day of each program month (index 0 = program start)."""
    return np.array([start + pd.DateOffset(months=k) for k in range(count)], dtype="datetime64[ns]")


def _participants(cohort: Cohort) -> pd.DataFrame:
    shared = ["site", "specialty", "years_in_practice", "career_stage", "demographic_group"]
    mentors = cohort.mentors[["mentor_id", *shared, "capacity", "preferred_load"]].rename(
        columns={"mentor_id": "person_id"}
    )
    mentees = cohort.mentees[["mentee_id", *shared]].rename(columns={"mentee_id": "person_id"})
    table = pd.concat(
        [mentors.assign(role="mentor"), mentees.assign(role="mentee")], ignore_index=True
    )
    table["capacity"] = table["capacity"].astype("Int64")
    table["preferred_load"] = table["preferred_load"].astype("Int64")
    order = ["person_id", "role", *shared[:4], "capacity", "preferred_load", "demographic_group"]
    return table[order]


def _meeting_table(setup, state, pair_ids, month_starts) -> pd.DataFrame:
    if not state.meetings:
        return pd.DataFrame(
            {"pair_id": [], "date": pd.to_datetime([]), "attended": [], "minutes": [], "mode": []}
        )
    pair, month, slot, per_month, went, minutes = (
        np.concatenate(parts) for parts in zip(*state.meetings, strict=True)
    )
    offset_days = np.floor((slot + 0.5) * _DAYS_SPREAD / per_month).astype("timedelta64[D]")
    f = setup.observed.features
    mentee_mode, mentor_mode = (
        f.mentee_communication[state.mentee[pair]],
        f.mentor_communication[state.mentor[pair]],
    )
    mode = np.where(mentee_mode == mentor_mode, mentee_mode, COMMUNICATION_MODES.index("video"))
    table = pd.DataFrame(
        {
            "pair_id": pair_ids[pair],
            "date": month_starts[month - 1] + offset_days,
            "attended": went.astype(np.int64),
            "minutes": minutes,
            "mode": np.array(COMMUNICATION_MODES, dtype=object)[mode],
        }
    )
    return table.sort_values(["pair_id", "date"], kind="stable").reset_index(drop=True)


def _survey_table(setup, state, params, pair_ids, months) -> pd.DataFrame:
    rng = setup.rng
    cohort = setup.cohort
    ids = {
        "mentee": cohort.mentees["mentee_id"].to_numpy(),
        "mentor": cohort.mentors["mentor_id"].to_numpy(),
    }
    blocks = []

    def record(person_ids, pairs, wave, instrument, responses):
        items = np.array(
            tuple(SATISFACTION_ITEMS if instrument == "satisfaction" else CONFIDENCE_ITEMS),
            dtype=object,
        )
        k = items.size
        blocks.append(
            pd.DataFrame(
                {
                    "person_id": np.repeat(person_ids, k),
                    "pair_id": np.repeat(pairs, k),
                    "wave": wave,
                    "instrument": instrument,
                    "item": np.tile(items, person_ids.size),
                    "response": responses.ravel(),
                }
            )
        )

    def ask(person_ids, pairs, wave, instrument, latent, respond_probability, noise):
        n_items = len(SATISFACTION_ITEMS if instrument == "satisfaction" else CONFIDENCE_ITEMS)
        answered, responses = _answer(rng, latent, respond_probability, noise, n_items)
        record(person_ids[answered], pairs[answered], wave, instrument, responses)

    # Baseline confidence (intake): every mentee, matched or not.
    baseline = cohort.mentees["baseline_confidence"].to_numpy(float)
    no_pair = np.full(cohort.n_mentees, None, dtype=object)
    ask(
        ids["mentee"],
        no_pair,
        "baseline",
        "confidence",
        baseline,
        params.response_rate,
        params.confidence_item_noise_sd,
    )

    # Satisfaction answered during the program.
    for person, role, pairs, wave, instrument, responses in state.answers:
        record(ids[role][person], pair_ids[pairs], wave, instrument, responses)

    # End survey of relationships that closed early (without a later one): mostly missing.
    last = _last_pair_per_mentee(state)
    closed = last[state.end_reason[last] != "completed"]
    mean_quality = state.quality_sum[closed] / np.maximum(state.quality_months[closed], 1)
    for role in ("mentee", "mentor"):
        person = ids[role][state.mentee[closed] if role == "mentee" else state.mentor[closed]]
        latent = params.satisfaction_mean + params.satisfaction_quality * mean_quality
        latent = latent + rng.normal(0.0, params.satisfaction_noise_sd, closed.size)
        ask(
            person,
            pair_ids[closed],
            "end",
            "satisfaction",
            latent,
            params.closed_end_response,
            params.item_noise_sd,
        )

    # End confidence: growth with quality and dose; answers depend on how things went.
    end_confidence, end_pair, respond = _end_confidence(
        setup, state, params, months, last, pair_ids
    )
    ask(
        ids["mentee"],
        end_pair,
        "end",
        "confidence",
        end_confidence,
        respond,
        params.confidence_item_noise_sd,
    )
    return pd.concat(blocks, ignore_index=True)


def _last_pair_per_mentee(state: _State) -> np.ndarray:
    order = np.lexsort((state.start_month, state.mentee))
    mentee_sorted = state.mentee[order]
    is_last = (
        np.append(mentee_sorted[1:] != mentee_sorted[:-1], True)
        if order.size
        else np.array([], dtype=bool)
    )
    return order[is_last]


def _end_confidence(setup, state, params, months, last, pair_ids):
    rng = setup.rng
    n = setup.cohort.n_mentees
    baseline = setup.cohort.mentees["baseline_confidence"].to_numpy(float)
    months_in = np.bincount(
        state.mentee, weights=np.maximum(state.end_month - state.start_month, 0), minlength=n
    )
    scheduled = np.bincount(state.mentee, weights=state.scheduled, minlength=n)
    attended = np.bincount(state.mentee, weights=state.attended, minlength=n)
    quality_sum = np.bincount(state.mentee, weights=state.quality_sum, minlength=n)
    quality_months = np.bincount(state.mentee, weights=state.quality_months, minlength=n)
    mean_quality = np.divide(quality_sum, quality_months, out=np.zeros(n), where=quality_months > 0)
    dose = np.minimum(months_in / months, 1.0) * np.divide(
        attended, scheduled, out=np.zeros(n), where=scheduled > 0
    )
    matched = np.zeros(n, dtype=bool)
    matched[state.mentee] = True
    first = _first_pair_per_mentee(state)
    early_end = np.zeros(n, dtype=bool)
    # Rematched mentees pay the rematch cost on quality instead.
    ended_early = ~np.isin(state.end_reason[first], ("completed", "rematched"))
    quick = first[(state.end_month[first] <= params.early_months) & ended_early]
    early_end[state.mentee[quick]] = True
    growth = (
        params.maturation
        + matched * (dose * (params.growth_base + params.growth_quality * mean_quality))
        + params.early_end_harm * early_end
    )
    end = np.clip(baseline + growth + rng.normal(0.0, params.growth_sd, n), 1.0, 5.0)

    end_pair = np.full(n, None, dtype=object)
    end_pair[state.mentee[last]] = pair_ids[last]
    respond = np.full(n, params.unmatched_end_response)
    completed = np.zeros(n, dtype=bool)
    completed[state.mentee[last[state.end_reason[last] == "completed"]]] = True
    respond[matched] = params.closed_end_response
    respond[completed] = params.response_rate
    return end, end_pair, respond


def _first_pair_per_mentee(state: _State) -> np.ndarray:
    order = np.lexsort((state.start_month, state.mentee))
    mentee_sorted = state.mentee[order]
    is_first = (
        np.insert(mentee_sorted[1:] != mentee_sorted[:-1], 0, True)
        if order.size
        else np.array([], dtype=bool)
    )
    return order[is_first]
