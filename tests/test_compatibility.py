"""Compatibility criteria against a plain row-by-row reading of their definitions.

The oracle below re-implements each documented criterion for one mentor and one mentee
at a time, straight from the DataFrame rows (sets, strings, if-statements), and the
vectorised matrices must agree with it for every pair.
"""

import json

import numpy as np
import pandas as pd
import pytest

from mentorlab import CRITERIA, ConfigError, InputError, Weights, compatibility, simulate_cohort
from mentorlab.compatibility import (
    DEFAULT_WEIGHTS,
    criteria_table,
    draw_chemistry,
    forbidden_pairs,
)

FREQUENCY_STEP = {"weekly": 0, "biweekly": 1, "monthly": 2}
RELATED = {
    frozenset(p)
    for p in [
        ("massage_therapy", "yoga_therapy"),
        ("massage_therapy", "acupuncture"),
        ("counselling", "yoga_therapy"),
        ("nutrition", "integrative_nursing"),
        ("acupuncture", "integrative_nursing"),
    ]
}
MODE_FIT = {
    frozenset(("in_person", "video")): 0.6,
    frozenset(("in_person", "phone")): 0.3,
    frozenset(("in_person", "messaging")): 0.2,
    frozenset(("video", "phone")): 0.6,
    frozenset(("video", "messaging")): 0.4,
    frozenset(("phone", "messaging")): 0.5,
}


def oracle(criterion: str, mentee: pd.Series, mentor: pd.Series) -> float:
    if criterion == "goals":
        wanted = set(mentee["learning_goals"].split(";"))
        return len(wanted & set(mentor["expertise"].split(";"))) / len(wanted)
    if criterion == "specialty":
        a, b = mentee["specialty"], mentor["specialty"]
        return 1.0 if a == b else (0.5 if frozenset((a, b)) in RELATED else 0.0)
    if criterion == "schedule":
        shared = set(mentee["availability"].split(";")) & set(mentor["availability"].split(";"))
        return {0: 0.0, 1: 0.5}.get(len(shared), 1.0)
    if criterion == "frequency":
        gap = abs(
            FREQUENCY_STEP[mentee["meeting_frequency"]]
            - FREQUENCY_STEP[mentor["meeting_frequency"]]
        )
        return {0: 1.0, 1: 0.5, 2: 0.0}[gap]
    if criterion == "communication":
        a, b = mentee["communication"], mentor["communication"]
        return 1.0 if a == b else MODE_FIT[frozenset((a, b))]
    if criterion == "working_style":
        return 1 - abs(mentee["working_style"] - mentor["working_style"])
    if criterion == "philosophy":
        return 1 - abs(mentee["treatment_philosophy"] - mentor["treatment_philosophy"])
    if criterion == "proximity":
        if mentee["site"] == mentor["site"]:
            return 1.0
        return 0.5 if mentee["region"] == mentor["region"] else 0.0
    if criterion == "career_gap":
        lead = mentor["years_in_practice"] - mentee["years_in_practice"]
        if lead <= 0 or lead >= 20:
            return 0.0
        if lead < 3:
            return lead / 3
        if lead <= 10:
            return 1.0
        return (20 - lead) / 10
    raise KeyError(criterion)


@pytest.fixture(scope="module")
def cohort():
    return simulate_cohort(25, 60, seed=31)


@pytest.fixture(scope="module")
def compat(cohort):
    return compatibility(cohort)


@pytest.mark.parametrize("name", list(CRITERIA))
def test_each_criterion_matches_the_row_by_row_definition(cohort, compat, name):
    matrix = compat.criterion(name)
    expected = np.array(
        [
            [oracle(name, e, m) for _, m in cohort.mentors.iterrows()]
            for _, e in cohort.mentees.iterrows()
        ]
    )
    np.testing.assert_allclose(matrix, expected, rtol=0, atol=1e-12)
    assert matrix.min() >= 0 and matrix.max() <= 1


def test_every_criterion_reaches_both_ends_somewhere():
    big = compatibility(simulate_cohort(80, 300, seed=5))
    lowest = {"communication": 0.2}  # in person vs messaging: the worst mode fit
    for name in CRITERIA:
        values = big.criterion(name)
        # Sliders are continuous: their extremes are approached, not always hit.
        assert values.min() == pytest.approx(lowest.get(name, 0.0), abs=0.05), name
        assert values.max() == pytest.approx(1.0, abs=0.05), name


