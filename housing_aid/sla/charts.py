"""Geometry for the dashboard's charts, rendered by the templates as inline SVG and CSS
(no JavaScript, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass

from housing_aid.sla.deadlines import STATES_WORST_FIRST


def segments(row: dict) -> list[dict]:
    """A stacked bar's parts (worst first), each with its share of the row's total in %."""
    total = row.get("total") or 0
    out = []
    for state in STATES_WORST_FIRST:
        count = row.get(state.value, 0) or 0
        if count:
            out.append(
                {"state": state.value, "label": state.label, "count": count, "percent": 100 * count / total}
            )
    return out


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    on_time: int
    late: int
    percent: int | None
    on_time_y: float
    on_time_h: float
    late_y: float
    late_h: float
    label_y: float

    @property
    def center(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class MonthlyChart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    gridlines: list[tuple[float, int]]


def monthly_chart(series: list[dict], month_label, width: int = 720, height: int = 240) -> MonthlyChart:
    """Stacked columns per month: on time at the bottom, late above, on-time share on top."""
    top, bottom, left, right = 28, 30, 36, 8
    plot_h = height - top - bottom
    peak = max((item["total"] for item in series), default=0)
    scale_max = _nice_ceiling(peak)
    slot = (width - left - right) / max(len(series), 1)
    bar_w = min(48.0, slot * 0.6)
    baseline = top + plot_h
    bars = []
    for i, item in enumerate(series):
        x = left + i * slot + (slot - bar_w) / 2
        on_h = plot_h * item["on_time"] / scale_max if scale_max else 0
        late_h = plot_h * item["late"] / scale_max if scale_max else 0
        bars.append(
            Bar(
                label=month_label(item["month"]),
                x=round(x, 1),
                width=round(bar_w, 1),
                on_time=item["on_time"],
                late=item["late"],
                percent=item["percent"],
                on_time_y=round(baseline - on_h, 1),
                on_time_h=round(on_h, 1),
                late_y=round(baseline - on_h - late_h, 1),
                late_h=round(late_h, 1),
                label_y=round(baseline - on_h - late_h - 6, 1),
            )
        )
    gridlines = []
    if scale_max:
        for step in range(5):
            value = scale_max * step // 4
            gridlines.append((round(baseline - plot_h * value / scale_max, 1), value))
    return MonthlyChart(width=width, height=height, baseline=baseline, bars=bars, gridlines=gridlines)


def _nice_ceiling(value: int) -> int:
    """The next round number at or above ``value`` (4, 8, 20, 40, 100, ...), divisible by 4."""
    if value <= 0:
        return 0
    magnitude = 1
    while magnitude * 10 < value:
        magnitude *= 10
    for factor in (1, 2, 4, 5, 8, 10):
        candidate = factor * magnitude
        if candidate >= value and candidate % 4 == 0:
            return candidate
    return ((value + 3) // 4) * 4
