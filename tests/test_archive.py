"""The whole archive of 24,636 real releases of every industry (../shared/corpus/archive.tar.xz):
it loads without a skipped file, and releases with no biomedical word yield no trial and no
regulatory step (the golf-course check)."""

import re
import tarfile

import polars as pl
import pytest

import cbmg
from conftest import ROOT
from helpers import check_pipeline, check_series

ARCHIVE = ROOT.parent / "shared" / "corpus" / "archive.tar.xz"
BIOMEDICAL = re.compile(
    r"(?i)\b(clinical|patients?|fda|therap\w+|drug|pharma\w*|biotech\w*|trials?|oncology|disease|vaccine|medical)\b"
)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    if not ARCHIVE.exists():
        pytest.skip(f"the archive is not at {ARCHIVE} (only in the project workspace)")
    folder = tmp_path_factory.mktemp("archive")
    with tarfile.open(ARCHIVE) as tar:
        tar.extractall(folder, filter="data")
    return cbmg.load(folder)


def test_every_release_loads(archive):
    assert archive.documents.height >= 24_600
    assert archive.skipped.height == 0


def test_no_trial_or_regulatory_step_outside_biomedicine(archive):
    texts = archive.documents.select("doc_id", "text")
    other = [doc_id for doc_id, text in texts.iter_rows() if not BIOMEDICAL.search(text)]
    assert len(other) > 15_000
    for table in ("trials", "regulatory"):
        leaked = archive[table].filter(pl.col("doc_id").is_in(other))
        assert leaked.height == 0, leaked.select("doc_id", "evidence").head(5).rows()


def test_views_across_releases(archive):
    # One row per key, every disagreement beyond rounding flagged, derived rows only where
    # no release states the period; programs folded from their mentions.
    series = check_series(archive)
    assert series.height > 500 and series["conflict"].sum() > 0 and series["derived"].sum() > 0
    pipeline = check_pipeline(archive)
    assert 0 < pipeline.height < archive.trials.height / 2
