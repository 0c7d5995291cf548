//! `tally customer add|list|show|edit|merge|archive|restore`.

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use super::output::{
    customer_detail_json, customer_json, esay, or_dash, overwrite, print_json, say, table,
};
use crate::domain::CustomerSort;
use crate::domain::customer::{BillingCycle, CustomerDetails, CustomerId, parse_terms};
use crate::ops::{Book, Duplicate};
use crate::store::CustomerQuery;

#[derive(Debug, Subcommand)]
pub enum CustomerCmd {
    /// Add a customer. Prints the new customer's id.
    Add(AddArgs),
    /// List customers; by default whoever owes the most comes first.
    List(ListArgs),
    /// A customer's details and balance breakdown.
    Show {
        /// Customer id (the ID column of `tally customer list`).
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change a customer's details. An empty value ("") clears a field.
    Edit(EditArgs),
    /// Join a customer entered twice: everything of FROM (entries,
    /// invoices, payment link, contacts, documents, contracts, timeline,
    /// sub-clients) moves to INTO, and FROM is removed. FROM's email and
    /// phone are kept on INTO, or as a contact when INTO has its own.
    Merge {
        /// The customer that goes away (id or a unique part of the name).
        from: String,
        /// The customer that stays.
        into: String,
    },
    /// Hide a customer with a zero balance from lists and reminders; their
    /// history stays, `customer show` still finds them.
    Archive {
        /// Customer id, or a unique part of the name.
        id: String,
    },
    /// Bring an archived customer back into lists and reminders.
    Restore {
        /// Customer id, or a unique part of the name.
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The customer's name.
    pub name: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub tax_id: Option<String>,
    #[arg(long)]
    pub legal_name: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// The parent customer's id (agency, company or family that pays).
    #[arg(long, value_name = "ID")]
    pub parent: Option<i64>,
    /// Route billing to the parent customer.
    #[arg(long)]
    pub bill_parent: bool,
    /// Add even if another customer has the same email.
    #[arg(long)]
    pub allow_duplicate: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    Balance,
    Name,
    Recent,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value = "balance")]
    pub sort: SortArg,
    /// Only customers whose name, email or phone contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Only the archived customers (hidden from every other list).
    #[arg(long)]
    pub archived: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub id: i64,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub tax_id: Option<String>,
    #[arg(long)]
    pub legal_name: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// The parent customer's id, or `none`.
    #[arg(long, value_name = "ID|none")]
    pub parent: Option<String>,
    #[arg(long, value_name = "true|false")]
    pub bill_parent: Option<bool>,
    #[arg(long, value_name = "none|monthly")]
    pub billing_cycle: Option<String>,
    #[arg(long, value_name = "true|false")]
    pub invoices_paused: Option<bool>,
    #[arg(long, value_name = "true|false")]
    pub portal: Option<bool>,
    /// Days from issue to due for this customer's invoices, or `default`.
    #[arg(long, value_name = "DAYS|default")]
    pub payment_terms: Option<String>,
    /// Save even if another customer has the same email.
    #[arg(long)]
    pub allow_duplicate: bool,
}

pub fn run(book: &mut Book, cmd: CustomerCmd) -> Result<()> {
    match cmd {
        CustomerCmd::Add(a) => add(book, a),
        CustomerCmd::List(a) => list(book, a),
        CustomerCmd::Show { id, json } => show(book, CustomerId(id), json),
        CustomerCmd::Edit(a) => edit(book, a),
        CustomerCmd::Merge { from, into } => {
            let from = book.find_customer_named(&from, None)?;
            let into = book.find_customer_named(&into, Some(from))?;
            let m = book.merge_customers(from, into)?;
            let money = |v| book.currency().display(v);
            say!(
                "Merged customer {} {} into customer {}: balance {} → {}",
                m.from,
                m.from_name,
                m.into,
                money(m.balance_before),
                money(m.balance_after)
            );
            if m.link_revoked {
                say!(
                    "Customer {}'s payment link no longer works; customer {}'s does.",
                    m.from,
                    m.into
                );
            }
            Ok(())
        }
        CustomerCmd::Archive { id } => {
            let id = book.find_customer_named(&id, None)?;
            if book.archive_customer(id, true)? {
                say!(
                    "Archived customer {id}: hidden from lists and reminders (`tally customer restore {id}` brings them back)"
                );
            } else {
                say!("Customer {id} was already archived");
            }
            Ok(())
        }
        CustomerCmd::Restore { id } => {
            let id = book.find_customer_named(&id, None)?;
            if book.archive_customer(id, false)? {
                say!("Restored customer {id}");
            } else {
                say!("Customer {id} was not archived");
            }
            Ok(())
        }
    }
}

