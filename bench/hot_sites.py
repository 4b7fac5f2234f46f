"""Which lines of the engine the time goes to: perf samples charged to the innermost line of src/.

    cargo build --profile profiling --example load_folder
    RAYON_NUM_THREADS=1 perf record -F 700 --call-graph dwarf,16384 -o /tmp/perf.data \\
        target/profiling/examples/load_folder /tmp/archive
    perf script -i /tmp/perf.data -F ip,sym,srcline > /tmp/perf.txt
    python bench/hot_sites.py /tmp/perf.txt

Most of the time is spent inside regex and aho-corasick, which a flat profile cannot tell apart
by rule; charging each sample to the innermost frame in the engine's own source shows which
rule's search it was (`products.rs:115` is one regex) and whether a regex, an aho-corasick
automaton or the engine's own code ran there.
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
FRAME = re.compile(r"^\s+[0-9a-f]+ (.*)$")


def engine_files() -> set[str]:
    """File names of the engine's sources (the frames' source lines name the file alone)."""
    return {p.name for p in SRC.rglob("*.rs") if p.name not in {"mod.rs", "lib.rs", "pattern.rs", "rule.rs"}}


def samples(lines: list[str]):
    """Each sample's frames, innermost first, as (symbol, source line)."""
    frames: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        m = FRAME.match(lines[i])
        if m:
            src = lines[i + 1].strip() if i + 1 < len(lines) else ""
            frames.append((m.group(1), src.replace(" (inlined)", "")))
            i += 2
            continue
        if not lines[i].strip() and frames:
            yield frames
            frames = []
        i += 1
    if frames:
        yield frames


def kind(symbol: str) -> str:
    """What the sampled instruction belonged to: a regex search, an aho-corasick search, or else."""
    if "aho_corasick" in symbol or "teddy" in symbol.lower():
        return "aho-corasick"
    if "regex_automata" in symbol or "find_fwd" in symbol or "find_rev" in symbol:
        return "regex"
    return "other"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("perf_script", type=Path, help="output of perf script -F ip,sym,srcline")
    p.add_argument("--top", type=int, default=30)
    args = p.parse_args(argv)
    ours = engine_files()
    in_engine = lambda src: src.split(":")[0] in ours  # noqa: E731
    sites: collections.Counter = collections.Counter()
    files: collections.Counter = collections.Counter()
    n = 0
    for frames in samples(args.perf_script.read_text(errors="replace").splitlines()):
        n += 1
        inner = next((src for _, src in frames if in_engine(src)), "outside the engine")
        sites[(kind(frames[0][0]), inner)] += 1
        for f in {src.split(":")[0] for _, src in frames if in_engine(src)}:
            files[f] += 1
    print(f"{n} samples")
    print("innermost engine line (and what ran there):")
    for (what, site), count in sites.most_common(args.top):
        print(f"  {100 * count / n:5.1f}%  {site:32} {what}")
    print("time under each engine file (a sample counts once per file on its stack):")
    for f, count in files.most_common(args.top):
        print(f"  {100 * count / n:5.1f}%  {f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
