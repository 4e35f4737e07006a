"""French and Arabic time tagging: dates, months, weekdays, relative forms, durations, sets.

Every sentence here is invented for these tests. The anchor is Friday 5 June 2020
unless a test says otherwise.
"""

from __future__ import annotations

from datetime import date

import pytest

from trucewatch.extract.time import infer_publication_date, tag_time
from trucewatch.extract.time.lexicon import REQUIRED_KEYS, load

ANCHOR = "2020-06-05"  # a Friday


def _tag(text: str, lang: str, published: str | None = ANCHOR):
    tagging = tag_time(text, published=published, lang=lang, infer=published is not None)
    for t in tagging.timexes:
        assert text[t.start : t.end] == t.text
    return tagging.timexes


def _find(text: str, lang: str, span: str, published: str | None = ANCHOR):
    found = [t for t in _tag(text, lang, published) if t.text == span]
    assert found, f"{span!r} not tagged in {text!r}: {[t.text for t in _tag(text, lang, published)]}"
    return found[0]


# ---------------------------------------------------------------- French

FRENCH = [
    # "jusqu'à" is "until", in the past as well as ahead: the tense of the verb decides
    ("Les milices se sont battues du coucher du soleil lundi jusqu'à tard mardi.", "mardi", "DATE", "2020-06-02"),
    ("Les milices se sont battues du coucher du soleil lundi jusqu'à tard mardi.", "lundi", "DATE", "2020-06-01"),
    ("La trêve durera jusqu'à dimanche.", "dimanche", "DATE", "2020-06-07"),
    # absolute dates
    ("La trêve a été signée le 3 juin 2020 à Syrte.", "3 juin 2020", "DATE", "2020-06-03"),
    ("Les observateurs sont arrivés le 3 juin.", "3 juin", "DATE", "2020-06-03"),
    ("Le cessez-le-feu court depuis le 1er février 2020.", "1er février 2020", "DATE", "2020-02-01"),
    ("La commission mixte s'est réunie en juin 2020.", "juin 2020", "DATE", "2020-06"),
    ("Les hostilités avaient repris en 2019.", "2019", "DATE", "2019"),
    ("Le protocole porte la date du 03/06/2020.", "03/06/2020", "DATE", "2020-06-03"),
    ("Le premier accord remonte au 12 fevrier 2020.", "12 fevrier 2020", "DATE", "2020-02-12"),
    ("Une réunion s'est tenue samedi 30 mai.", "samedi 30 mai", "DATE", "2020-05-30"),
    # months and weekdays
    ("Les bombardements ont cessé en mars.", "mars", "DATE", "2020-03"),
    ("Les convois circulent depuis mi-juin.", "mi-juin", "DATE", "2020-06"),
    ("Les milices ont quitté la ville en avril dernier.", "avril dernier", "DATE", "2020-04"),
    ("La délégation est arrivée lundi à Tunis.", "lundi", "DATE", "2020-06-01"),
    ("Une roquette est tombée vendredi dernier sur le port.", "vendredi dernier", "DATE", "2020-05-29"),
    ("Les pourparlers reprendront mardi prochain.", "mardi prochain", "DATE", "2020-06-09"),
    # days, weeks, months and years around the anchor
    ("Aujourd'hui, le calme règne sur le front.", "Aujourd'hui", "DATE", "2020-06-05"),
    ("Des tirs ont été entendus hier près de l'aéroport.", "hier", "DATE", "2020-06-04"),
    ("Les médiateurs seront à Genève demain.", "demain", "DATE", "2020-06-06"),
    ("Le texte a été paraphé avant-hier.", "avant-hier", "DATE", "2020-06-03"),
    ("Deux échanges de prisonniers ont eu lieu cette semaine.", "cette semaine", "DATE", "2020-W23"),
    ("La trêve a été violée la semaine dernière.", "la semaine dernière", "DATE", "2020-W22"),
    ("Un nouveau cycle débutera la semaine prochaine.", "la semaine prochaine", "DATE", "2020-W24"),
    ("Le mois dernier, trente obus sont tombés.", "Le mois dernier", "DATE", "2020-05"),
    ("L'accord avait échoué l'an dernier.", "l'an dernier", "DATE", "2019"),
    ("L'année dernière, les deux camps refusaient de se parler.", "L'année dernière", "DATE", "2019"),
    ("Des élections sont espérées l'année prochaine.", "l'année prochaine", "DATE", "2021"),
    ("Le dernier incident remonte à il y a deux semaines.", "il y a deux semaines", "DATE", "2020-W21"),
    ("Il y a trois jours, un drone a frappé un dépôt.", "Il y a trois jours", "DATE", "2020-06-02"),
    ("La route côtière a rouvert début juin.", "début juin", "DATE", "2020-06"),
    # durations
    ("Le siège a duré pendant dix mois.", "dix mois", "DURATION", "P10M"),
    ("Après 10 mois de combats, les armes se taisent.", "10 mois", "DURATION", "P10M"),
    ("Les deux camps ont accepté un arrêt de 48 heures.", "48 heures", "DURATION", "PT48H"),
    ("Une trêve de 72 heures a été proclamée.", "72 heures", "DURATION", "PT72H"),
    ("Une trêve humanitaire de 48h est en vigueur.", "48h", "DURATION", "PT48H"),
    ("Les observateurs resteront soixante-douze heures.", "soixante-douze heures", "DURATION", "PT72H"),
    ("La mission durera un an et demi.", "un an et demi", "DURATION", "P1Y6M"),
    # sets
    ("La commission se réunit chaque semaine.", "chaque semaine", "SET", "P1W"),
    ("Les convois passent deux fois par semaine.", "deux fois par semaine", "SET", "P1W"),
    ("Un rapport est publié tous les deux jours.", "tous les deux jours", "SET", "P2D"),
]


