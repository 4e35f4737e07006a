"""Static SVG charts for reports: bars and a point map, drawn without any network or library.

Labels come from the data (place and actor names from articles), so every one is escaped;
the SVG is returned as :class:`markupsafe.Markup` to be placed in an autoescaping template
as it is. The map is an equirectangular plot of the incidents' points over a graticule:
trucewatch ships no country outlines, and a plain projection keeps a point where its
coordinates say, which is what a reader checks the map against.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def bars(title: str, counts: Sequence[tuple[str, int]], *, width: int = 640, row: int = 20,
         max_rows: int = 25) -> Markup:
    """A horizontal bar chart, one bar per (label, count), largest scale to the widest bar."""
    shown = list(counts[:max_rows])
    rest = sum(n for _, n in counts[max_rows:])
    if rest:
        shown.append((f"{len(counts) - max_rows} others", rest))
    label_w, top = 200, 28
    height = top + row * max(1, len(shown)) + 8
    peak = max((n for _, n in shown), default=0) or 1
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}'>",
             f"<text x='4' y='18' font-size='14' font-weight='bold' {FONT}>{escape(title)}</text>"]
    if not shown:
        parts.append(f"<text x='4' y='{top + 14}' font-size='12' {FONT}>nothing to show</text>")
    for i, (label, n) in enumerate(shown):
        y = top + i * row
        w = (width - label_w - 60) * n / peak
        short = label if len(label) <= 30 else label[:29] + "…"
        parts += [f"<text x='{label_w - 6}' y='{y + 14}' font-size='12' text-anchor='end' {FONT}>"
                  f"<title>{escape(label)}</title>{escape(short)}</text>",
                  f"<rect x='{label_w}' y='{y + 3}' width='{w:.1f}' height='{row - 6}' fill='#4a6fa5'/>",
                  f"<text x='{label_w + w + 4:.1f}' y='{y + 14}' font-size='12' {FONT}>{n}</text>"]
    parts.append("</svg>")
    return Markup("".join(parts))


def _step(span: float) -> float:
    """A graticule spacing giving a handful of lines over ``span`` degrees."""
    for step in (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30):
        if span / step <= 8:
            return step
    return 45


def point_map(title: str, points: Sequence[tuple[float, float, str, int]], *, width: int = 640,
              height: int = 420) -> Markup:
    """Incidents as dots at (lat, lon), sized by how many share the point, over a graticule."""
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}'>",
             f"<text x='4' y='18' font-size='14' font-weight='bold' {FONT}>{escape(title)}</text>",
             f"<rect x='40' y='28' width='{width - 50}' height='{height - 60}' fill='#f4f7fb' stroke='#888'/>"]
    if not points:
        parts += [f"<text x='50' y='60' font-size='12' {FONT}>no located incident</text>", "</svg>"]
        return Markup("".join(parts))
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    pad = 0.5
    lat0, lat1 = min(lats) - pad, max(lats) + pad
    lon0, lon1 = min(lons) - pad, max(lons) + 4 * pad  # room for the labels right of the dots
    # equal degrees on both axes (scaled by cos(latitude)), centred in the frame
    mid = math.cos(math.radians((lat0 + lat1) / 2))
    box_w, box_h = width - 50, height - 60
    scale = min(box_w / ((lon1 - lon0) * mid), box_h / (lat1 - lat0))
    lon_c, lat_c = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    lon0, lon1 = lon_c - box_w / scale / mid / 2, lon_c + box_w / scale / mid / 2
    lat0, lat1 = lat_c - box_h / scale / 2, lat_c + box_h / scale / 2

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return 40 + (lon - lon0) * mid * scale, 28 + (lat1 - lat) * scale

    step = _step(max(lon1 - lon0, lat1 - lat0))
    value = math.ceil(lon0 / step) * step
    while value <= lon1:
        x, _ = xy(lat0, value)
        parts += [f"<line x1='{x:.1f}' y1='28' x2='{x:.1f}' y2='{height - 32}' stroke='#ccd' stroke-width='0.6'/>",
                  f"<text x='{x:.1f}' y='{height - 18}' font-size='10' text-anchor='middle' {FONT}>"
                  f"{value:g}°{'E' if value >= 0 else 'W'}</text>"]
        value += step
    value = math.ceil(lat0 / step) * step
    while value <= lat1:
        _, y = xy(value, lon0)
        parts += [f"<line x1='40' y1='{y:.1f}' x2='{width - 10}' y2='{y:.1f}' stroke='#ccd' stroke-width='0.6'/>",
                  f"<text x='36' y='{y + 3:.1f}' font-size='10' text-anchor='end' {FONT}>"
                  f"{abs(value):g}°{'N' if value >= 0 else 'S'}</text>"]
        value += step
    for lat, lon, label, n in points:
        x, y = xy(lat, lon)
        r = 3 + 2 * math.sqrt(n)
        parts += [f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='#c0392b' fill-opacity='0.7' stroke='#600'>"
                  f"<title>{escape(label)}: {n}</title></circle>",
                  f"<text x='{x + r + 2:.1f}' y='{y + 4:.1f}' font-size='10' {FONT}>{escape(label)} ({n})</text>"]
    parts.append("</svg>")
    return Markup("".join(parts))
