//! The README's "First start" commands, run as written on a fresh database: the server refuses
//! to serve without an admin and says what to run; the admin command creates one; the server
//! then serves and the admin signs in.

use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// The `kefu-server` lines of the README's "First start" block, split into words.
fn first_start_commands() -> Vec<Vec<String>> {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split("\n## First start")
        .nth(1)
        .expect("a First start section in README.md");
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a sh block in First start");
    block
        .lines()
        .filter(|line| line.starts_with("target/release/kefu-server"))
        .map(|line| {
            assert!(
                !line.contains(['"', '\'']),
                "keep the commands unquoted: {line}"
            );
            line.split_whitespace().map(str::to_owned).collect()
        })
        .collect()
}

/// A README command as this test runs it: this build's binary, a fresh database, port 0.
fn command(words: &[String], database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kefu-server"));
    for word in &words[1..] {
        let word = if word.starts_with("sqlite://") {
            database
        } else if word.ends_with(":8080") {
            "127.0.0.1:0"
        } else {
            word
        };
        command.arg(word);
    }
    command
}

#[tokio::test]
async fn the_readme_s_first_start_commands_work_on_a_fresh_database() {
    let commands = first_start_commands();
    let [create_admin, serve] = commands.as_slice() else {
        panic!("First start should show create-user, then the server: {commands:?}")
    };
    assert!(
        create_admin.contains(&"create-user".to_owned()),
        "{create_admin:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("kefu.db").display());

    let refused = command(serve, &database).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("no admin account") && why.contains("admin create-user"),
        "{why}"
    );

    let password = "river-lamp-cotton-71";
    let mut creating = command(create_admin, &database)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(creating.stdin.take().unwrap(), "{password}").unwrap();
    let created = creating.wait_with_output().unwrap();
    assert!(created.status.success(), "{created:?}");
    let username =
        create_admin[create_admin.iter().position(|w| w == "--username").unwrap() + 1].clone();
    assert!(String::from_utf8_lossy(&created.stdout).contains(&format!("created {username}")));

    let mut server = command(serve, &database)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server prints where it listens")
            .unwrap();
        if let Some(address) = line.strip_prefix("Kefu listening on ") {
            break address.to_owned();
        }
    };
    let response = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let session: serde_json::Value = response.json().await.unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["role"], "admin");
    assert_eq!(session["must_change_password"], false);
}
