"""`python -m cbmg PATH` / `cbmg PATH`: print or write the tables of a set of releases.

`python -m cbmg rules [--check]` lists the extraction rules (or runs their examples).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from cbmg._core import CbmgError, __version__
from cbmg.corpus import TABLES, load, scan, write_parquet
from cbmg.jsonfile import JsonArrayFile
from cbmg.progress import ProgressBar

if TYPE_CHECKING:
    import polars as pl

FORMATS = ("parquet", "csv", "json")

T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cbmg",
        description="Extract tables (documents, financials, trials, ...) from press releases.",
    )
    p.add_argument("--version", action="version", version=f"cbmg {__version__}")
    p.add_argument("paths", nargs="+", help="files or folders of releases (.txt, .md, .html)")
    p.add_argument("--table", choices=TABLES, action="append", help="only this table (repeatable)")
    p.add_argument("--out", type=Path, help="write the tables to this folder instead of printing")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="parquet",
        help="file format for --out: parquet, csv (dates as YYYY-MM-DD) or json (one array of "
        "records per table, which pl.read_json and DuckDB's read_json read back)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal, for runs over 2 s)",
    )
    p.add_argument("--lexicon", type=Path, help="CSV of extra lexicon terms")
    p.add_argument("--rows", type=int, default=20, help="rows to print per table (default 20)")
    p.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        help="with --out: files extracted and written per batch (default 2000); memory follows it",
    )
    return p


def _printable(df: pl.DataFrame) -> pl.DataFrame:
    # The full text and evidence make tables unreadable in a terminal; files keep them.
    drop = [c for c in ("text", "evidence") if c in df.columns]
    return df.drop(drop) if drop else df


_END = object()


def _prefetched(items: Iterable[T]) -> Iterator[T]:
    """Yields ``items``, producing the next one on a thread while the caller uses this one.

    The engine releases the GIL while it extracts a batch, so writing one batch with polars and
    extracting the next overlap. Only one item is asked for at a time: at most one is in use and
    one in the making, so memory stays at two batches. An exception from ``items`` is raised
    here, in order. A caller that stops early waits for the item in the making, then the thread
    ends.
    """
    it = iter(items)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cbmg-prefetch") as pool:
        making = pool.submit(next, it, _END)
        while (item := making.result()) is not _END:
            making = pool.submit(next, it, _END)
            yield cast(T, item)


def _progress(args: argparse.Namespace) -> ProgressBar | bool:
    if args.progress is False:
        return False
    if args.progress is None and not sys.stderr.isatty():
        return False
    return ProgressBar(after_seconds=0.0 if args.progress else 2.0)


def _write_streaming(args: argparse.Namespace, names: list[str]) -> tuple[int, int]:
    """Writes every table a batch at a time, so memory does not grow with the corpus."""
    args.out.mkdir(parents=True, exist_ok=True)
    progress = _progress(args)
    if args.format == "parquet":
        return write_parquet(
            args.paths,
            args.out,
            tables=names,
            batch_size=args.batch_size,
            lexicon=args.lexicon,
            progress=progress,
        )
    ext = args.format
    # The inputs and the lexicon are checked before any file is opened, and each table is
    # written under a temporary name renamed over the old file only once all of it is written:
    # a failed run leaves a previous good run's files as they were.
    batches = scan(args.paths, batch_size=args.batch_size, lexicon=args.lexicon, progress=progress)
    final = {name: args.out / f"{name}.{ext}" for name in names}
    partial = {name: path.with_name(f".{path.name}.partial") for name, path in final.items()}
    files = {name: open(path, "wb") for name, path in partial.items()}  # noqa: SIM115
    arrays = {name: JsonArrayFile(partial[name], fh) for name, fh in files.items()} if ext == "json" else {}
    documents = skipped = 0
    done = False
    try:
        for i, batch in enumerate(_prefetched(batches)):
            documents += batch.n_rows("documents")
            skipped += batch.n_rows("skipped")
            for name, fh in files.items():
                if ext == "csv":
                    batch[name].write_csv(fh, include_header=i == 0, date_format="%Y-%m-%d")
                else:
                    arrays[name].write(batch[name])
        for array in arrays.values():
            array.close()
        done = True
    finally:
        for fh in files.values():
            fh.close()
        for name, path in partial.items():
            if done:
                os.replace(path, final[name])
            else:
                path.unlink(missing_ok=True)
    return documents, skipped


def _rules_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cbmg rules",
        description="List the extraction rules of every table (rules/<table>.toml), with their "
        "number of examples; with --check, run every example through the engine. "
        "(A folder named 'rules' loads as ./rules.)",
    )
    p.add_argument("--check", action="store_true", help="run every example; exit 1 if one fails")
    p.add_argument("--table", help="only this table's rules")
    return p


def rules_main(argv: list[str]) -> int:
    """`cbmg rules`: one line per rule, or the examples that fail with --check."""
    from cbmg import _core

    args = _rules_parser().parse_args(argv)
    listed = [r for r in _core.rules() if args.table in (None, r[0])]
    if not listed:
        print(f"cbmg: error: no rules for table {args.table!r}", file=sys.stderr)
        return 2
    if args.check:
        failures = [f for f in _core.check_rules() if args.table in (None, f[0])]
        for table, rule, text, problem in failures:
            print(f"{table}.{rule}: {problem}\n    text: {text!r}")
        examples = sum(r[4] + r[5] for r in listed)
        print(f"{len(listed)} rules, {examples} examples and rejects, {len(failures)} failing")
        return 1 if failures else 0
    print(f"{'table':<13} {'family':<11} {'rule':<38} {'kind':<8} {'examples':>8} {'rejects':>8}")
    for table, family, name, kind, examples, rejects in listed:
        print(f"{table:<13} {family:<11} {name:<38} {kind:<8} {examples:>8} {rejects:>8}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Runs the command; errors are a message and exit status 2, Ctrl-C is status 130."""
    try:
        return _run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        print("cbmg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`cbmg DIR | head`): what it wanted was printed. Standard output
        # is pointed at /dev/null so that Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except CbmgError as err:
        print(f"cbmg: error: {err}", file=sys.stderr)
        return 2


def _run(argv: list[str]) -> int:
    if argv[:1] == ["rules"]:
        return rules_main(argv[1:])
    args = _parser().parse_args(argv)
    names = args.table or list(TABLES)
    if args.batch_size < 1:
        print("cbmg: error: --batch-size must be at least 1", file=sys.stderr)
        return 2
    if args.out is not None:
        try:
            documents, skipped = _write_streaming(args, names)
        except (OSError, ValueError) as err:
            print(f"cbmg: error: {err}", file=sys.stderr)
            return 2
        print(
            f"wrote {', '.join(names)} ({args.format}) for {documents} documents"
            f" ({skipped} skipped) to {args.out}",
            file=sys.stderr,
        )
        return 0
    try:
        corpus = load(args.paths, lexicon=args.lexicon, progress=_progress(args))
    except (OSError, ValueError) as err:
        print(f"cbmg: error: {err}", file=sys.stderr)
        return 2
    import polars as pl

    with pl.Config(tbl_rows=args.rows, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
        for name in names:
            df = corpus[name]
            print(f"== {name} ({df.height} rows)")
            print(_printable(df))
            print()
    return 0
