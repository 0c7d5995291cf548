//! Schema migrations and the book's identity.
//!
//! Migrations are append-only: never edit one that has shipped; add a new one.
//! `PRAGMA user_version` holds how many have been applied, and a file with a
//! larger number than [`SCHEMA_VERSION`] is refused untouched.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::{Result, StoreError};
use crate::domain::Currency;

/// `PRAGMA application_id` of every tally book: "TALY".
pub const APPLICATION_ID: i32 = 0x5441_4C59;

const MIGRATIONS: &[&str] = &[
    // 1: customers, entries with a maintained balance, timeline, book meta.
    r#"
    CREATE TABLE book_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE customers (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
        name_key        TEXT NOT NULL,
        email           TEXT CHECK (email IS NULL OR length(email) > 0),
        phone           TEXT,
        address         TEXT,
        tax_id          TEXT,
        legal_name      TEXT,
        notes           TEXT,
        parent_id       INTEGER REFERENCES customers(id),
        bill_to_parent  INTEGER NOT NULL DEFAULT 0 CHECK (bill_to_parent IN (0, 1)),
        invoices_paused INTEGER NOT NULL DEFAULT 0 CHECK (invoices_paused IN (0, 1)),
        portal_delivery INTEGER NOT NULL DEFAULT 0 CHECK (portal_delivery IN (0, 1)),
        billing_cycle   TEXT NOT NULL DEFAULT 'none' CHECK (billing_cycle IN ('none', 'monthly')),
        source          TEXT NOT NULL DEFAULT 'manual',
        balance_cents   INTEGER NOT NULL DEFAULT 0,
        last_activity   TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        CHECK (parent_id IS NULL OR parent_id <> id),
        CHECK (bill_to_parent = 0 OR parent_id IS NOT NULL)
    ) STRICT;
    CREATE INDEX customers_by_balance ON customers (balance_cents, name COLLATE NOCASE, id);
    CREATE INDEX customers_by_name ON customers (name COLLATE NOCASE, id);
    CREATE INDEX customers_by_recent ON customers (last_activity DESC, id DESC);
    CREATE INDEX customers_by_email ON customers (email COLLATE NOCASE);
    CREATE INDEX customers_by_name_key ON customers (name_key);
    CREATE INDEX customers_by_parent ON customers (parent_id);

    CREATE TABLE entries (
        id           INTEGER PRIMARY KEY,
        customer_id  INTEGER NOT NULL REFERENCES customers(id),
        kind         TEXT NOT NULL CHECK (kind IN ('charge', 'credit')),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        tax_cents    INTEGER NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
        description  TEXT NOT NULL DEFAULT '',
        method       TEXT CHECK (method IN ('cash', 'card', 'check', 'transfer', 'other')),
        date         TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        created_at   TEXT NOT NULL,
        CHECK (kind = 'charge' OR tax_cents = 0),
        CHECK ((kind = 'credit') = (method IS NOT NULL))
    ) STRICT;
    CREATE INDEX entries_by_customer_date ON entries (customer_id, date DESC, id DESC);

    CREATE TABLE timeline (
        id          INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        action      TEXT NOT NULL,
        detail      TEXT NOT NULL
    ) STRICT;
    CREATE INDEX timeline_by_customer ON timeline (customer_id, id DESC);
    "#,
    // 2: a trigram index over name, email and phone, so searching 100,000
    // customers as the owner types reads the index instead of every row.
    r#"
    CREATE VIRTUAL TABLE customer_search USING fts5(
        name, email, phone, content = 'customers', content_rowid = 'id', tokenize = 'trigram'
    );
    INSERT INTO customer_search (customer_search) VALUES ('rebuild');
    CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customer_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END;
    CREATE TRIGGER customers_search_delete AFTER DELETE ON customers BEGIN
        INSERT INTO customer_search (customer_search, rowid, name, email, phone)
        VALUES ('delete', old.id, old.name, old.email, old.phone);
    END;
    CREATE TRIGGER customers_search_update AFTER UPDATE OF name, email, phone ON customers BEGIN
        INSERT INTO customer_search (customer_search, rowid, name, email, phone)
        VALUES ('delete', old.id, old.name, old.email, old.phone);
        INSERT INTO customer_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END;
    "#,
    // 3: invoices. A charge is on at most one invoice (`entries.invoice_id`);
    // credits settle invoices through allocations; a finalized invoice has a
    // gapless `seq` and its number; months the billing run has invoiced are
    // remembered so it never bills a month twice.
    r#"
    CREATE TABLE invoices (
        -- AUTOINCREMENT: a deleted draft's id is never reused, so "draft 3"
        -- in the timeline always means one draft.
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'paid', 'void')),
        seq         INTEGER UNIQUE CHECK (seq IS NULL OR seq > 0),
        number      TEXT UNIQUE,
        issue_date  TEXT CHECK (issue_date IS NULL OR issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        due_date    TEXT CHECK (due_date IS NULL OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        total_cents INTEGER CHECK (total_cents IS NULL OR total_cents > 0),
        period      TEXT CHECK (period IS NULL OR period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
        created_at  TEXT NOT NULL,
        CHECK ((status = 'draft') = (seq IS NULL)),
        CHECK ((seq IS NULL) = (number IS NULL)),
        CHECK ((seq IS NULL) = (issue_date IS NULL)),
        CHECK ((seq IS NULL) = (due_date IS NULL)),
        CHECK ((seq IS NULL) = (total_cents IS NULL))
    ) STRICT;
    CREATE INDEX invoices_by_customer ON invoices (customer_id, id);
    CREATE INDEX invoices_by_status ON invoices (status, due_date);

    ALTER TABLE entries ADD COLUMN invoice_id INTEGER REFERENCES invoices(id)
        CHECK (invoice_id IS NULL OR kind = 'charge');
    ALTER TABLE entries ADD COLUMN reference TEXT CHECK (reference IS NULL OR kind = 'credit');
    ALTER TABLE entries ADD COLUMN void_of INTEGER REFERENCES invoices(id)
        CHECK (void_of IS NULL OR kind = 'credit');
    CREATE INDEX entries_by_invoice ON entries (invoice_id) WHERE invoice_id IS NOT NULL;
    CREATE INDEX entries_open_charges ON entries (customer_id, date) WHERE kind = 'charge' AND invoice_id IS NULL;

    CREATE TABLE allocations (
        id           INTEGER PRIMARY KEY,
        credit_id    INTEGER NOT NULL REFERENCES entries(id),
        invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        created_at   TEXT NOT NULL
    ) STRICT;
    CREATE INDEX allocations_by_credit ON allocations (credit_id);
    CREATE INDEX allocations_by_invoice ON allocations (invoice_id);

    CREATE TABLE billed_periods (
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        period      TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
        invoice_id  INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (customer_id, period)
    ) STRICT;

    -- The billing run reads only monthly, unpaused customers.
    CREATE INDEX customers_monthly ON customers (id)
        WHERE billing_cycle = 'monthly' AND invoices_paused = 0;

    ALTER TABLE customers ADD COLUMN payment_terms_days INTEGER
        CHECK (payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 3650);
    "#,
    // 4: payment links. Rows are never deleted: regenerating revokes the
    // old row, so the history of links stays, and at most one row per
    // customer is active.
    r#"
    CREATE TABLE payment_links (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        token       TEXT NOT NULL UNIQUE CHECK (length(token) = 43),
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
    ) STRICT;
    CREATE UNIQUE INDEX payment_links_active ON payment_links (customer_id)
        WHERE revoked_at IS NULL;
    "#,
    // 5: a customer's contacts (seed 004): people to reach, one of them
    // primary (the reminder greets them).
    r#"
    CREATE TABLE contacts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
        email       TEXT,
        phone       TEXT,
        role        TEXT,
        is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
        created_at  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX contacts_by_customer ON contacts (customer_id, id);
    CREATE UNIQUE INDEX contacts_one_primary ON contacts (customer_id) WHERE is_primary = 1;
    "#,
    // 6: money paid back out of a customer's credit (seed 003 "Credit
    // operations"). A payout is a third kind of entry: it lowers the balance
    // like a charge but is never invoiced; `payout_sources` records which
    // credits it used, as allocations do for invoices. A transfer is a
    // payout on one customer and a credit on another, each pointing at the
    // other (`counterpart`); a credit memo on an invoice names it
    // (`memo_of`). SQLite cannot widen a CHECK in place, so `entries` is
    // rebuilt (foreign keys are off while migrations run, and checked after).
    r#"
    -- The value lists are spelt out with OR: SQLite checks an IN list of
    -- three or more through a temporary index built for every row, which
    -- tripled the cost of an insert.
    CREATE TABLE entries_v6 (
        id           INTEGER PRIMARY KEY,
        customer_id  INTEGER NOT NULL REFERENCES customers(id),
        kind         TEXT NOT NULL CHECK (kind = 'charge' OR kind = 'credit' OR kind = 'payout'),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
        tax_cents    INTEGER NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
        description  TEXT NOT NULL DEFAULT '',
        method       TEXT CHECK (method IS NULL OR method = 'cash' OR method = 'card' OR method = 'check'
                                 OR method = 'transfer' OR method = 'other'),
        date         TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        created_at   TEXT NOT NULL,
        invoice_id   INTEGER REFERENCES invoices(id) CHECK (invoice_id IS NULL OR kind = 'charge'),
        reference    TEXT CHECK (reference IS NULL OR kind <> 'charge'),
        void_of      INTEGER REFERENCES invoices(id) CHECK (void_of IS NULL OR kind = 'credit'),
        counterpart  INTEGER REFERENCES entries(id) CHECK (counterpart IS NULL OR kind <> 'charge'),
        memo_of      INTEGER REFERENCES invoices(id) CHECK (memo_of IS NULL OR kind = 'credit'),
        CHECK (kind = 'charge' OR tax_cents = 0),
        -- Payments and refunds say how the money moved; the two sides of a
        -- transfer between customers have no method (they are written one
        -- after the other, so the rule cannot depend on `counterpart`).
        CHECK (kind <> 'charge' OR method IS NULL)
    ) STRICT;
    INSERT INTO entries_v6 (id, customer_id, kind, amount_cents, tax_cents, description, method, date,
                            created_at, invoice_id, reference, void_of)
        SELECT id, customer_id, kind, amount_cents, tax_cents, description, method, date,
               created_at, invoice_id, reference, void_of FROM entries;
    DROP TABLE entries;
    ALTER TABLE entries_v6 RENAME TO entries;
    CREATE INDEX entries_by_customer_date ON entries (customer_id, date DESC, id DESC);
    CREATE INDEX entries_by_invoice ON entries (invoice_id) WHERE invoice_id IS NOT NULL;
    CREATE INDEX entries_open_charges ON entries (customer_id, date) WHERE kind = 'charge' AND invoice_id IS NULL;
    CREATE INDEX entries_memos ON entries (memo_of) WHERE memo_of IS NOT NULL;

    CREATE TABLE payout_sources (
        id           INTEGER PRIMARY KEY,
        payout_id    INTEGER NOT NULL REFERENCES entries(id),
        credit_id    INTEGER NOT NULL REFERENCES entries(id),
        amount_cents INTEGER NOT NULL CHECK (amount_cents > 0)
    ) STRICT;
    CREATE INDEX payout_sources_by_credit ON payout_sources (credit_id);
    CREATE INDEX payout_sources_by_payout ON payout_sources (payout_id);
    "#,
    // 7: documents kept with a customer (seed 004), inside the book so a
    // backup carries them. The bytes live in their own table: listing
    // never reads them, and they are read and written in pieces.
    r#"
    CREATE TABLE documents (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
        kind        TEXT NOT NULL,
        size        INTEGER NOT NULL CHECK (size >= 0),
        created_at  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX documents_by_customer ON documents (customer_id, id);
    CREATE TABLE document_bytes (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id),
        content     BLOB NOT NULL
    ) STRICT;
    "#,
    // 8: contracts (seed 004). A contract's charges name it
    // (`entries.contract_id`); `contract_periods` remembers each period
    // charged, so catching up is idempotent even if a charge is removed.
    r#"
    CREATE TABLE contracts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
        every       TEXT CHECK (every IS NULL OR every = 'weekly' OR every = 'monthly' OR every = 'yearly'),
        value_cents INTEGER NOT NULL CHECK (value_cents > 0),
        start_date  TEXT NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        end_date    TEXT CHECK (end_date IS NULL OR end_date >= start_date),
        terms_days  INTEGER CHECK (terms_days IS NULL OR terms_days BETWEEN 0 AND 3650),
        notes       TEXT,
        created_at  TEXT NOT NULL
    ) STRICT;
    CREATE INDEX contracts_by_customer ON contracts (customer_id, id);
    CREATE TABLE contract_periods (
        contract_id INTEGER NOT NULL REFERENCES contracts(id),
        period      TEXT NOT NULL,
        entry_id    INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (contract_id, period)
    ) STRICT;
    ALTER TABLE entries ADD COLUMN contract_id INTEGER REFERENCES contracts(id)
        CHECK (contract_id IS NULL OR kind = 'charge');
    CREATE INDEX entries_by_contract ON entries (contract_id) WHERE contract_id IS NOT NULL;
    "#,
    // 9: per-day totals (the month at a glance sums them by month; the
    // aging report asks whether anything is dated after a day), kept by
    // triggers in the same transaction as the entries, as balances are
    // kept with them. `day_figures` is the one place that says which
    // entry counts as billed, collected (a payment: money received),
    // credited (a void's or memo's credit, credit transferred in) or paid
    // out (refunds, transfers out); the triggers, a bulk import's catch-up
    // and `tally check` all read it.
    r#"
    CREATE TABLE day_totals (
        day             TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        billed_cents    INTEGER NOT NULL DEFAULT 0,
        collected_cents INTEGER NOT NULL DEFAULT 0,
        credited_cents  INTEGER NOT NULL DEFAULT 0,
        paid_out_cents  INTEGER NOT NULL DEFAULT 0,
        -- How many entries are dated that day.
        entries         INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    CREATE VIEW day_figures AS
        SELECT id, date AS day,
               iif(kind = 'charge', amount_cents + tax_cents, 0) AS billed,
               iif(kind = 'credit' AND void_of IS NULL AND memo_of IS NULL AND counterpart IS NULL,
                   amount_cents, 0) AS collected,
               iif(kind = 'credit' AND (void_of IS NOT NULL OR memo_of IS NOT NULL OR counterpart IS NOT NULL),
                   amount_cents, 0) AS credited,
               iif(kind = 'payout', amount_cents, 0) AS paid_out
        FROM entries;
    INSERT INTO day_totals
        SELECT day, SUM(billed), SUM(collected), SUM(credited), SUM(paid_out), count(*)
        FROM day_figures GROUP BY day;
    CREATE TRIGGER entries_days_insert AFTER INSERT ON entries BEGIN
        INSERT INTO day_totals
            SELECT day, billed, collected, credited, paid_out, 1 FROM day_figures WHERE id = new.id
        ON CONFLICT (day) DO UPDATE SET
            billed_cents = billed_cents + excluded.billed_cents,
            collected_cents = collected_cents + excluded.collected_cents,
            credited_cents = credited_cents + excluded.credited_cents,
            paid_out_cents = paid_out_cents + excluded.paid_out_cents,
            entries = entries + 1;
    END;
    CREATE TRIGGER entries_days_delete BEFORE DELETE ON entries BEGIN
        UPDATE day_totals SET
            billed_cents = billed_cents - f.billed,
            collected_cents = collected_cents - f.collected,
            credited_cents = credited_cents - f.credited,
            paid_out_cents = paid_out_cents - f.paid_out,
            entries = entries - 1
        FROM (SELECT * FROM day_figures WHERE id = old.id) AS f
        WHERE day_totals.day = f.day;
    END;
    CREATE TRIGGER entries_days_update_before
        BEFORE UPDATE OF kind, amount_cents, tax_cents, date, void_of, memo_of, counterpart ON entries BEGIN
        UPDATE day_totals SET
            billed_cents = billed_cents - f.billed,
            collected_cents = collected_cents - f.collected,
            credited_cents = credited_cents - f.credited,
            paid_out_cents = paid_out_cents - f.paid_out,
            entries = entries - 1
        FROM (SELECT * FROM day_figures WHERE id = old.id) AS f
        WHERE day_totals.day = f.day;
    END;
    CREATE TRIGGER entries_days_update_after
        AFTER UPDATE OF kind, amount_cents, tax_cents, date, void_of, memo_of, counterpart ON entries BEGIN
        INSERT INTO day_totals
            SELECT day, billed, collected, credited, paid_out, 1 FROM day_figures WHERE id = new.id
        ON CONFLICT (day) DO UPDATE SET
            billed_cents = billed_cents + excluded.billed_cents,
            collected_cents = collected_cents + excluded.collected_cents,
            credited_cents = credited_cents + excluded.credited_cents,
            paid_out_cents = paid_out_cents + excluded.paid_out_cents,
            entries = entries + 1;
    END;
    "#,
    // 10: each customer's charges not on any invoice, summed and kept by
    // triggers (as day totals are), and those charges by date: the aging
    // report as of today reads only the recent ones and takes the rest as
    // over 90 days from the kept sum.
    r#"
    ALTER TABLE customers ADD COLUMN uninvoiced_cents INTEGER NOT NULL DEFAULT 0;
    UPDATE customers SET uninvoiced_cents = COALESCE((SELECT SUM(e.amount_cents + e.tax_cents)
        FROM entries e WHERE e.customer_id = customers.id AND e.kind = 'charge' AND e.invoice_id IS NULL), 0);
    CREATE INDEX entries_open_by_date ON entries (date, customer_id, amount_cents, tax_cents)
        WHERE kind = 'charge' AND invoice_id IS NULL;
    CREATE TRIGGER entries_uninvoiced_insert AFTER INSERT ON entries
        WHEN new.kind = 'charge' AND new.invoice_id IS NULL BEGIN
        UPDATE customers SET uninvoiced_cents = uninvoiced_cents + new.amount_cents + new.tax_cents
        WHERE id = new.customer_id;
    END;
    CREATE TRIGGER entries_uninvoiced_delete BEFORE DELETE ON entries
        WHEN old.kind = 'charge' AND old.invoice_id IS NULL BEGIN
        UPDATE customers SET uninvoiced_cents = uninvoiced_cents - old.amount_cents - old.tax_cents
        WHERE id = old.customer_id;
    END;
    CREATE TRIGGER entries_uninvoiced_update_before
        BEFORE UPDATE OF kind, amount_cents, tax_cents, invoice_id, customer_id ON entries
        WHEN old.kind = 'charge' AND old.invoice_id IS NULL BEGIN
        UPDATE customers SET uninvoiced_cents = uninvoiced_cents - old.amount_cents - old.tax_cents
        WHERE id = old.customer_id;
    END;
    CREATE TRIGGER entries_uninvoiced_update_after
        AFTER UPDATE OF kind, amount_cents, tax_cents, invoice_id, customer_id ON entries
        WHEN new.kind = 'charge' AND new.invoice_id IS NULL BEGIN
        UPDATE customers SET uninvoiced_cents = uninvoiced_cents + new.amount_cents + new.tax_cents
        WHERE id = new.customer_id;
    END;
    "#,
    // 11: one index per customer's entries instead of two. Carrying `kind`
    // and `invoice_id`, the by-date index answers "this customer's open
    // charges" from the index alone, so the partial index that answered it
    // goes: one index less to keep on every insert and to build after a
    // large import, and a smaller book.
    r#"
    DROP INDEX entries_open_charges;
    DROP INDEX entries_by_customer_date;
    CREATE INDEX entries_by_customer_date ON entries (customer_id, date DESC, id DESC, kind, invoice_id);
    "#,
    // 12: the customer list's footer (owed, credit, customers) kept in one
    // row by triggers, as balances are kept, instead of summed over every
    // customer on the first screen and after every save. Each sum is kept
    // in two halves (a balance's high and low 32 bits), so no book of
    // fewer than two billion customers can overflow it, whatever its
    // balances.
    r#"
    CREATE TABLE book_totals (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        owed_high   INTEGER NOT NULL,
        owed_low    INTEGER NOT NULL,
        credit_high INTEGER NOT NULL,
        credit_low  INTEGER NOT NULL,
        customers   INTEGER NOT NULL
    ) STRICT;
    INSERT INTO book_totals
        SELECT 1, COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) >> 32 END), 0),
               COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) & 4294967295 END), 0),
               COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents >> 32 END), 0),
               COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents & 4294967295 END), 0),
               count(*)
        FROM customers;
    CREATE TRIGGER customers_totals_insert AFTER INSERT ON customers BEGIN
        UPDATE book_totals SET
            owed_high = owed_high + iif(new.balance_cents < 0, (-new.balance_cents) >> 32, 0),
            owed_low = owed_low + iif(new.balance_cents < 0, (-new.balance_cents) & 4294967295, 0),
            credit_high = credit_high + iif(new.balance_cents > 0, new.balance_cents >> 32, 0),
            credit_low = credit_low + iif(new.balance_cents > 0, new.balance_cents & 4294967295, 0),
            customers = customers + 1;
    END;
    CREATE TRIGGER customers_totals_delete AFTER DELETE ON customers BEGIN
        UPDATE book_totals SET
            owed_high = owed_high - iif(old.balance_cents < 0, (-old.balance_cents) >> 32, 0),
            owed_low = owed_low - iif(old.balance_cents < 0, (-old.balance_cents) & 4294967295, 0),
            credit_high = credit_high - iif(old.balance_cents > 0, old.balance_cents >> 32, 0),
            credit_low = credit_low - iif(old.balance_cents > 0, old.balance_cents & 4294967295, 0),
            customers = customers - 1;
    END;
    CREATE TRIGGER customers_totals_update AFTER UPDATE OF balance_cents ON customers BEGIN
        UPDATE book_totals SET
            owed_high = owed_high - iif(old.balance_cents < 0, (-old.balance_cents) >> 32, 0) + iif(new.balance_cents < 0, (-new.balance_cents) >> 32, 0),
            owed_low = owed_low - iif(old.balance_cents < 0, (-old.balance_cents) & 4294967295, 0) + iif(new.balance_cents < 0, (-new.balance_cents) & 4294967295, 0),
            credit_high = credit_high - iif(old.balance_cents > 0, old.balance_cents >> 32, 0) + iif(new.balance_cents > 0, new.balance_cents >> 32, 0),
            credit_low = credit_low - iif(old.balance_cents > 0, old.balance_cents & 4294967295, 0) + iif(new.balance_cents > 0, new.balance_cents & 4294967295, 0);
    END;
    "#,
    // 13: each customer's sums of their entries by kind (what the
    // customer page's balance breakdown shows) and of the credits they have
    // applied to invoices, kept by triggers in one row per customer, so
    // opening a customer reads one row instead of every entry they have.
    r#"
    CREATE TABLE customer_sums (
        customer_id     INTEGER PRIMARY KEY,
        charged_cents   INTEGER NOT NULL DEFAULT 0,
        credited_cents  INTEGER NOT NULL DEFAULT 0,
        memo_cents      INTEGER NOT NULL DEFAULT 0,
        paid_cents      INTEGER NOT NULL DEFAULT 0,
        paid_out_cents  INTEGER NOT NULL DEFAULT 0,
        refunded_cents  INTEGER NOT NULL DEFAULT 0,
        allocated_cents INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    INSERT INTO customer_sums (customer_id, charged_cents, credited_cents, memo_cents, paid_cents, paid_out_cents, refunded_cents, allocated_cents)
        SELECT e.customer_id,
           SUM(iif(e.kind = 'charge', e.amount_cents + e.tax_cents, 0)),
           SUM(iif(e.kind = 'credit', e.amount_cents, 0)),
           SUM(iif(e.kind = 'credit' AND e.memo_of IS NOT NULL, e.amount_cents, 0)),
           SUM(iif(e.kind = 'credit' AND e.void_of IS NULL AND e.memo_of IS NULL AND e.counterpart IS NULL, e.amount_cents, 0)),
           SUM(iif(e.kind = 'payout', e.amount_cents, 0)),
           SUM(iif(e.kind = 'payout' AND e.counterpart IS NULL, e.amount_cents, 0)),
           COALESCE((SELECT SUM(a.amount_cents) FROM allocations a JOIN entries c ON c.id = a.credit_id
                     WHERE c.customer_id = e.customer_id), 0)
        FROM entries e GROUP BY e.customer_id;
    CREATE TRIGGER entries_sums_insert AFTER INSERT ON entries BEGIN
        INSERT INTO customer_sums (customer_id, charged_cents, credited_cents, memo_cents, paid_cents, paid_out_cents, refunded_cents, allocated_cents)
        VALUES (new.customer_id,
            iif(new.kind = 'charge', new.amount_cents + new.tax_cents, 0),
            iif(new.kind = 'credit', new.amount_cents, 0),
            iif(new.kind = 'credit' AND new.memo_of IS NOT NULL, new.amount_cents, 0),
            iif(new.kind = 'credit' AND new.void_of IS NULL AND new.memo_of IS NULL AND new.counterpart IS NULL, new.amount_cents, 0),
            iif(new.kind = 'payout', new.amount_cents, 0),
            iif(new.kind = 'payout' AND new.counterpart IS NULL, new.amount_cents, 0),
            0)
        ON CONFLICT (customer_id) DO UPDATE SET
            charged_cents = charged_cents + excluded.charged_cents,
            credited_cents = credited_cents + excluded.credited_cents,
            memo_cents = memo_cents + excluded.memo_cents,
            paid_cents = paid_cents + excluded.paid_cents,
            paid_out_cents = paid_out_cents + excluded.paid_out_cents,
            refunded_cents = refunded_cents + excluded.refunded_cents,
            allocated_cents = allocated_cents + excluded.allocated_cents;
    END;
    CREATE TRIGGER entries_sums_delete BEFORE DELETE ON entries BEGIN
        UPDATE customer_sums SET
            charged_cents = charged_cents - iif(old.kind = 'charge', old.amount_cents + old.tax_cents, 0),
            credited_cents = credited_cents - iif(old.kind = 'credit', old.amount_cents, 0),
            memo_cents = memo_cents - iif(old.kind = 'credit' AND old.memo_of IS NOT NULL, old.amount_cents, 0),
            paid_cents = paid_cents - iif(old.kind = 'credit' AND old.void_of IS NULL AND old.memo_of IS NULL AND old.counterpart IS NULL, old.amount_cents, 0),
            paid_out_cents = paid_out_cents - iif(old.kind = 'payout', old.amount_cents, 0),
            refunded_cents = refunded_cents - iif(old.kind = 'payout' AND old.counterpart IS NULL, old.amount_cents, 0),
            allocated_cents = allocated_cents - (SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE credit_id = old.id)
        WHERE customer_id = old.customer_id;
    END;
    CREATE TRIGGER entries_sums_update_before BEFORE UPDATE OF kind, amount_cents, tax_cents, memo_of, void_of, counterpart, customer_id ON entries BEGIN
        UPDATE customer_sums SET
            charged_cents = charged_cents - iif(old.kind = 'charge', old.amount_cents + old.tax_cents, 0),
            credited_cents = credited_cents - iif(old.kind = 'credit', old.amount_cents, 0),
            memo_cents = memo_cents - iif(old.kind = 'credit' AND old.memo_of IS NOT NULL, old.amount_cents, 0),
            paid_cents = paid_cents - iif(old.kind = 'credit' AND old.void_of IS NULL AND old.memo_of IS NULL AND old.counterpart IS NULL, old.amount_cents, 0),
            paid_out_cents = paid_out_cents - iif(old.kind = 'payout', old.amount_cents, 0),
            refunded_cents = refunded_cents - iif(old.kind = 'payout' AND old.counterpart IS NULL, old.amount_cents, 0),
            allocated_cents = allocated_cents - (SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE credit_id = old.id)
        WHERE customer_id = old.customer_id;
    END;
    CREATE TRIGGER entries_sums_update_after AFTER UPDATE OF kind, amount_cents, tax_cents, memo_of, void_of, counterpart, customer_id ON entries BEGIN
        INSERT INTO customer_sums (customer_id, charged_cents, credited_cents, memo_cents, paid_cents, paid_out_cents, refunded_cents, allocated_cents)
        VALUES (new.customer_id,
            iif(new.kind = 'charge', new.amount_cents + new.tax_cents, 0),
            iif(new.kind = 'credit', new.amount_cents, 0),
            iif(new.kind = 'credit' AND new.memo_of IS NOT NULL, new.amount_cents, 0),
            iif(new.kind = 'credit' AND new.void_of IS NULL AND new.memo_of IS NULL AND new.counterpart IS NULL, new.amount_cents, 0),
            iif(new.kind = 'payout', new.amount_cents, 0),
            iif(new.kind = 'payout' AND new.counterpart IS NULL, new.amount_cents, 0),
            (SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE credit_id = new.id))
        ON CONFLICT (customer_id) DO UPDATE SET
            charged_cents = charged_cents + excluded.charged_cents,
            credited_cents = credited_cents + excluded.credited_cents,
            memo_cents = memo_cents + excluded.memo_cents,
            paid_cents = paid_cents + excluded.paid_cents,
            paid_out_cents = paid_out_cents + excluded.paid_out_cents,
            refunded_cents = refunded_cents + excluded.refunded_cents,
            allocated_cents = allocated_cents + excluded.allocated_cents;
    END;
    CREATE TRIGGER allocations_sums_insert AFTER INSERT ON allocations BEGIN
        UPDATE customer_sums SET allocated_cents = allocated_cents + new.amount_cents
        WHERE customer_id = (SELECT customer_id FROM entries WHERE id = new.credit_id);
    END;
    CREATE TRIGGER allocations_sums_delete AFTER DELETE ON allocations BEGIN
        UPDATE customer_sums SET allocated_cents = allocated_cents - old.amount_cents
        WHERE customer_id = (SELECT customer_id FROM entries WHERE id = old.credit_id);
    END;
    CREATE TRIGGER allocations_sums_update AFTER UPDATE OF amount_cents, credit_id ON allocations BEGIN
        UPDATE customer_sums SET allocated_cents = allocated_cents - old.amount_cents
        WHERE customer_id = (SELECT customer_id FROM entries WHERE id = old.credit_id);
        UPDATE customer_sums SET allocated_cents = allocated_cents + new.amount_cents
        WHERE customer_id = (SELECT customer_id FROM entries WHERE id = new.credit_id);
    END;
    "#,
    // 14: one definition of billed and collected (DESIGN §6), and opening
    // balances as their own kind of line. A day's `billed` is its charges
    // less the voids and credit memos written that day; `collected` is the
    // money received less what was refunded; transfers between customers
    // and opening balances (the debt or credit a customer brought from the
    // system the owner left) are kept apart, so the month report summed
    // over every month equals the customers' own totals. Opening balances
    // were imported as lines described "Opening balance" whose import the
    // timeline recorded; those are marked. The day totals are rebuilt.
    r#"
    ALTER TABLE entries ADD COLUMN opening INTEGER NOT NULL DEFAULT 0
        CHECK (opening IN (0, 1));
    UPDATE entries SET opening = 1
    WHERE description = 'Opening balance' AND kind IN ('charge', 'credit') AND invoice_id IS NULL
      AND EXISTS (SELECT 1 FROM timeline t WHERE t.customer_id = entries.customer_id
                  AND t.action = 'entries.imported'
                  AND t.detail LIKE entries.kind || ' #' || entries.id || ': opening balance %');
    CREATE INDEX entries_opening ON entries (customer_id) WHERE opening = 1;
    DROP TRIGGER entries_days_insert;
    DROP TRIGGER entries_days_delete;
    DROP TRIGGER entries_days_update_before;
    DROP TRIGGER entries_days_update_after;
    DROP VIEW day_figures;
    DROP TABLE day_totals;
    CREATE TABLE day_totals (
        day                 TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        billed_cents        INTEGER NOT NULL DEFAULT 0,
        collected_cents     INTEGER NOT NULL DEFAULT 0,
        transfers_in_cents  INTEGER NOT NULL DEFAULT 0,
        transfers_out_cents INTEGER NOT NULL DEFAULT 0,
        -- Opening balances, signed as owed: a debt positive, a credit negative.
        opening_cents       INTEGER NOT NULL DEFAULT 0,
        -- How many entries are dated that day.
        entries             INTEGER NOT NULL DEFAULT 0
    ) STRICT, WITHOUT ROWID;
    CREATE VIEW day_figures AS
        SELECT id, date AS day,
               iif(kind = 'charge' AND opening = 0, amount_cents + tax_cents, 0)
                 - iif(kind = 'credit' AND (void_of IS NOT NULL OR memo_of IS NOT NULL), amount_cents, 0)
                 AS billed,
               iif(kind = 'credit' AND opening = 0 AND void_of IS NULL AND memo_of IS NULL
                   AND counterpart IS NULL, amount_cents, 0)
                 - iif(kind = 'payout' AND counterpart IS NULL, amount_cents, 0)
                 AS collected,
               iif(kind = 'credit' AND counterpart IS NOT NULL, amount_cents, 0) AS transfers_in,
               iif(kind = 'payout' AND counterpart IS NOT NULL, amount_cents, 0) AS transfers_out,
               iif(opening = 1, iif(kind = 'charge', amount_cents + tax_cents, -amount_cents), 0) AS opening
        FROM entries;
    INSERT INTO day_totals
        SELECT day, SUM(billed), SUM(collected), SUM(transfers_in), SUM(transfers_out), SUM(opening), count(*)
        FROM day_figures GROUP BY day;
    CREATE TRIGGER entries_days_insert AFTER INSERT ON entries BEGIN
        INSERT INTO day_totals
            SELECT day, billed, collected, transfers_in, transfers_out, opening, 1
            FROM day_figures WHERE id = new.id
        ON CONFLICT (day) DO UPDATE SET
            billed_cents = billed_cents + excluded.billed_cents,
            collected_cents = collected_cents + excluded.collected_cents,
            transfers_in_cents = transfers_in_cents + excluded.transfers_in_cents,
            transfers_out_cents = transfers_out_cents + excluded.transfers_out_cents,
            opening_cents = opening_cents + excluded.opening_cents,
            entries = entries + 1;
    END;
    CREATE TRIGGER entries_days_delete BEFORE DELETE ON entries BEGIN
        UPDATE day_totals SET
            billed_cents = billed_cents - f.billed,
            collected_cents = collected_cents - f.collected,
            transfers_in_cents = transfers_in_cents - f.transfers_in,
            transfers_out_cents = transfers_out_cents - f.transfers_out,
            opening_cents = opening_cents - f.opening,
            entries = entries - 1
        FROM (SELECT * FROM day_figures WHERE id = old.id) AS f
        WHERE day_totals.day = f.day;
    END;
    CREATE TRIGGER entries_days_update_before
        BEFORE UPDATE OF kind, amount_cents, tax_cents, date, void_of, memo_of, counterpart, opening
        ON entries BEGIN
        UPDATE day_totals SET
            billed_cents = billed_cents - f.billed,
            collected_cents = collected_cents - f.collected,
            transfers_in_cents = transfers_in_cents - f.transfers_in,
            transfers_out_cents = transfers_out_cents - f.transfers_out,
            opening_cents = opening_cents - f.opening,
            entries = entries - 1
        FROM (SELECT * FROM day_figures WHERE id = old.id) AS f
        WHERE day_totals.day = f.day;
    END;
    CREATE TRIGGER entries_days_update_after
        AFTER UPDATE OF kind, amount_cents, tax_cents, date, void_of, memo_of, counterpart, opening
        ON entries BEGIN
        INSERT INTO day_totals
            SELECT day, billed, collected, transfers_in, transfers_out, opening, 1
            FROM day_figures WHERE id = new.id
        ON CONFLICT (day) DO UPDATE SET
            billed_cents = billed_cents + excluded.billed_cents,
            collected_cents = collected_cents + excluded.collected_cents,
            transfers_in_cents = transfers_in_cents + excluded.transfers_in_cents,
            transfers_out_cents = transfers_out_cents + excluded.transfers_out_cents,
            opening_cents = opening_cents + excluded.opening_cents,
            entries = entries + 1;
    END;
    "#,
    // 15: books brought from other systems. An imported invoice keeps the
    // old system's number (`origin` says which system) and takes no place
    // in tally's gapless sequence: `seq` stays NULL on it. The table is
    // rebuilt because SQLite cannot change a CHECK in place. Customers
    // remember the ids other systems gave them (a Stripe `cus_…`, a
    // QuickBooks full name), several per customer, so a second file finds
    // them again; and a customer can be archived (hidden from lists and
    // reminders, history kept).
    r#"
    CREATE TABLE invoices_v15 (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        status      TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'paid', 'void')),
        seq         INTEGER UNIQUE CHECK (seq IS NULL OR seq > 0),
        number      TEXT UNIQUE,
        issue_date  TEXT CHECK (issue_date IS NULL OR issue_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        due_date    TEXT CHECK (due_date IS NULL OR due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        total_cents INTEGER CHECK (total_cents IS NULL OR total_cents > 0),
        period      TEXT CHECK (period IS NULL OR period GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]'),
        created_at  TEXT NOT NULL,
        origin      TEXT CHECK (origin IS NULL OR length(origin) > 0),
        CHECK ((status = 'draft') = (number IS NULL)),
        CHECK ((seq IS NULL) = (status = 'draft' OR origin IS NOT NULL)),
        CHECK ((number IS NULL) = (issue_date IS NULL)),
        CHECK ((number IS NULL) = (due_date IS NULL)),
        CHECK ((number IS NULL) = (total_cents IS NULL))
    ) STRICT;
    INSERT INTO invoices_v15 (id, customer_id, status, seq, number, issue_date, due_date, total_cents,
                              period, created_at)
        SELECT id, customer_id, status, seq, number, issue_date, due_date, total_cents, period, created_at
        FROM invoices;
    -- Keep the ids of deleted drafts used: AUTOINCREMENT's counter moves
    -- to the new table before the old one (and its counter) is dropped.
    DELETE FROM sqlite_sequence WHERE name = 'invoices_v15';
    UPDATE sqlite_sequence SET name = 'invoices_v15' WHERE name = 'invoices';
    DROP TABLE invoices;
    ALTER TABLE invoices_v15 RENAME TO invoices;
    CREATE INDEX invoices_by_customer ON invoices (customer_id, id);
    CREATE INDEX invoices_by_status ON invoices (status, due_date);

    CREATE TABLE outside_ids (
        system      TEXT NOT NULL CHECK (length(system) > 0),
        outside_id  TEXT NOT NULL CHECK (length(outside_id) > 0),
        customer_id INTEGER NOT NULL REFERENCES customers(id),
        PRIMARY KEY (system, outside_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX outside_ids_by_customer ON outside_ids (customer_id);

    ALTER TABLE customers ADD COLUMN archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1));
    -- The hidden ones (archived, owing nothing either way): few, counted
    -- and skipped through this index without reading the others.
    CREATE INDEX customers_hidden ON customers (id) WHERE archived = 1 AND balance_cents = 0;
    "#,
    // 16: published pages. Every change that can alter a customer's pages
    // (their entries, invoices, allocations, link, details; a sub-client
    // billed to them) marks them due, by trigger, in the same transaction
    // as the change; the publisher clears a mark only if it is still the
    // one it read (`gen`), so a change made while it worked stays due.
    // `published` is what tally last put in storage, by key and content
    // hash, so a publish sends only what changed and removes what is no
    // longer live.
    r#"
    CREATE TABLE pages_due (
        customer_id INTEGER PRIMARY KEY,
        gen         INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE published (
        key         TEXT PRIMARY KEY,
        customer_id INTEGER,
        hash        TEXT NOT NULL,
        at          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX published_by_customer ON published (customer_id);
    CREATE VIEW pages_due_next AS SELECT COALESCE(MAX(gen), 0) + 1 AS gen FROM pages_due;
    CREATE TRIGGER entries_pages_insert AFTER INSERT ON entries BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id = new.customer_id
               OR c.id = (SELECT parent_id FROM customers WHERE id = new.customer_id AND bill_to_parent = 1)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER entries_pages_update AFTER UPDATE ON entries BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id IN (new.customer_id, old.customer_id)
               OR c.id = (SELECT parent_id FROM customers WHERE id = new.customer_id AND bill_to_parent = 1)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER entries_pages_delete AFTER DELETE ON entries BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id = old.customer_id
               OR c.id = (SELECT parent_id FROM customers WHERE id = old.customer_id AND bill_to_parent = 1)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER invoices_pages_insert AFTER INSERT ON invoices BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id = new.customer_id
               OR c.id = (SELECT parent_id FROM customers WHERE id = new.customer_id AND bill_to_parent = 1)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER invoices_pages_update AFTER UPDATE ON invoices BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id IN (new.customer_id, old.customer_id)
               OR c.id = (SELECT parent_id FROM customers WHERE id = new.customer_id AND bill_to_parent = 1)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER allocations_pages AFTER INSERT ON allocations BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT i.customer_id, (SELECT gen FROM pages_due_next) FROM invoices i WHERE i.id = new.invoice_id
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER allocations_pages_delete AFTER DELETE ON allocations BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT i.customer_id, (SELECT gen FROM pages_due_next) FROM invoices i WHERE i.id = old.invoice_id
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER links_pages_insert AFTER INSERT ON payment_links BEGIN
        INSERT INTO pages_due (customer_id, gen) VALUES (new.customer_id, (SELECT gen FROM pages_due_next))
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER links_pages_update AFTER UPDATE ON payment_links BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id IN (new.customer_id, old.customer_id)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER customers_pages_update AFTER UPDATE OF name, email, phone, address, parent_id,
        bill_to_parent, archived ON customers BEGIN
        INSERT INTO pages_due (customer_id, gen)
            SELECT c.id, (SELECT gen FROM pages_due_next) FROM customers c
            WHERE c.id IN (new.id, new.parent_id, old.parent_id)
        ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen;
    END;
    CREATE TRIGGER customers_pages_delete AFTER DELETE ON customers BEGIN
        DELETE FROM pages_due WHERE customer_id = old.id;
    END;
    INSERT INTO pages_due (customer_id, gen)
        SELECT customer_id, 1 FROM payment_links WHERE revoked_at IS NULL;
    "#,
    // 17: mail. Each message is written whole (recipient, subject, both
    // bodies, any attachment) in the same transaction as the change that
    // causes it, then sent by a sender. `state` moves queued → sending →
    // sent or failed, or back to queued after a 4xx; a row still sending
    // long after `claimed_at` was lost with its sender and is never sent
    // again on its own. `reminder_steps` says which step of the reminder
    // schedule each invoice has had (or passed, or the owner skipped), so
    // each goes out once.
    r#"
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('invoice', 'receipt', 'reminder', 'statement')),
        customer_id     INTEGER NOT NULL REFERENCES customers(id),
        invoice_id      INTEGER REFERENCES invoices(id),
        recipient       TEXT NOT NULL CHECK (length(recipient) > 0),
        subject         TEXT NOT NULL,
        text_body       TEXT NOT NULL,
        html_body       TEXT NOT NULL,
        attachment_name TEXT,
        attachment      BLOB,
        state           TEXT NOT NULL DEFAULT 'queued'
                        CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_at         TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        claimed_at      TEXT,
        sent_at         TEXT,
        reply           TEXT,
        CHECK ((state = 'sending') <= (claimed_at IS NOT NULL)),
        CHECK ((state = 'sent') = (sent_at IS NOT NULL)),
        CHECK ((attachment IS NULL) = (attachment_name IS NULL))
    ) STRICT;
    CREATE INDEX outbox_queued ON outbox (next_at) WHERE state = 'queued';
    CREATE INDEX outbox_unsettled ON outbox (state) WHERE state IN ('sending', 'failed');
    CREATE INDEX outbox_by_customer ON outbox (customer_id, id DESC);
    CREATE TABLE reminder_steps (
        invoice_id  INTEGER NOT NULL REFERENCES invoices(id),
        step        INTEGER NOT NULL CHECK (step > 0),
        outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'passed', 'skipped')),
        at          TEXT NOT NULL,
        outbox_id   INTEGER REFERENCES outbox(id),
        PRIMARY KEY (invoice_id, step)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 18: each day's figures keep their one definition and also carry the
    // entry's own columns, so `tally check` reads the figures and what it
    // sums per customer in one scan of the entries (a join of the view
    // with its own table read every row twice). The figures are unchanged;
    // the triggers name their columns, so they read the view as before.
    r#"
    DROP VIEW day_figures;
    CREATE VIEW day_figures AS
        SELECT id, date AS day,
               iif(kind = 'charge' AND opening = 0, amount_cents + tax_cents, 0)
                 - iif(kind = 'credit' AND (void_of IS NOT NULL OR memo_of IS NOT NULL), amount_cents, 0)
                 AS billed,
               iif(kind = 'credit' AND opening = 0 AND void_of IS NULL AND memo_of IS NULL
                   AND counterpart IS NULL, amount_cents, 0)
                 - iif(kind = 'payout' AND counterpart IS NULL, amount_cents, 0)
                 AS collected,
               iif(kind = 'credit' AND counterpart IS NOT NULL, amount_cents, 0) AS transfers_in,
               iif(kind = 'payout' AND counterpart IS NOT NULL, amount_cents, 0) AS transfers_out,
               iif(opening = 1, iif(kind = 'charge', amount_cents + tax_cents, -amount_cents), 0) AS opening,
               customer_id, kind, amount_cents, tax_cents, invoice_id, memo_of, void_of,
               counterpart, contract_id
        FROM entries;
    "#,
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Read-only checks on an existing file: is it ours, and can we read its schema?
pub(super) fn check_identity(conn: &Connection, path: &Path) -> Result<()> {
    let not_a_book = || StoreError::NotABook(path.to_path_buf());
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|_| not_a_book())?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| not_a_book())?;
    if app_id != APPLICATION_ID {
        return Err(not_a_book());
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies the migrations this file has not seen yet, each in its own
/// transaction together with its `user_version` bump. The version is read
/// inside that transaction, so two tallys opening a new book at once apply
/// each migration once.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    // An up-to-date book needs no write lock: reading the version takes
    // none in WAL mode, so opening it never waits for another tally that
    // is writing (a billing run, an import).
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if version == SCHEMA_VERSION && app_id == APPLICATION_ID {
        return Ok(());
    }
    // A migration may rebuild a table that others reference; SQLite only
    // allows that with enforcement off, and it cannot be switched inside a
    // transaction. Each migration checks the keys itself before committing.
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let out = apply_migrations(conn, path);
    if enforced {
        conn.pragma_update(None, "foreign_keys", "ON")?;
    }
    out
}

