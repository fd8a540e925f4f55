"""Small server-side SVG charts (no JavaScript): attendance per organisation per month."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Row:
    label: str
    #: Per column: share of meetings attended (0.0–1.0), or ``None`` when nothing was recorded.
    values: list[float | None]


def _colour(value: float | None) -> str:
    if value is None:
        return "#eeeeee"
    if value >= 0.75:
        return "#2e7d32"
    if value >= 0.5:
        return "#9ccc65"
    if value > 0:
        return "#ffb74d"
    return "#e53935"


def attendance_heatmap(rows: list[Row], columns: list[str], *, title: str) -> Markup:
    """A heat strip: one row per organisation, one cell per month, colour = share present."""
    label_width, cell, gap, top = 190, 26, 3, 22
    width = label_width + len(columns) * (cell + gap)
    height = top + len(rows) * (cell + gap) + 4
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, column in enumerate(columns):
        x = label_width + index * (cell + gap) + cell / 2
        parts.append(
            f'<text x="{x:.0f}" y="14" font-size="10" text-anchor="middle">{escape(column)}</text>'
        )
    for row_index, row in enumerate(rows):
        y = top + row_index * (cell + gap)
        label = row.label if len(row.label) <= 30 else row.label[:29] + "…"
        parts.append(f'<text x="0" y="{y + cell * 0.65:.0f}" font-size="11">{escape(label)}</text>')
        for index, value in enumerate(row.values):
            x = label_width + index * (cell + gap)
            share = "–" if value is None else f"{round(value * 100)}%"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="3" '
                f'fill="{_colour(value)}"><title>{escape(row.label)} · {escape(columns[index])}: '
                f"{share}</title></rect>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
