"""Server-side inline SVG charts for the consolidated page.

No chart library and no CDN: a coordinator's office network may block both, and a page that
prints or is saved to disk must keep its charts. The SVG is plain markup built here, so it
renders without JavaScript, and every chart carries a `<title>`, an `aria-label` and its values
as visible text (a screen reader or a grey-scale printout still gets the numbers).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from forms.kinds.numbers import format_number

BAR_HEIGHT = 16
ROW_GAP = 6
LABEL_WIDTH = 230
PLOT_WIDTH = 360
VALUE_WIDTH = 110
NO_DATA_TEXT = "không có số liệu"


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart; `value` None means no data (drawn as text, never as 0)."""

    label: str
    value: float | None
    verdict: str = ""  # CSS modifier: "met" | "not-met" | "" (no target)
    emphasis: bool = False  # the total row, drawn first and bold


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    css: str


def _num(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _shorten(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(title: str, bars: Sequence[Bar], *, unit: str = "%",
              target: float | None = None, target_text: str = "",
              scale_max: float | None = None, chart_id: str = "chart") -> Markup:
    """A horizontal bar chart, one row per bar, with an optional vertical target line.

    Rates are drawn on a 0–100 scale (or up to the largest value when that is bigger), so bars
    of different charts compare at a glance.
    """
    values = [v for v in (_num(b.value) for b in bars) if v is not None]
    top = max([scale_max or 100.0, *values, target or 0.0]) or 1.0
    row = BAR_HEIGHT + ROW_GAP
    axis = 18
    height = axis + row * max(len(bars), 1) + 8
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    title_id = f"{chart_id}-title"
    parts: list[str] = [
        f'<svg class="chart bar-chart" role="img" aria-labelledby="{title_id}" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        if tick > top:
            continue
        x = LABEL_WIDTH + PLOT_WIDTH * tick / top
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" '
                     f'y2="{height - 6}"/>')
        parts.append(f'<text class="tick" x="{x:.1f}" y="{axis - 7}" '
                     f'text-anchor="middle">{tick}</text>')
    for i, bar in enumerate(bars):
        y = axis + i * row
        value = _num(bar.value)
        label = escape(_shorten(bar.label))
        weight = ' font-weight="600"' if bar.emphasis else ""
        parts.append(f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 4}" '
                     f'text-anchor="end"{weight}>{label}</text>')
        if value is None:
            parts.append(f'<text class="nodata" x="{LABEL_WIDTH + 4}" '
                         f'y="{y + BAR_HEIGHT - 4}">{NO_DATA_TEXT}</text>')
        else:
            w = max(PLOT_WIDTH * max(value, 0.0) / top, 1.0)
            css = f"bar {bar.verdict}".strip() + (" total" if bar.emphasis else "")
            parts.append(f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" '
                         f'height="{BAR_HEIGHT}"/>')
            parts.append(f'<text class="value" x="{LABEL_WIDTH + PLOT_WIDTH + 6}" '
                         f'y="{y + BAR_HEIGHT - 4}"{weight}>{format_number(value, 2)} '
                         f'{escape(unit)}</text>')
    if target is not None:
        x = LABEL_WIDTH + PLOT_WIDTH * target / top
        parts.append(f'<line class="target" x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" '
                     f'y2="{height - 6}"><title>{escape(target_text)}</title></line>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bar(title: str, segments: Sequence[Segment], *, chart_id: str = "stack") -> Markup:
    """One horizontal bar split into segments (e.g. on time / late / returned / missing), with
    a legend that repeats every count as text."""
    total = sum(s.value for s in segments) or 1
    width, bar_h, legend_row = 600, 22, 20
    shown = list(segments)
    height = bar_h + 10 + legend_row * math.ceil(len(shown) / 2)
    title_id = f"{chart_id}-title"
    parts = [
        f'<svg class="chart stack-chart" role="img" aria-labelledby="{title_id}" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    x = 0.0
    for segment in shown:
        w = width * segment.value / total
        if w > 0:
            parts.append(f'<rect class="seg {segment.css}" x="{x:.1f}" y="0" width="{w:.1f}" '
                         f'height="{bar_h}"><title>{escape(segment.label)}: {segment.value}'
                         "</title></rect>")
        x += w
    for i, segment in enumerate(shown):
        lx = (i % 2) * (width / 2)
        ly = bar_h + 10 + (i // 2) * legend_row
        parts.append(f'<rect class="seg {segment.css}" x="{lx:.1f}" y="{ly}" width="12" '
                     'height="12" rx="2"/>')
        share = 100 * segment.value / total
        parts.append(f'<text class="legend" x="{lx + 18:.1f}" y="{ly + 11}">'
                     f"{escape(segment.label)}: {segment.value} ({format_number(share, 1)} %)"
                     "</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


COLUMN_WIDTH = 56
COLUMN_GAP = 18
COLUMN_PLOT = 120


def column_chart(title: str, bars: Sequence[Bar], *, unit: str = "",
                 chart_id: str = "columns") -> Markup:
    """Vertical columns in order (a series over time: quý I → 6 tháng → năm), each with its
    value written above it and its label below; no data is written, never drawn as 0. Rates
    keep the 0–100 scale, other numbers scale to the largest value."""
    values = [v for v in (_num(b.value) for b in bars) if v is not None]
    top = max([*values, 100.0 if unit == "%" else 0.0]) or 1.0
    head, foot = 20, 22
    width = max(len(bars), 1) * (COLUMN_WIDTH + COLUMN_GAP) + COLUMN_GAP
    height = head + COLUMN_PLOT + foot
    base = head + COLUMN_PLOT
    title_id = f"{chart_id}-title"
    parts: list[str] = [
        f'<svg class="chart column-chart" role="img" aria-labelledby="{title_id}" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<line class="grid" x1="0" y1="{base}" x2="{width}" y2="{base}"/>',
    ]
    for i, bar in enumerate(bars):
        x = COLUMN_GAP + i * (COLUMN_WIDTH + COLUMN_GAP)
        middle = x + COLUMN_WIDTH / 2
        value = _num(bar.value)
        parts.append(f'<text class="label" x="{middle:.1f}" y="{height - 6}" '
                     f'text-anchor="middle">{escape(_shorten(bar.label, 12))}</text>')
        if value is None:
            parts.append(f'<text class="nodata" x="{middle:.1f}" y="{base - 6}" '
                         'text-anchor="middle">—</text>')
            continue
        h = max(COLUMN_PLOT * max(value, 0.0) / top, 1.0)
        parts.append(f'<rect class="bar" x="{x}" y="{base - h:.1f}" width="{COLUMN_WIDTH}" '
                     f'height="{h:.1f}"/>')
        text = f"{format_number(value, 2)}{' ' + escape(unit) if unit else ''}"
        parts.append(f'<text class="value" x="{middle:.1f}" y="{base - h - 5:.1f}" '
                     f'text-anchor="middle">{text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
