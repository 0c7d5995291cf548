//! Customer lists from other systems: QuickBooks Online's customer list
//! export, Stripe's customers export, or a plain sheet (tally's own export
//! is one). Which it is comes from the header, or from `--source`.
//!
//! Balances come back in tally's sign (negative: the customer owes).
//! QuickBooks' "Open Balance" and Stripe's "Balance" are positive when the
//! customer owes (Stripe's is negative when they hold credit), so both are
//! negated; a plain sheet's `balance` is read as tally writes it.

use rust_decimal::Decimal;

use super::FileError;
use super::csv_in::columns;
use crate::domain::Currency;
use crate::domain::customer::CustomerDetails;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    QuickBooks,
    Stripe,
    InvoiceNinja,
    FreshBooks,
    Wave,
    Zoho,
    Xero,
    Square,
    Akaunting,
    Csv,
}

impl Source {
    const ALL: [Source; 10] = [
        Source::QuickBooks,
        Source::Stripe,
        Source::InvoiceNinja,
        Source::FreshBooks,
        Source::Wave,
        Source::Zoho,
        Source::Xero,
        Source::Square,
        Source::Akaunting,
        Source::Csv,
    ];

    pub fn parse(s: &str) -> Option<Source> {
        match s.to_ascii_lowercase().as_str() {
            "qbo" => Some(Source::QuickBooks),
            "invoice-ninja" | "ninja" => Some(Source::InvoiceNinja),
            other => Source::ALL.into_iter().find(|x| x.as_str() == other),
        }
    }

    /// The name recorded as each created customer's source.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::QuickBooks => "quickbooks",
            Source::Stripe => "stripe",
            Source::InvoiceNinja => "invoiceninja",
            Source::FreshBooks => "freshbooks",
            Source::Wave => "wave",
            Source::Zoho => "zoho",
            Source::Xero => "xero",
            Source::Square => "square",
            Source::Akaunting => "akaunting",
            Source::Csv => "csv",
        }
    }

    /// The system a header looks like it came from (names lower-cased).
    pub fn guess(headers: &[String]) -> Source {
        let has = |n: &str| headers.iter().any(|h| h == n);
        let unnamed_first = headers.first().is_some_and(|h| h.is_empty());
        if unnamed_first && has("total") {
            // QuickBooks' Customer Balance Summary: `,Total`.
            Source::QuickBooks
        } else if has("display name") && has("emailid") {
            Source::Zoho
        } else if has("open balance")
            || has("phone numbers")
            || has("customer full name")
            || (has("display name") || has("customer")) && has("company")
        {
            Source::QuickBooks
        } else if has("id") && (has("created (utc)") || has("created")) {
            Source::Stripe
        } else if has("paid to date") || has("id number") && has("balance") {
            Source::InvoiceNinja
        } else if has("organization") && has("first name") {
            Source::FreshBooks
        } else if has("customer_name") {
            Source::Wave
        } else if has("contactname") || has("*contactname") {
            Source::Xero
        } else if has("square customer id") || has("reference id") && has("first name") {
            Source::Square
        } else if has("user_id") && has("currency_code") {
            Source::Akaunting
        } else {
            Source::Csv
        }
    }

    /// The columns, in order, that make up an address in this system's
    /// export (a country alone is no address).
    fn address_parts(self) -> &'static [&'static str] {
        match self {
            Source::QuickBooks => &[
                "billing address",
                "billing street",
                "street address",
                "street",
                "city",
                "state",
                "zip",
                "country",
            ],
            // The card's billing address is the one Stripe has; its
            // country is the card's, not part of the address people write.
            Source::Stripe => &[
                "card address line1",
                "card address line2",
                "card address city",
                "card address state",
                "card address zip",
            ],
            Source::InvoiceNinja => &[
                "billing street",
                "billing apt/suite",
                "billing city",
                "billing state/province",
                "billing postal code",
                "billing country",
            ],
            Source::FreshBooks => &["street", "city", "province/state", "country", "postal code"],
            Source::Wave => &[
                "address_line_1",
                "address_line_2",
                "city",
                "province/state",
                "postal_code/zip_code",
                "country",
            ],
            Source::Zoho => &[
                "billing address",
                "billing street2",
                "billing city",
                "billing state",
                "billing code",
                "billing country",
            ],
            Source::Xero => &[
                "poaddressline1",
                "poaddressline2",
                "poaddressline3",
                "poaddressline4",
                "pocity",
                "poregion",
                "popostalcode",
                "pocountry",
            ],
            Source::Square => &[
                "street address 1",
                "street address 2",
                "city",
                "state",
                "postal code",
            ],
            Source::Akaunting | Source::Csv => &[
                "address",
                "street",
                "city",
                "state",
                "zip",
                "postal code",
                "country",
            ],
        }
    }

    /// Whether the file's balance is positive when the customer owes (and
    /// so negated into tally's sign): QuickBooks' Open Balance, Stripe's
    /// Account Balance, Invoice Ninja's Balance. A plain sheet's is read
    /// as tally writes it.
    fn owed_is_positive(self) -> bool {
        matches!(
            self,
            Source::QuickBooks | Source::Stripe | Source::InvoiceNinja
        )
    }

    /// Whether a person's first and last name come before the company as
    /// the customer's name (Square's customers are people).
    fn person_first(self) -> bool {
        self == Source::Square
    }
}

