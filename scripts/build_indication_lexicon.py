"""Build data/indications_ontology.csv, a lexicon of disease names from the Human Disease Ontology.

The Human Disease Ontology (DO, CC0 1.0) lives in ../shared/ontology/ beside the repository:
HumanDO.tsv gives every disease's id, label and parent label, and four OBO subsets give
EXACT/RELATED/NARROW/BROAD synonyms and is_a parents. This script keeps the names that are safe
to match as whole phrases anywhere in press-release prose (the extractor matches every synonym
that way, so precision matters more than coverage) and writes them in the format of
data/indications.csv. That hand-made file wins: a disease it already names is left out, and
abbreviations are curated there only.

How it works:
  1. Every DO class of HumanDO.tsv is read, with the EXACT synonyms and is_a parents of the OBO
     files; obsolete OBO terms are left out.
  2. A class that data/indications.csv already names (its label or an EXACT synonym equals one of
     that file's names or synonyms, ignoring case, hyphens, possessives and British spellings) is
     dropped.
  3. Groupings rather than diseases are dropped: classes with BROAD_DESCENDANTS or more descendant
     classes, and classes with a generic name (GENERIC_NAMES, or an organ or body system followed
     by a generic head: "liver disease", "kidney benign neoplasm"), unless on KEEP_CLASSES; and
     every class below EXCLUDED_BRANCHES (allergies to a chemical or drug, paraphilias).
  4. Each label and EXACT synonym left must pass the term filters: no punctuation, codes or
     series numbers, qualifiers such as NOS, at most MAX_WORDS words and at least MIN_CHARS
     characters, no acronyms, nothing on ORDINARY_PHRASES, and the one-word rule: a single word
     is kept only when it is unmistakably a disease name (DISEASE_SUFFIXES or
     SINGLE_WORD_DISEASES) and not on DENY_WORDS.
  5. The label names the row, in Title Case; when the label fails a term filter, the first
     surviving EXACT synonym without an acronym in it does. A class with no name left is dropped.
  6. Every name and synonym gets its British/American, possessive, hyphen, "type I"/"type 1" and
     plural variants; a synonym that two rows share goes to the row it names, or to neither.

Run it from anywhere:

    python scripts/build_indication_lexicon.py [--check] [--verbose] [--ontology DIR]

Without --check it writes data/indications_ontology.csv and prints what each filter dropped and
the one-word names kept. With --check it writes nothing: it matches the self-test phrases of
CHECK_FOUND and CHECK_NOT_FOUND against the lexicon it would write (and against
data/indications.csv), checks that the file on disk is up to date, and exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ONTOLOGY = ROOT.parent / "shared" / "ontology"
HAND_MADE = ROOT / "data" / "indications.csv"
OUTPUT = ROOT / "data" / "indications_ontology.csv"
SCRIPT = "scripts/build_indication_lexicon.py"
CURATION_FILE = ROOT / "data" / "indication_curation.txt"


def read_curation(path: Path) -> dict[str, frozenset[str]]:
    """The sections of the curation file: ``[name]`` lines, then entries parted by commas."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is None:
            raise ValueError(f"{path}: an entry before any [section]: {raw!r}")
        else:
            current.update(e.strip() for e in line.split(",") if e.strip())
    return {name: frozenset(entries) for name, entries in sections.items()}


CURATION = read_curation(CURATION_FILE)

TSV_FILE = "HumanDO.tsv"
OBO_FILES = (
    "DO_cancer_slim.obo",
    "NCIthesaurus.obo",
    "DO_rare_slim.obo",
    "DO_infectious_disease_slim.obo",
)
HEADER = ("name", "abbreviation", "synonyms", "abbreviation_needs_definition", "generic")

# fmt: off
MAX_WORDS = 6
MIN_CHARS = 4
BROAD_DESCENDANTS = 20
ACRONYM_MAX_CHARS = 6

