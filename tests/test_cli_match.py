"""`mentorlab match`: pairs with explanations, diagnostics, and one clear message on bad input."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from mentorlab import simulate_cohort
from mentorlab.cli import app

runner = CliRunner()


@pytest.fixture()
def cohort_dir(tmp_path):
    directory = tmp_path / "cohort"
    simulate_cohort(12, 30, seed=4).write(directory)
    return directory


def run(*args):
    return runner.invoke(app, ["match", *map(str, args)])


def test_match_writes_pairs_and_prints_diagnostics(cohort_dir, tmp_path):
    out = tmp_path / "pairs.csv"
    result = run(
        "--cohort",
        cohort_dir,
        "--strategy",
        "self_selection",
        "--seed",
        2,
        "-o",
        "browse=6",
        "-o",
        "fallback=coordinator",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    assert "share matched" in result.stdout and "blocking pairs" in result.stdout
    pairs = pd.read_csv(out)
    assert {"mentee_id", "mentor_id", "score", "goals", "career_gap"} <= set(pairs.columns)
    contributions = pairs[
        [
            "goals",
            "specialty",
            "schedule",
            "frequency",
            "communication",
            "working_style",
            "philosophy",
            "proximity",
            "career_gap",
        ]
    ].sum(axis=1)
    assert (contributions - pairs["score"]).abs().max() < 1e-5


def test_weights_file_changes_the_scores(cohort_dir, tmp_path):
    weights = tmp_path / "weights.yaml"
    weights.write_text("goals: 1\n")
    out = tmp_path / "pairs.csv"
    result = run(
        "--cohort", cohort_dir, "--strategy", "algorithmic", "--weights", weights, "--out", out
    )
    assert result.exit_code == 0, result.output
    pairs = pd.read_csv(out)
    assert (pairs["score"] - pairs["goals"]).abs().max() < 1e-9
    assert "Weights(goals=1)" in result.stdout


def _expect_clean_failure(result, out, *fragments):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 6
    assert not out.exists()


def test_missing_cohort_file(cohort_dir, tmp_path):
    (cohort_dir / "mentors.csv").unlink()
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "random", "--out", out),
        out,
        "mentors.csv: file not found",
    )


def test_missing_column(cohort_dir, tmp_path):
    frame = pd.read_csv(cohort_dir / "mentees.csv", dtype=str)
    frame.drop(columns="availability").to_csv(cohort_dir / "mentees.csv", index=False)
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "random", "--out", out),
        out,
        "mentees.csv: missing column 'availability'",
    )


def test_mistyped_column(cohort_dir, tmp_path):
    frame = pd.read_csv(cohort_dir / "mentors.csv", dtype=str)
    frame.loc[6, "capacity"] = "2.5"
    frame.to_csv(cohort_dir / "mentors.csv", index=False)
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "random", "--out", out),
        out,
        "mentors.csv, row 7 (line 8), column 'capacity': '2.5' is not a whole number",
    )


def test_duplicate_ids(cohort_dir, tmp_path):
    frame = pd.read_csv(cohort_dir / "mentees.csv", dtype=str)
    frame.loc[9, "mentee_id"] = frame.loc[2, "mentee_id"]
    frame.to_csv(cohort_dir / "mentees.csv", index=False)
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "random", "--out", out),
        out,
        "mentees.csv, row 10 (line 11), column 'mentee_id': duplicate identifier 'mentee_003' (first used in row 3)",
    )


def test_unknown_strategy(cohort_dir, tmp_path):
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "speed_dating", "--out", out),
        out,
        "unknown strategy 'speed_dating'",
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("goals: 1\nchemistry: 2\n", "weights.yaml: unknown criterion 'chemistry'"),
        ("goals: -1\n", "weights.yaml: weight of 'goals' must be a finite number >= 0"),
        ("goals: [1, 2\n", "weights.yaml: could not parse the weights file"),
    ],
)
def test_bad_weights_file(cohort_dir, tmp_path, content, message):
    weights = tmp_path / "weights.yaml"
    weights.write_text(content)
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run(
            "--cohort", cohort_dir, "--strategy", "algorithmic", "--weights", weights, "--out", out
        ),
        out,
        message,
    )


def test_bad_option(cohort_dir, tmp_path):
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "self_selection", "-o", "browse", "--out", out),
        out,
        "--option expects NAME=VALUE",
    )
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "self_selection", "-o", "browse=0", "--out", out),
        out,
        "browse must be a whole number",
    )


def test_forbidden_pairs_file(cohort_dir, tmp_path):
    forbidden = tmp_path / "earlier.csv"
    forbidden.write_text("mentee_id,mentor_id\nmentee_001,mentor_001\nmentee_002,mentor_404\n")
    out = tmp_path / "pairs.csv"
    _expect_clean_failure(
        run("--cohort", cohort_dir, "--strategy", "random", "--forbidden", forbidden, "--out", out),
        out,
        "earlier.csv, row 2 (line 3), column 'mentor_id': 'mentor_404' is not in the cohort",
    )
