"""The ``mentorlab`` command line.

Each command is a thin shell over the Python API.  Problems with the user's input
(:class:`~mentorlab.errors.MentorlabError`) are printed as one clear message on stderr
with exit code 2 and no traceback; nothing is written when a command fails.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import ConfigError, MentorlabError
from .schema import load_mapping_file

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


def _parse_options(pairs: list[str], *, flag: str = "--option") -> dict[str, Any]:
    """``["browse=10", "fallback=coordinator"]`` -> {"browse": 10, "fallback": "coordinator"}."""
    options: dict[str, Any] = {}
    for item in pairs:
        if "=" not in item:
            raise ConfigError(f"{flag} expects NAME=VALUE, got '{item}'")
        name, text = (part.strip() for part in item.split("=", 1))
        options[name] = parse_value(text)
    return options


def parse_value(text: str) -> Any:
    """Read a command-line value: true/false, then int, then float, else the text itself."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


@app.command("match")
@_friendly_errors
def match_command(
    cohort: Annotated[
        Path, typer.Option("--cohort", help="Cohort directory (mentors.csv, mentees.csv).")
    ],
    strategy: Annotated[
        str,
        typer.Option(
            "--strategy",
            help="random, self_selection, administrative, algorithmic, stable, hybrid or group.",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="CSV file to write the pairs (with explanations) to.")
    ],
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="JSON or YAML mapping of criterion weights (unlisted criteria weigh 0).",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of the strategy.")] = 0,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option", "-o", help="Strategy option NAME=VALUE (repeatable), e.g. -o browse=10."
        ),
    ] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", help="Never form a pair scoring below this.")
    ] = None,
    allow_same_team: Annotated[
        bool,
        typer.Option(
            "--allow-same-team", help="Allow pairs who share a line manager (forbidden by default)."
        ),
    ] = False,
    forbidden: Annotated[
        Path | None,
        typer.Option(
            "--forbidden",
            help="CSV of pairs never to form (mentee_id, mentor_id), e.g. earlier pairs.",
        ),
    ] = None,
) -> None:
    """Match a cohort with one strategy, write the pairs and print diagnostics."""
    from .cohort import Cohort
    from .compatibility import FORBIDDEN_TABLE, Weights
    from .matching import match
    from .schema import read_csv_table

    options = _parse_options(option or [])
    loaded = Cohort.read(cohort)
    program_weights = Weights.from_file(weights) if weights is not None else None
    avoid = read_csv_table(forbidden, FORBIDDEN_TABLE) if forbidden is not None else None
    result = match(
        loaded,
        strategy,
        seed=seed,
        weights=program_weights,
        forbid_same_team=not allow_same_team,
        forbidden=avoid,
        forbidden_source=forbidden.name if forbidden is not None else None,
        min_score=min_score,
        **options,
    )
    written = result.write(out)
    typer.echo(repr(result))
    typer.echo(f"weights: {result.problem.compatibility.weights!r}")
    typer.echo("")
    typer.echo(result.diagnostics().to_text())
    typer.echo(f"\nwrote {written}")


@app.command("run")
@_friendly_errors
def run_command(
    cohort: Annotated[
        Path, typer.Option("--cohort", help="Cohort directory (mentors.csv, mentees.csv).")
    ],
    pairs: Annotated[
        Path,
        typer.Option(
            "--pairs",
            help="Pairs CSV (as written by mentorlab match; mentee_id and mentor_id required).",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the program tables into.")],
    months: Annotated[
        int, typer.Option("--months", min=1, max=60, help="Program length in months.")
    ] = 12,
    scenario: Annotated[
        str,
        typer.Option(
            "--scenario",
            help="default, null, chemistry_dominant, overloaded_mentors or guide_claims.",
        ),
    ] = "default",
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of the program.")] = 0,
    parameter: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Program parameter NAME=VALUE (repeatable), e.g. --set rematch_threshold=2.5.",
        ),
    ] = None,
) -> None:
    """Run a matched cohort through the program and write participants, pairs, meetings, surveys."""
    from .cohort import Cohort
    from .matching.result import pairs_input_table
    from .program import run_program
    from .schema import read_csv_table

    loaded = Cohort.read(cohort)
    table = read_csv_table(pairs, pairs_input_table())
    data = run_program(
        loaded,
        table,
        months=months,
        scenario=scenario,
        seed=seed,
        **_parse_options(parameter or [], flag="--set"),
    )
    written = data.write(out)
    typer.echo(repr(data))
    typer.echo(data.summary().round(3).to_string())
    typer.echo("wrote " + ", ".join(p.name for p in written) + f" to {out}")


@app.command("scenarios")
def scenarios_command() -> None:
    """List the named program scenarios."""
    from .program import scenarios

    for name, row in scenarios().iterrows():
        typer.echo(f"{name:20s} {row['description']}")


@app.command()
@_friendly_errors
def demo(
    cohort: Annotated[
        Path, typer.Option("--cohort", help="Cohort directory (mentors.csv, mentees.csv).")
    ] = Path("data/synthetic"),
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed of the strategies.")] = 7,
    scenario: Annotated[
        str, typer.Option("--scenario", help="Program scenario (see mentorlab scenarios).")
    ] = "default",
) -> None:
    """Run the main job on a cohort directory and print what it found."""
    from .cohort import Cohort
    from .compatibility import draw_chemistry
    from .matching import STRATEGY_NAMES, match
    from .program import run_program
    from .report import cohort_overview, matching_table, program_table

    loaded = Cohort.read(cohort)
    typer.echo(cohort_overview(loaded))
    chemistry = draw_chemistry(loaded, seed=seed)
    matchings = {
        name: match(loaded, name, seed=seed, chemistry=chemistry) for name in STRATEGY_NAMES
    }
    typer.echo("\nEvery matching strategy on this cohort (same-team pairs forbidden):")
    typer.echo(matching_table(matchings).round(2).to_string())
    programs = {
        name: run_program(loaded, m, seed=seed, scenario=scenario) for name, m in matchings.items()
    }
    typer.echo(
        f"\nOne simulated 12-month program per strategy ({scenario!r} scenario, one replication):"
    )
    typer.echo(program_table(programs).round(2).to_string())


if __name__ == "__main__":  # pragma: no cover
    app()
