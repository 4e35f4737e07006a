"""Compliance reports on SQLite and PostgreSQL: HTML, Markdown and PDF render from a store
built from our own invented reports; every number in the report equals the store's own
answer, computed here with SQL; hostile article text stays text; the PDF is not blank."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.test_fusion_incidents import BENGHAZI, CLASH, TRIPOLI, doc, ev
from tests.clitools import run
from trucewatch.ceasefire.record import AgreementRecord, Party, ProvisionItem, StatusStep
from trucewatch.ceasefire.save import SaveCounts, save_record
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.reports.compliance import collect
from trucewatch.reports.render import write_report

SIRTE = {"country": "Libya", "admin1": "Sirt", "location": "Sirte", "latitude": 31.21, "longitude": 16.59,
         "geo_precision": 1}
NOWHERE = {"country": "Libya", "admin1": None, "location": None, "latitude": None, "longitude": None,
           "geo_precision": 3}
HOSTILE = "<script>alert('x')</script><img src=http://example.invalid/x.png>"
#: The sides the knowledge base gives the actors these reports name (written out by hand).
SIDES = {"Libyan National Army": "ly_lna_side", "Operation Volcano of Rage": "ly_gna_side", None: "undetermined"}


def _agreement() -> AgreementRecord:
    return AgreementRecord(
        id="oct-2020", name="Invented October ceasefire", kind="ceasefire", origin="import", country="Libya",
        signed="2020-10-23", effective_from="2020-10-23T00:00+02:00", effective_precision="minute",
        scope={"places": [{"name": "Libya", "type": "country"}], "lines": ["Sirte–Jufra"]},
        parties=[Party("party", "Libyan National Army", "ly_lna", "ly_lna_side"),
                 Party("party", "Government of National Accord", "ly_gna", "ly_gna_side"),
                 Party("monitor", "United Nations Support Mission in Libya", "unsmil", None)],
        provisions=[ProvisionItem("withdrawal", "all units leave the front lines within ninety days", "2021-01-21")],
        history=[StatusStep("agreed", "2020-10-23", "the two delegations signed", "test")])


def _hostile_doc() -> dict[str, Any]:
    body = f"Invented report quoting a post: {HOSTILE} and more words about the port shelling."
    start = body.index(HOSTILE)
    span = {"field": "sentence", "start": start, "end": start + len(HOSTILE), "text": HOSTILE}
    return {"id": "a" * 32, "outlet": "Desert Wire", "published": "2020-11-03", "text": body, "language": "en",
            "events": [ev(event_date="2020-11-02", claimant="the Government of National Accord", evidence=[span])]}


def build(store: Any) -> None:
    with store.session() as session:
        save_record(session, _agreement(), SaveCounts())
    fr = doc("b" * 32, "Coast Herald", ev(event_date="2020-11-02", status="negated", claimant="Libyan National Army"),
             published="2020-11-03")
    fr["language"] = "fr"
    ar = doc("d" * 32, "Sahel Courier", ev(event_date="2020-11-10", **CLASH, **BENGHAZI), published="2020-11-11")
    ar["language"] = "ar"
    write_documents(store, [
        _hostile_doc(), fr,
        doc("c" * 32, "Harbour Post", ev(event_date="2020-11-10", **CLASH, **BENGHAZI), published="2020-11-11"), ar,
        doc("e" * 32, "Harbour Post", ev(event_date="2020-12-01", actor1="Operation Volcano of Rage", **SIRTE,
                                         fatalities=3), published="2020-12-02"),
        doc("f" * 32, "Harbour Post", ev(event_date="2020-11-20", **CLASH, **NOWHERE), published="2020-11-21"),
        # a month that straddles the start: undetermined; and a day before it: out
        doc("g" * 32, "Coast Herald", ev(event_date="2020-10-01", time_precision=3, **BENGHAZI),
            published="2020-10-30"),
        doc("h" * 32, "Coast Herald", ev(event_date="2020-10-20", **TRIPOLI, actor1="Operation Volcano of Rage"),
            published="2020-10-21"),
    ])
    fuse(store)


# -- the store's own answers, by SQL -------------------------------------------------------

def _period(since: str | None, until: str | None) -> str:
    cond = ""
    if since:
        cond += f" AND i.event_date >= '{since}'"
    if until:
        cond += f" AND i.event_date <= '{until}'"
    if since or until:
        cond += " AND i.event_date IS NOT NULL"
    return cond


def expected(store: Any, since: str | None = None, until: str | None = None) -> dict[str, Any]:
    period = _period(since, until)
    scoped = f"FROM incident_scope s JOIN incidents i ON i.id = s.incident_id WHERE s.agreement_id = 'oct-2020'{period}"
    inside = scoped + " AND s.in_scope = :yes"
    with store.engine.connect() as conn:
        def q(sql: str) -> list[Any]:
            return list(conn.execute(text(sql), {"yes": True}))

        ids = [r[0] for r in q(f"SELECT i.id {inside}")]
        rows = q(f"SELECT i.event_date, i.actor1, i.disputed {inside}")
        out: dict[str, Any] = {
            "in scope": q(f"SELECT COUNT(*) {inside}")[0][0],
            "undetermined": q(f"SELECT COUNT(*) {scoped} AND s.in_scope IS NULL")[0][0],
            "checked": q(f"SELECT COUNT(*) {scoped}")[0][0],
            "undated": q(f"SELECT COUNT(*) {scoped} AND i.event_date IS NULL")[0][0],
            "unlocated": q(f"SELECT COUNT(*) {scoped} AND (i.latitude IS NULL OR i.longitude IS NULL)")[0][0],
            "step": dict(q(f"SELECT s.step, COUNT(*) {inside} GROUP BY s.step")),
            "type": dict(q(f"SELECT COALESCE(i.sub_event_type, i.event_type, i.process_type), COUNT(*) {inside} "
                           "GROUP BY COALESCE(i.sub_event_type, i.event_type, i.process_type)")),
            "place": dict(q(f"SELECT COALESCE(i.location, i.admin1, i.country, 'unlocated'), COUNT(*) {inside} "
                            "GROUP BY COALESCE(i.location, i.admin1, i.country, 'unlocated')")),
        }
        out["week"] = dict(Counter("{}-W{:02d}".format(*dt.date.fromisoformat(d).isocalendar()[:2]) for d, _, _ in rows))
        out["side"] = dict(Counter(SIDES[a] for _, a, _ in rows))
        out["disputed"] = sum(1 for *_, disputed in rows if disputed and disputed != "[]")
        if ids:
            listed = ", ".join(f"'{i}'" for i in ids)
            links = f"FROM incident_events l JOIN documents d ON d.id = l.document_id WHERE l.incident_id IN ({listed})"
            out["outlet"] = dict(q(f"SELECT COALESCE(d.outlet, 'outlet unknown'), COUNT(DISTINCT d.id) {links} "
                                   "GROUP BY COALESCE(d.outlet, 'outlet unknown')"))
            out["language"] = dict(q(f"SELECT COALESCE(d.language, 'unknown'), COUNT(DISTINCT d.id) {links} "
                                     "GROUP BY COALESCE(d.language, 'unknown')"))
            out["denials"] = q(f"SELECT COUNT(*) FROM incident_events WHERE role = 'disputes' "
                               f"AND incident_id IN ({listed})")[0][0]
            out["allegations"] = {(c, a): n for c, a, n in q(
                "SELECT e.claimant, i.actor1, COUNT(*) FROM incident_events l JOIN events e ON e.id = l.event_id "
                f"JOIN incidents i ON i.id = l.incident_id WHERE l.incident_id IN ({listed}) "
                "AND l.role <> 'disputes' AND e.claimant IS NOT NULL GROUP BY e.claimant, i.actor1")}
        else:
            out.update(outlet={}, language={}, denials=0, allegations={})
    return out


# -- the report's numbers, read back from its Markdown ---------------------------------------

def tables(markdown: str) -> dict[str, list[list[str]]]:
    """Every table by its first header cell: its body rows, cells stripped."""
    found: dict[str, list[list[str]]] = {}
    lines = markdown.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            body = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                body.append([c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]])
            found[line.strip("| ").split("|")[0].strip()] = body
    return found


def numbers(markdown: str) -> dict[str, Any]:
    t = tables(markdown)
    summary = {k: int(v) for k, v in t["figure"]}
    caveats = {k: int(n) for k, n, _ in t["caveat"]}
    return {
        "in scope": summary["incidents in scope"], "undetermined": summary["incidents whose scope is undetermined"],
        "checked": summary["incidents checked"], "denials": summary["denials"],
        "undated": caveats["checked incidents without a date"],
        "unlocated": caveats["checked incidents without coordinates"],
        "disputed": caveats["incidents in scope where sources disagree"],
        **{name: {k: int(n) for k, n in t[header]} for name, header in (
            ("step", "ladder step"), ("week", "week"), ("side", "side"), ("type", "type"), ("place", "place"),
            ("outlet", "outlet"), ("language", "language"))},
        "allegations": {(by, against): int(n) for by, against, n in t["by"]},
    }


@pytest.mark.parametrize("period", [(None, None), ("2020-11-05", "2020-11-30")])
def test_every_number_in_the_report_is_the_store_s(store: Any, tmp_path: Path,
                                                   period: tuple[str | None, str | None]) -> None:
    build(store)
    data = collect(store, "oct-2020", *period, gazetteer=False)
    path = tmp_path / "report.md"
    write_report(data, "md", path)
    markdown = path.read_text(encoding="utf-8")
    assert "<script>" not in markdown  # article text is escaped in Markdown too
    got = numbers(markdown)
    want = expected(store, *period)
    quiet = [w for w, n in got["week"].items() if n == 0]  # weeks between the first and the last with none
    got["week"] = {w: n for w, n in got["week"].items() if n}
    assert got == want
    assert all(min(want["week"]) < w < max(want["week"]) for w in quiet)
    if period == (None, None):  # the fixture's story, so the comparison is not between two empty tables
        assert (want["in scope"], want["undetermined"]) == (4, 1)
        assert want["step"] == {"alleged": 1, "corroborated": 1, "reported": 2}
        assert want["denials"] == 1 and want["unlocated"] == 1 and quiet == ["2020-W48"]
        assert want["allegations"] == {("the Government of National Accord", "Libyan National Army"): 1}
        assert want["language"] == {"en": 4, "fr": 1, "ar": 1}
        assert all((tmp_path / f"report-{c}.svg").read_text().startswith("<svg") for c in
                   ("week", "side", "type", "place", "map"))
    else:
        assert want["in scope"] == 2


def test_html_escapes_article_text_and_shows_the_same_figures(store: Any, tmp_path: Path) -> None:
    build(store)
    data = collect(store, "oct-2020", gazetteer=False)
    path = tmp_path / "report.html"
    write_report(data, "html", path)
    html = path.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img src=http" not in html
    want = expected(store)
    for key, n in (("in-scope", want["in scope"]), ("undetermined", want["undetermined"]),
                   ("checked", want["checked"]), ("denials", want["denials"])):
        assert re.search(rf'id="n-{key}">{n}<', html), key
    assert html.count("<svg") == 5 and "Invented October ceasefire" in html
    assert "withdrawal" in html and "United Nations Support Mission in Libya" in html


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_renders_and_its_first_page_is_not_blank(store: Any, tmp_path: Path) -> None:
    from PIL import Image

    build(store)
    code, output = run_cli(["report", "--db", store.url, "--agreement", "oct-2020", "--format", "pdf",
                            "-o", str(tmp_path / "r.pdf")])
    assert code == 0, output
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "r.pdf"),
                    str(tmp_path / "page")], check=True, timeout=120)
    (page,) = tmp_path.glob("page*.png")
    image = Image.open(page).convert("L")
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.002 * image.width * image.height  # text and tables, not an empty page


def run_cli(args: list[str]) -> tuple[int, str]:
    done = run(*args, timeout=600)
    return done.returncode, done.stdout + done.stderr


def test_cli_refuses_unknown_agreements_and_bad_options(store: Any, tmp_path: Path) -> None:
    build(store)
    code, output = run_cli(["report", "--db", store.url, "--agreement", "nope", "-o", str(tmp_path / "x.html")])
    assert code != 0 and "no agreement 'nope'" in output
    code, output = run_cli(["report", "--db", store.url, "--agreement", "oct-2020", "--format", "doc",
                            "-o", str(tmp_path / "x.doc")])
    assert code != 0 and "--format" in output
    code, output = run_cli(["report", "--db", store.url, "--agreement", "oct-2020", "--from", "2020-13-01",
                            "-o", str(tmp_path / "x.html")])
    assert code != 0 and "--from" in output
    if store.url.startswith("sqlite"):
        database = store.url.split("///", 1)[1]
        code, output = run_cli(["report", "--db", store.url, "--agreement", "oct-2020", "-o", database])
        assert code != 0 and Path(database).read_bytes().startswith(b"SQLite format 3"), output
    code, output = run_cli(["incidents", "--db", store.url, "--agreement", "oct-2020", "--json"])
    assert code == 0, output
    listed = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert len(listed) == 4 and all(x["agreement"]["in_scope"] == "in" for x in listed)
    assert {x["agreement"]["step"] for x in listed} == {"alleged", "corroborated", "reported"}
    code, output = run_cli(["scope", "--db", store.url])
    assert code == 0 and "1 agreements" in output and "4 in scope, 1 undetermined" in output, output
    code, output = run_cli(["scope", "--db", store.url, "--agreement", "nope"])
    assert code != 0 and "no agreement 'nope'" in output


def test_charts_escape_their_labels_and_scale_to_the_largest_bar() -> None:
    from trucewatch.reports.charts import bars, point_map

    svg = str(bars("by place", [("<b>Port</b>", 4), ("Sirte", 2)]))
    assert "<b>" not in svg and "&lt;b&gt;Port&lt;/b&gt;" in svg
    widths = [float(w) for w in re.findall(r"<rect x='200' y='[\d.]+' width='([\d.]+)'", svg)]
    assert widths[0] == 2 * widths[1]
    many = str(bars("t", [(f"p{i}", 1) for i in range(30)], max_rows=25))
    assert "5 others" in many
    located = str(point_map("m", [(32.89, 13.19, "Tripoli & port", 2), (31.21, 16.59, "Sirte", 1)]))
    assert located.count("<circle") == 2 and "Tripoli &amp; port" in located and "°N" in located
    assert "no located incident" in str(point_map("m", []))
