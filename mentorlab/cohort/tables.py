"""The mentor and mentee intake tables: columns, rules and data dictionary.

These specs are the contract for cohort data, simulated or real.  The simulator writes
exactly these columns; :meth:`mentorlab.Cohort.read` checks a directory of files
against them.
"""

from __future__ import annotations

import pandas as pd

from ..schema import ColumnSpec, RowRule, TableSpec
from ..taxonomy import (
    CAREER_STAGES,
    COMMUNICATION_MODES,
    DEMOGRAPHIC_GROUPS,
    MEETING_FREQUENCIES,
    REGIONS,
    SITE_REGIONS,
    SITES,
    SLOTS,
    SPECIALTIES,
    TOPICS,
)


def _shared_columns() -> tuple[tuple[ColumnSpec, ...], tuple[ColumnSpec, ...]]:
    """Columns both roles have: (placed before role-specific ones, placed after)."""
    before = (
        ColumnSpec("site", "category", "Site where the person practises.", allowed=SITES),
        ColumnSpec(
            "region",
            "category",
            "Region of the site (sites are grouped by region).",
            allowed=REGIONS,
        ),
        ColumnSpec(
            "team",
            "text",
            "Team within the site; people in one team share a line manager, which programs often rule out as a mentoring pair.",
        ),
        ColumnSpec(
            "specialty", "category", "Main specialty or modality of practice.", allowed=SPECIALTIES
        ),
        ColumnSpec(
            "years_in_practice",
            "int",
            "Completed years in practice since qualifying.",
            minimum=0,
            maximum=60,
            unit="years",
        ),
        ColumnSpec(
            "career_stage",
            "category",
            "Self-reported career stage; follows years in practice, with some disagreement.",
            allowed=CAREER_STAGES,
        ),
    )
    after = (
        ColumnSpec(
            "availability",
            "list",
            "Weekly slots in which the person could meet (day_period; am, pm or eve).",
            allowed=SLOTS,
            min_items=1,
        ),
        ColumnSpec(
            "meeting_frequency",
            "category",
            "Preferred meeting frequency.",
            allowed=MEETING_FREQUENCIES,
        ),
        ColumnSpec(
            "communication",
            "category",
            "Preferred way of meeting or communicating.",
            allowed=COMMUNICATION_MODES,
        ),
        ColumnSpec(
            "working_style",
            "float",
            "Intake slider from structured, goal-driven guidance (0) to exploratory, conversation-led mentoring (1).",
            minimum=0,
            maximum=1,
            unit="0-1 slider",
        ),
        ColumnSpec(
            "treatment_philosophy",
            "float",
            "Intake slider from evidence-based (0) to traditional or alternative (1) practice.",
            minimum=0,
            maximum=1,
            unit="0-1 slider",
        ),
        *(
            ColumnSpec(
                trait,
                "float",
                f"{trait.capitalize()}: mean of two inventory items (1-5, half-point steps).",
                minimum=1,
                maximum=5,
                unit="1-5 scale",
            )
            for trait in ("openness", "conscientiousness", "extraversion", "agreeableness")
        ),
        ColumnSpec(
            "demographic_group",
            "category",
            "Synthetic demographic group. Used only to check matching for fairness; never a matching criterion.",
            allowed=DEMOGRAPHIC_GROUPS,
        ),
    )
    return before, after


def _region_matches_site(table: pd.DataFrame) -> pd.Series:
    return table["region"] == table["site"].map(SITE_REGIONS)


_REGION_RULE = RowRule(
    "region", "does not match the region of the row's site", _region_matches_site
)


def _mentor_table() -> TableSpec:
    before, after = _shared_columns()
    columns = (
        ColumnSpec("mentor_id", "id", "Pseudonymous identifier of the mentor."),
        *before,
        ColumnSpec(
            "expertise",
            "list",
            "Topics the mentor can teach, from the shared topic list.",
            allowed=TOPICS,
            min_items=1,
        ),
        ColumnSpec(
            "capacity",
            "int",
            "Most mentees the mentor agrees to take at once.",
            minimum=0,
            maximum=20,
            unit="mentees",
        ),
        ColumnSpec(
            "preferred_load",
            "int",
            "Mentees the mentor would be comfortable with; above this they are overloaded.",
            minimum=0,
            maximum=20,
            unit="mentees",
        ),
        ColumnSpec(
            "prior_mentees",
            "int",
            "Mentees supervised in earlier programs (mentoring experience).",
            minimum=0,
            maximum=200,
            unit="mentees",
        ),
        *after,
    )
    rules = (
        _REGION_RULE,
        RowRule(
            "preferred_load",
            "is larger than the mentor's capacity",
            lambda t: t["preferred_load"] <= t["capacity"],
        ),
    )
    return TableSpec("mentors", "One row per mentor, as recorded at intake.", columns, rules)


def _mentee_table() -> TableSpec:
    before, after = _shared_columns()
    columns = (
        ColumnSpec("mentee_id", "id", "Pseudonymous identifier of the mentee."),
        *before,
        ColumnSpec(
            "learning_goals",
            "list",
            "Topics the mentee wants to learn, from the shared topic list.",
            allowed=TOPICS,
            min_items=1,
        ),
        ColumnSpec(
            "baseline_confidence",
            "float",
            "Mentee's true professional confidence at intake (latent; surveys measure it with error).",
            minimum=1,
            maximum=5,
            unit="1-5 scale",
        ),
        *after,
    )
    return TableSpec(
        "mentees", "One row per mentee, as recorded at intake.", columns, (_REGION_RULE,)
    )


MENTOR_TABLE = _mentor_table()
MENTEE_TABLE = _mentee_table()


def data_dictionary() -> pd.DataFrame:
    """Every column of the mentor and mentee tables: type, unit, allowed values, meaning.

    Examples
    --------
    >>> dd = data_dictionary()
    >>> dd.loc[dd["column"] == "capacity", "unit"].item()
    'mentees'
    """
    return pd.concat([MENTOR_TABLE.dictionary(), MENTEE_TABLE.dictionary()], ignore_index=True)