@pytest.mark.parametrize("text,span,typ,value", FRENCH)
def test_french_forms(text: str, span: str, typ: str, value: str) -> None:
    t = _find(text, "fr", span)
    assert (t.type, t.value) == (typ, value)


def test_french_set_frequency_and_modifiers() -> None:
    t = _find("Les convois passent deux fois par semaine.", "fr", "deux fois par semaine")
    assert t.freq == "2X"
    assert _find("Les convois circulent depuis mi-juin.", "fr", "mi-juin").mod == "MID"
    assert _find("Le siège a duré plus de trois mois.", "fr", "trois mois").mod == "MORE_THAN"


def test_french_clock_time() -> None:
    t = _find("La trêve est entrée en vigueur dimanche à minuit.", "fr", "dimanche à minuit")
    assert (t.type, t.value) == ("TIME", "2020-05-31T24:00")
    t = _find("Les tirs ont cessé hier à 14h30.", "fr", "hier à 14h30")
    assert t.value == "2020-06-04T14:30"


def test_french_prepositions_stay_out_of_spans() -> None:
    texts = [t.text for t in _tag("Le 3 juin, en 2019, pendant dix mois, depuis lundi.", "fr")]
    assert texts == ["3 juin", "2019", "dix mois", "lundi"]


def test_french_without_anchor_is_underspecified() -> None:
    timexes = _tag("Les tirs ont repris vendredi, le 3 juin.", "fr", published=None)
    assert [t.value for t in timexes] == ["XXXX-WXX-5", "XXXX-06-03"]


# ---------------------------------------------------------------- Arabic