FORBIDDEN_CHARS = frozenset(",;()[]{}/\\|:+&_.?!*=<>\"#%@")
QUALIFIER_WORDS = frozenset({"nos", "unspecified", "obsolete", "unclassified"})
QUALIFIER_PHRASES = ("not otherwise specified", "not elsewhere classified")
NUMBER_CONTEXT_WORDS = frozenset({
    "type", "trisomy", "monosomy", "tetrasomy", "chromosome", "component", "factor", "complex",
    "grade", "stage", "class", "group",
})
# Words that narrow a disease to a stage, severity, age or line of treatment: with one of them
# before a disease the hand-made file names, a class is that disease, not another.
QUALIFIERS_OF_A_CASE = frozenset({
    "severe", "mild", "moderate", "adult", "childhood", "pediatric", "paediatric", "recurrent",
    "refractory", "relapsed", "metastatic", "advanced", "early", "localized", "locally",
    "resectable", "unresectable", "stage", "critical",
})
SMALL_WORDS = frozenset({"of", "and", "the", "in", "with", "to", "by", "a", "an", "or", "for", "on", "at"})

DISEASE_SUFFIXES = (
    "itis", "oma", "emia", "aemia", "osis", "pathy", "plasia", "algia", "iasis", "ectasia",
    "trophy", "penia", "cytosis", "uria", "rrhea", "rrhoea", "ism",
)

SINGLE_WORD_DISEASES = CURATION["single_word_diseases"]

DENY_WORDS = CURATION["deny_words"]

ORDINARY_PHRASES = CURATION["ordinary_phrases"]

GENERIC_NAMES = CURATION["generic_names"]

GENERIC_NAME_PATTERNS = (
    re.compile(r"^(disease|disorder)s? of\b"),
    re.compile(r"\b(metabolism|metabolic) (disease|disorder)$"),
    re.compile(r"\bby infectious agent$"),
)
GROUPING_SUFFIX = " infectious disease"

GENERIC_HEADS = ("benign neoplasm", "neoplasm", "disease", "disorder", "diseases", "disorders")
ANATOMY_WORDS = CURATION["anatomy_words"]

KEEP_CLASSES = CURATION["keep_classes"]

ALLERGY = "allergy to a chemical or drug"
EXCLUDED_BRANCHES = {
    # Every class below these is left out, for the reason given.
    "allergic contact dermatitis": ALLERGY,
    "drug allergy": ALLERGY,
    "respiratory allergy": ALLERGY,
    "metal allergy": ALLERGY,
    "photoallergic dermatitis": ALLERGY,
    "isocyanates allergic asthma": ALLERGY,
    "paraphilia disorder": "paraphilia (never an indication; words of crime news)",
}
CHEMICAL_ALLERGY_LABEL = re.compile(r".+ (allergic contact dermatitis|allergic asthma)$")

SPELLINGS = (
    # (American, British, pattern before the American stem): the stem anywhere in a word
    # ("lymphedema"), or at its start only where the pattern says so.
    ("tumor", "tumour", ""),
    ("leukemi", "leukaemi", ""),
    ("anemi", "anaemi", ""),
    ("ischemi", "ischaemi", ""),
    ("hemorrhag", "haemorrhag", ""),
    ("edema", "oedema", r"(?<![oa])"),
    ("esophag", "oesophag", r"\b"),
    ("hematolog", "haematolog", r"\b"),
    ("pediatric", "paediatric", r"\b"),
)
HYPHEN_VARIANTS = (
    (re.compile(r"\b([a-z]{1,2})-cell\b"), r"\1 cell"),
    (re.compile(r"\b([a-z]{1,2}) cell\b"), r"\1-cell"),
    (re.compile(r"\bnon-small\b"), "non small"),
    (re.compile(r"\bnon small\b"), "non-small"),
    # Compound modifiers prose writes with a hyphen and the ontology with a space, or back.
    (re.compile(r"\b(open|closed|end|late|early|high|low|small|large|triple) (angle|stage|onset|grade|cell|negative)\b"), r"\1-\2"),
    (re.compile(r"\b(open|closed|end|late|early|high|low|small|large|triple)-(angle|stage|onset|grade|cell|negative)\b"), r"\1 \2"),
    (re.compile(r"\b(castration|treatment|drug|steroid|hormone) (resistant|refractory|sensitive|dependent)\b"), r"\1-\2"),
)
ROMAN_TYPES = (("i", "1"), ("ii", "2"), ("iii", "3"), ("iv", "4"), ("v", "5"))
EPONYM_HEADS = frozenset({"disease", "syndrome", "palsy", "sarcoma", "lymphoma"})

TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ",
})

CHECK_FOUND = (
    "COVID-19",
    "critical limb ischemia",
    "chronic lumbar disc disease",
    "leptomeningeal tumours",
    "gastric adenocarcinoma",
    "pancreatic adenocarcinoma",
    "amyotrophic lateral sclerosis",
    "glioblastoma",
    "triple-negative breast cancer",
    "idiopathic pulmonary fibrosis",
    "hepatocellular carcinoma",
    "duchenne muscular dystrophy",
    "parkinson's disease",
)
CHECK_NOT_IN_DO = frozenset({"chronic lumbar disc disease", "leptomeningeal tumours"})
CHECK_NOT_FOUND = (
    "the company",
    "in the clinic",
    "cold storage",
    "pain point",
    "shock absorber",
    "a depression in the market",
    "stroke of luck",
)
# fmt: on


@dataclass
class Disease:
    doid: str
    label: str
    parents: set[str] = field(default_factory=set)
    synonyms: list[str] = field(default_factory=list)
    all_synonyms: list[str] = field(default_factory=list)


@dataclass
class Hierarchy:
    descendants: dict[str, int]
    excluded: dict[str, str]


@dataclass
class Row:
    doid: str
    name: str
    synonyms: list[str]


@dataclass
class Report:
    classes: int = 0
    obsolete: int = 0
    dropped: Counter = field(default_factory=Counter)
    terms_dropped: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))
    promoted: int = 0
    variants: int = 0


# Reading ------------------------------------------------------------------------------------


def clean(text: str) -> str:
    """The text with typographic quotes and dashes folded as the extractor folds them."""
    return " ".join(text.translate(TYPOGRAPHY).split())


def release_name(ontology: Path) -> str:
    readme = (ontology / "README.md").read_text(encoding="utf-8")
    match = re.search(r"release of (\d{4}-\d{2}-\d{2})", readme)
    if not match:
        sys.exit(f"{ontology / 'README.md'} names no release ('release of YYYY-MM-DD')")
    return match.group(1)


def read_tsv(path: Path) -> tuple[dict[str, Disease], dict[str, list[str]]]:
    """The diseases of HumanDO.tsv and, for each, the labels of its parents."""
    diseases: dict[str, Disease] = {}
    parent_labels: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            doid = row["id"].strip()
            diseases.setdefault(doid, Disease(doid, clean(row["label"])))
            parent_labels[doid].append(clean(row["subClassOf"]))
    return diseases, parent_labels


SYNONYM_LINE = re.compile(r'^synonym: "((?:[^"\\]|\\.)*)" (EXACT|RELATED|NARROW|BROAD)\b')


def read_obo(path: Path) -> list[dict]:
    """The [Term] stanzas of an OBO file: id, name, is_a ids, synonyms by scope, obsolete."""
    terms: list[dict] = []
    term: dict | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            term = {"is_a": [], "synonyms": [], "obsolete": False} if line == "[Term]" else None
            if term is not None:
                terms.append(term)
            continue
        if term is None:
            continue
        if line.startswith("id: "):
            term["id"] = line[4:].strip()
        elif line.startswith("name: "):
            term["name"] = clean(line[6:])
        elif line.startswith("is_a: "):
            term["is_a"].append(line[6:].split("!")[0].strip())
        elif line.startswith("is_obsolete: true"):
            term["obsolete"] = True
        elif match := SYNONYM_LINE.match(line):
            text = clean(match.group(1).replace('\\"', '"'))
            term["synonyms"].append((text, match.group(2)))
    return terms


