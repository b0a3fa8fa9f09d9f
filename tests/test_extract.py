"""`sinorus extract`: each rule, the two source texts, the labelled corpus, and the command."""

import csv
import gc
import io
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from sinorus.extract import (
    COLUMNS,
    DEFAULT_CORPUS,
    KINDS,
    evaluate,
    extract,
    extract_file,
    find_amounts,
    find_document_date,
    split_sentences,
)
from sinorus.extract.amounts import MAX_NUMBER_CHARS
from sinorus.extract.sentences import OVERLAP, WINDOW, Sentence, split_window
from sinorus.load import DEFAULT_DATA_DIR, normalise_text, validate

VOA = DEFAULT_DATA_DIR / "sources" / "voa-2007-08-growing-ties-china-russia.txt"
EAI = DEFAULT_DATA_DIR / "sources" / "eai-bb346-2007-08-china-russia-relations.txt"
D = date(2020, 6, 1)


def one(text, **kw):
    found = extract(text, date=kw.pop("date", D), **kw)
    assert len(found) == 1, found
    return found[0]


# --- amounts, scales and currencies -------------------------------------------------------------


@pytest.mark.parametrize("text, value, unit", [
    ("$940 million", 0.94, "USD"),
    ("US$6 billion", 6, "USD"),
    (r"US\$33.4 billion", 33.4, "USD"),
    ("13.3 billion U.S. dollars", 13.3, "USD"),
    ("$244.81bn", 244.81, "USD"),
    ("$5,190 million", 5.19, "USD"),
    ("1.74 trillion yuan", 1740, "CNY"),
    ("RUB 127 billion", 127, "RUB"),
    ("300 billion roubles", 300, "RUB"),
    ("$400-billion deal", 400, "USD"),
])  # fmt: skip
def test_amounts_are_billions_with_their_currency(text, value, unit):
    (amt,) = find_amounts(text)
    assert amt.value == pytest.approx(value)
    assert amt.currency == unit


def test_range_and_bare_amount_and_no_scale():
    rng, bare = find_amounts("between $98-115 billion, or to 200 billion by 2020; $50 per barrel")
    assert (rng.value, rng.high) == (98, 115)
    assert bare.currency == "USD"  # carried from the amount before it
    assert find_amounts("5,000 Russians and 20 percent") == []
    assert [a.value for a in find_amounts("in 2023 to $240.11bn")] == [240.11]


def test_bracketed_equivalent_is_noted_not_extracted():
    c = one("China's trade with Russia reached 122 billion yuan ($17.32 billion) in 2018.")
    assert (c.value, c.unit, c.year) == (122, "CNY bn", 2018)
    assert c.equivalent == "17.32 USD bn"


# --- qualifiers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("words, qualifier", [
    ("topped", "at_least"),
    ("has already reached", "at_least"),
    ("exceeded", "over"),
    ("totaled more than", "over"),
    ("totaled over", "over"),
    ("reached nearly", "nearly"),
    ("was about", "about"),
    ("came to some", "about"),
    ("reached", "exact"),
    ("grew by around 40 percent to", "exact"),  # "around" is about the percentage
])  # fmt: skip
def test_qualifiers(words, qualifier):
    c = one(f"China-Russia trade {words} $90 billion in 2019.")
    assert c.qualifier == qualifier
    assert c.reported_as.endswith("$90 billion in 2019")


# --- kinds, periods and years -------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, kind, period",
    [
        ("Trade reached $80 billion in 2011.", "observation", ""),
        ("In the first four months of 2011, trade reached $20 billion.", "partial", "first four months"),
        ("Trade in the first half of 2011 rose to $40 billion.", "partial", "first half"),
        ("In September 2011 trade was $7 billion.", "partial", "September"),
        ("They aim to bring trade to $200 billion by 2024.", "target", ""),
        ("They set a trade goal of $100 billion by 2015.", "target", ""),
        ("Trade is expected to reach $100 billion in 2018.", "forecast", ""),
        ("Trade will exceed $80 billion this year.", "forecast", ""),
        ("Trade is likely to reach $90 billion in 2012.", "forecast", ""),
    ],
)  # fmt: skip
def test_kinds(sentence, kind, period):
    c = one(sentence, date=date(2011, 10, 1))
    assert (c.kind, c.period) == (kind, period)


