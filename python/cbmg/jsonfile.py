"""A table written as one JSON array of records, a batch at a time, that polars' and DuckDB's
default readers read back (``pl.read_json(path)``, ``read_json('path')``), empty tables too.

Readers infer each column's type from the first rows (polars: 100). A column that is null in
all of them is typed null, and a value further down then fails the read. So the rows that
first give each column a value are written first, and a table whose first batch left a column
without any value that a later batch has is rewritten in that order once complete.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


def values_first(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with, for each column, the first row holding a value moved to the top (at most
    one row per column, in their order); the other rows keep theirs."""
    import polars as pl

    firsts = sorted(
        {
            int(df.get_column(c).is_not_null().arg_true()[0])
            for c in df.columns
            if df.get_column(c).null_count() < df.height
        }
    )
    if not firsts:
        return df
    index = pl.Series("row", range(df.height))
    rest = index.filter(~index.is_in(firsts))
    return df[pl.Series(firsts).append(rest).to_list()]


class JsonArrayFile:
    """Writes ``path`` as ``[{...}, {...}, ...]``, batch by batch."""

    def __init__(self, path: Path, handle: IO[bytes]) -> None:
        self.path = path
        self.handle = handle
        self.rows = 0
        # Columns the written head gave no value: a value in a later batch needs a rewrite.
        self.untyped: set[str] | None = None
        self.rewrite = False
        handle.write(b"[")

    def write(self, df: pl.DataFrame) -> None:
        if df.height == 0:
            return
        if self.untyped is None:
            df = values_first(df)
            self.untyped = {c for c in df.columns if df.get_column(c).null_count() == df.height}
        elif any(df.get_column(c).null_count() < df.height for c in self.untyped):
            self.rewrite = True
        body = df.write_json().encode()
        # Each batch is its own array: its brackets go, a comma joins it to the last one.
        self.handle.write((b"," if self.rows else b"") + body[1:-1])
        self.rows += df.height

    def close(self) -> None:
        self.handle.write(b"]")
        self.handle.close()
        if self.rewrite:
            import polars as pl

            df = pl.read_json(self.path, infer_schema_length=None)
            tmp = self.path.with_name(self.path.name + ".sorting")
            values_first(df).write_json(tmp)
            os.replace(tmp, self.path)
