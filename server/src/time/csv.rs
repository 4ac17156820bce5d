//! CSV export (RFC 4180): comma-separated fields, CRLF line ends, fields
//! quoted only when they need it. Fields that a spreadsheet would run as a
//! formula are neutralised (OWASP "CSV injection"), since exported
//! descriptions and names are typed by users.
//!
//! Output is UTF-8; the caller prepends a byte order mark if wanted.

use std::borrow::Cow;

/// Appends one CSV record (fields joined by commas, CRLF line end) to `out`.
pub fn write_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (index, field) in fields.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str(&escape_field(field.as_ref()));
    }
    out.push_str("\r\n");
}

/// One field, quoted when needed.
///
/// A field starting like a formula gets a leading `'` first, so spreadsheets
/// show it as text; the quoting rule then applies to the result.
pub fn escape_field(field: &str) -> Cow<'_, str> {
    let neutralised: Cow<'_, str> =
        if starts_like_formula(field) { Cow::Owned(format!("'{field}")) } else { Cow::Borrowed(field) };
    if needs_quotes(&neutralised) {
        Cow::Owned(quote(&neutralised))
    } else {
        neutralised
    }
}

/// The OWASP list of leading characters that make spreadsheets evaluate a
/// cell. Negative numbers are caught too; the export never has any.
fn starts_like_formula(field: &str) -> bool {
    matches!(field.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// RFC 4180 needs quotes around separators, quotes and line breaks; leading or
/// trailing whitespace is quoted too because some readers trim it otherwise.
fn needs_quotes(field: &str) -> bool {
    field.contains([',', '"', '\r', '\n'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace)
}

/// Wraps the field in double quotes, doubling the quotes inside.
fn quote(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_field_is_unchanged_and_borrowed() {
        assert!(matches!(escape_field("Harbour Café"), Cow::Borrowed("Harbour Café")));
        assert_eq!(escape_field("2:30"), "2:30");
        assert_eq!(escape_field(""), "");
    }

    #[test]
    fn comma_gets_quoted() {
        assert_eq!(escape_field("a,b"), "\"a,b\"");
    }

    #[test]
    fn quotes_are_doubled() {
        assert_eq!(escape_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn line_breaks_stay_inside_quotes() {
        assert_eq!(escape_field("line one\nline two"), "\"line one\nline two\"");
        assert_eq!(escape_field("a\r\nb"), "\"a\r\nb\"");
    }

    #[test]
    fn surrounding_whitespace_gets_quoted() {
        assert_eq!(escape_field(" padded"), "\" padded\"");
        assert_eq!(escape_field("padded "), "\"padded \"");
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(escape_field("=1+1"), "'=1+1");
        assert_eq!(escape_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(escape_field("@cmd"), "'@cmd");
        assert_eq!(escape_field("+"), "'+");
        assert_eq!(escape_field("-2+3,x"), "\"'-2+3,x\"");
        assert_eq!(escape_field("\tx"), "'\tx");
        assert_eq!(escape_field("\r=x"), "\"'\r=x\"");
    }

    #[test]
    fn writes_a_full_record() {
        let mut out = String::new();
        write_record(&mut out, &["Date", "Customer", "Description", "Hours"]);
        write_record(
            &mut out,
            &[
                "2026-11-03".to_string(),
                "Harbour Café".to_string(),
                "Fix \"leak\", urgent".to_string(),
                "=HYPERLINK(\"x\")".to_string(),
                "2.5".to_string(),
                String::new(),
            ],
        );
        assert_eq!(
            out,
            "Date,Customer,Description,Hours\r\n\
             2026-11-03,Harbour Café,\"Fix \"\"leak\"\", urgent\",\"'=HYPERLINK(\"\"x\"\")\",2.5,\r\n"
        );
    }
}
