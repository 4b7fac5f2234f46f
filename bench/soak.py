"""Soak: load a corpus whose files were broken at random, and check every row's offsets.

    python bench/soak.py FOLDER [--seed 1] [--rounds 1] [--share 1.0]

Each round copies FOLDER (the archive: `/tmp/archive`, see README) to a temporary folder with
`--share` of its files broken the ways real folders break them: cut anywhere, hard-wrapped at
20-100 columns, wrapped in thousands of nested HTML elements (as .html), re-encoded as
windows-1252 or UTF-16, sprinkled with control bytes and odd spaces, a few bytes flipped, a
paragraph repeated, two releases glued. It then loads the copy and checks that every file is a
document or a `skipped` row, that no file was lost to an internal error, and that every row of
every table has `text[start:end]` inside its `evidence` and inside the text. Prints what it
found and exits 1 on a fault.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import cbmg

FACT_TABLES = [t for t in cbmg.TABLES if t not in ("documents", "skipped")]
ODD = [
    "\x00",
    "\x01",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b",
    "\r",
    "\u00a0",
    "\u2028",
    "\u200b",
    "\ufeff",
    "\ufffd",
    "\u0301",
]


def wrap(text: str, width: int) -> str:
    out, column = [], 0
    for ch in text:
        if ch == " " and column >= width:
            out.append("\n")
            column = 0
        else:
            out.append(ch)
            column = 0 if ch == "\n" else column + 1
    return "".join(out)


def break_file(rng: random.Random, text: str, other: str) -> tuple[bytes, str]:
    """A broken copy of `text` and the extension to give it."""
    kind = rng.choice(["cut", "wrap", "nest", "cp1252", "utf16", "odd", "flip", "repeat", "glue"])
    if kind == "cut":
        return text[: rng.randrange(len(text) + 1)].encode(), ".txt"
    if kind == "wrap":
        return wrap(text, rng.randint(20, 100)).encode(), ".txt"
    if kind == "nest":
        depth, tag = rng.randint(100, 20_000), rng.choice(["span", "div", "section", "ul"])
        return (f"<{tag}>" * depth + text.replace("\n", "<br>") + f"</{tag}>" * depth).encode(), ".html"
    if kind == "cp1252":
        return text.encode("cp1252", errors="replace"), ".txt"
    if kind == "utf16":
        return text.encode("utf-16"), ".txt"
    if kind == "odd":
        chars = list(text)
        for _ in range(rng.randint(1, 30)):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(ODD))
        return "".join(chars).encode(), ".txt"
    if kind == "flip":
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 5)):
            if data:
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        return bytes(data), ".txt"
    if kind == "repeat":
        start = rng.randrange(len(text) + 1)
        piece = text[start : start + rng.randint(1, 400)]
        return (text[:start] + piece * rng.randint(2, 100) + text[start:]).encode(), ".txt"
    cut = rng.randrange(len(text) + 1)
    return (text[:cut] + other[rng.randrange(len(other) + 1) :]).encode(), ".txt"


def broken_copy(source: Path, dest: Path, rng: random.Random, share: float) -> int:
    files = sorted(p for p in source.rglob("*") if p.is_file())
    texts = {}
    for i, path in enumerate(files):
        rel = path.relative_to(source)
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rng.random() >= share:
            shutil.copyfile(path, target)
            continue
        text = texts.get(path) or path.read_text(encoding="utf-8", errors="replace")
        other = files[rng.randrange(len(files))].read_text(encoding="utf-8", errors="replace")
        data, ext = break_file(rng, text, other)
        target.with_name(f"{target.stem}.{i}{ext}").write_bytes(data)
    return len(files)


def check(corpus, n_files: int) -> list[str]:
    faults = []
    if corpus.documents.height + corpus.skipped.height != n_files:
        faults.append(
            f"{corpus.documents.height} documents + {corpus.skipped.height} skipped != {n_files} files"
        )
    internal = corpus.skipped.filter(corpus.skipped["reason"] == "internal_error")
    faults += [f"internal error: {p}: {d}" for p, d in internal.select("path", "detail").rows()]
    texts = dict(corpus.documents.select("doc_id", "text").rows())
    for name in FACT_TABLES:
        for doc_id, start, end, evidence in corpus[name].select("doc_id", "start", "end", "evidence").rows():
            text = texts[doc_id]
            if not (0 <= start < end <= len(text)) or text[start:end] not in evidence or evidence not in text:
                faults.append(f"{name} {doc_id} {start}..{end}: span not in its evidence")
    return faults


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--share", type=float, default=1.0, help="share of the files to break")
    args = p.parse_args(argv)
    faults_seen = 0
    for round_ in range(args.rounds):
        rng = random.Random(args.seed + round_)
        with tempfile.TemporaryDirectory() as tmp:
            n_files = broken_copy(args.folder, Path(tmp), rng, args.share)
            started = time.perf_counter()
            corpus = cbmg.load(tmp)
            took = time.perf_counter() - started
            rows = sum(corpus[t].height for t in FACT_TABLES)
            faults = check(corpus, n_files)
        faults_seen += len(faults)
        print(
            f"round {round_ + 1} (seed {args.seed + round_}): {n_files} files, "
            f"{corpus.documents.height} documents, {corpus.skipped.height} skipped, {rows} rows "
            f"checked, load {took:.1f} s, {len(faults)} faults",
            flush=True,
        )
        for fault in faults[:20]:
            print("  " + fault)
    return 1 if faults_seen else 0


if __name__ == "__main__":
    sys.exit(main())
