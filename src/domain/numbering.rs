//! Door-plate numbering (SPEC §7, 门牌编制): numbers rise along the thoroughfare's
//! direction, odd on the left and even on the right (左单右双). A new entrance between
//! existing plates gets the lowest free number of its parity between its neighbours, or,
//! where none is free, the next sub-number (附号) of the lower neighbour. A number once
//! issued is never issued again, even after retirement. Plates on localities are numbered
//! 1, 2, 3 … with no sides.

use serde::Serialize;

use super::canonical::plate_suffix;
use super::geometry::{self, Projection};
use super::model::{NumberingScheme, Plate, PlateStatus, Side, StreetGeometry};

/// A plate already on the street, as numbering sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub id: String,
    pub number: i32,
    pub sub: Option<i32>,
    pub side: Option<Side>,
    pub measure_m: Option<f64>,
    pub status: PlateStatus,
}

/// The number an entrance should get.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Suggestion {
    pub number: i32,
    pub sub: Option<i32>,
}

/// Why a number does not fit a place (SPEC §5 `plates/validate`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    pub rule: &'static str,
    pub message: String,
    /// The plate in the way, or null: always present, as in the naming rules' violations.
    pub conflict_id: Option<String>,
}

fn side_zh(s: Side) -> &'static str {
    match s {
        Side::Left => "左",
        Side::Right => "右",
    }
}

fn key(p: &Existing) -> (i32, i32) {
    (p.number, p.sub.unwrap_or(0))
}

fn taken(plates: &[Existing], number: i32, sub: Option<i32>) -> Option<&Existing> {
    plates.iter().find(|p| p.number == number && p.sub == sub)
}

/// The standing plates on `side`, ordered along the street (a retired plate keeps its
/// number but no longer marks a door).
fn along(plates: &[Existing], side: Side) -> Vec<&Existing> {
    let mut v: Vec<&Existing> = plates
        .iter()
        .filter(|p| p.side == Some(side) && p.measure_m.is_some() && p.status != PlateStatus::Retired)
        .collect();
    v.sort_by(|a, b| {
        a.measure_m.partial_cmp(&b.measure_m).unwrap_or(std::cmp::Ordering::Equal).then(key(a).cmp(&key(b)))
    });
    v
}

/// The neighbours of a position on one side: the last plate before it and the first after.
fn neighbours(plates: &[Existing], side: Side, measure_m: f64) -> (Option<&Existing>, Option<&Existing>) {
    let row = along(plates, side);
    let lower = row.iter().rev().find(|p| p.measure_m.is_some_and(|m| m <= measure_m)).copied();
    let upper = row.iter().find(|p| p.measure_m.is_some_and(|m| m > measure_m)).copied();
    (lower, upper)
}

/// The next sub-number of `base` (sub-numbers are never nested).
fn next_sub(plates: &[Existing], base: i32) -> i32 {
    plates.iter().filter(|p| p.number == base).filter_map(|p| p.sub).max().unwrap_or(0) + 1
}

/// The number for an entrance at `at` on a thoroughfare with `plates` (every plate ever
/// numbered there, retired and reserved ones included).
pub fn suggest_on_thoroughfare(
    plates: &[Existing],
    at: Projection,
    scheme: NumberingScheme,
) -> Result<Suggestion, String> {
    let side = at.side;
    let parity = if side == Side::Left { 1 } else { 0 };
    let (lower, upper) = neighbours(plates, side, at.measure_m);
    let lo = lower.map(|p| p.number).unwrap_or(0);
    let hi = upper.map(|p| p.number).unwrap_or(i32::MAX);
    // Numbered by distance: the number the frontage position gives, where it fits.
    if let NumberingScheme::Distance { interval_m } = scheme {
        if interval_m.is_finite() && interval_m > 0.0 {
            let pair = (at.measure_m / interval_m).floor().min(1.0e6) as i32;
            let n = 2 * pair + if side == Side::Left { 1 } else { 2 };
            if n > lo && n < hi && taken(plates, n, None).is_none() {
                return Ok(Suggestion { number: n, sub: None });
            }
        }
    }
    let mut n = lo + 1;
    if n.rem_euclid(2) != parity {
        n += 1;
    }
    while n < hi {
        if taken(plates, n, None).is_none() {
            return Ok(Suggestion { number: n, sub: None });
        }
        n += 2;
        if n > 1_000_000 {
            break;
        }
    }
    match lower {
        Some(l) => Ok(Suggestion { number: l.number, sub: Some(next_sub(plates, l.number)) }),
        None => Err(format!(
            "{}侧{}之前没有可用的门牌号，请人工编号",
            side_zh(side),
            upper.map(|u| plate_suffix(u.number, u.sub)).unwrap_or_default()
        )),
    }
}

