"""Measuring `extract` against a labelled corpus: precision and recall per kind."""

from __future__ import annotations

import csv
from pathlib import Path

from sinorus.checks import confined
from sinorus.extract.candidate import KINDS, Candidate
from sinorus.extract.pipeline import extract_file

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"


def _matches(cand: Candidate, label: dict, *, qualifier: bool = True) -> bool:
    """Same file, year, kind and unit, value within 1% (and the same qualifier)."""
    value = float(label["value"])
    return (
        cand.source == label["file"]
        and cand.year == int(label["year"])
        and cand.kind == label["kind"]
        and cand.unit == label["unit"]
        and abs(cand.value - value) <= 0.01 * value
        and (not qualifier or cand.qualifier == label["qualifier"])
    )


def evaluate(
    corpus: str | Path = DEFAULT_CORPUS, *, split: str | None = None, qualifier: bool = True
) -> dict:
    """Precision and recall per kind on `corpus` (its labels.csv and the files index.csv names;
    `split` "dev", "heldout" or "heldout2" keeps only that part).

    Each label is matched to at most one candidate and each candidate to at most one label.
    Returns {kind: {"tp", "fp", "fn", "precision", "recall"}} with an "all" row, plus
    "flow_accuracy" over the matched pairs and the unmatched rows for inspection.
    """
    corpus = Path(corpus)
    with open(corpus / "index.csv", newline="", encoding="utf-8") as fh:
        files = [row["file"] for row in csv.DictReader(fh) if split in (None, row["split"])]
    with open(corpus / "labels.csv", newline="", encoding="utf-8") as fh:
        labels = [row for row in csv.DictReader(fh) if row["file"] in files]
    free = [c for f in files for c in extract_file(confined(corpus, f))]  # never a file outside
    matched: list[tuple[Candidate, dict]] = []
    missed: list[dict] = []
    for label in labels:
        hit = next((c for c in free if _matches(c, label, qualifier=qualifier)), None)
        if hit is None:
            missed.append(label)
        else:
            free.remove(hit)
            matched.append((hit, label))
    result: dict = {kind: _counts(kind, matched, free, missed) for kind in (*KINDS, "all")}
    flows = [c.flow == lab["flow"] for c, lab in matched]
    result["flow_accuracy"] = sum(flows) / len(flows) if flows else 1.0
    result["false_positives"] = free
    result["missed"] = missed
    return result


def _counts(kind: str, matched: list, free: list[Candidate], missed: list[dict]) -> dict:
    tp = sum(1 for c, _ in matched if kind in ("all", c.kind))
    fp = sum(1 for c in free if kind in ("all", c.kind))
    fn = sum(1 for lab in missed if kind in ("all", lab["kind"]))
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def markdown_table(result: dict) -> str:
    """The per-kind table of `evaluate`'s result, as in docs/extract.md."""
    lines = [
        "| kind | labels | found | correct | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*KINDS, "all"):
        r = result[kind]
        lines.append(
            f"| {kind} | {r['tp'] + r['fn']} | {r['tp'] + r['fp']} | {r['tp']} "
            f"| {r['precision']:.2f} | {r['recall']:.2f} |"
        )
    return "\n".join(lines)


def report(splits=("dev", "heldout", "heldout2", None)) -> str:
    """The measured tables for docs/extract.md, with every extra and missed figure."""
    out = []
    for part in splits:
        res = evaluate(split=part)
        loose = evaluate(split=part, qualifier=False)["all"]
        out.append(f"\n### {part or 'all'}\n\n{markdown_table(res)}\n")
        out.append(
            f"flow right on {res['flow_accuracy']:.0%} of the matched figures; without requiring"
        )
        out.append(
            f"the qualifier: precision {loose['precision']:.2f}, recall {loose['recall']:.2f}."
        )
        for c in res["false_positives"]:
            out.append(
                f"- extra: {c.source} {c.year} {c.value:g} {c.unit} {c.kind} {c.qualifier} {c.reported_as!r}"
            )
        for lab in res["missed"]:
            out.append(
                f"- missed: {lab['file']} {lab['year']} {lab['value']} {lab['unit']} {lab['kind']} {lab['qualifier']}"
            )
    return "\n".join(out)
