"""`sinorus extract`: one small test per word of each rule, so that removing any one fails.

Each case is a short sentence that only the word under test makes read as it is; the
`sinorus.extract.rules` (and `amounts`, `dates`, `sentences`) patterns are the rules.
"""

from datetime import date

import pytest

from sinorus.extract import extract, find_amounts, find_document_date, split_sentences
from sinorus.extract.sentences import ABBREVIATIONS
from tests.test_extract import D, one


def each_once(*alternatives):
    """Cases that try every alternative of each list once (as many cases as the longest list has,
    the shorter lists taken round again), not every combination: each list is an alternation of
    its own in the rule, so a product would try the same pattern again and again."""
    n = max(map(len, alternatives))
    return [tuple(words[i % len(words)] for words in alternatives) for i in range(n)]


# --- amounts: scales, currencies, bare amounts ---------------------------------------------------

SCALES = [
    ("trillion", 1000), ("trn", 1000), ("tln", 1000), ("tn", 1000), ("billion", 1),
    ("bln", 1), ("bn", 1), ("million", 0.001), ("mln", 0.001), ("mn", 0.001),
]  # fmt: skip


@pytest.mark.parametrize("scale, factor, gap", [(s, f, gap) for (s, f), gap in each_once(SCALES, [" ", "", "-"])])  # fmt: skip
def test_each_scale_word(scale, factor, gap):
    (amt,) = find_amounts(f"trade of $5{gap}{scale} in 2019")
    assert amt.value == pytest.approx(5 * factor)


CURRENCIES = [
    ("$5 billion", "USD"),
    ("US$5 billion", "USD"),
    ("U.S.$5 billion", "USD"),
    ("US $5 billion", "USD"),
    (r"\$5 billion", "USD"),
    ("USD5 billion", "USD"),
    ("USD 5 billion", "USD"),
    ("RMB 5 billion", "CNY"),
    ("CNY 5 billion", "CNY"),
    ("¥5 billion", "CNY"),
    ("RUB 5 billion", "RUB"),
    ("₽5 billion", "RUB"),
    ("5 billion U.S. dollars", "USD"),
    ("5 billion US dollars", "USD"),
    ("5 billion dollars", "USD"),
    ("5 billion dollar", "USD"),
    ("5 billion yuan", "CNY"),
    ("5 billion renminbi", "CNY"),
    ("5 billion RMB", "CNY"),
    ("5 billion roubles", "RUB"),
    ("5 billion rouble", "RUB"),
    ("5 billion rubles", "RUB"),
    ("5 billion ruble", "RUB"),
    ("5-billion-yuan", "CNY"),
]


@pytest.mark.parametrize("text, unit", CURRENCIES)
def test_each_currency_word_and_sign(text, unit):
    (amt,) = find_amounts(f"trade of {text} in 2019")
    assert (amt.value, amt.currency) == (5, unit)


@pytest.mark.parametrize(
    "text, value, high",
    [("$5-7 billion", 5, 7), ("$5–7 billion", 5, 7), ("$5 to 7 billion", 5, 7),
     ("$5 to $7 billion", 5, 7), ("$5,190.5-6,000 million", 5.1905, 6), ("$5,190 million", 5.19, None),
     ("$1,234,567 mln", 1234.567, None)],
)  # fmt: skip
def test_each_number_and_range_form(text, value, high):
    (amt,) = find_amounts(f"trade of {text}")
    assert (amt.value, amt.high) == (pytest.approx(value), high)


@pytest.mark.parametrize("year", ["1998", "2023"])
def test_a_year_before_to_is_no_range(year):
    assert [a.value for a in find_amounts(f"trade grew in {year} to $240 billion")] == [240]


@pytest.mark.parametrize(
    "word", ["tons", "ton", "tonnes", "people", "barrels", "cubic", "square", "visitors"]
)
def test_a_bare_amount_of_things_takes_no_currency(word):
    amounts = find_amounts(f"trade of $5 billion and 200 billion {word} of it")
    assert [a.value for a in amounts] == [5]
    assert [a.value for a in find_amounts("trade of $5 billion and 200 billion more")] == [5, 200]


# --- qualifiers ---------------------------------------------------------------------------------

