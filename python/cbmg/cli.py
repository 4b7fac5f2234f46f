"""`python -m cbmg PATH` / `cbmg PATH`: print or write the tables of a set of releases."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cbmg.corpus import TABLES, load

FORMATS = ("parquet", "csv", "json")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cbmg",
        description="Extract tables (documents, financials, trials, ...) from press releases.",
    )
    p.add_argument("paths", nargs="+", help="files or folders of .txt/.md releases")
    p.add_argument("--table", choices=TABLES, action="append", help="only this table (repeatable)")
    p.add_argument("--out", type=Path, help="write the tables to this folder instead of printing")
    p.add_argument("--format", choices=FORMATS, default="parquet", help="file format for --out")
    p.add_argument("--lexicon", type=Path, help="CSV of extra lexicon terms")
    p.add_argument("--rows", type=int, default=20, help="rows to print per table (default 20)")
    return p


def _printable(name: str, df):  # noqa: ANN001, ANN202 - polars is imported lazily
    # The full text and evidence make tables unreadable in a terminal; files keep them.
    drop = [c for c in ("text", "evidence") if c in df.columns]
    return df.drop(drop) if drop else df


def _write(df, path: Path, fmt: str) -> None:  # noqa: ANN001
    if fmt == "parquet":
        df.write_parquet(path)
    elif fmt == "csv":
        df.write_csv(path)
    else:
        df.write_ndjson(path)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        corpus = load(args.paths, lexicon=args.lexicon)
    except (OSError, ValueError) as err:
        print(f"cbmg: error: {err}", file=sys.stderr)
        return 2
    names = args.table or list(TABLES)
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            for name in names:
                ext = "ndjson" if args.format == "json" else args.format
                _write(corpus[name], args.out / f"{name}.{ext}", args.format)
        except OSError as err:
            print(f"cbmg: error: cannot write to {args.out}: {err}", file=sys.stderr)
            return 2
        print(f"wrote {', '.join(names)} ({args.format}) to {args.out}", file=sys.stderr)
        return 0
    import polars as pl

    with pl.Config(tbl_rows=args.rows, tbl_cols=-1, fmt_str_lengths=60, tbl_width_chars=200):
        for name in names:
            df = corpus[name]
            print(f"== {name} ({df.height} rows)")
            print(_printable(name, df))
            print()
    return 0
