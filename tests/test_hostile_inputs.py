"""Inputs a hostile or careless folder holds: none may crash, hang or lose another release."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import cbmg
from conftest import ROOT, SEEDS
from helpers import check_offsets

# Each case runs in a child process with a time limit: a hang fails the test instead of the run.
TIMEOUT_S = 60


def run_child(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=TIMEOUT_S
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_fifo_in_a_folder_or_given_is_skipped_not_read(tmp_path):
    shutil.copy(SEEDS / "003_ba854e28148c86bf.txt", tmp_path / "good.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    code = (
        "import sys, cbmg\n"
        "c = cbmg.load(sys.argv[1])\n"
        "print(c.documents.height, sorted(c.skipped['reason']))\n"
        "c = cbmg.load([sys.argv[2], sys.argv[3]])\n"
        "print(c.documents.height, sorted(c.skipped['reason']))\n"
    )
    out = run_child(code, str(tmp_path), str(tmp_path / "pipe.txt"), str(tmp_path / "good.txt"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["1 ['not_a_file']", "1 ['not_a_file']"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_fifo_or_device_as_lexicon_is_an_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "terms.csv")
    os.symlink("/dev/zero", tmp_path / "zero.csv")
    code = (
        "import sys, cbmg\n"
        "for lex in sys.argv[2:]:\n"
        "    try:\n"
        "        cbmg.load(sys.argv[1], lexicon=lex)\n"
        "    except cbmg.LexiconError as e:\n"
        "        print('error:', 'not a regular file' in str(e))\n"
    )
    out = run_child(code, str(SEEDS), str(tmp_path / "terms.csv"), str(tmp_path / "zero.csv"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["error: True", "error: True"]


# Deep spans overflowed the stack of the walk; deep block elements took time with the square
# of the depth in the parser (200,000 divs: minutes).
@pytest.mark.parametrize(("tag", "depth"), [("span", 12_000), ("div", 200_000), ("section", 200_000)])
def test_deeply_nested_html_loads(tmp_path, tag, depth):
    body = f"<{tag}>" * depth + "The Phase 2 trial of AB-12 enrolled 40 patients." + f"</{tag}>" * depth
    (tmp_path / "deep.html").write_text(f"<html><body>{body}</body></html>")
    out = run_child(
        "import sys, cbmg; c = cbmg.load(sys.argv[1]); print(c.trials['phase'].to_list())",
        str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['Phase 2']"


@pytest.mark.parametrize(
    "text",
    [
        "Acme Bio initiated the Phase\n1 trial of AB-12 in patients with psoriasis.",
        "Acme Bio initiated the Phase\n\n1 trial of AB-12 in patients with psoriasis.",
    ],
)
def test_phase_across_a_line_break_is_one_trial_not_a_lost_release(tmp_path, text):
    (tmp_path / "wrapped.txt").write_text(text)
    corpus = cbmg.load(tmp_path)
    assert corpus.skipped.height == 0
    assert corpus.trials["phase"].to_list() == ["Phase 1"]
    row = corpus.trials.row(0, named=True)
    assert corpus.documents["text"][0][row["start"] : row["end"]].startswith("Phase")


def test_partner_beside_an_accented_letter_is_not_a_lost_release(tmp_path):
    (tmp_path / "odd.txt").write_text(
        "Acme signed a collaboration agreement with C  and  R\u00e3partnership."
    )
    corpus = cbmg.load(tmp_path)
    assert corpus.skipped.height == 0 and corpus.documents.height == 1


# Texts whose work once grew with the square of their length (each took minutes, or never
# finished): the same mention repeated through megabytes of one document. Each is sized so that
# the old work would overrun the child's time limit many times over; linear work takes seconds.
DENSE_TEXTS = {
    "listings": "(NASDAQ: CBMG) " * 400_000,
    "marked_brands": "".join(f"Brand{i}\u00ae " for i in range(300_000)),
    "partners": "entered into a license agreement with Acme Pharma and " * 240_000,
    "conference_acronyms": "ASCO " * 1_000_000,
    "agencies": "FDA " * 1_000_000,
    "trial_rows": "The Phase 2 trial of AB-101 in lymphoma is ongoing. " * 120_000,
    "quotations": '"We are pleased," said Jo Li, CEO. ' * 450_000,
}


@pytest.mark.parametrize("kind", sorted(DENSE_TEXTS))
def test_dense_mentions_in_one_long_text_take_linear_time(tmp_path, kind):
    (tmp_path / f"{kind}.txt").write_text(DENSE_TEXTS[kind])
    # Spans are checked against their evidence here; `check_offsets` also places each evidence
    # in the text, which for a text of one sentence repeated is itself quadratic.
    code = (
        "import sys, cbmg\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from helpers import FACT_TABLES\n"
        "c = cbmg.load(sys.argv[1])\n"
        "text = c.documents['text'][0]\n"
        "ok = all(0 <= r['start'] < r['end'] <= len(text)\n"
        "         and text[r['start']:r['end']] in r['evidence']\n"
        "         for t in FACT_TABLES for r in c[t].iter_rows(named=True))\n"
        "print(c.documents.height, c.skipped.height, ok)\n"
    )
    out = run_child(code, str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "0", "True"]


def test_a_lexicon_of_many_terms_and_a_text_of_a_million_mentions_load(tmp_path):
    terms = [f"synthetic disorder {i}" for i in range(150_000)]
    (tmp_path / "terms.csv").write_text(
        "kind,term,canonical,abbreviation\n" + "".join(f"indication,{t},,\n" for t in terms)
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "many.txt").write_text(" and ".join(terms[:100] * 10_000))
    code = (
        "import sys, cbmg\n"
        "c = cbmg.load(sys.argv[1], lexicon=sys.argv[2])\n"
        "print(c.documents.height, c.skipped.height)\n"
    )
    out = run_child(code, str(docs), str(tmp_path / "terms.csv"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "0"]


@pytest.fixture(scope="module")
def many_releases(tmp_path_factory):
    """A folder of the test releases linked a thousand times over (60,000 files): a load of it
    takes seconds, time enough to be stopped."""
    root = tmp_path_factory.mktemp("many")
    sources = sorted((ROOT / "tests" / "data" / "releases").glob("*.txt"))
    for i in range(1000):
        folder = root / f"{i:04d}"
        folder.mkdir()
        for src in sources:
            os.link(src, folder / src.name)
    return root


def interrupted(args, *, wait_s, after_line=None):
    """Runs `args`, sends Ctrl-C `wait_s` after it starts (or prints `after_line`), and returns
    its exit code, output and errors."""
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if after_line is not None:
            assert child.stdout.readline().strip() == after_line
        time.sleep(wait_s)
        child.send_signal(signal.SIGINT)
        stdout, stderr = child.communicate(timeout=TIMEOUT_S)
    finally:
        child.kill()
    return child.returncode, stdout, stderr


STOPPABLE = {
    "load": "cbmg.load(sys.argv[1])",
    "scan": "sum(1 for _ in cbmg.scan(sys.argv[1], batch_size=100_000))",
    "write_parquet": "cbmg.write_parquet(sys.argv[1], sys.argv[2])",
}


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("call", sorted(STOPPABLE))
def test_ctrl_c_stops_a_long_call_with_keyboard_interrupt(many_releases, tmp_path, call):
    out = tmp_path / "out"
    out.mkdir()
    (out / "trials.parquet").write_bytes(b"a previous run's table")
    code = (
        "import sys, time, cbmg\n"
        "print('start', flush=True)\n"
        "t = time.perf_counter()\n"
        "try:\n"
        f"    {STOPPABLE[call]}\n"
        "    print('finished', flush=True)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', time.perf_counter() - t, flush=True)\n"
    )
    returncode, stdout, stderr = interrupted(
        [sys.executable, "-c", code, str(many_releases), str(out)], after_line="start", wait_s=0.5
    )
    assert returncode == 0, stderr
    assert stdout.split()[0] == "interrupted", stdout
    # The previous run's file is untouched and no partial file is left beside it.
    assert sorted(p.name for p in out.iterdir()) == ["trials.parquet"]
    assert (out / "trials.parquet").read_bytes() == b"a previous run's table"


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_ends_the_cli_with_130_and_no_traceback(many_releases, tmp_path):
    out = tmp_path / "out"
    returncode, _, stderr = interrupted(
        [sys.executable, "-m", "cbmg", str(many_releases), "--out", str(out)], wait_s=1.0
    )
    assert returncode == 130, stderr
    assert "Traceback" not in stderr
    assert not (out.exists() and list(out.iterdir())), "nothing half-written is left"


def test_dot_files_are_read_and_hidden_folders_have_a_skipped_row(tmp_path):
    text = (SEEDS / "003_ba854e28148c86bf.txt").read_text()
    (tmp_path / "2025").mkdir()
    (tmp_path / "2025" / ".md").write_text(text)
    (tmp_path / ".DS_Store").write_bytes(b"Bud1\x00\x00\x10\x00")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text(text)
    corpus = cbmg.load(tmp_path)
    assert corpus.documents.select("doc_id", "format").rows() == [("2025/.md", "md")]
    reasons = dict((os.path.basename(p), r) for p, r in corpus.skipped.select("path", "reason").rows())
    assert reasons == {".DS_Store": "unsupported_format", ".git": "hidden_folder"}


def test_two_files_never_share_an_id(tmp_path):
    text = (SEEDS / "003_ba854e28148c86bf.txt").read_text()
    for name in ("x.html", "x.md", "x~md2.txt"):
        (tmp_path / name).write_text(text if name != "x.html" else f"<p>{text}</p>")
    ids = cbmg.load(tmp_path).documents["doc_id"].to_list()
    assert len(ids) == 3 and len(set(ids)) == 3, ids


def test_a_lexicon_with_a_quote_left_open_is_an_error(tmp_path):
    lexicon = tmp_path / "terms.csv"
    lexicon.write_text('kind,term\nindication,gout\nindication,"frobnitz\ntarget,ZZZ9\n')
    with pytest.raises(cbmg.LexiconError, match="line 3.*not closed"):
        cbmg.load(SEEDS, lexicon=lexicon)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_write_parquet_into_a_read_only_folder_is_a_permission_error(tmp_path):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(PermissionError) as err:
            cbmg.write_parquet(SEEDS, out)
        assert err.value.errno == 13
    finally:
        out.chmod(0o700)


def test_write_parquet_errors_say_write_and_carry_the_errno(tmp_path):
    # A file where the output folder should be: the folder cannot be made.
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    with pytest.raises(OSError) as err:
        cbmg.write_parquet(SEEDS, blocker / "out")
    assert err.value.errno is not None
    assert "cannot write" in str(err.value) and "cannot read" not in str(err.value)
    assert err.value.filename == str(blocker / "out")


def test_write_parquet_without_an_output_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OSError, match="no output folder given"):
        cbmg.write_parquet(SEEDS, "")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("width", [60, 72, 80])
@pytest.mark.parametrize("folder", ["seeds", "tests/data/releases"])
def test_hard_wrapped_releases_give_the_same_figures_steps_and_phases(tmp_path, folder, width):
    # Fixed-width exhibits and text wires wrap prose at 60-80 columns, anywhere in a sentence:
    # inside a date, an amount, a phase or a disease's name.
    sources = sorted((ROOT / folder).glob("*.txt"))
    for src in sources:
        lines = [
            textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
            if len(line) > width
            else line
            for line in src.read_text(encoding="utf-8").split("\n")
        ]
        (tmp_path / src.name).write_text("\n".join(lines), encoding="utf-8")
    plain, wrapped = cbmg.load(sources), cbmg.load(tmp_path)
    assert wrapped.skipped.height == 0
    for table, columns in {
        "financials": ["doc_id", "metric", "value", "period_end"],
        "regulatory": ["doc_id", "agency", "action"],
        "trials": ["doc_id", "phase"],
    }.items():
        assert set(wrapped[table].select(columns).rows()) == set(plain[table].select(columns).rows()), table
    check_offsets(wrapped)
