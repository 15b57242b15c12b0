"""Cohort simulation speed at the size the foundation issue names.

Baseline: the issue's budget of one second for 2,000 mentors + 10,000 mentees.
Prints the median of several runs and its ratio to that budget (lower is better).
Run: python benchmarks/bench_cohort.py   (or make bench)
"""

from __future__ import annotations

import statistics
import time

import mentorlab as ml

BUDGET_SECONDS = 1.0
REPEATS = 7


def time_once(n_mentors: int, n_mentees: int, seed: int) -> float:
    start = time.perf_counter()
    ml.simulate_cohort(n_mentors, n_mentees, seed=seed)
    return time.perf_counter() - start


def main() -> None:
    ml.simulate_cohort(10, 10, seed=0)  # warm-up: imports and first-call costs
    print(f"{'cohort':>24} {'median s':>9} {'vs 1 s budget':>14}")
    for n_mentors, n_mentees in [(60, 150), (400, 1000), (2000, 10_000)]:
        times = [time_once(n_mentors, n_mentees, seed) for seed in range(REPEATS)]
        median = statistics.median(times)
        label = f"{n_mentors:,} x {n_mentees:,}"
        print(f"{label:>24} {median:9.4f} {median / BUDGET_SECONDS:13.3f}x")


if __name__ == "__main__":
    main()
