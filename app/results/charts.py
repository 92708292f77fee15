"""Geometry of the results charts, drawn as SVG by the templates (app/templates/results/_charts.html).

Pure functions of figures already computed: a chart never asks the database for anything, and its numbers
are the ones in the table beside it. Every chart is a horizontal layout so it reads on a phone and prints.
"""

from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 170
RIGHT = 125  # room for a label such as "73% (small sample)" after the interval
PLOT = WIDTH - LABEL_WIDTH - RIGHT
ROW = 22
TOP = 28


def x_of(share: float) -> float:
    return round(LABEL_WIDTH + PLOT * max(0.0, min(1.0, share)), 1)


TICKS = [{"x": x_of(t / 100), "label": f"{t}%"} for t in range(0, 101, 25)]


@dataclass
class Bar:
    label: str
    y: float
    width: float
    low_x: float | None
    high_x: float | None
    text: str
    small_sample: bool
    series: int = 0


@dataclass
class Chart:
    title: str
    description: str
    height: float
    ticks: list = field(default_factory=lambda: TICKS)
    bars: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # [{"label", "y"}]
    markers: list = field(default_factory=list)  # reference figures: [{"x", "y1", "y2", "label"}]
    lines: list = field(default_factory=list)  # trend: [{"label", "points": "x,y ...", "dots": [...]}]
    legend: list = field(default_factory=list)  # [{"label", "series"}]


def _bar(label, rate, y, series=0) -> Bar:
    value = rate["value"] or 0.0
    return Bar(
        label=label,
        y=y,
        width=round(x_of(value) - LABEL_WIDTH, 1),
        low_x=x_of(rate["ci_low"]) if rate["ci_low"] is not None else None,
        high_x=x_of(rate["ci_high"]) if rate["ci_high"] is not None else None,
        text=f"{value * 100:.0f}%" + (" (small sample)" if rate["small_sample"] else ""),
        small_sample=rate["small_sample"],
        series=series,
    )


def channel_by_wave(rows: list[dict], waves: list, title: str) -> Chart:
    """Score per channel, one bar per wave side by side, with the channel's reference figure beside them."""
    channels = []
    for row in rows:
        if row["channel"]["id"] not in [c["id"] for c in channels]:
            channels.append(row["channel"])
    by_key = {(r["channel"]["id"], r["wave"]["id"]): r for r in rows}
    wave_ids = [w.id for w in waves if any(r["wave"]["id"] == w.id for r in rows)]
    chart = Chart(
        title=title,
        description=(
            "Horizontal bars: the partnership's score per channel for each wave, with the 95% interval as a "
            "line across each bar and the external reference figure as a dashed mark. The same numbers are "
            "in the table below."
        ),
        height=0,
        legend=[{"label": w.name, "series": i} for i, w in enumerate(waves) if w.id in wave_ids],
    )
    y = TOP
    for channel in channels:
        top = y
        chart.groups.append({"label": channel["name"], "y": y + ROW * len(wave_ids) / 2})
        reference = None
        for series, wave_id in enumerate(wave_ids):
            row = by_key.get((channel["id"], wave_id))
            if row is not None:
                chart.bars.append(_bar(channel["name"], row["score"], y, series))
                reference = reference or row.get("reference")
            y += ROW
        if reference:
            chart.markers.append(
                {
                    "x": x_of(reference["value"]),
                    "y1": top - 3,
                    "y2": y - 3,
                    "label": f"{reference['value'] * 100:.0f}%",
                }
            )
        y += 10
    chart.height = y + 10
    return chart


def league(rows: list[dict], title: str) -> Chart:
    """One bar per organisation, highest first, with its interval; small samples drawn hollow and unranked."""
    ordered = sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["organisation"]["name"]))
    chart = Chart(
        title=title,
        description=(
            "Horizontal bars: each organisation's score with its 95% interval as a line; organisations with "
            "fewer reports than the programme's minimum are hollow and not ranked. The same numbers are in "
            "the table beside the chart."
        ),
        height=0,
    )
    y = TOP
    for row in ordered:
        chart.bars.append(_bar(row["organisation"]["name"], row["score"], y))
        chart.groups.append({"label": row["organisation"]["name"], "y": y + ROW / 2})
        y += ROW + 4
    chart.height = y + 10
    return chart


TREND_HEIGHT = 260
TREND_TOP = 20
TREND_BOTTOM = 40


def trend(rows: list[dict], waves: list, title: str) -> Chart:
    """A line per organisation across the waves, score on the vertical axis."""
    wave_ids = [w.id for w in waves]
    if len(wave_ids) > 1:
        step = (WIDTH - LABEL_WIDTH - RIGHT) / (len(wave_ids) - 1)
    else:
        step = 0
    plot_height = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM

    def y_of(share):
        return round(TREND_TOP + plot_height * (1 - share), 1)

    chart = Chart(
        title=title,
        description=(
            "Lines: each organisation's score in each wave, left to right; dots mark the waves. The same "
            "numbers, with each figure's sample and interval, are in the table below."
        ),
        height=TREND_HEIGHT,
        ticks=[{"y": y_of(t / 100), "label": f"{t}%"} for t in range(0, 101, 25)],
        groups=[{"label": w.name, "x": round(LABEL_WIDTH / 2 + i * step, 1)} for i, w in enumerate(waves)],
    )
    by_organisation: dict = {}
    for row in rows:
        by_organisation.setdefault(row["organisation"]["id"], []).append(row)
    for series, members in enumerate(by_organisation.values()):
        dots = []
        for row in sorted(members, key=lambda r: wave_ids.index(r["wave"]["id"])):
            if row["score"]["value"] is None:
                continue
            x = round(LABEL_WIDTH / 2 + wave_ids.index(row["wave"]["id"]) * step, 1)
            dots.append(
                {"x": x, "y": y_of(row["score"]["value"]), "small_sample": row["score"]["small_sample"]}
            )
        if dots:
            chart.lines.append(
                {
                    "label": members[0]["organisation"]["name"],
                    "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
                    "dots": dots,
                    "series": series % 8,
                }
            )
    return chart
