"""A small schema layer: one description of each table gives its validation and its docs.

Each table that mentorlab reads or writes is described once, as a :class:`TableSpec` made
of :class:`ColumnSpec` entries.  From that single description come

* a :mod:`pandera` schema that coerces and checks every column,
* cross-column rules (:class:`RowRule`) checked after the columns,
* the data dictionary (:meth:`TableSpec.dictionary`) written beside the data, and
* friendly errors: the first problems found are reported as one
  :class:`~mentorlab.errors.InputError` that names the file, the row and the column.

Cells that hold several values (topics, availability slots) are ``;``-separated strings,
so every table stays one row per entity and round-trips through CSV unchanged.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .errors import InputError
from .taxonomy import LIST_SEPARATOR

ColumnKind = Literal["id", "category", "list", "int", "float", "text", "date"]

_PANDAS_DTYPE: dict[str, str | type] = {
    "id": str,
    "category": str,
    "list": str,
    "text": str,
    "int": "int64",
    "float": "float64",
    "date": "datetime64[ns]",
}
_TYPE_NAME = {
    "id": "identifier",
    "category": "category",
    "list": f"list ('{LIST_SEPARATOR}'-separated)",
    "text": "text",
    "int": "integer",
    "float": "number",
    "date": "date (YYYY-MM-DD)",
}
MAX_REPORTED_PROBLEMS = 5


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its type, allowed values and meaning.

    Parameters
    ----------
    name : str
        Column name as it appears in the file header.
    kind : {"id", "category", "list", "int", "float", "text"}
        ``id`` values are unique, non-empty strings; ``category`` takes one value from
        ``allowed``; ``list`` takes zero or more values from ``allowed`` joined by ``;``.
    description : str
        What the column means, for the data dictionary.
    allowed : tuple of str, optional
        Vocabulary of ``category`` and ``list`` columns.
    minimum, maximum : float, optional
        Inclusive bounds of ``int`` and ``float`` columns.
    min_items : int
        Smallest number of entries in a ``list`` cell.
    nullable : bool
        Whether empty cells are allowed.
    unit : str
        Unit or scale, for the data dictionary.
    required : bool
        Whether the column must be present (optional columns may be left out of a file).
    """

    name: str
    kind: ColumnKind
    description: str
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_items: int = 0
    nullable: bool = False
    unit: str = ""
    required: bool = True

    @property
    def pandas_dtype(self) -> str:
        """The dtype a validated column has ('object' for text, 'int64' or nullable 'Int64', ...)."""
        kind = _PANDAS_DTYPE[self.kind]
        if kind is str:
            return "object"
        return "Int64" if self.kind == "int" and self.nullable else str(kind)

    def value_domain(self) -> str:
        """Allowed values or range as text (for the data dictionary and messages)."""
        if self.allowed is not None:
            return " | ".join(self.allowed)
        if self.minimum is not None or self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            return f"[{low}, {high}]"
        return ""

    def pandera_column(self):  # -> pandera.pandas.Column (imported lazily: slow import)
        import pandera.pandas as pa

        dtype = _PANDAS_DTYPE[self.kind] if self.kind != "int" else self.pandas_dtype
        return pa.Column(
            dtype,
            checks=self._checks(),
            nullable=self.nullable,
            unique=self.kind == "id",
            coerce=True,
            required=self.required,
        )

    def _checks(self) -> list:
        import pandera.pandas as pa

        checks = []
        if self.kind == "id":
            checks.append(
                pa.Check(lambda s: s.eq(s.str.strip()), error="has leading or trailing spaces")
            )
        if self.kind == "category" and self.allowed is not None:
            checks.append(
                pa.Check.isin(self.allowed, error=f"must be one of: {self.value_domain()}")
            )
        if self.kind == "list" and self.allowed is not None:
            allowed = frozenset(self.allowed)
            checks.append(
                pa.Check(
                    lambda v: set(v.split(LIST_SEPARATOR)) - {""} <= allowed,
                    element_wise=True,
                    error=f"every entry must be one of: {self.value_domain()}",
                )
            )
            checks.append(
                pa.Check(
                    lambda v: len(v.split(LIST_SEPARATOR)) == len(set(v.split(LIST_SEPARATOR))),
                    element_wise=True,
                    error="lists a value twice",
                )
            )
        if self.kind == "list" and self.min_items > 0:
            checks.append(
                pa.Check(
                    lambda v: len([x for x in v.split(LIST_SEPARATOR) if x]) >= self.min_items,
                    element_wise=True,
                    error=f"needs at least {self.min_items} entr{'y' if self.min_items == 1 else 'ies'}",
                )
            )
        if self.kind in ("int", "float"):
            checks.append(
                pa.Check(lambda s: np.isfinite(s.astype(float)), error="must be a finite number")
            )
            if self.minimum is not None:
                checks.append(pa.Check.ge(self.minimum, error=f"must be at least {self.minimum:g}"))
            if self.maximum is not None:
                checks.append(pa.Check.le(self.maximum, error=f"must be at most {self.maximum:g}"))
        return checks


