"""cbmg at scale: a folder of releases repeated to about a million documents, extracted by local
Spark through `cbmg.spark` and by cbmg alone, every table written to Parquet both ways.

    python bench/spark.py /tmp/archive --copies 41 --work /tmp/cbmg-spark-bench

The folder is repeated as hard links (`copy_NN/...`, no extra disk space), and its texts are
also written once to a Parquet file of (id, text), the input a Spark user would have. Three
runs, each timed from start to the last Parquet file written:

- `load` (only when asked, `--runs load`): one `cbmg.load` of every file, held in memory;
- `cbmg.write_parquet(files)`: the files on disk, a batch at a time (memory follows the batch);
- `cbmg.extract` over the Parquet file's row groups, each batch's tables written to Parquet;
- Spark `local[N]` (N = cores): `extract_tables` on the Parquet file, each table written with
  `DataFrame.write.parquet`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import polars as pl


def repeat_as_links(source: Path, folder: Path, copies: int) -> int:
    files = [p for p in source.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html")]
    if folder.exists():
        return sum(1 for p in folder.rglob("*") if p.is_file())
    for k in range(copies):
        for path in files:
            target = folder / f"copy_{k:02d}" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)
    return len(files) * copies


def texts_parquet(source: Path, out: Path, copies: int, row_group: int) -> int:
    if out.exists():
        return pl.scan_parquet(out).select(pl.len()).collect().item()
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".html"))
    ids = [str(p.relative_to(source).with_suffix("")) for p in files]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    frame = pl.DataFrame({"id": ids, "text": texts})
    frame = pl.concat([frame.with_columns(id=pl.lit(f"copy_{k:02d}/") + pl.col("id")) for k in range(copies)])
    frame.write_parquet(out, row_group_size=row_group)
    return frame.height


def run_load(folder: Path, out: Path) -> float:
    """One `cbmg.load` of every file, held in memory (its peak RSS is printed)."""
    import resource

    import cbmg

    start = time.perf_counter()
    corpus = cbmg.load(folder)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"load: {len(corpus):,} documents, peak RSS {peak:.1f} GB", flush=True)
    return seconds


def run_files(folder: Path, out: Path) -> float:
    import cbmg

    start = time.perf_counter()
    cbmg.write_parquet(folder, out, batch_size=20_000)
    return time.perf_counter() - start


def run_extract(parquet: Path, out: Path) -> float:
    import pyarrow.parquet as pq

    import cbmg

    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    reader = pq.ParquetFile(parquet)
    for i in range(reader.num_row_groups):
        batch = reader.read_row_group(i)
        corpus = cbmg.extract(batch.column("text"), ids=batch.column("id").to_pylist())
        corpus.write_parquet(out / f"batch_{i:04d}")
    return time.perf_counter() - start


def run_spark(parquet: Path, out: Path, cores: int) -> float:
    from pyspark.sql import SparkSession

    from cbmg.spark import extract_tables

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.ui.enabled", "false")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.driver.memory", "8g")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000")
        .getOrCreate()
    )
    start = time.perf_counter()
    tables = extract_tables(spark.read.parquet(str(parquet)), id_col="id")
    for name, frame in tables.items():
        frame.write.mode("overwrite").parquet(str(out / name))
    seconds = time.perf_counter() - start
    spark.stop()
    return seconds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("source", type=Path, help="a folder of releases (the archive)")
    p.add_argument("--copies", type=int, default=41, help="times the folder is repeated (41: ~1M)")
    p.add_argument("--work", type=Path, default=Path("/tmp/cbmg-spark-bench"))
    p.add_argument("--runs", default="files,extract,spark", help="which runs, comma-separated")
    args = p.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    n_files = repeat_as_links(args.source, args.work / "files", args.copies)
    n_texts = texts_parquet(args.source, args.work / "texts.parquet", args.copies, 20_000)
    print(f"{n_files:,} files, {n_texts:,} texts, {cores} cores", flush=True)
    runs = {
        "load": lambda: run_load(args.work / "files", args.work / "out_load"),
        "files": lambda: run_files(args.work / "files", args.work / "out_files"),
        "extract": lambda: run_extract(args.work / "texts.parquet", args.work / "out_extract"),
        "spark": lambda: run_spark(args.work / "texts.parquet", args.work / "out_spark", cores),
    }
    for name in args.runs.split(","):
        out = args.work / f"out_{name}"
        shutil.rmtree(out, ignore_errors=True)
        seconds = runs[name]()
        print(f"{name:8} {seconds:8.1f} s  {n_texts / seconds:10,.0f} docs/s", flush=True)


if __name__ == "__main__":
    main()
