//! The payment page's HTML (seed 001), built from an [`Account`] with no IO.
//!
//! Invariants:
//! - Every value from the book or the config goes through [`escape`].
//! - Money is formatted here from `Decimal`; each tip option carries its own
//!   exact total, so the page script never does arithmetic on money.
//! - Tips and the payment form appear only while the customer owes.

use rust_decimal::Decimal;

use crate::config::Config;
use crate::document::{escape, fill};
use crate::domain::entry::EntryKind;
use crate::domain::link::{Token, first_name};
use crate::domain::{Currency, Entry, Invoice};
use crate::ops::portal::{Account, Standing};

const LAYOUT: &str = include_str!("../../assets/portal.html");

/// The tip choices, in percent; 0 is "No tip" and the default.
pub const TIPS: [u32; 4] = [0, 18, 20, 25];

/// The tip a `?tip=` value asks for; anything that is not one of [`TIPS`]
/// means no tip (a customer's page never fails over a query string).
pub fn parse_tip(raw: Option<&str>) -> u32 {
    raw.and_then(|s| s.parse::<u32>().ok())
        .filter(|t| TIPS.contains(t))
        .unwrap_or(0)
}

/// Where a page is read from and when it was made: served live (`root`
/// empty, paths from the host's root) or published under the path of
/// `[portal] base_url` (`/bucket` for a path-style bucket address).
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub root: &'a str,
    /// "6 Dec, 14:05": when the page's figures were read.
    pub updated: &'a str,
}

/// When a page was made, as it says so: "6 Dec, 14:05" in local time.
pub fn updated_stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::Local)
        .format("%-d %b, %H:%M")
        .to_string()
}

/// Everything the page needs besides the account.
pub struct PageContext<'a> {
    pub config: &'a Config,
    pub token: &'a Token,
    pub today: chrono::NaiveDate,
    pub site: Site<'a>,
}

impl PageContext<'_> {
    fn money(&self, v: Decimal) -> String {
        escape(&self.currency().display(v))
    }

    fn currency(&self) -> Currency {
        self.config.currency()
    }
}

/// The customer's page for `tip` percent.
pub fn account_page(cx: &PageContext<'_>, account: &Account, tip: u32) -> String {
    let standing = account.standing();
    let mut body = match &standing {
        Standing::Settled => {
            "<section class=\"card settled\"><p class=\"big\">You're all set! You have no outstanding balance.</p></section>\n".to_string()
        }
        Standing::Credit(c) => format!(
            "<section class=\"card credit\"><p class=\"big\">Account credit: {}</p><p>It will go toward your next charges.</p></section>\n",
            cx.money(*c)
        ),
        Standing::Owes(owed) => format!(
            "<section class=\"card due\"><p class=\"label\">Amount due</p><p class=\"amount\" id=\"balance\">{}</p>{}</section>\n",
            cx.money(*owed),
            asked_for_subs(cx, account),
        ),
        Standing::BilledTo(parent) => format!(
            "<section class=\"card settled\"><p class=\"big\">Your invoices are billed to {}.</p><p>They are paid through that account, so there is nothing to pay here.</p></section>\n",
            escape(parent)
        ),
    };
    body.push_str(&recent_items(cx, &account.recent));
    body.push_str(&invoices(cx, &account.invoices));
    body.push_str(&format!(
        "<p class=\"statement\"><a href=\"{}/p/{}/statement\">Download statement</a></p>\n",
        escape(cx.site.root),
        escape(cx.token.as_str())
    ));
    if let Standing::Owes(owed) = standing {
        body.push_str(&tips(cx, owed, tip));
        body.push_str(&payment_form(cx, owed, tip));
    }
    let name = &account.customer.name;
    let heading = format!("Hi {}", first_name(name));
    fill(
        LAYOUT,
        &[
            ("root", escape(cx.site.root)),
            ("csp", CSP.into()),
            ("updated", updated_line(cx.site.updated)),
            (
                "title",
                escape(&format!("{} · {}", cx.config.business.name, name)),
            ),
            ("business", escape(&cx.config.business.name)),
            ("heading", escape(&heading)),
            ("body", body),
            ("contact", contact(cx.config)),
            // Only a working page is worth bookmarking.
            (
                "keep",
                "<p>Bookmark this page to check your balance anytime. Keep the link private: anyone who has it can see this page.</p>".into(),
            ),
        ],
    )
}

