"""Spanish, Italian, Russian and Turkish time tagging (dateparser's words, our grammar).

Every sentence is written for these tests. The anchor is Friday 5 June 2020.
"""

from __future__ import annotations

import pytest

from trucewatch.extract.time import infer_publication_date, tag_time
from trucewatch.extract.time.grammar_locale import LANGS, SUPPLEMENT_KEYS, fold, grammar, load_supplement

ANCHOR = "2020-06-05"  # a Friday


def _tag(text: str, lang: str):
    timexes = tag_time(text, published=ANCHOR, lang=lang).timexes
    for t in timexes:
        assert text[t.start : t.end] == t.text
    return timexes


CASES = [
    # Spanish
    ("es", "La tregua se firmó el 3 de junio de 2020 en Ginebra.", "3 de junio de 2020", "DATE", "2020-06-03"),
    ("es", "Los observadores llegaron el 2 de junio.", "2 de junio", "DATE", "2020-06-02"),
    ("es", "La ofensiva comenzó en abril de 2019.", "abril de 2019", "DATE", "2019-04"),
    ("es", "Las milicias se retiraron en marzo.", "marzo", "DATE", "2020-03"),
    ("es", "Las hostilidades se reanudaron en 2019.", "2019", "DATE", "2019"),
    ("es", "Los combates se reanudaron el martes cerca del puerto.", "martes", "DATE", "2020-06-02"),
    ("es", "Un cohete cayó el viernes pasado en el aeropuerto.", "viernes pasado", "DATE", "2020-05-29"),
    ("es", "La comisión se reunirá el próximo lunes.", "próximo lunes", "DATE", "2020-06-08"),
    ("es", "Hoy reina la calma en el frente.", "Hoy", "DATE", "2020-06-05"),
    ("es", "Ayer se oyeron disparos junto al cuartel.", "Ayer", "DATE", "2020-06-04"),
    ("es", "Los mediadores viajarán mañana a Túnez.", "mañana", "DATE", "2020-06-06"),
    ("es", "El texto se rubricó anteayer.", "anteayer", "DATE", "2020-06-03"),
    ("es", "La tregua fue violada la semana pasada.", "la semana pasada", "DATE", "2020-W22"),
    ("es", "Hace tres días hubo bombardeos en la costa.", "Hace tres días", "DATE", "2020-06-02"),
    ("es", "El plazo vence dentro de 10 días.", "dentro de 10 días", "DATE", "2020-06-15"),
    ("es", "El canje de presos se hizo el 28/05/2020.", "28/05/2020", "DATE", "2020-05-28"),
    ("es", "El miercoles 3 de junio se reunieron.", "miercoles 3 de junio", "DATE", "2020-06-03"),
    # Italian
    ("it", "La tregua è stata firmata il 3 giugno 2020 a Ginevra.", "3 giugno 2020", "DATE", "2020-06-03"),
    ("it", "Gli osservatori sono arrivati il 2 giugno.", "2 giugno", "DATE", "2020-06-02"),
    ("it", "L'offensiva è cominciata ad aprile 2019.", "aprile 2019", "DATE", "2019-04"),
    ("it", "Le milizie si sono ritirate a marzo.", "marzo", "DATE", "2020-03"),
    ("it", "Nel 2019 sono riprese le ostilità.", "2019", "DATE", "2019"),
    ("it", "Martedì sono ripresi gli scontri vicino al porto.", "Martedì", "DATE", "2020-06-02"),
    ("it", "Venerdì scorso un razzo ha colpito l'aeroporto.", "Venerdì scorso", "DATE", "2020-05-29"),
    ("it", "Oggi la calma regna sul fronte.", "Oggi", "DATE", "2020-06-05"),
    ("it", "Ieri sono stati uditi spari vicino alla caserma.", "Ieri", "DATE", "2020-06-04"),
    ("it", "I mediatori partiranno domani per Tunisi.", "domani", "DATE", "2020-06-06"),
    ("it", "L'altro ieri è arrivata la delegazione.", "L'altro ieri", "DATE", "2020-06-03"),
    ("it", "Il mese scorso la tregua è stata violata.", "Il mese scorso", "DATE", "2020-05"),
    ("it", "Tre giorni fa ci sono stati bombardamenti.", "Tre giorni fa", "DATE", "2020-06-02"),
    ("it", "La tregua scade tra 10 giorni.", "tra 10 giorni", "DATE", "2020-06-15"),
    ("it", "Lo scambio di prigionieri è avvenuto il 28.05.2020.", "28.05.2020", "DATE", "2020-05-28"),
    ("it", "Mercoledi 3 giugno si sono riuniti.", "Mercoledi 3 giugno", "DATE", "2020-06-03"),
    # Russian
    ("ru", "Перемирие было подписано 3 июня 2020 года в Женеве.", "3 июня 2020 года", "DATE", "2020-06-03"),
    ("ru", "Наблюдатели прибыли 2 июня.", "2 июня", "DATE", "2020-06-02"),
    ("ru", "Наступление началось в апреле 2019 года.", "апреле 2019 года", "DATE", "2019-04"),
    ("ru", "Ополченцы отступили в марте.", "марте", "DATE", "2020-03"),
    ("ru", "Бои возобновились в 2019 году.", "2019 году", "DATE", "2019"),
    ("ru", "Во вторник возобновились бои у порта.", "вторник", "DATE", "2020-06-02"),
    ("ru", "В субботу делегация прибыла в Триполи.", "субботу", "DATE", "2020-05-30"),
    ("ru", "В прошлую пятницу ракета попала в аэропорт.", "прошлую пятницу", "DATE", "2020-05-29"),
    ("ru", "Сегодня на фронте спокойно.", "Сегодня", "DATE", "2020-06-05"),
    ("ru", "Вчера у казарм слышали выстрелы.", "Вчера", "DATE", "2020-06-04"),
    ("ru", "Посредники вылетят в Тунис завтра.", "завтра", "DATE", "2020-06-06"),
    ("ru", "Позавчера состоялась встреча сторон.", "Позавчера", "DATE", "2020-06-03"),
    ("ru", "В прошлом году наступление провалилось.", "прошлом году", "DATE", "2019"),
    ("ru", "Три дня назад были обстрелы.", "Три дня назад", "DATE", "2020-06-02"),
    ("ru", "Перемирие истекает через 10 дней.", "через 10 дней", "DATE", "2020-06-15"),
    ("ru", "Обмен пленными прошёл 28.05.2020.", "28.05.2020", "DATE", "2020-05-28"),
    # Turkish
    ("tr", "Ateşkes 3 Haziran 2020 tarihinde Cenevre'de imzalandı.", "3 Haziran 2020", "DATE", "2020-06-03"),
    ("tr", "Gözlemciler 2 Haziran'da geldi.", "2 Haziran", "DATE", "2020-06-02"),
    ("tr", "Saldırı Nisan 2019'da başladı.", "Nisan 2019", "DATE", "2019-04"),
    ("tr", "Milisler Mart ayında çekildi.", "Mart", "DATE", "2020-03"),
    ("tr", "Çatışmalar 2019 yılında yeniden başladı.", "2019 yılında", "DATE", "2019"),
    ("tr", "Salı günü liman yakınında çatışmalar başladı.", "Salı günü", "DATE", "2020-06-02"),
    ("tr", "Geçen cuma bir roket havalimanına düştü.", "Geçen cuma", "DATE", "2020-05-29"),
    ("tr", "Bugün cephede sükunet var.", "Bugün", "DATE", "2020-06-05"),
    ("tr", "Dün kışla yakınında silah sesleri duyuldu.", "Dün", "DATE", "2020-06-04"),
    ("tr", "Arabulucular yarın Tunus'a gidecek.", "yarın", "DATE", "2020-06-06"),
    ("tr", "Geçen yıl saldırı başarısız oldu.", "Geçen yıl", "DATE", "2019"),
    ("tr", "Üç gün önce kıyıda bombardıman oldu.", "Üç gün önce", "DATE", "2020-06-02"),
    ("tr", "Ateşkes 10 gün sonra sona erecek.", "10 gün sonra", "DATE", "2020-06-15"),
    ("tr", "Esir takası 28.05.2020 tarihinde yapıldı.", "28.05.2020", "DATE", "2020-05-28"),
    # Portuguese
    ("pt", "A trégua foi assinada em 3 de junho de 2020 em Genebra.", "3 de junho de 2020", "DATE", "2020-06-03"),
    ("pt", "Os observadores chegaram em 2 de junho.", "2 de junho", "DATE", "2020-06-02"),
    ("pt", "A ofensiva começou em abril de 2019.", "abril de 2019", "DATE", "2019-04"),
    ("pt", "As milícias recuaram em março.", "março", "DATE", "2020-03"),
    ("pt", "Os combates recomeçaram na terça-feira perto do porto.", "terça-feira", "DATE", "2020-06-02"),
    ("pt", "Hoje reina a calma na frente.", "Hoje", "DATE", "2020-06-05"),
    ("pt", "Ontem ouviram-se tiros perto do quartel.", "Ontem", "DATE", "2020-06-04"),
    ("pt", "Os mediadores viajam amanhã para Túnis.", "amanhã", "DATE", "2020-06-06"),
    ("pt", "O texto foi rubricado anteontem.", "anteontem", "DATE", "2020-06-03"),
    ("pt", "A trégua foi violada na semana passada.", "semana passada", "DATE", "2020-W22"),
    ("pt", "Há três dias houve bombardeios na costa.", "Há três dias", "DATE", "2020-06-02"),
    ("pt", "Três dias atrás houve bombardeios na costa.", "Três dias atrás", "DATE", "2020-06-02"),
    ("pt", "A trégua expira daqui a 10 dias.", "daqui a 10 dias", "DATE", "2020-06-15"),
    ("pt", "A troca de presos foi feita em 28/05/2020.", "28/05/2020", "DATE", "2020-05-28"),
    ("pt", "Na quinta-feira, 4 de junho, reuniram-se as partes.", "quinta-feira, 4 de junho", "DATE", "2020-06-04"),
    # a morning alone, in the day's report, is that day's; the weekday's morning is the weekday
    ("ru", "Снаряд попал в жилой дом утром, сообщили медики.", "утром", "TIME", "2020-06-05TMO"),
    ("ru", "В четверг утром снаряд попал в жилой дом.", "четверг утром", "DATE", "2020-06-04"),
]


