//! The clerks' web application (issue 8): static files compiled into the binary, served at
//! `/` and `/app/…` with `Content-Security-Policy: default-src 'self'`, so nothing loads from
//! outside. The app talks only to the `/v1` routes, with the user's own token: it adds no
//! route and no way around the roles of [`super::routes`].

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

/// The policy every file of the app is sent with (plus the base layer's origin for images,
/// when one is configured).
pub const CSP: &str = "default-src 'self'";

/// An optional base layer of map tiles from a county's own tile service (a 天地图 node,
/// say), off unless `MENPAI_BASEMAP_URL` is set: an XYZ template with `{z}`, `{x}`, `{y}`
/// in Web Mercator over CGCS2000/WGS84 (never a GCJ-02 or BD-09 service, whose shifted
/// tiles would not match the register), with its attribution
/// (`MENPAI_BASEMAP_ATTRIBUTION`) and map approval number, 审图号 (`MENPAI_BASEMAP_APPROVAL`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Basemap {
    pub url: String,
    pub attribution: String,
    pub approval: String,
    /// `scheme://host[:port]`, admitted for images by the page's policy.
    #[serde(skip)]
    pub origin: String,
}

impl Basemap {
    /// The base layer a URL template names; None for one that is not an XYZ template.
    pub fn new(url: &str, attribution: &str, approval: &str) -> Option<Basemap> {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
        let host = rest.split('/').next().filter(|h| !h.is_empty() && !h.contains(['\'', ';', ' ', '"']))?;
        if !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)) {
            return None;
        }
        let scheme = if url.starts_with("https://") { "https" } else { "http" };
        Some(Basemap {
            url: url.to_string(),
            attribution: attribution.to_string(),
            approval: approval.to_string(),
            origin: format!("{scheme}://{host}"),
        })
    }

    /// The process's base layer, read once from the environment.
    pub fn configured() -> Option<&'static Basemap> {
        static BASEMAP: std::sync::OnceLock<Option<Basemap>> = std::sync::OnceLock::new();
        BASEMAP
            .get_or_init(|| {
                let url = std::env::var("MENPAI_BASEMAP_URL").ok().filter(|u| !u.trim().is_empty())?;
                let var = |k: &str| std::env::var(k).unwrap_or_default();
                let b = Basemap::new(url.trim(), &var("MENPAI_BASEMAP_ATTRIBUTION"), &var("MENPAI_BASEMAP_APPROVAL"));
                if b.is_none() {
                    tracing::warn!(%url, "MENPAI_BASEMAP_URL is not an http(s) XYZ template with {{z}}, {{x}}, {{y}}: no base layer");
                }
                b
            })
            .as_ref()
    }
}

fn csp() -> String {
    match Basemap::configured() {
        Some(b) => format!("{CSP}; img-src 'self' {}", b.origin),
        None => CSP.to_string(),
    }
}

/// One embedded file: its path under `web/`, content type and bytes.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! assets {
    ($(($path:literal, $ct:literal)),* $(,)?) => {
        &[$(Asset { path: $path, content_type: $ct, body: include_bytes!(concat!("../../web/", $path)) }),*]
    };
}

/// Every file under `web/` (a test checks that none is missing).
static ASSETS: &[Asset] = assets![
    ("index.html", "text/html; charset=utf-8"),
    ("app/icon.svg", "image/svg+xml"),
    ("app/style.css", "text/css; charset=utf-8"),
    ("app/main.js", "text/javascript; charset=utf-8"),
    ("app/api.js", "text/javascript; charset=utf-8"),
    ("app/data.js", "text/javascript; charset=utf-8"),
    ("app/ui.js", "text/javascript; charset=utf-8"),
    ("app/map.js", "text/javascript; charset=utf-8"),
    ("app/diagram.js", "text/javascript; charset=utf-8"),
    ("app/search.js", "text/javascript; charset=utf-8"),
    ("app/address.js", "text/javascript; charset=utf-8"),
    ("app/naming.js", "text/javascript; charset=utf-8"),
    ("app/divisions.js", "text/javascript; charset=utf-8"),
    ("app/changes.js", "text/javascript; charset=utf-8"),
    ("app/plates.js", "text/javascript; charset=utf-8"),
    ("app/print.js", "text/javascript; charset=utf-8"),
    ("app/desk.js", "text/javascript; charset=utf-8"),
    ("app/admin.js", "text/javascript; charset=utf-8"),
];

fn find(path: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.path == path)
}

