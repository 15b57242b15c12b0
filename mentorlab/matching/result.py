"""The result of matching a cohort: pairs with explanations, unmatched mentees, diagnostics."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..compatibility import CRITERION_NAMES
from ..schema import ColumnSpec, TableSpec, frame_to_csv_bytes, write_files_atomically
from .problem import Assignment, MatchingProblem, loads


def _pairs_table() -> TableSpec:
    columns = (
        ColumnSpec("mentee_id", "id", "Mentee in the pair (each mentee appears at most once)."),
        ColumnSpec("mentor_id", "text", "Mentor in the pair."),
        ColumnSpec("strategy", "text", "Strategy (or trial arm) that formed the pair."),
        ColumnSpec(
            "score", "float", "Weighted compatibility score of the pair.", minimum=0, maximum=1
        ),
        ColumnSpec(
            "chosen_by_mentee",
            "int",
            "1 if the mentee picked this mentor themselves (self-selection), else 0.",
            minimum=0,
            maximum=1,
        ),
        ColumnSpec(
            "circle_id",
            "text",
            "Mentoring circle (group strategy); empty otherwise.",
            nullable=True,
        ),
        *(
            ColumnSpec(
                name,
                "float",
                f"Contribution of the '{name}' criterion to the score.",
                minimum=0,
                maximum=1,
            )
            for name in CRITERION_NAMES
        ),
    )
    return TableSpec("pairs", "One row per matched mentee.", columns)


PAIRS_TABLE = _pairs_table()


def pairs_input_table() -> TableSpec:
    """PAIRS_TABLE with only the two ids required: what a program run needs as input."""
    from dataclasses import replace

    columns = tuple(
        c if c.name in ("mentee_id", "mentor_id") else replace(c, required=False, nullable=True)
        for c in PAIRS_TABLE.columns
    )
    return TableSpec("pairs", "Pairs to start a program with (only the ids are required).", columns)


CSV_DECIMALS = 6


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = all equal; near 1 = all on one).

    Examples
    --------
    >>> gini(np.array([1, 1, 1, 1]))
    0.0
    >>> gini(np.array([0, 0, 0, 4]))
    0.75
    """
    x = np.sort(np.asarray(values, dtype=float))
    if x.size == 0 or x.sum() == 0:
        return 0.0
    n = x.size
    return float(2 * np.sum(np.arange(1, n + 1) * x) / (n * x.sum()) - (n + 1) / n)


def blocking_pairs(
    mentor_of: np.ndarray,
    mentee_view: np.ndarray,
    mentor_view: np.ndarray,
    capacity: np.ndarray,
    allowed: np.ndarray,
) -> int:
    """Number of allowed pairs who would both rather be together than as matched.

    A mentee and a mentor block a matching when the mentee prefers the mentor to their
    partner (or is unmatched) and the mentor either has a free place or prefers the mentee
    to one of the mentees they hold.
    """
    n, m = mentee_view.shape
    matched = mentor_of >= 0
    rows = np.arange(n)
    current = np.full(n, -np.inf)
    current[matched] = mentee_view[rows[matched], mentor_of[matched]]
    worst_held = np.full(m, np.inf)
    np.minimum.at(worst_held, mentor_of[matched], mentor_view[rows[matched], mentor_of[matched]])
    load = loads(mentor_of, m)
    threshold = np.where(load < capacity, -np.inf, worst_held)
    threshold = np.where(capacity > 0, threshold, np.inf)
    wants = mentee_view > current[:, None]
    welcome = mentor_view > threshold[None, :]
    together = np.zeros((n, m), dtype=bool)
    together[rows[matched], mentor_of[matched]] = True
    return int((allowed & wants & welcome & ~together).sum())


@dataclass(frozen=True, eq=False)
class MatchDiagnostics:
    """How a matching turned out.

    Attributes
    ----------
    summary : pandas.Series
        Coverage, scores, mentor load (max, Gini), request concentration, partner ranks,
        blocking pairs.
    by_group : pandas.DataFrame
        Mentees, matched rate and mean score per demographic group.
    mentor_load : pandas.DataFrame
        One row per mentor: capacity, preferred load, mentees held, requests received.
    partner_rank : pandas.Series
        Matched mentees by the rank their mentor has among all mentors allowed to them
        (1 = the best-scoring one).
    """

    summary: pd.Series
    by_group: pd.DataFrame
    mentor_load: pd.DataFrame
    partner_rank: pd.Series

    def to_text(self) -> str:
        parts = [
            self.summary.round(3).to_string(),
            "",
            "By demographic group:",
            self.by_group.round(3).to_string(),
            "",
            "Partner rank (mentor's rank among the mentee's options):",
            self.partner_rank.to_string(),
        ]
        return "\n".join(parts)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return (
            self.summary.round(3).to_frame().to_html()
            + "<p>By demographic group</p>"
            + self.by_group.round(3).to_html()
        )


