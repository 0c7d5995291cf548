//! Documents tally prints for people outside the terminal: invoices as a
//! printable HTML page or plain text. Templates live in `assets/` and are
//! compiled into the binary.
//!
//! Invariant: every value that came from a user (names, descriptions,
//! addresses, config text) passes through [`escape`] before it reaches
//! HTML; templates are filled in one pass, so a value can never inject a
//! placeholder of its own.

pub mod invoice;
pub mod statement;

/// Escapes text for HTML element content and double- or single-quoted
/// attribute values. Control and bidi characters, which have no place in
/// HTML and could reorder the page, are shown escaped (`\x1b`, `\u202e`).
pub fn escape(s: &str) -> String {
    let s = crate::domain::text::for_terminal(s);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Replaces each `{{key}}` in `template` with its value (already HTML) in a
/// single pass. A placeholder without a value is a bug in tally, so it is
/// left visible rather than silently dropped.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = &after[..end];
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn escaping_shows_control_and_bidi_characters() {
        assert_eq!(escape("a\u{1b}[2J\u{202e}<"), "a\\x1b[2J\\u202e&lt;");
    }

    #[test]
    fn filling_is_one_pass_and_keeps_unknown_placeholders_visible() {
        let out = fill(
            "<p>{{a}} {{b}} {{missing}} {{",
            &[("a", "{{b}}".into()), ("b", "B".into())],
        );
        assert_eq!(out, "<p>{{b}} B {{missing}} {{");
    }
}