def read_ontology(ontology: Path, report: Report) -> dict[str, Disease]:
    diseases, parent_labels = read_tsv(ontology / TSV_FILE)
    id_of = {d.label: d.doid for d in diseases.values()}
    obsolete: set[str] = set()
    for name in OBO_FILES:
        for term in read_obo(ontology / name):
            doid = term.get("id", "")
            if term["obsolete"]:
                obsolete.add(doid)
                continue
            id_of.setdefault(term.get("name", ""), doid)
            disease = diseases.get(doid)
            if disease is None:
                continue
            disease.parents.update(term["is_a"])
            for text, scope in term["synonyms"]:
                if text not in disease.all_synonyms:
                    disease.all_synonyms.append(text)
                if scope == "EXACT" and text not in disease.synonyms:
                    disease.synonyms.append(text)
    for doid, labels in parent_labels.items():
        diseases[doid].parents.update(id_of[p] for p in labels if p in id_of)
    report.obsolete = len(obsolete & set(diseases))
    for doid in obsolete:
        diseases.pop(doid, None)
    report.classes = len(diseases)
    return diseases


def read_hand_made(path: Path) -> dict[str, list[str]]:
    """Each name of data/indications.csv with its synonyms (the name first), as written."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    entries: dict[str, list[str]] = {}
    for row in csv.DictReader(lines):
        name = row["name"].strip()
        synonyms = [s.strip() for s in (row.get("synonyms") or "").split("|") if s.strip()]
        entries.setdefault(name, []).extend([name.lower(), *synonyms])
    return entries


# Hierarchy ----------------------------------------------------------------------------------


def descendant_counts(diseases: dict[str, Disease]) -> dict[str, int]:
    children: dict[str, set[str]] = defaultdict(set)
    for disease in diseases.values():
        for parent in disease.parents:
            children[parent].add(disease.doid)

    @cache
    def below(doid: str) -> frozenset[str]:
        found: set[str] = set()
        for child in children[doid]:
            found.add(child)
            found |= below(child)
        return frozenset(found)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    return {doid: len(below(doid)) for doid in diseases}


def ancestors(doid: str, diseases: dict[str, Disease]) -> set[str]:
    seen: set[str] = set()
    stack = list(diseases[doid].parents)
    while stack:
        parent = stack.pop()
        if parent not in seen and parent in diseases:
            seen.add(parent)
            stack.extend(diseases[parent].parents)
    return seen


# Term filters -------------------------------------------------------------------------------


def collision_key(term: str) -> str:
    """A term reduced so that spelling variants of one name compare equal."""
    key = fold_accents(clean(term)).lower()
    key = american(key)
    key = re.sub(r"'s\b|'", "", key)
    key = re.sub(r"\btumors\b", "tumor", key)
    key = re.sub(r"\bmellitus\b", "", key)
    return " ".join(key.replace("-", " ").split())


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_code_token(token: str, previous: str) -> bool:
    """A token that numbers or codes a disease rather than naming it ("116", "22q11", "syndrome-1")."""
    if not any(c.isdigit() for c in token):
        return False
    if re.fullmatch(r"\d{1,2}[A-Z]?", token):
        return previous.lower() not in NUMBER_CONTEXT_WORDS
    if token[0].isdigit():
        return True
    return re.fullmatch(r"[a-z]+-\d+[A-Za-z]?", token) is not None


def is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    all_upper = bool(letters) and capitals == len(letters)
    return all_upper or (len(term) <= ACRONYM_MAX_CHARS and capitals >= 2)


def is_disease_word(word: str) -> bool:
    """Whether one word is unmistakably a disease name."""
    if word in DENY_WORDS:
        return False
    return word in SINGLE_WORD_DISEASES or word.endswith(DISEASE_SUFFIXES)


def term_problem(term: str, *, is_label: bool) -> str | None:
    """Why a label or EXACT synonym cannot be matched in prose, or None when it can."""
    lower = term.lower()
    words = term.split()
    if any(c in FORBIDDEN_CHARS for c in term):
        return "punctuation"
    if any(w.lower() in QUALIFIER_WORDS for w in words) or any(p in lower for p in QUALIFIER_PHRASES):
        return "qualifier (NOS, unspecified, obsolete)"
    if any(is_code_token(w, words[i - 1] if i else "") for i, w in enumerate(words)):
        return "code or series number"
    if len(words) > MAX_WORDS or len(term) < MIN_CHARS:
        return "length"
    if not is_label and is_acronym(term):
        return "acronym or all upper case"
    if lower in ORDINARY_PHRASES:
        return "ordinary phrase"
    if len(words) == 1 and lower in DENY_WORDS:
        return "one word: deny-listed"
    if len(words) == 1 and not is_disease_word(lower):
        return "one word: not unmistakably a disease"
    if lower in GENERIC_NAMES or is_generic_pattern(lower):
        return "generic name"
    return None


def is_generic_pattern(lower: str) -> bool:
    if any(p.search(lower) for p in GENERIC_NAME_PATTERNS):
        return True
    for head in GENERIC_HEADS:
        if lower.endswith(" " + head):
            modifiers = lower[: -len(head)].split()
            return bool(modifiers) and all(m in ANATOMY_WORDS for m in modifiers)
    return False


# Class filters ------------------------------------------------------------------------------


def hand_made_keys(hand_made: dict[str, list[str]]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, terms in hand_made.items():
        for term in terms:
            keys.setdefault(collision_key(term), name)
    return keys


def is_qualified_hand_made(name: str, hand_keys: dict[str, str]) -> bool:
    """ "severe COVID-19", "adult hepatocellular carcinoma": a disease the hand-made file names,
    narrowed by words a trial's row keeps out of its indication."""
    words = name.split()
    lead = 0
    while lead < len(words) - 1 and words[lead].lower() in QUALIFIERS_OF_A_CASE:
        lead += 1
    return lead > 0 and collision_key(" ".join(words[lead:])) in hand_keys


