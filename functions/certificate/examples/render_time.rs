//! Benchmark (scripts/bench, report in BENCHMARKS.md; not a test): how long the certificate function takes to
//! make a certificate's PDF in Kazakh with its QR code, warm (the font parsed and cut for each document, as the
//! handler does), and how big the PDF is. KMS's time to sign the JSON form is not measured: no AWS from here.
//!
//! `cargo run --release -p certificate --example render_time [-- RUNS]`

use certificate::pdf::{render, Page};
use domain::texts::certificate::{label, Label};
use domain::Language;
use std::time::{Duration, Instant};

fn stats(mut times: Vec<Duration>) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    format!("{:.3} | {:.3} | {:.3} | {:.3}", at(0.0), at(0.5), at(0.95), at(1.0))
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(300);
    let lang = Language::Kk;
    let rows = [
        (label(Label::Number, lang), "RC4MRNDNF4QP8P19HKNM2N9XJYT8".to_string()),
        (label(Label::IssuedAt, lang), "2026-12-07 13:04 (UTC+5)".to_string()),
        (label(Label::FullName, lang), "Сейтқали Әйгерім Нұрланқызы".to_string()),
        (label(Label::Iin, lang), "900315400017".to_string()),
        (label(Label::Address, lang), "Астана, Мәңгілік Ел даңғылы, 10-үй, 1-пәтер".to_string()),
        (label(Label::Rka, lang), "0201500000000001".to_string()),
        (label(Label::Kind, lang), label(Label::Temporary, lang).to_string() + " (6)"),
        (label(Label::ValidFrom, lang), "2026-12-07".to_string()),
        (label(Label::ValidTo, lang), "2027-06-06".to_string()),
        (label(Label::State, lang), label(Label::Current, lang).to_string()),
    ];
    let url = "https://r3g1str4t.execute-api.eu-central-1.amazonaws.com/prod/verify/RC4MRNDNF4QP8P19HKNM2N9XJYT8";
    let page = Page {
        service: label(Label::Service, lang),
        title: label(Label::Title, lang),
        rows: &rows,
        check_text: label(Label::CheckAt, lang),
        url,
        note: label(Label::Signed, lang),
        document_title: "RC4MRNDNF4QP8P19HKNM2N9XJYT8",
    };
    let first = Instant::now();
    let pdf = render(&page).expect("rendered");
    let cold = first.elapsed();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let again = render(&page).expect("rendered");
        times.push(started.elapsed());
        assert_eq!(again.len(), pdf.len());
    }
    println!("| what | runs | min ms | median ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    println!("| certificate PDF, kk, with QR (warm) | {runs} | {} |", stats(times));
    println!();
    println!("First render in the process: {:.3} ms. PDF size: {} bytes.", cold.as_secs_f64() * 1000.0, pdf.len());
}
