"""The :class:`Cohort` container: who is in the program, and how it is stored on disk."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError
from ..schema import frame_to_csv_bytes, read_csv_table, write_files_atomically
from ..taxonomy import LIST_SEPARATOR
from .config import CohortConfig
from .tables import MENTEE_TABLE, MENTOR_TABLE, data_dictionary

MENTORS_FILE = "mentors.csv"
MENTEES_FILE = "mentees.csv"
DICTIONARY_FILE = "data_dictionary.csv"
METADATA_FILE = "cohort.json"
_FORMAT = "mentorlab-cohort"
_FORMAT_VERSION = 1


@dataclass(frozen=True, eq=False)
class Cohort:
    """The people in a mentorship program: one table of mentors, one of mentees.

    Parameters
    ----------
    mentors : pandas.DataFrame
        One row per mentor; ``mentor_id`` plus the columns of
        :func:`mentorlab.data_dictionary` for table ``mentors``.
    mentees : pandas.DataFrame
        One row per mentee; ``mentee_id`` plus the ``mentees`` columns.
    config : CohortConfig, optional
        Parameters the cohort was simulated with (None for real data).
    seed : int, optional
        Integer seed the cohort was simulated with, when there was one.

    Examples
    --------
    >>> from mentorlab import simulate_cohort
    >>> cohort = simulate_cohort(10, 25, seed=3)
    >>> cohort
    Cohort(10 mentors with 21 places, 25 mentees; seed=3)
    """

    mentors: pd.DataFrame
    mentees: pd.DataFrame
    config: CohortConfig | None = None
    seed: int | None = None

    # -- size ---------------------------------------------------------------------
    @property
    def n_mentors(self) -> int:
        return len(self.mentors)

    @property
    def n_mentees(self) -> int:
        return len(self.mentees)

    @property
    def total_capacity(self) -> int:
        """Places on offer: the sum of the mentors' capacities."""
        return int(self.mentors["capacity"].sum())

    # -- checks -------------------------------------------------------------------
    def validate(self) -> Cohort:
        """Check both tables against their schema; returns a cohort with coerced types.

        Raises
        ------
        InputError
            Naming the table, row and column of the first problem.
        """
        return Cohort(
            MENTOR_TABLE.validate(self.mentors, source="mentors table"),
            MENTEE_TABLE.validate(self.mentees, source="mentees table"),
            self.config,
            self.seed,
        )

    # -- description --------------------------------------------------------------
    def summary(self) -> pd.Series:
        """Key numbers of the cohort, as a Series indexed by measure.

        Examples
        --------
        >>> from mentorlab import simulate_cohort
        >>> float(simulate_cohort(10, 25, seed=3).summary()["mentees"])
        25.0
        """
        mentors, mentees = self.mentors, self.mentees
        values = {
            "mentors": self.n_mentors,
            "mentees": self.n_mentees,
            "places (total mentor capacity)": self.total_capacity,
            "places per mentee": self.total_capacity / max(self.n_mentees, 1),
            "mentor years in practice (mean)": mentors["years_in_practice"].mean(),
            "mentee years in practice (mean)": mentees["years_in_practice"].mean(),
            "mentees in early career (share)": (mentees["career_stage"] == "early_career").mean(),
            "expertise areas per mentor (mean)": _list_lengths(mentors["expertise"]).mean(),
            "learning goals per mentee (mean)": _list_lengths(mentees["learning_goals"]).mean(),
            "mentees whose goals some mentor covers (share)": self._goal_coverage(),
            "open weekly slots per mentee (mean)": _list_lengths(mentees["availability"]).mean(),
        }
        return pd.Series(values, name="value", dtype=float).rename_axis("measure")

    def _goal_coverage(self) -> float:
        """Share of mentees each of whose goals appears in at least one mentor's expertise."""
        taught = set()
        for cell in self.mentors["expertise"]:
            taught.update(cell.split(LIST_SEPARATOR))
        if self.n_mentees == 0:
            return float("nan")
        covered = [
            set(cell.split(LIST_SEPARATOR)) <= taught for cell in self.mentees["learning_goals"]
        ]
        return float(np.mean(covered))

    def __repr__(self) -> str:
        seed = "" if self.seed is None else f"; seed={self.seed}"
        return (
            f"Cohort({self.n_mentors} mentors with {self.total_capacity} places, "
            f"{self.n_mentees} mentees{seed})"
        )

    def _repr_html_(self) -> str:
        table = self.summary().round(2).to_frame().to_html()
        return f"<p><b>{self!r}</b></p>{table}"

    # -- storage ------------------------------------------------------------------
    def write(self, directory: str | os.PathLike) -> list[Path]:
        """Write ``mentors.csv``, ``mentees.csv``, ``data_dictionary.csv`` and ``cohort.json``.

        The tables are validated first and the files are replaced all together, so a
        failure leaves the directory untouched.  Returns the paths written.
        """
        checked = self.validate()
        metadata = {
            "format": _FORMAT,
            "format_version": _FORMAT_VERSION,
            "n_mentors": self.n_mentors,
            "n_mentees": self.n_mentees,
            "seed": self.seed,
            "config": None if self.config is None else self.config.to_dict(),
        }
        return write_files_atomically(
            directory,
            {
                MENTORS_FILE: frame_to_csv_bytes(checked.mentors),
                MENTEES_FILE: frame_to_csv_bytes(checked.mentees),
                DICTIONARY_FILE: frame_to_csv_bytes(data_dictionary()),
                METADATA_FILE: (json.dumps(metadata, indent=2) + "\n").encode("utf-8"),
            },
        )

    @classmethod
    def read(cls, directory: str | os.PathLike) -> Cohort:
        """Load a cohort written by :meth:`write` (or real intake files in the same format).

        ``cohort.json`` is optional; the two CSV files are required and validated.

        Raises
        ------
        InputError
            If a file is missing or a value is invalid (naming file, row and column).
        """
        directory = Path(directory)
        if not directory.is_dir():
            raise InputError(f"{directory}: no such directory (expected a cohort folder)")
        mentors = read_csv_table(directory / MENTORS_FILE, MENTOR_TABLE)
        mentees = read_csv_table(directory / MENTEES_FILE, MENTEE_TABLE)
        config, seed = _read_metadata(directory / METADATA_FILE)
        return cls(mentors, mentees, config, seed)


def _list_lengths(cells: pd.Series) -> pd.Series:
    return cells.str.count(LIST_SEPARATOR) + 1


def _read_metadata(path: Path) -> tuple[CohortConfig | None, int | None]:
    if not path.is_file():
        return None, None
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})", source=path.name) from None
    if not isinstance(metadata, dict) or metadata.get("format") != _FORMAT:
        raise InputError(f"{path}: not a mentorlab cohort description", source=path.name)
    try:
        config = (
            None if metadata.get("config") is None else CohortConfig.from_dict(metadata["config"])
        )
    except (ConfigError, TypeError) as exc:
        raise InputError(f"{path}: invalid config: {exc}", source=path.name) from None
    seed = metadata.get("seed")
    return config, (int(seed) if isinstance(seed, int) else None)
