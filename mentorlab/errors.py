"""Exceptions that carry a message meant for the person at the keyboard.

The command line prints these without a traceback; notebooks show them as ordinary
exceptions.  Both subclass :class:`ValueError`, so ``except ValueError`` still works.
"""

from __future__ import annotations


class MentorlabError(ValueError):
    """Base class for errors caused by the user's input rather than by a bug."""


class ConfigError(MentorlabError):
    """A configuration value (cohort, matching or program parameters) is invalid."""


class InputError(MentorlabError):
    """A data file or table is unusable; says which file, row and column, and why.

    Attributes
    ----------
    source : str or None
        File name (or table name for in-memory data).
    row : int or None
        1-based data row (the header is not counted), when one row is to blame.
    column : str or None
        Column name, when one column is to blame.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.row = row
        self.column = column
