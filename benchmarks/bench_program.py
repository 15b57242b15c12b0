"""Program simulation speed against the program issue's budget.

Baseline: "a 12-month program for 500 mentees in well under 100 ms".  Prints the median
time of ``run_program`` over several seeds (matching and cohort built once, outside the
timing), the size of the tables produced, and the ratio to the 100 ms budget.
Run: python benchmarks/bench_program.py   (or make bench)
"""

from __future__ import annotations

import statistics
import time

import mentorlab as ml

BUDGET_SECONDS = 0.100
REPEATS = 9


def main() -> None:
    print(
        f"{'mentees':>8} {'strategy':>15} {'scenario':>10} {'median ms':>10} {'rows':>8} {'vs 100 ms':>10}"
    )
    for n_mentors, n_mentees in [(60, 150), (200, 500), (800, 2000)]:
        cohort = ml.simulate_cohort(n_mentors, n_mentees, seed=1)
        chemistry = ml.draw_chemistry(cohort, seed=2)
        for strategy, scenario, extra in [
            ("algorithmic", "default", {}),
            ("self_selection", "default", {"rematch_threshold": 3.0}),
        ]:
            matching = ml.match(cohort, strategy, seed=3, chemistry=chemistry)
            ml.run_program(cohort, matching, seed=0, scenario=scenario, **extra)  # warm-up
            times, rows = [], 0
            for seed in range(REPEATS):
                start = time.perf_counter()
                data = ml.run_program(cohort, matching, seed=seed, scenario=scenario, **extra)
                times.append(time.perf_counter() - start)
                rows = len(data.meetings) + len(data.surveys) + len(data.pairs)
            median = statistics.median(times)
            label = strategy + ("+rematch" if extra else "")
            print(
                f"{n_mentees:>8,} {label:>15} {scenario:>10} {median * 1000:>10.1f} {rows:>8,} "
                f"{median / BUDGET_SECONDS:>9.3f}x"
            )


if __name__ == "__main__":
    main()
