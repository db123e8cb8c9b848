//! The README is a front door and the rest is in docs/: every relative link of the README, of docs/ and of
//! infra/dynamodb.md points at a file of the repository, so a section that moves cannot leave a dead link.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The targets of `[text](target)` links that are not URLs or anchors of the same page.
fn relative_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or_default().trim();
        if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
            links.push(target.to_string());
        }
        rest = &rest[end..];
    }
    links
}

#[test]
fn every_relative_link_of_the_documentation_resolves() {
    let root = root();
    let mut pages = vec![root.join("README.md"), root.join("BENCHMARKS.md"), root.join("infra/dynamodb.md")];
    let docs = std::fs::read_dir(root.join("docs")).expect("docs/");
    pages.extend(docs.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "md")));
    assert!(pages.len() >= 10, "the README and docs/ pages: {pages:?}");
    let mut dead = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).expect("page");
        for link in relative_links(&text) {
            let target = page.parent().expect("folder").join(&link);
            if !target.exists() {
                dead.push(format!("{} -> {link}", page.strip_prefix(&root).unwrap_or(page).display()));
            }
        }
    }
    assert!(dead.is_empty(), "dead links: {dead:#?}");
}

#[test]
fn the_readme_is_a_front_door_with_its_two_commands_first() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let first_block = readme.split("```").nth(1).expect("a code block");
    let commands: Vec<&str> = first_block.lines().filter(|l| !l.trim().is_empty() && !l.starts_with("sh")).collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("cargo run -p local-stack") && commands[1].starts_with("./scripts/test"));
    assert!(readme.len() < 16 * 1024, "the README stays short ({} bytes): the rest goes to docs/", readme.len());
}
