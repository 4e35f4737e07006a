"""How a document reports an event: as its news, as background, planned, denied or as a goal.

A ceasefire report is mostly background: the truce of last month, the offensive
since last year, the talks that were due last week. Coding that background as new
events is the classic error of automatic event data, so every trigger gets a status
from the words around it, and only the lede's real happenings count as ``main``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

STATUS_ORDER = ("main", "background", "planned", "negated", "hypothetical")

_NEGATED = re.compile(
    r"\b(?:did not|didn['’]t|has not|hasn['’]t|have not|haven['’]t|had not|was not|wasn['’]t|were not|weren['’]t"
    r"|no|never|denied(?: that)?|denies|failed to|refused to|without(?: any)?"
    # French, Spanish, Italian, Russian, Arabic
    r"|n['’]a pas|n['’]ont pas|sans|aucun|nié|démenti|sin|negó|senza|non|не|без|لم|لن|نفى|نفت|دون)\s+(?:\w+\s+){0,3}$",
    re.I)
_PLANNED_BEFORE = re.compile(
    r"\b(?:will|shall|is due to|are due to|was due to|were due to|scheduled|planned|plans? to|expected to"
    r"|supposed to|set to|to be held|upcoming|intends? to|would start|would begin|is to|are to"
    r"|doit|doivent|devrait|devra|prévue?s?|d['’]ici|deberá|deberán|previst[oa]s?|se celebrará|dovrà|dovrebbe"
    r"|будет|будут|планируется|должн\w*|سوف|من المقرر|من المتوقع|ستبدأ|سيتم)\s+(?:\w+\s+){0,3}$",
    re.I)
_PLANNED_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,12}?(?:postponed|delayed|put off|called off|rescheduled)\b"
    r"|^\W*(?:\w+\W+){0,2}?(?:is|are|was|were)\s+(?:due|scheduled|expected|set|supposed|planned)\s+to\b"
    r"|^\W*(?:\w+\W+){0,2}?(?:will|shall)\s+(?:be\s+held|start|begin|open|resume|take place)\b", re.I)
#: "a ceasefire that will take effect at midnight": said right after a truce's word, it has not begun
WILL_TAKE_EFFECT = re.compile(  # matched at the truce word's end (no "^": a position in the text)
    r"\W*(?:\w+\W+){0,3}?(?:(?:will|shall)\s+(?:take\s+effect|come\s+into|enter\s+into)|entrera\s+en\s+vigueur"
    r"|entrará\s+en\s+vigor|entrerà\s+in\s+vigore|entrará\s+em\s+vigor|вступит\s+в\s+силу|yürürlüğe\s+girecek"
    r"|سيدخل\s+حيز)", re.I)
_GOAL = re.compile(
    r"\b(?:aims? (?:of|to|at)|aim of|with the aim|in order to|so as to|to reach|reaching|to achieve|to secure"
    r"|efforts? to|seeking|seek(?:s)? to|calls? (?:up)?on|calls? for|called for|urged|to define|to establish|to observe|to monitor"
    r"|towards?|for a|tasks are to|would|could|might|may|if|unless|threaten(?:ed|s)? to|lines to which"
    # an order is not yet the act: "said he had ordered new air strikes on Sirte"
    r"|order(?:ed|s|ing)?|a ordonné|ordenó|ha ordinato|приказал\w*|أصدر أوامر|أوامر"
    r"|en vue d['’]\w*|afin de|pour parvenir à|visant à|appel(?:le|é|ant)? à|con el fin de|para lograr|pidió"
    r"|al fine di|per raggiungere|с целью|призвал\w*|بهدف|من أجل|للتوصل إلى|دعا|دعت|تدعو|يدعو)"
    r"\s+(?:[\w'’-]+\s+){0,8}$", re.I)
# "urged the monitors to investigate the latest violations": a call for an inquiry into
# breaches alleges them; the breaches are not a goal
_PROBE = re.compile(r"\b(?:investigat\w*|probe|look into|inquir\w*|enquêter|enquête|investigar|indagar\w*"
                    r"|расследова\w*|التحقيق|تحقيق|soruştur\w*)\b", re.I)
_BREACH_WORD = re.compile(r"(?:violat|breach|viol|наруш|ihlal|خرق|خروق|انتهاك)", re.I)
# "ending five days of fighting", "mettant fin à cinq jours de combats": what a truce ends is over
_ENDING = (r"ending|ended|an end to|mettant fin à|met fin à|a mis fin à|mis fin à|poniendo fin a|puso fin a|pone fin a"
           r"|ponendo fine a|ha posto fine a|pondo fim a|pôs fim a|положив конец|положил конец|أنهى|ينهي|منهيا|منهية")
_ENDED_BEFORE = re.compile(rf"(?:{_ENDING})\s+(?:\S+\s+){{0,5}}$", re.I)
_BACKGROUND_BEFORE = re.compile(
    # "before the truce, clashes had...": what follows "before" is the point of reference
    r"\b(?:after|amid|since|following|despite|during|before|prior to|avant|antes de|prima d[ei]|перед|قبل"
    rf"|{_ENDING}"
    r"|après|depuis|malgré|suite à|lors de|pendant|tras|después de|desde|pese a|pese al|a pesar del?|durante|dopo|da quando"
    r"|nonostante|после|несмотря на|во время|بعد|منذ|إثر|اثر|عقب|رغم|خلال)\s+"
    r"(?:(?:more than|nearly|about|over|\d+|\w+)\s+){0,3}"
    r"(?:(?:days|weeks|months|years)\s+of\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)
# "Сразу после выступления Путина российские БПЛА атаковали Киев", "Right after the speech Russian
# drones hit Kyiv": a sentence opening with "right after" and its object; a trigger two words or more
# past that object is the main clause's, the news that followed
_RIGHT_AFTER = re.compile(
    r"^\W*(?:immediately|right|just|shortly|сразу|вскоре|juste|peu|justo|poco|subito|poco|hemen|فور|بعيد)\s+"
    r"(?:after|après|después de|dopo|после|sonra|بعد)?\s*[^\s,.;:]+\s+[^\s,.;:]+\s+(?:[^\s,.;:]+\s+){1,4}$", re.I)
# "..., hours after envoys opened a third round of talks": the whole clause is set before the news
_HOURS_AFTER = re.compile(
    r"\b(?:hours?|days?|minutes?|shortly|just|moments?|heures|horas|ore|часов|дней)\s+"
    r"(?:after|après|después de|dopo|после)\s+[^,.;:!?()\n]{0,160}$", re.I)
_PLUPERFECT = re.compile(r"\bhad\s+(?:\w+\s+){0,2}$|\b(?:has|have) been\s+(?:\w+\s+){0,2}$", re.I)
# "X had visited Y last Saturday to win him over to the talks": a pluperfect earlier in the
# trigger's clause sets the whole clause before the news.
_PLUPERFECT_CLAUSE = re.compile(r"\bhad\s+(?:\w+ly\s+)?\w+(?:ed|en|ne|wn|un|ught|id|de)\b[^,;:]*$", re.I)
# "a war that has killed 36 people": a present perfect before a toll sums it over time
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:so far\s+|now\s+|already\s+)?$", re.I)
# "... have been killed since the war began", "ont été tués depuis le début": a toll summed since a start
_SINCE_AFTER = re.compile(r"[^.;:]{0,60}?(?:\bsince\b|\bdepuis\b|\bdesde\b|\bdall['’]inizio\b|\bda quando\b"
                          r"|с начала|منذ)", re.I)
_PERFECT_NEAR = re.compile(r"\b(?:has|have)\b|\b(?:ont|a) été\b|\bhan? sido\b|\bsono stat[ie]\b|\bè stat[oa]\b", re.I)
_TOLL = re.compile(r"^(?:killed|left|claimed|cost|displaced|forced|uprooted)\b", re.I)
# "The army said it had regained...": reported speech moves the tense back; it is still news.
_REPORTED_HAD = re.compile(
    r"\b(?:said|says|announced|told \w+|reported|claimed|confirmed|stated|added)\b[^.;]{0,60}\bhad\s+[^,;:]{0,60}$",
    re.I)


#: "since the ceasefire", "depuis la trêve", "منذ وقف النار": right before a truce's word.
_SINCE_BEFORE = re.compile(r"(?:\b(?:since|depuis|desde|dall['’]|dalla|dal|da quando|с момента|со времени|после)|منذ)"
                           r"\s*(?:(?:the|le|la|l['’]|el|la|del|de la|dello|della|объявления|введения|начала)\s*)?$",
                           re.I)
#: "ateşkesten bu yana / beri": right after it (the truce's word carries the ablative).
_SINCE_AFTER_TR = re.compile(r"\s+(?:bu\s+yana|beri)\b", re.I)


def since_truce(text: str, start: int, end: int) -> bool:
    """Whether a truce is named as the point from which a happening is counted ("the first
    clash since the ceasefire", for the truce's cue ``text[start:end]``): that happening came
    after the truce's day, and the truce is its point of reference, not an earlier part of its story."""
    return bool(_SINCE_BEFORE.search(text[max(0, start - 30):start])
                or _SINCE_AFTER_TR.match(text, end))


#: "first", before a truce named as a point of reference ("the first clash since the truce").
_FIRST = re.compile(r"(?<!\w)(?:first|premi(?:er|ère)s?|primer[oa]?s?|prim[oa]|перв\w+|ilk|[وف]?(?:أول|اول))(?!\w)", re.I)


def first_since_truce(text: str, s_start: int, start: int, end: int) -> bool:
    """Whether the truce cue ``text[start:end]`` of the sentence that starts at ``s_start`` is
    the point from which a first happening is counted ("the first deadly clash since the
    ceasefire", "أول تجدد للعنف منذ وقف النار"): that happening is the latest of the story."""
    return since_truce(text, start, end) and bool(_FIRST.search(text, max(s_start, start - 90), start))


def trigger_status(sentence: str, start: int, end: int) -> str:
    """The status the words around the trigger ``sentence[start:end]`` give it.

    ``main`` here only means "reported as a happening"; whether it is the document's
    news or background is decided later, from where and when it happened.
    """
    before = sentence[max(0, start - 90) : start]
    after = sentence[end : end + 120]
    if _NEGATED.search(before):
        return "negated"
    if (_BACKGROUND_BEFORE.search(before) and not _RIGHT_AFTER.match(sentence[:start])) \
            or _HOURS_AFTER.search(sentence, max(0, start - 200), start):
        return "background"  # "after 10 months of clashes": the nearest words win
    if _PERFECT.search(before) and _TOLL.match(sentence[start:end]):
        return "background"
    if _SINCE_AFTER.match(after) and _PERFECT_NEAR.search(sentence, max(0, start - 40), end):
        return "background"  # "1,000 people have been killed since the war began": a total over time
    goal = _GOAL.search(before)
    if goal and not (_PROBE.search(before, goal.start()) and _BREACH_WORD.match(sentence, start)):
        return "hypothetical"  # but "calls on monitors to investigate the violations" alleges them
    if _PLANNED_BEFORE.search(before) or _PLANNED_AFTER.search(after):
        return "planned"
    clause = sentence[max(0, start - 200) : start]
    if (_PLUPERFECT.search(before) or _PLUPERFECT_CLAUSE.search(clause)) and not _REPORTED_HAD.search(clause):
        return "background"
    return "main"


# ------------------------------------------------------------------------- the document's news
#: Lines that are page furniture, not news: stamps, bylines, captions (any of our languages).
_FURNITURE = re.compile(
    r"^\W*(?:date|update[ds]?|last updated|published|posted|by|photo|image|credit|file photo|mis à jour|publié le"
    r"|par|actualizado|publicado|pubblicato|aggiornato|опубликовано|обновлено|güncelleme|yayın(?:lanma)? tarihi"
    r"|تاريخ النشر|آخر تحديث|تحديث)\b"
    r"|\b(?:photo|image|credit|crédit|foto)\s*:|©|\bgetty images\b|\bafp photo\b|\breuters/", re.I)
_WORDS = re.compile(r"[^\W\d_]{2,}")
_STAMP = re.compile(r"^\W*date\s+\d{4}-\d{2}(?:-\d{2})?\s*", re.I)
#: Blocks of links to other stories: what they name is not this article's news.
_ASIDE = re.compile(
    r"\b(?:related(?: news| articles| stories)?|read (?:more|also)|see also|lire aussi|à lire aussi|leer también"
    r"|lee también|noticias relacionadas|leggi anche|читайте также|ilgili haberler)\s*[:\n]"
    r"|أخبار متعلقة|اقرأ أيضا|اقرأ أيضاً|مواضيع ذات صلة", re.I)


def is_aside(sentence: str) -> bool:
    """Whether a sentence belongs to a block of links to other stories ("Related: ...")."""
    return bool(_ASIDE.search(sentence))
#: A prose sentence: enough words to report something (a headline rarely has twelve).
_PROSE_WORDS = 12
#: How many short lines before the first prose sentence may be its headline and standfirst.
_HEADLINE_LINES = 3
#: How many prose sentences open the article as its lede.
_LEDE_SENTENCES = 2
#: A happening this many days before publication (or on the day) is the news wherever it is told.
REPORTING_DAYS = 3
#: In the headline and lede, a dated happening this recent is still the news.
LEDE_RECENT_DAYS = 14


#: A headline's trailing segment that names the site, not the news: "... | Radio Tamazuj",
#: "... - Libya Observer | News, Politics, Sports", "... - KiiiTV.com South Texas".
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::)\s+")
_OUTLET_WORD = re.compile(
    r"\b(?:news|tv|radio|times|post|observer|tribune|journal|daily|herald|gazette|agency|press|online|network"
    r"|channel|media|weekly|express|telegraph|guardian|monitor|insider|today|broadcasting|weather|sports?"
    r"|politics|opinion|entertainment|breaking|reuters|afp|bbc|cnn|al jazeera|xinhua|anadolu|tass|sputnik"
    r"|al arabiya|asharq|france ?24|rfi|deutsche welle|voa|africanews|الجزيرة|العربية|أخبار|новости|haber\w*"
    r"|actualités|noticias|notizie)\b|\.(?:com|net|org|info|co|tv|ly|sd|ua|ru|fr)\b", re.I)
