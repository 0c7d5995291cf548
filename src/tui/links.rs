//! The payment link keys on the customer screen (seed 001): `g` generates,
//! `y` copies, `R` regenerates after a confirm, `m` copies a reminder.
//! Pure state changes; the work happens in `effects` through `ops` and the
//! clipboard session.

use super::action::Command;
use super::app::App;
use super::effect::Effect;
use super::view::Overlay;
use crate::domain::CustomerId;

/// What a link key asks the effects to do, for one customer.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkOp {
    Generate(CustomerId),
    Regenerate(CustomerId),
    Copy(CustomerId),
    CopyReminder(CustomerId),
}

impl App {
    pub(super) fn link_command(&mut self, c: Command) {
        let Some(page) = self.customer.as_ref().and_then(|v| v.page.as_ref()) else {
            return;
        };
        let id = page.customer.id;
        let has_link = page.link.is_some();
        let op = match c {
            Command::GenerateLink if has_link => {
                return self.error("This customer already has a link: y copies it, R replaces it");
            }
            Command::GenerateLink => LinkOp::Generate(id),
            // A reminder may carry a parent's link (bill to parent), and
            // is refused first for someone who owes nothing: `ops` decides.
            Command::RegenerateLink | Command::CopyLink if !has_link => {
                return self.error("No payment link yet: press g to generate one");
            }
            Command::RegenerateLink => {
                let name = page.customer.name.clone();
                self.overlay = Some(Overlay::Confirm {
                    message: format!(
                        "Regenerate the payment link for {name}?\nThe old link stops working at once: anyone who opens it (bookmarks, earlier messages) sees \"Link not found\". Send the new link afterwards."
                    ),
                    effect: Box::new(Effect::Link(LinkOp::Regenerate(id))),
                });
                return;
            }
            Command::CopyLink => LinkOp::Copy(id),
            _ => LinkOp::CopyReminder(id),
        };
        self.pending.push(Effect::Link(op));
    }
}
