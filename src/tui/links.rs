//! The payment link keys on the customer screen (seed 001): `g` generates,
//! `y` copies, `R` regenerates after a confirm, `m` copies a reminder.
//! Pure state changes; the work happens in `effects` through `ops` and the
//! clipboard session.

use super::action::Command;
use super::component::Cx;
use super::effect::Effect;
use super::screens::customer::CustomerView;
use crate::domain::CustomerId;

/// What a link key asks the effects to do, for one customer.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkOp {
    Generate(CustomerId),
    Regenerate(CustomerId),
    Copy(CustomerId),
    CopyReminder(CustomerId),
}

impl CustomerView {
    /// `g`, `y`, `R` and `m` on the customer screen.
    pub(super) fn link_command(&self, c: Command, cx: &mut Cx) {
        let Some(page) = self.page.as_ref() else {
            return;
        };
        let id = page.customer.id;
        let has_link = page.link.is_some();
        let op = match c {
            Command::GenerateLink if has_link => {
                return cx.error("This customer already has a link: y copies it, R replaces it");
            }
            Command::GenerateLink => LinkOp::Generate(id),
            // A reminder may carry a parent's link (bill to parent), and
            // is refused first for someone who owes nothing: `ops` decides.
            Command::RegenerateLink | Command::CopyLink if !has_link => {
                return cx.error("No payment link yet: press g to generate one");
            }
            Command::RegenerateLink => {
                let name = page.customer.name.clone();
                return cx.confirm(
                    format!(
                        "Regenerate the payment link for {name}?\nThe old link stops working at once: anyone who opens it (bookmarks, earlier messages) sees \"Link not found\". Send the new link afterwards."
                    ),
                    Effect::Link(LinkOp::Regenerate(id)),
                );
            }
            Command::CopyLink => LinkOp::Copy(id),
            _ => LinkOp::CopyReminder(id),
        };
        cx.run(Effect::Link(op));
    }
}
