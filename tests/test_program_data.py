"""The program data model: a hand-made program, its derived outcomes, files and errors."""

import json

import numpy as np
import pandas as pd
import pytest

import mentorlab as ml
from mentorlab import InputError
from mentorlab.program import PROGRAM_TABLES, ProgramData, months_between, program_data_dictionary


def hand_made() -> ProgramData:
    """Two mentors, three mentees: one completes, one closes early and is rematched,
    one is never matched.  Every outcome below is worked out by hand."""
    participants = pd.DataFrame(
        {
            "person_id": ["r1", "r2", "e1", "e2", "e3"],
            "role": ["mentor", "mentor", "mentee", "mentee", "mentee"],
            "demographic_group": ["group_a", "group_b", "group_a", "group_b", "group_c"],
        }
    )
    pairs = pd.DataFrame(
        {
            "pair_id": ["p1", "p2", "p3"],
            "mentor_id": ["r1", "r2", "r1"],
            "mentee_id": ["e1", "e2", "e2"],
            "strategy": ["arm_a", "arm_a", "arm_a"],
            "start": pd.to_datetime(["2026-01-01", "2026-01-01", "2026-04-01"]),
            "end": pd.to_datetime(["2027-01-01", "2026-04-01", "2027-01-01"]),
            "end_reason": ["completed", "rematched", "completed"],
        }
    )
    meetings = pd.DataFrame(
        {
            "pair_id": ["p1", "p1", "p1", "p2", "p2", "p3"],
            "date": pd.to_datetime(
                ["2026-01-10", "2026-02-10", "2026-03-10", "2026-01-15", "2026-02-15", "2026-05-01"]
            ),
            "attended": [1, 1, 0, 1, 0, 1],
            "minutes": [45.0, 60.0, np.nan, 30.0, np.nan, 50.0],
            "mode": ["video", "video", "video", "phone", "phone", "in_person"],
        }
    )
    rows = []
    for item, value in zip(["sat_1", "sat_2", "sat_3", "sat_4"], [4, 5, 4, 3], strict=True):
        rows.append(("e1", "p1", "day_30", "satisfaction", item, value))
    for item, value in zip(["sat_1", "sat_2"], [2, 3], strict=True):  # partial answer
        rows.append(("e2", "p2", "day_30", "satisfaction", item, value))
    for item, value in zip(
        ["conf_1", "conf_2", "conf_3", "conf_4", "conf_5"], [2, 3, 3, 2, 3], strict=True
    ):
        rows.append(("e1", None, "baseline", "confidence", item, value))
        rows.append(("e1", "p1", "end", "confidence", item, value + 1))
    rows.append(("e3", None, "baseline", "confidence", "conf_1", 4))
    surveys = pd.DataFrame(
        rows, columns=["person_id", "pair_id", "wave", "instrument", "item", "response"]
    )
    return ProgramData(participants, pairs, meetings, surveys, pd.Timestamp("2026-01-01"), 12)


def test_outcomes_of_a_hand_made_program():
    out = hand_made().outcomes.set_index("mentee_id")
    assert out.loc["e1", "months_retained"] == 12
    assert not out.loc["e1", "closed_early"] and out.loc["e1", "closure_reason"] == "completed"
    assert out.loc["e2", "months_retained"] == 3 and out.loc["e2", "closed_early"]
    assert out.loc["e2", "closure_reason"] == "rematched" and out.loc["e2", "rematched"]
    assert out.loc["e2", "months_in_program"] == 12  # 3 + 9
    assert out.loc["e2", "mentor_id"] == "r2" and out.loc["e2", "pair_id"] == "p2"
    assert not out.loc["e3", "matched"] and np.isnan(out.loc["e3", "months_retained"])
    assert out.loc["e1", "meetings_scheduled"] == 3 and out.loc["e1", "meetings_attended"] == 2
    assert out.loc["e2", "meetings_scheduled"] == 3 and out.loc["e2", "meetings_attended"] == 2
    assert out.loc["e1", "satisfaction_day_30"] == pytest.approx(4.0)
    assert out.loc["e2", "satisfaction_day_30"] == pytest.approx(2.5)  # mean of the answered items
    assert np.isnan(out.loc["e1", "satisfaction_end"])
    assert out.loc["e1", "confidence_pre"] == pytest.approx(2.6)
    assert out.loc["e1", "confidence_post"] == pytest.approx(3.6)
    assert out.loc["e3", "confidence_pre"] == 4 and np.isnan(out.loc["e3", "confidence_post"])
    assert out.loc["e3", "demographic_group"] == "group_c"


