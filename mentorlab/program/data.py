"""The program data model: the tables a mentorship program records, simulated or real.

This module is the one contract between the simulator and real programs: the
simulator writes exactly these tables, and evaluators load their own program's exports
in the same format.  ``docs/data-model.md`` documents every column.

participants
    One row per person: ``person_id``, ``role`` (mentor or mentee) and intake attributes.
pairs
    One row per relationship: who, formed by which strategy (or trial arm), ``start``,
    ``end`` and ``end_reason``.  A mentee who is rematched has two rows.
meetings
    One row per scheduled meeting: date, attended or missed, minutes, mode.
surveys
    Long format, one row per answered item: person, pair, wave, instrument, item,
    response (1-5).  Unanswered items are simply absent.

``ProgramData.outcomes`` derives a per-mentee view (months retained, early closure,
reason, rematch, satisfaction per wave, confidence before and after).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ..schema import (
    ColumnSpec,
    RowRule,
    TableSpec,
    frame_to_csv_bytes,
    read_csv_table,
    write_files_atomically,
)
from ..taxonomy import (
    CAREER_STAGES,
    COMMUNICATION_MODES,
    DEMOGRAPHIC_GROUPS,
    SPECIALTIES,
)

ROLES = ("mentor", "mentee")
END_REASONS = ("completed", "closed_by_mentor", "closed_by_mentee", "mutual_mismatch", "rematched")
EARLY_CLOSURE_REASONS = ("closed_by_mentor", "closed_by_mentee", "mutual_mismatch", "rematched")
WAVES = ("baseline", "day_30", "day_90", "midpoint", "end")
INSTRUMENTS = ("satisfaction", "confidence")
SATISFACTION_ITEMS = {
    "sat_1": "My mentoring relationship is worth the time I give it.",
    "sat_2": "My mentor (mentee) understands what I want to get out of it.",
    "sat_3": "Our meetings help me in my practice.",
    "sat_4": "I would choose to continue this relationship.",
}
CONFIDENCE_ITEMS = {
    "conf_1": "I am confident assessing clients with complex needs.",
    "conf_2": "I am confident planning care across modalities.",
    "conf_3": "I am confident working with other practitioners on a client's care.",
    "conf_4": "I am confident handling the business side of my practice.",
    "conf_5": "I am confident setting boundaries with clients.",
}
ITEMS = {"satisfaction": tuple(SATISFACTION_ITEMS), "confidence": tuple(CONFIDENCE_ITEMS)}


def _participants_table() -> TableSpec:
    optional = {"required": False, "nullable": True}
    columns = (
        ColumnSpec("person_id", "id", "Pseudonymous identifier of the person (mentor or mentee)."),
        ColumnSpec("role", "category", "Role in the program.", allowed=ROLES),
        ColumnSpec("site", "text", "Site where the person practises.", **optional),
        ColumnSpec("specialty", "category", "Main specialty.", allowed=SPECIALTIES, **optional),
        ColumnSpec(
            "years_in_practice",
            "int",
            "Completed years in practice.",
            minimum=0,
            maximum=60,
            unit="years",
            **optional,
        ),
        ColumnSpec(
            "career_stage",
            "category",
            "Self-reported career stage.",
            allowed=CAREER_STAGES,
            **optional,
        ),
        ColumnSpec(
            "capacity",
            "int",
            "Mentors: most mentees they agreed to take.",
            minimum=0,
            maximum=20,
            unit="mentees",
            **optional,
        ),
        ColumnSpec(
            "preferred_load",
            "int",
            "Mentors: mentees they are comfortable with.",
            minimum=0,
            maximum=20,
            unit="mentees",
            **optional,
        ),
        ColumnSpec(
            "demographic_group",
            "category",
            "Demographic group, for fairness checks only.",
            allowed=DEMOGRAPHIC_GROUPS,
            **optional,
        ),
    )
    return TableSpec("participants", "One row per person in the program.", columns)


def _pairs_table() -> TableSpec:
    columns = (
        ColumnSpec("pair_id", "id", "Identifier of the relationship."),
        ColumnSpec("mentor_id", "text", "Mentor of the pair (a participants person_id)."),
        ColumnSpec("mentee_id", "text", "Mentee of the pair (a participants person_id)."),
        ColumnSpec("strategy", "text", "Matching strategy or trial arm that formed the pair."),
        ColumnSpec(
            "chosen_by_mentee",
            "int",
            "1 if the mentee chose this mentor, else 0.",
            minimum=0,
            maximum=1,
            required=False,
            nullable=True,
        ),
        ColumnSpec("start", "date", "First day of the relationship."),
        ColumnSpec(
            "end", "date", "Last day of the relationship; empty while it is ongoing.", nullable=True
        ),
        ColumnSpec(
            "end_reason",
            "category",
            "How it ended: completed the program, closed early by the mentor, by the mentee, by both (mismatch), or replaced by a rematch; empty while ongoing.",
            allowed=END_REASONS,
            nullable=True,
        ),
    )
    rules = (
        RowRule("end", "is before the start", lambda t: ~(t["end"] < t["start"])),
        RowRule(
            "end_reason",
            "is empty although the pair has an end date",
            lambda t: ~(t["end"].notna() & t["end_reason"].isna()),
        ),
    )
    return TableSpec("pairs", "One row per mentoring relationship.", columns, rules)


def _meetings_table() -> TableSpec:
    columns = (
        ColumnSpec("pair_id", "text", "Relationship the meeting belongs to."),
        ColumnSpec("date", "date", "Scheduled date."),
        ColumnSpec(
            "attended",
            "int",
            "1 if the meeting took place, 0 if it was missed.",
            minimum=0,
            maximum=1,
        ),
        ColumnSpec(
            "minutes",
            "float",
            "Length of the meeting; empty when missed.",
            minimum=0,
            maximum=600,
            unit="minutes",
            nullable=True,
        ),
        ColumnSpec(
            "mode", "category", "How the pair met.", allowed=COMMUNICATION_MODES, nullable=True
        ),
    )
    return TableSpec("meetings", "One row per scheduled meeting.", columns)


def _surveys_table() -> TableSpec:
    columns = (
        ColumnSpec("person_id", "text", "Who answered (a participants person_id)."),
        ColumnSpec(
            "pair_id",
            "text",
            "Relationship the answer is about; empty for intake surveys.",
            nullable=True,
        ),
        ColumnSpec("wave", "category", "Survey wave.", allowed=WAVES),
        ColumnSpec("instrument", "category", "Questionnaire.", allowed=INSTRUMENTS),
        ColumnSpec("item", "text", "Item code (see the data model's item list)."),
        ColumnSpec(
            "response",
            "int",
            "Answer on a 1-5 agreement scale.",
            minimum=1,
            maximum=5,
            unit="1-5 Likert",
        ),
    )
    return TableSpec("surveys", "Long format: one row per answered survey item.", columns)


PARTICIPANTS_TABLE = _participants_table()
PROGRAM_PAIRS_TABLE = _pairs_table()
MEETINGS_TABLE = _meetings_table()
SURVEYS_TABLE = _surveys_table()
PROGRAM_TABLES = {
    "participants": PARTICIPANTS_TABLE,
    "pairs": PROGRAM_PAIRS_TABLE,
    "meetings": MEETINGS_TABLE,
    "surveys": SURVEYS_TABLE,
}


def program_data_dictionary() -> pd.DataFrame:
    """Every column of the four program tables."""
    return pd.concat([t.dictionary() for t in PROGRAM_TABLES.values()], ignore_index=True)


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar months from ``start`` to ``end`` (fractional within a month).

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2026-01-01", "2026-01-01"]))
    >>> e = pd.Series(pd.to_datetime(["2026-04-01", "2026-04-16"]))
    >>> months_between(s, e).round(2).tolist()
    [3.0, 3.5]
    """
    whole = (end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month)
    days_in_month = end.dt.days_in_month
    return whole + (end.dt.day - start.dt.day) / days_in_month


