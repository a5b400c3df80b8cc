//! Test support: a fresh database per test, migrated as the owner role, with the application
//! connecting as `lyceum_app`, and a loopback SMTP server that records what it receives.

use anyhow::Context;
use sqlx::{Connection, PgConnection};

/// The server under test (owner role); override with `LYCEUM_TEST_DATABASE_URL`.
pub fn server_url() -> String {
    std::env::var("LYCEUM_TEST_DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A freshly created and migrated database; returns (owner URL, application URL).
pub async fn fresh_database() -> anyhow::Result<(String, String)> {
    let server = server_url();
    let name = format!("lyceum_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&format!("{server}/postgres")).await.context("connect to test server")?;
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}"))).execute(&mut admin).await?;
    admin.close().await?;
    let owner = format!("{server}/{name}");
    crate::db::migrate(&owner, None).await?;
    let app = crate::config::app_url_from_owner_url(&owner);
    Ok((owner, app))
}

/// Drops the test databases left by earlier runs.
pub async fn drop_test_databases() -> anyhow::Result<()> {
    let mut admin = PgConnection::connect(&format!("{}/postgres", server_url())).await?;
    let names: Vec<String> =
        sqlx::query_scalar("select datname from pg_database where datname like 'lyceum\\_test\\_%'")
            .fetch_all(&mut admin)
            .await?;
    for name in names {
        sqlx::query(sqlx::AssertSqlSafe(format!("drop database if exists {name} with (force)")))
            .execute(&mut admin)
            .await?;
    }
    Ok(())
}

pub mod smtp {
    //! A small SMTP server on loopback that accepts every message and keeps it.

    use std::{
        collections::HashMap,
        sync::{Arc, Mutex},
    };

    use tokio::{
        io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
        net::TcpListener,
    };

    /// One received message.
    #[derive(Clone, Debug)]
    pub struct Received {
        /// `MAIL FROM` address.
        pub from: String,
        /// `RCPT TO` addresses.
        pub to: Vec<String>,
        /// The raw message (headers and body).
        pub data: String,
    }

    /// A running SMTP sink.
    #[derive(Clone)]
    pub struct SmtpSink {
        /// `smtp://127.0.0.1:PORT`.
        pub url: String,
        /// Messages received so far.
        pub received: Arc<Mutex<Vec<Received>>>,
        /// Replies to `RCPT TO` for given recipients instead of `250 OK` (e.g. `451 4.3.0 later`
        /// or `550 5.1.1 no such user`).
        pub rejects: Arc<Mutex<HashMap<String, String>>>,
        /// Replies to the final "." of a message for given recipients instead of `250 OK`: the
        /// message is refused after its body (and not kept).
        pub data_rejects: Arc<Mutex<HashMap<String, String>>>,
    }

    impl SmtpSink {
        /// Refuses `RCPT TO:<address>` with `reply` from now on.
        pub fn reject(&self, address: &str, reply: &str) {
            self.rejects.lock().expect("smtp rejects").insert(address.to_string(), reply.to_string());
        }

        /// Refuses messages to `address` with `reply` after their final "." from now on.
        pub fn reject_data(&self, address: &str, reply: &str) {
            self.data_rejects.lock().expect("smtp rejects").insert(address.to_string(), reply.to_string());
        }

        /// Accepts `address` again.
        pub fn accept(&self, address: &str) {
            self.rejects.lock().expect("smtp rejects").remove(address);
            self.data_rejects.lock().expect("smtp rejects").remove(address);
        }
    }

    /// Starts the server on a free loopback port.
    pub async fn start() -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("smtp://{}", listener.local_addr()?);
        let received = Arc::new(Mutex::new(vec![]));
        let rejects = Arc::new(Mutex::new(HashMap::new()));
        let data_rejects = Arc::new(Mutex::new(HashMap::new()));
        let (store, refuse, refuse_data) = (received.clone(), rejects.clone(), data_rejects.clone());
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let (store, refuse, refuse_data) = (store.clone(), refuse.clone(), refuse_data.clone());
                tokio::spawn(async move {
                    let _ = session(sock, store, refuse, refuse_data).await;
                });
            }
        });
        Ok(SmtpSink { url, received, rejects, data_rejects })
    }

    async fn session(
        sock: tokio::net::TcpStream,
        store: Arc<Mutex<Vec<Received>>>,
        rejects: Arc<Mutex<HashMap<String, String>>>,
        data_rejects: Arc<Mutex<HashMap<String, String>>>,
    ) -> std::io::Result<()> {
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        w.write_all(b"220 lyceum-test ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        while let Some(line) = lines.next_line().await? {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                w.write_all(b"250-lyceum-test\r\n250 8BITMIME\r\n").await?;
            } else if upper.starts_with("HELO") {
                w.write_all(b"250 lyceum-test\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                from = line[10..].trim().trim_matches(['<', '>']).to_string();
                w.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                let rcpt = line[8..].trim().trim_matches(['<', '>']).to_string();
                let refusal = rejects.lock().expect("smtp rejects").get(&rcpt).cloned();
                match refusal {
                    Some(reply) => w.write_all(format!("{reply}\r\n").as_bytes()).await?,
                    None => {
                        to.push(rcpt);
                        w.write_all(b"250 OK\r\n").await?;
                    }
                }
            } else if upper == "DATA" {
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                while let Some(l) = lines.next_line().await? {
                    if l == "." {
                        break;
                    }
                    data.push_str(l.strip_prefix('.').unwrap_or(&l));
                    data.push('\n');
                }
                let refusal = {
                    let refuse = data_rejects.lock().expect("smtp rejects");
                    to.iter().find_map(|t| refuse.get(t).cloned())
                };
                let (from, to) = (std::mem::take(&mut from), std::mem::take(&mut to));
                match refusal {
                    Some(reply) => w.write_all(format!("{reply}\r\n").as_bytes()).await?,
                    None => {
                        store.lock().expect("smtp store").push(Received { from, to, data });
                        w.write_all(b"250 OK queued\r\n").await?;
                    }
                }
            } else if upper == "QUIT" {
                w.write_all(b"221 Bye\r\n").await?;
                break;
            } else if upper == "RSET" {
                (from, to) = (String::new(), Vec::new());
                w.write_all(b"250 OK\r\n").await?;
            } else if upper == "NOOP" {
                w.write_all(b"250 OK\r\n").await?;
            } else {
                w.write_all(b"502 Command not implemented\r\n").await?;
            }
        }
        Ok(())
    }
}