@dataclass(frozen=True, eq=False)
class Matching:
    """Who was paired with whom, by which strategy, and why.

    Attributes
    ----------
    strategy : str
    options : dict
        Strategy options used.
    pairs : pandas.DataFrame
        One row per matched mentee (columns of :data:`PAIRS_TABLE`): ids, score, whether
        the mentee chose the mentor, circle, and each criterion's contribution (they sum
        to ``score``).
    unmatched : pandas.DataFrame
        ``mentee_id`` and ``reason`` for every mentee left without a mentor.
    problem : MatchingProblem
        Cohort, scores and constraints the strategy worked on.
    assignment : Assignment
        The strategy's raw output (mentor index per mentee and extras).
    seed : int or None
    """

    strategy: str
    options: dict[str, Any]
    pairs: pd.DataFrame
    unmatched: pd.DataFrame
    problem: MatchingProblem
    assignment: Assignment
    seed: int | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def mentor_of(self) -> np.ndarray:
        """Mentor index per mentee (row order of ``cohort.mentees``), -1 when unmatched."""
        return self.assignment.mentor_of

    @property
    def chemistry(self) -> np.ndarray | None:
        return self.problem.chemistry

    @property
    def share_matched(self) -> float:
        return float((self.mentor_of >= 0).mean()) if self.mentor_of.size else float("nan")

    def __repr__(self) -> str:
        return (
            f"Matching(strategy={self.strategy!r}, {len(self.pairs)} of "
            f"{self.problem.n_mentees} mentees matched, mean score "
            f"{self.pairs['score'].mean():.3f})"
        )

    def explain(self, mentee_id: str) -> pd.DataFrame:
        """Criterion-by-criterion explanation of one mentee's pair."""
        row = self.pairs.loc[self.pairs["mentee_id"] == mentee_id]
        if row.empty:
            reason = self.unmatched.loc[self.unmatched["mentee_id"] == mentee_id, "reason"]
            detail = reason.iloc[0] if len(reason) else "not in this cohort"
            raise KeyError(f"mentee '{mentee_id}' has no mentor ({detail})")
        return self.problem.compatibility.explain(mentee_id, row["mentor_id"].iloc[0])

    def write(self, path: str | os.PathLike) -> Path:
        """Write the pairs table as CSV (atomically: all or nothing)."""
        path = Path(path)
        written = write_files_atomically(
            path.parent if str(path.parent) else ".", {path.name: frame_to_csv_bytes(self.pairs)}
        )
        return written[0]

    def diagnostics(self) -> MatchDiagnostics:
        """Coverage, score, load, request, rank, stability and fairness measures."""
        if "diagnostics" not in self._cache:
            self._cache["diagnostics"] = _diagnose(self)
        return self._cache["diagnostics"]


def build_matching(
    strategy: str,
    options: dict[str, Any],
    problem: MatchingProblem,
    assignment: Assignment,
    seed: int | None,
) -> Matching:
    """Turn a strategy's raw assignment into a :class:`Matching` with explanations."""
    mentor_of = assignment.mentor_of
    matched = np.flatnonzero(mentor_of >= 0)
    pairs = problem.compatibility.pair_table(matched, mentor_of[matched])
    pairs.insert(2, "strategy", strategy)
    pairs.insert(4, "chosen_by_mentee", assignment.chosen_by_mentee[matched].astype(np.int64))
    circle = (
        assignment.circle[matched]
        if assignment.circle is not None
        else np.full(matched.size, np.nan)
    )
    pairs.insert(5, "circle_id", pd.Series(circle, dtype=object).replace("", np.nan).to_numpy())
    unmatched_rows = np.flatnonzero(mentor_of < 0)
    unmatched = pd.DataFrame(
        {
            "mentee_id": problem.compatibility.mentee_ids[unmatched_rows],
            "reason": assignment.reason[unmatched_rows],
        }
    )
    return Matching(
        strategy, options, pairs.reset_index(drop=True), unmatched, problem, assignment, seed
    )