def test_bare_by_future_year_is_a_target_and_past_level_stays_an_observation():
    a, b = extract(
        "They agreed on trade of $200 billion by 2024 from $100 billion in 2018.", date=D
    )
    assert (a.kind, a.year) == ("target", 2024)
    assert (b.kind, b.year) == ("observation", 2018)


def test_relative_years_with_date_and_from_the_document():
    c = one("China-Russia trade exceeded US$190 billion last year.", date=date(2023, 3, 20))
    assert (c.year, c.year_resolved) == (2022, True)
    doc = "Date: 2018-10-12\n\nLast month, trade turnover was more than $9 billion.\n"
    c = one(doc, date=None)
    assert (c.year, c.kind, c.period, c.qualifier) == (2018, "partial", "September", "over")
    assert find_document_date("Date of Publication: 8 August 2007\n\nOn 8 June 2007") == date(
        2007, 8, 8
    )
    c = one("Trade reached $10 billion last year.", date=None)
    assert c.year is None and "--date" in c.year_note


def test_span_over_the_past_ten_years():
    a, b = extract(
        "Trade has grown over the past ten years from about $7 billion to nearly $40 billion.",
        date=date(2007, 8, 15),
    )
    assert (a.year, a.qualifier, a.year_resolved) == (1997, "about", True)
    assert (b.year, b.qualifier, b.year_resolved) == (2007, "nearly", True)


@pytest.mark.parametrize("sentence, flow", [
    ("In 2017, Chinese exports to Russia grew to $42.88 billion.", "china_exports"),
    ("In 2017, imports of Russian goods rose to $40 billion.", "china_imports"),
    (
        "In 2024, China's imports from Russia were $129.32bn, while exports to Russia were $115.49bn.",
        None,
    ),
    ("Border trade reached $5 billion in 2010.", "border"),
    ("Trade reached $5 billion in 2010.", "total"),
])  # fmt: skip
def test_flows(sentence, flow):
    found = extract(sentence, date=D)
    if flow is None:
        assert [c.flow for c in found] == ["china_imports", "china_exports"]
    else:
        assert [c.flow for c in found] == [flow]


@pytest.mark.parametrize("sentence, indicator", [
    ("They set up an investment fund worth 68 billion yuan to develop trade.", "investment"),
    ("Firms signed $17.82 billion worth of trade contracts at the fair in 2011.", "deals"),
    ("Trade between China and the United States reached $688.3 billion in 2024.", "other_pair"),
    ("Russia posted a trade surplus of 42.5 billion dollars in 2012.", "balance"),
    ("Trade rose by 27% in 2023, or by $35 billion.", "change"),
    ("Russia's GDP reached $2.2 trillion in 2022, trade officials said.", "gdp"),
    ("China's foreign trade totaled $3.07 trillion in 2022.", "world_trade"),
    ("China spent about US$250 billion on Russian armaments purchase.", "arms"),
])  # fmt: skip
def test_distractors_are_excluded_by_default(sentence, indicator):
    assert extract(sentence, date=D) == []
    (c,) = extract(sentence, date=D, include_excluded=True)
    assert c.indicator == indicator


# --- rules added after the second held-out set (each a general weakness it showed) ------------


def test_amounts_inside_words_and_addresses_are_not_amounts():
    text = "Source: https://example.org/russia-and-china-project-trade-to-hit-usd110bn-this-year"
    assert find_amounts(text) == []
    assert [a.value for a in find_amounts("trade of USD110bn in 2019")] == [110]


