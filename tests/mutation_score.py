"""Print the mutation score per module from mutmut's results (`make mutate`; docs/mutation.md).

mutmut 3 keeps one JSON file per mutated module, `mutants/<path>.meta`, mapping each mutant to
the exit code of its test run. This reads them and prints, per module, how many mutants were
killed (a test failed), timed out (a test hung: counted as caught, as mutmut does), survived,
had no test reaching them, or were not checked yet, and the score (killed + timeout) / checked.
Run from the repository root. `--sample FRACTION [SEED]` prints the names of a random sample
of the mutants not checked yet instead (`make mutate-sample`).
"""

import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

# mutmut's exit codes (mutmut.stats.status_by_exit_code), folded into the columns shown here.
STATUS = {
    1: "killed",
    3: "killed",
    36: "timeout",  # the mutant made a test hang (an endless loop): caught, not missed
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    0: "survived",
    5: "no tests",
    33: "no tests",
    None: "not checked",
}
COLUMNS = ("killed", "timeout", "survived", "no tests", "other", "not checked")


def summarise(root: Path = Path("mutants")) -> list[tuple[str, Counter]]:
    rows = []
    for meta in sorted(root.rglob("*.py.meta")):
        codes = _read(meta)["exit_code_by_key"]
        if codes:
            module = str(meta.relative_to(root)).removesuffix(".meta")
            rows.append((module, Counter(STATUS.get(code, "other") for code in codes.values())))
    return rows


def _read(meta: Path) -> dict:
    for _ in range(20):  # mutmut may be rewriting the file this very moment
        try:
            return json.loads(meta.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            time.sleep(0.1)
    return json.loads(meta.read_text(encoding="utf-8"))


def score(counts: Counter) -> str:
    checked = sum(counts.values()) - counts["not checked"]
    caught = counts["killed"] + counts["timeout"]
    return f"{100 * caught / checked:5.1f}%" if checked else "    -"


def sample(fraction: float, seed: int = 0, root: Path = Path("mutants")) -> list[str]:
    """A random sample of the mutants not checked yet, the same fraction of each module's (so a
    run of an hour estimates the score of a run of a day: `make mutate-sample`)."""
    rng = random.Random(seed)
    names = []
    for meta in sorted(root.rglob("*.py.meta")):
        todo = sorted(k for k, v in _read(meta)["exit_code_by_key"].items() if v is None)
        names += rng.sample(todo, round(len(todo) * fraction))
    return names


def main() -> int:
    if sys.argv[1:2] == ["--sample"]:
        print("\n".join(sample(float(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)))
        return 0
    rows = summarise()
    if not rows:
        print("No mutmut results under mutants/: run `make mutate` first.")
        return 1
    width = max(len(module) for module, _ in rows)
    print(f"{'module':<{width}}  " + "  ".join(f"{c:>11}" for c in COLUMNS) + "   total   score")
    total = Counter()
    for module, counts in rows + [("all", None)]:
        if counts is None:
            counts = total
        else:
            total.update(counts)
        cells = "  ".join(f"{counts[c]:>11}" for c in COLUMNS)
        print(f"{module:<{width}}  {cells}  {sum(counts.values()):>6}  {score(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
