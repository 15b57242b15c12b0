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
from .errors import ConfigError, InputError, MentorlabError

__version__ = "0.1.0"

__all__ = [
    "Cohort",
    "CohortConfig",
    "ConfigError",
    "InputError",
    "MentorlabError",
    "__version__",
    "as_generator",
    "data_dictionary",
    "simulate_cohort",
    "spawn_seeds",
]