def test_between_x_and_y_is_one_range_and_hyphenated_currency_is_read():
    c = one(
        "In 2006 they planned to raise trade to between US$60 billion and US$80 billion by 2010."
    )
    assert (c.value, c.value_high, c.kind, c.year) == (60, 80, "target", 2010)
    (amt,) = find_amounts("trade passed the 1-trillion-yuan mark")
    assert (amt.value, amt.currency) == (1000, "CNY")


@pytest.mark.parametrize("text", [
    "The presidents aimed to boost trade volume to US$20 billion in the next three or four years.",
    "In 2007 trade should reach $60 billion by 2010, and could possibly grow to $80 billion later.",
    'Trade will reach $200 billion "ahead of schedule," Putin said on Friday.',
])  # fmt: skip
def test_a_horizon_is_not_a_year(text):
    horizon = [c for c in extract(text, date=D, include_excluded=True) if c.indicator == "horizon"]
    assert len(horizon) == 1 and horizon[0].year is None and "horizon" in horizon[0].year_note
    assert all(c.year is not None for c in extract(text, date=D))


def test_a_year_further_on_in_the_clause_and_a_year_in_the_own_clause():
    text = (
        "With trade expected to grow by the end of 2022, Putin said: \"We'll reach the "
        "$200 billion target we've set for ourselves for 2024 ahead of schedule.\""
    )
    (c,) = extract(text, date=date(2022, 12, 30))
    assert (c.year, c.kind) == (2024, "target")
    a, b = extract(
        "In 2017 trade rose 20.8 percent to $84.07 billion, and in 2018 it soared to top $107 billion.",
        date=date(2019, 12, 1),
    )
    assert (a.year, b.year, b.qualifier) == (2017, 2018, "at_least")


def test_a_year_earlier_is_before_the_figure_not_the_document():
    text = (
        "Chinese-Russian trade decreased to $107.76 billion in 2020, customs said. "
        "A year earlier, trade had increased to a record $110.75 billion."
    )
    a, b = extract(text, date=date(2021, 1, 14))
    assert (a.year, b.year, b.kind) == (2020, 2019, "observation")


def test_an_expectation_about_a_past_year_is_that_years_level():
    c = one(
        "If things go on like this, we will reach at least last year's figures, which is "
        "approximately $110 billion, the trade official said.",
        date=date(2020, 11, 5),
    )
    assert (c.year, c.kind, c.qualifier) == (2019, "observation", "about")


def test_under_the_targets_should_is_a_goal():
    c = one(
        "Under targets set by the two leaders, trade should reach $60 billion by 2010.",
        date=date(2007, 12, 1),
    )
    assert c.kind == "target"
    c = one("Trade should exceed $140 billion this year.", date=date(2021, 12, 1))
    assert c.kind == "forecast"


def test_comparison_base_is_not_inherited_and_lead_paragraph_gives_the_year():
    text = (
        "Date: 2011-03-10\n\nChina overtook Germany as Russia's largest partner in 2010.\n\n"
        "Russia's foreign trade turnover with China rose to US$55.44 billion.\n\n"
        "Chinese exports to Russia rose to US$29.61 billion, compared with 2009 (US$17.496 billion),"
        " while Russian exports to China increased to US$25.84 billion.\n"
    )
    got = [(c.value, c.year, c.flow) for c in extract(text, date=None)]
    assert got == [
        (55.44, 2010, "total"),
        (29.61, 2010, "china_exports"),
        (17.496, 2009, "china_exports"),
        (25.84, 2010, "china_imports"),
    ]


