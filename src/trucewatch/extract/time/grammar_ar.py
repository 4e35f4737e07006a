"""Arabic time grammar: absolute dates, months, weekdays, relative forms, durations, sets.

Built like the English grammar (``grammar_en``): regexes from the Arabic lexicon
(``resources/time/ar.yaml``) and one handler per rule returning a ``Candidate`` whose
resolver, one of the shared ``resolvers``, gives TIMEX3 values.

What the Arabic side adds:

* digits may be Western (3), Arabic-Indic (٣) or Persian (۳), mixed freely;
* both month-name systems (يونيو and حزيران) and the doubled form "حزيران/يونيو" or
  "يونيو (حزيران)", which is one date; the Maghrebi names too (جوان، جويلية...);
* spelling variants are matched without listing them: any alef form (ا أ إ آ) for any
  other, final ة/ه and ي/ى, so أكتوبر/اكتوبر and الإثنين/الاثنين are one entry;
* words may carry the glued conjunctions and prepositions و ف ب ل ك ("وفي يونيو",
  "بالأمس", "ولمدة"). **Spans leave those letters out**: the span of "وأمس" is
  "أمس", of "بالأمس" "الأمس". The one exception is ل + ال written "لل" ("للعام
  الماضي"), where the span starts at the first ل so that it still reads as a word.

Spans otherwise follow the English grammar: separate prepositions (في، منذ، خلال،
لمدة، بتاريخ) stay out, nouns that belong to the expression stay in ("يوم الجمعة",
"عام 2019", "شهر مارس"), approximators (نحو، أكثر من) become the ``mod``. Numeric dates
are read day first ("03/06/2020" is 3 June) unless the year comes first (2020/06/03).
"منذ"/"قبل" + a length ("منذ شهرين", "قبل أسبوعين") are dates counted back from the
anchor, as "two months ago".

The rules live in modules by what they recognise (``grammar_ar_dates``,
``grammar_ar_lengths``; shared words and regex pieces in ``grammar_ar_words``); this
module puts them in their declaration order (ties between candidates go to the first
rule) and gives the tagger the rules with their cores and the tense words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from trucewatch.extract.time import grammar_ar_dates, grammar_ar_lengths
from trucewatch.extract.time.rules import Rule, index_words, with_cores
from trucewatch.extract.time.grammar_ar_words import LEX, SINGULAR_WORDS, STRICT

#: Every Arabic rule, in the order the grammar declared them before it was split by kind.
RULES: list[Rule] = [*grammar_ar_dates.RULES, *grammar_ar_lengths.RULES]


# ---------------------------------------------------------------- cores
# Words every match of a rule contains, as the WordIndex keys them: in every spelling
# the rule's regex accepts (alef forms, final ة/ه and ي/ى, a tanween splitting a final
# alef off) and, for a word that may start the match, with each glued prefix PFX allows
# (the index keeps "وبالأمس" whole). The regex then runs only near them.

_ALEFS = "اأإآٱ"
_PREFIXES = tuple(c + p for c in ("", "و", "ف") for p in ("", "ب", "ل", "ك"))  # what PFX may glue on
_AFTER_L = "\x00"  # marks the ل-form of an article, spelt only after a glued ل (للعام)


def _spellings(word: str, first: bool = True) -> set[str]:
    """Every spelling ``ar_re(word, first)`` accepts, a tanween (any will do: the index splits at it) included."""
    w = str(word).strip()
    if w in STRICT:
        return {w}
    outs = {""}
    if first and w.startswith("ال") and len(w) > 3:
        outs = {a + "ل" for a in _ALEFS} | {_AFTER_L + "ل"}
        w = w[2:]
    for i, ch in enumerate(w):
        last = i == len(w) - 1 or w[i + 1] == " "
        if ch in _ALEFS and last and i > 0:
            opts = [t + a for t in ("", "\u064b") for a in _ALEFS]
        elif ch in _ALEFS:
            opts = list(_ALEFS)
        elif ch in "ةه" and last:
            opts = ["ة", "ه"]
        elif ch in "يى" and last:
            opts = ["ي", "ى"]
        else:
            opts = [ch]
        outs = {o + x for o in outs for x in opts}
    return outs


def _keys(words: Iterable[str], first: bool = False, glued: tuple[str, ...] = ("",), pick: int = 0) -> set[str]:
    """The index key of word ``pick`` of each spelling of ``words``, with each of ``glued`` (letters) in front."""
    out = set()
    for w in words:
        for s in _spellings(w, first):
            after_l = s.startswith(_AFTER_L)
            keys = index_words(s.replace(_AFTER_L, ""))
            for g in glued:
                if after_l and not g.endswith("ل"):
                    continue
                out.add(g + keys[0] if pick == 0 or len(keys) == 1 else keys[pick])
    return out


def _glued(words: Iterable[str]) -> set[str]:
    """``words`` as they stand at the start of a match, with any prefix PFX allows."""
    return {p + w for w in words for p in _PREFIXES}


def _reference_keys() -> set[str]:
    """A word of each reference: the last of a phrase (it cannot carry a prefix), else the word with its prefixes."""
    out = set()
    for phrase in (w for ws in LEX["references"].values() for w in ws):
        words = phrase.split()
        out |= _keys(words[-1:], pick=-1) if len(words) > 1 else _keys(words, True, _PREFIXES)
    return out


_MONTH_WORDS = [w for ws in LEX["months"].values() for w in ws]
_THE_ALEF = tuple(a + "ل" for a in _ALEFS)  # the article, spelt with any alef
_DECADES_KEYS = {
    p + art + dw + suffix
    for p in _PREFIXES
    for art in ("", *_THE_ALEF)
    for dw in ["عشرين", "ثلاثين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين", *(a + "ربعين" for a in _ALEFS)]
    for suffix in ("يات", "ات")
}
_CORES: dict[str, set[str]] = {
    # a day number may touch the month, and "من" too in "الأول منيونيو"
    "day_month_year": _keys(_MONTH_WORDS, glued=("", "من")),
    "month_day_year": _keys(_MONTH_WORDS),
    # a numeric date with no four-digit part is refused by its handler, and no match can start inside one
    **dict.fromkeys(["numeric_date", "month_year", "year", "year_range"], {"#4"}),
    "month": _keys(_MONTH_WORDS, glued=_PREFIXES),
    "decade": _DECADES_KEYS,
    "season": _keys([w for ws in LEX["seasons"].values() for w in ws], True, _PREFIXES),
    "quarter": _glued(["الربع"]),
    "weekday": _keys([w for ws in LEX["weekdays"].values() for w in ws], True, _PREFIXES),
    "deictic_day": _keys(["امس", "الأمس", "اليوم", "الغد", "البارحة", "الليلة"], True, _PREFIXES)
    | _keys(["غدا"], glued=_PREFIXES) | _glued(["غد"]),
    "day_of_tomorrow": _keys(["الغد", "غد"], True),
    "anaphoric_day": _keys(["اليوم", "الليلة"], True, _PREFIXES) | _glued(["غداة", "عشية"]),
    "relative_unit": _keys(["الأسبوع", "الشهر", "العام", "السنة", "العقد", "القرن"], True, _PREFIXES),
    "ago": _glued(["قبل", "منذ", "بعد"]),
    "later": {"ذلك"},
    "duration": _keys(LEX["units"]),
    "duration_dual": _keys(LEX["duals"], glued=_PREFIXES),
    "duration_single": _keys(SINGULAR_WORDS, glued=_PREFIXES),
    "duration_def": _keys(["الماضية", "الأخيرة", "المقبلة", "القادمة", "الأولى", "المنصرمة"], True),
    # the hour word (perhaps with its article), the minutes of "14:30", or midnight
    "clock": _keys(["ساعة"], glued=tuple(p + a for p in _PREFIXES for a in ("", *_THE_ALEF)))
    | {"#2"} | {a + "لليل" for a in _ALEFS},
    "set_word": {p + stem + end for p in _PREFIXES for stem in ["يومي", "شهري", "سنوي", *(a + "سبوعي" for a in _ALEFS)]
                 for end in ("", "ا")},
    "set_every": _glued(["كل"]),
    "set_times": _keys(["يوم", "ليلة", "أسبوع", "شهر", "عام", "سنة", "ساعة", "دقيقة"], glued=("", *_THE_ALEF)),
    "reference": _reference_keys(),
}


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The grammar's rules in declaration order (ties between candidates go to the first), with their cores."""
    return with_cores(RULES, _CORES)


def _with_glued(words: list[str]) -> list[str]:
    out = []
    for w in words:
        out += [w, "و" + w, "ف" + w]
    return out


TENSE_FUTURE: list[str] = _with_glued(list(LEX["tense"]["future"]))
TENSE_PAST: list[str] = _with_glued(list(LEX["tense"]["past"]))
PAST_SUFFIX = None  # Arabic marks the past with no suffix the tagger could read
