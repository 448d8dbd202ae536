"""Minimal runner (the lead's may replace it): run every bench/*.py with run(), print a table."""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coaching.settings_test")


def main() -> None:
    import django

    django.setup()
    rows = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("_"):
            continue
        bench = importlib.import_module(f"bench.{module.name}")
        if hasattr(bench, "run"):
            rows += [(module.name, figure, value) for figure, value in bench.run()]
    width = max((len(figure) for _, figure, _ in rows), default=10)
    for name, figure, value in rows:
        print(f"{name:<22} {figure:<{width}}  {value}")


if __name__ == "__main__":
    main()
