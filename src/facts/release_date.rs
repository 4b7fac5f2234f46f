//! The release's date when its text gives none: the date in the path it was found at. Wires and
//! archives file releases by day (`ibn/2025/0530/slug.md`, `ibn_2025_0530_slug.md`,
//! `2025-05-30-slug.html`, `20250530.txt`), and a release without a dateline is still a release
//! of that day.

use chrono::NaiveDate;

/// The earliest and latest years a path date may have: digits outside them are numbers in a
/// name, not a year.
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2099;

/// The date a path is filed under: the last run of digits that reads as year, month and day
/// (`2025/0530`, `2025_0530`, `2025-05-30`, `2025/05/30`, `20250530`), each part parted from the
/// rest of the path by a non-digit. `None` when no part of the path is a valid date.
pub fn date_in_path(path: &str) -> Option<NaiveDate> {
    let runs = digit_runs(path);
    let mut found = None;
    for i in 0..runs.len() {
        let date = match &runs[i..] {
            [y, md, ..] if y.len() == 4 && md.len() == 4 && adjacent(path, y, md) => {
                ymd(y, &md[..2], &md[2..])
            }
            [y, m, d, ..]
                if y.len() == 4
                    && m.len() == 2
                    && d.len() == 2
                    && adjacent(path, y, m)
                    && adjacent(path, m, d) =>
            {
                ymd(y, m, d)
            }
            [ymd8, ..] if ymd8.len() == 8 => ymd(&ymd8[..4], &ymd8[4..6], &ymd8[6..]),
            _ => None,
        };
        found = date.or(found);
    }
    found
}

/// The runs of ASCII digits in `path`, as slices of it.
fn digit_runs(path: &str) -> Vec<&str> {
    let bytes = path.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            runs.push(&path[start..i]);
        } else {
            i += 1;
        }
    }
    runs
}

/// Whether runs `a` and `b` of `path` are parted by one separator (`/`, `_`, `-`, `.`).
fn adjacent(path: &str, a: &str, b: &str) -> bool {
    let a_end = a.as_ptr() as usize - path.as_ptr() as usize + a.len();
    let b_start = b.as_ptr() as usize - path.as_ptr() as usize;
    b_start == a_end + 1 && matches!(path.as_bytes()[a_end], b'/' | b'\\' | b'_' | b'-' | b'.')
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let year: i32 = y.parse().ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn archive_folders_of_year_and_day() {
        assert_eq!(
            date_in_path("/data/archive/ibn/2025/0530/clene-reports.md"),
            date(2025, 5, 30)
        );
    }

    #[test]
    fn file_names_with_underscores() {
        assert_eq!(
            date_in_path("corpus/dev/newsdirect_2024_1114_abvc-q3-results.md"),
            date(2024, 11, 14)
        );
    }

    #[test]
    fn iso_dates_and_eight_digits() {
        assert_eq!(date_in_path("x/2019-11-06-cbmg.html"), date(2019, 11, 6));
        assert_eq!(
            date_in_path("releases/2019/11/06/cbmg.txt"),
            date(2019, 11, 6)
        );
        assert_eq!(date_in_path("edgar/20191106_ex99.htm"), date(2019, 11, 6));
    }

    #[test]
    fn the_date_nearest_the_file_wins() {
        assert_eq!(
            date_in_path("runs/2020-01-01/ibn/2025/0530/slug.md"),
            date(2025, 5, 30)
        );
    }

    #[test]
    fn numbers_that_are_not_dates_give_none() {
        assert_eq!(date_in_path("seeds/000_4b6bb74245fe6fd9.txt"), None);
        assert_eq!(date_in_path("q3-2024-results.md"), None);
        assert_eq!(date_in_path("reports/2025/1345/slug.md"), None);
        assert_eq!(date_in_path("ids/12345678.txt"), None);
        assert_eq!(date_in_path("phase-2024-2025.md"), None);
        assert_eq!(date_in_path(""), None);
    }
}