fn apply_migrations(conn: &mut Connection, path: &Path) -> Result<()> {
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let Some(sql) = MIGRATIONS.get(version as usize) else {
            return Ok(());
        };
        tx.execute_batch(sql)?;
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            // Enforcement was on when these rows were written, so a
            // dangling key means the file was damaged outside tally.
            return Err(StoreError::Corrupt(path.to_path_buf()));
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version + 1)?;
        tx.commit()?;
    }
}

/// The book's currency: recorded on first open from the config, and checked
/// against the config afterwards (changing decimals would rescale every
/// stored amount). The symbol is display-only and always the config's.
pub(super) fn book_currency(
    conn: &mut Connection,
    path: &Path,
    config: &Currency,
) -> Result<Currency> {
    if recorded_currency(conn, path, config)?.is_some() {
        return Ok(config.clone());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT OR REPLACE INTO book_meta (key, value) VALUES ('currency_code', ?1), ('currency_decimals', ?2)",
        (&config.code, config.decimals.to_string()),
    )?;
    tx.commit()?;
    Ok(config.clone())
}

/// Checks the config's currency against the one the book recorded, without
/// writing; `None` if the book has not recorded one yet.
pub(super) fn recorded_currency(
    conn: &Connection,
    path: &Path,
    config: &Currency,
) -> Result<Option<Currency>> {
    let get = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM book_meta WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    };
    let code = get("currency_code")?;
    let decimals = get("currency_decimals")?.and_then(|d| d.parse::<u32>().ok());
    let (Some(code), Some(decimals)) = (code, decimals) else {
        return Ok(None);
    };
    if code != config.code || decimals != config.decimals {
        return Err(StoreError::CurrencyMismatch {
            path: path.to_path_buf(),
            book_code: code,
            book_decimals: decimals,
            config_code: config.code.clone(),
            config_decimals: config.decimals,
        });
    }
    Ok(Some(config.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_in_order_and_leave_a_consistent_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let id: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
        let ok: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, "ok");
        let fk_problems: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_problems, 0);
        // Running again is a no-op.
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        // Every table is STRICT.
        let loose: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND strict = 0",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(loose, 0);
    }

    #[test]
    fn the_search_index_follows_inserts_edits_and_rows_from_before_it_existed() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute(
            "INSERT INTO customers (name, name_key, email, last_activity, created_at) VALUES ('Old Timer', 'old timer', 'old@x.com', 't', 't')",
            [],
        )
        .unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        let hits = |q: &str| -> Vec<i64> {
            let mut st = conn.prepare("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1 ORDER BY rowid").unwrap();
            st.query_map([q], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        assert_eq!(
            hits("\"TIMER\""),
            [1],
            "rows from before migration 2 are indexed"
        );
        conn.execute(
            "INSERT INTO customers (name, name_key, phone, last_activity, created_at) VALUES ('Ann Lee', 'ann lee', '555-0101', 't', 't')",
            [],
        )
        .unwrap();
        assert_eq!(hits("\"5-010\""), [2]);
        conn.execute("UPDATE customers SET name = 'Anna Leigh' WHERE id = 2", [])
            .unwrap();
        assert_eq!(hits("\"ann lee\""), Vec::<i64>::new());
        assert_eq!(hits("\"anna\""), [2]);
        conn.execute("UPDATE customers SET balance_cents = -5 WHERE id = 2", [])
            .unwrap();
        assert_eq!(hits("\"anna\""), [2]);
    }

    #[test]
    fn each_migration_applies_on_top_of_the_previous_one() {
        for upto in 1..=MIGRATIONS.len() {
            let conn = Connection::open_in_memory().unwrap();
            for sql in &MIGRATIONS[..upto] {
                conn.execute_batch(sql).unwrap();
            }
        }
    }

    #[test]
    fn migration_14_marks_imported_opening_balances_and_sums_days_anew() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..13] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 13).unwrap();
        // Two imported opening balances (a debt, a credit), a typed line
        // that only reads "Opening balance", a sale, a void and a refund.
        conn.execute_batch(
            "INSERT INTO customers (id, name, name_key, balance_cents, last_activity, created_at) VALUES (1, 'A', 'a', 0, 't', 't');
             INSERT INTO customers (id, name, name_key, balance_cents, last_activity, created_at) VALUES (2, 'B', 'b', 0, 't', 't');
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, date, created_at)
                 VALUES (1, 1, 'charge', 5000, 'Opening balance', '2026-01-01', 't');
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, method, date, created_at)
                 VALUES (2, 2, 'credit', 700, 'Opening balance', 'other', '2026-01-01', 't');
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, date, created_at)
                 VALUES (3, 1, 'charge', 300, 'Opening balance', '2026-01-01', 't');
             INSERT INTO timeline (customer_id, at, actor, action, detail) VALUES
                 (1, 't', 'cli', 'entries.imported', 'charge #1: opening balance 50.00; balance 0.00 → -50.00'),
                 (2, 't', 'cli', 'entries.imported', 'credit #2: opening balance 7.00; balance 0.00 → 7.00');
             INSERT INTO invoices (id, customer_id, status, seq, number, issue_date, due_date, total_cents, created_at)
                 VALUES (1, 1, 'void', 1, 'INV-0001', '2026-01-01', '2026-01-31', 1000, 't');
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, date, created_at, invoice_id)
                 VALUES (4, 1, 'charge', 1000, 'job', '2026-01-01', 't', 1);
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, method, date, created_at, void_of)
                 VALUES (5, 1, 'credit', 1000, 'Void INV-0001', 'other', '2026-01-01', 't', 1);
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, method, date, created_at)
                 VALUES (6, 2, 'credit', 200, 'pay', 'card', '2026-01-01', 't');
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, method, date, created_at)
                 VALUES (7, 2, 'payout', 50, 'refund', 'card', '2026-01-01', 't');",
        )
        .unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let marked: Vec<i64> = conn
            .prepare("SELECT id FROM entries WHERE opening = 1 ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(marked, [1, 2], "only what the timeline says was imported");
        let day: (i64, i64, i64) = conn
            .query_row(
                "SELECT billed_cents, collected_cents, opening_cents FROM day_totals WHERE day = '2026-01-01'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        // Billed: the typed 3.00 and the voided 10.00 less its void;
        // collected: 2.00 less the 0.50 refunded; opening 50.00 − 7.00.
        assert_eq!(day, (300, 150, 4300));
    }

    #[test]
    fn migration_15_keeps_invoices_and_their_id_counter_and_lets_imported_ones_in() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..14] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 14).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, name, name_key, balance_cents, last_activity, created_at) VALUES (1, 'A', 'a', -100, 't', 't');
             INSERT INTO invoices (id, customer_id, status, seq, number, issue_date, due_date, total_cents, created_at)
                 VALUES (1, 1, 'open', 1, 'INV-0001', '2026-01-01', '2026-01-31', 100, 't');
             INSERT INTO invoices (id, customer_id, created_at) VALUES (2, 1, 't');
             DELETE FROM invoices WHERE id = 2;
             INSERT INTO entries (id, customer_id, kind, amount_cents, description, date, created_at, invoice_id)
                 VALUES (1, 1, 'charge', 100, 'job', '2026-01-01', 't', 1);",
        )
        .unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let kept: (String, i64) = conn
            .query_row(
                "SELECT number, total_cents FROM invoices WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("INV-0001".to_string(), 100));
        conn.execute(
            "INSERT INTO invoices (customer_id, created_at) VALUES (1, 't')",
            [],
        )
        .unwrap();
        assert_eq!(
            conn.last_insert_rowid(),
            3,
            "a deleted draft's id is not reused"
        );
        // An imported invoice: its own number, no place in the sequence.
        conn.execute(
            "INSERT INTO invoices (customer_id, status, number, issue_date, due_date, total_cents, created_at, origin) \
             VALUES (1, 'open', '1031', '2025-03-09', '2025-04-08', 5, 't', 'quickbooks')",
            [],
        )
        .unwrap();
        for bad in [
            // tally's own finalized invoice always has a sequence number;
            "INSERT INTO invoices (customer_id, status, number, issue_date, due_date, total_cents, created_at) \
             VALUES (1, 'open', 'X-1', '2025-03-09', '2025-04-08', 5, 't')",
            // an imported one never does.
            "INSERT INTO invoices (customer_id, status, seq, number, issue_date, due_date, total_cents, created_at, origin) \
             VALUES (1, 'open', 2, 'X-2', '2025-03-09', '2025-04-08', 5, 't', 'stripe')",
        ] {
            assert!(conn.execute(bad, []).is_err(), "{bad}");
        }
    }

    #[test]
    fn migration_6_keeps_every_entry_and_allocation_of_an_older_book() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..5] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 5).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, name, name_key, balance_cents, last_activity, created_at) VALUES (1, 'A', 'a', -50, 't', 't');
             INSERT INTO invoices (id, customer_id, status, seq, number, issue_date, due_date, total_cents, created_at)
                 VALUES (1, 1, 'paid', 1, 'INV-0001', '2026-01-01', '2026-01-31', 100, 't');
             INSERT INTO entries (id, customer_id, kind, amount_cents, tax_cents, description, date, created_at, invoice_id)
                 VALUES (1, 1, 'charge', 90, 10, 'job', '2026-01-01', 't', 1);
             INSERT INTO entries (id, customer_id, kind, amount_cents, method, date, created_at, reference)
                 VALUES (2, 1, 'credit', 50, 'card', '2026-01-02', 't', 'R1');
             INSERT INTO allocations (credit_id, invoice_id, amount_cents, created_at) VALUES (2, 1, 50, 't');",
        )
        .unwrap();
        let dump = |c: &Connection| -> Vec<String> {
            let mut st = c
                .prepare("SELECT id, customer_id, kind, amount_cents, tax_cents, description, method, date, invoice_id, reference FROM entries ORDER BY id")
                .unwrap();
            st.query_map([], |r| {
                Ok((0..10)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
        };
        let before = dump(&conn);
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        assert_eq!(dump(&conn), before);
        let fk: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk, "enforcement is back on after migrating");
        let allocated: i64 = conn
            .query_row("SELECT SUM(a.amount_cents) FROM allocations a JOIN entries e ON e.id = a.credit_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(allocated, 50);
        let indexes: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            indexes, 6,
            "four from migration 6, one from 8, one from 10; 11 makes two one; one from 14"
        );
        // Migrations 9 and 10 sum what the older book already held.
        let days: Vec<(String, i64, i64)> = conn
            .prepare("SELECT day, billed_cents, collected_cents FROM day_totals ORDER BY day")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            days,
            [("2026-01-01".into(), 100, 0), ("2026-01-02".into(), 0, 50)]
        );
        let uninvoiced: i64 = conn
            .query_row(
                "SELECT uninvoiced_cents FROM customers WHERE id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(uninvoiced, 0, "its one charge is on an invoice");
        // Migration 12 keeps the book totals from the balances already there.
        let row = |sql: &str| -> (i64, i64, i64, i64, i64) {
            conn.query_row(sql, [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
        };
        let kept =
            row("SELECT owed_high, owed_low, credit_high, credit_low, customers FROM book_totals");
        assert_eq!(kept, row(super::super::customers::TOTALS_SUMMED));
        assert_ne!(kept, (0, 0, 0, 0, 0), "the older book has a customer");
        // Migration 13 sums each customer's entries and allocations.
        let sums = row(
            "SELECT charged_cents, credited_cents, paid_cents, allocated_cents, paid_out_cents \
             FROM customer_sums WHERE customer_id = 1",
        );
        assert_eq!(sums, (100, 50, 50, 50, 0));
    }

    #[test]
    fn the_bulk_import_restores_the_search_trigger_the_migrations_made() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        let trigger: String = conn
            .query_row(
                "SELECT sql FROM sqlite_master WHERE name = 'customers_search_insert'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(trigger, super::super::exchange::SEARCH_INSERT_TRIGGER);
    }

    #[test]
    fn constraints_refuse_impossible_rows() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn, Path::new(":memory:")).unwrap();
        conn.execute(
            "INSERT INTO customers (id, name, name_key, last_activity, created_at) VALUES (1, 'A', 'a', 't', 't')",
            [],
        )
        .unwrap();
        let bad = [
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) VALUES (1, 'charge', -5, '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) VALUES (1, 'charge', 0, '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) VALUES (1, 'refund', 5, '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, tax_cents, method, date, created_at) VALUES (1, 'credit', 5, 1, 'cash', '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) VALUES (1, 'charge', 1.5, '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) VALUES (2, 'charge', 5, '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) VALUES (1, 'charge', 5, 'Jan 1', 't')",
            "INSERT INTO customers (name, name_key, last_activity, created_at) VALUES ('  ', '', 't', 't')",
            // An open invoice must have a number, dates and a frozen total; a draft none.
            "INSERT INTO invoices (customer_id, status, created_at) VALUES (1, 'open', 't')",
            "INSERT INTO invoices (customer_id, status, seq, number, created_at) VALUES (1, 'draft', 1, 'INV-0001', 't')",
            "INSERT INTO invoices (customer_id, status, created_at) VALUES (1, 'sent', 't')",
            "INSERT INTO invoices (customer_id, period, created_at) VALUES (1, 'May', 't')",
            // A token has tally's exact length, and a customer one active link.
            "INSERT INTO payment_links (customer_id, token, created_at) VALUES (1, 'short', 't')",
            "INSERT INTO payment_links (customer_id, token, created_at) VALUES (1, 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', 't')",
            // A contact has a name, and a customer one primary contact.
            "INSERT INTO contacts (customer_id, name, created_at) VALUES (1, ' ', 't')",
            "INSERT INTO contacts (customer_id, name, is_primary, created_at) VALUES (1, 'B', 1, 't')",
            "INSERT INTO contacts (customer_id, name, created_at) VALUES (2, 'C', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, method, date, created_at) VALUES (1, 'credit', 5, 'bitcoin', '2026-01-01', 't')",
            // A payout carries no tax and sits on no invoice; a charge has no method.
            "INSERT INTO entries (customer_id, kind, amount_cents, tax_cents, date, created_at) VALUES (1, 'payout', 5, 1, '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, method, date, created_at) VALUES (1, 'charge', 5, 'cash', '2026-01-01', 't')",
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at, memo_of) VALUES (1, 'payout', 5, '2026-01-01', 't', 1)",
            "INSERT INTO payout_sources (payout_id, credit_id, amount_cents) VALUES (99, 98, 5)",
        ];
        conn.execute(
            "INSERT INTO payment_links (customer_id, token, created_at) VALUES (1, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 't')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO contacts (customer_id, name, is_primary, created_at) VALUES (1, 'A', 1, 't')",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in bad {
            assert!(conn.execute(sql, []).is_err(), "accepted: {sql}");
        }
    }
}
