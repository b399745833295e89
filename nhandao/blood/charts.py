"""Server-side SVG charts of the statistics page: geometry computed here, drawn by the template
(`blood/_chart_*.html`) with classes only (no inline style, no script: the strict CSP holds)."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT = 600, 220
LEFT, BOTTOM, TOP = 40, 24, 12


@dataclass
class Bar:
    x: float
    y: float
    w: float
    h: float
    cls: str
    title: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    labels: list[tuple[float, float, str, str]] = field(default_factory=list)  # x, y, text, class
    ticks: list[tuple[float, str]] = field(default_factory=list)  # y, text
    target_path: str = ""
    base_y: float = HEIGHT - BOTTOM
    left: int = LEFT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _scale(top_value: int) -> int:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at least the value."""
    top_value = max(1, top_value)
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= top_value:
                return step * m
        step *= 10


def monthly(months: list[dict], year: int) -> Chart:
    """Units per month, stacked first-time (light) and repeat (dark), with the drives' targets as a
    dashed line."""
    chart = Chart()
    top = _scale(max([m["units"] for m in months] + [m["target"] for m in months] + [1]))
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(months)

    def y(value: float) -> float:
        return round(HEIGHT - BOTTOM - plot_h * value / top, 1)

    points = []
    for i, m in enumerate(months):
        x = LEFT + i * slot + slot * 0.15
        w = round(slot * 0.7, 1)
        new_h = HEIGHT - BOTTOM - y(m["new"])
        chart.bars.append(
            Bar(round(x, 1), y(m["new"]), w, round(new_h, 1), "new", f"{m['month']}/{year}: {m['new']}")
        )
        rep_top = y(m["new"] + m["repeat"])
        chart.bars.append(
            Bar(
                round(x, 1),
                rep_top,
                w,
                round(y(m["new"]) - rep_top, 1),
                "repeat",
                f"{m['month']}/{year}: {m['repeat']}",
            )
        )
        chart.labels.append((round(x + w / 2, 1), HEIGHT - 8, str(m["month"]), "mid"))
        points.append(f"{round(x + w / 2, 1)},{y(m['target'])}")
    if any(m["target"] for m in months):
        chart.target_path = "M" + " L".join(points)
    chart.ticks = [(y(v), f"{v:,}".replace(",", ".")) for v in (0, top // 2, top)]
    return chart


def horizontal(rows: list[tuple[str, int, int]]) -> Chart:
    """One bar per row (label, value, target): the value over a track as long as the target."""
    height = TOP + 22 * len(rows) + 8
    chart = Chart(height=height)
    top = _scale(max([max(v, t) for _l, v, t in rows] + [1]))
    left = 180
    chart.left = left
    span = WIDTH - left - 50
    for i, (label, value, target) in enumerate(rows):
        yy = TOP + i * 22
        if target:
            chart.bars.append(Bar(left, yy, round(span * target / top, 1), 16, "track", f"{label}: {target}"))
        chart.bars.append(Bar(left, yy, round(span * value / top, 1), 16, "units", f"{label}: {value}"))
        chart.labels.append((left - 6, yy + 12, label[:32], "end"))
        chart.labels.append(
            (
                left + round(span * max(value, target) / top, 1) + 4,
                yy + 12,
                f"{value:,}".replace(",", "."),
                "",
            )
        )
    return chart