QUALIFIERS = {
    "at_least": ["at least", "not less than", "already reached", "already hit", "topped", "tops",
                 "top", "topping"],
    "over": ["more than", "over", "exceed", "exceeded", "exceeds", "exceeding", "surpass",
             "surpassed", "surpasses", "surpassing", "above", "in excess of", "pass", "passed",
             "passes", "passing", "beyond"],
    "nearly": ["nearly", "almost", "close to", "just under", "just shy of", "nearing"],
    "about": ["about", "around", "approximately", "roughly", "some", "an estimated", "circa"],
}  # fmt: skip


@pytest.mark.parametrize(
    "words, qualifier", [(w, q) for q, words in QUALIFIERS.items() for w in words]
)
def test_each_qualifier_word(words, qualifier):
    c = one(f"China-Russia trade came {words} $90 billion in 2019.")
    assert (c.qualifier, c.reported_as) == (qualifier, f"{words} $90 billion in 2019")


FILLERS = ["a record of", "the record of", "a new record of", "a record high of", "the level of",
           "the mark of", "a total of", "the figure of", "the sum of", "the"]  # fmt: skip
HEDGES = [("at least", "at_least"), ("over", "over"), ("nearly", "nearly"), ("about", "about")]


@pytest.mark.parametrize("filler, words, qualifier", [(f, *h) for f, h in each_once(FILLERS, HEDGES)])  # fmt: skip
def test_each_filler_between_the_qualifier_and_the_amount(filler, words, qualifier):
    c = one(f"China-Russia trade reached {words} {filler} $90 billion in 2019.")
    assert c.qualifier == qualifier


# --- kinds --------------------------------------------------------------------------------------

TARGET_WORDS = ["aim", "aims", "aimed", "aiming", "goal", "goals", "target", "targets", "targeted",
                "plan", "plans", "planned", "pledge", "pledged", "objective"]  # fmt: skip


@pytest.mark.parametrize("word", TARGET_WORDS)
def test_each_goal_word_makes_a_target(word):
    # with no cue a figure of a future year is a forecast
    assert one(f"China-Russia trade {word} $90 billion in 2025.").kind == "target"
    assert one("China-Russia trade of $90 billion in 2025.").kind == "forecast"


FORECAST_WORDS = ["expects", "expect", "expected", "expecting", "will", "would", "could", "may",
                  "might", "should", "likely", "forecast", "forecasts", "predicts", "predict",
                  "predicted", "projected", "looks set", "set to", "on track", "hopes", "hope",
                  "estimates", "estimate", "anticipated", "anticipate"]  # fmt: skip


@pytest.mark.parametrize("word", FORECAST_WORDS)
def test_each_expectation_word_makes_a_forecast(word):
    # with no cue a figure of the current year is an observation
    assert one(f"China-Russia trade {word} $90 billion this year.").kind == "forecast"
    assert one("China-Russia trade of $90 billion this year.").kind == "observation"


def test_may_the_month_is_no_expectation():
    c = one("China-Russia trade in May reached $9 billion this year.")
    assert (c.kind, c.period) == ("partial", "May")


@pytest.mark.parametrize(
    "frame, goal, verb",
    each_once(["Under the", "According to the", "In line with the", "As part of the", "To meet the",
               "To attain the", "Under the new", "Under"],
              ["targets", "target", "goals", "goal", "plans", "plan"], ["should", "will", "would"]),
)  # fmt: skip
def test_a_goal_frame_makes_should_will_would_a_target(frame, goal, verb):
    text = (
        f"{frame} {goal} set by the leaders, China-Russia trade {verb} reach $90 billion in 2025."
    )
    assert one(text).kind == "target"


def test_could_under_a_goal_frame_stays_a_forecast():
    text = (
        "Under the targets set by the leaders, China-Russia trade could reach $90 billion in 2025."
    )
    assert one(text).kind == "forecast"


@pytest.mark.parametrize(
    "words", ["-billion target", " billion target", " billion goal", "bn - target"]
)
def test_a_goal_named_after_the_amount_is_a_target_stated_exactly(words):
    c = one(f"China-Russia trade is close to the $100{words} for 2025.")
    assert (c.kind, c.qualifier) == ("target", "exact")


