"""The project's set-up files agree with each other and with the README."""

import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _requirement(spec: str) -> tuple[str, str]:
    """('name', 'lower bound') of a requirement such as 'dask[distributed]>=2024.1'."""
    spec = spec.split(";")[0].strip()
    match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(?:>=\s*([^,\s]+))?.*", spec)
    assert match, spec
    return match.group(1).lower().replace("_", "-"), match.group(2) or ""


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _conda_requirements() -> dict[str, str]:
    """Requirements of environment.yml: conda packages plus those its pip section installs."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            specs += [p for p in entry["pip"] if not p.startswith("-")]
    return dict(_requirement(d) for d in specs)


def test_every_dependency_is_in_environment_yml_with_the_same_lower_bound():
    conda = _conda_requirements()
    project = _pyproject()
    wanted = list(project["dependencies"])
    wanted += project["optional-dependencies"]["test"]
    for spec in wanted:
        if "python_version" in spec:
            continue  # back-ports for old Pythons; conda pins python itself
        name, bound = _requirement(spec)
        assert name in conda, f"{name} is in pyproject.toml but not in environment.yml"
        assert conda[name] == bound, (
            f"{name}: pyproject says >={bound}, environment.yml >={conda[name]}"
        )
    for spec in project["optional-dependencies"]["dist"]:
        _, bound = _requirement(spec)
        assert conda["dask"] == bound and conda["distributed"] == bound


def test_environment_yml_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_part = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "--editable ." in pip_part


def test_readme_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_test_runs_ruff_pytest_and_nbval_on_every_notebook():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\blint\b.*\bunit\b.*\bnbval\b", makefile, re.M)
    assert "ruff check" in makefile and "pytest" in makefile
    assert "--nbval-lax --nbval-current-env $(NOTEBOOKS)" in makefile
    assert "NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))" in makefile


def test_public_api_is_declared():
    import mentorlab

    for name in mentorlab.__all__:
        assert hasattr(mentorlab, name), name
    assert mentorlab.__version__ == _pyproject()["version"]
