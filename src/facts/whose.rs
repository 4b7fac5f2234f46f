//! Whose fact: the company each sentence is about. A release speaks for its issuer, but a
//! partner's trial, a competitor's results or a roundup's list of companies are other companies'
//! facts. A sentence is another company's when it opens with that company's name, or speaks of
//! it in the possessive ("Merck's KEYNOTE-689") without naming the issuer; the sentences after it
//! in its paragraph follow it; an "About X" section is X's. Companies are known from their
//! listings (`Merck & Co. (NYSE: MRK)`), "About" headings and the issuer's header.
//!
//! A piece about three or more listed companies whose sentences are mostly about others than the
//! one its header names is a roundup: its facts belong to the companies they name, each company's through
//! the paragraphs after it until the next is named, and nobody's before the first.

use crate::facts::document::{company_before, LISTING_REACH};
use crate::mentions::tickers::find_tickers;
use crate::text::structure::{Section, Structure};
use crate::text::Sentence;

/// A company the text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// As written, without legal suffix.
    pub name: String,
    pub ticker: Option<String>,
}

/// The company of every sentence of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Whose {
    /// The issuer first, when the header names one; then the others in the order they appear.
    pub companies: Vec<Company>,
    /// Each sentence's company: an index into `companies`, `None` when the sentence is about no
    /// company the text names (a roundup's general remarks).
    by_sentence: Vec<Option<u32>>,
    /// Whether the document is a roundup of several companies rather than one issuer's release.
    pub roundup: bool,
}

/// First words of company names that say nothing about which company: never a short name.
const GENERIC_FIRST_WORDS: &[&str] = &[
    "The",
    "American",
    "National",
    "International",
    "Global",
    "First",
    "United",
    "China",
    "Chinese",
    "New",
    "General",
    "Applied",
    "Advanced",
    "Pacific",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Royal",
    "Canadian",
    "Great",
    "Medical",
    "Health",
    "Clinical",
    "Digital",
    "Energy",
    "Capital",
    "Bank",
];

/// How many words of an opening phrase may come before a company's name for the sentence still
/// to open with it ("In addition, Merck ...", "On Monday, Merck ...").
const OPENING_WORDS: usize = 4;

/// The fewest listed companies besides the first a roundup names.
const ROUNDUP_MIN_COMPANIES: usize = 2;

/// The largest share of the sentences that name a company a roundup's first-listed company may
/// be the subject of: above it, the piece is that company's.
const ROUNDUP_MAX_ISSUER_SHARE: f64 = 0.4;

/// The ways a company is named in sentences: its name, a distinctive first word, its ticker.
struct Names {
    variants: Vec<String>,
}

impl Names {
    fn of(company: &Company) -> Names {
        let mut variants = vec![company.name.clone()];
        let first = company.name.split_whitespace().next().unwrap_or("");
        let first = first.trim_end_matches([',', '.']);
        if first.len() >= 4
            && first != company.name
            && first.chars().next().is_some_and(char::is_uppercase)
            && !GENERIC_FIRST_WORDS.contains(&first)
        {
            variants.push(first.to_string());
        }
        if let Some(t) = &company.ticker {
            if t.len() >= 3 && t.chars().all(|c| c.is_ascii_uppercase()) {
                variants.push(t.clone());
            }
        }
        Names { variants }
    }

    /// Where in `sentence` the company is first named, and whether that mention is possessive.
    fn first_in(&self, sentence: &str) -> Option<(usize, bool)> {
        self.variants
            .iter()
            .filter_map(|v| find_word(sentence, v))
            .min_by_key(|&(at, _)| at)
    }
}

/// The first whole-word occurrence of `name` in `text` and whether `'s` follows it.
fn find_word(text: &str, name: &str) -> Option<(usize, bool)> {
    if name.is_empty() {
        return None;
    }
    let bytes = text.as_bytes();
    for (at, _) in text.match_indices(name) {
        let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        let end = at + name.len();
        let after_ok = end == text.len() || !bytes[end].is_ascii_alphanumeric();
        if before_ok && after_ok {
            return Some((at, text[end..].starts_with("'s")));
        }
    }
    None
}

fn same_company(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a.starts_with(&b) || b.starts_with(&a))
}

impl Whose {
    /// The company of sentence `si`, an index into [`Whose::companies`].
    pub fn of_sentence(&self, si: usize) -> Option<u32> {
        self.by_sentence.get(si).copied().flatten()
    }

