"""data/synthetic is exactly what the documented command writes."""

import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "synthetic"
COMMAND = ["simulate", "--mentors", "60", "--mentees", "150", "--seed", "7"]


def test_embedded_cohort_regenerates_byte_for_byte(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mentorlab", *COMMAND, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    shipped = sorted(p.name for p in DATA.iterdir())
    regenerated = sorted(p.name for p in tmp_path.iterdir())
    assert shipped == regenerated
    for name in shipped:
        assert (DATA / name).read_bytes() == (tmp_path / name).read_bytes(), (
            f"data/synthetic/{name} is stale: rerun mentorlab {' '.join(COMMAND)} --out data/synthetic"
        )
