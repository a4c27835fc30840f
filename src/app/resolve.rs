//! Resolution of free text, one query or a batch over both cores.

use rayon::prelude::*;

use super::{Actor, App, AppError, Role};
use crate::domain::resolve::Resolution;
use crate::domain::{AddressLevel, PlateStatus};

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 512;
/// Most queries in one batch.
pub const MAX_BATCH: usize = 10_000;

fn check_query(q: &str) -> Result<(), AppError> {
    let n = q.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(AppError::Invalid(format!("查询文本过长（{n} 字），最多 {MAX_QUERY_CHARS} 字")));
    }
    Ok(())
}

impl App {
    /// Resolves a text against the register as it stands, or as it stood at the end of
    /// the date `at` (`YYYY-MM-DD`).
    pub fn resolve(&self, actor: &Actor, q: &str, at: Option<&str>) -> Result<Resolution, AppError> {
        actor.require(&Role::ALL)?;
        check_query(q)?;
        Ok(match at {
            Some(at) => self.dated(at)?.resolver.resolve(q),
            None => self.snapshot().resolver.resolve(q),
        })
    }

    /// Resolves every query against one snapshot (or the register as it stood at the end
    /// of `at`), in order; the batch is audited.
    pub fn resolve_batch(
        &self,
        actor: &Actor,
        queries: &[String],
        at: Option<&str>,
    ) -> Result<Vec<Resolution>, AppError> {
        let results = self.resolve_many(actor, queries, at)?;
        self.audit_read(actor, "resolve.batch", &format!("queries={}", queries.len()))?;
        Ok(results)
    }

    /// Resolves a batch without an audit row of its own (a wash audits the whole file).
    pub fn resolve_many(
        &self,
        actor: &Actor,
        queries: &[String],
        at: Option<&str>,
    ) -> Result<Vec<Resolution>, AppError> {
        actor.require(&Role::ALL)?;
        if queries.len() > MAX_BATCH {
            return Err(AppError::Invalid(format!("一次最多 {MAX_BATCH} 条查询，收到 {} 条", queries.len())));
        }
        for (i, q) in queries.iter().enumerate() {
            check_query(q).map_err(|e| AppError::Invalid(format!("第 {} 条：{e}", i + 1)))?;
        }
        if let Some(at) = at {
            let dated = self.dated(at)?;
            return Ok(queries.par_iter().map(|q| dated.resolver.resolve(q)).collect());
        }
        let snapshot = self.snapshot();
        Ok(queries.par_iter().map(|q| snapshot.resolver.resolve(q)).collect())
    }
}

/// What `GET /v1/reverse` answers: the nearest plate and thoroughfare within the radius.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReverseOut {
    pub plate: Option<serde_json::Value>,
    pub thoroughfare: Option<serde_json::Value>,
}

/// Farthest a reverse lookup looks, in metres, unless the caller asks for less.
pub const MAX_REVERSE_RADIUS_M: f64 = 2000.0;

/// Why a text is not one issued, current address (SPEC §5 `POST /v1/validate`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reason {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ValidateAddressOut {
    /// True only for one issued, current door address (plate, building, unit or room).
    pub ok: bool,
    pub reasons: Vec<Reason>,
    /// The text to register instead (or the same, when ok).
    pub canonical: Option<String>,
    pub id: Option<String>,
    pub resolution: Resolution,
}

/// Most suggestions one autocomplete answers.
pub const MAX_SUGGESTIONS: usize = 50;

impl App {
    /// Names starting with a prefix of Chinese, pinyin or pinyin initials, current first.
    pub fn autocomplete(
        &self,
        actor: &Actor,
        q: &str,
        limit: Option<usize>,
    ) -> Result<Vec<serde_json::Value>, AppError> {
        actor.require(&Role::ALL)?;
        check_query(q)?;
        let limit = limit.unwrap_or(10);
        if !(1..=MAX_SUGGESTIONS).contains(&limit) {
            return Err(AppError::Invalid(format!("limit 应在 1 到 {MAX_SUGGESTIONS} 之间")));
        }
        let snap = self.snapshot();
        let reg = &snap.register;
        Ok(snap
            .autocomplete
            .suggest(q, limit)
            .into_iter()
            .filter_map(|h| {
                let a = reg.address(&h.id)?;
                let status = match h.level {
                    AddressLevel::Thoroughfare => reg.thoroughfares.get(&h.id).map(|t| t.status.as_str()),
                    AddressLevel::Locality => reg.localities.get(&h.id).map(|l| l.status.as_str()),
                    _ => Some("active"),
                };
                Some(serde_json::json!({
                    "id": a.id, "canonical": a.canonical, "level": a.level, "pinyin": a.pinyin,
                    "name": h.name, "current_name": h.current, "status": status,
                }))
            })
            .collect())
    }

    pub fn reverse(&self, actor: &Actor, lon: f64, lat: f64, radius_m: Option<f64>) -> Result<ReverseOut, AppError> {
        actor.require(&Role::ALL)?;
        if !crate::domain::geometry::valid_lon_lat(lon, lat) {
            return Err(AppError::Invalid(format!("[{lon}, {lat}] 不是有效的经纬度")));
        }
        let radius = radius_m.unwrap_or(500.0);
        if !(radius > 0.0 && radius <= MAX_REVERSE_RADIUS_M) {
            return Err(AppError::Invalid(format!("radius_m 应在 0 到 {MAX_REVERSE_RADIUS_M} 米之间")));
        }
        let snap = self.snapshot();
        let reg = &snap.register;
        let describe = |id: &str, distance_m: f64| {
            reg.address(id).map(|a| {
                serde_json::json!({"id": a.id, "canonical": a.canonical, "level": a.level, "pinyin": a.pinyin, "distance_m": (distance_m * 10.0).round() / 10.0})
            })
        };
        let plate = snap
            .spatial
            .nearest_plate(reg, lon, lat)
            .filter(|n| n.distance_m <= radius)
            .and_then(|n| describe(&n.id, n.distance_m));
        let thoroughfare = snap
            .spatial
            .nearest_thoroughfare(reg, lon, lat)
            .filter(|n| n.distance_m <= radius)
            .and_then(|n| describe(&n.id, n.distance_m));
        Ok(ReverseOut { plate, thoroughfare })
    }