    /// Works out the company of every sentence; `issuer` is the header's name and ticker.
    pub fn new(
        text: &str,
        sentences: &[Sentence],
        structure: &Structure,
        issuer: (Option<&str>, Option<&str>),
    ) -> Whose {
        let mut companies: Vec<Company> = Vec::new();
        let has_issuer = issuer.0.is_some() || issuer.1.is_some();
        if has_issuer {
            companies.push(Company {
                name: issuer.0.or(issuer.1).unwrap_or_default().to_string(),
                ticker: issuer.1.map(str::to_string),
            });
        }
        let mut listed_others = 0;
        for t in find_tickers(text) {
            if has_issuer && issuer.1 == Some(t.ticker.as_str()) {
                continue;
            }
            let reach = crate::text::ceil_boundary(text, t.start.saturating_sub(LISTING_REACH));
            let floor = memchr::memrchr(b'\n', &text.as_bytes()[reach..t.start])
                .map_or(reach, |i| reach + i + 1);
            let name = company_before(text, floor, t.start).map(|(s, e)| &text[s..e]);
            if has_issuer && name.is_some_and(|n| same_company(n, &companies[0].name)) {
                continue;
            }
            if companies
                .iter()
                .any(|c| c.ticker.as_deref() == Some(t.ticker.as_str()))
            {
                continue;
            }
            listed_others += 1;
            companies.push(Company {
                name: name.unwrap_or(&t.ticker).to_string(),
                ticker: Some(t.ticker.clone()),
            });
        }
        let default = has_issuer.then_some(0u32);
        let mut whose = Whose {
            by_sentence: vec![default; sentences.len()],
            companies,
            roundup: false,
        };
        // Most releases name no other company: an "About" heading of another is all that can
        // still give one (read from the heading alone, not the document's sections).
        let about_another = (0..sentences.len()).any(|si| {
            structure
                .about_heading(si)
                .is_some_and(|(a, b)| !issuer.0.is_some_and(|n| same_company(&text[a..b], n)))
        });
        if whose.companies.len() <= usize::from(has_issuer) && !about_another {
            return whose;
        }
        let subjects = whose.subjects(text, sentences, structure, default);
        if has_issuer && listed_others >= ROUNDUP_MIN_COMPANIES {
            let named: Vec<u32> = subjects.iter().filter_map(|s| s.explicit).collect();
            let issuer_share =
                named.iter().filter(|&&c| c == 0).count() as f64 / named.len().max(1) as f64;
            if issuer_share < ROUNDUP_MAX_ISSUER_SHARE {
                whose.roundup = true;
                let subjects = whose.subjects(text, sentences, structure, None);
                whose.by_sentence = subjects.iter().map(|s| s.company).collect();
                return whose;
            }
        }
        whose.by_sentence = subjects.iter().map(|s| s.company).collect();
        whose
    }

    /// Each sentence's company, and the company it names as its subject if it names one;
    /// `default` is the company of a sentence that names none in a paragraph that names none.
    fn subjects(
        &mut self,
        text: &str,
        sentences: &[Sentence],
        structure: &Structure,
        default: Option<u32>,
    ) -> Vec<Subject> {
        let mut names: Vec<Names> = self.companies.iter().map(Names::of).collect();
        let mut out = Vec::with_capacity(sentences.len());
        let mut paragraph_company: Option<(u32, Option<u32>)> = None;
        let mut about_company: Option<Option<u32>> = None;
        for (si, s) in sentences.iter().enumerate() {
            let sentence = &text[s.start..s.end];
            let section = structure.section(si);
            if section != Section::About {
                about_company = None;
            }
            if let Some((a, b)) = structure.about_heading(si) {
                let who = &text[a..b];
                let known = self
                    .companies
                    .iter()
                    .position(|c| same_company(who, &c.name) || names_in(&names, who).is_some());
                // An "About" block of a company the text has not named before is that
                // company's only when it describes an organisation; "About the Study" or
                // "About AlloJoin" describes the issuer's own trial or product.
                let id = known.or_else(|| {
                    let first_line = sentences.get(si + 1).map_or("", |n| &text[n.start..n.end]);
                    if !describes_organisation(&text[b..s.end])
                        && !describes_organisation(first_line)
                    {
                        return None;
                    }
                    let c = Company {
                        name: who.trim_end_matches([',', '.']).to_string(),
                        ticker: None,
                    };
                    names.push(Names::of(&c));
                    self.companies.push(c);
                    Some(self.companies.len() - 1)
                });
                about_company = Some(id.map(|i| i as u32).or(default));
            }
            if let Some(about) = about_company {
                out.push(Subject {
                    company: about,
                    explicit: None,
                });
                continue;
            }
            let paragraph = structure.paragraph(si);
            // In a release the issuer takes a new paragraph back; a roundup's company keeps
            // the floor until the next company is named (a heading line, then its paragraphs).
            if default.is_some() && paragraph_company.is_some_and(|(p, _)| p != paragraph) {
                paragraph_company = None;
            }
            let explicit = subject_of(&names, sentence);
            if let Some(c) = explicit {
                paragraph_company = Some((paragraph, Some(c)));
            }
            let company = explicit
                .map(Some)
                .or(paragraph_company.map(|(_, c)| c))
                .unwrap_or(default);
            out.push(Subject { company, explicit });
        }
        out
    }
}

