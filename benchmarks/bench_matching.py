"""Matching speed (and memory) against the baselines the matching issue names.

Baselines, one per section:

1. ``deferred_acceptance`` vs the ``matching`` library's hospital-resident solver
   (``HospitalResident.solve(optimal="resident")``) on random complete preferences,
   1,000 x 200 and 2,000 x 400, capacity 5.  Target: identical matchings and >= 100x
   faster at 2,000 x 400.
2. ``optimal_assignment`` (most_matched, method "auto": the sparse LP at this size) vs
   ``scipy.optimize.linear_sum_assignment`` on the slot-expanded matrix, 10,000 mentees x
   2,000 mentors, capacity 5.  Same optimum expected; wall time and peak memory compared,
   each solver run in a fresh (spawned) process.
3. ``mentorlab.match`` with every strategy on a 60-mentor, 150-mentee cohort vs the
   issue's requirement "milliseconds per call so thousands of replications are cheap",
   read as a budget of 50 ms per call.

Prints tables and a summary of ratios in one run; it never asserts timings.
Run: python benchmarks/bench_matching.py [--quick] [--skip-library]   (or make bench)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import multiprocessing
import resource
import statistics
import sys
import time
import warnings

import numpy as np

import mentorlab as ml
from mentorlab.matching import UNMATCHED

CAPACITY = 5
DA_SIZES = [(1000, 200), (2000, 400)]
DA_QUICK_SIZES = [(300, 60)]
IDENTITY_CHECK_SIZE = (300, 60)  # small enough to run the library even with --skip-library
DA_TARGET_SPEEDUP = 100.0
DA_REPEATS = 7
ASSIGN_SIZE = (10_000, 2000)
ASSIGN_QUICK_SIZE = (2000, 400)
STRATEGY_COHORT = (60, 150)  # mentors, mentees
STRATEGY_SEEDS = 20
STRATEGY_BUDGET_MS = 50.0
SEED = 2024


def random_scores(n_mentees: int, n_mentors: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random mentee-side and mentor-side score matrices (complete preferences)."""
    rng = np.random.default_rng(seed)
    return rng.random((n_mentees, n_mentors)), rng.random((n_mentees, n_mentors))


# ---------------------------------------------------------------------------------
# 1. Deferred acceptance vs the matching library


def time_library(
    mentee_scores: np.ndarray, mentor_scores: np.ndarray, capacity: int
) -> tuple[float, float, np.ndarray]:
    """Construction seconds, solve seconds and mentor per mentee from ``matching``."""
    from matching.games import HospitalResident

    n, m = mentee_scores.shape
    resident_prefs = {i: np.argsort(-mentee_scores[i], kind="stable").tolist() for i in range(n)}
    hospital_prefs = {j: np.argsort(-mentor_scores[:, j], kind="stable").tolist() for j in range(m)}
    capacities = dict.fromkeys(range(m), capacity)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))  # deep copies of players
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        built = time.perf_counter()
        solution = game.solve(optimal="resident")
        solved = time.perf_counter()
    assigned = np.full(n, UNMATCHED, dtype=np.int64)
    for hospital, residents in solution.items():
        for resident in residents:
            assigned[resident.name] = hospital.name
    return built - start, solved - built, assigned


def time_deferred_acceptance(
    mentee_scores: np.ndarray, mentor_scores: np.ndarray, capacity: int, repeats: int
) -> tuple[float, np.ndarray]:
    """Median seconds over ``repeats`` runs, and the matching."""
    caps = np.full(mentee_scores.shape[1], capacity)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        assigned = ml.deferred_acceptance(mentee_scores, mentor_scores, caps)
        times.append(time.perf_counter() - start)
    return statistics.median(times), assigned


def bench_deferred_acceptance(sizes: list[tuple[int, int]], skip_library: bool) -> list[dict]:
    print("\n== 1. deferred_acceptance vs matching.games.HospitalResident (resident-optimal) ==")
    print(f"random complete preferences, capacity {CAPACITY}; library timed once, mentorlab as")
    print(f"the median of {DA_REPEATS} runs; 'build' is the library's game construction (untimed")
    print("in the ratio, which compares game.solve alone).")
    header = (
        f"{'mentees x mentors':>18} {'lib build s':>11} {'lib solve s':>11} "
        f"{'mentorlab s':>11} {'speed-up':>9} {'matched':>8}  matchings"
    )
    print(header)
    ml.deferred_acceptance(*random_scores(20, 4, 0), np.full(4, CAPACITY))  # warm-up
    rows = []
    for n, m in sizes:
        mentee_scores, mentor_scores = random_scores(n, m, SEED)
        ours_s, ours = time_deferred_acceptance(mentee_scores, mentor_scores, CAPACITY, DA_REPEATS)
        run_library = not skip_library or (n, m) == IDENTITY_CHECK_SIZE
        label = f"{n:,} x {m:,}"
        if run_library:
            build_s, solve_s, theirs = time_library(mentee_scores, mentor_scores, CAPACITY)
            identical = bool(np.array_equal(ours, theirs))
            speedup = solve_s / ours_s
            print(
                f"{label:>18} {build_s:11.3f} {solve_s:11.3f} {ours_s:11.4f} {speedup:8.0f}x "
                f"{int((ours >= 0).sum()):8,}  {'IDENTICAL' if identical else 'DIFFERENT'}"
            )
            if not identical:
                differ = int((ours != theirs).sum())
                print(f"{'':>18} {differ:,} mentees differ")
        else:
            build_s = solve_s = speedup = float("nan")
            identical = None
            print(
                f"{label:>18} {'skipped':>11} {'skipped':>11} {ours_s:11.4f} {'-':>9} "
                f"{int((ours >= 0).sum()):8,}  (library skipped)"
            )
        rows.append(
            {
                "size": (n, m),
                "library_s": solve_s,
                "build_s": build_s,
                "mentorlab_s": ours_s,
                "speedup": speedup,
                "identical": identical,
            }
        )
    return rows


