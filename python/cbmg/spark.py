"""cbmg on Spark: a DataFrame of texts in, one Spark DataFrame per table out.

Each partition's Arrow batches go through :func:`cbmg.extract` inside ``mapInArrow`` (Arrow in,
Arrow out, no row objects). Extraction runs once: every table of a batch is written as Arrow
IPC into one intermediate DataFrame, kept with ``persist()``, and each table is read out of it.

>>> from cbmg.spark import extract_tables
>>> tables = extract_tables(spark.read.parquet("filings/"), text_col="text", id_col="accession")
>>> tables["financials"].groupBy("metric").count().show()

Needs ``pyspark`` (and the ``pyarrow`` it uses for Arrow) on the driver and the executors, and
cbmg installed on the executors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from cbmg.corpus import TABLES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

#: Arrow type names of the engine's columns, as Spark types.
_SPARK_TYPES = {
    "Utf8": "string",
    "LargeUtf8": "string",
    "Utf8View": "string",
    "Int64": "bigint",
    "Int32": "int",
    "Float64": "double",
    "Boolean": "boolean",
    "Date32": "date",
}

_ID = "__cbmg_id"


def _columns(table: str) -> list[tuple[str, str, bool]]:
    from cbmg import _core

    for name, columns in _core.schemas():
        if name == table:
            return columns
    raise ValueError(f"no table named {table!r}; the tables are {', '.join(TABLES)}")


def spark_schema(table: str) -> str:
    """The Spark DDL schema of one of cbmg's tables (``"doc_id string, ..."``)."""
    return ", ".join(f"`{col}` {_SPARK_TYPES[kind]}" for col, kind, _ in _columns(table))


def _arrow_schema(table: str) -> Any:
    """The Arrow schema Spark expects for that DDL: plain strings, not views."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "bigint": pa.int64(),
        "int": pa.int32(),
        "double": pa.float64(),
        "boolean": pa.bool_(),
        "date": pa.date32(),
    }
    return pa.schema(
        [pa.field(col, types[_SPARK_TYPES[kind]], nullable) for col, kind, nullable in _columns(table)]
    )


def extract_tables(
    df: DataFrame,
    *,
    text_col: str = "text",
    id_col: str | None = None,
    format: str | None = None,
    tables: Iterable[str] | None = None,
) -> dict[str, DataFrame]:
    """Extracts every table from a Spark DataFrame of texts.

    Args:
        df: a DataFrame with a string column of texts.
        text_col: that column's name.
        id_col: a column of unique ids, each text's ``doc_id`` (default: Spark's
            ``monotonically_increasing_id``, as a string).
        format: ``"txt"``, ``"md"`` or ``"html"`` for every text; by default a text that opens
            with an HTML tag is HTML.
        tables: the tables wanted (default all).

    Returns:
        ``{table name: Spark DataFrame}`` with cbmg's columns and types. Nothing runs until an
        action asks; the extraction is then done once for all tables (the intermediate result
        is persisted). Product spellings are unified within each Arrow batch, not across the
        DataFrame.
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    names = list(tables or TABLES)
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise ValueError(f"no table named {unknown[0]!r}; the tables are {', '.join(TABLES)}")
    ids = F.col(id_col).cast("string") if id_col else F.monotonically_increasing_id().cast("string")
    texts = df.select(ids.alias(_ID), F.col(text_col).cast("string").alias("text"))

    def extract_batches(batches: Iterator[Any]) -> Iterator[Any]:
        return _extract_batches(batches, names, format)

    extracted = texts.mapInArrow(extract_batches, "table string, ipc binary").persist(
        StorageLevel.MEMORY_AND_DISK
    )
    out = {}
    for name in names:
        target = _arrow_schema(name)

        def decode(batches: Iterator[Any], target: Any = target) -> Iterator[Any]:
            return _decode_batches(batches, target)

        out[name] = extracted.filter(F.col("table") == name).mapInArrow(decode, spark_schema(name))
    return out


def _extract_batches(batches: Iterator[Any], names: list[str], format: str | None) -> Iterator[Any]:
    """On an executor: each batch of (id, text) to one row per table, its rows as Arrow IPC."""
    import pyarrow as pa

    import cbmg

    for batch in batches:
        if batch.num_rows == 0:
            continue
        corpus = cbmg.extract(batch.column("text"), ids=batch.column(_ID).to_pylist(), formats=format)
        payloads = []
        for name in names:
            table = corpus[name].to_arrow()
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            payloads.append(sink.getvalue().to_pybytes())
        yield pa.RecordBatch.from_arrays(
            [pa.array(names, pa.string()), pa.array(payloads, pa.binary())], names=["table", "ipc"]
        )


def _decode_batches(batches: Iterator[Any], target: Any) -> Iterator[Any]:
    """On an executor: the IPC payloads of one table back to Arrow batches of its schema."""
    import pyarrow as pa

    for batch in batches:
        for payload in batch.column("ipc").to_pylist():
            table = pa.ipc.open_stream(payload).read_all()
            yield from table.cast(target).to_batches()
