"""Outcome statistics: retention, satisfaction and pre/post tests an evaluator can trust.

Plain functions that take a DataFrame and column names and return tidy result tables
(:class:`StatsResult`: a DataFrame with a title, notes, fit information and a one-line
plain-language ``reading()``), computed with statsmodels, pingouin, lifelines and scipy.

==============  ==================================================================
retention       :func:`proportions`, :func:`km_table`, :func:`logrank`, :func:`cox`,
                :func:`logistic`
satisfaction    :func:`compare_groups`, :func:`posthoc`, :func:`mixed_model`,
                :func:`ordinal`, :func:`reliability`, :func:`icc`
pre/post        :func:`paired_change`, :func:`mcnemar`, :func:`attrition`,
                :func:`attrition_bounds`, :func:`did`
several tests   :func:`adjust_p`, :func:`tost`
power           :func:`power_two_groups`, :func:`design_effect`, :func:`effective_n`
==============  ==================================================================
"""

from ._core import StatsResult
from .multiplicity import adjust_p, tost
from .power import design_effect, effective_n, power_two_groups
from .prepost import attrition, attrition_bounds, did, mcnemar, paired_change
from .retention import cox, km_table, logistic, logrank, proportions
from .satisfaction import compare_groups, icc, mixed_model, ordinal, posthoc, reliability

__all__ = [
    "StatsResult",
    "adjust_p",
    "attrition",
    "attrition_bounds",
    "compare_groups",
    "cox",
    "design_effect",
    "did",
    "effective_n",
    "icc",
    "km_table",
    "logistic",
    "logrank",
    "mcnemar",
    "mixed_model",
    "ordinal",
    "paired_change",
    "posthoc",
    "power_two_groups",
    "proportions",
    "reliability",
    "tost",
]
