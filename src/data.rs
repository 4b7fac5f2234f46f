//! The built-in data files (`data/*.csv`): lexicons of indications, targets, modalities,
//! countries, agencies, conferences, wires and exchanges, compiled into the library and read
//! here with the `csv` crate, one way for all of them.
//!
//! A file may open with `#` comment lines that say what its columns mean; its first record is
//! the header. Fields are trimmed, and a row may leave its last columns out. Lists inside a
//! field (synonyms) are `|`-separated.

/// A CSV reader with the data files' conventions, over any bytes (a user's lexicon too).
pub fn reader(data: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data)
}

/// The rows of a built-in file, header left out. The files are part of the build and a test
/// reads each of them whole, so a row that does not parse is a bug in the file, not an input.
pub fn rows(file: &'static str) -> Vec<csv::StringRecord> {
    reader(file.as_bytes())
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("a built-in data file does not parse: {e}")))
        .collect()
}

/// Field `i` of a row, empty when the row leaves it out.
pub fn field(row: &csv::StringRecord, i: usize) -> &str {
    row.get(i).unwrap_or("")
}

/// The entries of a `|`-separated list, trimmed, without empty ones.
pub fn list(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_header_and_short_rows() {
        let rows = rows("# what the columns mean\nname,synonyms\nFDA,US FDA| U.S. FDA |\nEMA\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(field(&rows[0], 0), "FDA");
        assert_eq!(
            list(field(&rows[0], 1)).collect::<Vec<_>>(),
            ["US FDA", "U.S. FDA"]
        );
        assert_eq!(field(&rows[1], 1), "");
    }
}