/// The fields a column can be mapped to with `--map`, and the header name
/// each stands for.
pub const MAP_FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("company", "company"),
    ("first_name", "first name"),
    ("last_name", "last name"),
    ("email", "email"),
    ("phone", "phone"),
    ("address", "address"),
    ("notes", "notes"),
    ("balance", "balance"),
    ("currency", "currency"),
];

/// Parses `--map "Client Name=name,EmailID=email"` into (column, field)
/// pairs, the column lower-cased as headers are.
pub fn parse_map(text: &str) -> Result<Vec<(String, String)>, String> {
    let fields = || {
        MAP_FIELDS
            .iter()
            .map(|(f, _)| *f)
            .collect::<Vec<_>>()
            .join(", ")
    };
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (column, field) = pair.split_once('=').ok_or_else(|| {
                format!("--map \"{pair}\" is not COLUMN=FIELD, e.g. \"Client Name=name\"")
            })?;
            let field = field.trim().to_lowercase().replace(' ', "_");
            let header = MAP_FIELDS
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, h)| h.to_string())
                .ok_or_else(|| {
                    format!("--map: \"{field}\" is not a field: use one of {}", fields())
                })?;
            Ok((column.trim().to_lowercase(), header))
        })
        .collect()
}

/// Renames the file's columns as `--map` says; a column the file does not
/// have is refused, naming the columns it has.
pub fn apply_map(
    headers: &mut [String],
    map: &[(String, String)],
    file: &str,
) -> Result<(), FileError> {
    for (column, header) in map {
        let Some(at) = headers.iter().position(|h| h == column) else {
            return Err(FileError::Header {
                file: file.into(),
                reason: format!(
                    "--map names a column \"{column}\" the file does not have; its columns are: {}",
                    headers.join(", ")
                ),
            });
        };
        // The column it replaces, if the file also has one by that name,
        // is no longer read.
        for h in headers.iter_mut() {
            if h == header {
                h.insert_str(0, "(unmapped) ");
            }
        }
        headers[at] = header.clone();
    }
    Ok(())
}

/// One customer as the file has it.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRow {
    pub line: usize,
    pub details: CustomerDetails,
    /// The id the system gave the customer: Stripe's `cus_…` (also kept
    /// as a note), Invoice Ninja's ID Number.
    pub reference: Option<String>,
    /// In tally's sign; `None` when the file has no balance column or cell.
    pub balance: Option<Decimal>,
    pub currency: Option<String>,
    /// QuickBooks' sub-customers are `Parent:Child`: the full name of the
    /// parent (itself maybe `Parent:Child`); the row's name is the last part.
    pub parent_path: Option<String>,
    /// The name as the file wrote it (the whole `Parent:Child` path).
    pub full_name: String,
}

/// Where each field is, for one source.
#[derive(Debug, Clone)]
pub struct CustomerColumns {
    source: Source,
    name: Option<usize>,
    company: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    email: Option<usize>,
    phone: Vec<usize>,
    address: Vec<usize>,
    /// Those of `address` that hold a country.
    countries: Vec<usize>,
    notes: Option<usize>,
    id: Option<usize>,
    balance: Option<usize>,
    currency: Option<usize>,
    /// QuickBooks' Customer Balance Summary: names in an unnamed first
    /// column, sub-customers indented under their parent ([`Outline`]).
    pub outline: bool,
}