@dataclass(frozen=True, eq=False)
class ProgramData:
    """The four tables of a program, plus ``truth`` when simulated.

    Attributes
    ----------
    participants, pairs, meetings, surveys : pandas.DataFrame
        As documented in :mod:`mentorlab.program.data`.
    program_start : pandas.Timestamp
        First day of the program.
    months : int
        Program length.
    truth : pandas.DataFrame or None
        Simulation only: the latent quality of each pair and its ingredients (never
        present for real data).
    """

    participants: pd.DataFrame
    pairs: pd.DataFrame
    meetings: pd.DataFrame
    surveys: pd.DataFrame
    program_start: pd.Timestamp
    months: int
    truth: pd.DataFrame | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        mentees = int((self.participants["role"] == "mentee").sum())
        return (
            f"ProgramData({mentees} mentees, {len(self.pairs)} pairs, {len(self.meetings)} meetings, "
            f"{len(self.surveys)} survey answers; {self.months} months from {self.program_start.date()})"
        )

    # -- derived views ------------------------------------------------------------
    @property
    def outcomes(self) -> pd.DataFrame:
        """One row per mentee: retention, closure, rematch, satisfaction and confidence.

        Columns: ``mentee_id``, ``strategy``, ``matched``, ``mentor_id`` (first mentor),
        ``pair_id`` (first pair), ``chosen_by_mentee``, ``months_retained`` (length of the
        first relationship), ``closed_early`` (first relationship ended before the
        program did), ``closure_reason`` (its end reason), ``rematched``,
        ``months_in_program`` (all relationships), ``meetings_scheduled``,
        ``meetings_attended``, ``satisfaction_<wave>`` (mean item score of the mentee's
        answers at day_30, day_90, midpoint, end), ``confidence_pre`` and
        ``confidence_post`` (mean confidence item scores at baseline and end), and the
        mentee's ``demographic_group`` when known.  Unmatched mentees have NaN in the
        relationship columns.
        """
        if "outcomes" not in self._cache:
            self._cache["outcomes"] = build_outcomes(self)
        return self._cache["outcomes"]

    def summary(self) -> pd.Series:
        """Headline numbers: closures, rematches, meetings, response rates, reliability."""
        from .reliability import cronbach_alpha_items

        out = self.outcomes
        matched = out[out["matched"]]
        answered_end = out["satisfaction_end"].notna()
        closed = out["closed_early"].fillna(False).astype(bool)
        completed = out["closed_early"].eq(False).fillna(False).astype(bool)
        values = {
            "mentees": len(out),
            "matched": int(out["matched"].sum()),
            "closed early (share of first matches)": matched["closed_early"].mean(),
            "closures by mentor (share of early closures)": _share(matched, "closed_by_mentor"),
            "rematched (share)": matched["rematched"].mean(),
            "months retained (mean)": matched["months_retained"].mean(),
            "meetings attended (share of scheduled)": self.meetings["attended"].mean()
            if len(self.meetings)
            else np.nan,
            "end survey answered: completed pairs": answered_end[completed].mean(),
            "end survey answered: closed pairs": answered_end[closed].mean(),
            "satisfaction alpha (mentees, end)": cronbach_alpha_items(
                self.surveys, "satisfaction", "end", self.mentee_ids
            ),
            "confidence alpha (baseline)": cronbach_alpha_items(
                self.surveys, "confidence", "baseline", self.mentee_ids
            ),
        }
        return pd.Series(values, name="value", dtype=float).rename_axis("measure")

    @property
    def mentee_ids(self) -> pd.Index:
        return pd.Index(self.participants.loc[self.participants["role"] == "mentee", "person_id"])

    # -- storage ------------------------------------------------------------------
    def validate(self) -> ProgramData:
        """Check every table against its schema and the tables against each other."""
        tables = {
            name: spec.validate(getattr(self, name), source=f"{name} table")
            for name, spec in PROGRAM_TABLES.items()
        }
        check_links(tables)
        return ProgramData(
            **tables, program_start=self.program_start, months=self.months, truth=self.truth
        )

    def write(self, directory: str | os.PathLike) -> list[Path]:
        """Write the four tables as CSV (and ``truth.csv`` when simulated), all or nothing."""
        checked = self.validate()
        files = {
            f"{name}.csv": frame_to_csv_bytes(getattr(checked, name)) for name in PROGRAM_TABLES
        }
        files["program_data_dictionary.csv"] = frame_to_csv_bytes(program_data_dictionary())
        files["program.json"] = (
            f'{{"format": "mentorlab-program", "format_version": 1, "program_start": "{self.program_start.date()}", '
            f'"months": {self.months}}}\n'
        ).encode()
        if self.truth is not None:
            files["truth.csv"] = frame_to_csv_bytes(self.truth)
        return write_files_atomically(directory, files)

    @classmethod
    def read(cls, directory: str | os.PathLike) -> ProgramData:
        """Load and validate the four tables of a program from ``directory``.

        ``program.json`` (start date and length) is optional: without it the start is
        the earliest pair start and the length is the span of the pairs in whole months.
        """
        import json

        directory = Path(directory)
        if not directory.is_dir():
            raise InputError(f"{directory}: no such directory (expected program data files)")
        tables = {
            name: read_csv_table(directory / f"{name}.csv", spec)
            for name, spec in PROGRAM_TABLES.items()
        }
        check_links(tables)
        meta_path = directory / "program.json"
        if meta_path.is_file():
            try:
                meta = json.loads(meta_path.read_text())
                start, months = pd.Timestamp(meta["program_start"]), int(meta["months"])
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(
                    f"{meta_path}: not a valid program description ({exc})", source="program.json"
                ) from None
        else:
            start = tables["pairs"]["start"].min()
            last = tables["pairs"]["end"].max()
            months = (
                int(np.ceil(months_between(pd.Series([start]), pd.Series([last])).iloc[0]))
                if pd.notna(last)
                else 12
            )
        truth = None
        if (directory / "truth.csv").is_file():
            truth = pd.read_csv(directory / "truth.csv")
        return cls(**tables, program_start=start, months=months, truth=truth)