def test_figures_after_world_trade_or_another_pair_continue_it():
    text = (
        "Heilongjiang's foreign trade volume stood at $14.8 billion in the first five months. "
        "Exports fell 30.8 percent to $4.46 billion, while imports rose 39 percent to $10.36 billion. "
        "Trade between Russia and China reached $30 billion in the period."
    )
    found = extract(text, date=D, include_excluded=True)
    assert [c.indicator for c in found] == ["world_trade"] * 3 + ["trade"]
    text = (
        "The country's foreign trade totaled $3.07 trillion (+10.3%), including $1.73 trillion"
        " of exports (+14.2%) and $1.34 trillion of imports (+5.7%)."
    )
    assert extract(text, date=D) == []
    text = "China-ASEAN trade rose by 7.6% to $227.79 billion in the first quarter of 2023."
    assert [c.indicator for c in extract(text, date=D, include_excluded=True)] == ["other_pair"]


def test_year_named_earlier_in_the_paragraph_is_read_whatever_its_case():
    text = "In 2005 trade developed notably. Bilateral trade volume reached US$29.1 billion."
    assert one(text, date=None).year == 2005


def test_percentages_and_head_counts_are_not_figures():
    text = "Trade accounts for about 2 percent of total trade; 23,000 traders came in 2019."
    assert extract(text, date=D, include_excluded=True) == []


def test_sentence_splitter_keeps_abbreviations_and_offsets():
    text = "Trade hit 100 billion U.S. dollars on Oct. 7, 2011. Next one."
    sents = split_sentences(text)
    assert [text[s.start : s.end] for s in sents] == [
        "Trade hit 100 billion U.S. dollars on Oct. 7, 2011.",
        "Next one.",
    ]


# --- the two source texts -----------------------------------------------------------------------

CURATED = {  # the trade_total rows of data/observations.csv
    (1992, 6.0, "exact", False),
    (1997, 7.0, "about", True),
    (2006, 33.4, "exact", False),
    (2007, 40.0, "nearly", True),
    (2007, 40.0, "at_least", True),
}


def test_source_texts_reproduce_the_curated_trade_figures():
    found = extract_file(VOA, date=date(2007, 8, 15)) + extract_file(EAI)
    got = {(c.year, c.value, c.qualifier, c.year_resolved) for c in found}
    assert got == CURATED
    assert all(c.unit == "USD bn" and c.kind == "observation" and c.flow == "total" for c in found)
    for c in found:  # offsets point into the original file, escapes and all
        raw = (VOA if c.source == VOA.name else EAI).read_text(encoding="utf-8")
        assert raw[c.offset : c.end].replace("\\", "").endswith("billion")


def test_eai_date_is_found_and_arms_and_share_are_not_trade():
    text = EAI.read_text(encoding="utf-8")
    assert find_document_date(text) == date(2007, 8, 8)
    everything = extract(text, include_excluded=True)
    assert [(c.value, c.indicator) for c in everything if c.indicator != "trade"] == [(250, "arms")]
    assert not any(c.unit == "percent" or c.value == 2 for c in everything)


# --- the labelled corpus ------------------------------------------------------------------------


SPLITS = ("dev", "heldout", "heldout2")
# What each split scored the first time the extractor ran on it (docs/extract.md), before any
# rule was fixed for it. Only heldout2 was run blind after the rules had been fixed on the others.
FIRST_RUN = {"dev": (0.91, 0.91), "heldout": (0.71, 0.81), "heldout2": (0.71, 0.79)}