impl CustomerColumns {
    pub fn find(
        headers: &[String],
        source: Source,
        file: &str,
    ) -> Result<CustomerColumns, FileError> {
        let c = |names: &[&str]| columns(headers, names);
        let outline = source == Source::QuickBooks
            && headers.first().is_some_and(|h| h.is_empty())
            && c(&["total"]).is_some();
        let cols = CustomerColumns {
            source,
            outline,
            name: if outline { Some(0) } else { None }.or(c(&[
                "display name",
                "customer",
                "customer full name",
                "name",
                "customer name",
                "customer_name",
                "client name",
                "contactname",
                "*contactname",
                "full name",
            ])),
            company: c(&["company", "company name", "organization"]),
            first: c(&["first name", "firstname"]),
            last: c(&["last name", "lastname"]),
            email: c(&[
                "email",
                "email address",
                "e-mail",
                "emailid",
                "emailaddress",
            ]),
            // Every phone column, in the file's order: the first number
            // given is the one kept (Invoice Ninja has the client's phone
            // and then the contact's, often only the second filled).
            phone: headers
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    [
                        "phone",
                        "phone number",
                        "phone numbers",
                        "phonenumber",
                        "mobile",
                        "mobilephone",
                    ]
                    .contains(&h.as_str())
                })
                .map(|(i, _)| i)
                .collect(),
            address: source
                .address_parts()
                .iter()
                .filter_map(|n| c(&[n]))
                .collect(),
            countries: source
                .address_parts()
                .iter()
                .filter(|n| n.ends_with("country"))
                .filter_map(|n| c(&[n]))
                .collect(),
            notes: c(&["notes", "description", "note"]),
            // The id the system knows the customer by, for the files
            // that name customers by it (Stripe's invoices).
            id: match source {
                Source::Stripe => c(&["id"]),
                Source::InvoiceNinja => c(&["id number"]),
                _ => None,
            },
            // Stripe's is "Account Balance"; its "Total Spend" and the
            // like are not balances and are never read.
            balance: c(&["open balance", "account balance", "balance"]).or(if outline {
                c(&["total"])
            } else {
                None
            }),
            currency: c(&["currency", "currency_code", "currency code"]),
        };
        if cols.name.is_none() && cols.email.is_none() && cols.company.is_none() {
            return Err(FileError::Header {
                file: file.to_string(),
                reason: format!(
                    "no name, company or email column: a customer list needs at least one. \
                     Its columns are: {}; say which is which with --map, e.g. --map \"{}=name\"",
                    headers.join(", "),
                    headers.first().map_or("Client", String::as_str)
                ),
            });
        }
        Ok(cols)
    }

    pub fn source(&self) -> Source {
        self.source
    }

    /// The id another file from the same system knows this row's customer
    /// by: its own id, or a QuickBooks customer's full name.
    pub fn outside_id(&self, row: &CustomerRow) -> Option<String> {
        match self.source {
            Source::QuickBooks => Some(row.full_name.clone()),
            _ => row.reference.clone(),
        }
    }

    /// One row, or why it is skipped.
    pub fn parse(
        &self,
        line: usize,
        cells: &[&str],
        currency: &Currency,
    ) -> Result<CustomerRow, String> {
        // Akaunting writes a bare NULL for nothing.
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i).copied())
                .filter(|c| *c != "NULL")
                .unwrap_or("")
        };
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let (name, company, email) = (cell(self.name), cell(self.company), cell(self.email));
        let person = format!("{} {}", cell(self.first), cell(self.last));
        let person = person.trim();
        let order = if self.source.person_first() {
            [name, person, company, email]
        } else {
            [name, company, person, email]
        };
        let name = order
            .into_iter()
            .find(|s| !s.is_empty())
            .ok_or("no name, company or email")?;
        // A report's total is not a customer (QuickBooks ends its lists
        // with "Total", its reports with "TOTAL" and "Total for …").
        if name.eq_ignore_ascii_case("total") || name.starts_with("Total for ") {
            return Err("a total row, not a customer".into());
        }
        let full_name = name.to_string();
        let (parent_path, name) = match name.rsplit_once(':') {
            Some((parent, child))
                if self.source == Source::QuickBooks && !child.trim().is_empty() =>
            {
                (Some(parent.trim().to_string()), child.trim())
            }
            _ => (None, name),
        };
        let present: Vec<usize> = self
            .address
            .iter()
            .copied()
            .filter(|&i| !cell(Some(i)).is_empty())
            .collect();
        // A country alone (Invoice2go's client list) is no address.
        let address: Vec<&str> = if present.iter().all(|i| self.countries.contains(i)) {
            Vec::new()
        } else {
            present.iter().map(|&i| cell(Some(i))).collect()
        };
        let balance = match cell(self.balance) {
            "" => None,
            b => {
                let v = signed(b, currency).map_err(|e| format!("balance {e}"))?;
                Some(if self.source.owed_is_positive() {
                    -v
                } else {
                    v
                })
            }
        };
        let reference = opt(cell(self.id));
        let mut notes = opt(cell(self.notes));
        if let Some(id) = reference.as_ref().filter(|_| self.source == Source::Stripe) {
            let from = format!("Stripe customer {id}");
            notes = Some(notes.map_or(from.clone(), |n| format!("{n}\n{from}")));
        }
        Ok(CustomerRow {
            line,
            details: CustomerDetails {
                name: name.to_string(),
                email: opt(email),
                phone: self
                    .phone
                    .iter()
                    .map(|&i| first_phone(cell(Some(i))))
                    .find(|p| !p.is_empty())
                    .and_then(opt),
                address: (!address.is_empty()).then(|| address.join(", ")),
                legal_name: opt(company).filter(|c| c != name),
                notes,
                ..Default::default()
            },
            reference,
            balance,
            currency: opt(&cell(self.currency).to_ascii_uppercase()),
            parent_path,
            full_name,
        })
    }
}

