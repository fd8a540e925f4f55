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
    return "#c62828"


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
            share = _share(value)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="3" '
                f'fill="{_colour(value)}"><title>{escape(row.label)} · {escape(columns[index])}: '
                f"{share}</title></rect>"
            )
            # The number too, so the chart does not rely on colour alone (WCAG 1.4.1).
            parts.append(
                f'<text x="{x + cell / 2:.0f}" y="{y + cell * 0.62:.0f}" font-size="9" '
                f'text-anchor="middle" fill="{_ink(value)}" aria-hidden="true">'
                f"{_number(value)}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def attendance_table(rows: list[Row], columns: list[str], *, caption: str) -> Markup:
    """The heat strip's figures as a table, for screen readers and for reading exact values."""
    head = "".join(f'<th scope="col">{escape(column)}</th>' for column in columns)
    body = "".join(
        f'<tr><th scope="row">{escape(row.label)}</th>'
        + "".join(f"<td>{_share(value)}</td>" for value in row.values)
        + "</tr>"
        for row in rows
    )
    return Markup(  # noqa: S704 - every interpolated text is escaped above
        f'<table class="chart-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _share(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def _number(value: float | None) -> str:
    return "" if value is None else str(round(value * 100))


def _ink(value: float | None) -> str:
    """Text colour with enough contrast on the cell's fill."""
    return "#ffffff" if value is not None and (value >= 0.75 or value == 0) else "#1a1a1a"
