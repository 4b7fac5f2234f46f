"""Scores the documents table and the trials table against hand-annotated real releases.

    python bench/accuracy.py releases dev         # the development half: misses may be read
    python bench/accuracy.py releases test        # the test half: scored only
    python bench/accuracy.py releases dev --why   # every miss and extra

The truth is `bench/truth/releases/{dev,test}.jsonl` (conventions in bench/truth/README.md):
per release its issuer, date, listing, wire and kind, and every trial it mentions with a phase.

Documents: each field is right when cbmg's value equals the annotated one after normal forms
(a company without legal suffix, case and punctuation; a wire's spelling). Trials: cbmg's rows
of one release are taken as distinct (phase, product, indication) triples, as the schema counts
trials (annotated trials alike in all three count once); one matches an annotated trial when the phase is the same, the product is the trial's
product or one of its other names (both absent counts), and the indication is its disease or
abbreviation (both absent counts). Each annotated trial is matched at most once. The trial's
company is scored on the matched ones, and an annotated trial of another company that cbmg
files under the issuer is counted apart: that must never happen.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import cbmg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from financial_accuracy import CACHE, doc_id, releases_folder  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "bench" / "truth" / "releases"
DOC_FIELDS = ("date", "company", "ticker", "exchange", "wire", "kind")

LEGAL = re.compile(
    r"[,.]?\s+(inc|incorporated|corp|corporation|ltd|limited|plc|llc|co|n\.?v|s\.?a|ag|se|lp)\.?$",
    re.IGNORECASE,
)
SPELLING = (
    ("tumour", "tumor"),
    ("leukaem", "leukem"),
    ("anaem", "anem"),
    ("ischaem", "ischem"),
    ("oesophag", "esophag"),
    ("haem", "hem"),
    ("oedem", "edem"),
    ("paediatr", "pediatr"),
)


def read_truth(half: str) -> list[dict]:
    return [json.loads(line) for line in (TRUTH / f"{half}.jsonl").read_text().splitlines() if line.strip()]


def norm_company(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip()
    while True:
        shorter = LEGAL.sub("", name).strip().rstrip(",")
        if shorter == name:
            break
        name = shorter
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]", "", name.lower()) or None


def norm_word(value: str | None) -> str | None:
    """Lower case, letters and digits only: `News Direct` = `Newsdirect`, `NYSE American` =
    `NYSE AMERICAN`, `24-7PressRelease` = `247PressRelease`."""
    if value is None:
        return None
    return re.sub(r"[^0-9a-z]", "", str(value).lower()) or None


def norm_name(value: str | None) -> str | None:
    """A product or disease name, for comparison: case, marks, spacing, British spelling and a
    final plural do not count."""
    if not value:
        return None
    v = unicodedata.normalize("NFKD", value.lower().replace("®", "").replace("™", ""))
    for british, american in SPELLING:
        v = v.replace(british, american)
    v = re.sub(r"[^0-9a-z]", "", v)
    return v.removesuffix("s") or None


def doc_value(field: str, value):
    if value is None:
        return None
    if field == "date":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if field == "company":
        return norm_company(value)
    return norm_word(value)


def indications(trial: dict) -> set[str]:
    """The names the annotated trial's disease may be given by: its name, its parts when it
    names two ("A and B"), its abbreviation."""
    out = set()
    name = trial.get("indication")
    if name:
        out.add(norm_name(name))
        for part in re.split(r"\s+and\s+|\s*/\s*|\s*,\s*", name):
            out.add(norm_name(part))
    if trial.get("indication_abbr"):
        out.add(norm_name(trial["indication_abbr"]))
    out.discard(None)
    return out


def products(trial: dict) -> set[str]:
    names = [trial.get("product"), *(trial.get("product_aliases") or [])]
    return {n for n in map(norm_name, names) if n}


def distinct_trials(trials: list[dict]) -> list[dict]:
    """The annotated trials a table can tell apart: "three Phase 2 trials of X in Y" is
    annotated as three, and the schema counts trials by (phase, product, indication), so
    trials alike in all three are one."""
    out: list[dict] = []
    seen: set[tuple] = set()
    for t in trials:
        key = (t["phase"], frozenset(products(t)), frozenset(indications(t)))
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def trial_matches(pred: tuple, trial: dict) -> bool:
    phase, product, indication = pred
    if phase != trial["phase"]:
        return False
    want_products, want_indications = products(trial), indications(trial)
    product_ok = (product is None and not want_products) or product in want_products
    indication_ok = (indication is None and not want_indications) or indication in want_indications
    return product_ok and indication_ok


def score(corpus: cbmg.Corpus, truth: list[dict]) -> dict:
    docs = {r["doc_id"]: r for r in corpus.documents.iter_rows(named=True)}
    fields = {f: Counter() for f in DOC_FIELDS}
    trials = Counter()
    details: list[tuple] = []
    trial_table = corpus.trials
    if "company" not in trial_table.columns:  # an engine before the column: all the issuer's
        trial_table = trial_table.join(corpus.documents.select("doc_id", "company"), on="doc_id", how="left")
    trial_rows = trial_table.select(
        "doc_id", "phase", "product", "indication", "indication_abbr", "company", "evidence"
    )
    by_doc: dict[str, list[dict]] = {}
    for r in trial_rows.iter_rows(named=True):
        by_doc.setdefault(r["doc_id"], []).append(r)
    for release in truth:
        did = doc_id(release["doc"])
        got = docs.get(did, {})
        for f in DOC_FIELDS:
            want = doc_value(f, release["documents"].get(f))
            have = doc_value(f, got.get(f))
            c = fields[f]
            c["expected"] += want is not None
            c["predicted"] += have is not None
            c["matched"] += want is not None and want == have
            if want != have:
                details.append((release["doc"], f"documents.{f}", release["documents"].get(f), got.get(f)))
        issuer = norm_company(got.get("company"))
        # Distinct trials of the release, each with the companies cbmg gives it.
        predicted: dict[tuple, set] = {}
        for r in by_doc.get(did, []):
            key = (r["phase"], norm_name(r["product"]), norm_name(r["indication"]))
            predicted.setdefault(key, set()).add(norm_company(r["company"]))
        expected = distinct_trials(release["trials"])
        unmatched = list(range(len(expected)))
        trials["expected"] += len(expected)
        trials["predicted"] += len(predicted)
        for key, companies in predicted.items():
            hit = next((i for i in unmatched if trial_matches(key, expected[i])), None)
            if hit is None:
                details.append((release["doc"], "trials.extra", key, sorted(c or "" for c in companies)))
                continue
            unmatched.remove(hit)
            trials["matched"] += 1
            want_company = norm_company(expected[hit].get("company")) or norm_company(
                release["documents"].get("company")
            )
            trials["company_right"] += want_company in companies and len(companies) == 1
            if expected[hit].get("company") and issuer in companies:
                trials["other_company_as_issuer"] += 1
                details.append((release["doc"], "trials.other_as_issuer", key, expected[hit]["company"]))
        # Denied or excluded phases ("omitting Phase 1 and Phase 2 trials") that the annotator
        # quoted word for word: a row whose sentence holds the quote and its phase is a row
        # from a denial.
        for no_row in release.get("no_row", []):
            if no_row.get("why") not in ("denied", "excluded"):
                continue
            quote = no_row["text"].lower()
            rows_here = [r for r in by_doc.get(did, []) if quote in r["evidence"].lower().replace("’", "'")]
            if rows_here or quote in (got.get("text") or "").lower().replace("’", "'"):
                trials["denials_checked"] += 1
                phases = {p.lower() for p in re.findall(r"phase\s+\w+", quote)}
                trials["rows_from_denials"] += sum(
                    1 for r in rows_here if r["phase"].lower() in {normal_phase(p) for p in phases}
                )
        for i in unmatched:
            t = expected[i]
            details.append(
                (
                    release["doc"],
                    "trials.missed",
                    (t["phase"], t["product"], t["indication"]),
                    t.get("company"),
                )
            )
    return {"fields": fields, "trials": trials, "details": details}


ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def normal_phase(written: str) -> str:
    """`phase ii` -> `phase 2`, to compare a quote's phase with a row's."""
    word = written.split()[-1]
    return f"phase {ROMAN.get(word, word)}"


def prf(c: Counter) -> tuple[float, float, float]:
    p = c["matched"] / c["predicted"] if c["predicted"] else 1.0
    r = c["matched"] / c["expected"] if c["expected"] else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main(argv: list[str]) -> int:
    half = argv[0] if argv and argv[0] in ("dev", "test") else "dev"
    truth = read_truth(half)
    folder = releases_folder([t["doc"] for t in truth], cache=CACHE.parent / "releases")
    corpus = cbmg.load(folder)
    result = score(corpus, truth)
    print(f"{len(truth)} releases, {half} half")
    print(
        f"{'field':<10}{'expected':>9}{'predicted':>10}{'matched':>9}{'precision':>11}{'recall':>8}{'F1':>7}"
    )
    for name, c in [*result["fields"].items(), ("trials", result["trials"])]:
        p, r, f = prf(c)
        print(
            f"{name:<10}{c['expected']:>9}{c['predicted']:>10}{c['matched']:>9}{p:>11.3f}{r:>8.3f}{f:>7.3f}"
        )
    t = result["trials"]
    print(f"trials with the right company: {t['company_right']} of {t['matched']} matched")
    print(f"another company's trial filed under the issuer: {t['other_company_as_issuer']}")
    print(
        f"rows from denied or excluded phases: {t['rows_from_denials']} ({t['denials_checked']} quoted word for word)"
    )
    if "--why" in argv:
        if half == "test":
            print("(--why is for the development half: test misses are not read)")
            return 0
        for row in result["details"]:
            print(*row, sep="\t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