/// Where a row of QuickBooks' Customer Balance Summary sits: the report
/// indents each sub-customer three spaces under its parent, shows only
/// its own name, and closes a parent's group with "Total <parent>".
#[derive(Debug, Default)]
pub struct Outline {
    /// The names of the rows above, one per depth.
    stack: Vec<String>,
}

/// A row of an outline: a customer by full name (`Parent:Child`), or a
/// parent's subtotal.
#[derive(Debug, PartialEq)]
pub enum Placed {
    Customer(String),
    Subtotal(String),
}

impl Outline {
    pub fn place(&mut self, cell: &str) -> Placed {
        let name = cell.trim();
        let depth = (cell.len() - cell.trim_start().len()) / 3;
        if let Some(parent) = name.strip_prefix("Total ")
            && self.stack.get(depth).is_some_and(|p| p == parent)
        {
            let full = self.stack[..=depth].join(":");
            self.stack.truncate(depth);
            return Placed::Subtotal(full);
        }
        self.stack.truncate(depth);
        self.stack.push(name.to_string());
        Placed::Customer(self.stack.join(":"))
    }
}

/// The first number of a labelled phone cell, as QuickBooks writes it
/// (`Phone: (410) 555-0142 Mobile: (603) 555-0126`); any other cell as is.
fn first_phone(cell: &str) -> &str {
    const LABELS: [&str; 4] = ["Phone:", "Mobile:", "Fax:", "Other:"];
    let Some((at, label)) = LABELS
        .iter()
        .filter_map(|l| cell.find(l).map(|at| (at, *l)))
        .min_by_key(|(at, _)| *at)
    else {
        return cell;
    };
    let rest = &cell[at + label.len()..];
    let end = LABELS
        .iter()
        .filter_map(|l| rest.find(l))
        .min()
        .unwrap_or(rest.len());
    rest[..end].trim()
}

/// A signed amount as other systems write it: `-12.50`, `(12.50)`,
/// `$1,200`, and the sign after the symbol as Invoice Ninja writes it,
/// `$-142.85`.
pub(crate) fn signed(s: &str, currency: &Currency) -> Result<Decimal, String> {
    let s = s.trim();
    let (negative, rest) =
        if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            (true, inner)
        } else if let Some(r) = s.strip_prefix('-') {
            (true, r)
        } else if let Some(r) = s
            .strip_prefix(currency.symbol.as_str())
            .and_then(|r| r.strip_prefix('-'))
        {
            (true, r)
        } else {
            (false, s)
        };
    let rest = european(rest).unwrap_or_else(|| rest.to_string());
    let v = currency.parse_tax(&rest).map_err(|e| e.to_string())?;
    Ok(if negative { -v } else { v })
}

