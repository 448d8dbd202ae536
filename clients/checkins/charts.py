"""SVG geometry of the trends: a sparkline per person and power, a chart per power.

Geometry only; the templates draw it (as the intake's picture, `intake/presentation.py`). The
vertical axis is a direction D, -100..+100: up is "holds more say" for the line's own frame.
A missing reading breaks the line; every reading also gets a dot, so a single one shows.
"""

from collections.abc import Sequence

SPARK = {"width": 120, "height": 32, "pad": 4}
CHART = {"width": 360, "height": 150, "pad": 24, "left": 10}  # labels sit in the pads


def _y(reading: int, height: int, pad: int) -> float:
    middle = height / 2
    return round(middle - reading * (middle - pad) / 100, 1)


def line(readings: Sequence[int | None], *, width: int, height: int, pad: int, left: int = 0):
    """Polyline segments (points strings) and dots for `readings`, oldest at the left."""
    step = (width - left - pad) / max(len(readings) - 1, 1)
    segments, current, dots = [], [], []
    for index, reading in enumerate(readings):
        if reading is None:
            segments.append(current)
            current = []
            continue
        x, y = round(left + index * step, 1), _y(reading, height, pad)
        current.append(f"{x},{y}")
        dots.append({"x": x, "y": y, "value": reading})
    segments.append(current)
    return {"segments": [" ".join(points) for points in segments if len(points) > 1], "dots": dots}


def sparkline(readings: Sequence[int | None]) -> dict:
    return SPARK | {"middle": SPARK["height"] / 2} | line(readings, **SPARK)


def chart(series: dict[str, Sequence[int | None]]) -> dict:
    """One chart with a line per named series (e.g. each partner, in one frame)."""
    lines = [{"name": name} | line(values, **CHART) for name, values in series.items()]
    return CHART | {"middle": CHART["height"] / 2, "lines": lines}