ARABIC = [
    # absolute dates, three digit scripts, both month systems
    ("وقعت الهدنة في 3 يونيو 2020 في سرت.", "3 يونيو 2020", "DATE", "2020-06-03"),
    ("وقعت الهدنة في ٣ يونيو ٢٠٢٠ في سرت.", "٣ يونيو ٢٠٢٠", "DATE", "2020-06-03"),
    ("وقعت الهدنة في ۳ يونيو ۲۰۲۰ في سرت.", "۳ يونيو ۲۰۲۰", "DATE", "2020-06-03"),
    ("بدأ وقف إطلاق النار في 3 حزيران 2020.", "3 حزيران 2020", "DATE", "2020-06-03"),
    ("بدأ وقف إطلاق النار في 3 يونيو/حزيران 2020.", "3 يونيو/حزيران 2020", "DATE", "2020-06-03"),
    ("بدأ وقف إطلاق النار في 3 حزيران/يونيو 2020.", "3 حزيران/يونيو 2020", "DATE", "2020-06-03"),
    ("بدأ وقف إطلاق النار في 3 يونيه 2020.", "3 يونيه 2020", "DATE", "2020-06-03"),
    ("اجتمعت اللجنة في كانون الثاني 2020.", "كانون الثاني 2020", "DATE", "2020-01"),
    ("اجتمعت اللجنة في تشرين الأول 2019.", "تشرين الأول 2019", "DATE", "2019-10"),
    ("اجتمعت اللجنة في ابريل 2020.", "ابريل 2020", "DATE", "2020-04"),
    ("اجتمعت اللجنة في أبريل 2020.", "أبريل 2020", "DATE", "2020-04"),
    ("اجتمعت اللجنة في اكتوبر 2019.", "اكتوبر 2019", "DATE", "2019-10"),
    ("تفجر القتال عام 2019 قرب العاصمة.", "عام 2019", "DATE", "2019"),
    ("تفجر القتال سنة 2019 قرب العاصمة.", "سنة 2019", "DATE", "2019"),
    ("صدر المحضر بتاريخ 03/06/2020 في جنيف.", "03/06/2020", "DATE", "2020-06-03"),
    ("صدر المحضر بتاريخ ٠٣/٠٦/٢٠٢٠ في جنيف.", "٠٣/٠٦/٢٠٢٠", "DATE", "2020-06-03"),
    ("وقع الطرفان يوم الخميس، 4 يونيو 2020 على الوثيقة.", "يوم الخميس، 4 يونيو 2020", "DATE", "2020-06-04"),
    ("انسحبت القوات في الأول من يونيو.", "الأول من يونيو", "DATE", "2020-06-01"),
    # months and weekdays
    ("توقفت الغارات في مارس.", "مارس", "DATE", "2020-03"),
    ("وفي يونيو تبادل الطرفان الأسرى.", "يونيو", "DATE", "2020-06"),
    ("انطلقت العملية أواخر مارس الماضي.", "أواخر مارس الماضي", "DATE", "2020-03"),
    ("وصل الوفد الاثنين إلى تونس.", "الاثنين", "DATE", "2020-06-01"),
    ("قال المتحدث يوم الجمعة إن الهدنة صامدة.", "يوم الجمعة", "DATE", "2020-06-05"),
    ("سقطت قذيفة الجمعة الماضي قرب الميناء.", "الجمعة الماضي", "DATE", "2020-05-29"),
    ("تستأنف المحادثات الثلاثاء المقبل.", "الثلاثاء المقبل", "DATE", "2020-06-09"),
    ("تستأنف المحادثات الثلاثاء القادم.", "الثلاثاء القادم", "DATE", "2020-06-09"),
    # days, weeks, months and years around the anchor
    ("يسود الهدوء اليوم على الجبهة.", "اليوم", "DATE", "2020-06-05"),
    ("سمع دوي انفجارات أمس قرب المطار.", "أمس", "DATE", "2020-06-04"),
    ("سمع دوي انفجارات الأمس قرب المطار.", "الأمس", "DATE", "2020-06-04"),
    ("يصل الوسطاء غدا إلى جنيف.", "غدا", "DATE", "2020-06-06"),
    ("يصل الوسطاء غداً إلى جنيف.", "غداً", "DATE", "2020-06-06"),
    ("وقع الاتفاق أمس الأول.", "أمس الأول", "DATE", "2020-06-03"),
    ("جرى تبادل للأسرى هذا الأسبوع.", "هذا الأسبوع", "DATE", "2020-W23"),
    ("خرقت الهدنة الأسبوع الماضي.", "الأسبوع الماضي", "DATE", "2020-W22"),
    ("تبدأ جولة جديدة الأسبوع المقبل.", "الأسبوع المقبل", "DATE", "2020-W24"),
    ("سقطت ثلاثون قذيفة الشهر الماضي.", "الشهر الماضي", "DATE", "2020-05"),
    ("فشلت المبادرة العام الماضي.", "العام الماضي", "DATE", "2019"),
    ("فشلت المبادرة السنة الماضية.", "السنة الماضية", "DATE", "2019"),
    ("يأمل الطرفان في إجراء انتخابات العام المقبل.", "العام المقبل", "DATE", "2021"),
    ("وقع آخر خرق قبل أسبوعين.", "قبل أسبوعين", "DATE", "2020-W21"),
    ("قصفت طائرة مسيرة مستودعا قبل ثلاثة أيام.", "قبل ثلاثة أيام", "DATE", "2020-06-02"),
    ("انسحبت المجموعات المسلحة منذ شهرين.", "منذ شهرين", "DATE", "2020-04"),
    ("تبادل الطرفان الجثث قبل يومين.", "قبل يومين", "DATE", "2020-06-03"),
    ("تجدد القصف مطلع الشهر الجاري.", "مطلع الشهر الجاري", "DATE", "2020-06"),
    # durations
    ("استمر الحصار 10 أشهر.", "10 أشهر", "DURATION", "P10M"),
    ("استمر الحصار عشرة أشهر.", "عشرة أشهر", "DURATION", "P10M"),
    ("وافق الطرفان على هدنة 48 ساعة.", "48 ساعة", "DURATION", "PT48H"),
    ("أعلنت هدنة إنسانية لمدة 72 ساعة.", "72 ساعة", "DURATION", "PT72H"),
    ("تبقى البعثة ثلاثة أشهر في المدينة.", "ثلاثة أشهر", "DURATION", "P3M"),
    ("استمرت المعارك يومين.", "يومين", "DURATION", "P2D"),
    ("مدد المجلس التفويض لمدة عام.", "عام", "DURATION", "P1Y"),
    # sets
    ("تجتمع اللجنة أسبوعيا في جنيف.", "أسبوعيا", "SET", "P1W"),
    ("تجتمع اللجنة أسبوعياً في جنيف.", "أسبوعياً", "SET", "P1W"),
    ("يمر الصليب الأحمر مرتين في الأسبوع.", "مرتين في الأسبوع", "SET", "P1W"),
    ("تصدر البعثة تقريرا كل يوم.", "كل يوم", "SET", "P1D"),
]