def test_total_is_the_weighted_sum_with_normalised_weights(cohort):
    raw = {"goals": 2.0, "schedule": 1.0, "career_gap": 1.0}
    compat = compatibility(cohort, raw)
    expected = (
        0.5 * compat.criterion("goals")
        + 0.25 * compat.criterion("schedule")
        + 0.25 * compat.criterion("career_gap")
    )
    np.testing.assert_allclose(compat.total, expected, atol=1e-12)


def test_default_weights_sum_to_one_and_cover_all_criteria():
    assert set(DEFAULT_WEIGHTS) == set(CRITERIA)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)
    assert Weights().as_dict() == pytest.approx(DEFAULT_WEIGHTS)


def test_contributions_add_up_to_the_score(cohort, compat):
    table = compat.pair_table(np.arange(10), np.arange(10) % cohort.n_mentors)
    parts = table[list(CRITERIA)].sum(axis=1)
    np.testing.assert_allclose(parts, table["score"], atol=1e-12)
    explained = compat.explain(table["mentee_id"].iloc[3], table["mentor_id"].iloc[3])
    assert explained["contribution"].sum() == pytest.approx(table["score"].iloc[3])
    assert explained["weight"].sum() == pytest.approx(1.0)


def test_explain_unknown_id(compat):
    with pytest.raises(InputError, match="unknown mentee id 'nobody'"):
        compat.explain("nobody", compat.mentor_ids[0])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"vibes": 1}, "unknown criterion 'vibes'"),
        ({"goals": -1}, "weight of 'goals' must be a finite number >= 0"),
        ({"goals": "high"}, "weight of 'goals' must be a number"),
        ({"goals": 0}, "at least one criterion needs a positive weight"),
        ({"goals": float("inf")}, "finite"),
    ],
)
def test_bad_weights(weights, message):
    with pytest.raises(ConfigError, match=message):
        Weights(weights)


def test_weights_from_yaml_and_json(tmp_path):
    yaml_file = tmp_path / "w.yaml"
    yaml_file.write_text("goals: 3\nschedule: 1\n")
    json_file = tmp_path / "w.json"
    json_file.write_text(json.dumps({"goals": 3, "schedule": 1}))
    for path in (yaml_file, json_file):
        weights = Weights.from_file(path).as_dict()
        assert weights["goals"] == pytest.approx(0.75)
        assert weights["specialty"] == 0


def test_weights_file_errors_name_the_file(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("goals: 1\nkarma: 2\n")
    with pytest.raises(ConfigError, match=r"weights\.yaml: unknown criterion 'karma'"):
        Weights.from_file(path)
    with pytest.raises(InputError, match="file not found"):
        Weights.from_file(tmp_path / "missing.yaml")


def test_same_team_pairs_are_forbidden(cohort):
    forbidden = forbidden_pairs(cohort)
    same = cohort.mentees["team"].to_numpy()[:, None] == cohort.mentors["team"].to_numpy()[None, :]
    np.testing.assert_array_equal(forbidden, same)
    assert not forbidden_pairs(cohort, same_team=False).any()


def test_explicit_forbidden_pairs(cohort):
    pairs = pd.DataFrame(
        {
            "mentee_id": [cohort.mentees["mentee_id"][4]],
            "mentor_id": [cohort.mentors["mentor_id"][2]],
        }
    )
    forbidden = forbidden_pairs(cohort, same_team=False, pairs=pairs)
    assert forbidden.sum() == 1 and forbidden[4, 2]
    bad = pd.DataFrame(
        {"mentee_id": ["mentee_001", "ghost"], "mentor_id": ["mentor_001", "mentor_001"]}
    )
    with pytest.raises(
        InputError, match=r"row 2.*column 'mentee_id': 'ghost' is not in the cohort"
    ):
        forbidden_pairs(cohort, pairs=bad)


def test_criteria_table_describes_every_criterion():
    table = criteria_table()
    assert list(table["criterion"]) == list(CRITERIA)
    assert table["description"].str.len().gt(15).all()


def test_chemistry_is_reproducible_standard_normal(cohort):
    a = draw_chemistry(cohort, seed=4)
    np.testing.assert_array_equal(a, draw_chemistry(cohort, seed=4))
    big = draw_chemistry(simulate_cohort(100, 400, seed=1), seed=2)
    assert abs(big.mean()) < 4 / np.sqrt(big.size)
    assert abs(big.std() - 1) < 0.02
