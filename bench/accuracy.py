"""Precision and recall per table on a folder of releases with hand-written expected facts.

    python bench/accuracy.py [FOLDER]        # default: tests/data/releases
    python bench/accuracy.py financials dev|test [--why]   # real releases, annotated by hand
    python bench/accuracy.py releases dev|test [--why]     # documents and trials, likewise

FOLDER holds the releases and, beside each, `<name>.expected.json`: the facts a careful
reader takes from that release. Each table is compared on its key
columns below; a table a release's entry does not list is expected to be empty for it, so
every row the extractor adds there counts against precision.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import polars as pl

import cbmg

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "releases"

#: The columns each table is judged on, in the order the expected lists give them.
KEYS: dict[str, tuple[str, ...]] = {
    "financials": ("metric", "period", "value", "comparative"),
    "trials": ("phase", "product", "indication"),
    "events": ("conference", "event_date", "presentation"),
    "facilities": ("area_sqft", "kind"),
    "regulatory": ("agency", "action", "product"),
    "partnerships": ("partner", "kind"),
    "grants": ("funder_abbr", "amount"),
    "contacts": ("name", "email"),
    "quotes": ("speaker",),
}
DOCUMENT_FIELDS = ("date", "dateline", "wire", "company", "exchange", "ticker", "title")


def _norm(value):
    if isinstance(value, float):
        return round(value, 6)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def score(corpus: cbmg.Corpus, expected: dict) -> dict[str, dict[str, float]]:
    """Counts and precision/recall per table (and for document fields)."""
    counts: dict[str, Counter] = {name: Counter() for name in ("documents", *KEYS)}
    docs = {r["doc_id"]: r for r in corpus.documents.iter_rows(named=True)}
    for doc_id, want in expected.items():
        got_doc = docs.get(doc_id, {})
        c = counts["documents"]
        for field in DOCUMENT_FIELDS:
            if field not in want.get("documents", {}):
                continue
            w, g = want["documents"][field], _norm(got_doc.get(field))
            c["expected"] += w is not None
            c["predicted"] += g is not None
            c["matched"] += w is not None and w == g
        for table, keys in KEYS.items():
            predicted = [
                tuple(_norm(r[k]) for k in keys)
                for r in corpus[table].filter(pl.col("doc_id") == doc_id).iter_rows(named=True)
            ]
            wanted = [
                tuple(_norm(x) for x in (row.values() if isinstance(row, dict) else row))
                for row in want.get(table, [])
            ]
            remaining = Counter(wanted)
            matched = 0
            for p in predicted:
                if remaining[p] > 0:
                    remaining[p] -= 1
                    matched += 1
            counts[table]["expected"] += len(wanted)
            counts[table]["predicted"] += len(predicted)
            counts[table]["matched"] += matched
    out = {}
    for table, c in counts.items():
        precision = c["matched"] / c["predicted"] if c["predicted"] else 1.0
        recall = c["matched"] / c["expected"] if c["expected"] else 1.0
        out[table] = {**c, "precision": precision, "recall": recall}
    return out


def misses(corpus: cbmg.Corpus, expected: dict, table: str) -> list[tuple[str, str, tuple]]:
    """(doc_id, 'missed' | 'extra', key tuple) for every disagreement in one table."""
    keys = KEYS[table]
    out = []
    for doc_id, want in expected.items():
        predicted = Counter(
            tuple(_norm(r[k]) for k in keys)
            for r in corpus[table].filter(pl.col("doc_id") == doc_id).iter_rows(named=True)
        )
        wanted = Counter(
            tuple(_norm(x) for x in (row.values() if isinstance(row, dict) else row))
            for row in want.get(table, [])
        )
        out += [(doc_id, "missed", k) for k in (wanted - predicted).elements()]
        out += [(doc_id, "extra", k) for k in (predicted - wanted).elements()]
    return out


def load_expected(folder: Path) -> dict:
    """{release name: expected facts} from the `*.expected.json` files of a folder."""
    return {
        p.name.removesuffix(".expected.json"): json.loads(p.read_text())
        for p in sorted(folder.glob("*.expected.json"))
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["financials"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import financial_accuracy

        return financial_accuracy.main(argv[1:])
    if argv[:1] == ["releases"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import release_accuracy

        return release_accuracy.main(argv[1:])
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else DEFAULT
    expected = load_expected(folder)
    corpus = cbmg.load(folder)
    results = score(corpus, expected)
    print(f"{len(expected)} releases in {folder}")
    print(f"{'table':<14}{'expected':>9}{'predicted':>10}{'matched':>9}{'precision':>11}{'recall':>8}")
    for table, r in results.items():
        print(
            f"{table:<14}{r['expected']:>9}{r['predicted']:>10}{r['matched']:>9}{r['precision']:>11.3f}{r['recall']:>8.3f}"
        )
    if "--why" in argv:
        for table in KEYS:
            for row in misses(corpus, expected, table):
                print(table, *row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
