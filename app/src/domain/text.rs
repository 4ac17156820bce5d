//! Rules every piece of text and every date obeys, whatever the field: no NUL or
//! other control characters (line breaks and tabs only where the field is
//! multi-line), and dates within a range a calendar of working life can mean.
//! The browser runs them for instant feedback; the server's verdict counts.

use chrono::{Datelike, NaiveDate};

/// The earliest and latest years a date may have.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2200;

/// Whether `text` holds a character no field accepts: any control character, except
/// line feeds, carriage returns and tabs when `multiline`.
pub fn has_forbidden_char(text: &str, multiline: bool) -> bool {
    text.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

pub fn forbidden_char_message() -> &'static str {
    "Remove the control characters (such as NUL) from this text."
}

/// Fails for control characters (see [`has_forbidden_char`]).
pub fn check_chars(text: &str, multiline: bool) -> Result<(), String> {
    if has_forbidden_char(text, multiline) {
        if !multiline && text.chars().any(|c| matches!(c, '\n' | '\r')) && !has_forbidden_char(text, true) {
            return Err("Keep this to one line.".into());
        }
        return Err(forbidden_char_message().into());
    }
    Ok(())
}

/// A date field's value: `YYYY-MM-DD`, between [`MIN_YEAR`] and [`MAX_YEAR`].
pub fn parse_date(raw: &str, example: &str) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    // Only four-digit years: chrono also reads "+262142-12-31".
    let shaped = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    let date = shaped
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("Enter a date like {example}."))?;
    check_date(date)
}

/// Fails for dates outside [`MIN_YEAR`]..=[`MAX_YEAR`].
pub fn check_date(date: NaiveDate) -> Result<NaiveDate, String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!("Enter a date between {MIN_YEAR} and {MAX_YEAR}."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_multiline_text() {
        assert!(check_chars("Harbour Café", false).is_ok());
        assert!(check_chars("a\u{0}b", false).is_err());
        assert!(check_chars("a\u{0}b", true).is_err());
        assert!(check_chars("a\u{7f}b", true).is_err());
        assert!(check_chars("a\u{1b}[2J", true).is_err());
        assert!(check_chars("one\ntwo\tthree\r\n", true).is_ok());
        assert_eq!(check_chars("one\ntwo", false).unwrap_err(), "Keep this to one line.");
    }

    #[test]
    fn dates_are_four_digit_years_within_range() {
        assert!(parse_date("2026-11-21", "2026-11-21").is_ok());
        assert!(parse_date(" 1900-01-01 ", "x").is_ok());
        assert!(parse_date("2200-12-31", "x").is_ok());
        for bad in
            ["+262142-12-31", "-5000-01-01", "200000-01-01", "1899-12-31", "2201-01-01", "2026-02-30", "", "\u{0}"]
        {
            assert!(parse_date(bad, "x").is_err(), "{bad:?} must be refused");
        }
    }
}