def test_corpus_is_indexed_and_labelled():
    with open(DEFAULT_CORPUS / "index.csv", encoding="utf-8") as fh:
        index = list(csv.DictReader(fh))
    assert len(index) >= 10 and len({r["publisher"] for r in index}) >= 6
    assert all((DEFAULT_CORPUS / r["file"]).is_file() and r["date"] and r["url"] for r in index)
    assert {r["split"] for r in index} == set(SPLITS)
    with open(DEFAULT_CORPUS / "labels.csv", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    assert len(labels) >= 150
    assert {r["file"] for r in labels} <= {r["file"] for r in index}
    assert {r["kind"] for r in labels} == set(KINDS)


@pytest.mark.parametrize("split", SPLITS)
def test_precision_and_recall_per_split(split, capsys):
    # One test a split (together they are the whole set). It guards the level reached after
    # the fixes; it does not prove generalisation (docs/extract.md has the blind numbers).
    result = evaluate(split=split)
    r = result["all"]
    assert r["tp"] + r["fn"] >= 20, r  # every split has enough labels to be worth reporting
    with capsys.disabled():
        first = FIRST_RUN[split]
        print(
            f"\n{split}: precision {r['precision']:.2f}, recall {r['recall']:.2f} "
            f"(first run {first[0]:.2f} / {first[1]:.2f})"
        )
    assert r["precision"] >= 0.9 and r["recall"] >= 0.9, (split, r)
    for kind in KINDS:
        k = result[kind]
        if k["tp"] + k["fn"] >= 9:  # enough labels to judge a kind on its own
            assert k["precision"] >= 0.9 and k["recall"] >= 0.9, (split, kind, k)
    assert result["flow_accuracy"] >= 0.9, (split, result["flow_accuracy"])


# --- linear time on hostile input --------------------------------------------------------------
# Each test times two sizes of the same input in the same run and asserts the ratio, never an
# absolute time: 4x the text should take about 4x as long; before the windows and the bounded
# look-ups, 64 KB of these took 11x to 18x as long as 16 KB (and 200,000 digits four minutes).


def _seconds(read, text: str) -> float:
    """The best of several runs of `read(text)` (at least 3, and at least 0.2 s in all), with
    the garbage collector off while timing, as `timeit` does."""
    best, spent, runs = float("inf"), 0.0, 0
    while runs < 3 or spent < 0.2:
        gc.collect()
        gc.disable()
        try:
            t0 = time.perf_counter()
            read(text)
            took = time.perf_counter() - t0
        finally:
            gc.enable()
        best, spent, runs = min(best, took), spent + took, runs + 1
    return best


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


CLAUSE = (
    "China-Russia trade reached about $12.5 billion in 2019 and 3,400 million yuan last year, "
    "while exports to Russia rose to US$7 bn and "
)
HOSTILE = {
    "run-on sentence with many numbers": lambda size: _repeat(CLAUSE, size),
    "run-on sentence of abbreviations": lambda size: _repeat(
        "Trade was 5 billion U.S. Dollars and ", size
    ),
    "long digit run": lambda size: "Trade with Russia rose to " + "7" * size + " and fell. Next.",
    "one paragraph of yearless figures": lambda size: _repeat(
        "The fund invested $5 billion. ", size
    ),
}


@pytest.mark.full
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_takes_linear_time(name):
    make = HOSTILE[name]
    small, large = make(16_000), make(64_000)
    read = lambda text: extract(text, date=D)  # noqa: E731
    ratio = _seconds(read, large) / _seconds(read, small)
    assert ratio < 8, f"{name}: 64 KB took {ratio:.1f}x as long as 16 KB (linear: about 4x)"


def _normal_text(size: int) -> str:
    sentence = "Trade between China and Russia reached ${} billion in {}, officials said. "
    parts = [
        sentence.format(k % 200, 2000 + k % 20) + ("\n\n" if k % 5 == 4 else "")
        for k in range(size // 60)
    ]
    return "".join(parts)[:size]


def test_a_200000_digit_number_is_skipped_quickly_and_noted():
    digits = (
        "Trade with Russia reached $" + "7" * 200_000 + " billion in 2019, and then fell. Next."
    )
    normal = _normal_text(len(digits))
    notes = []
    assert extract(digits, date=D, notes=notes) == []
    skipped = [n for n in notes if "skipped" in n.text]
    assert [(n.offset, n.text) for n in skipped] == [
        (27, f"a number of 200,000 characters skipped: no amount is longer than {MAX_NUMBER_CHARS}")
    ]
    read = lambda text: extract(text, date=D)  # noqa: E731
    ratio = _seconds(read, digits) / _seconds(read, normal)
    assert ratio < 2, f"200,000 digits took {ratio:.1f}x as long as a normal text of that size"


def test_numbers_longer_than_any_amount_are_skipped():
    longest = "1" + ",000" * ((MAX_NUMBER_CHARS - 1) // 4)
    assert len(longest) <= MAX_NUMBER_CHARS
    assert [a.text for a in find_amounts(f"trade of ${longest} billion")] == [f"${longest} billion"]
    assert find_amounts(f"trade of ${longest},000 billion") == []
    assert find_amounts("trade of $" + "9" * (MAX_NUMBER_CHARS + 1) + " billion") == []


def test_a_run_on_sentence_is_read_in_windows_without_losing_or_repeating_figures():
    clauses = [
        f"China-Russia trade reached ${k} billion in {1990 + k % 30} and " for k in range(1, 400)
    ]
    text = "".join(clauses) + "that was that."
    notes = []
    found = extract(text, date=D, notes=notes)
    assert [(c.value, c.year) for c in found] == [(k, 1990 + k % 30) for k in range(1, 400)]
    assert all(len(c.quote) <= WINDOW and c.quote in normalise_text(text) for c in found)
    assert [n.text for n in notes] == [
        f"a sentence of {len(text):,} characters read in windows of {WINDOW:,}"
    ]


def test_windows_are_bounded_overlap_and_share_out_the_sentence():
    text = " ".join(f"w{k:04d}" for k in range(2000))  # 12,000 characters, one sentence
    parts = split_window(text, Sentence(0, len(text), 0))
    assert all(w.end - w.start <= WINDOW for w in parts)
    assert parts[0].start == 0 and parts[-1].end == len(text)
    for a, b in zip(parts, parts[1:], strict=False):
        assert b.start < a.end and a.end - b.start >= OVERLAP - 80  # cut at spaces
        assert a.own_end == b.own_start
        assert a.own_end - b.start >= OVERLAP / 2 - 40 and a.end - a.own_end >= OVERLAP / 2 - 40
    assert parts[0].own_start == 0 and parts[-1].own_end == len(text)


# --- the command --------------------------------------------------------------------------------


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "sinorus", "extract", *args], capture_output=True, text=True
    )


def test_cli_stdout_csv():
    result = run(str(VOA), "--date", "2007-08-15")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["year"], r["value"], r["qualifier"]) for r in rows} == {
        ("2007", "40", "at_least"),
        ("1997", "7", "about"),
        ("2007", "40", "nearly"),
    }
    assert {
        "year",
        "value",
        "value_high",
        "unit",
        "kind",
        "qualifier",
        "flow",
        "period",
        "quote",
        "source",
        "offset",
    } <= set(rows[0])


