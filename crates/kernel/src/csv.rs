//! Writing CSV exports (students, analytics, orders) that spreadsheets open safely: every cell quoted when it must be, and a cell
//! that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
//! first) prefixed with `'`, so a student named `=HYPERLINK(…)` stays text.

/// One cell, escaped.
pub fn cell(value: &str) -> String {
    let guarded =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) { format!("\"{}\"", guarded.replace('"', "\"\"")) } else { guarded }
}

/// One line: the cells joined with commas, ended with CRLF (RFC 4180).
pub fn row<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells.iter().map(|c| cell(c.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_stay_text_and_commas_stay_in_their_cell() {
        assert_eq!(cell("Ana"), "Ana");
        assert_eq!(cell("=1+2"), "'=1+2");
        assert_eq!(cell("+34 600"), "'+34 600");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        assert_eq!(cell("Doe, Jane"), "\"Doe, Jane\"");
        assert_eq!(row(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }
}