    /// Whether a text is one issued, current door address, and if not, exactly why, with
    /// the text to register instead; with `at`, whether it was one on that date.
    pub fn validate_address(
        &self,
        actor: &Actor,
        text: &str,
        at: Option<&str>,
    ) -> Result<ValidateAddressOut, AppError> {
        let resolution = self.resolve(actor, text, at)?;
        let reg = match at {
            Some(at) => self.dated(at)?.register.clone(),
            None => self.register(),
        };
        let mut reasons = Vec::new();
        let mut canonical = resolution.address.as_ref().map(|a| a.canonical.clone());
        let id = resolution.address.as_ref().map(|a| a.id.clone());
        use crate::domain::resolve::Status;
        match resolution.status {
            // A place elsewhere in China: where it is, so the clerk sends it on.
            Status::NotFound => match &resolution.outside {
                Some(o) => reasons
                    .push(Reason { code: "outside", message: format!("不在本登记范围：{}", o.chain.concat()) }),
                None => reasons.push(Reason { code: "not_found", message: "登记册中没有这个地址".into() }),
            },
            Status::Ambiguous => reasons.push(Reason {
                code: "ambiguous",
                message: format!(
                    "地址不明确，可能是：{}",
                    resolution.candidates.iter().map(|c| c.canonical.as_str()).collect::<Vec<_>>().join("；")
                ),
            }),
            Status::Partial => match retired_plate(&reg, &resolution) {
                // The resolver does not read a plate retired without a replacement; the
                // registrar still needs to hear it was retired, not that it never was.
                Some(_) => reasons.push(Reason {
                    code: "retired",
                    message: format!(
                        "“{}”已注销，{}上没有现行的这个门牌",
                        resolution.unmatched.as_deref().unwrap_or(""),
                        canonical.as_deref().unwrap_or("")
                    ),
                }),
                None => reasons.push(Reason {
                    code: "never_issued",
                    message: format!(
                        "“{}”未编发，登记册中只有：{}",
                        resolution.unmatched.as_deref().unwrap_or(""),
                        canonical.as_deref().unwrap_or("")
                    ),
                }),
            },
            Status::Matched => {}
        }
        if let (Some(a), Status::Matched) = (&resolution.address, resolution.status) {
            if !matches!(
                a.level,
                AddressLevel::Plate | AddressLevel::Building | AddressLevel::Unit | AddressLevel::Room
            ) {
                reasons.push(Reason {
                    code: "not_a_door",
                    message: format!("{}不是门牌地址，登记需具体到门牌号", a.canonical),
                });
            }
            if let Some(plate) = reg.plate_of(&a.id) {
                if plate.status == PlateStatus::Retired {
                    let replacement = plate.replaced_by.as_deref().and_then(|r| reg.address(r)).map(|x| x.canonical);
                    reasons.push(Reason {
                        code: "retired",
                        message: match &replacement {
                            Some(r) => format!("该门牌已注销，由{r}取代"),
                            None => "该门牌已注销".into(),
                        },
                    });
                    canonical = replacement;
                } else if plate.status == PlateStatus::Reserved {
                    reasons.push(Reason { code: "not_issued", message: "该门牌号已预留但尚未编发".into() });
                }
            }
            // The resolver reads a retired plate as the plate that replaced it.
            for c in resolution.corrections.iter().filter(|c| c.kind == "replaced") {
                reasons.push(Reason {
                    code: "retired",
                    message: format!("所写门牌已注销，由{}取代，请登记现行地址", c.to),
                });
            }
        }
        // A former name is worth saying whatever else is wrong with the text.
        if let Some(a) = resolution.address.as_ref().filter(|_| resolution.status != Status::Ambiguous) {
            for c in resolution.corrections.iter().filter(|c| c.kind == "former_name") {
                reasons.push(Reason {
                    code: "renamed",
                    message: format!("“{}”已更名为“{}”，现标准地址为{}", c.from, c.to, a.canonical),
                });
            }
        }
        Ok(ValidateAddressOut { ok: reasons.is_empty(), reasons, canonical, id, resolution })
    }
}

/// A retired plate with the number a partial resolution left unread, on the street or
/// locality it stopped at (`123号`, `123号附2号`).
fn retired_plate<'a>(reg: &'a crate::domain::Register, r: &Resolution) -> Option<&'a crate::domain::Plate> {
    let parent = r.address.as_ref()?;
    let rest = r.unmatched.as_deref()?.trim();
    let number_at = |s: &str| -> Option<(i32, usize)> {
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        let n = s[..digits].parse().ok()?;
        s[digits..].starts_with('号').then_some((n, digits + '号'.len_utf8()))
    };
    let (number, used) = number_at(rest)?;
    let tail = &rest[used..];
    let sub = match tail.strip_prefix('附') {
        Some(t) => Some(number_at(t)?.0),
        None if tail.is_empty() => None,
        None => return None,
    };
    reg.plates
        .values()
        .find(|p| p.parent.id() == parent.id && p.number == number && p.sub == sub && p.status == PlateStatus::Retired)
}
