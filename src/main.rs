use clap::Parser;

fn main() -> std::process::ExitCode {
    menpai::cli::run(menpai::cli::Cli::parse())
}