def class_problem(disease: Disease, hierarchy: Hierarchy, hand_keys: dict[str, str]) -> str | None:
    """Why a whole DO class is left out, or None when its names go on to the term filters."""
    label = disease.label.lower()
    names = [disease.label] + [s for s in disease.synonyms if not is_acronym(s)]
    descendants = hierarchy.descendants[disease.doid]
    if any(collision_key(n) in hand_keys for n in names):
        return "named in data/indications.csv"
    if any(is_qualified_hand_made(n, hand_keys) for n in names):
        return "a hand-made disease with a stage, severity or age before it"
    if disease.doid in hierarchy.excluded:
        return hierarchy.excluded[disease.doid]
    if CHEMICAL_ALLERGY_LABEL.fullmatch(label):
        return ALLERGY
    if label in KEEP_CLASSES:
        return None
    if descendants >= BROAD_DESCENDANTS:
        return f"broad class (>= {BROAD_DESCENDANTS} descendants)"
    if label in GENERIC_NAMES or is_generic_pattern(label):
        return "generic class name"
    if label.endswith(GROUPING_SUFFIX) and descendants:
        return "generic class name"
    return None


def read_hierarchy(diseases: dict[str, Disease]) -> Hierarchy:
    """Descendant counts, and the classes below EXCLUDED_BRANCHES with the reason for each."""
    roots = {
        d.doid: EXCLUDED_BRANCHES[d.label.lower()]
        for d in diseases.values()
        if d.label.lower() in EXCLUDED_BRANCHES
    }
    excluded = {}
    for doid in diseases:
        for root in sorted(ancestors(doid, diseases) & roots.keys()):
            excluded[doid] = roots[root]
    return Hierarchy(descendant_counts(diseases), excluded)


# Names and variants -------------------------------------------------------------------------


def title_case(label: str) -> str:
    """'non-small cell lung carcinoma' -> 'Non-Small Cell Lung Carcinoma'; 'HIV' stays 'HIV'."""
    words = []
    for i, word in enumerate(label.split()):
        if i and word in SMALL_WORDS:
            words.append(word)
            continue
        parts = [p if any(c.isupper() for c in p) or not p else p[0].upper() + p[1:] for p in word.split("-")]
        words.append("-".join(parts))
    return " ".join(words)


def eponym_variants(term: str, is_label: bool) -> set[str]:
    """'Alzheimer's disease' -> 'alzheimer disease'; 'Niemann-Pick disease' -> 'niemann pick
    disease'; and in a DO label, where only proper names have capitals, 'Fabry disease' ->
    'fabry's disease'."""
    words = term.split()
    found: set[str] = set()
    for i, word in enumerate(words):
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        respelled = None
        if word.endswith("'s") and following:
            respelled = word[:-2]
        elif is_label and following in EPONYM_HEADS and re.fullmatch(r"[A-Z][a-z]*[a-rt-z]", word):
            respelled = word + "'s"
        elif re.fullmatch(r"[A-Z][a-z]+(-[A-Z][a-z]+)+", word):
            respelled = word.replace("-", " ")
        if respelled:
            found.add(" ".join(words[:i] + [respelled] + words[i + 1 :]).lower())
    return found


