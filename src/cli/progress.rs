//! Progress bars for long commands, on standard error and only when it is a
//! terminal (a script or a pipe gets the summary line alone). The bar takes
//! the width the counts leave, so the line fits the terminal and never
//! wraps into a second one.

use std::fmt::Write;

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

pub fn bar(what: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let template =
        format!("{what} [{{wide_bar}}] {{human_pos}}/{{human_len}} {unit} {{rate}} {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        let style = style
            .with_key("rate", |s: &ProgressState, w: &mut dyn Write| {
                let _ = w.write_str(&rate(s.per_sec()));
            })
            .progress_chars("=> ");
        bar.set_style(style);
    }
    bar
}

/// `529,568/s`: whole units, grouped (indicatif's own shows four decimals).
fn rate(per_sec: f64) -> String {
    let whole = if per_sec.is_finite() && per_sec > 0.0 {
        per_sec.round() as u64
    } else {
        0
    };
    let grouped = crate::domain::money::group(&whole.to_string());
    format!("{grouped}/s")
}

#[cfg(test)]
mod tests {
    use super::rate;

    #[test]
    fn the_rate_is_whole_and_grouped() {
        assert_eq!(rate(529_567.871_8), "529,568/s");
        assert_eq!(rate(999.4), "999/s");
        assert_eq!(rate(1_000.0), "1,000/s");
        assert_eq!(rate(f64::NAN), "0/s");
        assert_eq!(rate(-3.0), "0/s");
    }
}
