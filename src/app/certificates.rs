//! Address-change certificates (地址变更证明): every text an address has had, with dates
//! and approval documents, signed by a verification code that the register confirms.

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::read::{address_view, HistoryEntry};
use super::{now, Actor, App, AppError, Role};
use crate::domain::{AddressLevel, DivisionLevel, Register};
use crate::store::certificates::{self as db, CertificateRow};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub issued_at: String,
    /// The department that answers for the address's texts.
    pub authority: String,
    pub address_id: String,
    pub level: AddressLevel,
    pub status: String,
    pub current: String,
    pub pinyin: String,
    pub history: Vec<HistoryEntry>,
}

/// The county's civil-affairs bureau names streets and localities; its public-security
/// bureau numbers doors.
fn authority(reg: &Register, id: &str, level: AddressLevel) -> String {
    let county = reg.county_of(id).and_then(|c| reg.divisions.get(&c)).map(|d| d.name.clone());
    let prefecture = reg.divisions.values().find(|d| d.level == DivisionLevel::Prefecture).map(|d| d.name.clone());
    let seat = county.or(prefecture).unwrap_or_default();
    match level {
        AddressLevel::Plate | AddressLevel::Building | AddressLevel::Unit | AddressLevel::Room => {
            format!("{seat}公安局")
        }
        _ => format!("{seat}民政局"),
    }
}

fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

impl App {
    /// Issues a certificate for an address as the register stands now.
    pub fn certificate(&self, actor: &Actor, id: &str) -> Result<Certificate, AppError> {
        actor.require(&Role::ALL)?;
        let reg = self.register();
        let view = address_view(&reg, id).ok_or_else(|| AppError::NotFound(format!("地址 {id} 不存在")))?;
        let cert = Certificate {
            code: new_code(),
            issued_at: now(),
            authority: authority(&reg, id, view.level),
            address_id: view.id,
            level: view.level,
            status: view.status,
            current: view.canonical,
            pinyin: view.pinyin,
            history: view.history,
        };
        let row = CertificateRow {
            code: cert.code.clone(),
            address_id: cert.address_id.clone(),
            issued_at: cert.issued_at.clone(),
            token_id: actor.token_id.clone(),
            content: serde_json::to_string(&cert).map_err(|e| AppError::Internal(e.to_string()))?,
        };
        self.store.write(|c| -> Result<(), AppError> {
            db::insert(c, &row)?;
            let mut audit = actor.audit("certificate.issue", Some(&row.address_id));
            audit.detail = Some(format!("code={}", row.code));
            crate::store::append_audit(c, &audit)?;
            Ok(())
        })?;
        Ok(cert)
    }

    /// The certificate a verification code was issued for.
    pub fn verify_certificate(&self, actor: &Actor, code: &str) -> Result<Certificate, AppError> {
        actor.require(&Role::ALL)?;
        let row = self
            .store
            .read(|c| db::by_code(c, code.trim()))?
            .ok_or_else(|| AppError::NotFound(format!("验证码 {code} 不对应任何已出具的证明")))?;
        serde_json::from_str(&row.content).map_err(|e| AppError::Internal(e.to_string()))
    }
}

/// `2026年11月25日`: the date in China of a stored time or a date (GB/T 9704 style).
pub fn date_zh(s: &str) -> String {
    crate::domain::china_time::date_zh(s)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The certificate as a printable A4 page (no external resources).
pub fn to_html(c: &Certificate) -> String {
    let rows: String = c
        .history
        .iter()
        .map(|h| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&h.canonical),
                h.valid_from.as_deref().map(date_zh).unwrap_or_else(|| "—".into()),
                h.valid_to.as_deref().map(date_zh).unwrap_or_else(|| "至今".into()),
                esc(h.document.as_deref().unwrap_or("—")),
            )
        })
        .collect();
    format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>地址变更证明 {code}</title>
<style>
@page {{ size: A4; margin: 25mm 20mm; }}
body {{ font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; color: #000; max-width: 170mm; margin: 0 auto; }}
h1 {{ text-align: center; font-size: 22pt; letter-spacing: .3em; margin: 0 0 1.5em; }}
table {{ width: 100%; border-collapse: collapse; margin: 1em 0; font-size: 11pt; }}
th, td {{ border: 1px solid #000; padding: .4em; text-align: left; vertical-align: top; }}
.sign {{ text-align: right; margin-top: 3em; line-height: 2; }}
.code {{ font-family: monospace; font-size: 12pt; }}
</style></head>
<body>
<h1>地址变更证明</h1>
<p>兹证明，地址编号 <span class="code">{id}</span> 的标准地址现为：</p>
<p><strong>{current}</strong>（{pinyin}），状态：{status}。</p>
<p>该地址在本登记册中的历次名称如下：</p>
<table><thead><tr><th>标准地址</th><th>起</th><th>止</th><th>批准文号</th></tr></thead><tbody>{rows}</tbody></table>
<p>本证明可凭验证码 <span class="code">{code}</span> 通过 /v1/certificates/{code} 查验。</p>
<div class="sign">{authority}<br>{date}</div>
</body></html>
"#,
        code = esc(&c.code),
        id = esc(&c.address_id),
        current = esc(&c.current),
        pinyin = esc(&c.pinyin),
        status = esc(&c.status),
        rows = rows,
        authority = esc(&c.authority),
        date = date_zh(&c.issued_at),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_on_official_documents() {
        assert_eq!(date_zh("2026-11-05T10:00:00.000Z"), "2026年11月5日");
        assert_eq!(date_zh("2015-06-30"), "2015年6月30日");
    }
}
