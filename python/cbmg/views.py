"""What the views across releases (`series.py`, `pipeline.py`) share: the order of releases in
time, the most frequent spelling of a name, and a DataFrame of their declared columns."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl


def release_order(doc_date: datetime.date | None, doc_id: str) -> tuple[bool, datetime.date, str]:
    """Sort key of a release in time. Undated releases count as the oldest, so an unknown date
    never makes a figure or a phase the latest."""
    return (doc_date is not None, doc_date or datetime.date.min, doc_id)


def most_common(counter: Counter[Any]) -> Any:
    """The most frequent value, the smallest of equals so the choice never depends on order;
    None when there is none."""
    if not counter:
        return None
    top = max(counter.values())
    return min(k for k, n in counter.items() if n == top)


def frame(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> pl.DataFrame:
    """``rows`` as a DataFrame of ``columns`` ((name, polars type name) pairs), with every
    column even when there are no rows."""
    import polars as pl

    types: dict[str, pl.DataType | type[pl.DataType]] = {
        "String": pl.String,
        "Date": pl.Date,
        "Float64": pl.Float64,
        "Boolean": pl.Boolean,
        "Int64": pl.Int64,
        "List[String]": pl.List(pl.String),
        "List[Date]": pl.List(pl.Date),
    }
    schema = {name: types[kind] for name, kind in columns}
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
