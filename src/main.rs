//! The `kronika` command; see [`kronika::cli`].

fn main() -> std::process::ExitCode {
    kronika::cli::run()
}