def american(term: str) -> str:
    for us, uk, before in SPELLINGS:
        term = re.sub(before + uk, us, term)
    return term


def british(term: str) -> str:
    """The British spelling of a term in American spelling."""
    for us, uk, before in SPELLINGS:
        term = re.sub(before + us, uk, term)
    return term


def spelling_variants(term: str) -> set[str]:
    us = american(term)
    return {term, us, british(us)}


def variants(term: str, is_label: bool = False) -> set[str]:
    """The term in lower case with its spelling, possessive, hyphen, numbering and plural variants."""
    forms = {term.lower()} | eponym_variants(term, is_label)
    forms |= {fold_accents(f) for f in forms}
    forms = {v for f in forms for v in spelling_variants(f)}
    for pattern, replacement in HYPHEN_VARIANTS:
        forms |= {pattern.sub(replacement, f) for f in forms}
    for roman, arabic in ROMAN_TYPES:
        forms |= {re.sub(rf"\btype {roman}\b", f"type {arabic}", f) for f in forms}
        forms |= {re.sub(rf"\btype {arabic}\b", f"type {roman}", f) for f in forms}
    forms |= {f + "s" for f in forms if f.endswith((" tumor", " tumour"))}
    return forms


# Building -----------------------------------------------------------------------------------


def drop(report: Report, counter: Counter, reason: str, what: str) -> None:
    counter[reason] += 1
    report.examples[reason].append(what)


def surviving_terms(disease: Disease, report: Report) -> tuple[str | None, list[str]]:
    """The row name (the label, or the first good EXACT synonym) and the other good synonyms."""
    good: list[str] = []
    label_problem = term_problem(disease.label, is_label=True)
    if label_problem:
        drop(report, report.terms_dropped, label_problem, disease.label)
    else:
        good.append(disease.label)
    for synonym in disease.synonyms:
        problem = term_problem(synonym, is_label=False)
        if problem:
            drop(report, report.terms_dropped, problem, synonym)
        elif synonym.lower() not in (g.lower() for g in good):
            good.append(synonym)
    if not good:
        return None, []
    if label_problem:
        report.promoted += 1
        good.sort(key=has_acronym_word)
    return good[0], good[1:]


def has_acronym_word(term: str) -> bool:
    return any(len(word) > 1 and word.isupper() for word in term.split())


def build_rows(diseases: dict[str, Disease], hand_made: dict[str, list[str]], report: Report) -> list[Row]:
    hierarchy = read_hierarchy(diseases)
    hand_keys = hand_made_keys(hand_made)
    candidates: list[tuple[Disease, str, set[str]]] = []
    for doid in sorted(diseases):
        disease = diseases[doid]
        problem = class_problem(disease, hierarchy, hand_keys)
        if problem:
            drop(report, report.dropped, problem, disease.label)
            continue
        name, synonyms = surviving_terms(disease, report)
        if name is None:
            drop(report, report.dropped, "no name left after the term filters", disease.label)
            continue
        forms = set().union(*(variants(t, t == disease.label) for t in [name, *synonyms]))
        forms = {f for f in forms if collision_key(f) not in hand_keys and f not in ORDINARY_PHRASES}
        report.variants += len(forms - {t.lower() for t in [name, *synonyms]})
        candidates.append((disease, name, forms))
    return settle_shared_terms(candidates, report)


