"""`make bench`: every benchmark of bench/, side by side in one run, in one table.

One command: a database of its own on the PostgreSQL server of DATABASE_URL (`<name>_bench`,
dropped afterwards), a private redis-server on a free port (no persistence), migrations, one Celery
worker and one beat on them for the whole run (their sweeps are counted in the table), then each
module `bench/<name>.py` with `run() -> list[tuple[str, str]]`. Figures that name a bar
("bar ≤ 50", "target ≥ 0.5") get PASS or FAIL. The table goes to stdout and bench/RESULTS.md with
the date and the machine; progress goes to stderr. Every process started here is stopped at the
end, on failure too. `python -m bench bookings_slots` runs only the modules named.
"""

import importlib
import os
import pkgutil
import platform
import re
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench import _services

HERE = Path(__file__).resolve().parent
BAR = re.compile(r"\((?:bar|target)\s*(≤|<=|≥|>=)\s*([\d.,]+)")
STARTED = time.monotonic()


def progress(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def benchmark_modules(selected: list[str]) -> list[str]:
    names = sorted(info.name for info in pkgutil.iter_modules([str(HERE)]))
    names = [name for name in names if not name.startswith("_")]
    return [name for name in names if not selected or name in selected]


def machine() -> str:
    cores = os.cpu_count()
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor() or platform.machine()
    return f"{platform.node()} ({cpu}, {cores} cores, Python {platform.python_version()})"


def verdict(figure: str, value: str) -> str:
    """PASS/FAIL when the figure names a bar and the value is a number; blank otherwise."""
    bar, number = BAR.search(figure), re.match(r"\s*([\d.,]+)", value)
    if not bar or not number:
        return ""
    limit, measured = float(bar[2].replace(",", "")), float(number[1].replace(",", ""))
    return "PASS" if (measured <= limit if bar[1] in "≤<=" else measured >= limit) else "FAIL"


def run_benchmarks(names: list[str]) -> list[tuple[str, str, str, str]]:
    rows = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        progress(f"{name}: running")
        started = time.monotonic()
        try:
            results = module.run()
            rows += [(name, figure, value, verdict(figure, value)) for figure, value in results]
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            rows.append((name, "error", f"{type(exc).__name__}: {str(exc)[:200]}", "FAIL"))
        progress(f"{name}: done in {time.monotonic() - started:.0f} s")
    return rows


def table(rows: list[tuple[str, str, str, str]], seconds: float) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    failed = sum(row[3] == "FAIL" for row in rows)
    passed = sum(row[3] == "PASS" for row in rows)
    lines = [f"# Benchmarks, {stamp}, on {machine()}", ""]
    lines += [f"`make bench`: {seconds:.0f} s; bars: {passed} passed, {failed} failed.", ""]
    lines += ["| benchmark | figure | value | bar |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines) + "\n"


def main(selected: list[str]) -> int:
    names = benchmark_modules(selected)
    with ExitStack() as stack:
        progress("a database and a Redis of the benchmark's own")
        env = stack.enter_context(_services.environment())
        progress("migrations")
        _services.migrate(env)
        progress("one Celery worker and one beat for the whole run")
        celery = stack.enter_context(_services.celery(env))
        os.environ["DJANGO_SETTINGS_MODULE"] = "coaching.settings_test"
        import django

        django.setup()
        rows = run_benchmarks(names)
        rows += [("celery", figure, value, "") for figure, value in celery.figures()]
        stack.callback(progress, "stopped every process and dropped the databases")
    text = table(rows, time.monotonic() - STARTED)
    print(text)
    (HERE / "RESULTS.md").write_text(text)
    return 1 if any(row[3] == "FAIL" for row in rows) else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        sys.stderr.write((exc.stderr or b"").decode()[-3000:] + "\n")
        raise
