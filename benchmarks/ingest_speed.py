"""Ingest throughput and peak memory, measured on a synthetic corpus.

What it measures
----------------
For each input kind (plain-text files, HTML pages, one JSONL file) the script runs
the library call

    from trucewatch.store import open_store
    from trucewatch.documents.ingest import ingest
    ingest(store, [folder_or_file])

into a fresh SQLite database, in a separate child process for every run, so the
peak resident set size (``ru_maxrss``) is the peak of that one run and nothing is
cached between runs except the OS page cache. The child is pinned to one CPU
(``os.sched_setaffinity(0, {0})``) and BLAS/OpenMP thread pools are set to 1, so
the figures are single-core figures.

For every run it records:

* ingest seconds - wall time of the ``ingest()`` call only (the timed region);
* total seconds  - wall time of the whole child process, i.e. interpreter start,
  imports, opening/migrating the database and ingest;
* peak RSS       - the child's ``ru_maxrss`` (and its RSS just before ingest, so
  the growth caused by ingest itself is visible).

Each measurement is repeated ``--runs`` times; the table shows the median, min and
max documents/second and the median peak RSS. A second check ingests the text
corpus at N and 4N documents (N = docs/4, by default 2,500 and 10,000) and prints
both peak RSS figures and their difference: ingest streams, so peak memory should
not grow with the size of the corpus.

The corpus
----------
Generated here, deterministically (seeded ``random``), from this file's own
template sentences: short news-like reports (150-400 words) about a fictional
ceasefire, with invented places, parties, names, numbers and dates, so every
document is distinct. Plain text files carry a headline and a wire dateline
("PORT ANSELM, 12 March 2023 (Meridian Press) - ..."), some a few junk lines
("Share", "Read more: ...", a copyright footer) that the cleaner drops. HTML pages
wrap a report in navigation, metadata and a footer. JSONL records carry text,
title, url, outlet and an ISO publication date.

How to run
----------
    .venv/bin/python benchmarks/ingest_speed.py                      # everything, defaults
    .venv/bin/python benchmarks/ingest_speed.py --kind text --runs 5
    .venv/bin/python benchmarks/ingest_speed.py --docs 4000 --html-docs 500 --workdir /tmp/tw-bench

``--docs`` sets the number of plain-text documents and JSONL records (default
10,000), ``--html-docs`` the number of HTML pages (default 2,000). Without
``--workdir`` the corpus and databases live in a temporary directory that is
removed afterwards; with it they are kept (and the corpus reused when present).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SEED = 20240611
TEXT_SHARDS = 4  # the text corpus is split in 4 folders so the first one is the N of the N/4N check

# --------------------------------------------------------------------------------------
# Synthetic corpus: every word below is ours; places, parties and people are invented.
# --------------------------------------------------------------------------------------

PLACES = [
    "Port Anselm", "Marenthal", "Qasr Duna", "Velikor", "Saltmere", "Haddar", "Brenik", "Tolvasa",
    "Ember Ford", "Karsh Wells", "Old Lutrin", "Sarabend", "Nevicka", "Dunmoor", "Alabret", "Yarrow Gap",
    "Ostmark Crossing", "Tel Ramin", "Fenwick Hollow", "Casmir", "Juvera", "Lake Orsa", "Harrowgate Pass",
    "Bet Shalun", "Iskander Bay", "Morrow Flats", "Kelda", "Zarifa", "Greyvale", "Amberline", "Sidra North",
    "Pellan", "Vostrel", "Cinder Hill", "Rookmoor", "Talvik", "Umbra Station", "Westmere", "Qadira", "Lindhaven",
]
REGIONS = ["the northern districts", "the coastal strip", "the eastern valley", "the border province",
           "the river delta", "the southern plateau", "the old city", "the mountain corridor"]
PARTIES = [
    ("the Aldorian army", "the Free Ridge Brigades"),
    ("government forces", "the Northern Coalition"),
    ("the Saltmere Defence Units", "the Crescent Front"),
    ("the Republican Guard", "the United Valley Movement"),
    ("the Eastern Command", "the Lutrin Self-Defence Forces"),
    ("the National Army", "the Coastal Alliance"),
]
MEDIATORS = ["the Joint Monitoring Commission", "the regional envoy's office", "the ceasefire committee",
             "the Council of Elders", "the International Observer Mission", "the Humanitarian Liaison Cell"]
ROLES = ["spokesperson", "commander", "field coordinator", "mayor", "aid worker", "senior official",
         "monitor", "negotiator", "hospital director", "resident", "police chief", "analyst"]
FIRST = ["Amira", "Tomas", "Leila", "Idris", "Nadia", "Marek", "Sana", "Yusuf", "Elena", "Karim", "Hana",
         "Pavel", "Rania", "Omar", "Ines", "Dario", "Farah", "Joel", "Salma", "Viktor", "Noor", "Anton",
         "Layla", "Bashir", "Mira", "Tariq", "Greta", "Samir", "Zainab", "Lucas"]
LAST = ["Haddad", "Novak", "Rahimi", "Castell", "Aziz", "Belov", "Mansour", "Okafor", "Lindqvist", "Saleh",
        "Varga", "Nasser", "Moreau", "Qureshi", "Petrova", "Farouk", "Ibarra", "Khalil", "Dunstan", "Yilmaz"]
AGENCIES = ["Meridian Press", "Desert Wire", "Coastline News Service", "Valley Dispatch", "North Star Agency",
            "Lantern Media", "Frontline Bulletin", "Crossroads Report"]
WEAPONS = ["mortar rounds", "artillery shells", "rockets", "drones", "heavy machine guns", "sniper fire",
           "anti-tank missiles", "grenades"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

HEADLINES = [
    "Ceasefire holds in {place} despite overnight clashes",
    "Truce violations reported near {place}",
    "{mediator_cap} says {place} ceasefire largely respected",
    "Shelling resumes in {place} as talks stall",
    "Aid convoy reaches {place} under fragile truce",
    "{n} killed in {place} fighting, breaking {dow} truce",
    "Monitors deploy to {place} after ceasefire deal",
    "Prisoner exchange agreed as {place} truce enters week {week}",
    "Residents return to {place} as guns fall silent",
    "Both sides trade blame over {place} attack",
]
LEADS = [
    "{a_cap} and {b} accused each other of breaking the ceasefire in {place} on {dow}, "
    "hours after {mediator} announced that the truce had held for {days} days.",
    "A ceasefire between {a} and {b} came under strain in {place} on {dow} when {weapon} "
    "struck a checkpoint on the road to {place2}, local officials said.",
    "Fighting eased across {region} on {dow}, {days} days into a truce brokered by {mediator}, "
    "although residents of {place} reported sporadic gunfire after dark.",
    "{mediator_cap} recorded {n} violations of the ceasefire in and around {place} over the past {days} days, "
    "according to a report released on {dow}.",
    "At least {n} people were killed and {n2} wounded in {place} on {dow} in the worst breach of the "
    "ceasefire since it took effect on {month} {dom}.",
    "The truce in {region} appeared to be holding on {dow} as the first aid convoy in {weeks} weeks "
    "crossed into {place} carrying food and medicine for about {people} people.",
]
BODY = [
    "{person}, {a_role} in {place}, said the night had been the quietest in weeks.",
    "\"We heard {weapon} until around {hour} o'clock, then nothing,\" said {person}, {a_role}.",
    "{a_cap} said in a statement that it had responded only to fire from positions held by {b}.",
    "{b_cap} denied the accusation and said its fighters had respected the truce since {month} {dom}.",
    "{mediator_cap} said it had sent a team of {team} monitors to {place2} to investigate the incident.",
    "The agreement, signed in {place3} on {month} {dom}, {year}, calls for heavy weapons to be withdrawn "
    "{km} kilometres from the front line.",
    "According to {person}, {a_role}, at least {n} houses were damaged in the {hood} neighbourhood.",
    "Aid agencies estimate that {people} people remain displaced across {region}.",
    "Under the deal, both sides agreed to exchange {n} prisoners within {days} days.",
    "Shops in the centre of {place} reopened for the first time since the fighting began, residents said.",
    "{person}, {role} for {mediator}, told reporters that violations had fallen by {pct} percent in a week.",
    "A second round of talks is scheduled to open in {place3} on {month2} {dom2}.",
    "Witnesses said {weapon} were fired from the hills above {place2} shortly before dawn.",
    "The hospital in {place} received {n2} wounded, including {n} children, its director said.",
    "Neither side has allowed independent journalists into {region} since {month} {dom}.",
    "{a_cap} said it would hand over maps of minefields near {place2} within {days} days.",
    "Officials in {place} said the water supply had been restored to {pct} percent of households.",
    "{person} said fuel prices in {place} had fallen by {pct} percent since the ceasefire began.",
    "Monitors counted {n} vehicles crossing the checkpoint at {place2} on {dow}, up from {n2} a week earlier.",
    "The previous truce, agreed in {year0}, collapsed after {weeks} weeks.",
    "{b_cap} said {n} of its members had been detained by {a} in violation of the agreement.",
    "Schools in {region} will reopen on {month2} {dom2}, the education office said.",
    "A convoy of {trucks} trucks is expected to reach {place2} by the end of the week.",
    "{mediator_cap} urged both sides to refrain from any action that could endanger civilians in {place}.",
    "Farmers near {place2} said they could not reach their fields because of unexploded {weapon}.",
    "{person}, {a_role}, said that {n} families had returned to {hood} since {dow}.",
    "The ceasefire line runs for about {km} kilometres from {place} to {place3}.",
    "Both delegations are due to meet {mediator} again in {weeks} weeks to review the agreement.",
]
JUNK = ["Share", "Read more: {headline}", "Advertisement", "Share this article", "Related: {headline}"]
HOODS = ["Al-Mina", "Riverside", "Old Market", "Hilltop", "Station", "Souq", "Garden", "Harbour", "Quarry"]


def _ctx(rng: random.Random) -> dict[str, object]:
    a, b = rng.choice(PARTIES)
    if rng.random() < 0.5:
        a, b = b, a
    places = rng.sample(PLACES, 3)
    mediator = rng.choice(MEDIATORS)
    year = rng.randint(2019, 2024)
    return {
        "a": a, "b": b, "a_cap": a[0].upper() + a[1:], "b_cap": b[0].upper() + b[1:],
        "place": places[0], "place2": places[1], "place3": places[2],
        "region": rng.choice(REGIONS), "mediator": mediator, "mediator_cap": mediator[0].upper() + mediator[1:],
        "year": year, "year0": year - rng.randint(1, 4),
    }


def _fill(template: str, ctx: dict[str, object], rng: random.Random) -> str:
    values = dict(ctx)
    role = rng.choice(ROLES)
    values.update(
        n=rng.randint(2, 60), n2=rng.randint(3, 150), days=rng.randint(2, 45), weeks=rng.randint(2, 12),
        week=rng.randint(2, 9), people=f"{rng.randint(2, 400) * 1000:,}", pct=rng.randint(5, 90),
        km=rng.randint(5, 40), team=rng.randint(4, 30), trucks=rng.randint(8, 90), hour=rng.randint(1, 5),
        dow=rng.choice(WEEKDAYS), month=rng.choice(MONTHS), dom=rng.randint(1, 28),
        month2=rng.choice(MONTHS), dom2=rng.randint(1, 28), weapon=rng.choice(WEAPONS),
        role=role, a_role=("an " if role[0] in "aeiou" else "a ") + role,
        person=f"{rng.choice(FIRST)} {rng.choice(LAST)}", hood=rng.choice(HOODS),
        headline=ctx.get("headline", ""),
    )
    return template.format(**values)


@dataclass
class Report:
    headline: str
    dateline: str | None
    paragraphs: list[str]
    junk: list[str]
    footer: str | None
    date: tuple[int, int, int]
    agency: str
    place: str


def make_report(rng: random.Random, index: int) -> Report:
    """One distinct news-like report of 150-400 words."""
    ctx = _ctx(rng)
    headline = _fill(rng.choice(HEADLINES), ctx, rng)
    ctx["headline"] = headline
    year, month, day = int(ctx["year"]), rng.randint(1, 12), rng.randint(1, 28)
    agency = rng.choice(AGENCIES)
    style = rng.random()
    if style < 0.45:
        dateline = f"{str(ctx['place']).upper()}, {day} {MONTHS[month - 1]} {year} ({agency}) -"
    elif style < 0.75:
        dateline = f"{ctx['place']}, {MONTHS[month - 1][:3]} {day}, {year} ({agency}) -"
    elif style < 0.9:
        dateline = f"{str(ctx['place']).upper()}, {MONTHS[month - 1][:3]} {day} ({agency}) -"  # no year
    else:
        dateline = None
    target = rng.randint(150, 400)
    sentences = [_fill(rng.choice(LEADS), ctx, rng)]
    words = len(headline.split()) + len(sentences[0].split())
    body = BODY[:]
    rng.shuffle(body)
    i = 0
    while words < target:
        sentence = _fill(body[i % len(body)], ctx, rng)
        i += 1
        sentences.append(sentence)
        words += len(sentence.split())
    # A serial number in one sentence makes each document unique even if the draw repeated.
    sentences[-1] = sentences[-1][:-1] + f" (report {index + 1})."
    paragraphs, k = [], 0
    while k < len(sentences):
        size = 1 if k == 0 else rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[k : k + size]))
        k += size
    junk = [_fill(j, ctx, rng) for j in rng.sample(JUNK, rng.randint(0, 2))] if rng.random() < 0.4 else []
    footer = f"Copyright {year} {agency}. All rights reserved." if rng.random() < 0.3 else None
    return Report(headline, dateline, paragraphs, junk, footer, (year, month, day), agency, str(ctx["place"]))


def report_text(r: Report) -> str:
    paras = list(r.paragraphs)
    if r.dateline:
        paras[0] = f"{r.dateline} {paras[0]}"
    if r.junk:
        pos = min(2, len(paras))
        paras[pos:pos] = r.junk
    lines = [r.headline, ""] + [p + "\n" for p in paras]
    if r.footer:
        lines.append(r.footer)
    return "\n".join(lines).rstrip() + "\n"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:60]


def report_html(r: Report, index: int) -> str:
    y, m, d = r.date
    site = r.agency
    url = f"https://news.example.org/{y}/{m:02d}/{d:02d}/{_slug(r.headline)}-{index}"
    nav = "".join(f'<li><a href="/section/{_slug(p)}">{p}</a></li>' for p in random.Random(index).sample(PLACES, 6))
    body = "\n".join(f"<p>{p}</p>" for p in r.paragraphs)
    if r.dateline:
        body = body.replace("<p>", f"<p><strong>{r.dateline}</strong> ", 1)
    related = "".join(f'<li><a href="/story/{index}-{k}">{h}</a></li>' for k, h in enumerate(HEADLINES[:4]))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{r.headline} | {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{r.headline}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{y}-{m:02d}-{d:02d}T{index % 24:02d}:{index % 60:02d}:00Z">
<meta name="author" content="{FIRST[index % len(FIRST)]} {LAST[index % len(LAST)]}">
<link rel="canonical" href="{url}">
<style>body{{font-family:sans-serif}} .nav li{{display:inline}}</style>
<script>window.dataLayer=[];function track(){{return {index};}}</script>
</head><body>
<header><a href="/">{site}</a><nav class="nav"><ul>{nav}</ul></nav>
<form action="/search"><input name="q"><button>Search</button></form></header>
<main><article>
<h1>{r.headline}</h1>
<div class="byline">By {FIRST[index % len(FIRST)]} {LAST[index % len(LAST)]} - {MONTHS[m - 1]} {d}, {y}</div>
{body}
</article>
<aside><h2>Related stories</h2><ul>{related}</ul></aside></main>
<footer><p>&copy; {y} {site}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>
"""