def settle_shared_terms(candidates: list[tuple[Disease, str, set[str]]], report: Report) -> list[Row]:
    """Rows whose names differ and whose synonyms no two rows share."""
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, (_, name, _) in enumerate(candidates):
        by_name[name.lower()].append(i)
    claims: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, forms) in enumerate(candidates):
        for form in forms:
            claims[form].append(i)
    rows: list[Row] = []
    for disease, name, forms in candidates:
        if len(by_name[name.lower()]) > 1:
            drop(report, report.dropped, "name shared with another class", disease.label)
            continue
        kept = []
        for form in sorted(forms):
            owner = by_name.get(form, [])
            if form == name.lower() or (not owner and len(claims[form]) == 1):
                kept.append(form)
            else:
                drop(report, report.terms_dropped, "synonym shared with another row", form)
        rows.append(
            Row(disease.doid, title_case(name), [name.lower()] + [f for f in kept if f != name.lower()])
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.name))
    return rows


def render(rows: list[Row], release: str) -> str:
    out = io.StringIO()
    out.write(
        f"# Generated by {SCRIPT} from the Human Disease Ontology, release of {release}\n"
        "# (github.com/DiseaseOntology/HumanDiseaseOntology), CC0 1.0. Do not edit by hand: change the\n"
        "# script and run it again. Diseases that data/indications.csv names are left out: that file wins.\n"
        "# name,abbreviation,synonyms (|-separated),abbreviation_needs_definition,generic\n"
        "# Synonyms are in lower case and match any casing. Abbreviations are curated by hand in\n"
        "# data/indications.csv, so abbreviation is empty and abbreviation_needs_definition and generic are 0.\n"
    )
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.name, "", "|".join(row.synonyms), 0, 0])
    return out.getvalue()


# Reporting ----------------------------------------------------------------------------------


def print_report(report: Report, rows: list[Row], verbose: bool) -> None:
    synonyms = sum(len(r.synonyms) for r in rows)
    print(f"DO classes read: {report.classes} (obsolete left out: {report.obsolete})")
    print(f"Rows (names) written: {len(rows)}, of which {report.promoted} named by a synonym")
    print(
        f"Synonyms written: {synonyms} ({synonyms - len(rows)} besides the names; {report.variants} generated variants)"
    )
    for title, counter in (
        ("Classes dropped", report.dropped),
        ("Labels and synonyms dropped", report.terms_dropped),
    ):
        print(f"{title}:")
        for reason, count in counter.most_common():
            print(f"  {count:6d}  {reason}")
            if verbose:
                for example in sorted(set(report.examples[reason])):
                    print(f"            {example}")
    names = sorted(r.name for r in rows if " " not in r.name)
    others = sorted({s for r in rows for s in r.synonyms[1:] if " " not in s})
    print(f"One-word names kept ({len(names)}):")
    print("  " + ", ".join(names))
    print(f"One-word synonyms of other names kept ({len(others)}):")
    print("  " + ", ".join(others))


# Self-check ---------------------------------------------------------------------------------


def lexicon_patterns(entries: list[tuple[str, str, list[str]]]) -> dict[str, tuple[str, str]]:
    """Each pattern the extractor would compile from (source, name, synonyms) entries, with the
    source and name of its entry; the first entry to claim a pattern keeps it."""
    patterns: dict[str, tuple[str, str]] = {}
    for source, name, synonyms in entries:
        for term in [name.lower(), *synonyms]:
            patterns.setdefault(term, (source, name))
    return patterns


