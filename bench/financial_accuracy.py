"""Scores the financials table against hand-annotated real releases.

    python bench/accuracy.py financials dev       # the development half: misses may be read
    python bench/accuracy.py financials test      # the test half: scored only
    python bench/accuracy.py financials dev --why # every miss, extra and wrong value

The truth is `bench/truth/financials/{dev,test}.jsonl`: one line per release of
`../shared/corpus` (an `archive/...` path inside `archive.tar.xz`, or `html/...`), with every
figure of the schema's metrics a careful reader takes from it (see bench/truth/README.md for
the conventions). The releases are copied out of the corpus into a cache folder once.

A fact is (metric, period, value). A prediction matches an expected fact of the same metric and
period when one value is the other rounded ("$15.9 million" for 15,912,000): a figure stated in
prose and in a table is one fact. Per release, cbmg's rows are merged the same way, so a figure
reported from both sources counts once. A predicted fact whose metric and period are expected
with another value is a *wrong value*: the kind of error that must never pass. Expected nil
figures (value 0: a dash, "no revenue") are not counted against recall, and other companies'
figures (roundups, a peer quoted) are expected to be absent.
"""

from __future__ import annotations

import json
import math
import os
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

import cbmg

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "bench" / "truth" / "financials"
CORPUS = ROOT.parent / "shared" / "corpus"
CACHE = Path(os.environ.get("CBMG_BENCH_CACHE", Path.home() / ".cache" / "cbmg-bench" / "financials"))


def read_truth(half: str) -> list[dict]:
    return [json.loads(line) for line in (TRUTH / f"{half}.jsonl").read_text().splitlines() if line.strip()]


def releases_folder(docs: list[str], corpus: Path = CORPUS, cache: Path = CACHE) -> Path:
    """A folder holding the releases at their truth paths, copied from the corpus once."""
    missing = [d for d in docs if not (cache / d).exists()]
    from_archive = {d for d in missing if d.startswith("archive/")}
    for d in missing:
        if d not in from_archive:
            (cache / d).parent.mkdir(parents=True, exist_ok=True)
            (cache / d).write_bytes((corpus / d).read_bytes())
    if from_archive:
        with tarfile.open(corpus / "archive.tar.xz") as tar:
            for member in tar:
                if member.name in from_archive:
                    target = cache / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(tar.extractfile(member).read())
                    from_archive.discard(member.name)
                    if not from_archive:
                        break
        if from_archive:
            raise FileNotFoundError(f"not in the archive: {sorted(from_archive)[:3]}")
    return cache


def doc_id(doc: str) -> str:
    """cbmg's doc_id of a truth path: relative to the folder, without extension."""
    return doc.rsplit(".", 1)[0]


def significant(x: float) -> int:
    """Significant digits of a value as written ("3200000" has 2, "0.42" has 2)."""
    if x == 0:
        return 1
    digits = f"{abs(x):.10g}".replace(".", "").lstrip("0").rstrip("0")
    return max(1, len(digits))


def rounds_to(exact: float, written: float) -> bool:
    """True when `written` is `exact` rounded to the digits `written` shows (half up)."""
    if written == 0:
        return exact == 0
    unit = 10 ** (math.floor(math.log10(abs(written))) - significant(written) + 1)
    return abs(exact - written) <= unit / 2 * (1 + 1e-9)


def same_value(a: float, b: float) -> bool:
    """True when the two are one figure: equal, or one is the other rounded."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or rounds_to(a, b) or rounds_to(b, a)


def issuer_facts(release: dict) -> list[dict]:
    """The release's own figures: those without a company, or, in a piece about one company
    that names it on every figure, that company's."""
    facts = release["facts"]
    if any(f.get("company") is None for f in facts) or release.get("kind") == "roundup":
        return [f for f in facts if f.get("company") is None]
    named = Counter(f["company"] for f in facts)
    if not named:
        return []
    subject = named.most_common(1)[0][0]
    return [f for f in facts if f["company"] == subject]