fn add(book: &mut Book, a: AddArgs) -> Result<()> {
    let details = CustomerDetails {
        name: a.name,
        email: a.email,
        phone: a.phone,
        address: a.address,
        tax_id: a.tax_id,
        legal_name: a.legal_name,
        notes: a.notes,
        parent_id: a.parent.map(CustomerId),
        bill_to_parent: a.bill_parent,
        ..Default::default()
    };
    let similar = book.find_duplicate(&details.clone().validated()?, None)?;
    let id = book.add_customer(details, a.allow_duplicate)?;
    if let Some(d @ Duplicate::Name { .. }) = similar {
        esay!("warning: {d}; check it is not the same customer");
    }
    say!("{id}");
    Ok(())
}

fn list(book: &Book, a: ListArgs) -> Result<()> {
    let query = CustomerQuery {
        sort: match a.sort {
            SortArg::Balance => CustomerSort::Balance,
            SortArg::Name => CustomerSort::Name,
            SortArg::Recent => CustomerSort::Recent,
        },
        search: a.search,
        offset: 0,
        limit: a.limit.unwrap_or(usize::MAX >> 1),
    };
    let customers = if a.archived {
        book.reads().archived_customers()?
    } else {
        book.reads().customers(&query)?
    };
    let cur = book.currency();
    if a.json {
        return print_json(&customers.iter().map(|c| customer_json(c, cur)).collect());
    }
    let rows: Vec<Vec<String>> = customers
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.name.clone(),
                or_dash(&c.email),
                or_dash(&c.phone),
                cur.plain(c.balance),
            ]
        })
        .collect();
    table(&["ID", "NAME", "EMAIL", "PHONE", "BALANCE"], &rows, &[0, 4])?;
    Ok(())
}

