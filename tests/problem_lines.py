"""Problem lines in one reviewed place. A unit test asserts where each problem is (file, row,
field) and a key phrase of sinorus' own words; the whole lines of every broken input live in
golden text files (tests/golden/problems/*.txt), compared by tests/test_problem_lines.py and
written again by `make golden` (SINORUS_GOLDEN=update) after an intended change of wording, to
be read in the diff."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "problems"
UPDATE = os.environ.get("SINORUS_GOLDEN") == "update"


def assert_located(problems, expected) -> None:
    """`problems` (sinorus.checks.Problem) are, in order, at these (file, row, field) places and
    each message holds its phrase: `expected` is a list of (file, row, field, phrase)."""
    got = [(p.file, p.row, p.field) for p in problems]
    assert got == [tuple(e[:3]) for e in expected], [str(p) for p in problems]
    for problem, (*_, phrase) in zip(problems, expected, strict=True):
        assert phrase in problem.message, (phrase, str(problem))


def render(cases: dict[str, list[str]]) -> str:
    """The golden text: each case's id on a line of its own after '## ', then its lines."""
    return "".join(f"## {case}\n" + "".join(f"{line}\n" for line in lines) + "\n" for case, lines in cases.items())  # fmt: skip


def parse(text: str) -> dict[str, list[str]]:
    cases: dict[str, list[str]] = {}
    lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("## "):
            lines = cases.setdefault(line[3:], [])
        elif line:
            lines.append(line)
    return cases


def check(name: str, cases: dict[str, list[str]]) -> None:
    """Compare the lines of every case with tests/golden/problems/NAME.txt (or write it)."""
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(cases), encoding="utf-8")
        return
    assert path.exists(), f"{path.name}: no golden file yet (run `make golden` and review it)"
    expected = parse(path.read_text(encoding="utf-8"))
    assert list(cases) == list(expected), f"{path.name}: cases differ (run `make golden`?)"
    for case, lines in cases.items():
        assert lines == expected[case], (
            f"{path.name}, case {case!r}: the lines differ from the reviewed ones; if the change "
            "is intended, run `make golden` and review the diff"
        )
