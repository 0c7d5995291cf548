//! The first run's questions, asked on an empty book with no config.

use crate::tui::form::{Field, Form, FormKind};

/// The first run's questions (`first_run::Answers`, in that order).
pub fn build(path: std::path::PathBuf) -> Form {
    Form::with(
        FormKind::FirstRun { path },
        vec![
            Field {
                hint: Some("on invoices and the payment page".into()),
                ..Field::text("Business name", "")
            },
            Field {
                hint: Some("shown on the payment page; may be empty".into()),
                ..Field::text("Email", "")
            },
            Field {
                hint: Some("USD, EUR, GBP, CAD, AUD, JPY, …".into()),
                ..Field::text("Currency", "USD")
            },
            Field {
                hint: Some("s3://BUCKET, a folder, or empty for none".into()),
                ..Field::text("Publish to", "")
            },
            Field {
                hint: Some("S3 address if not AWS; empty for AWS".into()),
                ..Field::text("Endpoint", "")
            },
            Field {
                hint: Some("where phones read pages; empty: the bucket's".into()),
                ..Field::text("Public address", "")
            },
        ],
    )
}

/// The first run's answers, from its form.
pub fn answers(f: &Form) -> crate::first_run::Answers {
    crate::first_run::Answers {
        business: f.value(0).to_string(),
        email: f.value(1).to_string(),
        phone: String::new(),
        currency: f.value(2).to_string(),
        publish: f.value(3).to_string(),
        endpoint: f.value(4).to_string(),
        base_url: f.value(5).to_string(),
    }
}

/// The field of the first run's form a config key came from.
pub fn field_of(key: &str) -> usize {
    match key {
        "business.email" => 1,
        "currency.code" | "currency.symbol" | "currency.decimals" => 2,
        "publish.target" => 3,
        "publish.endpoint" => 4,
        "portal.base_url" => 5,
        _ => 0,
    }
}