def _diagnose(matching: Matching) -> MatchDiagnostics:
    problem, assignment = matching.problem, matching.assignment
    mentor_of = assignment.mentor_of
    n, m = problem.n_mentees, problem.n_mentors
    matched = mentor_of >= 0
    rows = np.flatnonzero(matched)
    scores = problem.scores[rows, mentor_of[rows]]
    load = loads(mentor_of, m)
    mentors = problem.cohort.mentors
    requests = assignment.requests

    partner_rank = _partner_ranks(problem, mentor_of)
    mentee_view = assignment.mentee_view if assignment.mentee_view is not None else problem.scores
    mentor_view = assignment.mentor_view if assignment.mentor_view is not None else problem.scores
    summary = {
        "mentees": n,
        "matched": int(matched.sum()),
        "share matched": matched.mean() if n else np.nan,
        "score mean": scores.mean() if scores.size else np.nan,
        "score median": np.median(scores) if scores.size else np.nan,
        "mentors with no mentee (share)": (load == 0).mean() if m else np.nan,
        "mentor load max": load.max() if m else 0,
        "mentor load Gini": gini(load),
        "mentors above preferred load (share)": (load > mentors["preferred_load"].to_numpy()).mean()
        if m
        else np.nan,
        "requests Gini": gini(requests) if requests is not None else np.nan,
        "requests to top 10% of mentors (share)": _top_share(requests, 0.10)
        if requests is not None
        else np.nan,
        "partner rank median": np.median(partner_rank) if partner_rank.size else np.nan,
        "partner is first choice (share)": (partner_rank == 1).mean()
        if partner_rank.size
        else np.nan,
        "partner in top 3 (share)": (partner_rank <= 3).mean() if partner_rank.size else np.nan,
        "blocking pairs": blocking_pairs(
            mentor_of, mentee_view, mentor_view, problem.capacity, problem.allowed
        ),
        "chose own mentor (share of matched)": assignment.chosen_by_mentee[matched].mean()
        if matched.any()
        else np.nan,
    }
    if assignment.circle is not None:
        summary["circle goal similarity (mean Jaccard)"] = _circle_similarity(problem, mentor_of)
    summary_series = pd.Series(summary, name="value", dtype=float).rename_axis("measure")

    group = problem.cohort.mentees["demographic_group"].to_numpy()
    per_mentee = pd.DataFrame({"demographic_group": group, "matched": matched, "score": np.nan})
    per_mentee.loc[matched, "score"] = scores
    by_group = per_mentee.groupby("demographic_group").agg(
        mentees=("matched", "size"), matched_rate=("matched", "mean"), mean_score=("score", "mean")
    )
    mentor_load = pd.DataFrame(
        {
            "mentor_id": mentors["mentor_id"].to_numpy(),
            "capacity": problem.capacity,
            "preferred_load": mentors["preferred_load"].to_numpy(),
            "load": load,
            "requests": requests if requests is not None else np.full(m, np.nan),
        }
    )
    return MatchDiagnostics(summary_series, by_group, mentor_load, _rank_buckets(partner_rank))


def _partner_ranks(problem: MatchingProblem, mentor_of: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(mentor_of >= 0)
    mine = problem.scores[rows, mentor_of[rows]]
    better = problem.allowed[rows] & (problem.scores[rows] > mine[:, None])
    return 1 + better.sum(axis=1)


def _rank_buckets(ranks: np.ndarray) -> pd.Series:
    labels = ["1", "2", "3", "4-5", "6-10", "11+"]
    buckets = pd.cut(ranks, bins=[0, 1, 2, 3, 5, 10, np.inf], labels=labels)
    return (
        pd.Series(buckets)
        .value_counts()
        .reindex(labels, fill_value=0)
        .rename("mentees")
        .rename_axis("rank")
    )


def _top_share(values: np.ndarray, share: float) -> float:
    total = values.sum()
    if total == 0:
        return 0.0
    k = max(1, int(np.ceil(share * values.size)))
    return float(np.sort(values)[::-1][:k].sum() / total)


def _circle_similarity(problem: MatchingProblem, mentor_of: np.ndarray) -> float:
    """Mean goal similarity (Jaccard) over all pairs of mentees sharing a circle."""
    from .strategies import jaccard_rows

    topics = problem.compatibility.features.mentee_topics
    values = []
    for mentor in np.unique(mentor_of[mentor_of >= 0]):
        members = np.flatnonzero(mentor_of == mentor).tolist()
        for position, mentee in enumerate(members[:-1]):
            values.extend(jaccard_rows(topics, mentee, members[position + 1 :]).tolist())
    return float(np.mean(values)) if values else float("nan")
