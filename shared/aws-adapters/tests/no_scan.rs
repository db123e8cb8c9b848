//! Every access pattern uses a key: no DynamoDB `Scan` anywhere in the adapters.

#[test]
fn the_adapters_never_scan() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).expect("read");
                assert!(!text.contains(".scan()"), "{} calls Scan", path.display());
            }
        }
    }
    assert!(files > 5);
}