def report_record(r: Report, index: int) -> dict[str, object]:
    y, m, d = r.date
    rec: dict[str, object] = {
        "id": f"rec-{index:06d}",
        "title": r.headline,
        "text": "\n\n".join(r.paragraphs),
        "published": f"{y}-{m:02d}-{d:02d}T{index % 24:02d}:{index % 60:02d}:00Z",
        "outlet": r.agency,
        "url": f"https://wire.example.net/{y}/{index}",
        "place": r.place,
    }
    if index % 3 == 0:
        rec["language"] = "en"
    return rec


def generate_corpus(root: Path, n_text: int, n_html: int, n_jsonl: int) -> dict[str, tuple[list[str], int]]:
    """Write the corpus under ``root``; return kind -> (paths to ingest, document count)."""
    marker = root / "corpus.json"
    spec = {"seed": SEED, "text": n_text, "html": n_html, "jsonl": n_jsonl, "shards": TEXT_SHARDS}
    layout = {
        "text": ([str(root / "text")], n_text),
        "text-N": ([str(root / "text" / "part0")], len(range(0, n_text, TEXT_SHARDS))),
        "html": ([str(root / "html")], n_html),
        "jsonl": ([str(root / "records.jsonl")], n_jsonl),
    }
    if marker.exists() and json.loads(marker.read_text()) == spec:
        return layout
    for sub in ("text", "html"):
        shutil.rmtree(root / sub, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    for s in range(TEXT_SHARDS):
        (root / "text" / f"part{s}").mkdir(parents=True)
    for i in range(n_text):  # round-robin so part0 holds a quarter of the corpus
        (root / "text" / f"part{i % TEXT_SHARDS}" / f"report-{i:06d}.txt").write_text(
            report_text(make_report(rng, i)), "utf-8")
    (root / "html").mkdir()
    rng = random.Random(SEED + 1)
    for i in range(n_html):
        (root / "html" / f"page-{i:05d}.html").write_text(report_html(make_report(rng, i), i), "utf-8")
    rng = random.Random(SEED + 2)
    with (root / "records.jsonl").open("w", encoding="utf-8") as fh:
        for i in range(n_jsonl):
            fh.write(json.dumps(report_record(make_report(rng, i), i), ensure_ascii=False) + "\n")
    marker.write_text(json.dumps(spec))
    return layout


# --------------------------------------------------------------------------------------
# Child: one ingest run, reported as one JSON line on stdout.
# --------------------------------------------------------------------------------------

def _rss_now_kb() -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def child(db_path: str, paths: list[str], profile: str | None) -> None:
    started = time.perf_counter()
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {0})
        except OSError:
            pass
    import resource

    from trucewatch.documents.ingest import ingest
    from trucewatch.store import open_store

    store = open_store(db_path)
    ready = time.perf_counter()
    rss_before = _rss_now_kb()
    if profile:
        import cProfile

        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        summary = ingest(store, paths)
        prof.disable()
        elapsed = time.perf_counter() - t0
        prof.dump_stats(profile)
    else:
        t0 = time.perf_counter()
        summary = ingest(store, paths)
        elapsed = time.perf_counter() - t0
    store.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "ingested": summary.ingested,
        "unchanged": summary.unchanged,
        "rejected": len(summary.rejected),
        "first_rejection": str(summary.rejected[0]) if summary.rejected else None,
        "ingest_s": elapsed,
        "setup_s": ready - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_mb": usage.ru_maxrss / 1024,  # Linux reports KiB
        "rss_before_mb": rss_before / 1024,
        "affinity": sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
    }))


