"""What every function in :mod:`mentorlab.stats` shares: the result type and input checks.

Results are tidy DataFrames (pingouin style) of the :class:`StatsResult` subclass, which
adds a title, notes (such as rows dropped for missing values), fit information for
models, and a one-sentence plain-language reading for reports.  Column names follow one
vocabulary: ``statistic``, ``df`` (and ``df2``), ``p_value``, ``ci_low``, ``ci_high``, and
effect sizes by their exact names (``d_z``, ``d_av``, ``hedges_g``, ``cramers_v``,
``eta_sq_partial`` ...).  Model coefficient tables are indexed by ``term`` with ``coef``,
``se``, ``statistic``, ``p_value``, ``ci_low``, ``ci_high``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..errors import InputError

MIN_N = 3


class StatsResult(pd.DataFrame):
    """A result table that also knows its title, notes, fit information and reading.

    Attributes
    ----------
    title : str
        What was computed, e.g. "Paired t-test".
    notes : list of str
        Things a reader must know (rows dropped, approximations, warnings).
    fit_info : pandas.Series or None
        Models: n, log-likelihood, variance components and the like.
    model : object or None
        Models: the fitted statsmodels / lifelines object, for anything not shown here.
    reading_text : str
        One plain-language sentence for a report (see :meth:`reading`).
    """

    _metadata: ClassVar[list[str]] = ["title", "notes", "fit_info", "model", "reading_text"]

    @property
    def _constructor(self):
        return StatsResult

    def reading(self) -> str:
        """One sentence in plain language, suitable for a report."""
        return getattr(self, "reading_text", "") or ""

    def summary(self) -> str:
        """Plain-text summary: title, table, fit information and notes."""
        parts = [getattr(self, "title", "") or "Result", pd.DataFrame(self).to_string()]
        fit = getattr(self, "fit_info", None)
        if fit is not None and len(fit):
            parts.append(fit.to_string())
        for note in getattr(self, "notes", None) or []:
            parts.append(f"Note: {note}")
        if self.reading():
            parts.append(self.reading())
        return "\n\n".join(parts)

    def _repr_html_(self) -> str:
        title = getattr(self, "title", "") or ""
        html = f"<p><b>{title}</b></p>" if title else ""
        html += pd.DataFrame(self)._repr_html_()
        fit = getattr(self, "fit_info", None)
        if fit is not None and len(fit):
            html += fit.to_frame("value")._repr_html_()
        for note in getattr(self, "notes", None) or []:
            html += f"<p><i>Note: {note}</i></p>"
        if self.reading():
            html += f"<p>{self.reading()}</p>"
        return html


def make_result(
    table: pd.DataFrame,
    *,
    title: str,
    notes: Sequence[str] = (),
    reading: str = "",
    fit_info: pd.Series | dict | None = None,
    model: Any = None,
) -> StatsResult:
    """Wrap a table as a :class:`StatsResult`."""
    result = StatsResult(table)
    result.title = title
    result.notes = [n for n in notes if n]
    result.reading_text = reading
    result.fit_info = pd.Series(fit_info, dtype=object) if isinstance(fit_info, dict) else fit_info
    result.model = model
    return result


def require_columns(data: pd.DataFrame, *columns: str | Iterable[str] | None) -> list[str]:
    """The named columns (flattening lists, skipping None); InputError naming any missing."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    names: list[str] = []
    for column in columns:
        if column is None:
            continue
        if isinstance(column, str):
            names.append(column)
        else:
            names.extend(column)
    missing = [c for c in names if c not in data.columns]
    if missing:
        available = ", ".join(map(str, data.columns))
        raise InputError(
            f"column{'s' if len(missing) > 1 else ''} {', '.join(repr(c) for c in missing)} "
            f"not in the data (available: {available})",
            column=missing[0],
        )
    return names


def drop_missing(data: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows complete on ``columns``, and a note saying how many were dropped (if any)."""
    complete = data[list(columns)].notna().all(axis=1)
    dropped = int((~complete).sum())
    note = []
    if dropped:
        note.append(
            f"{dropped} of {len(data)} row{'s' if len(data) != 1 else ''} dropped for missing "
            f"values in {', '.join(columns)}"
        )
    return data.loc[complete], note


def require_n(n: int, what: str, minimum: int = MIN_N) -> None:
    """InputError when fewer than ``minimum`` observations are left."""
    if n < minimum:
        raise InputError(f"{what}: needs at least {minimum} complete observations, got {n}")


def numeric(data: pd.DataFrame, column: str) -> pd.Series:
    """The column as floats; InputError naming the column when it is not numeric."""
    try:
        return pd.to_numeric(data[column], errors="raise").astype(float)
    except (TypeError, ValueError):
        raise InputError(f"column '{column}' must be numeric", column=column) from None


def binary(data: pd.DataFrame, column: str) -> pd.Series:
    """The column as 0/1 integers (booleans and 0/1 numbers); InputError naming it otherwise."""
    values = data[column]
    if pd.api.types.is_bool_dtype(values):
        return values.astype(int)
    try:
        as_number = pd.to_numeric(values, errors="raise").astype(float)
    except (TypeError, ValueError):
        as_number = None
    if as_number is None or not as_number.isin([0.0, 1.0]).all():
        found = ", ".join(map(repr, sorted(pd.unique(values), key=str)[:6]))
        raise InputError(
            f"column '{column}' must hold 0/1 or True/False values; found {found}", column=column
        )
    return as_number.astype(int)


def check_alpha(alpha: float) -> None:
    """InputError unless 0 < alpha < 1."""
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")


def format_p(p: float) -> str:
    """APA-style p value: 'p = .034', 'p < .001'."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p not available"
    if p < 0.001:
        return "p < .001"
    return f"p = {p:.3f}".replace("0.", ".", 1)


def format_ci(low: float, high: float, digits: int = 2, level: float = 0.95) -> str:
    return f"{round(level * 100):d}% CI {low:.{digits}f} to {high:.{digits}f}"


def significance_word(p: float, alpha: float = 0.05) -> str:
    if p is None or np.isnan(p):
        return "could not be tested"
    return "statistically significant" if p < alpha else "not statistically significant"