def test_cli_output_file(tmp_path):
    out = tmp_path / "figures.csv"
    result = run(str(EAI), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["year"], r["value"]) for r in rows] == [("1992", "6"), ("2006", "33.4")]


def test_cli_package_rows_validate_in_a_copy_of_the_package(tmp_path):
    out = tmp_path / "candidates.csv"
    result = run(str(VOA), str(EAI), "--date", "2007-08-15", "--format", "package", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "armaments" not in out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 5 and {r["review"] for r in rows} == {"pending"}
    assert {r["source_id"] for r in rows} == {"voa-2007-08", "eai-bb346"}
    # What a curator does after review: drop the review column and keep the rows.
    pkg = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, pkg)
    with open(pkg / "observations.csv", "w", newline="", encoding="utf-8") as fh:
        fields = [f for f in rows[0] if f != "review"]
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r[k] for k in fields} for r in rows)
    assert validate(pkg) == []


def test_cli_package_maps_over_to_at_least_and_flags_other_currencies(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "Date: 2019-06-20\n\nIn 2018, trade with Russia reached 122 billion yuan ($17.32 billion)."
        " In 2016 trade totaled over $66 billion.\n",
        encoding="utf-8",
    )
    result = run(str(doc), "--format", "package")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    yuan, over = rows
    assert yuan["unit"] == "CNY bn" and "convert to USD bn" in yuan["year_note"]
    assert over["qualifier"] == "at_least" and "over" in over["year_note"]
    assert over["reported_as"] == "over $66 billion"


