"""`mentorlab run`: program tables from a cohort and a pairs file; clear errors otherwise."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from mentorlab import ProgramData, match, simulate_cohort
from mentorlab.cli import app

runner = CliRunner()


@pytest.fixture()
def inputs(tmp_path):
    cohort = simulate_cohort(12, 30, seed=4)
    cohort.write(tmp_path / "cohort")
    match(cohort, "algorithmic").write(tmp_path / "pairs.csv")
    return tmp_path


def run(inputs, *extra):
    args = [
        "run",
        "--cohort",
        inputs / "cohort",
        "--pairs",
        inputs / "pairs.csv",
        "--out",
        inputs / "program",
        *extra,
    ]
    return runner.invoke(app, [str(a) for a in args])


def test_run_writes_a_readable_program(inputs):
    result = run(inputs, "--seed", 3, "--months", 9, "--set", "rematch_threshold=3")
    assert result.exit_code == 0, result.output
    assert "closed early" in result.stdout
    data = ProgramData.read(inputs / "program")
    assert data.months == 9
    assert set(data.pairs["strategy"]) == {"algorithmic"}


def test_run_is_reproducible(inputs):
    run(inputs, "--seed", 5)
    first = (inputs / "program" / "surveys.csv").read_bytes()
    run(inputs, "--seed", 5)
    assert (inputs / "program" / "surveys.csv").read_bytes() == first


def _expect_clean_failure(result, inputs, *fragments):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert not (inputs / "program").exists()


def test_unknown_mentor_in_pairs(inputs):
    pairs = pd.read_csv(inputs / "pairs.csv", dtype=str)
    pairs.loc[4, "mentor_id"] = "mentor_777"
    pairs.to_csv(inputs / "pairs.csv", index=False)
    _expect_clean_failure(
        run(inputs), inputs, "row 5 (line 6), column 'mentor_id': 'mentor_777' is not in the cohort"
    )


def test_pairs_file_without_mentee_column(inputs):
    pd.read_csv(inputs / "pairs.csv").drop(columns="mentee_id").to_csv(
        inputs / "pairs.csv", index=False
    )
    _expect_clean_failure(run(inputs), inputs, "pairs.csv: missing column 'mentee_id'")


def test_minimal_pairs_file_is_enough(inputs):
    pd.read_csv(inputs / "pairs.csv")[["mentee_id", "mentor_id"]].to_csv(
        inputs / "pairs.csv", index=False
    )
    result = run(inputs)
    assert result.exit_code == 0, result.output


def test_unknown_scenario_and_parameter(inputs):
    _expect_clean_failure(run(inputs, "--scenario", "utopia"), inputs, "unknown scenario 'utopia'")
    _expect_clean_failure(
        run(inputs, "--set", "speed=3"), inputs, "unknown program parameter: speed"
    )
    _expect_clean_failure(
        run(inputs, "--set", "rematch_threshold"), inputs, "--set expects NAME=VALUE"
    )