@dataclass(frozen=True)
class RowRule:
    """A rule that relates several columns of the same row.

    ``check`` receives the validated (typed) table and returns a boolean Series that is
    True where the row is fine; ``column`` is the column named in the error message.
    """

    column: str
    message: str
    check: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class TableSpec:
    """A table: its columns in order and its cross-column rules."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    rules: tuple[RowRule, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def dictionary(self) -> pd.DataFrame:
        """The data dictionary of this table, one row per column."""
        return pd.DataFrame(
            {
                "table": self.name,
                "column": [c.name for c in self.columns],
                "type": [_TYPE_NAME[c.kind] for c in self.columns],
                "unit": [c.unit for c in self.columns],
                "allowed_values": [c.value_domain() for c in self.columns],
                "required": ["yes" if c.required else "no" for c in self.columns],
                "may_be_empty": ["yes" if c.nullable else "no" for c in self.columns],
                "description": [c.description for c in self.columns],
            }
        )

    def validate(self, frame: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
        """Check and coerce ``frame``; return it typed, in column order, with a RangeIndex.

        Parameters
        ----------
        frame : pandas.DataFrame
            Raw strings (as read from CSV) or already-typed values.
        source : str, optional
            File or table name used in error messages; a name ending in ``.csv`` makes
            messages also give the line number in the file.

        Raises
        ------
        InputError
            Naming the source, row and column of the first problems found.
        """
        import pandera.pandas as pa

        source = source or f"{self.name} table"
        frame = frame.reset_index(drop=True)
        self._check_header(frame, source)
        frame = self._parse_dates(frame, source)
        schema = pa.DataFrameSchema(
            {c.name: c.pandera_column() for c in self.columns}, strict=True, coerce=True
        )
        try:
            typed = schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors as exc:
            raise self._describe_failures(exc.failure_cases, source) from None
        typed = typed[[c for c in self.column_names if c in typed.columns]]
        for rule in self.rules:
            ok = rule.check(typed).to_numpy(dtype=bool)
            if not ok.all():
                bad = np.flatnonzero(~ok)
                raise _input_error(source, int(bad[0]), rule.column, rule.message, len(bad) - 1)
        return typed

    def conform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Cast the columns of a table built in code to the dtypes validation gives.

        Cheap (no checks): for generated tables that are correct by construction, so that
        they compare equal to the same table written and read back.
        """
        columns = {}
        for spec in self.columns:
            if spec.name not in frame:
                continue
            values = frame[spec.name]
            if spec.pandas_dtype == "object":
                values = values.astype(object).where(values.notna(), np.nan)
            else:
                values = values.astype(spec.pandas_dtype)
            columns[spec.name] = values
        return pd.DataFrame(columns, index=frame.index)

    def _check_header(self, frame: pd.DataFrame, source: str) -> None:
        names = [str(c) for c in frame.columns]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise InputError(
                f"{source}: column '{duplicated[0]}' appears more than once",
                source=source,
                column=duplicated[0],
            )
        missing = [c.name for c in self.columns if c.required and c.name not in names]
        if missing:
            raise InputError(
                f"{source}: missing column{'s' if len(missing) > 1 else ''} "
                + ", ".join(f"'{m}'" for m in missing)
                + f" (a {self.name} table needs: {', '.join(self.column_names)})",
                source=source,
                column=missing[0],
            )
        unexpected = [n for n in names if n not in self.column_names]
        if unexpected:
            raise InputError(
                f"{source}: unexpected column{'s' if len(unexpected) > 1 else ''} "
                + ", ".join(f"'{u}'" for u in unexpected)
                + " (remove it, or check the spelling of the header)",
                source=source,
                column=unexpected[0],
            )

    def _parse_dates(self, frame: pd.DataFrame, source: str) -> pd.DataFrame:
        """Read date columns strictly as YYYY-MM-DD (pandas would guess at 01/02/2026)."""
        for spec in self.columns:
            if spec.kind != "date" or spec.name not in frame:
                continue
            values = frame[spec.name]
            if pd.api.types.is_datetime64_any_dtype(values):
                continue
            text = values.astype("string").str.strip()
            parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            bad = np.flatnonzero(
                (text.notna() & (text != "")).to_numpy(dtype=bool) & parsed.isna().to_numpy()
            )
            if bad.size:
                row = int(bad[0])
                raise _input_error(
                    source,
                    row,
                    spec.name,
                    f"'{values.iloc[row]}' is not a date (YYYY-MM-DD)",
                    bad.size - 1,
                )
            frame = frame.assign(**{spec.name: parsed})
        return frame

    def _describe_failures(self, cases: pd.DataFrame, source: str) -> InputError:
        everything = cases
        cases = cases[cases["index"].notna()]
        first_use = _first_rows_of_duplicates(cases)
        problems = []
        for case in cases.itertuples(index=False):
            row, column = int(case.index), str(case.column)
            if case.check == "field_uniqueness":
                earlier = first_use[(column, case.failure_case)]
                if row == earlier:
                    continue  # the first use of an identifier is not the problem
                reason = (
                    f"duplicate identifier '{case.failure_case}' (first used in row {earlier + 1})"
                )
            else:
                reason = _explain(case, self.column(column))
            problems.append((row, self.column_names.index(column), column, reason))
        problems = sorted(set(problems))
        if not problems:  # a whole-table problem pandera could not pin to a row
            first = everything.iloc[0]
            return InputError(
                f"{source}: {first['check']} ({first['failure_case']})", source=source
            )
        row, _, column, reason = problems[0]
        error = _input_error(source, row, column, reason, len(problems) - 1)
        if len(problems) > 1:
            listed = [
                _locate(source, r, c) + f": {why}"
                for r, _, c, why in problems[1:MAX_REPORTED_PROBLEMS]
            ]
            error.args = (error.args[0] + "\n  " + "\n  ".join(listed),)
        return error


