"""Cohort stage: who is in the program (simulated or read from intake files)."""

from .cohort import Cohort
from .config import CohortConfig
from .simulate import simulate_cohort
from .tables import MENTEE_TABLE, MENTOR_TABLE, data_dictionary

__all__ = [
    "MENTEE_TABLE",
    "MENTOR_TABLE",
    "Cohort",
    "CohortConfig",
    "data_dictionary",
    "simulate_cohort",
]
