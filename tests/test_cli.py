"""The command line: help, simulate, and one clear message (no traceback) on bad input."""

import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

from mentorlab import Cohort, simulate_cohort
from mentorlab.cli import app

runner = CliRunner()


def test_help_runs_as_an_installed_command():
    result = subprocess.run(
        [sys.executable, "-m", "mentorlab", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "simulate" in result.stdout


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("mentorlab ")


def test_simulate_writes_a_readable_cohort(tmp_path):
    out = tmp_path / "cohort"
    result = runner.invoke(
        app, ["simulate", "--mentors", "8", "--mentees", "20", "--seed", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Cohort(8 mentors" in result.stdout
    loaded = Cohort.read(out)
    pd.testing.assert_frame_equal(loaded.mentees, simulate_cohort(8, 20, seed=3).mentees)


def test_simulate_with_a_yaml_config(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("capacity_probs:\n  1: 1.0\nteam_size: 4\n")
    out = tmp_path / "cohort"
    result = runner.invoke(
        app,
        [
            "simulate",
            "--mentors",
            "5",
            "--mentees",
            "3",
            "--config",
            str(config),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    loaded = Cohort.read(out)
    assert (loaded.mentors["capacity"] == 1).all()
    assert loaded.config.team_size == 4


def test_bad_config_value_exits_2_with_one_message_and_writes_nothing(tmp_path):
    config = tmp_path / "config.json"
    config.write_text('{"stretch_probability": 2}')
    out = tmp_path / "cohort"
    result = runner.invoke(app, ["simulate", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 2
    assert "config.json" in result.stderr and "stretch_probability" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unparseable_config(tmp_path):
    config = tmp_path / "config.json"
    config.write_text("{oops")
    result = runner.invoke(app, ["simulate", "--config", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "could not parse the cohort configuration" in result.stderr


def test_zero_mentors_with_mentees_is_a_clear_error(tmp_path):
    result = runner.invoke(
        app, ["simulate", "--mentors", "0", "--mentees", "5", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "capacity" in result.stderr
    assert "Traceback" not in result.output


def test_demo_on_a_bad_cohort_names_the_file(tmp_path):
    simulate_cohort(5, 10, seed=1).write(tmp_path)
    frame = pd.read_csv(tmp_path / "mentors.csv", dtype=str)
    frame.loc[2, "capacity"] = "many"
    frame.to_csv(tmp_path / "mentors.csv", index=False)
    result = runner.invoke(app, ["demo", "--cohort", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        "mentors.csv, row 3 (line 4), column 'capacity': 'many' is not a whole number"
        in result.stderr
    )


def test_demo_prints_supply_and_demand(tmp_path):
    simulate_cohort(10, 30, seed=1).write(tmp_path)
    result = runner.invoke(app, ["demo", "--cohort", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Supply and demand by specialty" in result.stdout
    assert "self_selection" in result.stdout and "blocking pairs" in result.stdout
