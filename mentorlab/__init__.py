"""mentorlab: design and evaluate peer mentorship programs.

The pipeline, one module per stage::

    cohort -> compatibility -> matching -> program -> stats -> experiment -> report

Examples
--------
>>> import mentorlab as ml
>>> cohort = ml.simulate_cohort(12, 30, seed=7)
>>> cohort.n_mentees
30
"""

from ._seed import as_generator, spawn_seeds
from .cohort import Cohort, CohortConfig, data_dictionary, simulate_cohort
from .compatibility import (
    CRITERIA,
    Compatibility,
    Weights,
    compatibility,
    criteria_table,
    draw_chemistry,
    forbidden_pairs,
)
from .errors import ConfigError, InputError, MentorlabError
from .matching import (
    STRATEGY_NAMES,
    MatchDiagnostics,
    Matching,
    deferred_acceptance,
    match,
    match_arms,
    optimal_assignment,
)
from .program import ProgramData, ProgramParameters, run_program, scenarios

__version__ = "0.1.0"

__all__ = [
    "CRITERIA",
    "STRATEGY_NAMES",
    "Cohort",
    "CohortConfig",
    "Compatibility",
    "ConfigError",
    "InputError",
    "MatchDiagnostics",
    "Matching",
    "MentorlabError",
    "ProgramData",
    "ProgramParameters",
    "Weights",
    "__version__",
    "as_generator",
    "compatibility",
    "criteria_table",
    "data_dictionary",
    "deferred_acceptance",
    "draw_chemistry",
    "forbidden_pairs",
    "match",
    "match_arms",
    "optimal_assignment",
    "run_program",
    "scenarios",
    "simulate_cohort",
    "spawn_seeds",
    "stats",
]


def __getattr__(name: str):
    # The statistics stack (statsmodels, pingouin, lifelines) takes seconds to import;
    # load it on first use of ``mentorlab.stats`` rather than with the package.
    if name == "stats":
        import importlib

        return importlib.import_module(".stats", __name__)
    raise AttributeError(f"module 'mentorlab' has no attribute {name!r}")
