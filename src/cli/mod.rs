//! The command line (SPEC §9). Standard output carries only each command's result; logs and
//! progress go to standard error.

mod wash;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{Actor, App, AppError, Role};

/// Help as a clerk reads it: Chinese headings (clap writes its own in English).
const HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "menpai",
    version,
    about = "门牌：恩施土家族苗族自治州地名门牌登记服务",
    help_template = HELP,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    override_usage = "menpai [选项] <命令>",
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项"
)]
pub struct Cli {
    /// 登记册所在：SQLite 文件路径或 sqlite://路径（默认 ./register.db），或 postgres://…；也可用环境变量 DATABASE_URL
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "./register.db",
        global = true,
        value_name = "地址",
        hide_env = true,
        hide_default_value = true
    )]
    pub database_url: String,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
#[command(help_template = HELP, next_help_heading = "参数与选项")]
pub enum Command {
    /// 提供 HTTP 接口；启动时迁移数据库，登记册为空时载入随附的恩施数据
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai serve [选项]")]
    Serve {
        /// 监听地址（默认 127.0.0.1:8080；也可用环境变量 BIND）
        #[arg(
            long,
            env = "BIND",
            default_value = "127.0.0.1:8080",
            value_name = "地址:端口",
            hide_env = true,
            hide_default_value = true
        )]
        bind: String,
    },
    /// 只执行数据库迁移
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai migrate [选项]")]
    Migrate,
    /// 导入 GeoJSON 要素集（全部成功或全不导入），并输出报告
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai import [选项] <文件>")]
    Import {
        /// 要导入的 GeoJSON 文件
        #[arg(value_name = "文件")]
        file: PathBuf,
        /// 有任何问题（包括质量问题）即拒绝导入
        #[arg(long)]
        strict: bool,
    },
    /// 把登记册导出为 GeoJSON
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai export [选项]")]
    Export {
        /// 写入此文件（默认标准输出）
        #[arg(long, value_name = "文件")]
        out: Option<PathBuf>,
        /// 只导出此县市（及其上级区划）
        #[arg(long, value_name = "区划代码")]
        county_code: Option<String>,
    },
    /// 解析自由书写的地址，每条输出一行 JSON
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai resolve [选项] <地址>...")]
    Resolve {
        /// 要解析的地址
        #[arg(required = true, value_name = "地址")]
        texts: Vec<String>,
        /// 按该日（YYYY-MM-DD）结束时的登记册解析
        #[arg(long, value_name = "日期")]
        at: Option<String>,
    },
    /// 清洗 CSV 文件中的一列地址（任意大小），在每行后追加状态、编号、规范地址、置信度和更正
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai wash [选项] --column <列> <文件>")]
    Wash {
        /// 要清洗的 CSV 文件
        #[arg(value_name = "文件")]
        input: PathBuf,
        /// 地址列的表头，或从 1 起的列序号
        #[arg(long, value_name = "列")]
        column: String,
        /// 结果写入此文件（默认标准输出）
        #[arg(long, value_name = "文件")]
        out: Option<PathBuf>,
        /// 文件编码：auto（默认）、utf-8、gbk 或 gb18030
        #[arg(long, value_name = "编码")]
        encoding: Option<String>,
        /// 按该日（YYYY-MM-DD）结束时的登记册解析
        #[arg(long, value_name = "日期")]
        at: Option<String>,
    },
    /// 在服务运行时写出内置登记册的一致副本
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai backup [选项] --out <文件>")]
    Backup {
        /// 副本文件
        #[arg(long, value_name = "文件")]
        out: PathBuf,
    },
    /// 跟随变更记录，每个事件输出一行 JSON；指定 --out 时从文件中最后一个事件之后续接
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai follow [选项]")]
    Follow {
        /// 从此序号之后开始（默认 0：从头开始）
        #[arg(long, default_value_t = 0, value_name = "序号", hide_default_value = true)]
        after: i64,
        /// 追加到此文件；文件中已有事件时，从最后一个之后续接
        #[arg(long, value_name = "文件")]
        out: Option<PathBuf>,
        /// 只要可能涉及此县市的事件
        #[arg(long, value_name = "区划代码")]
        county_code: Option<String>,
        /// 追上后即停止，不再等待新事件
        #[arg(long)]
        once: bool,
    },
    /// 管理访问令牌
    #[command(help_template = HELP, next_help_heading = "参数与选项", subcommand_help_heading = "命令", subcommand_value_name = "命令", override_usage = "menpai token <命令>")]
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// 创建令牌，并在标准输出单独打印它
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai token create [选项] --role <角色>")]
    Create {
        /// 角色：civil_affairs（民政）、police（公安）、commerce（工商）、housing（住建）、reader（查询）、admin（管理员）
        #[arg(long, value_name = "角色")]
        role: String,
        /// 县市或乡镇代码：在此范围外的变更一律拒绝
        #[arg(long, value_name = "区划代码")]
        scope: Option<String>,
        /// 令牌的名称（使用者或科室），显示在审计记录中
        #[arg(long, value_name = "名称")]
        label: Option<String>,
        /// 在此日期（YYYY-MM-DD，北京时间当日结束）或时间（RFC 3339）后失效
        #[arg(long, value_name = "日期")]
        expires: Option<String>,
    },
    /// 列出令牌（不显示令牌本身）
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai token list [选项]")]
    List,
    /// 按编号吊销令牌
    #[command(help_template = HELP, next_help_heading = "参数与选项", override_usage = "menpai token revoke [选项] <编号>")]
    Revoke {
        /// 令牌编号（tok_…）
        #[arg(value_name = "编号")]
        id: String,
    },
}

