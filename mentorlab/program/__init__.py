"""Program stage: the program data model and the month-by-month simulator."""

from .data import (
    MEETINGS_TABLE,
    PARTICIPANTS_TABLE,
    PROGRAM_PAIRS_TABLE,
    PROGRAM_TABLES,
    SURVEYS_TABLE,
    ProgramData,
    months_between,
    program_data_dictionary,
    scale_scores,
)
from .parameters import SCENARIOS, ProgramParameters, scenario_parameters, scenarios
from .simulate import run_program

__all__ = [
    "MEETINGS_TABLE",
    "PARTICIPANTS_TABLE",
    "PROGRAM_PAIRS_TABLE",
    "PROGRAM_TABLES",
    "SCENARIOS",
    "SURVEYS_TABLE",
    "ProgramData",
    "ProgramParameters",
    "months_between",
    "program_data_dictionary",
    "run_program",
    "scale_scores",
    "scenario_parameters",
    "scenarios",
]
