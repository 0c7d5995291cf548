//! Copying text for the owner to paste: the only user of `arboard`.
//!
//! On Linux the X11 and Wayland clipboards hold no data themselves: the
//! process that copied must stay alive to hand it out, and whatever it
//! copied disappears when it exits. So:
//! - A one-shot command ([`copy_and_leave`]) hands the text to a small
//!   background copy of tally ([`HOLD_ARG`]) that owns the clipboard until
//!   something else is copied, then exits by itself. The text reaches it on
//!   a pipe, never on its command line, so it does not show up in `ps`.
//! - The TUI keeps one [`Session`] for its whole run and, when it quits,
//!   hands its last copy to the same background holder.
//! - Where no clipboard is reachable (no display, over SSH) the text goes
//!   to the terminal as an OSC 52 escape sequence, which most terminal
//!   emulators (and tmux) turn into a clipboard copy on the owner's side.
//!
//! Every caller shows the copied text on screen as well and says which way
//! it went ([`Via::sentence`]), since OSC 52 cannot report success.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use thiserror::Error;

/// The hidden first argument that turns `tally` into a clipboard holder.
pub const HOLD_ARG: &str = "__hold-clipboard";

/// How long to wait for the holder to say it owns the clipboard.
const HOLD_TIMEOUT: Duration = Duration::from_secs(3);

/// Which way text was copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The desktop clipboard (X11, Wayland, macOS, Windows).
    Clipboard,
    /// An OSC 52 escape sequence to the terminal.
    Terminal,
}