fn show(book: &Book, id: CustomerId, json: bool) -> Result<()> {
    let c = book.customer(id)?;
    let (b, days, subs, asked) = book.snapshot(|r| {
        Ok((
            r.breakdown(id)?,
            r.avg_days_to_collect(id)?,
            r.sub_clients(id, 0, usize::MAX)?,
            // Its own debt and what the sub-clients billed to it owe, or
            // nothing when it is billed to its parent (`ops::payer`).
            crate::ops::payer::asked_total(r, &c)?,
        ))
    })?;
    let cur = book.currency();
    // A parent's balance together with its sub-clients' (seed 003).
    let combined: rust_decimal::Decimal = b.balance
        + subs
            .iter()
            .map(|s| s.balance)
            .sum::<rust_decimal::Decimal>();
    if json {
        let mut v = customer_detail_json(&c, &b, cur);
        if let serde_json::Value::Object(m) = &mut v {
            // A number of days (one decimal), null until something is collected.
            let days = days.and_then(|d| serde_json::Number::from_f64(d.to_string().parse().ok()?));
            m.insert(
                "avg_days_to_collect".into(),
                days.map_or(serde_json::Value::Null, Into::into),
            );
            let list: Vec<_> = subs
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "id": s.id.0,
                        "name": s.name,
                        "balance": cur.plain(s.balance),
                        "bill_to_parent": s.bill_to_parent,
                    })
                })
                .collect();
            m.insert("sub_clients".into(), list.into());
            m.insert("combined_balance".into(), cur.plain(combined).into());
            m.insert("asked_to_pay".into(), cur.plain(asked).into());
        }
        return print_json(&v);
    }
    say!("Customer {}: {}", c.id, c.name);
    let mut fields = vec![
        ("email", or_dash(&c.email)),
        ("phone", or_dash(&c.phone)),
        ("address", or_dash(&c.address)),
        ("tax id", or_dash(&c.tax_id)),
        ("legal name", or_dash(&c.legal_name)),
        ("notes", or_dash(&c.notes)),
    ];
    if let Some(p) = c.parent_id {
        let bill = if c.bill_to_parent {
            " (billed to parent)"
        } else {
            ""
        };
        fields.push(("parent", format!("{p}{bill}")));
    }
    fields.push(("billing cycle", c.billing_cycle.as_str().into()));
    if c.archived {
        fields.push((
            "archived",
            format!(
                "yes: hidden from lists while the balance is zero (`tally customer restore {}`)",
                c.id
            ),
        ));
    }
    if let Some(d) = c.payment_terms_days {
        fields.push(("payment terms", format!("{d} days")));
    }
    let flags: Vec<&str> = [
        (c.invoices_paused, "invoices paused"),
        (c.portal_delivery, "portal"),
    ]
    .into_iter()
    .filter_map(|(on, s)| on.then_some(s))
    .collect();
    if !flags.is_empty() {
        fields.push(("flags", flags.join(", ")));
    }
    for (k, v) in fields {
        say!("  {:<16}{v}", format!("{k}:"));
    }
    say!();
    let mut money = vec![
        ("balance", b.balance),
        ("available credit", b.available_credit),
        ("outstanding", b.outstanding),
        ("uninvoiced", b.uninvoiced),
        ("total billed", b.total_billed),
        ("total collected", b.total_collected),
    ];
    if !b.opening_balance.is_zero() {
        money.push(("opening balance", b.opening_balance));
    }
    let width = money
        .iter()
        .map(|(_, v)| cur.plain(*v).len())
        .max()
        .unwrap_or(0);
    for (k, v) in money {
        say!("  {:<21}{:>width$}", format!("{k}:"), cur.plain(v));
    }
    let days = days.map_or("- (no invoice paid in full yet)".to_string(), |d| {
        format!("{d} days")
    });
    say!("  {:<21}{days}", "avg days to collect:");
    if !subs.is_empty() {
        say!();
        let rows: Vec<Vec<String>> = subs
            .iter()
            .map(|s| {
                vec![
                    s.id.to_string(),
                    s.name.clone(),
                    if s.bill_to_parent { "yes" } else { "" }.into(),
                    cur.plain(s.balance),
                ]
            })
            .collect();
        table(
            &["SUB-CLIENT", "NAME", "BILLED HERE", "BALANCE"],
            &rows,
            &[0, 3],
        )?;
        say!("  combined balance: {}", cur.plain(combined));
        if subs.iter().any(|s| s.bill_to_parent) {
            say!(
                "  asked to pay:     {} (with the sub-clients billed here)",
                cur.plain(asked)
            );
        }
    }
    Ok(())
}

fn edit(book: &mut Book, a: EditArgs) -> Result<()> {
    let id = CustomerId(a.id);
    let mut d = CustomerDetails::from(&book.customer(id)?);
    if let Some(n) = a.name {
        d.name = n;
    }
    overwrite(&mut d.email, a.email);
    overwrite(&mut d.phone, a.phone);
    overwrite(&mut d.address, a.address);
    overwrite(&mut d.tax_id, a.tax_id);
    overwrite(&mut d.legal_name, a.legal_name);
    overwrite(&mut d.notes, a.notes);
    if let Some(p) = a.parent {
        d.parent_id = match p.trim() {
            "none" | "" => None,
            s => match s.parse::<i64>() {
                Ok(n) => Some(CustomerId(n)),
                Err(_) => bail!("parent \"{s}\" is not a customer id: use a number or none"),
            },
        };
        if d.parent_id.is_none() {
            d.bill_to_parent = false;
        }
    }
    if let Some(b) = a.bill_parent {
        d.bill_to_parent = b;
    }
    if let Some(c) = a.billing_cycle {
        d.billing_cycle = BillingCycle::parse(c.trim())
            .ok_or_else(|| anyhow::anyhow!("billing cycle \"{c}\" is not one of: none, monthly"))?;
    }
    if let Some(p) = a.invoices_paused {
        d.invoices_paused = p;
    }
    if let Some(p) = a.portal {
        d.portal_delivery = p;
    }
    if let Some(t) = a.payment_terms {
        d.payment_terms_days = parse_terms(&t).map_err(anyhow::Error::msg)?;
    }
    if book.edit_customer(id, d, a.allow_duplicate)? {
        say!("customer {id} updated");
    } else {
        say!("customer {id} unchanged");
    }
    Ok(())
}