@pytest.mark.parametrize(("lang", "text", "span", "typ", "value"), CASES)
def test_locale_forms(lang: str, text: str, span: str, typ: str, value: str) -> None:
    found = [t for t in _tag(text, lang) if t.text == span]
    assert found, f"{span!r} not tagged in {text!r}: {[t.text for t in _tag(text, lang)]}"
    assert (found[0].type, found[0].value) == (typ, value)


def test_each_language_has_several_dozen_cases_between_them() -> None:
    per_lang = {lang: sum(1 for c in CASES if c[0] == lang) for lang in LANGS}
    assert all(n >= 14 for n in per_lang.values()), per_lang


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Nos vemos por la mañana en la plaza."),  # "mañana" is the morning here
        ("es", "Cada mañana los vecinos hacen cola."),
        ("tr", "Yemek ocak üstünde pişiyor."),  # "ocak": a stove, not January
        ("tr", "Köyde pazar kuruldu."),  # "pazar": a market, not Sunday
        ("es", "El presupuesto subió un 2019 %."),
        ("pt", "A segunda rodada de negociações foi adiada."),  # "segunda": an ordinal, not Monday
        ("es", "La delegación viajó a Santo Domingo."),  # a city, not a Sunday
        ("es", "Miles de personas se reunieron en la Plaza de Mayo."),  # a square, not May
        ("it", "Ha parlato Domenica Rossi, portavoce della missione."),  # a name, not a Sunday
        ("es", "Murieron 2000 personas en los combates."),  # a count, not a year
        ("tr", "Saldırıda 2000 kişi hayatını kaybetti."),
        ("ru", "Выбросы наносят вред на окружающую среду."),  # the environment, not a Wednesday
        ("tr", "Kasım Demir açıklama yaptı."),  # a name, not November
    ],
)
def test_words_that_are_not_dates(lang: str, text: str) -> None:
    assert [t.text for t in _tag(text, lang) if t.type in ("DATE", "TIME")] == []


