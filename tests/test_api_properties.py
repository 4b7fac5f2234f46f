"""Properties of the Python API on generated folders (Hypothesis): whatever a folder holds, a
load accounts for every file, gives each its own id, keeps every offset sound, and gives the
same tables every time and however it is batched."""

import shutil
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cbmg
from conftest import SEEDS
from helpers import check_offsets

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]

# Pieces of release text and of what breaks it, for texts that reach the rules.
PIECES = [
    "Net loss for the quarter ended June 30, 2024 was $4.2 million. ",
    "The Phase 2 trial of AB-101 in lymphoma is ongoing. ",
    "Acme (NASDAQ: ACME) today announced ",
    '"We are pleased," said Jo Li, CEO. ',
    "BOSTON, May 2, 2024 /PRNewswire/ -- ",
    "a license agreement with Beta Pharma AG ",
    "\n",
    "\n\n",
    "<p>",
    "</p>",
    "\u00a0",
    "\u201c",
    "\ufffd",
    "\u0000",
    "$",
    "(",
]

texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.tuples(st.sampled_from(SEED_TEXTS), st.integers(0, 20_000)).map(lambda t: t[0][: t[1]]),
)
names = st.from_regex(r"[A-Za-z0-9._~ -]{1,12}", fullmatch=True).filter(lambda n: n not in {".", ".."})
extensions = st.sampled_from([".txt", ".md", ".html", ".htm", ".pdf", ""])
folders = st.lists(st.tuples(names, extensions, texts), min_size=1, max_size=8)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def write_folder(files) -> Path:
    root = Path(tempfile.mkdtemp(prefix="cbmg-props-"))
    written = set()
    for i, (name, ext, text) in enumerate(files):
        # Some files one folder down, so ids carry a folder too.
        folder = root / "sub" if i % 3 == 2 else root
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}{ext}"
        if path.name.lower() in written or path.is_dir():
            continue
        written.add(path.name.lower())
        path.write_text(text, encoding="utf-8")
    return root


def file_count(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


@SETTINGS
@given(folders)
def test_every_file_is_read_or_skipped_under_its_own_id_with_sound_offsets(files):
    root = write_folder(files)
    try:
        corpus = cbmg.load(root)
        assert corpus.documents.height + corpus.skipped.height == file_count(root)
        ids = corpus.documents["doc_id"].to_list()
        assert len(ids) == len(set(ids))
        check_offsets(corpus)
    finally:
        shutil.rmtree(root)


@SETTINGS
@given(folders, st.integers(1, 4))
def test_a_load_is_the_same_every_time_and_in_any_batches(files, batch_size):
    root = write_folder(files)
    try:
        first, again = cbmg.load(root), cbmg.load(root)
        batches = list(cbmg.scan(root, batch_size=batch_size))
        for name in cbmg.TABLES:
            assert first[name].equals(again[name]), name
            together = pl.concat([b[name] for b in batches], how="vertical")
            # Product spellings are unified per batch, so products may differ by batch.
            drop = [c for c in ("product",) if c in together.columns]
            assert together.drop(drop).equals(first[name].drop(drop)), name
    finally:
        shutil.rmtree(root)
