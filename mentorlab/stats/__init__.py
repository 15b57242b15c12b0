"""Outcome statistics: retention, satisfaction and pre/post tests an evaluator can trust.

Plain functions that take a DataFrame and column names and return tidy result tables
(:class:`~mentorlab.stats._core.StatsResult`), computed with statsmodels, pingouin,
lifelines and scipy.
"""

from ._core import StatsResult

__all__ = ["StatsResult"]
