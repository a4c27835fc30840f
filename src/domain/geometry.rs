//! Numbering geometry: where an entrance lies relative to its thoroughfare.
//!
//! Streets are a few kilometres long, so a local equirectangular projection around each
//! segment is accurate to well under a metre; it keeps the arithmetic plain and exact
//! enough for sides, order and distances.

use geo::{LineString, Point};

use super::model::{Side, StreetGeometry};

const METRES_PER_DEGREE_LAT: f64 = 110_574.0;
const METRES_PER_DEGREE_LON_EQUATOR: f64 = 111_320.0;

/// An entrance point projected onto a thoroughfare.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    /// Position along the street from its start, in metres, following its parts in order.
    pub measure_m: f64,
    /// Side of the street, looking along its direction.
    pub side: Side,
    /// Distance from the street, in metres.
    pub distance_m: f64,
}

/// Offset of `p` from `origin` in metres (east, north).
fn local(origin: (f64, f64), p: (f64, f64)) -> (f64, f64) {
    let k = origin.1.to_radians().cos();
    ((p.0 - origin.0) * METRES_PER_DEGREE_LON_EQUATOR * k, (p.1 - origin.1) * METRES_PER_DEGREE_LAT)
}

/// Length of a line in metres.
pub fn length_m(line: &LineString<f64>) -> f64 {
    line.0
        .windows(2)
        .map(|w| {
            let (dx, dy) = local((w[0].x, w[0].y), (w[1].x, w[1].y));
            dx.hypot(dy)
        })
        .sum()
}

/// Projects a point onto the street: the nearest point of any part wins; the measure counts
/// the full length of every earlier part. None for a street without a segment.
pub fn project(street: &StreetGeometry, point: Point<f64>) -> Option<Projection> {
    let mut best: Option<Projection> = None;
    let mut offset = 0.0;
    for part in street.parts() {
        for w in part.0.windows(2) {
            let a = (w[0].x, w[0].y);
            let (bx, by) = local(a, (w[1].x, w[1].y));
            let (px, py) = local(a, (point.x(), point.y()));
            let seg_len2 = bx * bx + by * by;
            let t = if seg_len2 > 0.0 { ((px * bx + py * by) / seg_len2).clamp(0.0, 1.0) } else { 0.0 };
            let (cx, cy) = (bx * t, by * t);
            let distance_m = (px - cx).hypot(py - cy);
            // The cross product of direction and offset: positive is to the left.
            let cross = bx * py - by * px;
            let side = if cross > 0.0 { Side::Left } else { Side::Right };
            let measure_m = offset + seg_len2.sqrt() * t;
            if best.is_none_or(|b| distance_m < b.distance_m) {
                best = Some(Projection { measure_m, side, distance_m });
            }
            offset += seg_len2.sqrt();
        }
    }
    best
}

/// Valid lon/lat coordinates (finite, in range).
pub fn valid_lon_lat(x: f64, y: f64) -> bool {
    x.is_finite() && y.is_finite() && (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)
}

/// Whether every position of a GeoJSON geometry is a valid lon/lat pair.
pub fn all_lon_lat(v: &geojson::GeometryValue) -> bool {
    let mut ok = true;
    visit_positions(v, &mut |p| ok &= p.len() >= 2 && valid_lon_lat(p[0], p[1]));
    ok
}

fn visit_positions(v: &geojson::GeometryValue, f: &mut dyn FnMut(&[f64])) {
    match v {
        geojson::GeometryValue::Point { coordinates } => f(coordinates.as_slice()),
        geojson::GeometryValue::MultiPoint { coordinates } | geojson::GeometryValue::LineString { coordinates } => {
            coordinates.iter().for_each(|p| f(p.as_slice()))
        }
        geojson::GeometryValue::MultiLineString { coordinates } | geojson::GeometryValue::Polygon { coordinates } => {
            coordinates.iter().flatten().for_each(|p| f(p.as_slice()))
        }
        geojson::GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter().flatten().flatten().for_each(|p| f(p.as_slice()))
        }
        geojson::GeometryValue::GeometryCollection { geometries } => {
            geometries.iter().for_each(|g| visit_positions(&g.value, f))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::MultiLineString;

    fn east_street() -> StreetGeometry {
        // About 960 m due east at latitude 30.29.
        StreetGeometry::Line(LineString::from(vec![(109.47, 30.29), (109.48, 30.29)]))
    }

    #[test]
    fn north_of_an_eastward_street_is_its_left() {
        let p = project(&east_street(), Point::new(109.475, 30.2901)).unwrap();
        assert_eq!(p.side, Side::Left);
        assert!((p.distance_m - 11.06).abs() < 0.1, "{p:?}");
        assert!((p.measure_m - 480.5).abs() < 1.0, "{p:?}");
        let q = project(&east_street(), Point::new(109.475, 30.2899)).unwrap();
        assert_eq!(q.side, Side::Right);
    }

    #[test]
    fn measure_runs_on_across_the_parts_of_a_multilinestring() {
        let street = StreetGeometry::Multi(MultiLineString(vec![
            LineString::from(vec![(109.47, 30.29), (109.48, 30.29)]),
            LineString::from(vec![(109.48, 30.29), (109.48, 30.30)]),
        ]));
        let first_len = length_m(&LineString::from(vec![(109.47, 30.29), (109.48, 30.29)]));
        // West of a northward part is its left.
        let p = project(&street, Point::new(109.4799, 30.295)).unwrap();
        assert_eq!(p.side, Side::Left);
        assert!((p.measure_m - (first_len + 552.9)).abs() < 1.0, "{p:?}");
    }

    #[test]
    fn points_past_the_ends_measure_to_the_end() {
        let p = project(&east_street(), Point::new(109.46, 30.29)).unwrap();
        assert_eq!(p.measure_m, 0.0);
        assert!(p.distance_m > 900.0);
    }
}