/// The next number on a locality: 1, 2, 3 …, never one used before.
pub fn suggest_on_locality(plates: &[Existing]) -> Suggestion {
    Suggestion { number: plates.iter().map(|p| p.number).max().unwrap_or(0) + 1, sub: None }
}

/// Every reason `number`/`sub` does not fit an entrance at `at` (None for a locality) on a
/// street with `plates`.
pub fn validate(
    plates: &[Existing],
    number: i32,
    sub: Option<i32>,
    at: Option<Projection>,
    max_distance_m: f64,
) -> Vec<Breach> {
    let mut out = Vec::new();
    let text = plate_suffix(number, sub);
    if number < 1 || sub.is_some_and(|s| s < 1) {
        out.push(Breach { rule: "invalid", message: "门牌号和附号必须是正整数".into(), conflict_id: None });
        return out;
    }
    if let Some(p) = taken(plates, number, sub) {
        let (rule, message) = match p.status {
            PlateStatus::Retired => ("retired", format!("{text}已注销，注销的号码不再启用")),
            PlateStatus::Reserved => ("reserved", format!("{text}已被编号方案预留")),
            PlateStatus::Issued => ("taken", format!("{text}已编发")),
        };
        out.push(Breach { rule, message, conflict_id: Some(p.id.clone()) });
    }
    if sub.is_some()
        && !plates.iter().any(|p| p.number == number && p.sub.is_none() && p.status != PlateStatus::Retired)
    {
        out.push(Breach {
            rule: "no_base", message: format!("附号要求主号{number}号已编发"), conflict_id: None
        });
    }
    let Some(at) = at else { return out };
    if at.distance_m > max_distance_m {
        out.push(Breach {
            rule: "too_far",
            message: format!("门牌位置距道路 {:.0} 米，超过 {max_distance_m:.0} 米", at.distance_m),
            conflict_id: None,
        });
    }
    let expected = Side::for_number(number);
    if at.side != expected {
        out.push(Breach {
            rule: "parity",
            message: format!(
                "{text}是{}号，应在道路{}侧（左单右双），而位置在{}侧",
                if number % 2 == 1 { "单" } else { "双" },
                side_zh(expected),
                side_zh(at.side)
            ),
            conflict_id: None,
        });
    }
    let (lower, upper) = neighbours(plates, at.side, at.measure_m);
    let k = (number, sub.unwrap_or(0));
    if let Some(l) = lower.filter(|l| key(l) >= k && !(l.number == number && l.sub == sub)) {
        out.push(Breach {
            rule: "order",
            message: format!("{text}位于{}之后，号码应大于它", plate_suffix(l.number, l.sub)),
            conflict_id: Some(l.id.clone()),
        });
    }
    if let Some(u) = upper.filter(|u| key(u) <= k && !(u.number == number && u.sub == sub)) {
        out.push(Breach {
            rule: "order",
            message: format!("{text}位于{}之前，号码应小于它", plate_suffix(u.number, u.sub)),
            conflict_id: Some(u.id.clone()),
        });
    }
    out
}

