//! The merge form (`U`): which customer this one is merged into.

use crate::domain::customer::CustomerId;
use crate::tui::form::{Field, Form, FormKind};

/// Merge (`U`): the customer that stays, typed as a name or id.
pub fn build(customer: CustomerId, name: &str) -> Form {
    let mut form = Form::with(
        FormKind::Merge { customer },
        vec![Field {
            hint: Some(
                "the customer that stays: a name or id; everything of this one moves there".into(),
            ),
            ..Field::text("Into", "")
        }],
    );
    form.title_suffix = Some(name.to_string());
    form
}
