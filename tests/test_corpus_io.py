"""A Corpus travels: pickled between processes (as Arrow IPC) and through Parquet files."""

import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import cbmg
from conftest import SEEDS


def test_pickle_round_trip_keeps_every_table_and_type(seeds):
    again = pickle.loads(pickle.dumps(seeds))
    assert list(again.tables()) == list(seeds.tables())
    for name, table in seeds.tables().items():
        assert again[name].schema == table.schema, name
        assert again[name].equals(table), name
    assert again.series().equals(seeds.series())


def _trial_rows(corpus):
    return corpus.trials.height


def test_a_corpus_crosses_to_another_process(seeds):
    # polars in a forked child of a process that has used it can deadlock: spawn, as polars
    # advises.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_trial_rows, seeds).result() == seeds.trials.height


def test_parquet_round_trip(tmp_path, seeds):
    paths = seeds.write_parquet(tmp_path / "tables")
    assert sorted(p.name for p in paths) == sorted(f"{n}.parquet" for n in cbmg.TABLES)
    again = cbmg.Corpus.read_parquet(tmp_path / "tables")
    for name in cbmg.TABLES:
        assert again[name].equals(seeds[name]), name


def test_read_parquet_of_some_tables_and_of_the_streaming_writer(tmp_path, seeds):
    cbmg.write_parquet(SEEDS, tmp_path, tables=["trials"])
    again = cbmg.Corpus.read_parquet(tmp_path)
    assert again.trials.equals(seeds.trials)
    # The tables left out are empty, with every column.
    assert again.financials.is_empty() and again.financials.columns == seeds.financials.columns
    assert again.financials.schema == seeds.financials.schema


def test_read_parquet_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        cbmg.Corpus.read_parquet(tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        cbmg.Corpus.read_parquet(tmp_path)


def test_scan_tells_its_total_and_progress():
    batches = cbmg.scan(SEEDS, batch_size=2)
    assert batches.total_files == 5 and len(batches) == 3 and batches.files_done == 0
    seen = [b.n_rows("documents") for b in batches]
    assert seen == [2, 2, 1] and batches.files_done == 5


def test_progress_bar_goes_to_the_stream(capsys):
    cbmg.load(SEEDS, progress=True)
    assert "5/5 files" in capsys.readouterr().err
    with pytest.raises(TypeError):
        cbmg.load(SEEDS, progress="yes")


def test_a_progress_callback_that_raises_stops_the_run(seeds):
    def stop(done, total, nbytes):
        raise RuntimeError("enough")

    # Long enough that the callback is called (every tenth of a second) before the end.
    texts = ["Acme Bio (Nasdaq: ACMB) started a Phase 2 trial of AB-1 in gout. " * 40] * 40_000
    with pytest.raises(RuntimeError, match="enough"):
        cbmg.extract(texts, progress=stop)
    # The engine is ready for the next run.
    assert cbmg.load(SEEDS).trials.equals(seeds.trials)
