"""`make bench`: run every bench/*.py module that has run(), print one table.

(A minimal runner written on the bookings branch because main's was not there yet; the lead's
version wins at merge.)
"""

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    rows = []
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        bench = importlib.import_module(f"bench.{module.name}")
        if hasattr(bench, "run"):
            rows += [(module.name, figure, value) for figure, value in bench.run()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)] if rows else [0, 0, 0]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