/// Runs the command line; the exit code says whether it succeeded.
pub fn run(cli: Cli) -> ExitCode {
    let level = if matches!(cli.command, Command::Serve { .. }) { "info" } else { "warn" };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        // A line as each request's span closes: the access log, with its request ID.
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if let AppError::ImportRefused { report, .. } = &e {
                println!("{}", serde_json::to_string_pretty(report).unwrap_or_default());
            }
            eprintln!("menpai: {e}");
            ExitCode::FAILURE
        }
    }
}

fn execute(cli: Cli) -> Result<(), AppError> {
    let actor = Actor::system("cli");
    match cli.command {
        Command::Migrate => {
            crate::store::Store::open(&cli.database_url)?.migrate()?;
            eprintln!("迁移完成");
            Ok(())
        }
        Command::Serve { bind } => serve(&cli.database_url, &bind),
        Command::Import { file, strict } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| AppError::Invalid(format!("无法读取文件 {}：{e}", file.display())))?;
            let app = App::open(&cli.database_url)?;
            let bar = spinner(&format!("导入 {}", file.display()));
            let outcome = app.import(&actor, &text, strict);
            bar.finish_and_clear();
            let outcome = outcome?;
            let s = &outcome.summary;
            eprintln!(
                "导入完成：新建 {} 个要素（另有楼栋/单元/房间 {} 个），未变 {}，质量问题 {}",
                s.created, s.nested_created, s.unchanged, s.quality_problems
            );
            print_json(&outcome)
        }
        Command::Export { out, county_code } => {
            let app = App::open(&cli.database_url)?;
            let text = app.export(&actor, county_code.as_deref())?;
            match out {
                Some(path) => std::fs::write(&path, text)
                    .map_err(|e| AppError::Invalid(format!("无法写入 {}：{e}", path.display()))),
                None => write_stdout(text.as_bytes()),
            }
        }
        Command::Resolve { texts, at } => {
            let app = App::open(&cli.database_url)?;
            let mut out = String::new();
            for r in app.resolve_batch(&actor, &texts, at.as_deref())? {
                out.push_str(&serde_json::to_string(&r).map_err(|e| AppError::Internal(e.to_string()))?);
                out.push('\n');
            }
            write_stdout(out.as_bytes())
        }
        Command::Wash { input, column, out, encoding, at } => {
            let app = App::open(&cli.database_url)?;
            let started = std::time::Instant::now();
            let counts = wash::wash(&app, &actor, &input, &column, out.as_deref(), encoding.as_deref(), at.as_deref())?;
            let total: u64 = counts.values().sum();
            let secs = started.elapsed().as_secs_f64().max(1e-9);
            if total == 0 {
                eprintln!("清洗完成：文件只有表头，没有数据行");
                return Ok(());
            }
            let summary =
                counts.iter().map(|(k, v)| format!("{} {v}", wash::status_zh(k))).collect::<Vec<_>>().join("，");
            eprintln!("清洗完成：{total} 行，{:.0} 行/秒（{summary}）", total as f64 / secs);
            Ok(())
        }
        Command::Backup { out } => {
            let store = crate::store::Store::open(&cli.database_url)?;
            store.backup(&out.to_string_lossy())?;
            eprintln!("备份已写入 {}", out.display());
            Ok(())
        }
        Command::Follow { after, out, county_code, once } => {
            let app = App::open(&cli.database_url)?;
            follow(&app, &actor, after, out, county_code.as_deref(), once)
        }
        Command::Token { command } => {
            let app = App::open(&cli.database_url)?;
            match command {
                TokenCommand::Create { role, scope, label, expires } => {
                    let role = Role::parse(&role).ok_or_else(|| {
                        AppError::Invalid(format!(
                            "未知的角色“{role}”（可选：{}）",
                            Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
                        ))
                    })?;
                    let (_, secret) = app.create_expiring_token(&actor, role, scope, label, expires)?;
                    write_stdout(format!("{secret}\n").as_bytes())
                }
                TokenCommand::List => print_json(&app.list_tokens(&actor)?),
                TokenCommand::Revoke { id } => app.revoke_token(&actor, &id),
            }
        }
    }
}

