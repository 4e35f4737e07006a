"""Writing a compliance report as HTML, Markdown or PDF from :class:`ComplianceData`.

Templates are Jinja2 files under ``resources/reports`` with autoescaping on in every
format: evidence is article text and may hold hostile markup. The charts are built here
(:mod:`charts`) and handed to the templates as finished SVG. The PDF is the HTML laid out
by WeasyPrint with a URL fetcher that refuses everything, so a report never reaches the
network, whatever a source's text contains.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from trucewatch.reports.charts import bars, point_map
from trucewatch.reports.compliance import ComplianceData

FORMATS = ("html", "md", "pdf")
CHARTS = ("week", "side", "type", "place", "map")


def environment() -> Environment:
    env = Environment(loader=PackageLoader("trucewatch", "resources/reports"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cell"] = _cell
    return env


def _cell(value: Any) -> str:
    """A value fit for one Markdown table cell (escaped later by the environment)."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|")


def charts(data: ComplianceData) -> dict[str, Markup]:
    """The report's figures as SVG, from the counts the data already holds."""
    located = Counter((round(e.latitude, 2), round(e.longitude, 2), e.place) for e in data.incidents
                      if e.latitude is not None and e.longitude is not None)
    return {
        "week": bars("Incidents in scope by week", data.by_week),
        "side": bars("By side of the accused (actor 1)", data.by_side),
        "type": bars("By type", data.by_type),
        "place": bars("By place", data.by_place),
        "map": point_map("Where (equirectangular, no outlines)",
                         [(lat, lon, place, n) for (lat, lon, place), n in sorted(located.items())]),
    }


def render_html(data: ComplianceData) -> str:
    return environment().get_template("report.html.j2").render(d=data, charts=charts(data))


def render_markdown(data: ComplianceData, chart_files: dict[str, str]) -> str:
    return environment().get_template("report.md.j2").render(d=data, charts=chart_files)


def write_report(data: ComplianceData, fmt: str, path: Path) -> list[Path]:
    """Write the report in ``fmt``; the files written (Markdown keeps its charts beside it)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        written = []
        files = {}
        for name, svg in charts(data).items():
            target = path.with_name(f"{path.stem}-{name}.svg")
            target.write_text(str(svg), encoding="utf-8")
            files[name] = target.name
            written.append(target)
        path.write_text(render_markdown(data, files), encoding="utf-8")
        return [path, *written]
    html = render_html(data)
    if fmt == "html":
        path.write_text(html, encoding="utf-8")
        return [path]
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # the package, or Pango under it, is missing
        raise RuntimeError(f"PDF reports need WeasyPrint and the Pango libraries (Debian: apt-get install "
                           f"libpango-1.0-0 libpangoft2-1.0-0); write html or md instead ({exc})") from exc

    class NoFetch(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"reports fetch nothing: {url}")

    HTML(string=html, url_fetcher=NoFetch()).write_pdf(str(path))
    return [path]
