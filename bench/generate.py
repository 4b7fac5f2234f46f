"""Write a deterministic corpus of synthetic biotech press releases for benchmarks.

Releases vary wire, dateline and date style, currency, issuer, phase wording and results
phrasing, so the extractor does the same work it does on real releases. The text is original
(templates written for cbmg), not copied from any release.

    python bench/generate.py OUT_DIR --count 10000 [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

COMPANIES = [
    ("Aurora Cell Therapeutics", "NASDAQ", "AURC"),
    ("Beacon Oncology", "NYSE", "BCON"),
    ("Cedar Regenerative Medicine", "NYSE American", "CDRM"),
    ("Delta Gene Sciences", "Nasdaq", "DGSI"),
    ("Everest Biopharma", "HKEX", "2171"),
    ("Fjord Immunotherapies", "OTCQB", "FJRD"),
    ("Granite Bio", "NASDAQ", "GRNB"),
    ("Harbor Antibody Labs", "Nasdaq", "HABL"),
]
PLACES = [
    "BOSTON, Mass.",
    "SAN DIEGO, Calif.",
    "SHANGHAI, China",
    "ROCKVILLE, Md.",
    "CAMBRIDGE, England",
    "NEW YORK",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WIRES = [
    "/PRNewswire/ --",
    "(GLOBE NEWSWIRE) --",
    "(BUSINESS WIRE) --",
    "(ACCESSWIRE) /",
    "(NEWMEDIAWIRE) -",
    "-",
]
PRODUCTS = ["AC-101", "BX-2204", "CAR-419", "DG-7", "EV-88", "FJ-310", "GR-12", "HA-455"]
TARGETS = ["BCMA", "CD19", "CD20", "GPC3", "Claudin 18.2", "HER2", "MSLN", "CD7"]
MODALITIES = [
    "CAR-T",
    "TCR-T",
    "antibody-drug conjugate",
    "bispecific antibody",
    "mesenchymal stem cell",
    "small molecule",
]
INDICATIONS = [
    ("Multiple Myeloma", "MM"),
    ("Diffuse Large B-cell Lymphoma", "DLBCL"),
    ("Hepatocellular Carcinoma", "HCC"),
    ("Knee Osteoarthritis", "KOA"),
    ("non-small cell lung cancer", "NSCLC"),
    ("Acute Myeloid Leukemia", "AML"),
    ("glioblastoma", "GBM"),
]
PHASES = [
    "Phase 1",
    "Phase I",
    "Phase 1b",
    "Phase 2",
    "Phase II",
    "Phase IIb",
    "Phase 1/2",
    "Phase I/II",
    "Phase 3",
    "Phase III",
]
STATUS = [
    "dosed the first patient in",
    "initiated",
    "completed enrollment in",
    "received IND clearance from the FDA for",
    "announced that the NMPA accepted its IND for",
    "plans to initiate",
]
CURRENCIES = [("$", "USD"), ("RMB ", "CNY"), ("\u20ac", "EUR")]
BOILERPLATE = (
    "Forward-Looking Statements\n\nThis press release contains forward-looking statements within the meaning of the "
    "Private Securities Litigation Reform Act of 1995. Words such as \u201cmay,\u201d \u201cwill,\u201d "
    "\u201cexpects\u201d and \u201cplans\u201d identify such statements, which involve risks and uncertainties. "
    "Actual results could differ materially. The Company undertakes no obligation to update them.\n"
)


def _date(rng: random.Random, year: int) -> tuple[str, int, int]:
    month, day = rng.randrange(12), rng.randint(1, 28)
    style = rng.randrange(3)
    if style == 0:
        return f"{MONTHS[month]} {day}, {year}", month, day
    if style == 1:
        return f"{SHORT[month]} {day}, {year}", month, day
    return f"{day} {MONTHS[month]} {year}", month, day


def release(rng: random.Random, i: int) -> str:
    name, exchange, ticker = rng.choice(COMPANIES)
    year = rng.randint(2016, 2025)
    when, _, _ = _date(rng, year)
    product, target = rng.choice(PRODUCTS), rng.choice(TARGETS)
    modality = rng.choice(MODALITIES)
    indication, abbr = rng.choice(INDICATIONS)
    phase = rng.choice(PHASES)
    sym, _ = rng.choice(CURRENCIES)
    q = rng.randint(1, 3)
    quarter_end = ["March 31", "June 30", "September 30"][q - 1]
    loss, prior = rng.randint(20, 900) / 10, rng.randint(20, 900) / 10
    nine, nine_prior = loss * 2.6, prior * 2.4
    rd, ga = rng.randint(10, 500) / 10, rng.randint(10, 200) / 10
    cash = rng.randint(100, 9000) / 10
    enroll = rng.randint(12, 400)
    quote_person = rng.choice(["Jane Doe, Ph.D.", "John Roe, M.D.", "Wei Zhang", "Maria Rossi"])
    title_kind = rng.randrange(3)
    if title_kind == 0:
        title = f"{name} Reports {['First', 'Second', 'Third'][q - 1]} Quarter {year} Financial Results"
    elif title_kind == 1:
        title = f"{name} Announces {rng.choice(STATUS).split(' ')[0].title()} {phase} Trial of {product} in {indication}"
    else:
        title = f"{name} to Present {product} Data at Upcoming Medical Meeting"
    paragraphs = [
        title,
        f"{rng.choice(PLACES)}, {when} {rng.choice(WIRES)} {name}, Inc. ({exchange}: {ticker}), a clinical-stage "
        f"biopharmaceutical company developing {modality} therapies, today {rng.choice(STATUS)} its {phase} "
        f"clinical trial of {product}, an anti-{target} {modality}, in patients with relapsed or refractory "
        f"{indication} ({abbr}) in the United States and China.",
        f"The {phase} study will enroll approximately {enroll} patients at sites in the U.S. and Europe. "
        f"\u201cThis is an important step for patients with {indication},\u201d said {quote_person}, Chief "
        f"Executive Officer of {name}. \u201cWe look forward to sharing data.\u201d",
        f"Financial Results for the Quarter Ended {quarter_end}, {year}",
        f"Net loss for the quarter and nine months ended {quarter_end}, {year} was {sym}{loss:.1f} million and "
        f"{sym}{nine:.1f} million, respectively, compared to {sym}{prior:.1f} million and {sym}{nine_prior:.1f} "
        f"million for the same periods in {year - 1}.",
        f"Research and development expenses were {sym}{rd:.1f} million for the three months ended {quarter_end}, "
        f"{year}, compared to {sym}{rd * 0.8:.1f} million for the same period in {year - 1}. General and "
        f"administrative expenses were {sym}{ga:.1f} million.",
        f"Cash, cash equivalents and short-term investments were {sym}{cash:.1f} million as of {quarter_end}, {year}.",
        f"About {name}\n\n{name} is developing {modality} therapies for {indication} and other diseases. "
        f"Its lead candidate {product} is in a {phase} trial. Learn more at www.example.com/{ticker.lower()}.",
        BOILERPLATE,
        f"Media Contact:\n{quote_person}\n+1 555-{i % 10000:04d}\nmedia@example.com",
    ]
    return "\n\n".join(paragraphs) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", type=Path)
    p.add_argument("--count", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(args.count):
        text = release(rng, i)
        ext = ".md" if i % 3 == 0 else ".txt"
        path = args.out / f"{i // 1000:03d}" / f"release_{i:06d}{ext}"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    print(f"wrote {args.count} releases, {total / 1e6:.1f} MB, to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
