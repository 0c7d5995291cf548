//! `tally completions SHELL` and `tally man`: shell completion scripts and
//! a man page, generated from the same clap definitions the command line
//! parses with, so they never disagree with it.

use anyhow::Result;
use clap::{Args, CommandFactory, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// bash, zsh or fish.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn completions(a: CompletionsArgs) -> Result<()> {
    let mut cmd = super::Cli::command();
    let shell = match a.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "tally", &mut out);
    write_out(&out)
}

/// One page with every command and option: the top's synopsis,
/// description and global options, then each command (`tally customer
/// add`, …) with its own synopsis, description and options. Nothing points
/// to per-command pages tally does not install.
pub fn man() -> Result<()> {
    let mut cmd = super::Cli::command();
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    top.render_title(&mut out)?;
    top.render_name_section(&mut out)?;
    top.render_synopsis_section(&mut out)?;
    top.render_description_section(&mut out)?;
    top.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    let globals: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();
    for (path, sub) in commands(&cmd, "tally") {
        out.extend_from_slice(format!(".SS \"{path}\"\n").as_bytes());
        let mut sub = sub.clone();
        for id in &globals {
            sub = sub.mut_arg(id, |a| a.hide(true));
        }
        let man = clap_mangen::Man::new(sub);
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_description_section(&mut part)?;
        man.render_options_section(&mut part)?;
        out.extend_from_slice(subsections(&String::from_utf8_lossy(&part)).as_bytes());
    }
    top.render_version_section(&mut out)?;
    write_out(&out)
}

/// Every command under `cmd` (groups and leaves, not `help`), depth
/// first, with its full name.
fn commands<'c>(cmd: &'c clap::Command, path: &str) -> Vec<(String, &'c clap::Command)> {
    let mut all = Vec::new();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{path} {}", sub.get_name());
        all.push((name.clone(), sub));
        all.extend(commands(sub, &name));
    }
    all
}

/// A command's sections as paragraphs under its subsection: `.SH X`
/// becomes a bold label, and an empty description leaves nothing.
fn subsections(roff: &str) -> String {
    roff.lines()
        .map(|l| match l.strip_prefix(".SH ") {
            Some(h) => format!(".PP\n.B {}\n.br", h.trim_matches('"').to_lowercase()),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Generated text to standard output; a closed pipe ends quietly.
fn write_out(bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(super::output::OutputClosed.into())
        }
        other => Ok(other?),
    }
}
