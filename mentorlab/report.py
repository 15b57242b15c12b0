"""Reports: plain-text and tabular views of each stage's results, for people to read."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .cohort import Cohort
from .matching import Matching
from .program import ProgramData

MATCHING_MEASURES = (
    "share matched",
    "score mean",
    "mentor load max",
    "mentor load Gini",
    "mentors with no mentee (share)",
    "requests Gini",
    "partner in top 3 (share)",
    "blocking pairs",
)


def supply_and_demand(cohort: Cohort, by: str = "specialty") -> pd.DataFrame:
    """Mentors, places offered and mentees per category of ``by``.

    A ``places_per_mentee`` below 1 flags where mentees of that kind will compete for
    mentors of the same kind (or be matched across kinds).

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> table = supply_and_demand(simulate_cohort(20, 50, seed=2))
    >>> int(table["mentees"].sum())
    50
    """
    offer = cohort.mentors.groupby(by).agg(
        mentors=("mentor_id", "size"), places=("capacity", "sum")
    )
    demand = cohort.mentees.groupby(by).agg(mentees=("mentee_id", "size"))
    table = offer.join(demand, how="outer").fillna(0).astype(int)
    table["places_per_mentee"] = (
        table["places"] / table["mentees"].where(table["mentees"] > 0)
    ).round(2)
    return table.sort_values("mentees", ascending=False)


def cohort_overview(cohort: Cohort) -> str:
    """A short text overview of a cohort: key numbers, then supply and demand by specialty."""
    lines = [
        repr(cohort),
        "",
        cohort.summary().round(2).to_string(),
        "",
        "Supply and demand by specialty:",
        supply_and_demand(cohort).to_string(),
    ]
    return "\n".join(lines)


def matching_table(matchings: Mapping[str, Matching], measures=MATCHING_MEASURES) -> pd.DataFrame:
    """Key diagnostics of several matchings side by side, one row per strategy.

    Examples
    --------
    >>> import mentorlab as ml
    >>> cohort = ml.simulate_cohort(10, 25, seed=1)
    >>> table = matching_table({s: ml.match(cohort, s, seed=1) for s in ("random", "algorithmic")})
    >>> list(table.index)
    ['random', 'algorithmic']
    """
    rows = {
        name: result.diagnostics().summary.reindex(list(measures))
        for name, result in matchings.items()
    }
    return pd.DataFrame(rows).T.rename_axis(index="strategy", columns=None)


def program_table(programs: Mapping[str, ProgramData]) -> pd.DataFrame:
    """Headline outcomes of several programs (e.g. one per strategy), one row each.

    Retention measures are over matched mentees (their first relationship);
    satisfaction over those who answered; confidence change over those who answered
    both surveys.
    """
    rows = {}
    for name, data in programs.items():
        out = data.outcomes
        matched = out[out["matched"]]
        rows[name] = {
            "matched (share)": out["matched"].mean(),
            "closed early (share)": matched["closed_early"].mean(),
            "months retained (mean)": matched["months_retained"].mean(),
            "satisfaction day 90 (mean)": matched["satisfaction_day_90"].mean(),
            "satisfaction end (mean)": matched["satisfaction_end"].mean(),
            "confidence change (mean)": (out["confidence_post"] - out["confidence_pre"]).mean(),
        }
    return pd.DataFrame(rows).T.astype(float).rename_axis(index="strategy", columns=None)