def test_durations_and_turkish_endings_stay_out_of_spans() -> None:
    got = [(t.text, t.type, t.value) for t in _tag("La ofensiva duró tres meses.", "es")]
    assert got == [("tres meses", "DURATION", "P3M")]
    spans = [t.text for t in _tag("Heyet 3 Haziran'da Trablus'a geldi; 2019'da da gelmişti.", "tr")]
    assert spans == ["3 Haziran", "2019"]


def test_approximated_offsets_keep_their_mod() -> None:
    t = [x for x in _tag("Los ataques empezaron hace más de dos semanas.", "es") if x.text.startswith("hace")][0]
    assert (t.text, t.value, t.mod) == ("hace más de dos semanas", "2020-W21", "MORE_THAN")
    t = _tag("Почти три дня назад начались обстрелы.", "ru")[0]
    assert (t.text, t.value, t.mod) == ("Почти три дня назад", "2020-06-02", "LESS_THAN")


def test_without_anchor_relative_forms_stay_unresolved() -> None:
    t = tag_time("Ayer murieron dos civiles.", published=None, lang="es", infer=False).timexes[0]
    assert (t.text, t.value) == ("Ayer", None)


def test_weekday_and_date_agree_on_the_year() -> None:
    # 3 June fell on a Wednesday in 2020 (and in no other year from 2019 to 2025)
    anchor = infer_publication_date("El miércoles 3 de junio se reunieron las partes, dijo la ONU. La guerra empezó en 2019.", "es")
    assert (anchor.value, anchor.low) == ("2020-06-04", "2020-06-03")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("MOSCÚ, 3 jun (Agencia Sur).- Las partes se reunieron el miércoles, dijo la ONU. La guerra empezó en 2019.", "es"),
        ("МОСКВА, 3 июня. /Агентство/. Стороны встретились в среду. Война началась в 2019 году.", "ru"),
    ],
)
def test_yearless_dateline_in_other_languages_dates_the_report(text: str, lang: str) -> None:
    anchor = infer_publication_date(text, lang)
    assert (anchor.value, anchor.confidence >= 0.7) == ("2020-06-03", True)


