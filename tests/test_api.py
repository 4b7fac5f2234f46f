"""The Python API: loading inputs, errors, skipped files, schema, pandas, encodings."""

import shutil
import subprocess
import sys

import polars as pl
import pytest

import cbmg
from cbmg import _core
from conftest import ROOT, SEEDS
from helpers import check_offsets

SCHEMA_TYPES = {
    "Utf8View": pl.String,
    "Date32": pl.Date,
    "Int64": pl.Int64,
    "Float64": pl.Float64,
    "Boolean": pl.Boolean,
}


def test_tables_dict_and_repr(seeds):
    tables = seeds.tables()
    assert list(tables) == list(cbmg.TABLES)
    assert all(isinstance(df, pl.DataFrame) for df in tables.values())
    assert "documents=5" in repr(seeds) and len(seeds) == 5


def test_schema_matches_engine_definition(seeds):
    for name, columns in _core.schemas():
        df = seeds[name]
        assert df.columns == [c for c, _, _ in columns], name
        for col, arrow_type, _ in columns:
            assert df.schema[col] == SCHEMA_TYPES[arrow_type], (name, col)


def test_empty_folder_gives_empty_tables_with_every_column(tmp_path):
    corpus = cbmg.load(tmp_path)
    for name, columns in _core.schemas():
        assert corpus[name].height == 0
        assert corpus[name].columns == [c for c, _, _ in columns]


def test_missing_path_raises_file_not_found(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(FileNotFoundError) as err:
        cbmg.load(missing)
    assert str(missing) in str(err.value)
    with pytest.raises(FileNotFoundError):
        cbmg.load([SEEDS, missing])


def test_bad_files_are_skipped_and_the_rest_load(tmp_path):
    shutil.copy(SEEDS / "003_ba854e28148c86bf.txt", tmp_path / "good.txt")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (tmp_path / "empty.md").write_text("   \n")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    corpus = cbmg.load(tmp_path)
    assert corpus.documents["doc_id"].to_list() == ["good"]
    skipped = dict(corpus.skipped.select(pl.col("path").str.extract(r"([^/\\]+)$"), "reason").iter_rows())
    assert skipped == {"empty.md": "empty", "image.txt": "binary", "report.pdf": "unsupported_format"}
    assert corpus.financials.height == 4


def test_list_of_files_and_nested_ids(tmp_path):
    nested = tmp_path / "2024" / "0513"
    nested.mkdir(parents=True)
    shutil.copy(SEEDS / "000_4b6bb74245fe6fd9.txt", nested / "slug.txt")
    assert cbmg.load(tmp_path).documents["doc_id"].to_list() == ["2024/0513/slug"]
    files = [SEEDS / "001_a8380c46732e7783.txt", nested / "slug.txt"]
    ids = cbmg.load(files).documents["doc_id"].to_list()
    assert ids == ["001_a8380c46732e7783", "slug"]


def test_windows_1252_and_unicode_punctuation(tmp_path):
    text = (
        "Acme Reports Results\n\nBOSTON, March 3, 2024 (GLOBE NEWSWIRE) \u2014 Acme Bio, Inc. "
        "(Nasdaq:\u00a0ACME) today reported results.\n\nNet loss for the quarter ended December 31, "
        "2023 was \u20ac4.2\u00a0million, compared to \u20ac3.1 million for the same period in 2022."
    )
    (tmp_path / "cp1252.txt").write_bytes(text.encode("windows-1252"))
    corpus = cbmg.load(tmp_path)
    doc = corpus.documents.row(0, named=True)
    assert doc["encoding"] == "windows-1252"
    assert doc["company"] == "Acme Bio" and doc["ticker"] == "ACME" and doc["wire"] == "GlobeNewswire"
    fin = corpus.financials.select("period", "value", "currency", "comparative").rows()
    assert fin == [("2023-Q4", 4.2e6, "EUR", False), ("2022-Q4", 3.1e6, "EUR", True)]
    check_offsets(corpus)


def test_user_lexicon(tmp_path):
    release = tmp_path / "r.txt"
    release.write_text(
        "BOSTON, May 1, 2024 /PRNewswire/ -- Zeta Bio (NASDAQ: ZETA) announced that the first "
        "patient was dosed in its Phase 1 trial of ZT-101 for frobnitz syndrome.\n"
    )
    lex = tmp_path / "terms.csv"
    lex.write_text("kind,term,canonical,abbreviation\nindication,frobnitz syndrome,Frobnitz Syndrome,FS\n")
    assert cbmg.load(release).trials["indication"].to_list() == [None]
    row = cbmg.load(release, lexicon=lex).trials.row(0, named=True)
    assert (row["indication"], row["indication_abbr"], row["status"]) == ("Frobnitz Syndrome", "FS", "dosing")
    lex.write_text("kind,term\nplanet,mars\n")
    with pytest.raises(cbmg.LexiconError, match="line 2"):
        cbmg.load(release, lexicon=lex)


def test_pandas_export(seeds):
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pdf = seeds.trials.to_pandas()
    assert len(pdf) == seeds.trials.height and "phase" in pdf.columns


def test_output_is_deterministic(seeds):
    again = cbmg.load(SEEDS)
    for name in cbmg.TABLES:
        assert again[name].equals(seeds[name]), name


def test_package_is_typed():
    assert (ROOT / "python" / "cbmg" / "py.typed").exists()
    assert (ROOT / "python" / "cbmg" / "_core.pyi").exists()


def test_polars_is_imported_on_first_table_access_only():
    code = (
        "import sys, cbmg\n"
        f"c = cbmg.load({str(SEEDS)!r})\n"
        "assert 'polars' not in sys.modules, 'load imported polars'\n"
        "assert len(c) == 5 and 'financials=4' in repr(c) and c.n_rows('quotes') > 0\n"
        "assert 'polars' not in sys.modules, 'repr imported polars'\n"
        "assert c.financials.height == 4 and 'polars' in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_unknown_table_name_says_which_exist(seeds):
    with pytest.raises(KeyError, match="the tables are documents, financials"):
        seeds["trial"]
