import numpy as np
import pytest

from mentorlab import as_generator, spawn_seeds


def test_int_seed_gives_the_same_stream():
    assert as_generator(5).random() == as_generator(5).random()
    assert as_generator(5).random() != as_generator(6).random()


def test_generator_is_passed_through_unchanged():
    rng = np.random.default_rng(1)
    assert as_generator(rng) is rng


def test_seed_sequence_accepted():
    ss = np.random.SeedSequence(9)
    assert as_generator(ss).random() == np.random.default_rng(np.random.SeedSequence(9)).random()


def test_none_gives_fresh_entropy():
    assert as_generator(None).random() != as_generator(None).random()


@pytest.mark.parametrize("bad", [True, -1])
def test_bad_seeds_rejected(bad):
    with pytest.raises((TypeError, ValueError)):
        as_generator(bad)


def test_spawned_children_are_reproducible_and_distinct():
    first = [np.random.default_rng(s).random() for s in spawn_seeds(11, 5)]
    second = [np.random.default_rng(s).random() for s in spawn_seeds(11, 5)]
    assert first == second
    assert len(set(first)) == 5


def test_spawn_matches_numpy_seed_sequence_spawn():
    ours = spawn_seeds(3, 2)
    reference = np.random.SeedSequence(3).spawn(2)
    assert [s.generate_state(2).tolist() for s in ours] == [
        s.generate_state(2).tolist() for s in reference
    ]


def test_the_same_seed_sequence_gives_the_same_children_every_time():
    ss = np.random.SeedSequence(21)
    first = [c.generate_state(1)[0] for c in spawn_seeds(ss, 3)]
    second = [c.generate_state(1)[0] for c in spawn_seeds(ss, 3)]
    assert first == second
    assert first == [c.generate_state(1)[0] for c in np.random.SeedSequence(21).spawn(3)]
