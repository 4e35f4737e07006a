"""The words the actors tagger reads: generic actors by language, the nouns of armed forces and
delegations, title and function words, demonyms.

Why apart: they are data the scanner, the generic-actor reader and the knowledge-base index
all consult, and they change more often than the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trucewatch.text.titles import TITLE_WORDS

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
AMBIGUOUS_HEADS = frozenset({"army", "military", "police", "militaires"})
#: Words that may follow such a head when it is the actor ("the army said", "police and ...").
FOLLOW_OK = frozenset("""said says say saying has have had is was were are will would could can may might must
should did does do also and or but in on at to of for with from by that which who whose after as then later
again still now yesterday today reportedly allegedly later late early not never""".split())
#: Words before "military"/"militaires" that make it the noun ("the military", "les militaires").
MILITARY_DETERMINERS = frozenset("""the s its their his her our this that les des ces aux deux trois quatre cinq
plusieurs quelques de d""".split())
#: Lower-case words kept in a generic span before the noun ("unidentified gunmen").
GENERIC_MODIFIERS = frozenset("""unidentified unknown masked hooded suspected alleged heavily armed islamist
islamists jihadist sunni shia shiite tribal local angry unarmed innocent young elderly displaced unnamed
several""".split())
#: "students marching": students who are protesting.
PROTEST_VERBS = frozenset("""marching marched march protesting protested protest demonstrating demonstrated
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
ALL_ARMED = frozenset(n.casefold() for n in ARMED_NOUNS_EN + ARMED_NOUNS_FR + ARMED_NOUNS_AR)

#: Words that may stand between the possessive and the noun ("Haftar's eastern forces").
_MODIFIER_WORDS = (r"eastern|western|southern|northern|own|allied|loyalist|rival|armed|ground|main|remaining|elite|"
                   r"special|irregular|foreign|regular|self-styled")
_NOUN_MODIFIERS = rf"(?:{_MODIFIER_WORDS})"
_prep_en = (r"of|loyal\s+to|under|commanded\s+by|led\s+by|allied\s+(?:with|to)|aligned\s+(?:with|to)|"
            r"affiliated\s+(?:with|to)|belonging\s+to|fighting\s+for|representing|sent\s+by|dispatched\s+by")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


AFTER_EN = re.compile(
    r"(?:(?P<poss>['’]s?)\s+|(?P<hyph>-(?:led|aligned|allied|affiliated|loyal|commanded))\s+|(?P<space>[ \t]+))"
    rf"(?:{_NOUN_MODIFIERS}\s+){{0,2}}(?P<noun>{_alt(ARMED_NOUNS_EN + REP_NOUNS_EN)})\b",
    re.IGNORECASE,
)
BEFORE_EN = re.compile(
    rf"(?:\b(?P<mod>security|government|opposing|{_MODIFIER_WORDS})\s+)?"
    rf"\b(?P<noun>{_alt(ARMED_NOUNS_EN + REP_NOUNS_EN)})\s+(?:{_prep_en})\s+(?:the\s+)?$",
    re.IGNORECASE,
)
BEFORE_FR = re.compile(
    rf"\b(?P<mod>)(?P<noun>{_alt(ARMED_NOUNS_FR + REP_NOUNS_FR)})\s+"
    r"(?:(?:fidèles|loyales|loyaux|affiliés|affiliées|alliés|alliées|proches)\s+(?:à|au|aux)\s+|(?:de|du|des)\s+|d['’]\s*)"
    r"(?:la\s+|le\s+|l['’]\s*)?$",
    re.IGNORECASE,
)
BEFORE_AR = re.compile(
    rf"(?:^|\s)(?:و|ب|ل|ف)?(?P<mod>(?:ال)?(?P<noun>{_alt(ARMED_NOUNS_AR + REP_NOUNS_AR)}))"
    r"(?:\s+(?:ال)?(?:موالية|تابعة|موالين|تابعين|موالي|تابع)\s+ل|\s+)$"
)

#: Lower-case English and French function words (for the "common word" rule and name runs).
FUNCTION_WORDS = frozenset("""a an the and or but of in on at to for from by with without into onto over under
after before during since until as than that this these those there here which who whom whose what when where
while why how all any both each few more most other some such no nor not only own same so too very can will
just should now is are was were be been being have has had do does did its it he she they them their his her
our we us you your my me i one two three four five six seven eight nine ten dozens hundreds thousands many
several some about around against between among across through new old also said says say
le la les un une des du de d l et ou en au aux par pour sur dans avec sans sous entre contre""".split())
NUMBER_RE = re.compile(r"^\d+$")
PLAIN_WORDS = FUNCTION_WORDS | TITLE_WORDS

#: Name runs before a generic noun stop at these (lower-cased) words.
RUN_STOP_EXTRA = frozenset("""local government security riot state foreign pro anti meanwhile yesterday today earlier
later however but when after while then also other""".split())

#: ACLED-style short names where GeoNames' differ.
COUNTRY_NAME_OVERRIDES = {
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


def french_forms(base: str) -> set[str]:
    if base.endswith(("è", "é", "e", "i")):
        return {base, base + "s"}
    if base == "turc":
        return {"turc", "turque", "turcs", "turques"}
    if base.endswith("s"):
        return {base, base + "e", base + "es"}
    if base.endswith("en"):
        return {base, base + "ne", base + "s", base + "nes"}
    return {base, base + "e", base + "s", base + "es"}
