//! The book's side of publishing pages: what is waiting, and recording,
//! in one transaction, what storage accepted for one customer together
//! with clearing their due mark (only if no change marked them again
//! meanwhile). The storage side is `crate::publish`.

use super::{Book, Result};
use crate::domain::customer::CustomerId;

/// What one customer's publish changed in storage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sent {
    /// (key, hash) of what storage now holds.
    pub put: Vec<(String, String)>,
    pub deleted: Vec<String>,
}

impl Book {
    /// How many customers' pages wait to be published.
    pub fn pages_waiting(&self) -> Result<usize> {
        Ok(self.reads().count_pages_due()?)
    }

    /// Records what storage accepted for `customer` (`None`: the shared
    /// assets) and clears their due mark if it is still `mark`. Returns
    /// whether it was cleared.
    pub fn record_sent(
        &mut self,
        customer: Option<CustomerId>,
        mark: Option<i64>,
        sent: &Sent,
    ) -> Result<bool> {
        self.transact(|tx, cx| {
            let now = cx.clock.now();
            for (key, hash) in &sent.put {
                tx.record_published(key, customer, hash, now)?;
            }
            for key in &sent.deleted {
                tx.forget_published(key)?;
            }
            match (customer, mark) {
                (Some(c), Some(m)) => Ok(tx.clear_due(c, m)?),
                _ => Ok(true),
            }
        })
    }

    /// Marks every page due when the settings pages are made with (the
    /// business's name and contacts, the currency, the public address)
    /// are not those the published pages were made with. Returns whether
    /// they changed.
    pub fn pages_settings_changed(&mut self) -> Result<bool> {
        let c = &self.config;
        let fingerprint = format!("{:?}|{:?}|{}", c.business, c.currency, c.portal.base_url);
        // Read first: most runs find nothing changed and take no lock.
        if self.reads().published_settings()?.as_deref() == Some(fingerprint.as_str()) {
            return Ok(false);
        }
        self.transact(|tx, _| {
            let changed = tx.swap_published_settings(&fingerprint)?;
            if changed {
                tx.mark_all_due()?;
            }
            Ok(changed)
        })
    }

    /// Marks every customer with pages due: a full publish.
    pub fn mark_all_pages_due(&mut self) -> Result<()> {
        self.transact(|tx, _| Ok(tx.mark_all_due()?))
    }
}