/// Nouns by which an "About" paragraph says that what it describes is an organisation (a
/// product, a disease or a study is described otherwise).
const ORGANISATION_NOUNS: &[&str] = &[
    "company",
    "companies",
    "corporation",
    "firm",
    "organization",
    "organisation",
    "association",
    "society",
    "foundation",
    "institute",
    "university",
    "agency",
    "group",
    "bank",
    "fund",
    "partnership",
    "provider",
    "manufacturer",
    "developer",
    "subsidiary",
    "business",
    "enterprise",
    "network",
    "consortium",
    "alliance",
    "council",
    "hospital",
    "publisher",
    "marketplace",
    "biotech",
    "biotechnology",
    "biopharmaceutical",
    "pharmaceutical",
    "leader",
    "founded",
    "headquartered",
];

/// Whether a sentence describes an organisation: one of [`ORGANISATION_NOUNS`] as a word.
fn describes_organisation(sentence: &str) -> bool {
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ORGANISATION_NOUNS.iter().any(|n| w.eq_ignore_ascii_case(n)))
}

/// A sentence's company, and the company it names as its subject.
struct Subject {
    company: Option<u32>,
    explicit: Option<u32>,
}

/// The company whose name `text` holds first, by index.
fn names_in(names: &[Names], text: &str) -> Option<u32> {
    names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.first_in(text).map(|(at, _)| (at, i as u32)))
        .min()
        .map(|(_, i)| i)
}