/// Every standing plate of one thoroughfare that breaks the numbering rules where it
/// stands: too far from the street, on the wrong side for its parity, or lower than a
/// plate before it on the same side. The clean-up report and the importer read this.
pub fn review_street(street: &StreetGeometry, plates: &[&Plate], max_distance_m: f64) -> Vec<(String, Breach)> {
    let mut out = Vec::new();
    let mut sides: [Vec<(&Plate, f64)>; 2] = [Vec::new(), Vec::new()];
    for p in plates.iter().filter(|p| p.status != PlateStatus::Retired) {
        let Some(at) = geometry::project(street, p.location) else { continue };
        let text = plate_suffix(p.number, p.sub);
        if at.distance_m > max_distance_m {
            out.push((
                p.id.clone(),
                Breach {
                    rule: "distance",
                    message: format!("{text}距道路 {:.0} 米，超过 {max_distance_m:.0} 米", at.distance_m),
                    conflict_id: None,
                },
            ));
        }
        let expected = Side::for_number(p.number);
        if at.side != expected {
            out.push((
                p.id.clone(),
                Breach {
                    rule: "parity",
                    message: format!("{text}位于道路{}侧，按左单右双应在{}侧", side_zh(at.side), side_zh(expected)),
                    conflict_id: None,
                },
            ));
        }
        sides[usize::from(at.side == Side::Right)].push((p, at.measure_m));
    }
    for row in &mut sides {
        row.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        let mut highest: Option<&Plate> = None;
        for (p, _) in row.iter() {
            if let Some(h) = highest.filter(|h| (p.number, p.sub.unwrap_or(0)) < (h.number, h.sub.unwrap_or(0))) {
                out.push((
                    p.id.clone(),
                    Breach {
                        rule: "order",
                        message: format!(
                            "{}排在{}之后，编号顺序与道路方向不一致",
                            plate_suffix(p.number, p.sub),
                            plate_suffix(h.number, h.sub)
                        ),
                        conflict_id: Some(h.id.clone()),
                    },
                ));
                continue;
            }
            highest = Some(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(number: i32, sub: Option<i32>, side: Side, m: f64) -> Existing {
        Existing {
            id: format!("plt_{number}_{}", sub.unwrap_or(0)),
            number,
            sub,
            side: Some(side),
            measure_m: Some(m),
            status: PlateStatus::Issued,
        }
    }

    fn at(side: Side, m: f64) -> Projection {
        Projection { measure_m: m, side, distance_m: 10.0 }
    }

    const SEQ: NumberingScheme = NumberingScheme::Sequential;

    #[test]
    fn an_empty_street_starts_at_one_on_the_left_and_two_on_the_right() {
        assert_eq!(
            suggest_on_thoroughfare(&[], at(Side::Left, 50.0), SEQ).unwrap(),
            Suggestion { number: 1, sub: None }
        );
        assert_eq!(
            suggest_on_thoroughfare(&[], at(Side::Right, 50.0), SEQ).unwrap(),
            Suggestion { number: 2, sub: None }
        );
    }

    #[test]
    fn past_the_end_gets_the_next_number_of_its_side() {
        let plates =
            [plate(1, None, Side::Left, 10.0), plate(3, None, Side::Left, 40.0), plate(2, None, Side::Right, 15.0)];
        assert_eq!(suggest_on_thoroughfare(&plates, at(Side::Left, 90.0), SEQ).unwrap().number, 5);
        assert_eq!(suggest_on_thoroughfare(&plates, at(Side::Right, 90.0), SEQ).unwrap().number, 4);
    }

    #[test]
    fn infill_takes_the_lowest_free_number_between_the_neighbours() {
        let plates = [plate(1, None, Side::Left, 10.0), plate(9, None, Side::Left, 90.0)];
        assert_eq!(
            suggest_on_thoroughfare(&plates, at(Side::Left, 50.0), SEQ).unwrap(),
            Suggestion { number: 3, sub: None }
        );
        let retired = Existing { status: PlateStatus::Retired, ..plate(3, None, Side::Left, 30.0) };
        let plates = [plates[0].clone(), retired, plates[1].clone()];
        assert_eq!(
            suggest_on_thoroughfare(&plates, at(Side::Left, 50.0), SEQ).unwrap().number,
            5,
            "a retired number is never reissued"
        );
        let plates = [
            plate(1, None, Side::Left, 10.0),
            Existing { status: PlateStatus::Retired, ..plate(3, None, Side::Left, 30.0) },
            plate(5, None, Side::Left, 50.0),
        ];
        assert_eq!(
            suggest_on_thoroughfare(&plates, at(Side::Left, 35.0), SEQ).unwrap(),
            Suggestion { number: 1, sub: Some(1) }
        );
    }

    #[test]
    fn without_a_free_number_the_lower_neighbour_gets_the_next_sub_number() {
        let plates = [plate(121, None, Side::Left, 10.0), plate(123, None, Side::Left, 30.0)];
        assert_eq!(
            suggest_on_thoroughfare(&plates, at(Side::Left, 20.0), SEQ).unwrap(),
            Suggestion { number: 121, sub: Some(1) }
        );
        let plates = [plates[0].clone(), plate(121, Some(1), Side::Left, 15.0), plates[1].clone()];
        assert_eq!(
            suggest_on_thoroughfare(&plates, at(Side::Left, 20.0), SEQ).unwrap(),
            Suggestion { number: 121, sub: Some(2) }
        );
    }

    #[test]
    fn before_the_first_plate_with_no_room_asks_for_manual_numbering() {
        let plates = [plate(1, None, Side::Left, 50.0)];
        assert!(suggest_on_thoroughfare(&plates, at(Side::Left, 10.0), SEQ).is_err());
        let plates = [plate(5, None, Side::Left, 50.0)];
        assert_eq!(suggest_on_thoroughfare(&plates, at(Side::Left, 10.0), SEQ).unwrap().number, 1);
    }

    #[test]
    fn distance_numbering_leaves_room_for_infill() {
        let scheme = NumberingScheme::Distance { interval_m: 10.0 };
        assert_eq!(suggest_on_thoroughfare(&[], at(Side::Left, 123.0), scheme).unwrap().number, 25);
        assert_eq!(suggest_on_thoroughfare(&[], at(Side::Right, 123.0), scheme).unwrap().number, 26);
        let plates = [plate(25, None, Side::Left, 121.0)];
        assert_eq!(suggest_on_thoroughfare(&plates, at(Side::Left, 128.0), scheme).unwrap().number, 27);
    }

    #[test]
    fn localities_count_up() {
        let plates = [plate(1, None, Side::Left, 0.0), plate(2, None, Side::Left, 0.0)];
        assert_eq!(suggest_on_locality(&plates).number, 3);
        assert_eq!(suggest_on_locality(&[]).number, 1);
    }

    #[test]
    fn validation_explains_every_breach() {
        let mut retired = plate(7, None, Side::Left, 70.0);
        retired.status = PlateStatus::Retired;
        let plates = [plate(1, None, Side::Left, 10.0), plate(5, None, Side::Left, 50.0), retired];
        let rules = |n, sub, a: Projection| {
            validate(&plates, n, sub, Some(a), 100.0).iter().map(|b| b.rule).collect::<Vec<_>>()
        };
        assert!(rules(3, None, at(Side::Left, 30.0)).is_empty());
        assert_eq!(rules(4, None, at(Side::Left, 30.0)), ["parity"]);
        assert_eq!(rules(9, None, at(Side::Left, 30.0)), ["order"]);
        assert_eq!(rules(5, None, at(Side::Left, 30.0)), ["taken"]);
        assert_eq!(rules(7, None, at(Side::Left, 90.0)), ["retired"]);
        assert_eq!(rules(3, Some(1), at(Side::Left, 30.0)), ["no_base"]);
        let far = Projection { distance_m: 250.0, ..at(Side::Left, 30.0) };
        assert_eq!(rules(3, None, far), ["too_far"]);
    }
}