# --- the command's errors: one line naming the path and what to do, exit 1, no traceback ---------


def cli(*args, capsys):
    from sinorus.cli import main

    code = main(["extract", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str, path, hint: str):
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: "), err
    assert hint in err and "Traceback" not in err, err


@pytest.mark.parametrize(
    "make, hint",
    [
        (lambda tmp: tmp / "missing.txt", "no such file; check the path"),
        (lambda tmp: tmp, "is a directory; give the text files in it"),
        (lambda tmp: (tmp / "latin1.txt", (tmp / "latin1.txt").write_bytes(b"Trade \xe9t\xe9"))[0],
         "not UTF-8 text (byte 0xe9 at offset 6); save or convert it as UTF-8"),
    ],
    ids=["missing", "directory", "not-utf8"],
)  # fmt: skip
def test_cli_input_errors(tmp_path, capsys, make, hint):
    path = make(tmp_path)
    code, out, err = cli(str(VOA), str(path), capsys=capsys)
    assert (code, out) == (1, "")
    assert_one_line_error(err, path, hint)


def test_cli_unreadable_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("Trade reached $5 billion in 2019.", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make the read fail as it would
        real = Path.read_bytes

        def refuse(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    code, out, err = cli(str(path), capsys=capsys)
    assert (code, out) == (1, "")
    assert_one_line_error(err, path, "permission denied; make the file readable")


@pytest.mark.parametrize("target, hint", [
    ("/nonexistent/x.csv", "cannot write, no such directory /nonexistent; create it"),
    ("/dev/full", "cannot write, no space left on the device; free some space"),
    ("{tmp}", "cannot write, it is a directory; give a file name"),
], ids=["no-directory", "dev-full", "a-directory"])  # fmt: skip
def test_cli_output_errors(tmp_path, capsys, target, hint):
    target = target.format(tmp=tmp_path)
    if target == "/dev/full" and not Path(target).exists():
        pytest.skip("no /dev/full here")
    code, out, err = cli(str(VOA), "-o", target, capsys=capsys)
    assert (code, out) == (1, "")
    assert_one_line_error(err, target, hint)


def test_cli_standard_output_full_and_usage_errors():
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "sinorus", "extract", str(VOA)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert result.returncode == 1
    assert result.stderr == (
        "error: standard output: cannot write, no space left on the device; "
        "free some space or write elsewhere\n"
    )
    result = run(str(VOA), "--date", "2020-13-01")  # argparse: usage error, exit 2
    assert result.returncode == 2 and "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_notes_long_sentences_and_numbers(tmp_path, capsys):
    doc = tmp_path / "hostile.txt"
    doc.write_text("Trade reached $" + "7" * 5000 + " billion in 2019.\n", encoding="utf-8")
    code, out, err = cli(str(doc), capsys=capsys)
    assert code == 0 and out == ",".join(COLUMNS) + "\n"
    assert err.splitlines() == [
        "note: hostile.txt:0: a sentence of 5,032 characters read in windows of 1,000",
        "note: hostile.txt:15: a number of 5,000 characters skipped: no amount is longer than 24",
    ]


def test_the_corpus_index_names_only_files_inside_the_corpus(tmp_path):
    from sinorus.checks import DataError
    from sinorus.extract.score import DEFAULT_CORPUS

    corpus = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, corpus)
    (tmp_path / "outside.txt").write_text("Trade reached $99 billion in 2020.", encoding="utf-8")
    index = corpus / "index.csv"
    lines = index.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = ["../outside.txt" if h == "file" else "dev" if h == "split" else "" for h in header]
    index.write_text("\n".join([*lines, ",".join(row)]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="goes up out of the package"):
        evaluate(corpus)
