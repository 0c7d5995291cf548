//! The attach form (Documents tab): which file to keep with the customer.

use crate::domain::customer::CustomerId;
use crate::tui::form::{Field, Form, FormKind};

/// Attach form field indices.
pub mod af {
    pub const PATH: usize = 0;
    pub const NAME: usize = 1;
}

pub fn build(customer: CustomerId) -> Form {
    Form::with(
        FormKind::Attach { customer },
        vec![
            Field {
                hint: Some("the file's path; ~ is your home".into()),
                ..Field::text("File", "")
            },
            Field {
                hint: Some("empty = the file's own name".into()),
                ..Field::text("Name", "")
            },
        ],
    )
}

/// The attach form's path (with `~` expanded) and optional name.
pub fn fields(f: &Form) -> Result<(std::path::PathBuf, Option<String>), (usize, String)> {
    let typed = f.value(af::PATH).trim();
    if typed.is_empty() {
        return Err((
            af::PATH,
            "is empty: type the path of the file to attach".into(),
        ));
    }
    let name = Some(f.value(af::NAME).trim().to_string()).filter(|n| !n.is_empty());
    Ok((crate::tui::menu::expand_home(typed), name))
}
