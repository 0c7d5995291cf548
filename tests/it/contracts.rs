//! Contracts (seed 004) from the command line: the catch-up posts each
//! started period once, across month ends, leap years and a start on the
//! 31st; edits change only periods not charged yet; an end date stops
//! charges; a paused customer is charged but not invoiced; and the balance
//! identity holds once contract charges are invoiced and paid.

// Contracts here start in the 2090s: adding one charges the periods
// already started as of today, and these tests move time with
// `billing run --date`, so every period must still be in the future when
// the contract is added.

use crate::common;

use common::Book;
use serde_json::Value;

fn run(b: &Book, date: &str) -> String {
    b.ok(&["billing", "run", "--date", date])
}

fn charges(b: &Book) -> Vec<(String, String, String)> {
    let h: Value = b.json(&["history", "1", "--json"]);
    let mut out: Vec<_> = h
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "charge")
        .map(|e| {
            (
                e["date"].as_str().unwrap().to_string(),
                e["amount"].as_str().unwrap().to_string(),
                e["description"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn with_customer() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    b
}

#[test]
fn a_monthly_contract_started_three_months_ago_charges_three_times_once() {
    let b = with_customer();
    let id = b.ok(&[
        "contract",
        "add",
        "1",
        "Monthly lawn care",
        "--type",
        "recurring",
        "--value",
        "150",
        "--start",
        "2098-01-31",
    ]);
    assert_eq!(id.trim(), "1");
    let said = run(&b, "2098-04-15");
    assert!(
        said.contains("charged 2098-01-31, 2098-02-28, 2098-03-31"),
        "{said}"
    );
    assert_eq!(
        charges(&b),
        [
            (
                "2098-01-31".into(),
                "-150.00".into(),
                "Monthly lawn care — Jan 2098".into()
            ),
            (
                "2098-02-28".into(),
                "-150.00".into(),
                "Monthly lawn care — Feb 2098".into()
            ),
            (
                "2098-03-31".into(),
                "-150.00".into(),
                "Monthly lawn care — Mar 2098".into()
            ),
        ]
    );
    // The second run posts nothing.
    let again = run(&b, "2098-04-15");
    assert!(!again.contains("charged"), "{again}");
    assert_eq!(charges(&b).len(), 3);
    // A new value applies from the next period; posted charges stay.
    b.ok(&["contract", "edit", "1", "--value", "175"]);
    run(&b, "2098-04-30");
    let now = charges(&b);
    assert_eq!(now.len(), 4);
    assert_eq!(
        now[3],
        (
            "2098-04-30".into(),
            "-175.00".into(),
            "Monthly lawn care — Apr 2098".into()
        )
    );
    assert!(now[..3].iter().all(|c| c.1 == "-150.00"));
    // An end date stops charges after it.
    b.ok(&["contract", "end", "1", "--date", "2098-06-15"]);
    run(&b, "2099-01-01");
    let dates: Vec<String> = charges(&b).into_iter().map(|c| c.0).collect();
    assert_eq!(dates.last().map(String::as_str), Some("2098-05-31"));
    let show = b.json(&["contract", "show", "1", "--json"]);
    assert_eq!(show["periods_charged"], 5);
    assert_eq!(show["billed"], "800.00");
    // Its status is read as of today, before it starts.
    assert_eq!(show["status"], "scheduled");
    let timeline = b.json(&["timeline", "1", "--json"]);
    let actions: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"contract.edited") && actions.contains(&"contract.charged"),
        "{actions:?}"
    );
    b.ok(&["check"]);
}

#[test]
fn leap_years_one_time_contracts_and_bad_input() {
    let b = with_customer();
    b.ok(&[
        "contract",
        "add",
        "1",
        "Hedges",
        "--type",
        "recurring",
        "--every",
        "yearly",
        "--value",
        "80",
        "--start",
        "2096-02-29",
    ]);
    b.ok(&[
        "contract",
        "add",
        "1",
        "Patio",
        "--type",
        "one-time",
        "--value",
        "1,200",
        "--start",
        "2098-03-01",
    ]);
    run(&b, "2098-03-01");
    let dates: Vec<String> = charges(&b).into_iter().map(|c| c.0).collect();
    assert_eq!(
        dates,
        ["2096-02-29", "2097-02-28", "2098-02-28", "2098-03-01"]
    );
    b.refused(
        &[
            "contract", "add", "1", "X", "--type", "forever", "--value", "-1", "--start", "soon",
        ],
        "type \"forever\" is not one of: recurring, one-time",
    );
    b.refused(
        &[
            "contract",
            "add",
            "9",
            "X",
            "--type",
            "one-time",
            "--value",
            "1",
            "--start",
            "2098-01-01",
        ],
        "customer 9 not found",
    );
    b.refused(
        &["contract", "edit", "7", "--value", "5"],
        "contract 7 not found",
    );
    b.refused(
        &["contract", "end", "1", "--date", "2020-01-01"],
        "before the start date",
    );
}

#[test]
fn a_paused_customer_is_charged_but_not_invoiced_and_invoiced_charges_keep_the_identity() {
    let b = with_customer();
    b.ok(&["customer", "add", "Bob Stone"]);
    for id in ["1", "2"] {
        b.ok(&["customer", "edit", id, "--billing-cycle", "monthly"]);
    }
    b.ok(&["customer", "edit", "2", "--invoices-paused", "true"]);
    for id in ["1", "2"] {
        b.ok(&[
            "contract",
            "add",
            id,
            "Care",
            "--type",
            "recurring",
            "--value",
            "100",
            "--start",
            "2098-09-01",
        ]);
    }
    run(&b, "2098-11-15");
    let invoices = b.json(&["invoice", "list", "--json"]);
    let owners: Vec<i64> = invoices
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["customer_id"].as_i64().unwrap())
        .collect();
    assert!(
        owners.iter().all(|o| *o == 1),
        "paused Bob gets no invoice: {owners:?}"
    );
    assert_eq!(owners.len(), 2, "Ann: September and October");
    assert_eq!(
        b.json(&["customer", "show", "2", "--json"])["balance"],
        "-300.00",
        "Bob is charged"
    );
    // Ann's invoices by contract: name and period on each, filterable.
    let by_contract = b.json(&[
        "invoice",
        "list",
        "--contract",
        "1",
        "--sort",
        "contract",
        "--json",
    ]);
    let periods: Vec<&str> = by_contract
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            assert_eq!(i["contract"], "Care");
            i["contract_period"].as_str().unwrap()
        })
        .collect();
    assert_eq!(periods, ["2098-09-01", "2098-10-01"]);
    assert_eq!(
        b.json(&["invoice", "list", "--contract", "2", "--json"]),
        serde_json::json!([])
    );
    b.refused(
        &["invoice", "list", "--contract", "9"],
        "contract 9 not found",
    );
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "pay", "INV-0001"]);
    b.ok(&["check"]);
}
