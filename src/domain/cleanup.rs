//! The clean-up report the notice asks for (门楼牌清理): per township, every plate that
//! breaks the numbering rules where it stands, and every street without plates.

use std::collections::BTreeMap;

use serde::Serialize;

use super::canonical::plate_suffix;
use super::model::{DivisionLevel, NameStatus, Plate, PlateParent, PlateStatus};
use super::numbering;
use super::register::Register;

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `parity`, `order`, `distance` or `no_plates`.
    pub rule: &'static str,
    pub township_code: Option<String>,
    pub township: Option<String>,
    pub thoroughfare_id: String,
    pub thoroughfare: String,
    pub plate_id: Option<String>,
    pub plate: Option<String>,
    pub canonical: String,
    pub message: String,
    pub conflict_id: Option<String>,
    /// [lon, lat] of the plate, to show it on a map.
    pub location: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub county_code: String,
    /// Findings per rule, per township (`-` where a street has no township yet).
    pub summary: BTreeMap<String, BTreeMap<&'static str, usize>>,
    pub findings: Vec<Finding>,
}

/// The clean-up report of one county.
pub fn report(reg: &Register, county_code: &str, max_distance_m: f64) -> Report {
    let mut findings = Vec::new();
    let township_name =
        |code: &Option<String>| code.as_ref().and_then(|c| reg.divisions.get(c)).map(|d| d.name.clone());
    for t in reg.thoroughfares.values().filter(|t| t.county_code == county_code && t.status == NameStatus::Active) {
        let plates: Vec<&Plate> = reg
            .plates
            .records_under(&t.id)
            .filter(|p| matches!(&p.parent, PlateParent::Thoroughfare(id) if *id == t.id))
            .collect();
        if !plates.iter().any(|p| p.status == PlateStatus::Issued) {
            findings.push(Finding {
                rule: "no_plates",
                township_code: None,
                township: None,
                thoroughfare_id: t.id.clone(),
                thoroughfare: t.name.clone(),
                plate_id: None,
                plate: None,
                canonical: reg.thoroughfare_text(t),
                message: format!("{}没有已编发的门牌", t.name),
                conflict_id: None,
                location: None,
            });
            continue;
        }
        for (id, breach) in numbering::review_street(&t.geometry, &plates, max_distance_m) {
            let Some(p) = reg.plates.get(&id) else { continue };
            findings.push(Finding {
                rule: breach.rule,
                township_code: p.township_code.clone(),
                township: township_name(&p.township_code),
                thoroughfare_id: t.id.clone(),
                thoroughfare: t.name.clone(),
                plate_id: Some(p.id.clone()),
                plate: Some(plate_suffix(p.number, p.sub)),
                canonical: reg.address(&p.id).map(|a| a.canonical).unwrap_or_default(),
                message: breach.message,
                conflict_id: breach.conflict_id,
                location: Some([p.location.x(), p.location.y()]),
            });
        }
    }
    findings.sort_by(|a, b| {
        (&a.township_code, &a.thoroughfare, &a.plate).cmp(&(&b.township_code, &b.thoroughfare, &b.plate))
    });
    let mut summary: BTreeMap<String, BTreeMap<&'static str, usize>> = BTreeMap::new();
    for f in &findings {
        let key = f.township.clone().unwrap_or_else(|| "-".into());
        *summary.entry(key).or_default().entry(f.rule).or_default() += 1;
    }
    Report { county_code: county_code.to_string(), summary, findings }
}

/// The report as CSV (UTF-8 with a byte-order mark, so that Excel opens it correctly).
pub fn to_csv(r: &Report) -> String {
    let mut out = String::from("\u{feff}问题,乡镇（街道）,道路,门牌,标准地址,说明,经度,纬度,门牌ID,道路ID\r\n");
    for f in &r.findings {
        let (lon, lat) = f.location.map(|[x, y]| (x.to_string(), y.to_string())).unwrap_or_default();
        let cells = [
            rule_zh(f.rule),
            f.township.as_deref().unwrap_or(""),
            &f.thoroughfare,
            f.plate.as_deref().unwrap_or(""),
            &f.canonical,
            &f.message,
            &lon,
            &lat,
            f.plate_id.as_deref().unwrap_or(""),
            &f.thoroughfare_id,
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

fn rule_zh(rule: &str) -> &'static str {
    match rule {
        "parity" => "单双号错位",
        "order" => "编号顺序错误",
        "distance" => "距道路过远",
        "no_plates" => "道路无门牌",
        _ => "其他",
    }
}

fn csv_cell(s: &str) -> String {
    // A leading = + - @ would be read as a formula by spreadsheet programs.
    let s = if s.starts_with(['=', '+', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Whether `code` names a county the report can be made for.
pub fn is_county(reg: &Register, code: &str) -> bool {
    reg.divisions.get(code).is_some_and(|d| d.level == DivisionLevel::County)
}
