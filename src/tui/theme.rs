//! Colours and emphasis. With `NO_COLOR` set, only bold/dim/reverse are used,
//! and signs still tell owes (-) from credit.

use ratatui::style::{Color, Modifier, Style};
use rust_decimal::Decimal;

/// Which status badge: each has its own colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// Where the customer came from (manual, or an importer's name).
    Source,
    Paused,
    Portal,
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn from_env() -> Theme {
        Theme {
            color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// `c` as the foreground, or no colour under `NO_COLOR`.
    pub fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Owes in red, credit in green, zero dimmed (seed 000's three states).
    pub fn balance(&self, v: Decimal) -> Style {
        if v.is_sign_negative() && !v.is_zero() {
            self.fg(Color::Red)
        } else if v > Decimal::ZERO {
            self.fg(Color::Green)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// Seed 004's status badges: "Invoices paused" orange, "Portal" blue.
    pub fn badge(&self, kind: Badge) -> Style {
        let color = match kind {
            Badge::Source => Color::DarkGray,
            Badge::Paused => Color::Indexed(208),
            Badge::Portal => Color::Blue,
        };
        self.fg(color).add_modifier(Modifier::REVERSED)
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
}
