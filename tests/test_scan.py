"""Streaming: `cbmg.scan` batches, `cbmg.write_parquet`, and the CLI writing a batch at a time."""

import subprocess
import sys
import threading
import time

import polars as pl
import pytest

import cbmg
from cbmg.cli import _prefetched
from conftest import SEEDS
from helpers import check_offsets


def concat(batches, name):
    return pl.concat([b[name] for b in batches], how="vertical")


def test_batches_together_equal_one_load(seeds):
    batches = list(cbmg.scan(SEEDS, batch_size=2))
    assert [len(b) for b in batches] == [2, 2, 1]
    for name in cbmg.TABLES:
        got = concat(batches, name)
        assert got.schema == seeds[name].schema, name
        # Product spellings are unified per batch; the seeds spell each product one way.
        assert got.equals(seeds[name]), name
    for b in batches:
        check_offsets(b)


def test_one_batch_is_exactly_load(seeds):
    (only,) = list(cbmg.scan(SEEDS, batch_size=100))
    for name in cbmg.TABLES:
        assert only[name].equals(seeds[name]), name


def test_empty_folder_yields_one_empty_batch_with_every_table(tmp_path, seeds):
    (batch,) = list(cbmg.scan(tmp_path))
    for name in cbmg.TABLES:
        assert batch[name].height == 0
        assert batch[name].schema == seeds[name].schema


def test_a_bad_file_is_skipped_in_its_batch_only(tmp_path):
    (tmp_path / "a.txt").write_text("Net loss was $3.2 million for the third quarter of 2019.")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (tmp_path / "c.txt").write_text("Acme Inc. started a Phase 2 trial in patients with asthma.")
    batches = list(cbmg.scan(tmp_path, batch_size=1))
    assert [len(b) for b in batches] == [1, 0, 1]
    assert batches[1].skipped["reason"].to_list() == ["binary"]
    assert batches[0].financials.height == 1 and batches[2].trials.height == 1


def test_bad_arguments_raise_before_reading(tmp_path):
    with pytest.raises(FileNotFoundError):
        cbmg.scan(tmp_path / "missing")
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size"):
            cbmg.scan(SEEDS, batch_size=bad)
    with pytest.raises(ValueError, match="no table named"):
        cbmg.write_parquet(SEEDS, tmp_path, tables=["trial"])


def test_write_parquet_equals_load(tmp_path, seeds):
    docs, skipped = cbmg.write_parquet(SEEDS, tmp_path / "all", batch_size=2)
    assert (docs, skipped) == (5, 0)
    for name in cbmg.TABLES:
        assert pl.read_parquet(tmp_path / "all" / f"{name}.parquet").equals(seeds[name]), name
    cbmg.write_parquet(SEEDS, tmp_path / "some", tables=["trials", "quotes"])
    assert sorted(p.name for p in (tmp_path / "some").iterdir()) == ["quotes.parquet", "trials.parquet"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "cbmg", *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize(("fmt", "ext"), [("parquet", "parquet"), ("csv", "csv"), ("json", "json")])
def test_cli_writes_every_batch(tmp_path, seeds, fmt, ext):
    out = run(SEEDS, "--out", tmp_path, "--format", fmt, "--batch-size", "2")
    assert out.returncode == 0, out.stderr
    assert "for 5 documents (0 skipped)" in out.stderr
    read = {"parquet": pl.read_parquet, "csv": pl.read_csv, "json": pl.read_json}[ext]
    for name in ("documents", "financials", "trials", "quotes"):
        df = read(tmp_path / f"{name}.{ext}")
        assert df.height == seeds[name].height, name
        got, want = df["doc_id"].to_list(), seeds[name]["doc_id"].to_list()
        # JSON puts first the rows that give each column its first value (see cbmg.jsonfile).
        assert sorted(got) == sorted(want) if fmt == "json" else got == want, name


def test_cli_rejects_a_zero_batch_size(tmp_path):
    out = run(SEEDS, "--out", tmp_path, "--batch-size", "0")
    assert out.returncode == 2 and "batch-size" in out.stderr and "Traceback" not in out.stderr


def test_cli_writes_csv_a_batch_ahead_what_one_load_gives(tmp_path, seeds):
    # Three batches: the second and third are extracted while the one before is written. (Of
    # one file each, `Rejoin` and `ReJoin` would stay two spellings: they are unified per batch.)
    out = run(SEEDS, "--out", tmp_path, "--format", "csv", "--batch-size", "2")
    assert out.returncode == 0, out.stderr
    for name in cbmg.TABLES:
        got = pl.read_csv(tmp_path / f"{name}.csv", schema=seeds[name].schema)
        assert got.equals(seeds[name]), name


def counting(n, produced):
    """0, 1, ... n - 1, each noted in `produced` as it is made."""
    for i in range(n):
        produced.append(i)
        yield i


def test_prefetching_keeps_order_and_runs_at_most_one_ahead():
    produced = []
    got = []
    for item in _prefetched(counting(6, produced)):
        time.sleep(0.02)  # time for the thread to run ahead, if it would
        assert len(produced) <= item + 2, produced  # the item in use and the next one
        got.append(item)
    assert got == list(range(6))


def test_prefetching_raises_the_error_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise cbmg.CbmgError("cannot read batch 3")

    got = []
    with pytest.raises(cbmg.CbmgError, match="batch 3"):
        for item in _prefetched(items()):
            got.append(item)
    assert got == [1, 2]


def test_prefetching_stops_when_the_caller_does():
    produced = []
    before = set(threading.enumerate())
    prefetch = _prefetched(counting(100, produced))
    assert next(prefetch) == 0
    prefetch.close()  # a write failed, say
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=5)
        assert not thread.is_alive(), thread.name
    assert len(produced) <= 3, produced