def find_terms(text: str, patterns: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(matched text, source, entry name) as the extractor finds them: the patterns with capitals
    matched exactly and the others in any casing, each list leftmost-longest and on whole words,
    then the two merged with the earlier and longer match winning."""
    text = clean(text)
    found = []
    for exact in (False, True):
        haystack = text if exact else text.lower()
        hits = []
        for pattern, entry in patterns.items():
            if any(c.isupper() for c in pattern) != exact:
                continue
            start = haystack.find(pattern)
            while start >= 0:
                hits.append((start, start + len(pattern), entry))
                start = haystack.find(pattern, start + 1)
        found += [h for h in leftmost_longest(hits) if is_whole_word(text, h[0], h[1])]
    return [(text[s:e], source, name) for s, e, (source, name) in leftmost_longest(found)]


def leftmost_longest(hits: list) -> list:
    kept, end = [], 0
    for hit in sorted(hits, key=lambda h: (h[0], -h[1])):
        if hit[0] >= end:
            kept.append(hit)
            end = hit[1]
    return kept


def is_whole_word(text: str, start: int, end: int) -> bool:
    def word_byte(i: int) -> bool:
        return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()

    return not word_byte(start - 1) and not word_byte(end)


def in_ontology(phrase: str, diseases: dict[str, Disease]) -> bool:
    """Whether some DO label or synonym of any scope is the phrase."""
    key = collision_key(phrase)
    return any(collision_key(t) == key for d in diseases.values() for t in [d.label, *d.all_synonyms])


def check_structure(rows: list[Row], hand_made: dict[str, list[str]]) -> bool:
    """Names unique, no pattern in two rows, none that data/indications.csv has already."""
    hand = {t.lower() for terms in hand_made.values() for t in terms}
    owners: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for term in [row.name.lower(), *row.synonyms]:
            owners[term].add(row.name.lower())
    problems = [
        *(f"name {n!r} used twice" for n, c in Counter(r.name.lower() for r in rows).items() if c > 1),
        *(f"pattern {t!r} in rows {sorted(o)}" for t, o in owners.items() if len(o) > 1),
        *(f"pattern {t!r} is in data/indications.csv" for t in owners if t in hand),
    ]
    print(f"Structure: {len(rows)} rows, {len(owners)} distinct patterns, {len(problems)} problems")
    for problem in problems[:20]:
        print(f"  FAIL {problem}")
    return not problems


def self_check(rows: list[Row], hand_made: dict[str, list[str]], diseases: dict[str, Disease]) -> bool:
    ours = lexicon_patterns([("ontology", r.name, r.synonyms) for r in rows])
    both = lexicon_patterns(
        [("indications.csv", name, terms) for name, terms in hand_made.items()]
        + [("ontology", r.name, r.synonyms) for r in rows]
    )
    ok = check_structure(rows, hand_made)
    print("Phrases that must be found (data/indications.csv and the ontology lexicon together):")
    for phrase in CHECK_FOUND:
        hits = find_terms(phrase, both)
        if phrase in CHECK_NOT_IN_DO:
            present = in_ontology(phrase, diseases)
            ok &= not present
            status = "FAIL: DO has it after all" if present else "ok: DO has no such class"
            print(f"  {status:28s} {phrase!r}; matches: {hits or 'none'}")
            continue
        whole = [(source, name) for text, source, name in hits if text.lower() == clean(phrase).lower()]
        ok &= bool(whole)
        print(f"  {'ok' if whole else 'FAIL':28s} {phrase!r} -> {whole or hits or 'nothing'}")
    print("Phrases that must match nothing (in the ontology lexicon; data/indications.csv noted):")
    for phrase in CHECK_NOT_FOUND:
        ontology_hits = find_terms(phrase, ours)
        hand_hits = [h for h in find_terms(phrase, both) if h[1] == "indications.csv"]
        allowed = all(text.lower() in DENY_WORDS for text, _, _ in hand_hits)
        passed = not ontology_hits and allowed
        ok &= passed
        note = f"; data/indications.csv matches {hand_hits}, a deny-listed word alone" if hand_hits else ""
        print(
            f"  {'ok' if passed else 'FAIL':28s} {phrase!r}: ontology lexicon matches {ontology_hits or 'nothing'}{note}"
        )
    return ok


# Main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="run the self-test; write nothing")
    parser.add_argument("--verbose", action="store_true", help="list every term each filter dropped")
    parser.add_argument("--ontology", type=Path, default=DEFAULT_ONTOLOGY, help="the DO files")
    args = parser.parse_args()

    report = Report()
    diseases = read_ontology(args.ontology, report)
    hand_made = read_hand_made(HAND_MADE)
    rows = build_rows(diseases, hand_made, report)
    text = render(rows, release_name(args.ontology))

    if args.check:
        ok = self_check(rows, hand_made, diseases)
        current = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print(f"{OUTPUT.relative_to(ROOT)} is {'up to date' if current else 'STALE: run the script'}")
        return 0 if ok and current else 1

    OUTPUT.write_text(text, encoding="utf-8")
    print_report(report, rows, args.verbose)
    print(f"Wrote {OUTPUT.relative_to(ROOT)}: {len(text.encode('utf-8'))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
