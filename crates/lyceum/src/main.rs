//! `lyceum`: one binary for serving, working, migrating, seeding and administering.

use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use kernel::{config::Config, i18n::Locale, net::SystemResolver};
use lyceum::{app, demo};

#[derive(Parser)]
#[command(name = "lyceum", version, about = "Lyceum: everything an online course creator runs, in one program.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve HTTP (runs the job worker in-process unless --no-worker).
    Serve {
        /// Do not run jobs in this process (run `lyceum worker` separately).
        #[arg(long)]
        no_worker: bool,
    },
    /// Run background jobs only.
    Worker,
    /// Apply database migrations as the owner role (creates the lyceum_app role).
    Migrate,
    /// Migrate, seed the demo school, and serve it.
    Demo,
    /// Manage schools.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage platform operators.
    Operator {
        #[command(subcommand)]
        command: OperatorCommand,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a school and its owner.
    Create {
        /// School name.
        #[arg(long)]
        name: String,
        /// Subdomain label.
        #[arg(long)]
        slug: String,
        /// Owner's email.
        #[arg(long)]
        owner_email: String,
        /// Owner's name.
        #[arg(long, default_value = "Owner")]
        owner_name: String,
        /// Owner's password (read from LYCEUM_OWNER_PASSWORD when omitted).
        #[arg(long, env = "LYCEUM_OWNER_PASSWORD", hide_env_values = true)]
        owner_password: String,
        /// Default language (en or es).
        #[arg(long, default_value = "en")]
        locale: String,
    },
    /// List schools with their counts.
    List,
}

#[derive(Subcommand)]
enum OperatorCommand {
    /// Create a platform operator account.
    Create {
        /// Email.
        #[arg(long)]
        email: String,
        /// Name.
        #[arg(long, default_value = "Operator")]
        name: String,
        /// Password (read from LYCEUM_OPERATOR_PASSWORD when omitted).
        #[arg(long, env = "LYCEUM_OPERATOR_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

fn init_tracing(config: &Config) {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_env("LYCEUM_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info,hickory=warn"));
    if config.log_format == "json" {
        fmt().json().flatten_event(true).with_current_span(true).with_env_filter(filter).init();
    } else {
        fmt().with_env_filter(filter).init();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // One rustls crypto backend (ring) for SMTP and S3 alike, before anything opens a connection.
    kernel::storage::install_crypto_provider();
    let cli = Cli::parse();
    let mut config = Config::from_env()?;
    init_tracing(&config);
    match cli.command {
        Command::Migrate => {
            kernel::db::migrate(&config.database_url, config.app_password.as_ref().map(|s| s.expose())).await?;
            println!("Migrations applied.");
        }
        Command::Serve { no_worker } => serve(config, !no_worker).await?,
        Command::Worker => {
            let state = app::state(config, Arc::new(SystemResolver::new()?)).await?;
            let (handle, stop) = app::spawn_worker(state);
            shutdown_signal().await;
            let _ = stop.send(true);
            let _ = tokio::time::timeout(app::WORKER_GRACE, handle).await;
        }
        Command::Demo => {
            config.demo = true;
            kernel::db::migrate(&config.database_url, config.app_password.as_ref().map(|s| s.expose())).await?;
            let state = app::state(config.clone(), Arc::new(SystemResolver::new()?)).await?;
            let url = demo::seed(&state).await?;
            println!("\n  Lyceum demo is running.\n");
            println!("  Platform (start a new school): {}", config.platform_url());
            println!("  Demo school:                   {url}");
            println!("  Admin:                         {url}/admin");
            println!("  Operator area:                 {}/operator", config.platform_url());
            println!(
                "  Buy a course (test card 4242 4242 4242 4242): {url}/checkout/{}?coupon={}",
                commerce::demo::FOUNDATIONS,
                commerce::demo::COUPON
            );
            println!("  Sales page:                    {url}/p/{}", marketing::demo::SALES_PAGE);
            println!("\n  Logins (password for all: {}):", demo::DEMO_PASSWORD);
            for (name, email, role) in demo::PEOPLE {
                println!("    {:<11} {:<22} {}", role.as_str(), email, name);
            }
            println!("    operator    operator@lyceum.test   (operator area)\n");
            ensure_demo_operator(&state).await?;
            serve(config, true).await?;
        }
        Command::Tenant { command } => {
            let state = app::state(config, Arc::new(SystemResolver::new()?)).await?;
            match command {
                TenantCommand::Create { name, slug, owner_email, owner_name, owner_password, locale } => {
                    let locale = Locale::parse(&locale).context("locale must be en or es")?;
                    let new = tenancy::service::NewSchool::parse(
                        &name,
                        &slug,
                        &owner_name,
                        &owner_email,
                        &owner_password,
                        locale,
                    )
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "{}",
                            e.0.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join("; ")
                        )
                    })?;
                    match tenancy::service::create_school(&state, &new, true).await {
                        Ok((school, _)) => println!("Created {} at {}", school.name, school.base_url),
                        Err(tenancy::service::CreateError::SlugTaken) => anyhow::bail!("the subdomain {slug} is taken"),
                        Err(tenancy::service::CreateError::Other(e)) => anyhow::bail!("{e}"),
                    }
                }
                TenantCommand::List => {
                    let schools = tenancy::service::list_schools(&state).await?;
                    println!("{:<24} {:<32} {:<10} {:>6} {:>8}", "SLUG", "NAME", "STATUS", "USERS", "STUDENTS");
                    for s in schools {
                        println!("{:<24} {:<32} {:<10} {:>6} {:>8}", s.slug, s.name, s.status, s.users, s.students);
                    }
                }
            }
        }
        Command::Operator { command } => {
            let state = app::state(config, Arc::new(SystemResolver::new()?)).await?;
            match command {
                OperatorCommand::Create { email, name, password } => {
                    tenancy::operator::create(&state, &email, &name, &password).await?;
                    println!("Operator {email} created.");
                }
            }
        }
    }
    Ok(())
}

async fn ensure_demo_operator(state: &kernel::AppState) -> anyhow::Result<()> {
    match tenancy::operator::create(state, "operator@lyceum.test", "Platform Operator", demo::DEMO_PASSWORD).await {
        Ok(()) => Ok(()),
        Err(e) if e.to_string().contains("already") => Ok(()),
        Err(e) => Err(e),
    }
}

async fn serve(config: Config, with_worker: bool) -> anyhow::Result<()> {
    let bind = config.bind;
    let state = app::state(config, Arc::new(SystemResolver::new()?)).await?;
    let worker = with_worker.then(|| app::spawn_worker(state.clone()));
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    tracing::info!(%bind, "serving");
    app::serve(state.clone(), listener, shutdown_signal()).await?;
    if let Some((handle, stop)) = worker {
        let _ = stop.send(true);
        let _ = tokio::time::timeout(app::WORKER_GRACE, handle).await;
    }
    state.db.close().await;
    tracing::info!("stopped");
    Ok(())
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
    tracing::info!("shutting down");
}