@pytest.mark.parametrize(
    "by", ["by 2025", "to grow by 2025", "a year by 2025", "to grow fast by 2025"]
)
def test_by_a_future_year_is_a_target(by):
    assert one(f"China-Russia trade of $90 billion {by}.").kind == "target"
    assert one("China-Russia trade of $90 billion to grow fast again by 2025.").kind == "forecast"


# --- periods ------------------------------------------------------------------------------------

MONTH_WORDS = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun",
               "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"]  # fmt: skip

PERIODS = [
    ("In the first half of 2019", "first half"),
    ("In the first quarter of 2019", "first quarter"),
    ("In the first quarters of 2019", "first quarters"),
    ("In the first month of 2019", "first month"),
    ("In the first two months of 2019", "first two months"),
    ("In the first 10 months of 2019", "first 10 months"),
    *((f"In the first {n} months of 2019", f"first {n} months")
      for n in "one two three four five six seven eight nine ten eleven".split()),
    ("In 11 months of 2019", "11 months"),
    *((f"In {n} months of 2019", f"{n} months")
      for n in "one two three four five six seven eight nine ten eleven".split()),
    ("In the second quarter of 2019", "second quarter"),
    ("In the third quarter of 2019", "third quarter"),
    ("In the fourth quarter of 2019", "fourth quarter"),
    ("In H1 2019", "H1"),
    ("In the half-year of 2019", "half-year"),
    ("In the half year of 2019", "half year"),
    ("Between January and March 2019", "Between January and March"),
    ("From January to March 2019", "From January to March"),
    ("From January through March 2019", "From January through March"),
    ("From Jan. to Mar. 2019", "From Jan. to Mar."),
    ("In January-March 2019", "January-March"),
    ("In Jan – Mar 2019", "Jan – Mar"),
    ("During March 2019", "March"),
    ("In March alone of 2019", "March"),
    ("For March alone in 2019", "March"),
    ("So far this year", "So far this year"),
    ("Year to date in 2019", "Year to date"),
    ("This month of 2019", "This month"),
]  # fmt: skip


@pytest.mark.parametrize("words, period", PERIODS)
def test_each_period_makes_a_partial_figure(words, period):
    c = one(f"{words}, China-Russia trade reached $9 billion.")
    assert (c.kind, c.period) == ("partial", period)


MONTH_FORMS = [("In {} 2019", "{}"), ("In {}-Dec 2019", "{}-Dec"), ("In Jan-{} 2019", "Jan-{}"),
               ("For {} alone in 2019", "{}"), ("Between {} and Dec 2019", "Between {} and Dec"),
               ("From Jan to {} 2019", "From Jan to {}")]  # fmt: skip


@pytest.mark.parametrize("month, form, period", [(m, *f) for m, f in each_once(MONTH_WORDS, MONTH_FORMS)])  # fmt: skip
def test_each_month_name_in_a_period_form(month, form, period):
    c = one(form.format(month) + ", China-Russia trade reached $9 billion.")
    assert (c.kind, c.period) == ("partial", period.format(month))


SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize("month", range(1, 13))
def test_each_month_name_in_a_date(month):
    for name in (MONTH_WORDS[month - 1], SHORT_MONTHS[month - 1]):
        assert find_document_date(f"Date: 8 {name} 2007") == date(2007, month, 8)
    assert find_document_date("Date: 8 Sept 2007") == date(2007, 9, 8)


def test_last_month_is_the_month_before_the_document_date():
    c = one("Last month, China-Russia trade reached $9 billion.", date=date(2020, 1, 15))
    assert (c.kind, c.period, c.year) == ("partial", "December", 2020)  # the year: the date's


# --- years --------------------------------------------------------------------------------------

RELATIVE = [
    ("last year", 2019), ("the previous year", 2019), ("the year before", 2019),
    ("a year earlier", 2019), ("this year", 2020), ("the current year", 2020),
    ("the whole year", 2020), ("whole year", 2020), ("the full year", 2020),
    ("full year", 2020), ("for the year", 2020), ("the end of the year", 2020),
    ("the end of this year", 2020), ("year-end", 2020), ("next year", 2021),
    ("the coming year", 2021), ("3 years ago", 2017), ("100 years ago", 1920),
    *((f"{w} years ago", 2020 - n) for w, n in [
        ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
        ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12),
        ("fifteen", 15), ("twenty", 20)]),
]  # fmt: skip