/// The reference consumer of the feed: each event once, in order, as a JSON line; a
/// restart resumes after the last event written.
fn follow(
    app: &App,
    actor: &Actor,
    after: i64,
    out: Option<PathBuf>,
    county: Option<&str>,
    once: bool,
) -> Result<(), AppError> {
    let io = |e: std::io::Error| AppError::Internal(format!("写入失败：{e}"));
    let mut after = after;
    if let Some(path) = &out {
        if let Ok(text) = std::fs::read_to_string(path) {
            // A line cut short by a crash is not an event we delivered: resume before it.
            let last = text
                .lines()
                .rev()
                .find_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()?.get("seq")?.as_i64());
            after = after.max(last.unwrap_or(0));
            if !text.is_empty() && !text.ends_with('\n') {
                let keep = text.rfind('\n').map(|i| i + 1).unwrap_or(0);
                std::fs::write(path, &text[..keep]).map_err(io)?;
            }
        }
    }
    let mut sink: Box<dyn Write> = match &out {
        Some(path) => Box::new(std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(io)?),
        None => Box::new(std::io::stdout()),
    };
    loop {
        let page = app.county_events(actor, after, crate::app::MAX_FEED_PAGE, county)?;
        for e in &page.events {
            let line = serde_json::to_string(e).map_err(|e| AppError::Internal(e.to_string()))?;
            match sink.write_all(format!("{line}\n").as_bytes()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                r => r.map_err(io)?,
            }
        }
        sink.flush().map_err(io)?;
        after = page.scanned_through.max(after);
        if page.events.is_empty() {
            if once {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
    }
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(v).map_err(|e| AppError::Internal(e.to_string()))?;
    write_stdout(format!("{text}\n").as_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is the reader's choice, not our failure.
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(AppError::Internal(e.to_string())),
        _ => Ok(()),
    }
}

/// A spinner on a terminal's standard error; nothing when it is piped.
fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn serve(database_url: &str, bind: &str) -> Result<(), AppError> {
    let app = App::open(database_url)?;
    if let Some(outcome) = app.load_bundled_if_empty()? {
        tracing::info!(
            created = outcome.summary.created,
            nested = outcome.summary.nested_created,
            "loaded the bundled Enshi register"
        );
    }
    // Other nodes on the same store change the register too: follow the feed. A look at
    // the feed's head is one small read, so four a second keep other nodes' changes well
    // within a second of their commit.
    let follower = app.clone();
    std::thread::Builder::new()
        .name("catch-up".into())
        .spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            match follower.catch_up() {
                Ok(true) => tracing::info!(seq = follower.snapshot().seq, "caught up with changes from other nodes"),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not catch up with the store"),
            }
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // Now and then, compare the register as applied change by change with a fresh load
    // (and serve the fresh one on any difference: app::snapshot).
    let checker = app.clone();
    let every = std::env::var("MENPAI_SELF_CHECK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(3600u64).max(1);
    std::thread::Builder::new()
        .name("self-check".into())
        .spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_secs(every));
            match checker.self_check() {
                Ok(differ) if differ.is_empty() => tracing::debug!("the applied register agrees with a fresh load"),
                Ok(differ) => tracing::error!(count = differ.len(), "self-check reloaded the register"),
                Err(e) => tracing::warn!(error = %e, "could not run the self-check"),
            }
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // The rate limit is the service's: share this node's usage with the others.
    let sharer = app.clone();
    let node = format!("node_{}", ulid::Ulid::new());
    std::thread::Builder::new()
        .name("rate-share".into())
        .spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_millis(1000));
            if let Err(e) = crate::api::RateLimiter::global().sync(|used| sharer.share_rate_usage(&node, &used)) {
                tracing::warn!(error = %e, "could not share rate-limit usage with other nodes");
            }
        })
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let metrics = crate::api::Metrics::default();
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let server = actix_web::HttpServer::new(move || crate::http_app!(app, metrics))
            .bind(bind)
            .map_err(|e| AppError::Invalid(format!("无法监听 {bind}：{e}")))?;
        tracing::info!(%bind, "serving");
        server.run().await.map_err(|e| AppError::Internal(e.to_string()))
    })
}
