from dataclasses import fields, replace

import pytest

from mentorlab import CohortConfig, ConfigError, simulate_cohort
from mentorlab.cohort.config import _CHECKS


def test_defaults_are_valid_and_documented():
    config = CohortConfig()
    doc = CohortConfig.__doc__
    for f in fields(config):
        assert f.name in doc, f"{f.name} is not documented in the CohortConfig docstring"


def test_every_parameter_has_a_check():
    assert set(_CHECKS) == {f.name for f in fields(CohortConfig)}


@pytest.mark.parametrize(
    ("n_mentors", "n_mentees"),
    [(-1, 10), (10, -5), (2.5, 10), (True, 10)],
)
def test_bad_sizes_raise_value_error(n_mentors, n_mentees):
    with pytest.raises(ValueError, match="n_ment"):
        simulate_cohort(n_mentors, n_mentees, seed=1)


def test_mentees_without_mentors_is_zero_capacity():
    with pytest.raises(ValueError, match="capacity"):
        simulate_cohort(0, 10, seed=1)


def test_empty_cohort_is_allowed():
    cohort = simulate_cohort(0, 0, seed=1)
    assert cohort.n_mentors == cohort.n_mentees == 0


def test_zero_total_capacity_in_config_raises():
    with pytest.raises(ValueError, match="zero"):
        CohortConfig(capacity_probs={0: 1.0})


def test_realised_zero_capacity_raises():
    # Capacity 0 with probability 0.99: two mentors almost surely offer no place at all.
    config = CohortConfig(capacity_probs={0: 0.99, 1: 0.01})
    with pytest.raises(ValueError, match="zero total capacity"):
        simulate_cohort(1, 5, config=config, seed=0)


@pytest.mark.parametrize(
    "changes",
    [
        {"stretch_probability": 1.5},
        {"stretch_probability": -0.1},
        {"mentor_frequency_probs": {"weekly": 1.2, "biweekly": -0.2, "monthly": 0.0}},
        {
            "mentee_communication_probs": {
                "in_person": 0.5,
                "video": 0.5,
                "phone": 0.5,
                "messaging": 0.0,
            }
        },
        {"capacity_probs": {1: 0.5, 2: 0.6}},
        {"group_probs_by_region": {"coast": {"group_a": 1.0, "group_b": 0.0, "group_c": 0.0}}},
    ],
)
def test_probabilities_must_be_valid(changes):
    with pytest.raises(ValueError):
        CohortConfig().with_overrides(**changes)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("mentor_years_sd", 0),
        ("team_size", 0),
        ("team_size", 2.5),
        ("expertise_max", 40),
        ("goals_mean", 9),
        ("mentor_flexibility_mean", 1.0),
        ("trait_sd", float("nan")),
        ("mentor_min_years", 20),
        ("style_openness_corr", 0.95),  # with the default -0.35: not positive definite
        ("site_weights", {"harbour_wellness_centre": 1.0}),
        (
            "trait_means",
            {"openness": 6, "conscientiousness": 3, "extraversion": 3, "agreeableness": 3},
        ),
    ],
)
def test_invalid_values_name_the_parameter(name, value):
    with pytest.raises(ConfigError, match=name.split("_")[0]):
        CohortConfig().with_overrides(**{name: value})


def test_unknown_parameter_is_rejected():
    with pytest.raises(ConfigError, match="unknown cohort parameter: team_sise"):
        CohortConfig.from_dict({"team_sise": 4})


def test_json_round_trip_of_config():
    import json

    config = CohortConfig(team_size=5, capacity_probs={1: 0.5, 3: 0.5})
    again = CohortConfig.from_dict(json.loads(config.to_json()))
    assert again == config


def test_replace_keeps_validation():
    with pytest.raises(ConfigError):
        replace(CohortConfig(), philosophy_sd=-1)
