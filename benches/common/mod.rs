//! What the HTTP benches share: the service on a loopback port in this process.

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
