//! A message's words, once, as plain text and as HTML: a [`Letter`] is
//! what tally says (greeting, paragraphs, a table of facts, the payment
//! link), and each rendering is made from it, so the two never disagree.
//!
//! Invariants: every value reaches the HTML through
//! [`crate::document::escape`]; the subject is one line with control
//! characters shown escaped, so nothing from a name or a description can
//! end a header or add one.

use crate::document::escape;
use crate::domain::text::for_terminal;

/// What a message says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Letter {
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// Label → value rows ("Amount due" → "$1,234.50").
    pub facts: Vec<(String, String)>,
    /// The payment link, with the words on its button.
    pub link: Option<(String, String)>,
    /// Who it is from (the business's name).
    pub signature: String,
}

impl Letter {
    /// The subject as a header may carry it: one line, nothing hidden.
    pub fn subject_line(&self) -> String {
        one_line(&self.subject)
    }

    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        let width = self
            .facts
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(0);
        for (label, value) in &self.facts {
            out.push_str(&format!("  {label:<width$}  {value}\n"));
        }
        if !self.facts.is_empty() {
            out.push('\n');
        }
        if let Some((words, url)) = &self.link {
            out.push_str(&format!("{words}: {url}\n\n"));
        }
        out.push_str(&self.signature);
        out.push('\n');
        for_terminal_keep_lines(&out)
    }

    pub fn html(&self) -> String {
        let mut body = format!("<p>{}</p>\n", escape(&self.greeting));
        for p in &self.paragraphs {
            body.push_str(&format!("<p>{}</p>\n", escape(p)));
        }
        if !self.facts.is_empty() {
            body.push_str(
                "<table role=\"presentation\" style=\"border-collapse:collapse;margin:1em 0\">\n",
            );
            for (label, value) in &self.facts {
                body.push_str(&format!(
                    "<tr><td style=\"padding:4px 16px 4px 0;color:#555\">{}</td>\
                     <td style=\"padding:4px 0;font-weight:600;text-align:right\">{}</td></tr>\n",
                    escape(label),
                    escape(value)
                ));
            }
            body.push_str("</table>\n");
        }
        if let Some((words, url)) = &self.link {
            body.push_str(&format!(
                "<p><a href=\"{u}\" style=\"display:inline-block;padding:10px 18px;background:#1d4ed8;\
                 color:#fff;text-decoration:none;border-radius:6px\">{w}</a></p>\n\
                 <p style=\"color:#555;font-size:13px\">{u}</p>\n",
                u = escape(url),
                w = escape(words)
            ));
        }
        body.push_str(&format!("<p>{}</p>\n", escape(&self.signature)));
        format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\n\
             <body style=\"font-family:system-ui,sans-serif;color:#111;max-width:560px\">\n{body}</body></html>\n",
            escape(&self.subject_line())
        )
    }
}

/// One line: line breaks become spaces, other control characters show.
fn one_line(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| {
            if c == '\r' || c == '\n' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    for_terminal(
        flat.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    )
    .into_owned()
}

/// Control characters escaped, line breaks kept.
fn for_terminal_keep_lines(s: &str) -> String {
    s.split('\n')
        .map(|l| for_terminal(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile() -> Letter {
        Letter {
            subject: "Invoice\r\nBcc: victim@example.com".into(),
            greeting: "Hi <script>alert(1)</script>,".into(),
            paragraphs: vec!["Mowing & \"edging\"\u{1b}[2J".into()],
            facts: vec![("Amount due".into(), "$1.00".into())],
            link: Some((
                "Pay".into(),
                "https://pay.example.com/p/t?a=1&b=\"2\"".into(),
            )),
            signature: "Lawn & Garden".into(),
        }
    }

    #[test]
    fn a_subject_is_one_line() {
        assert_eq!(hostile().subject_line(), "Invoice Bcc: victim@example.com");
    }

    #[test]
    fn html_escapes_every_value() {
        let html = hostile().html();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("Mowing &amp; &quot;edging&quot;\\x1b[2J"));
        assert!(html.contains("a=1&amp;b=&quot;2&quot;"));
    }

    #[test]
    fn text_says_the_same_with_nothing_raw() {
        let text = hostile().text();
        assert!(text.contains("Amount due  $1.00"), "{text}");
        assert!(text.contains("Pay: https://pay.example.com/p/t"));
        assert!(!text.contains('\u{1b}'));
    }
}
