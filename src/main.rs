//! The `tally` binary: everything happens in the library; this maps the
//! outcome to an exit code.

fn main() -> std::process::ExitCode {
    tally::run()
}
