//! The hostile-text catalogue: stored text from people and other systems'
//! files that must be shown, never obeyed.
//!
//! | case              | text                                  | danger                          |
//! |-------------------|---------------------------------------|---------------------------------|
//! | CSI clear screen  | `ESC [2J`                             | wipes the reader's terminal     |
//! | OSC 52 clipboard  | `ESC ]52;c;aGk= BEL`                  | sets the reader's clipboard     |
//! | OSC 8 hyperlink   | `ESC ]8;;http://x ESC \ link ESC ]8;;` | hides a link behind text        |
//! | C0 controls       | BEL, BS, CR, VT                       | beeps, overwrites the line      |
//! | C1 controls       | U+009B (CSI), U+0085 (NEL)            | 8-bit escape on some terminals  |
//! | RTL override      | U+202E                                | reverses what follows           |
//! | ZWJ emoji         | 👨‍👩‍👧                                    | widths disagree, rows shift     |
//! | combining marks   | e + U+0301 + U+0302                   | zero-width, must not shift      |
//! | long              | 10,000 characters                     | refused with a clear message    |
#![allow(dead_code)]

pub const CASES: [(&str, &str); 8] = [
    ("csi", "\u{1b}[2J"),
    ("osc52", "\u{1b}]52;c;aGk=\u{7}"),
    ("osc8", "\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
    ("c0", "\u{7}\u{8}\r\u{b}"),
    ("c1", "\u{9b}2J\u{85}"),
    ("rtl", "\u{202e}evil"),
    ("zwj", "👨\u{200d}👩\u{200d}👧"),
    ("combining", "e\u{301}\u{302}"),
];

/// A name carrying one case, with plain text around it.
pub fn name(case: usize) -> String {
    format!("N{case} {} end", CASES[case].1)
}

/// What no terminal output may contain: C0 controls other than newline,
/// DEL, C1 controls and bidi formatting characters.
pub fn unsafe_chars(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}