def _explain(case, spec: ColumnSpec) -> str:
    check = str(case.check)
    value = case.failure_case
    if check == "not_nullable":
        return "is empty"
    if check.startswith("coerce_dtype") or check.startswith("dtype("):
        expected = {"int": "a whole number", "date": "a date (YYYY-MM-DD)"}.get(
            spec.kind, "a number"
        )
        return f"'{value}' is not {expected}"
    if spec.kind == "list" and spec.allowed is not None and check.startswith("every"):
        unknown = [item for item in str(value).split(LIST_SEPARATOR) if item not in spec.allowed]
        return (
            f"unknown entr{'y' if len(unknown) == 1 else 'ies'} "
            + ", ".join(f"'{item}'" for item in unknown)
            + f" (allowed: {spec.value_domain()})"
        )
    return f"'{value}' {check}"


def _first_rows_of_duplicates(cases: pd.DataFrame) -> dict[tuple[str, object], int]:
    duplicates = cases[cases["check"] == "field_uniqueness"]
    return {
        (str(column), value): int(rows.min())
        for (column, value), rows in duplicates.groupby(["column", "failure_case"])["index"]
    }


def _locate(source: str, position: int, column: str | None) -> str:
    where = f"{source}, row {position + 1}"
    if source.endswith(".csv"):
        where += f" (line {position + 2})"
    if column is not None:
        where += f", column '{column}'"
    return where


def _input_error(source: str, position: int, column: str, reason: str, more: int) -> InputError:
    message = f"{_locate(source, position, column)}: {reason}"
    if more > 0:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return InputError(message, source=source, row=position + 1, column=column)


def read_csv_table(path: str | os.PathLike, spec: TableSpec) -> pd.DataFrame:
    """Read one CSV file and validate it against ``spec``.

    Every cell is read as text first and converted by the schema, so a badly typed cell
    is reported with its row and column instead of silently becoming a float or NaN.

    Raises
    ------
    InputError
        If the file is missing, unreadable or does not match ``spec``.
    """
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise InputError(
            f"{path}: file not found (expected the {spec.name} table here)", source=source
        )
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise InputError(
            f"{path}: the file is empty (it needs a header row)", source=source
        ) from None
    except pd.errors.ParserError as exc:
        raise InputError(
            f"{path}: not a well-formed CSV file ({_first_line(exc)})", source=source
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save it as CSV UTF-8", source=source) from None
    return spec.validate(raw, source=source)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def write_files_atomically(directory: str | os.PathLike, contents: dict[str, bytes]) -> list[Path]:
    """Write several files so that either all of them are replaced or none is.

    Each file goes to a temporary name first; only when every one is on disk are they
    renamed into place, so an error half-way leaves the directory as it was.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in contents.items():
            final = directory / name
            temp = directory / f".{name}.tmp-{os.getpid()}"
            temp.write_bytes(data)
            staged.append((temp, final))
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    for temp, final in staged:
        os.replace(temp, final)
    return [final for _, final in staged]


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV bytes with a fixed format (``\\n`` line ends, no index) for reproducible files."""
    return frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8")


def list_cell(items: Sequence[str]) -> str:
    """Join items into one ``;``-separated cell."""
    return LIST_SEPARATOR.join(items)


def load_mapping_file(path: Path, *, what: str) -> dict[str, Any]:
    """Read a JSON or YAML file holding one mapping (for configs and weights)."""
    if not path.is_file():
        raise InputError(f"{path}: file not found (expected the {what})", source=path.name)
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            values = yaml.safe_load(text)
        else:
            values = json.loads(text)
    except Exception as exc:  # any parser error is the user's file, not our bug
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"{path}: could not parse the {what} ({reason})", source=path.name
        ) from None
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise InputError(
            f"{path}: the {what} must be a mapping of names to values", source=path.name
        )
    return values