def check_links(tables: dict[str, pd.DataFrame]) -> None:
    """Every id used in pairs, meetings and surveys must exist where it points to."""
    people = set(tables["participants"]["person_id"])
    roles = dict(
        zip(tables["participants"]["person_id"], tables["participants"]["role"], strict=True)
    )
    pairs = tables["pairs"]
    for column, role in (("mentor_id", "mentor"), ("mentee_id", "mentee")):
        ids = pairs[column]
        unknown = ~ids.isin(people)
        wrong_role = ids.map(roles).ne(role) & ~unknown
        _raise_first("pairs", unknown, column, "is not in participants", ids)
        _raise_first("pairs", wrong_role, column, f"is not a {role} in participants", ids)
    pair_ids = set(pairs["pair_id"])
    meetings = tables["meetings"]
    _raise_first(
        "meetings",
        ~meetings["pair_id"].isin(pair_ids),
        "pair_id",
        "is not in pairs",
        meetings["pair_id"],
    )
    surveys = tables["surveys"]
    _raise_first(
        "surveys",
        ~surveys["person_id"].isin(people),
        "person_id",
        "is not in participants",
        surveys["person_id"],
    )
    linked = surveys["pair_id"].notna()
    _raise_first(
        "surveys",
        linked & ~surveys["pair_id"].isin(pair_ids),
        "pair_id",
        "is not in pairs",
        surveys["pair_id"],
    )
    bad_item = (
        ~surveys.apply(lambda r: r["item"] in ITEMS.get(r["instrument"], ()), axis=1)
        if len(surveys)
        else pd.Series([], dtype=bool)
    )
    _raise_first("surveys", bad_item, "item", "is not an item of that instrument", surveys["item"])


