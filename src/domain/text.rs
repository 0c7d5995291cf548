//! Text that came from people and other systems' files, made safe to show.
//!
//! Stored text is kept exactly as given; these functions change only how it
//! is shown. Invariants:
//! - [`for_terminal`] output contains no C0 or C1 control character, no DEL,
//!   and no bidirectional formatting character: each is written visibly as
//!   `\x1b` or `\u202e`, so an ANSI/OSC sequence in a name can neither drive
//!   the terminal nor reorder what is printed around it;
//! - [`for_screen`] is that, and also drops joiners and emoji presentation
//!   selectors (U+200D, U+FE0F), so the width the TUI measures is the width
//!   every terminal draws (terminals disagree on joined emoji sequences);
//! - [`json_escape_c1`] keeps JSON valid and equal in value while leaving
//!   no C1 or bidi character raw (serde_json escapes only C0).

use std::borrow::Cow;

/// Bidirectional formatting characters: marks, embeddings, overrides and
/// isolates. They are invisible and reorder the text around them.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that must not reach a terminal raw (nor an account name):
/// controls, bidirectional formatting, line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

fn push_escaped(out: &mut String, c: char) {
    let n = c as u32;
    if n < 0x100 {
        out.push_str(&format!("\\x{n:02x}"));
    } else {
        out.push_str(&format!("\\u{n:04x}"));
    }
}

/// One field for a terminal: every unsafe character escaped, newlines too.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    escape_where(s, is_unsafe)
}

/// Whole lines of output for a terminal: like [`for_terminal`] but the
/// newline that ends a line stays a newline.
pub fn lines_for_terminal(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c != '\n' && is_unsafe(c))
}

/// One field for the TUI: [`for_terminal`], without joiners and emoji
/// presentation selectors.
pub fn for_screen(s: &str) -> Cow<'_, str> {
    let escaped = for_terminal(s);
    if !escaped.contains(['\u{200D}', '\u{FE0F}']) {
        return escaped;
    }
    Cow::Owned(
        escaped
            .chars()
            .filter(|c| !matches!(c, '\u{200D}' | '\u{FE0F}'))
            .collect(),
    )
}

/// One character of text being edited in a form, where each character must
/// keep one cell: anything [`for_screen`] would change becomes U+FFFD.
pub fn screen_char(c: char) -> char {
    if is_unsafe(c) || matches!(c, '\u{200D}' | '\u{FE0F}') {
        '\u{FFFD}'
    } else {
        c
    }
}

/// "1 charge", "3 charges"; `plural` for nouns that do not just add "s".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// [`count`] for nouns whose plural adds "s".
pub fn count_s(n: usize, noun: &str) -> String {
    count(n, noun, &format!("{noun}s"))
}

fn escape_where(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON with DEL, C1 and bidi characters written as `\uXXXX`.
/// Only valid inside strings, which is the only place they can occur.
pub fn json_escape_c1(json: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi(c) || matches!(c, '\u{2028}' | '\u{2029}')
    };
    if !json.chars().any(bad) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_shown_not_obeyed() {
        assert_eq!(
            for_terminal("Esc \u{1b}]52;c;aGk=\u{7} \u{1b}[2J Name"),
            "Esc \\x1b]52;c;aGk=\\x07 \\x1b[2J Name"
        );
        assert_eq!(
            for_terminal("a\u{202e}b\u{85}c\nd"),
            "a\\u202eb\\x85c\\x0ad"
        );
        assert_eq!(lines_for_terminal("a\u{9b}\nb\r"), "a\\x9b\nb\\x0d");
        assert!(matches!(for_terminal("Zoë 👍"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_screen_form_drops_joiners() {
        assert_eq!(for_screen("👨\u{200D}👩\u{200D}👧 x\u{FE0F}"), "👨👩👧 x");
    }

    #[test]
    fn json_stays_equal_in_value() {
        let v = serde_json::json!({"name": "a\u{85}b\u{202e}c\u{1b}"});
        let s = serde_json::to_string(&v).unwrap();
        let safe = json_escape_c1(&s);
        assert!(
            !safe.chars().any(|c| c.is_control() || is_bidi(c)),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }
}
