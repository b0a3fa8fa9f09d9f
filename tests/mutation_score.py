"""Print the mutation score per module from mutmut's results (`make mutate`; docs/mutation.md).

mutmut 3 keeps one JSON file per mutated module, `mutants/<path>.meta`, mapping each mutant to
the exit code of its test run. This reads them and prints, per module, how many mutants were
killed (a test failed), timed out (a test hung: counted as caught, as mutmut does), survived,
had no test reaching them, or were not checked yet, and the score (killed + timeout) / checked.
Run from the repository root. `--sample FRACTION [SEED [MODULES]]` prints the names of a random
sample of the mutants not checked yet instead, and records it (`make mutate-sample`);
`--freeze` records the sample's results as its run left them, and `--estimate` prints the score
of a whole run estimated from the mutants checked before the sample was drawn and the sample's
(frozen) rate for the rest, with its 95% interval.
"""

import fnmatch
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


def sample(
    fraction: float, seed: int = 0, modules: str = "*", root: Path = Path("mutants")
) -> list[str]:
    """A random sample of the mutants not checked yet, the same fraction of each module's (so a
    run of an hour estimates the score of a run of a day: `make mutate-sample`). `modules` is a
    glob of module paths (`sinorus/importers/*`). Each module's sample is recorded in
    `mutants/sample.json` with how many were unchecked when it was drawn, for `--estimate`."""
    rng = random.Random(seed)
    record = root / SAMPLE_RECORD
    strata = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    names = []
    for meta in sorted(root.rglob("*.py.meta")):
        module = str(meta.relative_to(root)).removesuffix(".meta")
        if not fnmatch.fnmatch(module, modules):
            continue
        todo = sorted(k for k, v in _read(meta)["exit_code_by_key"].items() if v is None)
        drawn = rng.sample(todo, round(len(todo) * fraction))
        if drawn:
            strata[module] = {"seed": seed, "unchecked": todo, "sample": drawn}
        names += drawn
    record.write_text(json.dumps(strata, indent=1), encoding="utf-8")
    return names


SAMPLE_RECORD = "sample.json"


def estimate(root: Path = Path("mutants")) -> list[tuple[str, float, float, float, int, int]]:
    """The score of a whole run, estimated per module: the mutants checked before the module's
    sample was drawn count as they are; the ones unchecked then count at the sample's rate.
    Returns rows (module, caught, total, variance of caught, sample run, sample size)."""
    record = root / SAMPLE_RECORD
    strata = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    rows = []
    for meta in sorted(root.rglob("*.py.meta")):
        module = str(meta.relative_to(root)).removesuffix(".meta")
        codes = _read(meta)["exit_code_by_key"]
        if not codes:
            continue
        status = {k: STATUS.get(v, "other") for k, v in codes.items()}
        stratum = strata.get(module, {"unchecked": [], "sample": []})
        drawn, todo = set(stratum["sample"]), set(stratum["unchecked"])
        # the sample as its run left it (`--freeze`): tests written after it, to kill the
        # survivors it showed, must not raise the estimate of the mutants no one has looked at
        frozen = stratum.get("results")
        run = list(frozen.values()) if frozen else [status[k] for k in drawn if k in status and status[k] != "not checked"]  # fmt: skip
        # checked when the sample was drawn (or since, if the module has no sample)
        before = [v for k, v in status.items() if k not in todo and v != "not checked"]
        caught = sum(v in ("killed", "timeout") for v in before)
        unchecked, variance = len(todo), 0.0
        if run:
            rate = sum(v in ("killed", "timeout") for v in run) / len(run)
            caught += unchecked * rate
            variance = unchecked**2 * rate * (1 - rate) / len(run)
        else:
            unchecked = 0  # no estimate for this module's unchecked mutants: left out
        rows.append((module, caught, len(before) + unchecked, variance, len(run), len(drawn)))
    return rows


def freeze(root: Path = Path("mutants")) -> None:
    """Record each sampled mutant's result as it is now, once, in `mutants/sample.json`."""
    record = root / SAMPLE_RECORD
    strata = json.loads(record.read_text(encoding="utf-8"))
    for module, stratum in strata.items():
        if stratum.get("results"):
            continue
        codes = _read(root / f"{module}.meta")["exit_code_by_key"]
        results = {k: STATUS.get(codes.get(k), "other") for k in stratum["sample"]}
        stratum["results"] = {k: v for k, v in results.items() if v != "not checked"}
    record.write_text(json.dumps(strata, indent=1), encoding="utf-8")


def print_estimate() -> int:
    rows = estimate()
    width = max(len(r[0]) for r in rows)
    print(f"{'module':<{width}}  {'sampled':>9}  {'estimate':>9}  {'mutants':>8}")
    caught = total = variance = 0.0
    for module, c, t, v, run, drawn in rows:
        caught, total, variance = caught + c, total + t, variance + v
        print(f"{module:<{width}}  {run:>4}/{drawn:<4}  {100 * c / t if t else 0:8.1f}%  {t:>8}")
    half = 1.96 * variance**0.5 / total
    print(f"{'all':<{width}}  {'':>9}  {100 * caught / total:8.1f}%  {int(total):>8}")
    print(
        f"95% interval: {100 * (caught / total - half):.1f}% to {100 * (caught / total + half):.1f}%"
    )
    return 0


def main() -> int:
    if sys.argv[1:2] == ["--sample"]:
        args = sys.argv[2:]
        seed = int(args[1]) if len(args) > 1 else 0
        print("\n".join(sample(float(args[0]), seed, args[2] if len(args) > 2 else "*")))
        return 0
    if sys.argv[1:2] == ["--freeze"]:
        freeze()
        return 0
    if sys.argv[1:2] == ["--estimate"]:
        return print_estimate()
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