/// "View recent charges": the last line items, newest first.
fn recent_items(cx: &PageContext<'_>, items: &[Entry]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let rows: String = items
        .iter()
        .map(|e| {
            let (class, amount, tax) = match e.kind {
                EntryKind::Charge => ("is-charge", cx.money(e.amount), cx.money(e.tax)),
                EntryKind::Credit => ("is-credit", cx.money(-e.amount), "—".into()),
                EntryKind::Payout => ("is-charge", cx.money(e.amount), "—".into()),
            };
            let desc = if e.description.trim().is_empty() {
                match e.kind {
                    EntryKind::Charge => "Charge".to_string(),
                    EntryKind::Credit => "Payment or credit".to_string(),
                    EntryKind::Payout => e.label().to_string(),
                }
            } else {
                escape(&e.description)
            };
            format!(
                "<li class=\"{class}\"><div class=\"row\"><span class=\"desc\">{desc}</span><span class=\"amt\">{amount}</span></div><div class=\"sub\"><span>{}</span><span>Tax {tax}</span></div></li>\n",
                e.date.format("%b %-d, %Y"),
            )
        })
        .collect();
    format!(
        "<section class=\"card\"><details class=\"recent\"><summary>View recent charges</summary>\n<ul class=\"items\">\n{rows}</ul>\n</details></section>\n"
    )
}

