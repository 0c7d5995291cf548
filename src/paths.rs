//! Where tally keeps its files by default, from the platform's conventions
//! (`directories`): the book in the data dir, the config in the config dir.
//! `--db`/`TALLY_DB` and `--config`/`TALLY_CONFIG` override them.

use std::path::PathBuf;

use directories::ProjectDirs;

fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "tally")
}

/// The default book: e.g. `~/.local/share/tally/book.tally` on Linux.
pub fn default_db() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("book.tally"))
}

/// The sample book `--demo` opens, kept apart from the real one.
pub fn demo_db() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("demo.tally"))
}

/// The default config: e.g. `~/.config/tally/config.toml` on Linux.
pub fn default_config() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `~/x` → `$HOME/x`; anything else as typed.
pub fn expand_home(typed: &str) -> PathBuf {
    match (typed.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ if typed == "~" => {
            std::env::var_os("HOME").map_or_else(|| PathBuf::from(typed), PathBuf::from)
        }
        _ => PathBuf::from(typed),
    }
}
