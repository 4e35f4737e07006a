"""Figures read from news text: number phrases, kind words, what is not a count.

Every sentence here is made up for the test.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from trucewatch.extract.events.counts import KINDS, Count, find_counts, parse_quantity


def only(text: str, kind: str | None = None) -> Count:
    """The one count in ``text`` (of ``kind`` when given)."""
    found = [c for c in find_counts(text) if kind is None or c.kind == kind]
    assert len(found) == 1, found
    return found[0]


def figures(c: Count) -> tuple[int | None, int | None, int | None, bool]:
    return (c.low, c.best, c.high, c.approximate)


def check_spans(text: str, counts: list[Count]) -> None:
    for c in counts:
        assert text[c.start:c.end] == c.text
        assert c.kind in KINDS


# ---------------------------------------------------------------- parse_quantity


@pytest.mark.parametrize("phrase, n", [
    ("36", 36), ("1,000", 1000), ("150,000", 150_000), ("1,250,000", 1_250_000),
    ("1.2 million", 1_200_000), ("2 million", 2_000_000), ("3 thousand", 3000),
])
def test_digits_with_separators_and_scale_words(phrase: str, n: int) -> None:
    assert parse_quantity(phrase) == (n, n, n, False)


@pytest.mark.parametrize("phrase, n", [
    ("one", 1), ("seven", 7), ("nineteen", 19), ("twenty-one", 21), ("ninety nine", 99),
    ("a hundred", 100), ("two hundred", 200), ("two hundred and fifty", 250),
    ("three thousand", 3000), ("a dozen", 12), ("two dozen", 24), ("half a dozen", 6),
])
def test_spelled_numbers(phrase: str, n: int) -> None:
    assert parse_quantity(phrase) == (n, n, n, False)


@pytest.mark.parametrize("phrase", ["a civilian", "an aid worker", "another soldier", "a", "an"])
def test_article_with_a_person_is_one(phrase: str) -> None:
    assert parse_quantity(phrase) == (1, 1, 1, False)


@pytest.mark.parametrize("phrase", ["more than 40", "over 40", "at least 40", "40 or more", "40+",
                                    "upwards of 40", "no fewer than 40"])
def test_lower_bounds_keep_the_stated_figure_and_leave_high_open(phrase: str) -> None:
    assert parse_quantity(phrase) == (40, 40, None, False)


@pytest.mark.parametrize("phrase", ["up to 40", "as many as 40", "at most 40"])
def test_upper_bounds(phrase: str) -> None:
    assert parse_quantity(phrase) == (None, 40, 40, False)


@pytest.mark.parametrize("phrase", ["fewer than 40", "less than 40"])
def test_strictly_below_bounds_high_only(phrase: str) -> None:
    assert parse_quantity(phrase) == (None, None, 39, False)


@pytest.mark.parametrize("phrase", ["about 40", "around 40", "approximately 40", "roughly 40", "some 40",
                                    "an estimated 40", "40 or so"])
def test_hedges_keep_best_only_and_are_approximate(phrase: str) -> None:
    assert parse_quantity(phrase) == (None, 40, None, True)


@pytest.mark.parametrize("phrase", ["nearly 40", "almost 40", "close to 40"])
def test_nearly_and_almost_cap_the_figure(phrase: str) -> None:
    assert parse_quantity(phrase) == (None, 40, 40, True)


@pytest.mark.parametrize("phrase", ["between 8 and 15", "8 to 15", "8-15", "8 or 15", "from 8 to 15",
                                    "eight to fifteen", "between eight and fifteen"])
def test_ranges_take_the_lower_end_as_best(phrase: str) -> None:
    assert parse_quantity(phrase) == (8, 8, 15, False)


def test_range_shares_a_trailing_scale_word_and_hedges_keep_the_range() -> None:
    assert parse_quantity("2 to 3 million") == (2_000_000, 2_000_000, 3_000_000, False)
    assert parse_quantity("about 10 to 15") == (10, 10, 15, True)


@pytest.mark.parametrize("phrase, expected", [
    ("a couple of", (2, 2, None)), ("a few", (2, 3, None)), ("a handful of", (2, 3, None)),
    ("several", (3, 10, None)), ("many", (3, 10, None)), ("numerous", (3, 10, None)),
    ("a number of", (3, 10, None)), ("dozens", (12, 12, None)), ("scores", (20, 20, None)),
    ("hundreds", (100, 100, None)), ("thousands", (1000, 1000, None)),
    ("tens of thousands", (10_000, 10_000, None)), ("hundreds of thousands", (100_000, 100_000, None)),
    ("millions", (1_000_000, 1_000_000, None)),
    ("several hundred", (300, 300, None)), ("a few thousand", (2000, 2000, None)),
])
def test_vague_words_table(phrase: str, expected: tuple[int | None, int | None, int | None]) -> None:
    low, best, high, approximate = parse_quantity(phrase)  # type: ignore[misc]
    assert (low, best, high) == expected
    assert approximate is True
    assert low is None or best is None or low <= best


def test_hedges_combine_with_vague_and_spelled_numbers() -> None:
    assert parse_quantity("more than a dozen") == (12, 12, None, False)
    assert parse_quantity("at least dozens") == (12, 12, None, True)
    assert parse_quantity("fewer than a dozen") == (None, None, 11, False)


@pytest.mark.parametrize("phrase", ["no one", "nobody", "none", "zero", "no"])
def test_zero_words(phrase: str) -> None:
    assert parse_quantity(phrase) == (0, 0, 0, False)


@pytest.mark.parametrize("phrase, expected", [
    ("au moins 12", (12, 12, None, False)), ("plus de 150 000", (150_000, 150_000, None, False)),
    ("une dizaine", (None, 10, None, True)), ("des centaines", (100, 100, None, True)),
    ("quatre-vingt-dix", (90, 90, 90, False)), ("vingt et un", (21, 21, 21, False)),
    ("entre 5 et 8", (5, 5, 8, False)), ("jusqu'à 30", (None, 30, 30, False)),
])
def test_french_phrases(phrase: str, expected: tuple[int | None, int | None, int | None, bool]) -> None:
    assert parse_quantity(phrase) == expected


@pytest.mark.parametrize("phrase", ["", "   ", "the", "killed", "2.5", "5-3", "one two", "twenty ten",
                                    "9" * 5000, "hundred", "x" * 300])
def test_non_numbers_give_none(phrase: str) -> None:
    assert parse_quantity(phrase) is None


def test_parse_quantity_tolerates_non_strings() -> None:
    assert parse_quantity(None) is None  # type: ignore[arg-type]
    assert parse_quantity(12) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------- find_counts: the patterns


def test_killed_and_wounded_in_two_clauses_of_one_sentence() -> None:
    text = "Two people were killed and 18 were wounded when a shell struck the depot."
    counts = find_counts(text)
    check_spans(text, counts)
    assert [(c.kind, c.best, c.text) for c in counts] == [
        ("killed", 2, "Two people were killed"), ("injured", 18, "18 were wounded")]


def test_at_least_before_a_passive_verb() -> None:
    c = only("At least 36 civilians were injured in the blast near the bakery.")
    assert (c.kind, *figures(c)) == ("injured", 36, 36, None, False)
    assert c.text == "At least 36 civilians were injured"


def test_displacement_object_after_the_verb() -> None:
    c = only("The renewed fighting has displaced more than 150,000 people across the valley.")
    assert (c.kind, *figures(c)) == ("displaced", 150_000, 150_000, None, False)
    assert c.text == "displaced more than 150,000"


def test_reduced_forms_number_then_kind_word() -> None:
    assert (only("Officials put the figure at 150,000 displaced.").best) == 150_000
    assert figures(only("The ambush left 9 dead.")) == (9, 9, 9, False)
    assert only("Medics counted 4 deaths and no injuries.", "killed").best == 4
    assert only("Rescuers recovered 14 bodies from the river.").kind == "killed"
    assert only("There were 3 fatalities.").best == 3


def test_arrest_phrasings() -> None:
    assert only("Police arrested 27 people after the march.").best == 27
    assert only("Eleven activists have been arrested since Sunday.").best == 11
    c = only("The junta detained 304 serving and former military personnel overnight.")
    assert (c.kind, c.best, c.text) == ("arrested", 304, "detained 304")
    assert only("Three men were taken into custody.").kind == "arrested"


def test_abduction_phrasings() -> None:
    assert only("Gunmen kidnapped 40 pupils from a boarding school.").kind == "abducted"
    c = only("Two engineers were taken hostage at the dam.")
    assert (c.kind, c.best) == ("abducted", 2)


def test_killed_and_wounded_share_a_vague_object() -> None:
    text = "The ministry said its troops killed and wounded scores of insurgents."
    counts = find_counts(text)
    check_spans(text, counts)
    assert [(c.kind, *figures(c)) for c in counts] == [
        ("killed", 20, 20, None, True), ("injured", 20, 20, None, True)]


def test_coordinated_groups_before_one_verb_add_up() -> None:
    c = only("Four soldiers and three civilians were killed at the crossing.")
    assert figures(c) == (7, 7, 7, False)
    assert c.text == "Four soldiers and three civilians were killed"


def test_coordinated_objects_after_one_verb_add_up() -> None:
    assert only("Police arrested 5 men and 3 women at the checkpoint.").best == 8


def test_killing_n_and_wounding_m() -> None:
    counts = find_counts("The rocket hit a bus, killing 6 and wounding 13.")
    assert [(c.kind, c.best) for c in counts] == [("killed", 6), ("injured", 13)]


def test_killed_then_wounded_without_a_verb() -> None:
    counts = find_counts("Five were killed and 12 wounded in the raid.")
    assert [(c.kind, c.best) for c in counts] == [("killed", 5), ("injured", 12)]


def test_death_toll_forms() -> None:
    assert only("By evening the death toll rose to 45.").best == 45
    assert only("Death toll: 23.").best == 23
    assert only("The death toll from the siege has risen from 5 to 12.").best == 12
    assert only("The toll now stands at 57.").best == 57


def test_more_than_n_killed_in_a_headline() -> None:
    c = only("More than 1,000 killed in the violence since spring")
    assert figures(c) == (1000, 1000, None, False)


def test_article_means_one() -> None:
    assert figures(only("A civilian was killed when the shell landed.")) == (1, 1, 1, False)
    c = only("Unknown gunmen shot dead a teacher on his way home.")
    assert (c.kind, c.best, c.text) == ("killed", 1, "shot dead a teacher")


def test_no_one_and_no_casualties_are_zero() -> None:
    assert figures(only("No one was killed in the exchange of fire.")) == (0, 0, 0, False)
    assert figures(only("No casualties were reported.", "killed")) == (0, 0, 0, False)
    assert only("Nobody was hurt.").kind == "injured"


def test_no_reports_is_not_zero() -> None:
    assert find_counts("There were no immediate reports of casualties.") == []
    assert find_counts("There was no word on injuries.") == []


def test_hedges_and_vague_words_in_context() -> None:
    assert figures(only("Nearly 200 people were killed.")) == (None, 200, 200, True)
    assert figures(only("Up to 30 people were detained.")) == (None, 30, 30, False)
    assert figures(only("Fewer than 10 people were hurt.")) == (None, None, 9, False)
    assert figures(only("Two or three people died.")) == (2, 2, 3, False)
    assert figures(only("Dozens of protesters were arrested.")) == (12, 12, None, True)
    assert figures(only("Several villagers were abducted.")) == (3, 10, None, True)


def test_forced_to_flee_and_homelessness() -> None:
    assert only("The shelling forced 3,000 residents to flee.").best == 3000
    assert only("Some 5,000 people fled their homes.").best == 5000
    assert only("The floods of violence left 800 people homeless.").kind == "displaced"
    # households are not people: "800 families" gives no count of people (ACLED and our gold leave it empty)
    assert find_counts("The floods of violence left 800 families homeless.") == []


def test_subset_after_including_is_not_counted() -> None:
    text = "The strike killed 12 people, including five children, and wounded 20 others."
    counts = find_counts(text)
    assert [(c.kind, c.best) for c in counts] == [("killed", 12), ("injured", 20)]
    assert only("Three people, including two children, were killed.").best == 3


def test_number_before_an_active_verb_counts_the_doers() -> None:
    assert find_counts("Three gunmen killed civilians in the market.") == []
    counts = find_counts("5 soldiers killed 10 militants.")
    assert [(c.kind, c.best) for c in counts] == [("killed", 10)]


def test_kind_word_without_a_number_gives_nothing() -> None:
    assert find_counts("Civilians were killed in the raid, residents said.") == []
    assert find_counts("It is unclear how many people were killed.") == []
    assert find_counts("Five soldiers said the attackers killed civilians.") == []


def test_french_sentences() -> None:
    counts = find_counts("Au moins 12 personnes ont été tuées et 30 blessées.")
    assert [(c.kind, c.low, c.best, c.high) for c in counts] == [
        ("killed", 12, 12, None), ("injured", 30, 30, 30)]
    assert only("Plus de 150 000 personnes ont été déplacées.").best == 150_000
    assert only("L'attaque a fait 5 morts.").best == 5
    assert figures(only("Personne n'a été blessé.")) == (0, 0, 0, False)
    assert find_counts("Des hommes armés ont tué des civils.") == []


# ---------------------------------------------------------------- find_counts: not counts


@pytest.mark.parametrize("text", [
    "The 41-year-old was killed at the gate.",
    "The driver, aged 41, was killed.",
    "Resolution 2510 was adopted after fighters were killed.",
    "The 5+5 commission said fighters were killed.",
    "On the 7th day of the offensive soldiers were killed.",
    "The second round of shelling killed civilians.",
    "An F-16 was shot down and its crew were killed.",
    "In 2019 militants killed civilians.",
    "On 5 March fighters were killed.",
    "At 10:30 protesters were arrested.",
    "The fighting lasted 3 days and civilians died.",
    "A ransom of $5 million was paid for the kidnapped engineers.",
    "Some 10 per cent of the displaced have returned.",
    "Two car bombs killed civilians.",
])
def test_years_ages_dates_units_and_designators_are_not_counts(text: str) -> None:
    assert find_counts(text) == []


def test_year_next_to_a_real_figure() -> None:
    assert only("In 2019, 5 people were killed.").best == 5
    assert only("The 2019 attack killed 7 people.").best == 7


def test_age_limit_is_not_the_count() -> None:
    assert only("Two children under 5 were killed.").best == 2


def test_search_stays_inside_the_clause() -> None:
    assert find_counts("Five envoys attended the talks. Soldiers were killed later.") == []
    assert find_counts("Five envoys attended the talks; soldiers were killed later.") == []


def test_search_stays_within_eight_words() -> None:
    text = "Five people from the far northern hamlet beside the old stone bridge were killed."
    assert find_counts(text) == []


# ---------------------------------------------------------------- offsets, order, odd input


def test_offsets_are_absolute_and_the_window_is_respected() -> None:
    text = "Intro line here. Two people were killed in the north. Later, 40 were hurt."
    first_end = text.index(". Later")
    counts = find_counts(text, text.index("Two"), first_end)
    assert [(c.kind, c.best) for c in counts] == [("killed", 2)]
    c = counts[0]
    assert (c.start, c.end) == (text.index("Two"), text.index(" in the north"))
    everything = find_counts(text)
    check_spans(text, everything)
    assert [c.kind for c in everything] == ["killed", "injured"]
    assert [c.start for c in everything] == sorted(c.start for c in everything)


@pytest.mark.parametrize("args", [("",), ("killed",), ("no digits at all",), ("Two killed", 50, 10),
                                  ("Two killed", -5, 10**9), ("Two killed", 3, 3)])
def test_odd_input_and_offsets_do_not_raise(args: tuple[object, ...]) -> None:
    result = find_counts(*args)  # type: ignore[arg-type]
    assert isinstance(result, list)


def test_non_string_huge_and_unicode_input() -> None:
    assert find_counts(None) == []  # type: ignore[arg-type]
    assert find_counts("9" * 5000 + " people were killed") == []
    text = "\u202f😀 Mais 5\u00a0000 habitants ont été évacués ☠ \x00 killed"
    check_spans(text, find_counts(text))
    assert only("5\u00a0000 habitants ont été évacués.").best == 5000


def test_count_is_frozen() -> None:
    c = only("Two people were killed.")
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.best = 3  # type: ignore[misc]


def test_random_input_keeps_the_invariants() -> None:
    rng = random.Random(7)
    vocab = ("killed wounded were people a civilian no one more than at least about nearly 36 1,000 "
             "two hundred dozens of between and 2019 41-year-old 5+5 Resolution 2510 ; . , tués au moins "
             "12 death toll rose to arrested detained including").split()
    for _ in range(500):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 30)))
        counts = find_counts(text)
        check_spans(text, counts)
        for c in counts:
            assert c.low is None or c.best is None or c.low <= c.best
            assert c.best is None or c.high is None or c.best <= c.high
