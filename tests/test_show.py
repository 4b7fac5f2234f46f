"""`Corpus._repr_html_` and `Corpus.show`: checked as HTML, and in a real browser (headless
Chromium from Debian's packages) which parses the page, keeps every highlighted span, and
takes a screenshot."""

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import cbmg
from cbmg.html_view import COLOURS

RELEASE = "003_ba854e28148c86bf"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class Marks(HTMLParser):
    """The text of every fact id's marks, and each fact's start and end."""

    def __init__(self):
        super().__init__()
        self.open: list[list[str]] = []
        self.text: dict[str, str] = {}
        self.spans: dict[str, tuple[int, int]] = {}
        self.tables: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "mark":
            self.open.append(a["data-facts"].split())
            self.tables.add(a["data-table"])
        elif tag == "li" and "data-fact" in a:
            self.spans[a["data-fact"]] = (int(a["data-start"]), int(a["data-end"]))

    def handle_endtag(self, tag):
        if tag == "mark":
            self.open.pop()

    def handle_data(self, data):
        for ids in self.open[-1:]:
            for i in ids:
                self.text[i] = self.text.get(i, "") + data


def check_marks(page: str, corpus, doc_id: str) -> Marks:
    marks = Marks()
    marks.feed(page)
    text = corpus.documents.filter(corpus.documents["doc_id"] == doc_id)["text"][0]
    facts = sum(corpus[t].filter(corpus[t]["doc_id"] == doc_id).height for t in COLOURS)
    assert len(marks.spans) == facts > 0
    for fact, (start, end) in marks.spans.items():
        assert marks.text[fact] == text[start:end], fact
    return marks


def test_show_marks_every_fact_span(seeds):
    view = seeds.show(RELEASE)
    marks = check_marks(view._repr_html_(), seeds, RELEASE)
    assert {"financials", "trials", "quotes"} <= marks.tables
    assert "<script" not in view.html and "http" not in view.html.split("<pre>")[0]
    # The row's values are the mark's tooltip.
    assert "phase: Phase 2" in view.html and "value: 15900000.0" in view.html


def test_show_some_tables_and_unknown_ids(seeds):
    view = seeds.show(RELEASE, tables=["financials"])
    assert view.n_facts == seeds.financials.filter(seeds.financials["doc_id"] == RELEASE).height
    with pytest.raises(KeyError):
        seeds.show("no-such-release")


def test_corpus_summary_html(seeds):
    page = seeds._repr_html_()
    for name in cbmg.TABLES:
        assert f"<b>{name}</b>" in page
    assert "5 documents" in page and "%" in page


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_in_a_real_browser(tmp_path, seeds):
    page = seeds.show(RELEASE).save(tmp_path / "release.html")
    profile = tmp_path / "profile"
    run = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*run, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    # The DOM as the browser built it holds every span, whole.
    check_marks(dom, seeds, RELEASE)
    shot = tmp_path / "release.png"
    subprocess.run(
        [*run, "--window-size=1100,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000, "a page of highlighted text, not a blank one"
    # To look at it: CBMG_SCREENSHOT_DIR=/some/folder pytest tests/test_show.py
    if os.environ.get("CBMG_SCREENSHOT_DIR"):
        shutil.copy(shot, Path(os.environ["CBMG_SCREENSHOT_DIR"]) / "show_release.png")