# ---------------------------------------------------------------------------------
# 2. optimal_assignment vs linear_sum_assignment, each in a fresh process


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def solve_in_child(solver: str, n: int, m: int, capacity: int, seed: int) -> dict:
    """Run one assignment solver; called in a fresh spawned process.

    Builds the score matrix from ``seed`` (so both solvers see the same problem), notes
    the peak resident memory so far, solves, and reports the time, total, matched count
    and the peak memory the solve added on top of that baseline.
    """
    from scipy.optimize import linear_sum_assignment

    from mentorlab.matching.kernels import DENSE_CELL_LIMIT

    scores = np.random.default_rng(seed).random((n, m))
    baseline = _peak_kib()
    start = time.perf_counter()
    if solver == "mentorlab":
        assigned = ml.optimal_assignment(
            scores, np.full(m, capacity), objective="most_matched", method="auto"
        )
        rows = np.flatnonzero(assigned >= 0)
        cols = assigned[rows]
        slots = min(capacity, n) * m
        path = "dense" if n * slots <= DENSE_CELL_LIMIT else "sparse"
    elif solver == "scipy":
        slot_owner = np.repeat(np.arange(m), capacity)
        rows, slot = linear_sum_assignment(scores[:, slot_owner], maximize=True)
        cols = slot_owner[slot]
        path = "slot-expanded"
    else:
        raise ValueError(f"unknown solver {solver!r}")
    seconds = time.perf_counter() - start
    peak = _peak_kib()
    return {
        "seconds": seconds,
        "total": float(scores[rows, cols].sum()),
        "matched": int(rows.size),
        "peak_kib": peak,
        "added_kib": peak - baseline,
        "path": path,
    }


def run_fresh(solver: str, n: int, m: int) -> dict:
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(solve_in_child, solver, n, m, CAPACITY, SEED).result()


def bench_assignment(n: int, m: int) -> dict:
    print("\n== 2. optimal_assignment vs scipy linear_sum_assignment (slot-expanded) ==")
    print(
        f"{n:,} mentees x {m:,} mentors, capacity {CAPACITY}, uniform random scores; one run "
        "each,\nin a fresh spawned process. 'added' = peak RSS minus the peak after building "
        "the\nscore matrix (includes scipy's slot-expanded copy); 'peak' = the child's total."
    )
    mine = run_fresh("mentorlab", n, m)
    theirs = run_fresh("scipy", n, m)
    print(
        f"{'solver':>34} {'path':>13} {'seconds':>8} {'total':>14} {'matched':>8} "
        f"{'added MiB':>9} {'peak MiB':>9}"
    )
    for label, row in [
        ("mentorlab.optimal_assignment", mine),
        ("scipy linear_sum_assignment", theirs),
    ]:
        print(
            f"{label:>34} {row['path']:>13} {row['seconds']:8.2f} {row['total']:14.6f} "
            f"{row['matched']:8,} {row['added_kib'] / 1024:9.0f} {row['peak_kib'] / 1024:9.0f}"
        )
    diff = abs(mine["total"] - theirs["total"])
    speed = theirs["seconds"] / mine["seconds"]
    memory = theirs["added_kib"] / max(mine["added_kib"], 1)
    print(f"|total difference| = {diff:.3g} ({'same optimum' if diff < 1e-6 else 'DIFFERENT'})")
    print(f"speed ratio (scipy s / mentorlab s) = {speed:.2f}x")
    print(f"added-memory ratio (scipy / mentorlab) = {memory:.2f}x")
    return {
        "size": (n, m),
        "mine": mine,
        "theirs": theirs,
        "diff": diff,
        "speed": speed,
        "memory": memory,
    }


# ---------------------------------------------------------------------------------
# 3. Every strategy on a small cohort


