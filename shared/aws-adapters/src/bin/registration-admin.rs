//! Operator commands against DynamoDB (or moto, with `AWS_ENDPOINT_URL`):
//!
//! - `registration-admin create-tables`: the main and registries tables, as the template declares them;
//! - `registration-admin load-reference-data FILE`: imports a reference-data file (the local stack's format);
//! - `registration-admin create-code-key NAME`: a Secrets Manager secret of 64 random hex digits, the key one-time
//!   codes are hashed with (the template creates its own, `CodeKeySecret`); prints only its ARN, for
//!   `CODE_KEY_SECRET_ARN`.
//!
//! Table names come from `TABLE_NAME` and `REGISTRIES_TABLE_NAME`.

use aws_adapters::dynamodb::{load_reference_data, schema};
use aws_adapters::{Aws, Settings};
use domain::reference_data::ReferenceData;

const USAGE: &str = "usage: registration-admin create-tables | load-reference-data FILE | create-code-key NAME";

async fn run(args: &[String]) -> Result<String, String> {
    let settings = Settings::from_env().map_err(|e| e.to_string())?;
    let table = settings.table.clone();
    let registries = settings.registries_table.clone();
    let aws = Aws::from_env(settings).await;
    match args {
        [cmd] if cmd == "create-tables" => {
            let table = table.ok_or("TABLE_NAME is required")?;
            let registries = registries.ok_or("REGISTRIES_TABLE_NAME is required")?;
            schema::create_main_table(aws.dynamodb(), &table).await.map_err(|e| e.to_string())?;
            schema::create_registries_table(aws.dynamodb(), &registries).await.map_err(|e| e.to_string())?;
            Ok(format!("created {table} and {registries}"))
        }
        [cmd, file] if cmd == "load-reference-data" => {
            let registries = registries.ok_or("REGISTRIES_TABLE_NAME is required")?;
            let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
            let data = ReferenceData::from_json(&text).map_err(|e| e.to_string())?;
            let n = load_reference_data(aws.dynamodb(), &registries, &data).await.map_err(|e| e.to_string())?;
            Ok(format!("loaded {n} items into {registries}"))
        }
        [cmd, name] if cmd == "create-code-key" => {
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
        _ => Err(USAGE.to_string()),
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args).await {
        Ok(done) => println!("{done}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
