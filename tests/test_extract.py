"""`sinorus extract`: each rule, the two source texts, the labelled corpus, and the command."""

import csv
import io
import shutil
import subprocess
import sys
from datetime import date

import pytest

from sinorus.extract import (
    DEFAULT_CORPUS,
    KINDS,
    evaluate,
    extract,
    extract_file,
    find_amounts,
    find_document_date,
    split_sentences,
)
from sinorus.load import DEFAULT_DATA_DIR, validate

VOA = DEFAULT_DATA_DIR / "sources" / "voa-2007-08-growing-ties-china-russia.txt"
EAI = DEFAULT_DATA_DIR / "sources" / "eai-bb346-2007-08-china-russia-relations.txt"
D = date(2020, 6, 1)


def one(text, **kw):
    found = extract(text, date=kw.pop("date", D), **kw)
    assert len(found) == 1, found
    return found[0]


# --- amounts, scales and currencies -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value, unit",
    [
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
    ],
)
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


@pytest.mark.parametrize(
    "words, qualifier",
    [
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
    ],
)
def test_qualifiers(words, qualifier):
    c = one(f"China-Russia trade {words} $90 billion in 2019.")
    assert c.qualifier == qualifier
    assert c.reported_as.endswith("$90 billion in 2019")


# --- kinds, periods and years -------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, kind, period",
    [
        ("Trade reached $80 billion in 2011.", "observation", ""),
        (
            "In the first four months of 2011, trade reached $20 billion.",
            "partial",
            "first four months",
        ),
        ("Trade in the first half of 2011 rose to $40 billion.", "partial", "first half"),
        ("In September 2011 trade was $7 billion.", "partial", "September"),
        ("They aim to bring trade to $200 billion by 2024.", "target", ""),
        ("They set a trade goal of $100 billion by 2015.", "target", ""),
        ("Trade is expected to reach $100 billion in 2018.", "forecast", ""),
        ("Trade will exceed $80 billion this year.", "forecast", ""),
        ("Trade is likely to reach $90 billion in 2012.", "forecast", ""),
    ],
)
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


@pytest.mark.parametrize(
    "sentence, flow",
    [
        ("In 2017, Chinese exports to Russia grew to $42.88 billion.", "china_exports"),
        ("In 2017, imports of Russian goods rose to $40 billion.", "china_imports"),
        (
            "In 2024, China's imports from Russia were $129.32bn, while exports to Russia were $115.49bn.",
            None,
        ),
        ("Border trade reached $5 billion in 2010.", "border"),
        ("Trade reached $5 billion in 2010.", "total"),
    ],
)
def test_flows(sentence, flow):
    found = extract(sentence, date=D)
    if flow is None:
        assert [c.flow for c in found] == ["china_imports", "china_exports"]
    else:
        assert [c.flow for c in found] == [flow]


@pytest.mark.parametrize(
    "sentence, indicator",
    [
        ("They set up an investment fund worth 68 billion yuan to develop trade.", "investment"),
        ("Firms signed $17.82 billion worth of trade contracts at the fair in 2011.", "deals"),
        ("Trade between China and the United States reached $688.3 billion in 2024.", "other_pair"),
        ("Russia posted a trade surplus of 42.5 billion dollars in 2012.", "balance"),
        ("Trade rose by 27% in 2023, or by $35 billion.", "change"),
        ("Russia's GDP reached $2.2 trillion in 2022, trade officials said.", "gdp"),
        ("China's foreign trade totaled $3.07 trillion in 2022.", "world_trade"),
        ("China spent about US$250 billion on Russian armaments purchase.", "arms"),
    ],
)
def test_distractors_are_excluded_by_default(sentence, indicator):
    assert extract(sentence, date=D) == []
    (c,) = extract(sentence, date=D, include_excluded=True)
    assert c.indicator == indicator


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


def test_corpus_is_indexed_and_labelled():
    with open(DEFAULT_CORPUS / "index.csv", encoding="utf-8") as fh:
        index = list(csv.DictReader(fh))
    assert len(index) >= 10 and len({r["publisher"] for r in index}) >= 6
    assert all((DEFAULT_CORPUS / r["file"]).is_file() and r["date"] and r["url"] for r in index)
    with open(DEFAULT_CORPUS / "labels.csv", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    assert {r["file"] for r in labels} <= {r["file"] for r in index}
    assert {r["kind"] for r in labels} == set(KINDS)


def test_precision_and_recall_per_kind_on_the_labelled_set():
    result = evaluate()
    overall = result["all"]
    assert overall["precision"] >= 0.9 and overall["recall"] >= 0.9, overall
    for kind in KINDS:
        r = result[kind]
        if r["tp"] + r["fn"] >= 9:  # enough labels to judge a kind on its own
            assert r["precision"] >= 0.9 and r["recall"] >= 0.9, (kind, r)
    assert result["flow_accuracy"] >= 0.9


def test_held_out_part_is_reported_not_tuned_away():
    # The held-out texts were labelled and run once before three rules were fixed; see
    # docs/extract.md. This guards the level reached, it does not prove generalisation.
    r = evaluate(split="heldout")["all"]
    assert r["precision"] >= 0.85 and r["recall"] >= 0.9, r


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
