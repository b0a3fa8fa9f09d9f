"""A valid data package whose text fields carry markup that must never be interpreted."""

import csv
import shutil
from pathlib import Path

from sinorus.load import DEFAULT_DATA_DIR

SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
LINK = "[click me](http://evil.example/)"
IMAGE = "![tracker](http://evil.example/t.png)"
LATEX = "$\\frac{1}{0}$ and $$x^2$$"
BARE = "see http://evil.example/x or www.evil.example or mail trade@evil.example"
HOSTILE_SENTENCE = f"Trade {SCRIPT} {IMG} {LINK} {IMAGE} {LATEX} =1+1 {BARE} grew fast."


def rewrite(path: Path, fn) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    fields = list(rows[0])
    for row in rows:
        fn(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_hostile_package(dest: Path) -> Path:
    shutil.copytree(DEFAULT_DATA_DIR, dest)
    text = dest / "sources" / "eai-bb346-2007-08-china-russia-relations.txt"
    text.write_text(
        text.read_text(encoding="utf-8") + "\n\n" + HOSTILE_SENTENCE + "\n", encoding="utf-8"
    )

    def observation(row):
        if row["id"] == "trade-1992-eai":
            row["quote"] = HOSTILE_SENTENCE
            row["reported_as"] = f"{SCRIPT} US$6 billion {LINK}"
            row["year_note"] = IMG

    def source(row):
        if row["id"] == "eai-bb346":
            row["title"] = f"EAI brief {SCRIPT} {IMAGE}"
            row["citation"] = f"Lai and Lim {LINK} {LATEX}"
            row["note"] = IMG

    def event(row):
        if row["id"] == "hu-putin-heiligendamm":
            row["title"] = f"Summit {IMG} {LINK}"

    def makeup(row):
        if row["id"] == "manufactures-eai":
            row["item"] = f"Goods {SCRIPT} {IMAGE}"

    rewrite(dest / "observations.csv", observation)
    rewrite(dest / "sources.csv", source)
    rewrite(dest / "events.csv", event)
    rewrite(dest / "trade_makeup.csv", makeup)
    return dest