fn send(asset: &Asset) -> HttpResponse {
    let mut resp = HttpResponse::Ok().content_type(asset.content_type).body(asset.body);
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp()).unwrap_or(HeaderValue::from_static(CSP)));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // The files change with the binary: revalidate rather than serve a stale app.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

async fn index() -> HttpResponse {
    send(find("index.html").expect("web/index.html is embedded"))
}

async fn asset(req: HttpRequest) -> HttpResponse {
    let tail = req.match_info().get("tail").unwrap_or("");
    if tail.is_empty() {
        return index().await;
    }
    match find(&format!("app/{tail}")) {
        Some(a) => send(a),
        None => {
            super::problem(StatusCode::NOT_FOUND, "not_found", "未找到", &format!("没有这个文件：{}", req.path()), None)
        }
    }
}

/// The app's settings: the base layer, if any. Public, like the app's files.
async fn config() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(serde_json::json!({"basemap": Basemap::configured()}))
}

/// Serves the app: `/` and `/app/` give the page, `/app/{file}` its files.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/app/config.json", web::get().to(config))
        .route("/", web::get().to(index))
        .route("/", web::head().to(index))
        .route("/app", web::get().to(index))
        .route("/app", web::head().to(index))
        .route("/app/{tail:.*}", web::get().to(asset))
        .route("/app/{tail:.*}", web::head().to(asset));
}

#[cfg(test)]
mod tests {
    use super::*;

    const JS: &str = "text/javascript; charset=utf-8";

    #[test]
    fn every_file_under_web_is_embedded() {
        fn walk(dir: &std::path::Path, base: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
        let mut files = Vec::new();
        walk(&base, &base, &mut files);
        for f in &files {
            assert!(find(f).is_some(), "web/{f} is not in web.rs ASSETS");
        }
        assert_eq!(files.len(), ASSETS.len(), "ASSETS lists a file that web/ does not have");
    }

    #[test]
    fn a_base_layer_needs_an_xyz_template() {
        let b = Basemap::new("https://t0.tianditu.example/vec_w/{z}/{x}/{y}.png", "天地图", "GS(2024)0650号").unwrap();
        assert_eq!(b.origin, "https://t0.tianditu.example");
        assert!(Basemap::new("ftp://x/{z}/{x}/{y}", "", "").is_none());
        assert!(Basemap::new("https://x/tiles.png", "", "").is_none(), "no {{z}}/{{x}}/{{y}}");
        assert!(
            Basemap::new("https://x'; script-src */{z}/{x}/{y}", "", "").is_none(),
            "nothing that breaks the policy"
        );
    }

    #[test]
    fn content_types_follow_extensions() {
        for a in ASSETS {
            let want = match a.path.rsplit('.').next().unwrap() {
                "html" => "text/html; charset=utf-8",
                "js" => JS,
                "css" => "text/css; charset=utf-8",
                "svg" => "image/svg+xml",
                other => panic!("unexpected extension {other}"),
            };
            assert_eq!(a.content_type, want, "{}", a.path);
        }
    }

    #[actix_web::test]
    async fn the_page_and_its_files_are_served_with_the_policy() {
        use actix_web::test::{call_service, init_service, read_body, TestRequest};
        let svc = init_service(actix_web::App::new().configure(configure)).await;
        for (path, ct) in [
            ("/", "text/html; charset=utf-8"),
            ("/app/", "text/html; charset=utf-8"),
            ("/app/main.js", JS),
            ("/app/style.css", "text/css; charset=utf-8"),
        ] {
            let resp = call_service(&svc, TestRequest::get().uri(path).to_request()).await;
            assert_eq!(resp.status(), 200, "{path}");
            assert_eq!(resp.headers().get("content-type").unwrap(), ct, "{path}");
            assert_eq!(resp.headers().get("content-security-policy").unwrap(), CSP, "{path}");
            let body = read_body(resp).await;
            assert!(!body.is_empty());
        }
        let resp = call_service(&svc, TestRequest::get().uri("/").to_request()).await;
        let body = String::from_utf8(read_body(resp).await.to_vec()).unwrap();
        assert!(body.contains(r#"<html lang="zh-CN">"#));
        // Nothing is loaded from outside the server.
        assert!(!body.contains("http://") && !body.contains("https://"));
        let resp = call_service(&svc, TestRequest::get().uri("/app/nope.js").to_request()).await;
        assert_eq!(resp.status(), 404);
        let resp = call_service(&svc, TestRequest::get().uri("/app/../Cargo.toml").to_request()).await;
        assert_eq!(resp.status(), 404);
    }
}