impl Via {
    /// One sentence for the owner, e.g. "Link copied to the clipboard."
    pub fn sentence(self, what: &str) -> String {
        match self {
            Via::Clipboard => format!("{what} copied to the clipboard."),
            Via::Terminal => format!(
                "{what} sent to your terminal's clipboard with OSC 52 (no desktop clipboard here); if pasting gives nothing, copy it from the screen."
            ),
        }
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum ClipboardError {
    #[error("cannot copy: no desktop clipboard ({reason}) and no terminal to send OSC 52 to")]
    Unreachable { reason: String },
}

/// Copies `text` so it stays pasteable after this process exits.
pub fn copy_and_leave(text: &str) -> Result<Via, ClipboardError> {
    match leave_with_holder(text) {
        Ok(()) => Ok(Via::Clipboard),
        Err(reason) => osc52_to_tty(text)
            .map(|()| Via::Terminal)
            .map_err(|_| ClipboardError::Unreachable { reason }),
    }
}

/// Whether a desktop clipboard can be expected at all. On Linux that needs
/// a display; without one arboard would only fail after a connect attempt.
fn desktop_available() -> bool {
    if cfg!(target_os = "linux") {
        ["DISPLAY", "WAYLAND_DISPLAY"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
    } else {
        true
    }
}

/// Starts the background holder with `text` and waits until it owns the
/// clipboard. Off Linux the clipboard keeps data itself, so no holder.
fn leave_with_holder(text: &str) -> Result<(), String> {
    if !desktop_available() {
        return Err("no DISPLAY or WAYLAND_DISPLAY".into());
    }
    if !cfg!(target_os = "linux") {
        let mut board = arboard::Clipboard::new().map_err(|e| e.to_string())?;
        return board.set_text(text).map_err(|e| e.to_string());
    }
    let exe = std::env::current_exe().map_err(|e| format!("cannot find tally itself: {e}"))?;
    let mut cmd = Command::new(exe);
    cmd.arg(HOLD_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .current_dir("/");
    // Its own process group: Ctrl-C or a closing terminal aimed at the
    // owner's command must not take the copied text with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start the clipboard holder: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot hand text to the clipboard holder: {e}"))?;
    }
    let stdout = child
        .stdout
        .take()
        .ok_or("the clipboard holder has no output")?;
    let (send, recv) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = send.send(line);
    });
    match recv.recv_timeout(HOLD_TIMEOUT) {
        Ok(line) if line.trim() == "ok" => Ok(()),
        Ok(line) if !line.trim().is_empty() => Err(line.trim().to_string()),
        Ok(_) => Err("the clipboard holder stopped".into()),
        Err(_) => {
            let _ = child.kill();
            Err("the clipboard did not answer".into())
        }
    }
}

/// The holder: reads text from stdin, owns the clipboard, prints `ok`, and
/// keeps serving pastes until something else is copied.
pub fn hold_from_stdin() -> ExitCode {
    let mut text = String::new();
    if io::stdin().read_to_string(&mut text).is_err() {
        println!("the text to copy was not readable");
        return ExitCode::from(1);
    }
    let mut board = match arboard::Clipboard::new() {
        Ok(b) => b,
        Err(e) => {
            println!("{e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = board.set_text(text.clone()) {
        println!("{e}");
        return ExitCode::from(1);
    }
    println!("ok");
    let _ = io::stdout().flush();
    #[cfg(target_os = "linux")]
    {
        use arboard::SetExtLinux;
        // One thread serves pastes and returns once another program takes
        // the clipboard; this one notices the display going away (logout,
        // a test's X server stopping), which the first would never see.
        let waiter = std::thread::spawn(move || {
            if let Ok(mut board) = arboard::Clipboard::new() {
                let _ = board.set().wait().text(text);
            }
        });
        while !waiter.is_finished() && board.get_text().is_ok() {
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    ExitCode::SUCCESS
}

/// The OSC 52 sequence that asks a terminal to put `text` on its clipboard.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text))
}

/// Sends OSC 52 to the controlling terminal (not stdout, which may be a pipe).
fn osc52_to_tty(text: &str) -> io::Result<()> {
    let mut tty = std::fs::OpenOptions::new().write(true).open(tty_path())?;
    tty.write_all(osc52(text).as_bytes())?;
    tty.flush()
}

fn tty_path() -> &'static str {
    if cfg!(windows) { "CONOUT$" } else { "/dev/tty" }
}

/// The TUI's clipboard: one connection for the whole run (on X11, dropping
/// it would drop the copied text), opened on first use.
pub struct Session {
    board: Option<arboard::Clipboard>,
    unreachable: bool,
    last: Option<String>,
    /// The last text this session copied, by whatever way it went.
    sent: Option<(String, Via)>,
    record: Option<Vec<String>>,
}

impl Session {
    pub fn new() -> Session {
        Session {
            board: None,
            unreachable: false,
            last: None,
            sent: None,
            record: None,
        }
    }

    /// The last text this session copied, if the clipboard is known to hold
    /// it still (`Some(true)`), may hold it (`Some(false)`: sent as OSC 52,
    /// which cannot be read back), or `None` when nothing was copied or the
    /// owner has copied something else since.
    pub fn last_copied(&mut self) -> Option<(String, bool)> {
        let (text, via) = self.sent.clone()?;
        if self.record.is_some() {
            return Some((text, true));
        }
        match via {
            Via::Terminal => Some((text, false)),
            Via::Clipboard => {
                let now = self.board().and_then(|b| b.get_text().ok());
                (now.as_deref() == Some(text.as_str())).then_some((text, true))
            }
        }
    }

    /// A session that only remembers what it was asked to copy (tests).
    pub fn recording() -> Session {
        Session {
            record: Some(Vec::new()),
            ..Session::new()
        }
    }

    /// What a recording session was asked to copy, oldest first.
    pub fn recorded(&self) -> &[String] {
        self.record.as_deref().unwrap_or_default()
    }

    /// Copies `text`; with no clipboard reachable, OSC 52 goes to stdout,
    /// the terminal the TUI draws on (terminals act on it without drawing).
    pub fn copy(&mut self, text: &str) -> Result<Via, ClipboardError> {
        self.copy_via(text, &mut io::stdout())
    }

    fn copy_via(&mut self, text: &str, terminal: &mut dyn Write) -> Result<Via, ClipboardError> {
        if let Some(record) = &mut self.record {
            record.push(text.to_string());
            self.sent = Some((text.to_string(), Via::Clipboard));
            return Ok(Via::Clipboard);
        }
        if let Some(board) = self.board()
            && board.set_text(text).is_ok()
        {
            self.last = Some(text.to_string());
            self.sent = Some((text.to_string(), Via::Clipboard));
            return Ok(Via::Clipboard);
        }
        terminal
            .write_all(osc52(text).as_bytes())
            .and_then(|()| terminal.flush())
            .map_err(|e| ClipboardError::Unreachable {
                reason: e.to_string(),
            })?;
        self.sent = Some((text.to_string(), Via::Terminal));
        Ok(Via::Terminal)
    }

    fn board(&mut self) -> Option<&mut arboard::Clipboard> {
        if self.board.is_none() && !self.unreachable {
            match desktop_available().then(arboard::Clipboard::new) {
                Some(Ok(b)) => self.board = Some(b),
                _ => self.unreachable = true,
            }
        }
        self.board.as_mut()
    }

    /// At exit: if the clipboard still holds what this session copied,
    /// hand it to the background holder so it can still be pasted.
    pub fn finish(mut self) {
        let Some(last) = self.last.take() else { return };
        let still_ours = self
            .board
            .as_mut()
            .and_then(|b| b.get_text().ok())
            .is_some_and(|t| t == last);
        if still_ours && cfg!(target_os = "linux") {
            let _ = leave_with_holder(&last);
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_the_text_base64_encoded() {
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn a_session_without_a_display_falls_back_to_osc52_on_the_terminal() {
        let mut s = Session::new();
        s.unreachable = true;
        let mut term = Vec::new();
        assert_eq!(s.copy_via("https://x/p/t", &mut term), Ok(Via::Terminal));
        assert_eq!(String::from_utf8(term).unwrap(), osc52("https://x/p/t"));
    }

    #[test]
    fn a_recording_session_keeps_what_it_copied() {
        let mut s = Session::recording();
        let mut term = Vec::new();
        s.copy_via("a", &mut term).unwrap();
        assert_eq!(s.recorded(), ["a"]);
        assert!(term.is_empty());
    }
}
