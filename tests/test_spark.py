"""cbmg on a real local Spark session (`cbmg.spark`), and the README's Dask recipe: the tables
equal what `cbmg.extract` gives for the same texts."""

import os
import shutil
import sys

import polars as pl
import pytest

import cbmg
from conftest import SEEDS

pyspark = pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (.ci/run installs openjdk-17-jre-headless)")
    from pyspark.sql import SparkSession

    # The executors' Python is this one, which has cbmg.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cbmg-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def seed_texts():
    paths = sorted(SEEDS.glob("*.txt"))
    return [(p.stem, p.read_text(encoding="utf-8")) for p in paths]


def ordered(frame: pl.DataFrame) -> pl.DataFrame:
    keys = [c for c in ("doc_id", "start", "end", "rule", "path") if c in frame.columns]
    return frame.sort(keys)


def test_every_table_through_spark(spark, seed_texts):
    from cbmg.spark import extract_tables

    df = spark.createDataFrame(seed_texts, "id string, text string").repartition(1)
    tables = extract_tables(df, id_col="id")
    expected = cbmg.extract([t for _, t in seed_texts], ids=[i for i, _ in seed_texts])
    assert set(tables) == set(cbmg.TABLES)
    for name, sdf in tables.items():
        got = pl.from_arrow(sdf.toArrow())
        want = expected[name]
        assert got.columns == want.columns, name
        assert got.height == want.height, name
        assert ordered(got).equals(ordered(want).cast(got.schema)), name


def test_default_ids_and_some_tables(spark, seed_texts):
    from cbmg.spark import extract_tables

    df = spark.createDataFrame([(t,) for _, t in seed_texts], "body string")
    tables = extract_tables(df, text_col="body", tables=["documents", "trials"])
    assert set(tables) == {"documents", "trials"}
    documents = tables["documents"].select("doc_id").toPandas()
    assert documents["doc_id"].nunique() == len(seed_texts)
    with pytest.raises(ValueError):
        extract_tables(df, tables=["nope"])


def test_dask_recipe(seed_texts):
    dd = pytest.importorskip("dask.dataframe")
    import pandas as pd

    # The README's recipe, as written there.
    def trials_of(part: pd.DataFrame) -> pd.DataFrame:
        return cbmg.extract(part["text"].tolist(), ids=part["id"].astype(str).tolist()).trials.to_pandas()

    meta = cbmg.extract([]).trials.to_pandas()
    texts = pd.DataFrame(seed_texts, columns=["id", "text"])
    trials = dd.from_pandas(texts, npartitions=2).map_partitions(trials_of, meta=meta).compute()

    expected = cbmg.extract(texts["text"].tolist(), ids=texts["id"].tolist()).trials
    got = pl.from_pandas(trials.reset_index(drop=True))
    assert got.height == expected.height
    assert sorted(got["doc_id"].to_list()) == sorted(expected["doc_id"].to_list())