_OUTLET_MAX_WORDS = 8


def outlet_spans(text: str, headline: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of a headline's trailing site names and section lists, peeled from the end
    while each segment is short and names an outlet or a section; what is left (the news)
    stays. Actors named there are the page's, not the event's ("Radio Tamazuj" is no party
    to a clash in Nasir)."""
    out: list[tuple[int, int]] = []
    for start, end in headline:
        line = text[start:end]
        cuts = list(_TITLE_SEPARATOR.finditer(line))
        tail_end = len(line)
        for cut in reversed(cuts):
            segment = line[cut.end():tail_end]
            if len(_WORDS.findall(segment)) > _OUTLET_MAX_WORDS or not _OUTLET_WORD.search(segment):
                break
            if len(_WORDS.findall(line[:cut.start()])) < 3:
                break  # the news must keep its words
            tail_end = cut.start()
        if tail_end < len(line):
            out.append((start + tail_end, end))
    return out


def news_sentences(text: str, spans: Sequence[tuple[int, int]],
                   dates: Sequence[tuple[int, int]] = ()) -> frozenset[int]:
    """Indices of the sentences that carry the document's news: its headline and its lede.

    Scraped pages open with furniture (a date stamp, the outlet's name, "Update: ...", a
    photo caption) before the headline; those lines are skipped. ``dates`` are the spans
    of time expressions: a line that is mostly a date ("Monday, July 28, 2025") is a stamp.
    """
    headline: list[int] = []
    lede: list[int] = []
    for index, (start, end) in enumerate(spans):
        sentence = text[start:end]
        stamp = _STAMP.match(sentence)  # "date 2022-09-19 Armenia said...": the stamp, then the lede
        if stamp:
            start, sentence = start + stamp.end(), sentence[stamp.end() :]
        if is_aside(sentence):
            continue
        words = _WORDS.findall(sentence)
        if len(words) < 3 or _FURNITURE.search(sentence):
            continue
        if len(words) <= 4 and all(w[:1].isupper() for w in words if w.casefold() not in ("the", "of", "and")):
            continue  # "The Daily Courier", "World News": the outlet's or the section's name
        dated = sum(min(end, e) - max(start, s) for s, e in dates if s < end and e > start)
        if dated * 2 >= len(sentence.strip()):
            continue  # a date stamp
        if len(words) >= _PROSE_WORDS or (lede and sentence.rstrip()[-1:] in ".!?؟。"):
            lede.append(index)
            if len(lede) >= _LEDE_SENTENCES:
                break
        elif not lede:
            headline.append(index)
            if len(headline) > _HEADLINE_LINES:  # a list of links, not a headline: start again
                headline = headline[1:]
    return frozenset(headline + lede)


class Happening(Protocol):
    """What the news decision reads and sets on an event under construction."""

    status: str
    date: dict[str, Any] | None
    statement_date: dict[str, Any] | None
    sentences: list[int]
    process_type: str | None
    trigger: Any  # has ``start``


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def days_before(fields: dict[str, Any] | None, pub_day: date | None) -> int | None:
    """How many days before publication a dated happening ended (its end for a span; its
    start for a month or a year: "last month's conference" is not recent)."""
    if not fields or pub_day is None:
        return None
    start = _day(fields.get("event_date"))
    if start is None:
        return None
    end = start if fields.get("time_precision", 1) >= 3 else (_day(fields.get("date_end")) or start)
    return (pub_day - end).days


def on_reporting_day(fields: dict[str, Any] | None, pub_day: date | None) -> bool:
    """Whether a date is the day of the report or just before it ("today", "overnight",
    "on Tuesday" in Friday's paper), at the precision of a day."""
    gap = days_before(fields, pub_day)
    return (gap is not None and -1 <= gap <= REPORTING_DAYS and fields is not None
            and fields.get("time_precision") == 1 and fields.get("role") == "event")


# "a ceasefire has been reached", "the two sides have agreed a truce": English reports the
# day's news in the present perfect, without a date
_JUST_AFTER = re.compile(
    r"^[\W]*(?:[\w'’-]+\W+){0,1}?(?:has|have)\s+(?:now\s+|just\s+|finally\s+)?been\s+(?:reached|agreed|signed|declared"
    r"|announced|struck|brokered|concluded|captured|seized|released|freed|arrested)\b", re.I)
_JUST_BEFORE = re.compile(
    r"\b(?:has|have)\s+(?:now\s+|just\s+|finally\s+)?(?:reached|agreed(?:\s+to|\s+on)?|signed|declared|announced"
    r"|struck|brokered|concluded|launched|captured|seized|released|freed)\s+(?:[\w'’-]+\s+){0,3}$", re.I)


#: Accusing, in the simple past or the present: a party's accusation told as the day's news
#: ("The army accused the RSF of looting homes", "Hamás acusó a Israel de violar el acuerdo").
_ACCUSES = re.compile(
    r"(?<!\w)(?:accused|accuses|blamed|blames|alleged|alleges|denunci(?:ó|aron|a|an)|(?:a|ont)\s+dénoncé|ha\s+denunciato|acus(?:ó|aron|a|an)|(?:a|ont)\s+accusé|accuse(?:nt)?|ha(?:nno)?\s+accusato"
    r"|accusa(?:no)?|acus(?:ou|aram)|обвинил\w*|обвиняет|обвиняют|suçladı|suçluyor"
    # "calls upon the monitors to investigate X's latest violations": a call for an inquiry alleges them
    r"|(?:calls?|called|urges?|urged|asks?|asked|demands?|demanded)\s+(?:up)?on\s+[^.;]{0,50}?\bto\s+(?:investigate|probe)"
    r"|(?:appelle|a\s+appelé|demande|a\s+demandé)\s+[^.;]{0,50}?\bà\s+enquêter)(?!\w)"
    r"|(?<!\w)[وف]?(?:اتهم|يتهم|تتهم)\w*", re.I)  # Arabic takes "و"/"ف" in front
#: ... but not an old or a habitual one ("had accused", "has long accused", "repeatedly accused").
_ACCUSED_BEFORE = re.compile(
    r"\b(?:had|has|have|repeatedly|often|long|previously|earlier|frequently|regularly|routinely)\s+(?:\w+\s+)?$", re.I)


def accuses_now(text: str, start: int, end: int) -> bool:
    """Whether an allegation's trigger ``text[start:end]`` is told with an accusing verb of its
    own sentence in the simple past or the present, which news uses for the day's accusations."""
    line_start = max(text.rfind(c, 0, start) for c in ".!?\n؟") + 1
    for m in _ACCUSES.finditer(text, max(line_start, start - 80), end):
        if not _ACCUSED_BEFORE.search(text, max(line_start, m.start() - 30), m.start()):
            return True
    return False


def just_happened(text: str, start: int, end: int) -> bool:
    """Whether the trigger ``text[start:end]`` is told in the present perfect of a completed
    act ("a truce has been agreed"), which news English uses for the day's news."""
    before = text[max(0, start - 60) : start].rsplit("\n", 1)[-1]
    after = text[end : end + 60].split("\n", 1)[0]
    return bool(_JUST_AFTER.match(after) or _JUST_BEFORE.search(before))


#: A sentence that opens with a lapse of hours or minutes after what was told before it: its
#: happening is of the same day ("Tras poco más de una hora, Israel anunció que se había
#: reanudado el cese al fuego"). "Later" alone may be days later and is left out.
HOURS_LATER = re.compile(
    r"^\W*(?:(?:an?|half an|one|two|three|several|a few|some)\s+(?:hours?|minutes)\s+(?:later|after(?:wards)?)"
    # "Hours after the announcement, Ukraine said ...": a fronted lapse after what was told before
    r"|(?:(?:an?|half an|one|two|three|several|a few|some)\s+)?(?:hours|minutes|moments)\s+after\s+(?:the|this|that|its|his|her|their)\s+[^,.;]{1,60},"
    r"|(?:quelques|deux|trois)\s+heures\s+après\s+(?:l['’]|le|la|les|cette|cet|ce)\s*[^,.;]{1,60},"
    r"|(?:horas|minutos)\s+después\s+de\s+[^,.;]{1,60},|(?:poche\s+)?ore\s+dopo\s+[^,.;]{1,60},"
    r"|через\s+несколько\s+часов\s+после\s+[^,.;]{1,60},|спустя\s+несколько\s+часов\s+после\s+[^,.;]{1,60},"
    r"|بعد\s+ساعات\s+(?:من|على)\s+[^،,.;]{1,60}[،,]"
    r"|(?:hours|minutes|moments)\s+later|shortly\s+after(?:wards)?\b|soon\s+after(?:wards)?\b|later\s+(?:that|the\s+same)\s+day"
    r"|within\s+(?:an|the)\s+hour"
    r"|tras\s+(?:poco\s+)?(?:más\s+de\s+|menos\s+de\s+)?(?:una|media|dos|tres|unas|pocas)\s+(?:horas?|minutos)"
    r"|(?:una|dos|tres|pocas|unas)\s+horas?\s+(?:más\s+tarde|después)|poco\s+después|minutos\s+después"
    r"|(?:une|deux|trois|quelques)\s+heures?\s+plus\s+tard|peu\s+après|quelques\s+minutes\s+plus\s+tard"
    r"|plus\s+tard\s+dans\s+la\s+journée"
    r"|(?:un['’]ora|poche\s+ore|qualche\s+ora|pochi\s+minuti)\s+dopo|poco\s+dopo"
    r"|(?:uma|poucas|algumas)\s+horas?\s+depois|pouco\s+depois"
    r"|спустя\s+(?:час|полчаса|несколько\s+часов|пару\s+часов|несколько\s+минут)|через\s+(?:час|полчаса|несколько\s+часов)"
    r"|(?:bir|birkaç)\s+saat\s+sonra|kısa\s+süre\s+sonra"
    r"|و?بعد\s+(?:ساعة|ساعات|ساعتين|دقائق|نصف\s+ساعة|وقت\s+قصير))",
    re.I)


def decide_news(cands: Sequence[Happening], pub_day: date | None, news: frozenset[int], *,
                fill_dates: bool = True, pre_merge: bool = False, text: str | None = None,
                aside: frozenset[int] = frozenset(), spans: Sequence[tuple[int, int]] = ()) -> None:
    """Which real happenings are the document's news (``main``); the rest are ``background``.

    * the headline and the lede carry the news: a happening told there is main unless it
      is old (more than two weeks before the report) or ongoing since a start date;
    * a happening dated on the reporting day or just before it is main wherever it is told,
      even where the words around an ACLED happening set it before something else ("after
      Saturday's clashes");
    * a happening in the headline or lede dated after the report is planned;
    * so is an undated act told in the present perfect ("a ceasefire has been reached"),
      when ``text`` is given;
    * a tally ("statistic") is background unless it is dated on the reporting day;
    * what the ``aside`` sentences tell (blocks of links to other stories) is background;
    * with ``fill_dates``, news that gives no date of its own takes the statement's day
      ("the army said on Wednesday") or the publication day, at ACLED precision 2;
    * after merging, the paragraph right after the lede tells more of the lede's dated
      violence (``lede_told_on``), given ``spans``, the sentences' offsets.

    Run before merging (so that mentions merge with mentions of the same standing) and
    after it (``pre_merge`` False), when undated news gets its date.
    """
    # "they had agreed a truce, but it was violated": an undated happening told after
    # background in the same sentence is the same story (but "a violation of the truce"
    # is news, though the truce it names is background)
    for c in cands:
        # "cars burned after Saturday's clashes" in Sunday's paper: words that set a violent
        # happening in the past ("after", "had") do not make it background when it is the day's
        # news (a process word is left alone: "despite the truce" names a state, not a happening)
        if (c.status == "background" and c.process_type is None and on_reporting_day(c.date, pub_day)
                and not (aside and set(c.sentences) <= aside)
                and not (text is not None and _ENDED_BEFORE.search(text, max(0, c.trigger.start - 80), c.trigger.start))):
            c.status = "main"
    # "Two dead after shooting at Zawiya checkpoint" over "Two people were killed in a shooting at
    # a checkpoint in Zawiya on Monday": the headline's "after" sets no background there; its
    # undated happening is the lede's dated one of the same kind, and merges with it
    dated_news = {getattr(o, "code", None) for o in cands
                  if o.status == "main" and o.process_type is None and news & set(o.sentences)
                  and on_reporting_day(o.date, pub_day)}
    for c in cands if pre_merge else ():  # (after merging, it would be a second mention of that news)
        if (c.status == "background" and c.process_type is None and c.date is None
                and getattr(c, "code", None) in dated_news and news & set(c.sentences)
                and not (aside and set(c.sentences) <= aside)):
            c.status = "main"
    first_background: dict[int, int] = {}
    for c in cands:
        if (c.status == "background" and not getattr(c, "frame", False)
                and not (text is not None and c.process_type == "ceasefire"
                         and since_truce(text, c.trigger.start, c.trigger.end))):
            # where the trigger is: a merged mention's other sentences have their own words, after
            # or before, and a truce merged from a frame ("accused them of breaching the truce") is none
            framed = getattr(c, "frame_sentences", ())
            i = c.sentences[0] if c.sentences else None
            if i is not None and i not in framed:
                first_background[i] = min(first_background.get(i, c.trigger.start), c.trigger.start)
    for c in cands:
        if c.status == "main" and c.date is None and len(set(c.sentences)) == 1 and \
                c.sentences[0] in first_background and first_background[c.sentences[0]] < c.trigger.start:
            c.status = "background"
    for c in cands:
        if c.status != "main":
            continue
        if aside and set(c.sentences) <= aside:
            c.status = "background"  # a headline in a block of links to other stories
            continue
        if c.date is None and getattr(c, "hours_later", False) and not pre_merge:
            c.date = _day_before_it(cands, c)
        in_news = bool(news & set(c.sentences))
        hours_gap = days_before(c.date, pub_day) if getattr(c, "hours_later", False) else None
        today = on_reporting_day(c.date, pub_day) or (hours_gap is not None and -1 <= hours_gap <= REPORTING_DAYS) or (
            c.date is None and text is not None and just_happened(text, c.trigger.start, c.trigger.end)) or (
            c.date is None and c.process_type == "violation_alleged" and text is not None
            and accuses_now(text, c.trigger.start, c.trigger.end)) or (
            c.date is None and getattr(c, "first_since_truce", False))
        gap = days_before(c.date, pub_day)
        old = gap is not None and gap > LEDE_RECENT_DAYS
        if c.date is not None and c.date.get("role") == "start" and c.process_type != "ceasefire":
            # "since April 2019": an ongoing campaign is the setting, not the news; but a truce's
            # start ("with effect from midnight of February 24/25") is the truce's own date
            old, today = True, False
        if gap is not None and gap < -1 and c.date is not None and c.date.get("role") != "end" and in_news:
            c.status = "planned"  # "talks this December" in April's lede: not yet happened
            continue
        # before merging, an undated mention outside the news keeps its standing open: it
        # may be more of the lede's news ("the Geneva military talks aim to...")
        if pre_merge and not in_news and c.date is None and not today:
            continue
        if c.process_type == "statistic":
            news_now = today
        else:
            news_now = today or (in_news and not old)
        if not news_now:
            c.status = "background"
            if not pre_merge and c.date is None and c.statement_date is None and text is not None:
                setattr(c, "undated_body", True)  # background for want of a date only (truce_ends_fighting)
        elif c.date is None and fill_dates:
            # the news of the day, undated in its sentence: on or before the statement or
            # publication day, as ACLED codes a report that gives no date (precision 2)
            if c.statement_date is not None:
                c.date = c.statement_date
            elif pub_day is not None:
                c.date = {"event_date": pub_day.isoformat(), "date_end": None, "time_precision": 2,
                          "value": pub_day.isoformat(), "role": "publication"}
    if not pre_merge:
        truce_frames_breaches(cands, news)
        if text is not None:
            truce_ends_fighting(cands, text)
            lede_told_on(cands, text, news, pub_day, spans)


def _paragraph_of(text: str, at: int) -> int:
    return text.count("\n", 0, at)


def lede_told_on(cands: Sequence[Happening], text: str, news: frozenset[int], pub_day: date | None,
                 spans: Sequence[tuple[int, int]]) -> None:
    """The paragraph right after the lede tells more of the lede's news: its violence, its
    breach accusations and the flight it caused, undated there, are that news and its day.

    "Fighting broke out near Masisi on Monday ... [next paragraph] At least six civilians died
    when shells fell on a market, and about 3,000 people fled": news reports the day's
    happening in the lede and its details just after it. Only happenings left background for
    want of a date, when the lede's own violence is dated on or just before the report."""
    told = [c for c in cands if c.status == "main" and news & set(c.sentences) and c.process_type is None
            and getattr(c, "event_type", None) in _VIOLENT and on_reporting_day(c.date, pub_day)]
    if not told or not spans:
        return
    lede = max(_paragraph_of(text, spans[i][0]) for i in news if i < len(spans))
    lines = text.split("\n")
    after = next((i for i in range(lede + 1, len(lines)) if len(lines[i].split()) >= _PROSE_WORDS), None)
    if after is None:
        return
    for c in cands:
        if (c.status != "background" or not getattr(c, "undated_body", False) or getattr(c, "frame", False)
                or _paragraph_of(text, c.trigger.start) != after):
            continue
        violent = c.process_type is None and getattr(c, "event_type", None) in _VIOLENT
        fled = c.process_type == "statistic" and _FLED.search(c.trigger.text)
        if violent or fled or c.process_type == "violation_alleged":
            c.status, c.date = "main", dict(told[0].date)


#: Words of people fleeing, in a tally's cue ("3,000 people fled", "fugiram", "ont fui").
_FLED = re.compile(r"fled|flee|fui|fuy|huy|fugg|fugi|displac|déplac|desplaz|sfollat|deslocad|бежал|покинул|göç|kaçt|نزح"
                   r"|(?<!\w)[وف]?فر(?:وا)?(?!\w)", re.I)


def _day_before_it(cands: Sequence[Happening], c: Happening) -> dict[str, Any] | None:
    """The date of the nearest main happening told before ``c`` and dated to the day (or to
    the report's day, precision 2), as ``c``'s date, for a happening told "an hour later"."""
    first = min(c.sentences)
    earlier = [o for o in cands if o is not c and o.status == "main" and o.date is not None
               and (o.date.get("time_precision") or 3) <= 2 and o.sentences and min(o.sentences) < first]
    if not earlier:
        return None
    before = max(earlier, key=lambda o: max(i for i in o.sentences if i < first))
    day = str(before.date["event_date"])[:10]
    return {"event_date": day, "date_end": None, "time_precision": before.date.get("time_precision") or 1,
            "value": day, "role": "event"}


#: "the defence ministry announced a ceasefire": a party declaring a truce (the words just before its cue).
_ANNOUNCED = re.compile(
    # an adverb may stand inside the verb ("a également annoncé", "ha poi annunciato")
    r"(?:announced|declared|(?:a|ont)\s+(?:\w+\s+)?(?:annoncé|proclamé|décrété)|anunció|declaró|decretó"
    r"|ha\s+(?:\w+\s+)?(?:annunciato|dichiarato)|anunciou|declarou|объявил\w*|ilan\s+etti|أعلن\w*)"
    r"\s+(?:\S+\s+){0,2}$", re.I)
_VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")


def truce_ends_fighting(cands: Sequence[Happening], text: str) -> None:
    """In a report of fighting, a truce a party announces after it, undated, is its outcome: news.

    "Heavy clashes broke out on Tuesday evening ... The defence ministry announced a ceasefire
    'to protect civilians'." The truce has no date of its own, so the general rule leaves it
    background; but it is told in the past after the fighting the report is about, by one
    who can declare it. Not in a report whose news is a breach (the truce frames it there),
    and only for a truce that was background for want of a date. It takes the fighting's
    date when that has one."""
    if any(c.status == "main" and c.process_type == "violation_alleged" for c in cands):
        return
    fights = [c for c in cands if c.status == "main" and c.process_type is None
              and getattr(c, "event_type", None) in _VIOLENT]
    for c in cands:
        if (c.status != "background" or c.process_type != "ceasefire" or not getattr(c, "undated_body", False)
                or getattr(c, "frame", False)):
            continue
        first = min(c.sentences)
        if not any(f.sentences and min(f.sentences) < first for f in fights):
            continue
        if _ANNOUNCED.search(text, max(0, c.trigger.start - 60), c.trigger.start):
            c.status = "main"
            c.date = _day_before_it(cands, c)  # the nearest dated news told before it (the fighting, a deal)


def truce_frames_breaches(cands: Sequence[Happening], news: frozenset[int]) -> None:
    """A truce told in the body of a report whose news is a breach of it is background.

    "Violations of the Easter ceasefire reached 2,935 ... On April 19, Putin announced an
    Easter ceasefire": the truce is recent, but the report tells it to frame the breaches
    (ACLED and the ceasefire-articles gold code it as background). A truce in the headline
    or lede stays news, and so does one that begins after the breach it is told with.
    """
    breaches = [c for c in cands if c.status == "main" and c.process_type == "violation_alleged"]
    if not breaches:
        return
    for c in cands:
        if c.status != "main" or c.process_type != "ceasefire" or news & set(c.sentences):
            continue
        if getattr(c, "hours_later", False):
            continue  # "an hour later the truce was restored": a development after the breach, not its frame
        start = _day((c.date or {}).get("event_date"))
        if any(start is None or (_day((b.date or {}).get("event_date")) or start) >= start for b in breaches):
            c.status = "background"
