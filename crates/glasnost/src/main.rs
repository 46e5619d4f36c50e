//! The `glasnost` binary: one process serves the portal and runs the outbox worker; the
//! other subcommands manage the database (migrate, users, demo data, backup, restore).

mod demo;

use std::io::{Read, Write as _};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use kernel::clock::{OffsetClock, SystemClock};
use kernel::{Config, Db, SharedClock};

#[derive(Parser)]
#[command(name = "glasnost", version, about = "Glasnost: an open-government platform for Russian public bodies")]
struct Cli {
    /// Optional TOML configuration file (environment variables override it).
    #[arg(long, global = true, env = "GLASNOST_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the portal: the HTTP server and the outbox worker.
    #[command(after_long_help = settings_help())]
    Serve {
        /// On an empty database, create the demo portal "Томская область" and print its admin password.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage staff accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Create the demo portal on an empty database and print the admin password.
    Demo {
        /// Also create this many extra bodies (for load tests).
        #[arg(long, default_value_t = 0)]
        extra_bodies: u32,
        /// Also publish this many extra datasets (for load tests of the open-data APIs).
        #[arg(long, default_value_t = 0)]
        extra_datasets: u32,
        /// Also leave this many published comments on the demo draft (for load tests of its pages).
        #[arg(long, default_value_t = 0)]
        draft_comments: u32,
        /// Also announce this many council meetings in the current month (for load tests of the
        /// calendars and iCal feeds).
        #[arg(long, default_value_t = 0)]
        meetings: u32,
        /// Also subscribe this many addresses to the demo department's news, with a campaign to all
        /// of them due at once (for load tests of sending).
        #[arg(long, default_value_t = 0)]
        subscribers: u32,
        /// Also put this many items in the open-data list 1187-р, which every body must cover (for
        /// load tests of the compliance engine).
        #[arg(long, default_value_t = 0)]
        list_items: u32,
        /// Also import and approve seed plan 002 for each extra body (for load tests of the
        /// compliance engine).
        #[arg(long)]
        plans: bool,
    },
    /// Write the whole database and all stored files into one .zip file.
    Backup { file: PathBuf },
    /// Restore a backup into an empty database (SQLite or PostgreSQL).
    Restore { file: PathBuf },
    /// Openness roadmaps: import a plan from a document, export it as JSON or CSV.
    Roadmap {
        #[command(subcommand)]
        command: RoadmapCommand,
    },
    /// Deadlines on the Russian production calendar.
    Deadlines {
        #[command(subcommand)]
        command: DeadlinesCommand,
    },
    /// Open data: check a data file against its structure file.
    Opendata {
        #[command(subcommand)]
        command: OpendataCommand,
    },
    /// Appeals: the national thematic classifier of appeals.
    Appeals {
        #[command(subcommand)]
        command: AppealsCommand,
    },
    /// The compliance engine: evaluate the bodies' obligations now (a node running the worker
    /// does it by itself every `compliance_secs`).
    Compliance {
        #[command(subcommand)]
        command: ComplianceCommand,
    },
    /// Search: build this node's index again from the database (the node must be stopped; a
    /// running node keeps its index current by itself).
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
}

#[derive(Subcommand)]
enum ComplianceCommand {
    /// Evaluate every body's obligations (or one body's) and store their statuses and index;
    /// prints how many were evaluated and how long it took.
    Evaluate {
        /// Only this body (its slug).
        #[arg(long)]
        body: Option<String>,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Build the index in the data folder from every mechanism's data and print what it holds.
    Rebuild,
}

#[derive(Subcommand)]
enum AppealsCommand {
    /// Load the classifier from the official file: lines of code and title (`;` or `,`), a header
    /// line allowed. New codes are added, changed titles renamed; no code is ever removed.
    Topics { file: PathBuf },
}

#[derive(Subcommand)]
enum OpendataCommand {
    /// Check a data file (CSV, or XML by the structure's XSD) against a structure file
    /// (structure-YYYYMMDDTHHMM.csv): encoding, delimiter, quoting, header, each value's type.
    /// Exit status 1 when it does not pass.
    Validate {
        file: PathBuf,
        #[arg(long)]
        structure: PathBuf,
        /// Fields that must not be empty (names, comma-separated); a structure file cannot say it.
        #[arg(long, value_delimiter = ',')]
        required: Vec<String>,
        /// Write every problem found to this CSV file (line, column, field, code, message).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Print the report as JSON (the first 100 problems, and the counts).
        #[arg(long)]
        json: bool,
    },
    /// Read another publisher's registry (list.csv) or passport (meta.csv, meta.json) as found
    /// in the wild, and write it again as the standard lays it out (stdout).
    Read {
        file: PathBuf,
        /// What to write: csv, json or xml (a registry is always written as CSV).
        #[arg(long, default_value = "csv")]
        to: String,
    },
}

#[derive(Subcommand)]
enum RoadmapCommand {
    /// Import a plan of measures (.txt) as a draft roadmap of a body.
    Import {
        file: PathBuf,
        /// The body (slug) whose plan it is.
        #[arg(long)]
        body: String,
        /// The plan's title (by default: «План мероприятий («дорожная карта»)»).
        #[arg(long)]
        title: Option<String>,
        /// Read and report, store nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print a body's roadmap (the newest, or --roadmap ID) with each measure's schedule and next due date.
    Export {
        #[arg(long)]
        body: String,
        /// json or csv
        #[arg(long, default_value = "json")]
        format: String,
        #[arg(long)]
        roadmap: Option<i64>,
    },
}

#[derive(Subcommand)]
enum DeadlinesCommand {
    /// Read a Russian deadline phrase: its schedule, its meaning and the next due dates.
    Parse {
        phrase: String,
        /// Due dates on or after this date (YYYY-MM-DD); today by default.
        #[arg(long)]
        after: Option<String>,
        /// How many due dates to print.
        #[arg(long, default_value_t = 3)]
        count: usize,
        /// The event's date, for event-relative phrases ("в течение 3 дней со дня утверждения").
        #[arg(long)]
        event: Option<String>,
        /// Where a due date falling on a day off goes: preceding, following or keep.
        #[arg(long, default_value = "preceding")]
        policy: String,
        /// The year of the plan the phrase is written in: what «в течение года» means there.
        #[arg(long)]
        year: Option<i16>,
        /// Print JSON: {"phrase", "schedule", "ru", "en", "due": [{"date", "covers", "explanation_ru", "explanation_en"}]}
        /// or, for a phrase that cannot be read, {"phrase", "unparsed": reason}.
        #[arg(long)]
        json: bool,
    },
    /// The end of a term: START + N calendar or working days, with its explanation.
    Add {
        /// The start (an event's date), YYYY-MM-DD.
        start: String,
        /// Length of the term.
        amount: u32,
        /// Count working days.
        #[arg(long, conflicts_with = "calendar", required_unless_present = "calendar")]
        working: bool,
        /// Count calendar days.
        #[arg(long)]
        calendar: bool,
        /// Where an end falling on a day off goes: preceding, following or keep.
        #[arg(long, default_value = "preceding")]
        policy: String,
        /// Count the start day as the first day of the term.
        #[arg(long)]
        counts_start_day: bool,
        /// Print JSON: {"date", "explanation_ru", "explanation_en", "steps": [{"date", "ru", "en"}]}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff account; the password is read from standard input.
    Add {
        email: String,
        /// portal_admin, regional_coordinator, editor, appeals_officer, opendata_officer,
        /// openness_coordinator, press_secretary, lawyer, council_secretary
        #[arg(long)]
        role: String,
        /// The body (slug) for a body role.
        #[arg(long)]
        body: Option<String>,
        #[arg(long, default_value = "")]
        name: String,
    },
}

fn settings_help() -> String {
    format!("Settings (environment variables; the same keys in lower case in the TOML file):\n{}", Config::describe())
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("Ошибка: не удалось запустить среду выполнения: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One readable line (with its causes), not a debug dump.
            eprintln!("Ошибка: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let cfg = Config::load(cli.config.as_deref())?;
    init_logs(&cfg);
    let clock: SharedClock = match &cfg.clock {
        Some(at) => {
            let ts: jiff::Timestamp =
                at.parse().with_context(|| format!("setting `clock` is not an RFC 3339 instant: {at}"))?;
            Arc::new(OffsetClock::starting_at(ts.as_millisecond()))
        }
        None => Arc::new(SystemClock),
    };
    match cli.command {
        Command::Roadmap { command } => {
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            roadmap_cli(&db, &cfg, clock.now_ms(), command).await
        }
        Command::Opendata { command } => opendata_cli(command),
        Command::Appeals { command: AppealsCommand::Topics { file } } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let list = appeals::questions::read_topics(&text).map_err(|e| {
                let lines: Vec<String> = e.field_errors().into_iter().map(|(_, m)| m).collect();
                anyhow::anyhow!("классификатор не загружен:\n{}", lines.join("\n"))
            })?;
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            let actor = kernel::audit::Actor::system("cli");
            let loaded = appeals::questions::load_topics(&db, &actor, clock.now_ms(), &list).await?;
            println!(
                "Классификатор: кодов в файле {}, добавлено {}, переименовано {}",
                list.len(),
                loaded.added,
                loaded.renamed
            );
            Ok(())
        }
        Command::Deadlines { command } => {
            let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
            let today = jiff::Timestamp::from_millisecond(clock.now_ms())?.to_zoned(tz).date();
            deadlines_cli(command, today)
        }
        Command::Serve { demo } => serve(cfg, clock, demo).await,
        Command::Search { command: SearchCommand::Rebuild } => {
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            let started = std::time::Instant::now();
            let state = glasnost::state(db, cfg, clock)?;
            let search = search::follow::of(&state).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let n = search::follow::build(&state, &search).await?;
            println!("Поисковый индекс построен: документов {n}, за {:.1} с", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Compliance { command: ComplianceCommand::Evaluate { body } } => {
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            let body = match body {
                Some(slug) => Some(
                    kernel::bodies::by_slug(&db, &slug)
                        .await?
                        .with_context(|| format!("there is no body with slug `{slug}`"))?,
                ),
                None => None,
            };
            // This process evaluates once; it starts no worker beside it.
            let cfg = kernel::Config { worker: false, ..cfg };
            let state = glasnost::state(db, cfg, clock)?;
            let started = std::time::Instant::now();
            let done = compliance::evaluate::now(&state, body.as_ref()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!(
                "Оценено органов: {}, обязанностей: {}, изменено состояний: {}, за {:.2} с",
                done.bodies,
                done.obligations,
                done.changed,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Migrate => {
            let db = open(&cfg).await?;
            let applied = db.migrate(&glasnost::schemas()).await?;
            println!("Применено миграций: {} ({:?})", applied.len(), applied);
            Ok(())
        }
        Command::User { command: UserCommand::Add { email, role, body, name } } => {
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password).context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let role = kernel::staff::Role::parse(&role)?;
            let body_id = match body {
                Some(slug) => Some(
                    kernel::bodies::by_slug(&db, &slug)
                        .await?
                        .with_context(|| format!("there is no body with slug `{slug}`"))?
                        .id,
                ),
                None => None,
            };
            let new = kernel::staff::NewUser {
                email: &email,
                display_name: &name,
                password,
                grants: vec![kernel::staff::Grant { role, body_id }],
            };
            let u = kernel::staff::create_user(&db, &kernel::audit::Actor::system("cli"), clock.now_ms(), new).await?;
            println!("Создан сотрудник {} (id {})", u.email, u.id);
            Ok(())
        }
        Command::Demo { extra_bodies, extra_datasets, draft_comments, meetings, subscribers, list_items, plans } => {
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
            let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
            let load =
                demo::Load { extra_bodies, extra_datasets, draft_comments, meetings, subscribers, list_items, plans };
            demo::seed(&db, &storage, &tz, clock.now_ms(), load).await?;
            Ok(())
        }
        Command::Backup { file } => {
            let db = open(&cfg).await?;
            let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
            let s = kernel::backup::backup(&db, &storage, &file, &glasnost::schemas()).await?;
            println!("Резервная копия {}: строк {}, файлов {}", file.display(), s.rows, s.files);
            Ok(())
        }
        Command::Restore { file } => {
            let db = open(&cfg).await?;
            db.migrate(&glasnost::schemas()).await?;
            let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
            let s = kernel::backup::restore(&db, &storage, &file, &glasnost::schemas()).await?;
            println!("Восстановлено из {}: строк {}, файлов {}", file.display(), s.rows, s.files);
            Ok(())
        }
    }
}

async fn roadmap_cli(db: &Db, cfg: &Config, now: i64, command: RoadmapCommand) -> anyhow::Result<()> {
    let body_of = |slug: String| async move {
        kernel::bodies::by_slug(db, &slug).await?.with_context(|| format!("органа с адресом «{slug}» нет"))
    };
    match command {
        RoadmapCommand::Import { file, body, title, dry_run } => {
            let body = body_of(body).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("не удалось прочитать {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let plan = roadmap::file::read_plan(&name, &bytes)?;
            for n in &plan.unplaced {
                eprintln!("не размещено, строка {}: {} — {}", n.line, n.text, n.reason);
            }
            for n in &plan.warnings {
                eprintln!("проверьте, строка {}: {} — {}", n.line, n.text, n.reason);
            }
            let summary = format!("разделов {}, мероприятий {}", plan.sections.len(), plan.measures.len());
            if dry_run {
                let d = &plan.details;
                println!(
                    "Прочитан план «{}» ({}; годы: {}): {summary}. Ничего не сохранено (--dry-run).",
                    d.title,
                    if d.approving_act().is_empty() {
                        "акт не найден".to_string()
                    } else {
                        d.approving_act()
                    },
                    if d.period_text().is_empty() { "не указаны".to_string() } else { d.period_text() },
                );
                return Ok(());
            }
            let title = title
                .or_else(|| Some(plan.details.title.clone()).filter(|t| !t.is_empty()))
                .unwrap_or_else(|| "План мероприятий («дорожная карта»)".to_string());
            let new = roadmap::store::NewRoadmap::from_document(body.id, &title, &name, &plan);
            let id = roadmap::store::create_from_import(db, &kernel::audit::Actor::system("cli"), now, new).await?;
            println!("Импортирован план «{title}» органа {}: {summary} (черновик, id {id}).", body.slug);
            Ok(())
        }
        RoadmapCommand::Export { body, format, roadmap } => {
            let body = body_of(body).await?;
            let id = match roadmap {
                Some(id) => id,
                None => roadmap::store::for_body(db, body.id)
                    .await?
                    .first()
                    .map(|r| r.id)
                    .with_context(|| format!("у органа {} нет плана мероприятий", body.slug))?,
            };
            let loaded = roadmap::store::load(db, id)
                .await?
                .filter(|l| l.roadmap.body_id == body.id)
                .with_context(|| format!("плана {id} у органа {} нет", body.slug))?;
            let cal = kernel::calendar::calendar(db, cfg).await?;
            let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
            let today = jiff::Timestamp::from_millisecond(now)?.to_zoned(tz).date();
            let marks = roadmap::marks::for_roadmap(db, loaded.roadmap.id).await?;
            let revisions = roadmap::store::revisions(db, &loaded).await?;
            let export = roadmap::export::build(&loaded, &marks, &revisions, &body.slug, &cal, today);
            match format.as_str() {
                "json" => stdout(&(serde_json::to_string_pretty(&export)? + "\n")),
                "csv" => stdout(&roadmap::export::csv(&export)),
                other => anyhow::bail!("--format: json или csv, а не «{other}»"),
            }
        }
    }
}

/// Writes to standard output; a reader that stopped early (`| head`) is not an error.
fn stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn cli_date(s: &str) -> anyhow::Result<deadlines::Date> {
    s.trim().parse().map_err(|_| anyhow::anyhow!("«{s}» — не дата: укажите ГГГГ-ММ-ДД"))
}

fn cli_policy(s: &str) -> anyhow::Result<deadlines::DayOffPolicy> {
    deadlines::DayOffPolicy::parse(s)
        .ok_or_else(|| anyhow::anyhow!("--policy: preceding, following или keep, а не «{s}»"))
}

/// Reads a registry or a passport in any of its real-world shapes and writes it in ours.
fn opendata_read(file: &std::path::Path, to: &str) -> anyhow::Result<()> {
    use opendata_format::{harvest, registry};
    let bytes = std::fs::read(file).with_context(|| format!("не удалось прочитать {}", file.display()))?;
    let is_json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let out = if !is_json && String::from_utf8_lossy(first_line).contains("format") {
        let list = harvest::read_list_csv(&bytes).map_err(|e| anyhow::anyhow!("реестр не прочитан: {e}"))?;
        registry::list_csv(&harvest::listed(&list))
    } else {
        let h = if is_json { harvest::read_meta_json(&bytes) } else { harvest::read_meta_csv(&bytes) }
            .map_err(|e| anyhow::anyhow!("паспорт не прочитан: {e}"))?;
        let p = h.passport().context("в паспорте нет дат создания и изменения (created, modified)")?;
        match to {
            "csv" => registry::meta_csv(&p),
            "json" => format!("{:#}\n", registry::meta_json(&p)),
            "xml" => registry::meta_xml(&p),
            other => anyhow::bail!("--to: csv, json или xml, а не «{other}»"),
        }
    };
    print!("{out}");
    Ok(())
}

fn opendata_cli(command: OpendataCommand) -> anyhow::Result<()> {
    let (file, structure, required, report, json) = match command {
        OpendataCommand::Validate { file, structure, required, report, json } => {
            (file, structure, required, report, json)
        }
        OpendataCommand::Read { file, to } => return opendata_read(&file, &to),
    };
    let read = |p: &PathBuf| std::fs::read(p).with_context(|| format!("не удалось прочитать {}", p.display()));
    let mut structure = opendata_format::Structure::from_csv(&read(&structure)?)
        .map_err(|e| anyhow::anyhow!("файл структуры не прочитан: {}", e.join("; ")))?;
    for name in &required {
        let f = structure.fields.iter_mut().find(|f| &f.name == name);
        f.with_context(|| format!("поля «{name}» нет в структуре"))?.required = true;
    }
    let data = std::fs::File::open(&file).with_context(|| format!("не удалось открыть {}", file.display()))?;
    let mut out = match &report {
        Some(p) => {
            let mut w = std::io::BufWriter::new(
                std::fs::File::create(p).with_context(|| format!("не удалось создать {}", p.display()))?,
            );
            w.write_all(kernel::csv::row(&["line", "column", "field", "code", "message"]).as_bytes())?;
            Some(w)
        }
        None => None,
    };
    let mut write_error: Option<std::io::Error> = None;
    let started = std::time::Instant::now();
    let result = opendata_format::validate_any(&structure, data, 100, &mut |i| {
        if let Some(w) = out.as_mut() {
            let column = i.column.map(|c| c.to_string()).unwrap_or_default();
            let row =
                kernel::csv::row(&[i.line.to_string(), column, i.field.clone(), i.code.into(), i.message.clone()]);
            if let Err(e) = w.write_all(row.as_bytes()) {
                write_error.get_or_insert(e);
            }
        }
    })
    .with_context(|| format!("не удалось прочитать {}", file.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    if let Some(mut w) = out {
        w.flush()?;
    }
    if let Some(e) = write_error {
        return Err(anyhow::Error::new(e).context("не удалось записать отчёт"));
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&result)?);
    } else {
        let mb = result.bytes as f64 / 1e6;
        println!("Проверено строк: {}, {mb:.1} МБ за {seconds:.2} с ({:.0} МБ/с).", result.rows, mb / seconds);
        for i in &result.issues {
            let at = match i.column {
                Some(c) => format!("строка {}, столбец {c} ({})", i.line, i.field),
                None => format!("строка {}", i.line),
            };
            println!("{at}: {}", i.message);
        }
        if result.errors as usize > result.issues.len() {
            println!("… и ещё {} (все — в отчёте --report).", result.errors as usize - result.issues.len());
        }
    }
    if !result.valid() {
        anyhow::bail!("файл не прошёл проверку: ошибок {}", result.errors);
    }
    if !json {
        println!("Ошибок нет.");
    }
    Ok(())
}

fn deadlines_cli(command: DeadlinesCommand, today: deadlines::Date) -> anyhow::Result<()> {
    match command {
        DeadlinesCommand::Parse { phrase, after, count, event, policy, year, json } => {
            let after = match after {
                Some(a) => cli_date(&a)?,
                None => today,
            };
            let event = event.as_deref().map(cli_date).transpose()?;
            let policy = cli_policy(&policy)?;
            let schedule = match deadlines::parse_in(&phrase, deadlines::Context { year }) {
                Ok(s) => s,
                Err(e) if json => {
                    println!("{}", serde_json::json!({ "phrase": phrase, "unparsed": e.reason }));
                    anyhow::bail!("{e}");
                }
                Err(e) => anyhow::bail!("{e}"),
            };
            let cal = deadlines::Calendar::federal();
            let due = schedule.next_due(&cal, after, count, event, policy)?;
            if json {
                let due: Vec<serde_json::Value> = due
                    .iter()
                    .map(|d| {
                        serde_json::json!({
                            "date": d.date.date.to_string(),
                            "covers": d.covers.map(|p| p.ru()),
                            "explanation_ru": d.date.explain_ru(),
                            "explanation_en": d.date.explain_en(),
                        })
                    })
                    .collect();
                let out = serde_json::json!({
                    "phrase": phrase,
                    "schedule": schedule,
                    "ru": schedule.ru(),
                    "en": schedule.en(),
                    "due": due,
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("{}", schedule.ru());
                println!("{}", schedule.en());
                if due.is_empty() {
                    println!(
                        "Сроков нет (постоянная обязанность, по мере необходимости или нужна дата события: --event)."
                    );
                }
                for d in due {
                    let covers = d.covers.map(|p| format!(" за период «{}»", p.ru())).unwrap_or_default();
                    println!("{}{covers}: {}", d.date.date.strftime("%d.%m.%Y"), d.date.explain_ru());
                }
            }
            Ok(())
        }
        DeadlinesCommand::Add { start, amount, working, calendar: _, policy, counts_start_day, json } => {
            let start = cli_date(&start)?;
            let on_day_off = cli_policy(&policy)?;
            let term = deadlines::Term {
                amount,
                unit: if working { deadlines::Unit::WorkingDays } else { deadlines::Unit::CalendarDays },
                on_day_off,
                counts_start_day,
            };
            let c = deadlines::Calendar::federal().add(start, &term)?;
            if json {
                let out = serde_json::json!({
                    "date": c.date.to_string(),
                    "explanation_ru": c.explain_ru(),
                    "explanation_en": c.explain_en(),
                    "steps": c.steps,
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!("{}", c.date.strftime("%d.%m.%Y"));
                println!("{}", c.explain_ru());
            }
            Ok(())
        }
    }
}

fn init_logs(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if cfg.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn open(cfg: &Config) -> anyhow::Result<Db> {
    std::fs::create_dir_all(&cfg.data_dir)
        .with_context(|| format!("cannot create the data folder {}", cfg.data_dir.display()))?;
    Db::connect(&cfg.database_url).await
}

async fn serve(cfg: Config, clock: SharedClock, demo: bool) -> anyhow::Result<()> {
    let db = open(&cfg).await?;
    db.migrate(&glasnost::schemas()).await?;
    let storage = kernel::storage::Storage::open(&cfg.storage_url)?;
    if demo {
        let tz = jiff::tz::TimeZone::get(&cfg.timezone)?;
        demo::seed(&db, &storage, &tz, clock.now_ms(), demo::Load::default()).await?;
    }
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = if cfg.worker { Some(start_worker(&cfg, &clock, stop_rx)?) } else { None };
    let state = glasnost::state(db.clone(), cfg.clone(), clock)?;
    // What the mechanisms count in memory goes to the database every few seconds, and once more at the end.
    let flusher = {
        let state = state.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(10)).await;
                for (name, e) in shell::mechanism::flush(&state).await {
                    tracing::warn!(mechanism = name, error = ?e, "counts not written yet");
                }
            }
        })
    };
    let app = glasnost::router(state.clone());
    let listener =
        tokio::net::TcpListener::bind(&cfg.bind).await.with_context(|| format!("cannot listen on {}", cfg.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, public_url = %cfg.public_url, database = %kernel::db::redact_url(&cfg.database_url), "Glasnost is serving");
    println!("Glasnost: http://{addr}/");
    let header_timeout = std::time::Duration::from_secs(cfg.header_timeout_secs);
    shell::serve::serve(listener, app, header_timeout, shutdown_signal()).await?;
    flusher.abort();
    for (name, e) in shell::mechanism::flush(&state).await {
        tracing::warn!(mechanism = name, error = ?e, "counts of the last seconds are lost");
    }
    let _ = stop_tx.send(true);
    if let Some(w) = worker {
        let _ = tokio::task::spawn_blocking(move || w.join()).await;
    }
    Ok(())
}

/// Runs the outbox worker with the mechanisms' tasks on a thread of its own, with a runtime and a
/// database pool of its own: sending is a conversation of small round trips, and on a runtime of
/// one thread each answer is taken up by the thread that waits for it, not handed between the
/// threads that serve pages.
fn start_worker(
    cfg: &Config,
    clock: &SharedClock,
    stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<std::thread::JoinHandle<()>> {
    // A setting the mailer cannot use stops the start, as before the worker had a thread of its own.
    kernel::mail::Mailer::from_config(cfg)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().context("the worker's runtime")?;
    let (cfg, clock) = (cfg.clone(), clock.clone());
    let thread = std::thread::Builder::new().name("outbox".into()).spawn(move || {
        runtime.block_on(async move {
            let worker = async {
                let db = Db::connect(&cfg.database_url).await?;
                let mut w = kernel::outbox::Worker::new(db, cfg.clone(), clock)?;
                w.tasks.extend(shell::mechanism::tasks(&cfg, glasnost::MECHANISMS));
                anyhow::Ok(w)
            };
            match worker.await {
                Ok(w) => w.run(stop).await,
                Err(e) => tracing::error!(error = format!("{e:#}"), "the outbox worker did not start"),
            }
        })
    })?;
    Ok(thread)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