@pytest.mark.parametrize("text,span,typ,value", ARABIC)
def test_arabic_forms(text: str, span: str, typ: str, value: str) -> None:
    t = _find(text, "ar", span)
    assert (t.type, t.value) == (typ, value)


def test_arabic_doubled_month_is_one_date() -> None:
    timexes = _tag("أعلن الطرفان في حزيران/يونيو 2020 وقف القتال.", "ar")
    assert [(t.text, t.value) for t in timexes] == [("حزيران/يونيو 2020", "2020-06")]
    timexes = _tag("أعلن الطرفان في يونيو (حزيران) 2020 وقف القتال.", "ar")
    assert [(t.text, t.value) for t in timexes] == [("يونيو (حزيران) 2020", "2020-06")]


def test_arabic_glued_prefixes_stay_out_of_spans() -> None:
    text = "وأمس أعلنت اللجنة، وبالأمس وصل الوفد، وللعام الماضي حصيلة، ولمدة أسبوع، وفي 2019."
    spans = [(t.text, t.value) for t in _tag(text, "ar")]
    assert spans == [
        ("أمس", "2020-06-04"),
        ("الأمس", "2020-06-04"),
        ("للعام الماضي", "2019"),  # ل + ال written لل keeps its first ل
        ("أسبوع", "P1W"),
        ("2019", "2019"),
    ]


def test_arabic_modifiers_and_frequency() -> None:
    assert _find("انطلقت العملية أواخر مارس الماضي.", "ar", "أواخر مارس الماضي").mod == "END"
    assert _find("يمر الصليب الأحمر مرتين في الأسبوع.", "ar", "مرتين في الأسبوع").freq == "2X"
    assert _find("استمر الحصار أكثر من عامين.", "ar", "عامين").mod == "MORE_THAN"