def _raise_first(table: str, bad: pd.Series, column: str, message: str, values: pd.Series) -> None:
    positions = np.flatnonzero(np.asarray(bad, dtype=bool))
    if positions.size:
        row = int(positions[0])
        more = f" (and {positions.size - 1} more)" if positions.size > 1 else ""
        raise InputError(
            f"{table}.csv, row {row + 1} (line {row + 2}), column '{column}': '{values.iloc[row]}' {message}{more}",
            source=f"{table}.csv",
            row=row + 1,
            column=column,
        )


def _share(matched: pd.DataFrame, reason: str) -> float:
    closed = matched["closed_early"].fillna(False).astype(bool)
    early = matched[closed & (matched["closure_reason"] != "rematched")]
    return float((early["closure_reason"] == reason).mean()) if len(early) else np.nan


def build_outcomes(data: ProgramData) -> pd.DataFrame:
    """The per-mentee outcomes view (see :attr:`ProgramData.outcomes`)."""
    participants = data.participants
    mentees = participants.loc[participants["role"] == "mentee"]
    out = pd.DataFrame({"mentee_id": mentees["person_id"].to_numpy()})
    if "demographic_group" in mentees:
        out["demographic_group"] = mentees["demographic_group"].to_numpy()

    pairs = data.pairs.copy()
    program_end = data.program_start + pd.DateOffset(months=data.months)
    ends = pairs["end"].fillna(program_end)
    pairs["months"] = months_between(pairs["start"], ends)
    pairs = pairs.sort_values(["mentee_id", "start", "pair_id"])
    first = pairs.groupby("mentee_id", sort=False).head(1).set_index("mentee_id")
    per_mentee = pairs.groupby("mentee_id")
    out = out.join(first[["pair_id", "mentor_id", "strategy"]], on="mentee_id")
    if "chosen_by_mentee" in first:
        out["chosen_by_mentee"] = out["mentee_id"].map(first["chosen_by_mentee"])
    out["matched"] = out["pair_id"].notna()
    out["months_retained"] = out["mentee_id"].map(first["months"])
    reason = out["mentee_id"].map(first["end_reason"])
    out["closed_early"] = reason.isin(EARLY_CLOSURE_REASONS).astype("boolean").where(out["matched"])
    out["closure_reason"] = reason.where(out["matched"])
    out["rematched"] = (
        out["mentee_id"].map(per_mentee.size()).gt(1).astype("boolean").where(out["matched"])
    )
    out["months_in_program"] = out["mentee_id"].map(per_mentee["months"].sum())

    meetings = data.meetings.merge(pairs[["pair_id", "mentee_id"]], on="pair_id", how="left")
    by_mentee = meetings.groupby("mentee_id")["attended"]
    out["meetings_scheduled"] = out["mentee_id"].map(by_mentee.size()).where(out["matched"])
    out["meetings_attended"] = out["mentee_id"].map(by_mentee.sum()).where(out["matched"])
    out.loc[out["matched"], ["meetings_scheduled", "meetings_attended"]] = out.loc[
        out["matched"], ["meetings_scheduled", "meetings_attended"]
    ].fillna(0)

    scale = scale_scores(data.surveys)
    own = scale[scale["person_id"].isin(out["mentee_id"])]
    satisfaction = own[own["instrument"] == "satisfaction"].pivot_table(
        index="person_id", columns="wave", values="score"
    )
    for wave in WAVES[1:]:
        out[f"satisfaction_{wave}"] = (
            out["mentee_id"].map(satisfaction[wave]) if wave in satisfaction else np.nan
        )
    confidence = own[own["instrument"] == "confidence"].pivot_table(
        index="person_id", columns="wave", values="score"
    )
    out["confidence_pre"] = (
        out["mentee_id"].map(confidence["baseline"]) if "baseline" in confidence else np.nan
    )
    out["confidence_post"] = (
        out["mentee_id"].map(confidence["end"]) if "end" in confidence else np.nan
    )
    return out


def scale_scores(surveys: pd.DataFrame) -> pd.DataFrame:
    """Mean item response per person, wave and instrument (the usual scale score).

    When a person answered some items of a wave but not all, the mean of the answered
    items is used; ``n_items`` says how many.
    """
    grouped = surveys.groupby(["person_id", "wave", "instrument"], observed=True)["response"]
    return grouped.agg(score="mean", n_items="size").reset_index()
