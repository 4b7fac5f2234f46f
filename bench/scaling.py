"""Seconds per MB as one document grows, and lexicon terms repeated a million times.

    python bench/scaling.py [SOURCE_FOLDER] [--sizes 1,2,4,8,16,32,64] [--repeat 3]

A long filing, a scraped page that holds a whole news archive, or a text glued together by
mistake must cost time in proportion to its length: a rule whose work grows with the square of
a document's length turns a 60 MB file into a night's run. This writes one file of each size
(MB) by repeating the releases of SOURCE_FOLDER (the dev corpus by default, or generated
releases when `../shared` is absent), times `cbmg.load` of it in a fresh process, and prints
seconds, seconds per MB and the ratio of the largest to the smallest seconds per MB (linear
time keeps it near 1; the bar is 2).

`--lexicon` adds the lexicon measures: one text of every built-in indication's name repeated
until it holds a million mentions, and a user lexicon of 100,000 terms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "corpus" / "dev"

CHILD = r"""
import json, resource, sys, time
import cbmg
lexicon = sys.argv[2] or None
t = time.perf_counter()
corpus = cbmg.load(sys.argv[1], lexicon=lexicon)
elapsed = time.perf_counter() - t
print(json.dumps({
    "seconds": elapsed,
    "rows": sum(df.height for name, df in corpus.tables().items() if name != "documents"),
    "skipped": corpus.skipped.height,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def source_text(folder: Path) -> str:
    if folder.is_dir():
        parts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.md"))]
        if parts:
            return "\n\n".join(parts)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), tmp, "--count", "200"], check=True
        )
        return "\n\n".join(p.read_text() for p in sorted(Path(tmp).iterdir()))


def time_load(folder: Path, lexicon: str = "") -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), lexicon], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def one_file(tmp: Path, name: str, text: str) -> Path:
    folder = tmp / name
    folder.mkdir()
    (folder / "release.md").write_text(text, encoding="utf-8")
    return folder


def sizes_table(text: str, sizes: list[int], repeat: int, tmp: Path) -> None:
    print(f"{'MB':>4} {'seconds':>8} {'s/MB':>6} {'rows':>9} {'RSS MB':>7}")
    per_mb = []
    for mb in sizes:
        want = mb * 1_000_000
        body = (text * (want // len(text) + 1))[:want]
        folder = one_file(tmp, f"size{mb}", body)
        runs = [time_load(folder) for _ in range(repeat)]
        secs = statistics.median(r["seconds"] for r in runs)
        per_mb.append(secs / mb)
        print(
            f"{mb:>4} {secs:>8.2f} {secs / mb:>6.3f} {runs[0]['rows']:>9} {runs[0]['peak_rss_mb']:>7.0f}",
            flush=True,
        )
    print(f"largest / smallest seconds per MB: {max(per_mb) / min(per_mb):.2f}")


def lexicon_table(tmp: Path) -> None:
    import csv

    with open(ROOT / "data" / "indications.csv", newline="", encoding="utf-8") as f:
        rows = csv.reader(line for line in f if not line.startswith("#"))
        next(rows)
        terms = [row[0] for row in rows if row and row[0]]
    per_term = max(1, 1_000_000 // len(terms))
    body = " ".join(f"{term} and" for _ in range(per_term) for term in terms)
    folder = one_file(tmp, "lexicon_terms", body)
    run = time_load(folder)
    print(
        f"{len(terms)} indications x {per_term} = {len(terms) * per_term} mentions in one text "
        f"({len(body) / 1e6:.1f} MB): {run['seconds']:.2f} s, {run['rows']} rows",
        flush=True,
    )

    user_terms = [f"synthetic disorder {i}" for i in range(100_000)]
    lexicon = tmp / "lexicon.csv"
    lexicon.write_text(
        "kind,term,canonical,abbreviation\n" + "".join(f"indication,{t},,\n" for t in user_terms)
    )
    folder = one_file(tmp, "lexicon_user", " ".join(f"{t} and" for t in user_terms[::10]))
    run = time_load(folder, str(lexicon))
    print(
        f"a user lexicon of {len(user_terms)} terms: {run['seconds']:.2f} s, {run['rows']} rows", flush=True
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    p.add_argument("--sizes", default="1,2,4,8,16,32,64")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--lexicon", action="store_true")
    args = p.parse_args(argv)
    text = source_text(args.source)
    with tempfile.TemporaryDirectory() as tmp:
        sizes_table(text, [int(s) for s in args.sizes.split(",")], args.repeat, Path(tmp))
        if args.lexicon:
            lexicon_table(Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