@pytest.mark.parametrize("words, year", RELATIVE)
def test_each_relative_year(words, year):
    c = one(f"China-Russia trade came to $90 billion in {words}.")
    assert (c.year, c.year_resolved) == (year, True)
    assert f'"{words}" in a document dated 2020-06-01' in c.year_note


@pytest.mark.parametrize("words", ["a year earlier", "the previous year", "the year before"])
def test_each_year_before_the_figure_before(words):
    text = f"China-Russia trade reached $100 billion in 2015. In {words}, it was $90 billion."
    assert [c.year for c in extract(text, date=D)] == [2015, 2014]


@pytest.mark.parametrize(
    "comparison", ["than", "compared with", "compared to", "on", "from", "the same period",
                   "the same period of"],
)  # fmt: skip
def test_a_relative_year_after_a_comparison_is_not_the_figures(comparison):
    c = one(f"China-Russia trade was $90 billion, higher {comparison} last year.")
    assert (c.year, c.year_note) == (
        2020,
        "no year in the sentence: the year of the document date (2020-06-01)",
    )


@pytest.mark.parametrize(
    "span, years",
    [("over the past ten years", 10), ("in the last five years", 5), ("during the past 4 years", 4),
     ("over the last decade", 10), ("in the past twenty years", 20),
     *((f"over the past {w} years", n) for w, n in [
        ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7),
        ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12),
        ("fifteen", 15), ("twenty", 20)])],
)  # fmt: skip
def test_each_span_of_years(span, years):
    a, b = extract(f"China-Russia trade grew {span} from $7 billion to $40 billion.", date=D)
    assert (a.year, b.year) == (2020 - years, 2020)


@pytest.mark.parametrize(
    "horizon",
    ["in the next three years", "in the next three or four years", "in the coming years",
     "in coming years", "in the near future", "later", "one day", "ahead of schedule",
     "in the long term", "in the medium term", "in the next few years",
     "in the next two-three years", "in the next 10 years", "in the coming three years"],
)  # fmt: skip
def test_each_horizon_means_no_year(horizon):
    (c,) = extract(
        f"China-Russia trade will reach $200 billion {horizon}.", date=D, include_excluded=True
    )
    assert (c.year, c.indicator) == (None, "horizon")
    assert one("China-Russia trade will reach $200 billion.").year == 2020


@pytest.mark.parametrize("preposition", ["in", "for", "by", "before", "of", "during", "to"])
@pytest.mark.parametrize("year", [1998, 2015])
def test_each_preposition_that_gives_a_year_after_the_amount(preposition, year):
    assert one(f"China-Russia trade reached $90 billion {preposition} {year}.").year == year
    assert one("China-Russia trade reached $90 billion with 2015 ahead.").year == 2020


@pytest.mark.parametrize("preposition", ["In", "Of", "For", "During"])
def test_a_year_named_earlier_in_the_paragraph_or_before_it(preposition):
    c = one(f"{preposition} 2015 the two sides met. China-Russia trade reached $90 billion.")
    assert (c.year, c.year_note) == (
        2015,
        'no year in the sentence: "2015" earlier in the paragraph',
    )
    c = one(f"{preposition} 2015 the two sides met.\n\nChina-Russia trade reached $90 billion.")
    assert (c.year, c.year_note) == (
        2015,
        'no year in the sentence: "2015" in an earlier paragraph',
    )
    c = one("With 2015 the two sides met. China-Russia trade reached $90 billion.")
    assert c.year == 2020


@pytest.mark.parametrize("word", ["from", "than", "compared", "since", "against"])
def test_a_year_far_after_the_amount_past_a_comparison_is_not_its(word):
    text = f"China-Russia trade reached $90 billion, a fine level {word} the one set for 2015."
    assert one(text).year == 2020