/// What a parent's amount due is made of, when sub-clients are billed to
/// it: its own account and each sub-client by name (credit as credit).
fn asked_for_subs(cx: &PageContext<'_>, account: &Account) -> String {
    let rows: String = account
        .parts
        .iter()
        .filter(|(_, part)| !part.is_zero())
        .map(|(name, part)| {
            let who = match name {
                None => "Your account".to_string(),
                Some(n) => format!("For {}", escape(n)),
            };
            let amount = if part.is_sign_negative() {
                format!("{} credit", cx.money(-*part))
            } else {
                cx.money(*part)
            };
            format!("<dt>{who}</dt><dd>{amount}</dd>")
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    format!("<dl class=\"totals for-subs\">{rows}</dl>")
}

/// Finalized, unpaid invoices, each linking to its own page; a sub-client's
/// says whose it is.
fn invoices(cx: &PageContext<'_>, invoices: &[(Invoice, Option<String>)]) -> String {
    if invoices.is_empty() {
        return String::new();
    }
    let rows: String = invoices
        .iter()
        .map(|(i, sub)| {
            // On its own line: a sub-client's name may be long.
            let whose = sub
                .as_deref()
                .map(|n| format!("<div class=\"whose\">for {}</div>", escape(n)))
                .unwrap_or_default();
            let due = i
                .due_date
                .map(|d| d.format("%b %-d, %Y").to_string())
                .unwrap_or_default();
            let due = if i.is_overdue(cx.today) {
                format!("<span class=\"overdue\">Overdue since {due}</span>")
            } else {
                format!("Due {due}")
            };
            format!(
                "<li><div class=\"row\"><a href=\"{}/p/{}/invoices/{}\">Invoice {}</a><span class=\"amt\">{}</span></div>{whose}<div class=\"sub\"><span>{due}</span><span>of {}</span></div></li>\n",
                escape(cx.site.root),
                cx.token.as_str(),
                i.id,
                escape(&i.label()),
                cx.money(i.remaining()),
                cx.money(i.total),
            )
        })
        .collect();
    format!(
        "<section class=\"card invoices\"><h2>Invoices</h2>\n<ul class=\"items\">\n{rows}</ul></section>\n"
    )
}

/// The tip radios. Each carries its exact tip and total for the script;
/// without JavaScript, "Update total" submits `?tip=N` to the server.
fn tips(cx: &PageContext<'_>, owed: Decimal, chosen: u32) -> String {
    let cur = cx.currency();
    let options: String = TIPS
        .iter()
        .map(|&pct| {
            let tip = cur.percent_of(owed, Decimal::from(pct));
            let label = if pct == 0 {
                "No tip".to_string()
            } else {
                format!("{pct}%")
            };
            let extra = if pct == 0 {
                String::new()
            } else {
                format!("<small>+{}</small>", cx.money(tip))
            };
            format!(
                "<label class=\"tip\"><input type=\"radio\" name=\"tip\" value=\"{pct}\" data-tip=\"{}\" data-total=\"{}\"{}/> <span>{label}</span>{extra}</label>\n",
                cx.money(tip),
                cx.money(owed + tip),
                if pct == chosen { " checked" } else { "" },
            )
        })
        .collect();
    let tip = cur.percent_of(owed, Decimal::from(chosen));
    format!(
        "<section class=\"card\"><form method=\"get\" class=\"tips\"><fieldset><legend>Add a tip</legend>\n<div class=\"tip-options\">\n{options}</div></fieldset>\n<noscript><button type=\"submit\" class=\"update\">Update total</button></noscript></form>\n<dl class=\"totals\"><dt>Balance</dt><dd>{}</dd><dt>Tip</dt><dd id=\"tip-amount\">{}</dd><dt class=\"grand\">Total to pay</dt><dd class=\"grand\" id=\"total\">{}</dd></dl></section>\n",
        cx.money(owed),
        cx.money(tip),
        cx.money(owed + tip),
    )
}

/// The card form of seed 001, shown but switched off: online payment is
/// not active yet, and the page says so before anything else in the form.
fn payment_form(cx: &PageContext<'_>, owed: Decimal, tip: u32) -> String {
    let total = owed + cx.currency().percent_of(owed, Decimal::from(tip));
    format!(
        r#"<section class="card pay"><h2>Payment</h2>
<p class="notice" role="note"><strong>Online payment is not active yet.</strong> Payment processing is coming soon; this form cannot take a payment, and no card will be charged.</p>
<form class="card-form" aria-disabled="true"><fieldset disabled>
<label class="field">Card number<input inputmode="numeric" autocomplete="off" placeholder="1234 1234 1234 1234"/></label>
<div class="split"><label class="field">Expiry<input autocomplete="off" placeholder="MM / YY"/></label><label class="field">CVC<input inputmode="numeric" autocomplete="off" placeholder="123"/></label></div>
<label class="check"><input type="checkbox" name="save_card"/> <span>Save card for future payments</span></label>
<label class="check"><input type="checkbox" name="sms_consent"/> <span>Text me automated payment reminders (SMS). Message and data rates may apply; reply STOP to opt out.</span></label>
<button type="submit">Pay <span id="pay-total">{}</span></button>
</fieldset></form></section>
"#,
        cx.money(total)
    )
}

/// The page's security policy, in the page itself as well as in the
/// server's header: published pages have no server to send the header.
/// Scripts and styles only from the page's own origin.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'";

/// "Updated 6 Dec, 14:05", or nothing.
fn updated_line(stamp: &str) -> String {
    if stamp.is_empty() {
        return String::new();
    }
    format!("<p class=\"updated\">Updated {}</p>", escape(stamp))
}

/// How to reach the business, from `[business]`.
fn contact(config: &Config) -> String {
    let b = &config.business;
    let ways: Vec<String> = [&b.email, &b.phone]
        .into_iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(escape)
        .collect();
    if ways.is_empty() {
        return String::new();
    }
    format!(
        "<p>Questions? Contact {} at {}.</p>",
        escape(&b.name),
        ways.join(" or ")
    )
}

/// One page for every token that does not open an account (unknown,
/// revoked, malformed) and every invoice that is not shown, so a visitor
/// cannot tell which it was.
pub fn not_found_page(config: &Config) -> String {
    message_page(
        config,
        "Link not found",
        "This payment link is not valid. It may have been replaced by a newer one: ask us for your current link.",
    )
}

/// Shown to a client that has tried too many wrong links.
pub fn too_many_page(config: &Config) -> String {
    message_page(
        config,
        "Too many tries",
        "Too many links that do not work were opened from here. Wait a few minutes, then open your link again.",
    )
}

fn message_page(config: &Config, heading: &str, message: &str) -> String {
    fill(
        LAYOUT,
        &[
            ("root", String::new()),
            ("csp", CSP.into()),
            ("updated", String::new()),
            ("title", escape(heading)),
            ("business", escape(&config.business.name)),
            ("heading", escape(heading)),
            (
                "body",
                format!(
                    "<section class=\"card\"><p>{}</p></section>\n",
                    escape(message)
                ),
            ),
            ("contact", contact(config)),
            ("keep", String::new()),
        ],
    )
}
