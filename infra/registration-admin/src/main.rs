//! `registration-admin`: what an operator runs against a deployment (or moto, with `AWS_ENDPOINT_URL`).
//! Table names come from `TABLE_NAME` and `REGISTRIES_TABLE_NAME`, the workflow from `STATE_MACHINE_ARN`.

use aws_adapters::dynamodb::{schema, DynamoStore};
use aws_adapters::{Aws, Settings};
use clap::{Parser, Subcommand};
use registration_admin::{load, open, show};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "registration-admin",
    about = "Operator commands for the residence-registration tables, and EDS checks for support"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the main and registries tables, as the template declares them.
    CreateTables,
    /// Loads the registries from a reference-data file of any size (checked first; nothing is written if
    /// anything in it is wrong), with a progress bar.
    LoadReferenceData { file: PathBuf },
    /// Creates a Secrets Manager secret of 64 random hex digits, the key one-time codes are hashed with;
    /// prints only its ARN, for CODE_KEY_SECRET_ARN (the template creates its own, CodeKeySecret).
    CreateCodeKey { name: String },
    /// One application: status, reasons, timeline, consents, the execution to open (IINs masked).
    Show { application_id: String },
    /// Makes the main table (TABLE_NAME) hold exactly what SOURCE holds: a table restored from point-in-time
    /// recovery. Run with the writing functions stopped (docs/deploying.md, "Restoring the main table").
    RestoreFrom { source: String },
    /// Checks an EDS (a CMS) as submit does and prints the certificate and one line per rule: `RULE ok`,
    /// `RULE refused: detail` or `RULE not checked: why`. Exits 0 only when every checked rule holds.
    /// Needs no AWS.
    VerifyEds(registration_admin::verify_eds::Args),
    /// Applications still open that were submitted longer ago than a duration, oldest first.
    Open {
        /// e.g. 90s, 15m, 2h, 3d
        #[arg(long, value_parser = open::parse_duration)]
        older_than: chrono::Duration,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

fn required(value: Option<String>, name: &str) -> Result<String, String> {
    value.ok_or_else(|| format!("{name} is required"))
}

async fn run(cli: Cli) -> Result<String, String> {
    if let Command::VerifyEds(args) = &cli.command {
        let (lines, holds) = registration_admin::verify_eds::run(args).await?;
        println!("{lines}");
        return if holds { Ok("every checked rule holds".into()) } else { Err("a rule was refused".into()) };
    }
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let (table, registries) = (settings.table.clone(), settings.registries_table.clone());
    let state_machine = settings.state_machine_arn.clone();
    let aws = Aws::from_env(settings).await;
    let store = || required(table.clone(), "TABLE_NAME").map(|t| DynamoStore::new(aws.dynamodb().clone(), t));
    match cli.command {
        Command::CreateTables => {
            let (table, registries) = (required(table, "TABLE_NAME")?, required(registries, "REGISTRIES_TABLE_NAME")?);
            schema::create_main_table(aws.dynamodb(), &table).await.map_err(|e| e.to_string())?;
            schema::create_registries_table(aws.dynamodb(), &registries).await.map_err(|e| e.to_string())?;
            Ok(format!("created {table} and {registries}"))
        }
        Command::LoadReferenceData { file } => {
            let registries = required(registries, "REGISTRIES_TABLE_NAME")?;
            let loaded = load::load(aws.dynamodb(), &registries, &file).await?;
            Ok(format!("loaded {} people and {} properties into {registries}", loaded.people, loaded.properties))
        }
        Command::CreateCodeKey { name } => {
            use rand::Rng;
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill(&mut bytes[..]);
            let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            let out = aws
                .secrets()
                .create_secret()
                .name(name)
                .description("HMAC key of one-time code hashes (signing codes and consent codes)")
                .secret_string(secret)
                .send()
                .await
                .map_err(|e| aws_sdk_secretsmanager::error::DisplayErrorContext(&e).to_string())?;
            out.arn().map(str::to_string).ok_or_else(|| "the secret was created without an ARN".to_string())
        }
        Command::Show { application_id } => {
            let id = domain::ApplicationId::parse(&application_id)
                .ok_or_else(|| format!("{application_id:?} is not an application id (app-<uuid>)"))?;
            match show::show(&store()?, &id, state_machine.as_deref()).await? {
                Some(view) => serde_json::to_string_pretty(&view).map_err(|e| e.to_string()),
                None => Err(format!("no application {id}")),
            }
        }
        Command::RestoreFrom { source } => {
            let table = required(table, "TABLE_NAME")?;
            let done = registration_admin::restore::restore_from(aws.dynamodb(), &source, &table).await?;
            Ok(format!(
                "{table} now holds what {source} holds: {} items written, {} deleted",
                done.written, done.deleted
            ))
        }
        Command::VerifyEds(_) => Err("verify-eds is answered above".into()),
        Command::Open { older_than, limit } => {
            let now = chrono::Utc::now();
            let found = store()?.open_submitted_before(now - older_than, limit).await.map_err(|e| e.to_string())?;
            Ok(open::lines(&found, now))
        }
    }
}

#[tokio::main]
async fn main() {
    match run(Cli::parse()).await {
        Ok(done) => println!("{done}"),
        Err(e) => {
            eprintln!("registration-admin: {e}");
            std::process::exit(1);
        }
    }
}