def merged(values: list[float]) -> list[float]:
    """Distinct values, those that are one figure up to rounding merged (the most exact kept)."""
    out: list[float] = []
    for v in sorted(values, key=lambda v: -significant(v)):
        if not any(same_value(v, o) for o in out):
            out.append(v)
    return out


def score(corpus: cbmg.Corpus, truth: list[dict]) -> dict:
    rows = corpus.financials
    by_doc: dict[str, dict[tuple[str, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows.select("doc_id", "metric", "period", "value").iter_rows():
        by_doc[r[0]][(r[1], r[2])].append(r[3])
    per_metric: dict[str, Counter] = defaultdict(Counter)
    details: list[tuple] = []
    for release in truth:
        did = doc_id(release["doc"])
        expected: dict[tuple[str, str], list[float]] = defaultdict(list)
        nil: set[tuple[str, str]] = set()
        for f in issuer_facts(release):
            key = (f["metric"], f["period"])
            if f["value"] == 0:
                nil.add(key)
            else:
                expected[key].append(float(f["value"]))
        others = {(f["metric"], f["period"]) for f in release["facts"]} - set(expected) - nil
        predicted = by_doc.get(did, {})
        for key, values in expected.items():
            c = per_metric[key[0]]
            for v in merged(values):
                c["expected"] += 1
                hit = any(same_value(v, p) for p in predicted.get(key, []))
                c["found"] += hit
                if not hit:
                    details.append((did, "missed", *key, v))
        for key, values in predicted.items():
            c = per_metric[key[0]]
            for v in merged(values):
                c["predicted"] += 1
                if key in expected and any(same_value(v, e) for e in expected[key]):
                    c["correct"] += 1
                elif key in nil:
                    c["extra"] += 1
                    details.append((did, "extra (nil expected)", *key, v))
                elif key in expected:
                    c["wrong"] += 1
                    details.append((did, "WRONG", *key, v, expected[key]))
                else:
                    c["extra"] += 1
                    why = "extra (another company's)" if key in others else "extra"
                    details.append((did, why, *key, v))
    total = Counter()
    for c in per_metric.values():
        total.update(c)
    per_metric["all"] = total
    out = {}
    for metric, c in per_metric.items():
        p = c["correct"] / c["predicted"] if c["predicted"] else 1.0
        r = c["found"] / c["expected"] if c["expected"] else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        counts = {k: c[k] for k in ("expected", "found", "predicted", "correct", "wrong", "extra")}
        out[metric] = {**counts, "precision": p, "recall": r, "f1": f1}
    return {"metrics": out, "details": details}


def load_half(half: str) -> tuple[cbmg.Corpus, list[dict]]:
    """The half's truth and cbmg's reading of its releases (the cache may hold more)."""
    truth = read_truth(half)
    return cbmg.load(releases_folder([t["doc"] for t in truth])), truth


def main(argv: list[str]) -> int:
    half = argv[0] if argv and not argv[0].startswith("--") else "dev"
    corpus, truth = load_half(half)
    result = score(corpus, truth)
    print(
        f"financials, {half} half: {len(truth)} releases, {sum(len(issuer_facts(t)) for t in truth)} figures"
    )
    print(
        f"{'metric':<22}{'expected':>9}{'found':>7}{'predicted':>10}{'correct':>8}{'wrong':>6}{'precision':>10}{'recall':>8}{'f1':>7}"
    )
    for metric, r in sorted(result["metrics"].items(), key=lambda kv: (kv[0] == "all", kv[0])):
        print(
            f"{metric:<22}{r['expected']:>9}{r['found']:>7}{r['predicted']:>10}{r['correct']:>8}{r['wrong']:>6}"
            f"{r['precision']:>10.3f}{r['recall']:>8.3f}{r['f1']:>7.3f}"
        )
    if "--why" in argv:
        for d in sorted(result["details"], key=str):
            print(*d)
    return 0
