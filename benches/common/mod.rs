//! What the HTTP benches share: the service on a loopback port in this process, and a
//! keep-alive HTTP/1.1 client connection.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use menpai::app::App;

/// Serves `app` on a free loopback port with two workers; returns the port.
pub fn serve_in_process(app: &App) -> u16 {
    let (tx, rx) = std::sync::mpsc::channel();
    let app = app.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let metrics = menpai::api::Metrics::default();
            let server = actix_web::HttpServer::new(move || menpai::http_app!(app, metrics))
                .workers(2)
                .bind("127.0.0.1:0")
                .expect("bind");
            tx.send(server.addrs()[0].port()).expect("port");
            server.run().await
        })
    });
    rx.recv().expect("server started")
}

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub fn open(port: u16) -> Conn {
        let s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.set_nodelay(true).ok();
        Conn { reader: BufReader::new(s.try_clone().expect("clone")), writer: s }
    }

    /// A connection whose reads give up after `secs` (the request then reports status 0).
    pub fn open_with_timeout(port: u16, secs: u64) -> Conn {
        let c = Conn::open(port);
        c.writer.set_read_timeout(Some(std::time::Duration::from_secs(secs))).ok();
        c
    }

    /// Sends a request and reads the whole response; the status code (0 when the
    /// connection failed).
    pub fn send(&mut self, method: &str, path: &str, token: &str, body: &str) -> u16 {
        self.exchange(method, path, token, body).0
    }

    /// Sends a request and reads the whole response: (status, body); status 0 when the
    /// connection failed.
    pub fn exchange(&mut self, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if self.writer.write_all(req.as_bytes()).is_err() {
            return (0, String::new());
        }
        let mut line = String::new();
        if self.reader.read_line(&mut line).is_err() {
            return (0, String::new());
        }
        let status = line.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let mut length = 0usize;
        loop {
            line.clear();
            if self.reader.read_line(&mut line).is_err() || line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        let _ = self.reader.read_exact(&mut body);
        (status, String::from_utf8_lossy(&body).into_owned())
    }
}
