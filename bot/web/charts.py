"""Bar charts as inline SVG, drawn here: stacked columns over days, stacked rows over categories.

Each chart is an image with a title for screen readers, each bar segment has a tooltip (``<title>``), and
the figures follow in a table, so nothing is known only from colour or shape.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from bot.web.html import Html, fmt, join

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 34, 36
_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: list[int]


def nice_max(value: int) -> int:
    """The axis top: the value rounded up to 1, 2 or 5 times a power of ten (at least 4, so ticks are whole)."""
    if value <= 4:
        return 4
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 4, 5, 10) if m * power >= value)


def _legend(series: list[Series]) -> Html:
    parts, x = [], LEFT
    for s in series:
        parts.append(fmt('<rect x="{}" y="8" width="12" height="12" fill="{}"/><text x="{}" y="18">{}</text>', x,
                         s.colour, x + 16, s.name))
        x += 28 + 12 * len(s.name)
    return join(parts)


def columns(title: str, categories: list[str], series: list[Series], label_every: int = 1) -> Html:
    """Stacked columns, one per category (a day), each series a segment; the y axis counts."""
    cid = next(_ids)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = nice_max(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(categories))
    bar = max(1.0, step * 0.7)
    parts = [_legend(series)]
    for tick in range(5):
        value = top * tick // 4
        y = TOP + plot_h - plot_h * value / top
        parts.append(fmt('<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#e3e6ea"/>'
                         '<text x="{}" y="{:.1f}" text-anchor="end">{}</text>', LEFT, WIDTH - RIGHT, y, y, LEFT - 4,
                         y + 4, value))
    for i, category in enumerate(categories):
        x = LEFT + i * step + (step - bar) / 2
        base = float(TOP + plot_h)
        for s in series:
            if not s.values[i]:
                continue
            h = plot_h * s.values[i] / top
            base -= h
            parts.append(fmt('<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
                             '<title>{} {}: {}</title></rect>', x, base, bar, h, s.colour, category, s.name,
                             s.values[i]))
        if i % label_every == 0 or i == len(categories) - 1:
            parts.append(fmt('<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>', x + bar / 2,
                             HEIGHT - BOTTOM + 16, category))
    return _svg(cid, title, parts)


def rows(title: str, categories: list[str], series: list[Series]) -> Html:
    """Stacked horizontal bars, one per category, scaled to the largest total; the count at each bar's end."""
    cid = next(_ids)
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top = max(max(totals, default=0), 1)
    label_w, row_h = 110, 34
    height = TOP + row_h * len(categories) + 10
    plot_w = WIDTH - label_w - RIGHT - 40
    parts = [_legend(series)]
    for i, category in enumerate(categories):
        y = TOP + i * row_h
        parts.append(fmt('<text x="{}" y="{}" text-anchor="end">{}</text>', label_w - 6, y + 19, category))
        x = float(label_w)
        for s in series:
            if not s.values[i]:
                continue
            w = plot_w * s.values[i] / top
            parts.append(fmt('<rect class="bar" x="{:.1f}" y="{}" width="{:.1f}" height="24" fill="{}">'
                             '<title>{} {}: {}</title></rect>', x, y + 4, w, s.colour, category, s.name,
                             s.values[i]))
            x += w
        parts.append(fmt('<text x="{:.1f}" y="{}">{}</text>', x + 4, y + 19, totals[i]))
    return _svg(cid, title, parts, height)


def _svg(cid: int, title: str, parts: list[Html], height: int = HEIGHT) -> Html:
    return fmt('<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart{}" '
               'xmlns="http://www.w3.org/2000/svg"><title id="chart{}">{}</title>{}</svg>', WIDTH, height, cid, cid,
               title, join(parts))


def table(caption: str, head: list[str], body: list[list[object]]) -> Html:
    """The figures behind a chart, in a collapsed table."""
    th = join(fmt('<th scope="col"{}>{}</th>', Html(' class="n"') if i else "", h) for i, h in enumerate(head))
    trs = join(fmt("<tr>{}</tr>", join(fmt('<td class="n">{}</td>', c) if i else fmt("<td>{}</td>", c)
                                        for i, c in enumerate(row))) for row in body)
    return fmt('<details><summary>{}</summary><div class="table-wrap"><table><thead><tr>{}</tr></thead>'
               '<tbody>{}</tbody></table></div></details>', caption, th, trs)
