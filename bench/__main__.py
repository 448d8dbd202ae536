"""`make bench`: run every benchmark module of bench/ and print one table of figures.

Each module `bench/<name>.py` has `run() -> list[tuple[str, str]]` rows (figure, value), all
measured side by side in that one run. The table is also written to bench/RESULTS.md.
"""

import importlib
import os
import pkgutil
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmark_modules(selected: list[str]) -> list[str]:
    names = sorted(info.name for info in pkgutil.iter_modules([str(HERE)]))
    names = [name for name in names if not name.startswith("_")]
    return [name for name in names if not selected or name in selected]


def machine() -> str:
    cores = os.cpu_count()
    return f"{platform.node()} ({platform.machine()}, {cores} cores, {platform.python_version()})"


def main(selected: list[str]) -> int:
    rows = []
    for name in benchmark_modules(selected):
        module = importlib.import_module(f"bench.{name}")
        if hasattr(module, "run"):
            rows.extend((name, figure, value) for figure, value in module.run())
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Benchmarks, {stamp}, on {machine()}", "", "| benchmark | figure | value |"]
    lines += ["| --- | --- | --- |"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    (HERE / "RESULTS.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