/// `1.250,00` or `42,5` (a spreadsheet saved in a European locale) as
/// `1250.00` / `42.5`; `None` for anything else. Only a comma followed by
/// one or two digits to the end counts as a decimal comma: `1,250` is a
/// thousand and two hundred fifty, as everywhere else.
fn european(s: &str) -> Option<String> {
    let (whole, frac) = s.rsplit_once(',')?;
    let decimal = (1..=2).contains(&frac.len()) && frac.chars().all(|c| c.is_ascii_digit());
    let grouped = whole
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '$');
    (decimal && grouped).then(|| format!("{}.{frac}", whole.replace('.', "")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<String> {
        s.split(',').map(|x| x.trim().to_lowercase()).collect()
    }

    #[test]
    fn the_header_says_which_system_and_balances_come_back_in_tallys_sign() {
        let cur = Currency::default();
        let qb = h(
            "Customer,Company,Email,Phone,Billing Street,City,State,Zip,Country,Notes,Open Balance",
        );
        assert_eq!(Source::guess(&qb), Source::QuickBooks);
        let cols = CustomerColumns::find(&qb, Source::QuickBooks, "q.csv").unwrap();
        let row = cols
            .parse(
                2,
                &[
                    "Ann Lee",
                    "Lee Lawns LLC",
                    "ann@x.com",
                    "555",
                    "1 Main",
                    "Springfield",
                    "IL",
                    "62701",
                    "US",
                    "",
                    "1,250.00",
                ],
                &cur,
            )
            .unwrap();
        assert_eq!(
            row.details.address.as_deref(),
            Some("1 Main, Springfield, IL, 62701, US")
        );
        assert_eq!(row.details.legal_name.as_deref(), Some("Lee Lawns LLC"));
        assert_eq!(
            row.balance.map(|b| b.to_string()).as_deref(),
            Some("-1250.00"),
            "owed"
        );
        let stripe = h("id,Name,Email,Phone,Description,Created (UTC),Balance,Currency");
        assert_eq!(Source::guess(&stripe), Source::Stripe);
        let cols = CustomerColumns::find(&stripe, Source::Stripe, "s.csv").unwrap();
        let row = cols
            .parse(
                2,
                &[
                    "cus_123",
                    "",
                    "bo@x.com",
                    "",
                    "",
                    "2026-01-01 10:00",
                    "-20.00",
                    "usd",
                ],
                &cur,
            )
            .unwrap();
        assert_eq!(
            row.details.name, "bo@x.com",
            "no name: the email names them"
        );
        assert_eq!(
            row.balance.map(|b| b.to_string()).as_deref(),
            Some("20.00"),
            "Stripe's negative is credit"
        );
        assert_eq!(row.reference.as_deref(), Some("cus_123"));
        assert_eq!(row.currency.as_deref(), Some("USD"));
        let qb = h("Customer,Phone Numbers,Email,Open Balance");
        let cols = CustomerColumns::find(&qb, Source::QuickBooks, "q.csv").unwrap();
        let row = cols
            .parse(
                3,
                &[
                    "Harbor:North Office:Dock",
                    "Phone: (410) 555-0142 Mobile: (603) 555-0126",
                    "",
                    "98.50",
                ],
                &cur,
            )
            .unwrap();
        assert_eq!(row.details.name, "Dock");
        assert_eq!(row.parent_path.as_deref(), Some("Harbor:North Office"));
        assert_eq!(row.details.phone.as_deref(), Some("(410) 555-0142"));
        assert_eq!(
            cols.parse(9, &["Total", "", "", "40,351.50"], &cur)
                .unwrap_err(),
            "a total row, not a customer"
        );
        let plain = h("name,email,phone,address,balance");
        assert_eq!(Source::guess(&plain), Source::Csv);
        let cols = CustomerColumns::find(&plain, Source::Csv, "p.csv").unwrap();
        let row = cols.parse(2, &["Cy", "", "", "", "(5.00)"], &cur).unwrap();
        assert_eq!(row.balance.map(|b| b.to_string()).as_deref(), Some("-5.00"));
        let row = cols
            .parse(2, &["Cy", "", "", "", "$-142.85"], &cur)
            .unwrap();
        assert_eq!(
            row.balance.map(|b| b.to_string()).as_deref(),
            Some("-142.85")
        );
        // Stripe's balance column is "Account Balance".
        let stripe = h("id,Email,Name,Created (UTC),Account Balance,Currency,Total Spend");
        let cols = CustomerColumns::find(&stripe, Source::Stripe, "s.csv").unwrap();
        let row = cols
            .parse(
                2,
                &[
                    "cus_1",
                    "a@x.com",
                    "A",
                    "2023-08-28 20:18",
                    "125.00",
                    "usd",
                    "900.00",
                ],
                &cur,
            )
            .unwrap();
        assert_eq!(
            row.balance.map(|b| b.to_string()).as_deref(),
            Some("-125.00"),
            "owed"
        );
        assert_eq!(
            cols.parse(3, &["", "", "", "", ""], &cur).unwrap_err(),
            "no name, company or email"
        );
    }
}