def test_months_between_calendar_months():
    start = pd.Series(pd.to_datetime(["2026-01-01", "2026-01-31", "2026-03-15"]))
    end = pd.Series(pd.to_datetime(["2027-01-01", "2026-02-28", "2026-03-15"]))
    assert months_between(start, end).round(3).tolist() == [12.0, 0.893, 0.0]


def test_hand_made_program_validates_and_round_trips(tmp_path):
    data = hand_made()
    data.write(tmp_path)
    again = ProgramData.read(tmp_path)
    pd.testing.assert_frame_equal(again.outcomes, data.validate().outcomes)
    assert again.months == 12 and again.program_start == pd.Timestamp("2026-01-01")


def test_program_json_is_optional(tmp_path):
    hand_made().write(tmp_path)
    (tmp_path / "program.json").unlink()
    again = ProgramData.read(tmp_path)
    assert again.program_start == pd.Timestamp("2026-01-01") and again.months == 12


def test_simulated_program_round_trips_exactly(tmp_path):
    cohort = ml.simulate_cohort(15, 40, seed=3)
    data = ml.run_program(
        cohort, ml.match(cohort, "self_selection", seed=3), seed=4, rematch_threshold=3.0
    )
    data.write(tmp_path)
    again = ProgramData.read(tmp_path)
    for name in PROGRAM_TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(data, name))
    pd.testing.assert_frame_equal(again.outcomes, data.outcomes)
    assert json.loads((tmp_path / "program.json").read_text())["months"] == 12


def test_dictionary_covers_every_column():
    dd = program_data_dictionary()
    for name, spec in PROGRAM_TABLES.items():
        assert dd.loc[dd["table"] == name, "column"].tolist() == spec.column_names


def _write_and_edit(tmp_path, table, row, column, value):
    hand_made().write(tmp_path)
    frame = pd.read_csv(tmp_path / f"{table}.csv", dtype=str, keep_default_na=False)
    frame.loc[row, column] = value
    frame.to_csv(tmp_path / f"{table}.csv", index=False)


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    [
        (
            "pairs",
            1,
            "end",
            "2025-12-01",
            r"pairs.csv, row 2 \(line 3\), column 'end': is before the start",
        ),
        (
            "pairs",
            0,
            "start",
            "01/13/2026",
            r"pairs.csv, row 1 \(line 2\), column 'start': '01/13/2026' is not a date",
        ),
        ("pairs", 2, "end_reason", "ghosted", r"column 'end_reason': 'ghosted' must be one of"),
        (
            "pairs",
            0,
            "mentor_id",
            "r9",
            r"pairs.csv, row 1 \(line 2\), column 'mentor_id': 'r9' is not in participants",
        ),
        ("pairs", 0, "mentor_id", "e3", r"'e3' is not a mentor in participants"),
        (
            "meetings",
            3,
            "pair_id",
            "p7",
            r"meetings.csv, row 4 \(line 5\), column 'pair_id': 'p7' is not in pairs",
        ),
        (
            "meetings",
            0,
            "attended",
            "yes",
            r"meetings.csv, row 1 \(line 2\), column 'attended': 'yes' is not a whole number",
        ),
        (
            "surveys",
            0,
            "response",
            "6",
            r"surveys.csv, row 1 \(line 2\), column 'response': '6' must be at most 5",
        ),
        (
            "surveys",
            0,
            "item",
            "sat_9",
            r"column 'item': 'sat_9' is not an item of that instrument",
        ),
        ("surveys", 0, "wave", "week_2", r"column 'wave': 'week_2' must be one of"),
        ("participants", 1, "role", "coach", r"participants.csv, row 2 \(line 3\), column 'role'"),
    ],
)
def test_bad_program_files_are_located(tmp_path, table, row, column, value, message):
    _write_and_edit(tmp_path, table, row, column, value)
    with pytest.raises(InputError, match=message):
        ProgramData.read(tmp_path)


def test_missing_program_file(tmp_path):
    hand_made().write(tmp_path)
    (tmp_path / "meetings.csv").unlink()
    with pytest.raises(InputError, match=r"meetings\.csv: file not found"):
        ProgramData.read(tmp_path)


def test_optional_participant_columns_may_be_left_out(tmp_path):
    hand_made().write(tmp_path)
    frame = pd.read_csv(tmp_path / "participants.csv")
    frame[["person_id", "role"]].to_csv(tmp_path / "participants.csv", index=False)
    again = ProgramData.read(tmp_path)
    assert "demographic_group" not in again.outcomes.columns
    assert again.outcomes["matched"].sum() == 2


def test_failed_write_writes_nothing(tmp_path):
    data = hand_made()
    broken = ProgramData(
        data.participants,
        data.pairs.assign(end_reason="done"),
        data.meetings,
        data.surveys,
        data.program_start,
        12,
    )
    with pytest.raises(InputError):
        broken.write(tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