@pytest.mark.parametrize("lang", LANGS)
def test_supplement_files_have_their_keys_and_parse(lang: str) -> None:
    sup = load_supplement(lang)
    assert all(k in sup for k in SUPPLEMENT_KEYS)
    assert sup["ago_position"] in ("before", "after", "both") and sup["in_position"] in ("before", "after")
    g = grammar(lang)
    assert sorted(set(g.months.values())) == list(range(1, 13))
    assert sorted(set(g.weekdays.values())) == list(range(1, 8))
    assert {"D", "W", "M", "Y"} <= set(g.units.values())
    assert -1 in g.deictic.values() and 0 in g.deictic.values()
    for spec in (sup["relative_extra"] or {}).values():
        unit, off = str(spec).split()
        assert unit in ("D", "W", "M", "Y") and int(off) in (-1, 0, 1)
    for words in (sup["months_extra"] or {}).values():
        assert all(isinstance(w, str) and w == w.lower() for w in words)


@pytest.mark.parametrize("lang", LANGS)
def test_every_month_and_weekday_name_is_tagged(lang: str) -> None:
    g = grammar(lang)
    for word in g.month_names:
        month = g.months[fold(word)]
        text = f"12 {word} 2020"
        got = [t for t in _tag(text, lang) if t.type == "DATE"]
        assert got and got[0].value == f"2020-{month:02d}-12", (word, [(t.text, t.value) for t in got])


def test_dateparser_shorthand_phrases_are_left_out_and_full_ones_kept() -> None:
    assert "в пр г" not in grammar("ru").relative and "в прошлом году" in grammar("ru").relative
    assert "sem ant" not in grammar("es").relative and "el mes pasado" in grammar("es").relative
    assert "proximo mes" in grammar("pt").relative  # "mês" is a word, not shorthand for "meses"