# --------------------------------------------------------------------------------------
# Parent: run children, collect, print.
# --------------------------------------------------------------------------------------

def run_once(paths: list[str], db: Path, profile: str | None = None) -> dict[str, float]:
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
                "VECLIB_MAXIMUM_THREADS"):
        env[var] = "1"
    env.pop("TRUCEWATCH_DB", None)
    cmd = [sys.executable, os.path.abspath(__file__), "--child", "--db", str(db)]
    if profile:
        cmd += ["--profile-out", profile]
    cmd += ["--", *paths]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    total = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child failed with exit code {proc.returncode}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["total_s"] = total
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return result


def measure(kind: str, paths: list[str], expected: int, runs: int, workdir: Path) -> dict[str, object]:
    results = []
    for r in range(runs):
        res = run_once(paths, workdir / f"bench-{kind}.db")
        if res["ingested"] != expected:
            print(f"  WARNING: {kind} run {r + 1} ingested {res['ingested']} of {expected} documents "
                  f"({res['rejected']} rejected, {res['unchanged']} unchanged; first: {res['first_rejection']})",
                  file=sys.stderr)
        rate = res["ingested"] / res["ingest_s"]
        print(f"  {kind:<6} run {r + 1}/{runs}: {res['ingested']} docs in {res['ingest_s']:.2f} s "
              f"({rate:.0f} docs/s; {res['total_s']:.2f} s with start-up, setup {res['setup_s']:.2f} s), "
              f"peak RSS {res['maxrss_mb']:.1f} MB (before ingest {res['rss_before_mb']:.1f} MB)", flush=True)
        results.append(res)
    rates = [r["ingested"] / r["ingest_s"] for r in results]
    return {
        "kind": kind,
        "docs": results[0]["ingested"],
        "median": statistics.median(rates),
        "min": min(rates),
        "max": max(rates),
        "total_rate": statistics.median(r["ingested"] / r["total_s"] for r in results),
        "rss": statistics.median(r["maxrss_mb"] for r in results),
        "rss_before": statistics.median(r["rss_before_mb"] for r in results),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000,
                        help="plain-text documents and JSONL records (default 10000); the memory check uses docs/4 and docs")
    parser.add_argument("--html-docs", type=int, default=2_000, help="HTML pages (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--workdir", help="keep corpus and databases here (default: a temporary directory)")
    parser.add_argument("--kind", choices=["text", "html", "jsonl", "all"], default="all")
    parser.add_argument("--no-memory-check", action="store_true", help="skip the N vs 4N memory check")
    parser.add_argument("--profile", metavar="FILE",
                        help="also run cProfile over one text ingest and write the stats to FILE")
    # internal: child mode
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child(args.db, args.paths, args.profile_out)
        return
    if args.docs < TEXT_SHARDS or args.runs < 1:
        parser.error("--docs must be at least 4 and --runs at least 1")

    tmp = None
    if args.workdir:
        workdir = Path(args.workdir).resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="trucewatch-bench-")
        workdir = Path(tmp.name)
    try:
        kinds = ["text", "html", "jsonl"] if args.kind == "all" else [args.kind]
        t0 = time.perf_counter()
        layout = generate_corpus(
            workdir / "corpus",
            n_text=args.docs if ("text" in kinds or not args.no_memory_check) else TEXT_SHARDS,
            n_html=args.html_docs if "html" in kinds else 0,
            n_jsonl=args.docs if "jsonl" in kinds else 0,
        )
        print(f"corpus in {workdir / 'corpus'} ({time.perf_counter() - t0:.1f} s to generate or reuse); "
              f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs visible, child pinned to CPU 0", flush=True)

        rows = []
        for kind in kinds:
            paths, expected = layout[kind]
            rows.append(measure(kind, paths, expected, args.runs, workdir))

        mem = None
        if not args.no_memory_check:
            small_paths, small_n = layout["text-N"]
            small = measure("text-N", small_paths, small_n, args.runs, workdir)
            large = next((r for r in rows if r["kind"] == "text"), None)
            if large is None:
                large = measure("text", *layout["text"], args.runs, workdir)
            mem = (small, large)

        if args.profile:
            run_once(layout["text"][0], workdir / "bench-profile.db", profile=str(Path(args.profile).resolve()))
            print(f"  cProfile stats of one text ingest written to {args.profile}")

        print()
        header = f"{'kind':<7}{'documents':>10}{'median docs/s':>15}{'min docs/s':>12}{'max docs/s':>12}" \
                 f"{'incl. start-up':>16}{'peak RSS MB':>13}{'RSS pre-ingest':>16}"
        print(header)
        print("-" * len(header))
        for r in rows + ([mem[0]] if mem else []):
            print(f"{r['kind']:<7}{r['docs']:>10}{r['median']:>15.0f}{r['min']:>12.0f}{r['max']:>12.0f}"
                  f"{r['total_rate']:>16.0f}{r['rss']:>13.1f}{r['rss_before']:>16.1f}")
        print(f"(docs/s = documents / seconds in ingest(); 'incl. start-up' also counts interpreter start, "
              f"imports and opening the database; medians of {args.runs} runs, one subprocess per run)")
        if mem:
            small, large = mem
            growth = large["rss"] - small["rss"]
            print(f"\nmemory vs corpus size (text): {small['docs']} docs -> peak RSS {small['rss']:.1f} MB; "
                  f"{large['docs']} docs -> peak RSS {large['rss']:.1f} MB; difference {growth:+.1f} MB "
                  f"({growth / small['rss'] * 100:+.1f}%)")
            print(f"  ingest-only growth (peak minus RSS before ingest): {small['rss'] - small['rss_before']:.1f} MB "
                  f"at {small['docs']} docs vs {large['rss'] - large['rss_before']:.1f} MB at {large['docs']} docs")
        text_row = next((r for r in rows if r["kind"] == "text"), None)
        if text_row:
            print(f"\nplain text: {text_row['median']:.0f} docs/s (median of {args.runs} runs), "
                  f"peak RSS {text_row['rss']:.1f} MB")
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