# --- the document date --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Date: 8 August 2007", "Date of Publication: 8 August 2007", "Published: 8 August 2007",
     "Publication date: 8 August 2007", "**Date:** 8 August 2007", "Date: 2007-08-08",
     "Date: August 8, 2007", "Date: Aug. 8 2007"],
)  # fmt: skip
def test_each_date_line_and_form(text):
    assert find_document_date(f"Title 1 May 2001\n{text}\n\nBody.") == date(2007, 8, 8)


def test_a_month_and_year_is_the_first_of_the_month():
    assert find_document_date("Filed in August 2007 by a correspondent.") == date(2007, 8, 1)


# --- sentences ----------------------------------------------------------------------------------


@pytest.mark.parametrize("abbreviation", sorted(ABBREVIATIONS))
def test_each_abbreviation_does_not_end_a_sentence(abbreviation):
    word = ".".join(part.capitalize() for part in abbreviation.split("."))
    text = f"We saw {word}. Smith there. Next one."
    assert len(split_sentences(text)) == 2
    assert len(split_sentences("We saw Smithx. Smith there. Next one.")) == 3


# --- what is not trade --------------------------------------------------------------------------

EXCLUDED = {
    "arms": ["arms", "armament", "armaments", "weapon", "weapons", "weaponry", "military"],
    "investment": ["invest", "investment", "investors", "fund"],
    "deals": ["deal", "deals", "contract", "contracts", "agreement", "agreements", "signed"],
    "budget": ["budget", "tax", "taxes", "revenue", "revenues", "receipts"],
    "balance": ["surplus", "deficit"],
    "gdp": ["GDP", "gross domestic product", "economy"],
    "spending": ["spent", "spending"],
    "world_trade": ["foreign trade", "global trade", "total trade", "overall trade",
                    "trade with the world"],
}  # fmt: skip


@pytest.mark.parametrize(
    "word, indicator", [(w, name) for name, words in EXCLUDED.items() for w in words]
)
def test_each_exclusion_word(word, indicator):
    for text in (
        f"China-Russia trade news: the {word} came to $90 billion in 2019.",  # before the amount
        f"China-Russia trade news: $90 billion in 2019 of {word} this time.",  # after it
    ):
        assert extract(text, date=D) == []
        (c,) = extract(text, date=D, include_excluded=True)
        assert c.indicator == indicator, text


@pytest.mark.parametrize(
    "words", ["foreign trade with China", "foreign trade turnover with Russia",
              "foreign trade volume with China"],
)  # fmt: skip
def test_foreign_trade_with_the_partner_is_the_pairs_trade(words):
    assert one(f"Russia's {words} came to $90 billion in 2019.").indicator == "trade"


@pytest.mark.parametrize(
    "words",
    ["by", "up", "down", "an increase of", "a rise of", "a growth of",
     *(f"by {h}" for h in ["some", "about", "around", "almost", "nearly", "more than", "over",
                          "roughly"])],
)  # fmt: skip
def test_each_change_word(words):
    (c,) = extract(
        f"China-Russia trade in 2019 went {words} $9 billion.", date=D, include_excluded=True
    )
    assert c.indicator == "change"


OTHERS = ["the United States", "United States", "U.S.", "the U.S.", "U.S.A", "USA", "US", "America", "EU",
          "European Union", "Japan", "India", "Germany", "ASEAN", "Kazakhstan", "Ukraine",
          "Saudi Arabia", "Brazil", "Korea", "South Korea", "Australia", "Vietnam", "Turkey",
          "Iran", "Mongolia", "Belarus", "Britain", "UK", "France", "Italy", "Canada", "Mexico",
          "Africa", "Latin America", "the Middle East"]  # fmt: skip


OTHER_FORMS = ["Trade between China and {}", "Trade between Russia and {}",
               "Trade between Beijing and {}", "Trade between Moscow and {}", "Russia's trade with {}",
               "Russia's exports to {}", "Russia's export to {}", "Russia's imports from {}",
               "Russia's import from {}"]  # fmt: skip


@pytest.mark.parametrize("other, form", each_once(OTHERS, OTHER_FORMS))
def test_each_other_country_pair(form, other):
    text = form.format(other) + " reached $90 billion in 2019."
    (c,) = extract(text, date=D, include_excluded=True)
    assert c.indicator == "other_pair"