/// The company a sentence is about when it says so: the company whose name opens it, or the
/// only one it names in the possessive when it does not name the issuer (index 0) at all.
fn subject_of(names: &[Names], sentence: &str) -> Option<u32> {
    let mentions: Vec<(usize, bool, u32)> = names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| n.first_in(sentence).map(|(at, pos)| (at, pos, i as u32)))
        .collect();
    let &(first_at, _, first) = mentions.iter().min_by_key(|m| m.0)?;
    let lead = sentence[..first_at]
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end();
    let opens = lead.is_empty()
        || (lead.ends_with(',')
            && lead.split_whitespace().count() <= OPENING_WORDS
            && !lead.contains(['(', ':']));
    if opens {
        return Some(first);
    }
    let possessive: Vec<u32> = mentions.iter().filter(|m| m.1).map(|m| m.2).collect();
    let names_issuer = mentions.iter().any(|m| m.2 == 0);
    match possessive.as_slice() {
        [only] if !names_issuer => Some(*only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::split_sentences;

    fn whose(text: &str, issuer: (Option<&str>, Option<&str>)) -> Whose {
        let sentences = split_sentences(text);
        let structure = Structure::new(text, &sentences);
        Whose::new(text, &sentences, &structure, issuer)
    }

    fn whose_of(text: &str, issuer: (Option<&str>, Option<&str>)) -> Vec<Option<String>> {
        let w = whose(text, issuer);
        (0..split_sentences(text).len())
            .map(|si| {
                w.of_sentence(si)
                    .map(|c| w.companies[c as usize].name.clone())
            })
            .collect()
    }

    const ACME: (Option<&str>, Option<&str>) = (Some("Acme Bio"), Some("ACMB"));

    #[test]
    fn a_release_naming_no_other_company_is_the_issuers() {
        let t = "Acme Bio (NASDAQ: ACMB) started a Phase 2 trial. The trial enrolls 40 patients.";
        assert_eq!(
            whose_of(t, ACME),
            vec![Some("Acme Bio".into()), Some("Acme Bio".into())]
        );
    }

    #[test]
    fn a_paragraph_opening_with_another_company_is_that_companys() {
        let t = "Acme Bio (NASDAQ: ACMB) started a Phase 2 trial.\n\nMerck & Co. (NYSE: MRK) reported a net loss of $4 million. Its Phase 3 trial is enrolling.\n\nThe Company expects data in 2026.";
        let got = whose_of(t, ACME);
        assert_eq!(got[1].as_deref(), Some("Merck"));
        assert_eq!(got[2].as_deref(), Some("Merck"));
        assert_eq!(got[3].as_deref(), Some("Acme Bio"));
    }

    #[test]
    fn a_possessive_names_the_company_unless_the_issuer_is_named_too() {
        let t = "Acme Bio (NASDAQ: ACMB) is a biotech. It competes with Merck & Co. (NYSE: MRK) in oncology.\n\nResults of Merck's KEYNOTE-689 Phase 3 trial were shown. Acme Bio's drug was tested beside Merck's in a Phase 1 trial.";
        let got = whose_of(t, ACME);
        assert_eq!(got[1].as_deref(), Some("Acme Bio"));
        assert_eq!(got[2].as_deref(), Some("Merck"));
        assert_eq!(got[3].as_deref(), Some("Acme Bio"));
    }

    #[test]
    fn a_partner_named_mid_sentence_leaves_the_fact_the_issuers() {
        let t = "Acme Bio (NASDAQ: ACMB) and its partner Pfizer Inc. (NYSE: PFE) started a Phase 2 trial.";
        assert_eq!(whose_of(t, ACME)[0].as_deref(), Some("Acme Bio"));
    }

    #[test]
    fn an_about_section_of_another_company_is_that_companys() {
        let t = "Acme Bio (NASDAQ: ACMB) licensed a drug.\n\nAbout Beta Pharma\n\nBeta Pharma is a biotechnology company running a Phase 1 trial in gout.\n\nAbout Acme Bio\n\nAcme Bio runs a Phase 2 trial.";
        let got = whose_of(t, ACME);
        assert_eq!(got[2].as_deref(), Some("Beta Pharma"));
        assert_eq!(got[4].as_deref(), Some("Acme Bio"));
    }

    #[test]
    fn an_about_section_of_a_study_or_product_is_the_issuers() {
        for t in [
            "Acme Bio (NASDAQ: ACMB) dosed a patient.\n\nAbout the Study\n\nThe study is a Phase 1 trial of AC-12 in myeloma.",
            "Acme Bio (NASDAQ: ACMB) dosed a patient.\n\nAbout AC-12\n\nAC-12 is an autologous CAR-T therapy in a Phase 1 trial.",
        ] {
            let got = whose_of(t, ACME);
            assert_eq!(got[2].as_deref(), Some("Acme Bio"), "{t}");
        }
    }

    #[test]
    fn a_roundup_of_several_companies_files_each_fact_under_its_company() {
        let t = "Three biotech stocks to watch.\n\nAlpha Therapeutics (NASDAQ: ALPH) began a Phase 2 trial.\n\nBravo Bio (NASDAQ: BRAV) reported a net loss of $3 million.\n\nCharlie Pharma (NYSE: CHRL) completed a Phase 3 trial.\n\nDelta Health (NASDAQ: DLTA) filed an IND.\n\nMarkets rose on the day.";
        let w = whose(t, (Some("Alpha Therapeutics"), Some("ALPH")));
        assert!(w.roundup);
        let name = |si: usize| {
            w.of_sentence(si)
                .map(|c| w.companies[c as usize].name.as_str())
        };
        assert_eq!(name(2), Some("Bravo Bio"));
        assert_eq!(name(3), Some("Charlie Pharma"));
        assert_eq!(name(0), None);
    }

    #[test]
    fn a_release_naming_two_listed_partners_stays_the_issuers() {
        let t = "Acme Bio (NASDAQ: ACMB) signed a supply deal with Beta Pharma (NYSE: BETA) and Gamma Labs (NASDAQ: GAML).\n\nAcme Bio will start a Phase 2 trial in 2026. Acme Bio expects data in 2027.\n\nBeta Pharma makes vials.";
        let w = whose(t, ACME);
        assert!(!w.roundup);
        assert_eq!(w.of_sentence(1), Some(0));
    }
}