def test_arabic_without_anchor_is_underspecified() -> None:
    timexes = _tag("قال المتحدث يوم الجمعة إن الهدنة بدأت في 3 يونيو.", "ar", published=None)
    assert [t.value for t in timexes] == ["XXXX-WXX-5", "XXXX-06-03"]


def test_arabic_ambiguous_month_words() -> None:
    # مارس is also the verb "practised"; alone it is a month only after a preposition
    assert _tag("مارس الوسطاء ضغوطا على الطرفين.", "ar") == []
    assert [t.value for t in _tag("توقف القصف في مارس.", "ar")] == ["2020-03"]


# ---------------------------------------------------------------- numbers that are not dates

NOT_DATES = [
    ("fr", "La commission militaire mixte 5+5 a siégé à Genève."),
    ("fr", "Le Conseil de sécurité a adopté la résolution 2510."),
    ("fr", "La vidéo porte l'identifiant 6126630991001."),
    ("fr", "Les combats ont fait 1 000 morts selon l'ONU."),
    ("fr", "Chaque combattant recevait 2 000 euros et 2019 dollars."),
    ("fr", "Mars est visible depuis le désert."),
    ("fr", "Les négociateurs ont été reçus par le ministre."),
    ("ar", "اجتمعت اللجنة العسكرية المشتركة 5+5 في جنيف."),
    ("ar", "تبنى مجلس الأمن القرار 2510 بالإجماع."),
    ("ar", "يحمل المقطع المعرف 6126630991001."),
    ("ar", "خلفت المعارك 1000 قتيل و2020 دولار من الخسائر."),
    ("ar", "رحب الأمين العام السابق بالخطوة."),
    ("ar", "تحدث المشاركون عن الربيع العربي."),
    ("ar", "طالب الطرفان بالإفراج عن الاثنين المحتجزين بين الاثنين."),
]


@pytest.mark.parametrize("lang,text", NOT_DATES)
def test_numbers_that_are_not_dates(lang: str, text: str) -> None:
    assert [t.text for t in _tag(text, lang)] == []


# ---------------------------------------------------------------- spans

MIXED = {
    "fr": (
        "GENÈVE — Les délégués ont signé jeudi, le 4 juin 2020, une trêve de 72 heures. "
        "Selon l'ONU, les combats avaient repris il y a deux semaines, après dix mois de siège ; "
        "la commission 5+5 se réunira la semaine prochaine puis deux fois par mois jusqu'en mars."
    ),
    "ar": (
        "أعلن الوسطاء يوم الخميس 4 يونيو/حزيران ٢٠٢٠ هدنة لمدة 72 ساعة، وقالوا إن القتال تجدد قبل أسبوعين "
        "بعد حصار دام عشرة أشهر، وإن اللجنة 5+5 ستجتمع الأسبوع المقبل ثم مرتين في الشهر حتى مارس المقبل."
    ),
}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_spans_slice_the_text_exactly(lang: str) -> None:
    text = MIXED[lang]
    timexes = tag_time(text, published=ANCHOR, lang=lang).timexes
    assert len(timexes) >= 6
    for t in timexes:
        assert text[t.start : t.end] == t.text
        assert t.text == t.text.strip() and t.text
    assert all(a.end <= b.start for a, b in zip(timexes, timexes[1:]))


# ---------------------------------------------------------------- publication-date inference


def test_infer_publication_date_french() -> None:
    text = (
        "Les négociateurs ont annoncé jeudi la prolongation de la trêve.\n\n"
        "Les combats avaient repris le 3 juin près de Syrte, après l'échec des pourparlers de mai 2020."
    )
    anchor = infer_publication_date(text, lang="fr")
    assert anchor.basis == "inferred"
    assert anchor.value == "2020-06-04"  # the Thursday after 3 June 2020


