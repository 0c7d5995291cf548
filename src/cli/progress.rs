//! Progress bars for long commands, on standard error and only when it is a
//! terminal (a script or a pipe gets the summary line alone).

use indicatif::{ProgressBar, ProgressStyle};

pub fn bar(what: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    let template = format!("{what} [{{bar:30}}] {{pos}}/{{len}} {unit} {{per_sec}} {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