@pytest.mark.parametrize(
    "pair",
    ["China-US", "China–US", "China-U.S.", "Sino-American", "Chinese-EU", "China-Japan",
     "China-India", "China-ASEAN", "China-Africa", "China-Brazil", "US-China", "U.S.-China",
     "EU-China", "US–China"],
)  # fmt: skip
def test_each_hyphenated_other_pair(pair):
    (c,) = extract(f"{pair} trade reached $90 billion in 2019.", date=D, include_excluded=True)
    assert c.indicator == "other_pair"


@pytest.mark.parametrize(
    "partner",
    ["Russia", "Russian", "Moscow", "Kremlin", "bilateral", "two countries", "both countries",
     "two sides", "two neighbours", "two neighbors", "Sino-Russian"],
)  # fmt: skip
def test_each_partner_word_ends_a_run_of_world_trade(partner):
    text = (
        f"China's foreign trade totaled $3 trillion in 2019. The {partner} figure was $90 billion."
    )
    world, pair = extract(text, date=D, include_excluded=True)
    assert (world.indicator, pair.indicator) == ("world_trade", "trade")
    text = "China's foreign trade totaled $3 trillion in 2019. The other figure was $90 billion."
    assert [c.indicator for c in extract(text, date=D, include_excluded=True)] == [
        "world_trade"
    ] * 2


@pytest.mark.parametrize("part", ["including", "of which"])
def test_a_part_of_a_figure_that_is_not_trade_is_not_trade(part):
    text = f"Russia and China made investments of $10 billion in 2019, {part} $2 billion for trade."
    assert [c.indicator for c in extract(text, date=D, include_excluded=True)] == ["investment"] * 2


@pytest.mark.parametrize(
    "word",
    ["trade", "turnover", "export", "exports", "import", "imports", "exported", "imported",
     "bought", "sold", "commerce", "goods"],
)  # fmt: skip
def test_each_trade_word_makes_a_sentence_about_trade(word):
    assert one(f"China and Russia: {word} of $90 billion in 2019.").indicator == "trade"
    (c,) = extract("China and Russia: a sum of $90 billion in 2019.", date=D, include_excluded=True)
    assert c.indicator == "not_trade"


@pytest.mark.parametrize("comparison", ["compared with", "compared to", "than", "against", "from"])
@pytest.mark.parametrize("base, year", [("2009 (", 2009), ("1999 (", 1999), ("2009 ", 2009),
                                        ("2009 only ", 2009), ("2009 ( ", 2009)])  # fmt: skip
def test_a_comparison_base_passes_no_year_on(comparison, base, year):
    text = (
        f"In 2010 China-Russia trade rose to $29 billion, {comparison} {base}$17 billion), "
        "while imports increased to $25 billion."
    )
    assert [c.year for c in extract(text, date=D)] == [2010, year, 2010]


# --- flows --------------------------------------------------------------------------------------

FLOWS = {
    "china_exports": ["exports to Russia", "export to Russia", "exports to the Russian Federation",
                      "exports from China to Russia", "Chinese exports", "China's exports",
                      "exports from China", "China exported", "goods exported",
                      "Russia's imports from China", "imports from China", "imports of Chinese",
                      "shipments to Russia"],
    "china_imports": ["China's imports", "Chinese imports", "imports from Russia",
                      "imports of Russian", "imports into China", "Russia's exports",
                      "Russian exports", "exports from Russia", "Russian goods",
                      "Russian products", "China bought", "China purchased", "China imported",
                      "bought from Russia"],
    "border": ["border trade", "cross-border trade", "border province", "border region",
               "border city", "border cities", "border port", "border ports", "border crossing",
               "border crossings"],
}  # fmt: skip


@pytest.mark.parametrize("cue, flow", [(c, f) for f, cues in FLOWS.items() for c in cues])
def test_each_flow_cue(cue, flow):
    assert one(f"In 2019 Sino-Russian trade: {cue} came to $9 billion.").flow == flow
    assert one("In 2019 Sino-Russian trade: a sum that came to $9 billion.").flow == "total"


def test_the_flow_cue_nearest_the_amount_wins():
    c = one(
        "In 2019 China's imports from Russia rose, and its exports to Russia came to $9 billion."
    )
    assert c.flow == "china_exports"
