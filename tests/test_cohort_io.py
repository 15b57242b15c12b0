"""Writing and reading cohorts: round trip, data dictionary, and clear errors on bad files."""

import pandas as pd
import pytest

from mentorlab import Cohort, InputError, data_dictionary, simulate_cohort
from mentorlab.cohort.tables import MENTEE_TABLE, MENTOR_TABLE


@pytest.fixture()
def cohort():
    return simulate_cohort(15, 40, seed=21)


@pytest.fixture()
def written(tmp_path, cohort):
    cohort.write(tmp_path)
    return tmp_path


def test_round_trip_is_identical(written, cohort):
    again = Cohort.read(written)
    pd.testing.assert_frame_equal(again.mentors, cohort.mentors)
    pd.testing.assert_frame_equal(again.mentees, cohort.mentees)
    assert again.config == cohort.config
    assert again.seed == 21


def test_write_creates_the_four_files(written):
    names = sorted(p.name for p in written.iterdir())
    assert names == ["cohort.json", "data_dictionary.csv", "mentees.csv", "mentors.csv"]


def test_metadata_is_optional(written, cohort):
    (written / "cohort.json").unlink()
    again = Cohort.read(written)
    assert again.config is None and again.seed is None
    pd.testing.assert_frame_equal(again.mentees, cohort.mentees)


def test_data_dictionary_covers_every_column_exactly(cohort, written):
    dd = data_dictionary()
    for table, frame in (("mentors", cohort.mentors), ("mentees", cohort.mentees)):
        documented = dd.loc[dd["table"] == table, "column"].tolist()
        assert documented == list(frame.columns)
    assert dd["description"].str.len().gt(10).all()
    pd.testing.assert_frame_equal(
        pd.read_csv(written / "data_dictionary.csv", keep_default_na=False),
        dd.astype(str),
        check_dtype=False,
    )


def _edit(path, row, column, value):
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(path, index=False)


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "message"),
    [
        (
            "mentors.csv",
            4,
            "capacity",
            "two",
            r"mentors.csv, row 5 \(line 6\), column 'capacity': 'two' is not a whole number",
        ),
        (
            "mentors.csv",
            0,
            "capacity",
            "-1",
            r"row 1 \(line 2\), column 'capacity': '-1.*at least 0",
        ),
        (
            "mentees.csv",
            9,
            "specialty",
            "reiki",
            r"mentees.csv, row 10 \(line 11\), column 'specialty': 'reiki' must be one of",
        ),
        (
            "mentees.csv",
            2,
            "baseline_confidence",
            "",
            r"row 3 \(line 4\), column 'baseline_confidence': is empty",
        ),
        (
            "mentees.csv",
            2,
            "baseline_confidence",
            "high",
            r"column 'baseline_confidence': 'high' is not a number",
        ),
        (
            "mentees.csv",
            3,
            "availability",
            "mon_am;someday",
            r"row 4 .*column 'availability': unknown entry 'someday' \(allowed: mon_am",
        ),
        (
            "mentees.csv",
            3,
            "learning_goals",
            "documentation;documentation",
            r"column 'learning_goals'.*lists a value twice",
        ),
        (
            "mentees.csv",
            7,
            "mentee_id",
            "mentee_001",
            r"row 8 \(line 9\), column 'mentee_id': duplicate identifier 'mentee_001' \(first used in row 1\)",
        ),
        (
            "mentors.csv",
            1,
            "preferred_load",
            "9",
            r"row 2 \(line 3\), column 'preferred_load': is larger than the mentor's capacity",
        ),
        ("mentors.csv", 1, "region", "coast", r"row 2 \(line 3\), column 'region'"),
        (
            "mentees.csv",
            0,
            "working_style",
            "1.5",
            r"column 'working_style': '1.5' must be at most 1",
        ),
    ],
)
def test_bad_values_are_located(written, file, row, column, value, message):
    if column == "region":  # choose a region the site is not in
        frame = pd.read_csv(written / file, dtype=str)
        value = "central" if frame.loc[row, "region"] != "central" else "coast"
    _edit(written / file, row, column, value)
    with pytest.raises(InputError, match=message) as info:
        Cohort.read(written)
    assert info.value.source == file
    assert info.value.column == column


def test_several_problems_are_counted(written):
    frame = pd.read_csv(written / "mentors.csv", dtype=str, keep_default_na=False)
    frame.loc[[1, 3, 5], "capacity"] = "x"
    frame.to_csv(written / "mentors.csv", index=False)
    with pytest.raises(InputError, match=r"row 2 .*and 2 more problems") as info:
        Cohort.read(written)
    assert "row 4" in str(info.value) and "row 6" in str(info.value)


def test_missing_column(written):
    frame = pd.read_csv(written / "mentors.csv", dtype=str)
    frame.drop(columns="capacity").to_csv(written / "mentors.csv", index=False)
    with pytest.raises(InputError, match=r"mentors\.csv: missing column 'capacity'"):
        Cohort.read(written)


def test_unexpected_column(written):
    frame = pd.read_csv(written / "mentees.csv", dtype=str)
    frame.assign(notes="free text").to_csv(written / "mentees.csv", index=False)
    with pytest.raises(InputError, match=r"mentees\.csv: unexpected column 'notes'"):
        Cohort.read(written)


def test_missing_file(written):
    (written / "mentees.csv").unlink()
    with pytest.raises(InputError, match=r"mentees\.csv: file not found"):
        Cohort.read(written)


def test_missing_directory(tmp_path):
    with pytest.raises(InputError, match="no such directory"):
        Cohort.read(tmp_path / "nowhere")


def test_empty_file(written):
    (written / "mentors.csv").write_text("")
    with pytest.raises(InputError, match=r"mentors\.csv: the file is empty"):
        Cohort.read(written)


def test_ragged_csv(written):
    with open(written / "mentors.csv", "a") as handle:
        handle.write("a,b,c," * 20 + "\n")
    with pytest.raises(InputError, match="not a well-formed CSV"):
        Cohort.read(written)


def test_broken_metadata(written):
    (written / "cohort.json").write_text("{not json")
    with pytest.raises(InputError, match=r"cohort\.json: not valid JSON"):
        Cohort.read(written)


def test_invalid_cohort_writes_nothing(tmp_path, cohort):
    broken = Cohort(cohort.mentors.assign(capacity=-1), cohort.mentees)
    target = tmp_path / "out"
    with pytest.raises(InputError, match="mentors table, row 1, column 'capacity'"):
        broken.write(target)
    assert not target.exists() or not any(target.iterdir())


def test_failed_write_leaves_previous_files_untouched(written, cohort):
    before = {p.name: p.read_bytes() for p in written.iterdir()}
    broken = Cohort(cohort.mentors, cohort.mentees.assign(specialty="astrology"))
    with pytest.raises(InputError):
        broken.write(written)
    assert {p.name: p.read_bytes() for p in written.iterdir()} == before


def test_specs_list_each_column_once():
    for spec in (MENTOR_TABLE, MENTEE_TABLE):
        assert len(spec.column_names) == len(set(spec.column_names))