def test_infer_publication_date_arabic() -> None:
    text = (
        "أعلن الوسطاء يوم الخميس تمديد الهدنة.\n\n"
        "وكانت الاشتباكات قد تجددت في 3 يونيو قرب سرت بعد فشل محادثات مايو 2020."
    )
    anchor = infer_publication_date(text, lang="ar")
    assert anchor.basis == "inferred"
    assert anchor.value == "2020-06-04"


# ---------------------------------------------------------------- lexicons


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_lexicon_has_required_keys_months_and_weekdays(lang: str) -> None:
    lex = load(lang)
    for k in REQUIRED_KEYS:
        assert k in lex, k
    assert {int(k) for k in lex["months"]} == set(range(1, 13))
    assert {int(k) for k in lex["weekdays"]} == set(range(1, 8))
    assert all(lex["months"][k] for k in lex["months"])
    assert all(lex["weekdays"][k] for k in lex["weekdays"])


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_month_and_weekday_word_is_recognised(lang: str) -> None:
    lex = load(lang)
    for month, words in lex["months"].items():
        for w in words:
            text = f"14 {w} 2020"
            values = [t.value for t in _tag(text, lang)]
            assert values == [f"2020-{int(month):02d}-14"], (w, values)
    for wd, words in lex["weekdays"].items():
        for w in words:
            timexes = _tag(f"— {w} —", lang)
            assert len(timexes) == 1, w
            assert date.fromisoformat(timexes[0].value).isoweekday() == int(wd), w


# --- contracted لل and glued prefixes never crash the tagger ------------------------


def test_arabic_contracted_article_forms() -> None:
    got = {t.text: t.value for t in tag_time("وصل الوفد للجمعة الماضية وللإثنين المقبل", published="2020-06-05", lang="ar").timexes}
    assert got["للجمعة الماضية"] == "2020-05-29"
    assert any(v == "2020-06-08" for v in got.values())
    autumn = tag_time("للخريف الماضي", published="2020-06-05", lang="ar").timexes
    assert [t.value for t in autumn] == ["2019-FA"]


def test_glued_prefixes_on_every_weekday_and_season_do_not_crash() -> None:
    words = ["الجمعة", "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الخريف", "الربيع", "الصيف", "الشتاء"]
    for prefix in ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فل"):
        for w in words:
            glued = prefix + ("ل" + w[2:] if prefix.endswith("ل") else w)
            text = f"قال المتحدث {glued} الماضي إن القصف توقف"
            for t in tag_time(text, published="2020-06-05", lang="ar").timexes:
                assert text[t.start : t.end] == t.text


def test_arabic_years_later_counts_from_the_year_named() -> None:
    times = tag_time("في عام 2015 وقع الاتفاق، وبعد ذلك بعامين انهار", published="2020-06-05", lang="ar").timexes
    assert [t.value for t in times] == ["2015", "2017"]


def test_english_weekday_plural_is_a_set() -> None:
    times = tag_time("Flights leave on Tuesdays.", published="2020-06-05").timexes
    assert [(t.type, t.value) for t in times] == [("SET", "XXXX-WXX-2")]


def test_arabic_month_day_comma_year() -> None:
    """Sites that translate English templates write "يونيو 21, 2021"."""
    t = _find("نشر في يونيو 21, 2021 خبر عن الهدنة.", "ar", "يونيو 21, 2021")
    assert (t.type, t.value) == ("DATE", "2021-06-21")


@pytest.mark.parametrize("text, span, value", [
    ("Çatışmalar pazar gecesi başladı.", "pazar gece", "2025-11-16"),  # Sunday night; "pazar" is also a market
    ("Ateşkes bu sabah yürürlüğe girdi.", "bu sabah", "2025-11-18"),
    ("Saldırı bu sabaha karşı düzenlendi.", "bu sabaha karşı", "2025-11-18"),
])
def test_turkish_days_with_their_part(text: str, span: str, value: str) -> None:
    times = [(t.text, t.value) for t in tag_time(text, published="2025-11-18", lang="tr").timexes]
    assert (span, value) in times
    # a bare lower-case "pazar" is the market
    assert tag_time("Esnaf pazar yerini boşalttı.", published="2025-11-18", lang="tr").timexes == []
