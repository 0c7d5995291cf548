//! The save-a-copy form (Documents tab): where to write a document.

use crate::tui::form::{Field, Form, FormKind, NO_YES};

/// Save-a-copy form field indices.
pub mod sf {
    pub const PATH: usize = 0;
    pub const REPLACE: usize = 1;
}

pub fn build(id: crate::domain::document::DocumentId, name: &str) -> Form {
    let mut form = Form::with(
        FormKind::SaveDocument { id },
        vec![
            Field {
                hint: Some("where to write it; ~ is your home".into()),
                ..Field::text("Save to", format!("~/{}", name.replace('/', "-")))
            },
            Field::choice("Replace", NO_YES, "no"),
        ],
    );
    form.title_suffix = Some(name.to_string());
    form
}

/// Where to write the copy (with `~` expanded), and whether to replace a
/// file there; or the path field's problem.
pub fn fields(f: &Form) -> Result<(std::path::PathBuf, bool), (usize, String)> {
    let typed = f.value(sf::PATH).trim();
    if typed.is_empty() {
        return Err((sf::PATH, "is empty: type where to write the copy".into()));
    }
    Ok((
        crate::tui::menu::expand_home(typed),
        f.value(sf::REPLACE) == "yes",
    ))
}
