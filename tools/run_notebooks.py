"""Execute notebooks in place so that their stored outputs are the current ones.

Usage: python tools/run_notebooks.py notebooks/*.ipynb

Runs each notebook top to bottom in the current environment's ``python3`` kernel and
writes it back with fresh outputs (what nbval then compares).  With ``--out DIR`` and
``-p name value`` pairs it runs a parameterised copy through papermill instead, for
full-size runs that are not committed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from mentorlab.cli import parse_value


def execute_in_place(path: Path, timeout: int) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    for cell in notebook.cells:
        # Execution timing changes every run, and how stdout is split into stream
        # messages depends on timing: drop the one, merge the other, so re-running an
        # unchanged notebook rewrites the same file.
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    nbformat.write(notebook, path)


def _merge_streams(outputs):
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and output.output_type == "stream"
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def execute_parameterised(path: Path, out_dir: Path, parameters: dict[str, str]) -> None:
    import papermill

    out_dir.mkdir(parents=True, exist_ok=True)
    values = {name: parse_value(value) for name, value in parameters.items()}
    papermill.execute_notebook(
        str(path), str(out_dir / path.name), parameters=values, kernel_name="python3"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=1200, help="seconds allowed per cell")
    parser.add_argument("--out", type=Path, help="run through papermill into this directory")
    parser.add_argument("-p", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    args = parser.parse_args(argv)
    for path in args.notebooks:
        start = time.perf_counter()
        if args.out is None:
            execute_in_place(path, args.timeout)
        else:
            execute_parameterised(path, args.out, dict(args.p))
        print(f"{path}: executed in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