def bench_strategies() -> list[dict]:
    n_mentors, n_mentees = STRATEGY_COHORT
    print("\n== 3. mentorlab.match, every strategy ==")
    print(
        f"cohort = simulate_cohort({n_mentors}, {n_mentees}, seed=7), chemistry seed 1; median "
        f"of {STRATEGY_SEEDS} seeds.\nBaseline: 'milliseconds per call so thousands of "
        f"replications are cheap', read as {STRATEGY_BUDGET_MS:.0f} ms."
    )
    cohort = ml.simulate_cohort(n_mentors, n_mentees, seed=7)
    chem = ml.draw_chemistry(cohort, seed=1)
    print(f"{'strategy':>16} {'median ms':>10} {'max ms':>8} {'reps/s':>8} {'vs 50 ms':>9}")
    rows = []
    for name in ml.STRATEGY_NAMES:
        ml.match(cohort, name, seed=0, chemistry=chem)  # warm-up
        times = []
        for seed in range(STRATEGY_SEEDS):
            start = time.perf_counter()
            ml.match(cohort, name, seed=seed, chemistry=chem)
            times.append(time.perf_counter() - start)
        median_ms = 1000 * statistics.median(times)
        ratio = median_ms / STRATEGY_BUDGET_MS
        print(
            f"{name:>16} {median_ms:10.2f} {1000 * max(times):8.2f} {1000 / median_ms:8.0f} "
            f"{ratio:8.3f}x"
        )
        rows.append({"name": name, "median_ms": median_ms, "ratio": ratio})
    return rows


# ---------------------------------------------------------------------------------


def summarise(da_rows: list[dict], assign: dict, strategy_rows: list[dict]) -> None:
    print("\n== Summary ==")
    for row in da_rows:
        n, m = row["size"]
        label = f"{n:,} x {m:,}"
        if row["identical"] is None:
            print(f"deferred_acceptance {label}: {row['mentorlab_s']:.4f} s (library skipped)")
            continue
        verdict = "identical" if row["identical"] else "DIFFERENT"
        print(
            f"deferred_acceptance {label}: {row['speedup']:.0f}x faster than matching "
            f"HospitalResident.solve ({row['library_s']:.2f} s vs {row['mentorlab_s']:.4f} s), "
            f"matchings {verdict}"
        )
    timed = [r for r in da_rows if r["identical"] is not None and r["size"] == DA_SIZES[-1]]
    if timed:
        row = timed[0]
        met = row["identical"] and row["speedup"] >= DA_TARGET_SPEEDUP
        print(
            f"  issue target (identical and >= {DA_TARGET_SPEEDUP:.0f}x at 2,000 x 400): "
            f"{'met' if met else 'NOT met'}"
        )
    n, m = assign["size"]
    mine, theirs = assign["mine"], assign["theirs"]
    print(
        f"optimal_assignment {n:,} x {m:,} ({mine['path']} path): "
        f"{assign['speed']:.2f}x the speed of scipy's slot-expanded linear_sum_assignment "
        f"({mine['seconds']:.2f} s vs {theirs['seconds']:.2f} s); "
        f"added memory {mine['added_kib'] / 1024:.0f} MiB vs {theirs['added_kib'] / 1024:.0f} "
        f"MiB (scipy/mentorlab {assign['memory']:.1f}x); |total difference| {assign['diff']:.3g}; "
        f"matched {mine['matched']:,} vs {theirs['matched']:,}"
    )
    slowest = max(strategy_rows, key=lambda r: r["median_ms"])
    fastest = min(strategy_rows, key=lambda r: r["median_ms"])
    print(
        f"strategies on {STRATEGY_COHORT[0]} x {STRATEGY_COHORT[1]}: "
        f"{fastest['median_ms']:.2f} ms ({fastest['name']}) to {slowest['median_ms']:.2f} ms "
        f"({slowest['name']}) per call; slowest at {slowest['ratio']:.3f}x the "
        f"{STRATEGY_BUDGET_MS:.0f} ms budget ({1000 / slowest['median_ms']:.0f} replications/s)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: deferred acceptance at 300 x 60 only, assignment at 2,000 x 400",
    )
    parser.add_argument(
        "--skip-library",
        action="store_true",
        help="skip the slow matching-library timings (identity still checked at 300 x 60)",
    )
    args = parser.parse_args(argv)

    import matching
    import scipy

    print(
        f"mentorlab {ml.__version__}, matching {matching.__version__}, scipy {scipy.__version__}, "
        f"numpy {np.__version__}, Python {sys.version.split()[0]}"
        + ("  [--quick]" if args.quick else "")
        + ("  [--skip-library]" if args.skip_library else "")
    )
    da_sizes = list(DA_QUICK_SIZES if args.quick else DA_SIZES)
    if args.skip_library and IDENTITY_CHECK_SIZE not in da_sizes:
        da_sizes.insert(0, IDENTITY_CHECK_SIZE)
    da_rows = bench_deferred_acceptance(da_sizes, args.skip_library)
    assign = bench_assignment(*(ASSIGN_QUICK_SIZE if args.quick else ASSIGN_SIZE))
    strategy_rows = bench_strategies()
    summarise(da_rows, assign, strategy_rows)


if __name__ == "__main__":
    main()
