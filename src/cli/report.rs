//! `tally report aging`: what customers owe, by how late it is, as of a day.

use anyhow::{Result, anyhow};
use clap::Subcommand;
use serde_json::json;

use super::output::{print_json, say, table};
use crate::exchange::csv_out::{Cell, CsvOut};
use crate::ops::{AgingSort, Book, aging_totals};
use crate::store::AgingRow;

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Open invoices past due, the longest overdue first, with when the
    /// customer was last reminded (`m` in the full-screen book records it).
    Overdue {
        #[arg(long)]
        json: bool,
    },
    /// The month at a glance: billed, collected, outstanding (owed less
    /// credit held, at each month's end) and days to collect (DSO) for the
    /// last twelve months, and the five customers who owe most.
    Month {
        #[arg(long)]
        json: bool,
    },
    /// Receivables aging: per customer, owed amounts not yet due and 1–30,
    /// 31–60, 61–90 and over 90 days past due (open invoices by due date,
    /// charges not invoiced by their date plus terms), and the credit they hold (owed amounts net of it, oldest first).
    Aging {
        /// As of this day, YYYY-MM-DD (default: today); later entries are ignored.
        #[arg(long, allow_hyphen_values = true)]
        as_of: Option<String>,
        /// Order: total (default), name, current, 1-30, 31-60, 61-90, over-90, credit.
        #[arg(long, default_value = "total")]
        sort: String,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
    },
}

/// `tally report overdue`: open invoices past due, the longest overdue first.
pub fn overdue(book: &Book, json: bool) -> Result<()> {
    let rows = book.overdue()?;
    let cur = book.currency();
    let money = |m: i64| cur.plain(cur.from_minor(m));
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "invoice": r.number,
                    "customer_id": r.customer,
                    "name": r.name,
                    "due_date": r.due.to_string(),
                    "days_overdue": r.days_late,
                    "remaining": money(r.remaining),
                    "last_reminded": r.last_reminded,
                })
            })
            .collect();
        return print_json(&items.into());
    }
    if rows.is_empty() {
        say!("Nothing is overdue.");
        return Ok(());
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.number.clone(),
                r.customer.to_string(),
                r.name.clone(),
                r.due.to_string(),
                r.days_late.to_string(),
                money(r.remaining),
                r.last_reminded
                    .as_deref()
                    .map(|t| t.chars().take(10).collect())
                    .unwrap_or_else(|| "never".into()),
            ]
        })
        .collect();
    table(
        &[
            "INVOICE",
            "CUSTOMER",
            "NAME",
            "DUE",
            "DAYS LATE",
            "REMAINING",
            "REMINDED",
        ],
        &body,
        &[1, 4, 5],
    )
}

