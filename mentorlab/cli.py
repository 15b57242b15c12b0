"""The ``mentorlab`` command line.

Each command is a thin shell over the Python API.  Problems with the user's input
(:class:`~mentorlab.errors.MentorlabError`) are printed as one clear message on stderr
with exit code 2 and no traceback; nothing is written when a command fails.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import ConfigError, InputError, MentorlabError

app = typer.Typer(
    name="mentorlab",
    help="Design and evaluate peer mentorship programs: simulate cohorts, match, run, analyse.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])
EXIT_INPUT_ERROR = 2


def _friendly_errors(command: F) -> F:
    """Turn input errors into one line on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except MentorlabError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(code=EXIT_INPUT_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mentorlab {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """mentorlab: evidence for how to match mentors and mentees."""


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


@app.command()
@_friendly_errors
def simulate(
    out: Annotated[Path, typer.Option("--out", help="Directory to write the cohort files into.")],
    mentors: Annotated[int, typer.Option("--mentors", min=0, help="Number of mentors.")] = 60,
    mentees: Annotated[int, typer.Option("--mentees", min=0, help="Number of mentees.")] = 150,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed (same seed, same cohort).")
    ] = 7,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="JSON or YAML file of CohortConfig parameters to override."),
    ] = None,
) -> None:
    """Simulate a cohort and write mentors.csv, mentees.csv, data_dictionary.csv and cohort.json."""
    from .cohort import CohortConfig, simulate_cohort

    overrides = {} if config is None else load_mapping_file(config, what="cohort configuration")
    try:
        cohort_config = CohortConfig.from_dict(overrides)
    except ConfigError as exc:
        raise ConfigError(f"{config}: {exc}") from None
    cohort = simulate_cohort(mentors, mentees, config=cohort_config, seed=seed)
    written = cohort.write(out)
    typer.echo(repr(cohort))
    typer.echo(cohort.summary().round(2).to_string())
    typer.echo("wrote " + ", ".join(str(p) for p in written))


@app.command()
@_friendly_errors
def demo(
    cohort: Annotated[
        Path, typer.Option("--cohort", help="Cohort directory (mentors.csv, mentees.csv).")
    ] = Path("data/synthetic"),
) -> None:
    """Run the main job on a cohort directory and print what it found."""
    from .cohort import Cohort
    from .report import cohort_overview

    loaded = Cohort.read(cohort)
    typer.echo(cohort_overview(loaded))


if __name__ == "__main__":  # pragma: no cover
    app()
