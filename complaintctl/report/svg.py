"""Charts as inline SVG text: drawn once into the HTML file, so the report needs no script, no font and
no network when it is opened or printed."""

from __future__ import annotations

from html import escape

WIDTH = 640
ROW = 22
LABEL_WIDTH = 200
COLOUR = "#3b6ea5"


def bar_chart(items: list[tuple[str, int]], title: str) -> str:
    """Horizontal bars, one per (label, count), the count written at the end of each bar."""
    top = max((count for _, count in items), default=0)
    height = ROW * len(items) + 8
    room = WIDTH - LABEL_WIDTH - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for index, (label, count) in enumerate(items):
        y = 4 + index * ROW
        length = 0 if top == 0 else round(count / top * room)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
                     f"{escape(label)}</text>")
        if length:
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 6}" '
                         f'fill="{COLOUR}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}" font-size="12">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(items: list[tuple[str, int]], title: str) -> str:
    """Columns, one per (label, count) — the weeks of a period — with a few labels under them."""
    height, bottom, top_margin = 170, 30, 16
    plot = height - bottom - top_margin
    count_of = len(items) or 1
    step = (WIDTH - 20) / count_of
    top = max((count for _, count in items), default=0)
    every = max(1, round(count_of / 8))  # at most about eight labels, so they never overlap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             f'<line x1="10" y1="{height - bottom}" x2="{WIDTH - 10}" y2="{height - bottom}" '
             f'stroke="#888" stroke-width="1"/>']
    for index, (label, count) in enumerate(items):
        x = 10 + index * step
        column = 0 if top == 0 else count / top * plot
        if column:
            parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{height - bottom - column:.1f}" '
                         f'width="{step * 0.7:.1f}" height="{column:.1f}" fill="{COLOUR}">'
                         f"<title>{escape(label)}: {count}</title></rect>")
            if step >= 14:
                parts.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom - column - 3:.1f}" '
                             f'text-anchor="middle" font-size="10">{count}</text>')
        if index % every == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
                         f'font-size="10">{escape(label[5:] if len(label) == 10 else label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