/// `tally report month`: the month-at-a-glance figures as a table or JSON.
pub fn month(book: &Book, json: bool) -> Result<()> {
    let g = book.glance()?;
    let cur = book.currency();
    let days = |d: Option<u32>| d.map(|d| d.to_string());
    if json {
        let months: Vec<serde_json::Value> = g
            .months
            .iter()
            .map(|m| {
                json!({
                    "month": m.month.format("%Y-%m").to_string(),
                    "billed": cur.plain(m.billed),
                    "collected": cur.plain(m.collected),
                    "outstanding": cur.plain(m.outstanding),
                    "days_to_collect": m.days_to_collect,
                })
            })
            .collect();
        let top: Vec<serde_json::Value> = g
            .top
            .iter()
            .map(|c| json!({"id": c.id.0, "name": c.name, "balance": cur.plain(c.balance)}))
            .collect();
        return print_json(&json!({"as_of": g.today.to_string(), "months": months, "top": top}));
    }
    say!("The month at a glance, {}", g.today);
    let body: Vec<Vec<String>> = g
        .months
        .iter()
        .map(|m| {
            vec![
                m.month.format("%Y-%m").to_string(),
                cur.plain(m.billed),
                cur.plain(m.collected),
                cur.plain(m.outstanding),
                days(m.days_to_collect).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(
        &[
            "MONTH",
            "BILLED",
            "COLLECTED",
            "OUTSTANDING",
            "DAYS TO COLLECT",
        ],
        &body,
        &[1, 2, 3, 4],
    )?;
    if g.top.is_empty() {
        say!("Nobody owes anything.");
        return Ok(());
    }
    say!("Owing most:");
    let body: Vec<Vec<String>> = g
        .top
        .iter()
        .map(|c| vec![c.id.0.to_string(), c.name.clone(), cur.plain(-c.balance)])
        .collect();
    table(&["ID", "NAME", "OWES"], &body, &[0, 2])
}

const COLUMNS: [&str; 5] = [
    "current",
    "days_1_30",
    "days_31_60",
    "days_61_90",
    "over_90",
];

pub fn run(book: &Book, cmd: ReportCmd) -> Result<()> {
    let (as_of, sort, json, csv) = match cmd {
        ReportCmd::Overdue { json } => return overdue(book, json),
        ReportCmd::Month { json } => return month(book, json),
        ReportCmd::Aging {
            as_of,
            sort,
            json,
            csv,
        } => (as_of, sort, json, csv),
    };
    let as_of = as_of
        .map(|d| crate::domain::date::parse_date(&d, book.clock().today()))
        .transpose()
        .map_err(|e| anyhow!("--as-of {e}"))?;
    let (day, mut rows) = book.aging(as_of)?;
    let order = AgingSort::parse(&sort).ok_or_else(|| {
        anyhow!(
            "--sort {sort} is not one of: total, name, current, 1-30, 31-60, 61-90, over-90, credit"
        )
    })?;
    order.sort(&mut rows);
    let cur = book.currency();
    let money = |m: i128| cur.plain_minor(m).to_string();
    let totals = aging_totals(&rows);
    let figures = |r: &AgingRow| {
        let mut m = serde_json::Map::new();
        for (k, v) in COLUMNS.iter().zip(r.buckets) {
            m.insert((*k).into(), money(v).into());
        }
        m.insert("total".into(), money(r.total()).into());
        m.insert("credit_held".into(), money(r.credit).into());
        m
    };
    if json {
        let customers: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let mut m = figures(r);
                m.insert("id".into(), r.id.into());
                m.insert("name".into(), r.name.clone().into());
                serde_json::Value::Object(m)
            })
            .collect();
        return print_json(&json!({
            "as_of": day.to_string(),
            "totals": serde_json::Value::Object(figures(&totals)),
            "customers": customers,
        }));
    }
    let header = [
        "ID",
        "NAME",
        "CURRENT",
        "1-30",
        "31-60",
        "61-90",
        "OVER 90",
        "TOTAL",
        "CREDIT HELD",
    ];
    let cells = |r: &AgingRow| -> Vec<String> {
        let mut v = vec![r.id.to_string(), r.name.clone()];
        v.extend(r.buckets.iter().map(|b| money(*b)));
        v.push(money(r.total()));
        v.push(money(r.credit));
        v
    };
    if csv {
        let stdout = std::io::stdout();
        let mut w = CsvOut::new(stdout.lock(), &header)?;
        for r in &rows {
            let c = cells(r);
            let mut row = vec![Cell::Number(c[0].clone()), Cell::Text(&c[1])];
            row.extend(c[2..].iter().map(|n| Cell::Number(n.clone())));
            w.row(&row)?;
        }
        return Ok(w.finish()?);
    }
    say!("Receivables aging as of {day}");
    if rows.is_empty() {
        say!("Nobody owed anything or held credit on {day}.");
        return Ok(());
    }
    let mut body: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let mut t = cells(&totals);
    t[0] = String::new();
    t[1] = "TOTAL".into();
    body.push(t);
    table(&header, &body, &[0, 2, 3, 4, 5, 6, 7, 8])
}

#[derive(Debug, clap::Args)]
pub struct StatementArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    /// First day, YYYY-MM-DD (default: the customer's first entry).
    #[arg(long, allow_hyphen_values = true)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today).
    #[arg(long, allow_hyphen_values = true)]
    pub to: Option<String>,
    /// txt (default) or html.
    #[arg(long, default_value = "txt", value_parser = ["txt", "html"])]
    pub format: String,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Email the statement (to today) to whoever pays, with mail set up.
    #[arg(long, conflicts_with_all = ["from", "to", "out"])]
    pub email: bool,
}

pub fn statement(book: &mut Book, a: StatementArgs) -> Result<()> {
    if a.email {
        let d = book.email_statement(crate::domain::CustomerId(a.customer))?;
        say!("{}", d.describe("Statement"));
        return Ok(());
    }
    let today = book.clock().today();
    let day = |s: Option<String>, what: &str| {
        s.map(|d| crate::domain::date::parse_date(&d, today))
            .transpose()
            .map_err(|e| anyhow!("--{what} {e}"))
    };
    let (from, to) = (day(a.from, "from")?, day(a.to, "to")?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(anyhow!(
            "--from {f} is after --to {t}: the period runs forward"
        ));
    }
    let doc = book.statement(crate::domain::CustomerId(a.customer), from, to)?;
    let text = if a.format == "html" {
        doc.to_html()
    } else {
        doc.to_text()
    };
    match a.out {
        Some(path) => {
            std::fs::write(&path, text)
                .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
            say!("Wrote the statement to {}", path.display());
        }
        None => {
            for line in text.lines() {
                say!("{line}");
            }
        }
    }
    Ok(())
}
