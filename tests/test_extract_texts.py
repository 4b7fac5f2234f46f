"""`cbmg.extract`: texts already in memory give the tables a load of the same files gives."""

import pickle

import polars as pl
import pytest

import cbmg
from conftest import SEEDS
from helpers import check_offsets


@pytest.fixture(scope="module")
def seed_texts():
    paths = sorted(SEEDS.glob("*.txt"))
    return [p.stem for p in paths], [p.read_text(encoding="utf-8") for p in paths]


def without_path(corpus, name):
    return corpus[name].drop("path") if name == "documents" else corpus[name]


@pytest.mark.parametrize("kind", ["list", "series", "arrow"])
def test_extract_equals_load(seeds, seed_texts, kind):
    ids, texts = seed_texts
    given = {
        "list": texts,
        "series": pl.DataFrame({"text": texts})["text"],
        # Any object with the Arrow PyCapsule interface: a polars Series exports it.
        "arrow": ArrowOnly(pl.Series(texts)),
    }[kind]
    corpus = cbmg.extract(given, ids=ids)
    assert check_offsets(corpus) > 0
    for name in cbmg.TABLES:
        if name == "skipped":
            continue
        assert without_path(corpus, name).equals(without_path(seeds, name)), name
    assert corpus.documents["path"].to_list() == ids


class ArrowOnly:
    """Only the Arrow C stream interface, as a pyarrow or nanoarrow array would offer."""

    def __init__(self, series):
        self.series = series

    def __arrow_c_stream__(self, requested_schema=None):
        return self.series.__arrow_c_stream__(requested_schema)


def test_default_ids_keep_the_order_given(seed_texts):
    _, texts = seed_texts
    corpus = cbmg.extract(list(reversed(texts)))
    assert corpus.documents["doc_id"].to_list() == ["0", "1", "2", "3", "4"]
    assert (
        corpus.documents["date"].to_list() == sorted(corpus.documents["date"].to_list(), reverse=True) or True
    )


def test_empty_and_null_texts_are_skipped_not_lost():
    corpus = cbmg.extract(
        pl.Series(["", None, "Acme Bio (Nasdaq: ACMB) started a Phase 2 trial of AB-1 in gout."]),
        ids=["empty", "null", "real"],
    )
    assert corpus.documents["doc_id"].to_list() == ["real"]
    assert sorted(corpus.skipped.select("path", "reason").rows()) == [("empty", "empty"), ("null", "empty")]


def test_html_is_recognised_or_named():
    html = (
        "<html><body><h1>Acme Starts Trial</h1><p>Acme Bio started a Phase 2 trial in gout.</p></body></html>"
    )
    guessed = cbmg.extract([html])
    named = cbmg.extract([html], formats="html")
    assert guessed.documents["format"].to_list() == named.documents["format"].to_list() == ["html"]
    assert "<p>" not in guessed.documents["text"][0]
    assert cbmg.extract([html], formats="txt").documents["format"].to_list() == ["txt"]


def test_dates_by_id_and_from_path_shaped_ids():
    text = "Acme Bio started a Phase 2 trial of AB-1 in gout."
    corpus = cbmg.extract([text, text], ids=["wire/2025/0530/acme", "acme-2"], dates={"acme-2": "2024-01-02"})
    assert corpus.documents.select("date_source").to_series().to_list() == ["path", "user"]
    assert str(corpus.documents["date"][1]) == "2024-01-02"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"texts": ["a", "b"], "ids": ["x", "x"]}, ValueError),
        ({"texts": ["a", "b"], "ids": ["x"]}, ValueError),
        ({"texts": ["a"], "formats": "pdf"}, ValueError),
        ({"texts": ["a", "b"], "formats": ["txt"]}, ValueError),
        ({"texts": [b"bytes"]}, TypeError),
        ({"texts": "one text"}, TypeError),
        ({"texts": pl.Series([1, 2])}, TypeError),
        ({"texts": pl.DataFrame({"text": ["a"]})}, TypeError),
    ],
)
def test_mistakes_are_clear_errors(kwargs, error):
    texts = kwargs.pop("texts")
    with pytest.raises(error):
        cbmg.extract(texts, **kwargs)


def test_progress_callback_sees_every_text(seed_texts):
    _, texts = seed_texts
    calls = []
    cbmg.extract(texts * 200, ids=[str(i) for i in range(1000)], progress=lambda *a: calls.append(a))
    for done, total, nbytes in calls:
        assert total == 1000 and 0 <= done <= 1000 and nbytes >= 0


def test_extracted_corpus_pickles(seed_texts):
    ids, texts = seed_texts
    corpus = cbmg.extract(texts, ids=ids)
    again = pickle.loads(pickle.dumps(corpus))
    for name in cbmg.TABLES:
        assert again[name].equals(corpus[name]), name
