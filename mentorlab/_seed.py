"""Seed handling shared by every random function in mentorlab.

Every public function that draws random numbers takes ``seed`` and passes it through
:func:`as_generator`; nothing touches NumPy's global state.  Parallel work calls
:func:`spawn_seeds` once, up front, so that each replication owns an independent child
stream and the results do not depend on how the work is later split across workers.
"""

from __future__ import annotations

import numpy as np

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def as_generator(seed: SeedLike = None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` for any accepted form of ``seed``.

    Parameters
    ----------
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        An existing ``Generator`` is returned unchanged (so callers can thread one
        stream through several functions); anything else goes to
        :func:`numpy.random.default_rng`.

    Examples
    --------
    >>> rng = as_generator(7)
    >>> as_generator(rng) is rng
    True
    """
    if isinstance(seed, (bool, np.bool_)):
        raise TypeError("seed must be an int, SeedSequence, Generator or None, not a bool")
    if isinstance(seed, (int, np.integer)) and seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed}")
    return np.random.default_rng(seed)


def spawn_seeds(seed: SeedLike, n: int) -> list[np.random.SeedSequence]:
    """Split ``seed`` into ``n`` independent child seed sequences.

    For an int or a ``SeedSequence`` the children are those of
    ``SeedSequence.spawn`` on a fresh sequence, whatever was spawned from it before.  A
    ``Generator`` is a stream: children come from its bit generator's seed sequence and
    differ from call to call (reproducible when the generator was).

    Examples
    --------
    >>> a = spawn_seeds(3, 4)
    >>> b = spawn_seeds(3, 4)
    >>> [s.generate_state(1)[0] for s in a] == [s.generate_state(1)[0] for s in b]
    True
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    if isinstance(seed, np.random.Generator):
        # A generator is a stream: each call takes fresh children from it.
        return list(seed.bit_generator.seed_seq.spawn(n))  # type: ignore[union-attr]
    if not isinstance(seed, np.random.SeedSequence):
        as_generator(seed)  # same validation as everywhere else
        seed = np.random.SeedSequence(seed)
    # Children are a function of the sequence's value, not of how often it was spawned
    # before, so passing the same SeedSequence twice gives the same children.
    return [
        np.random.SeedSequence(
            seed.entropy, spawn_key=(*seed.spawn_key, k), pool_size=seed.pool_size
        )
        for k in range(n)
    ]
