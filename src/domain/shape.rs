//! What a geometry may be and cost: how many vertices it has, whether a polygon's rings
//! cross themselves or each other, and point-in-area tests that stay logarithmic in the
//! area's size (an R-tree of its edges), so that no single feature can make a check
//! quadratic.

#[cfg(test)]
use geo::LineString;
use geo::Polygon;
use rstar::primitives::{GeomWithData, Line};
use rstar::{RTree, RTreeObject, AABB};
use serde_json::Value;

/// Vertices one feature may have unless configured otherwise (`MENPAI_MAX_VERTICES`): a
/// street of 10,000 vertices is one with a vertex every metre for ten kilometres.
pub const DEFAULT_MAX_VERTICES: usize = 10_000;

/// The positions in a GeoJSON geometry as received, counted without parsing it further
/// (so an oversized geometry costs no more than reading it). Positions nested in anything
/// but arrays of numbers are not positions and are left to the parser to refuse.
pub fn vertex_count(geometry: &Value) -> usize {
    fn positions(v: &Value) -> usize {
        match v {
            Value::Array(items) if items.first().is_some_and(Value::is_number) => 1,
            Value::Array(items) => items.iter().map(positions).sum(),
            _ => 0,
        }
    }
    match geometry {
        Value::Object(o) => {
            o.get("coordinates").map(positions).unwrap_or(0)
                + o.get("geometries").and_then(Value::as_array).map(|gs| gs.iter().map(vertex_count).sum()).unwrap_or(0)
        }
        _ => 0,
    }
}

/// The message for a geometry over the limit.
pub fn too_many_vertices(count: usize, max: usize) -> String {
    format!("几何有 {count} 个顶点，超过每个要素 {max} 个的上限，请简化后再提交")
}

/// A segment of ring `ring`, number `seg` along it.
type Edge = GeomWithData<Line<[f64; 2]>, (usize, usize)>;

/// Refuses a polygon whose rings cross or touch themselves or each other (a bow-tie, a
/// ring doubling back): its inside is not defined, so no containment or area is either.
/// A vertex repeated in place is no crossing. Each segment is compared only with those
/// whose boxes meet its own: O(n log n) for a ring of n vertices in practice.
pub fn check_simple(polygon: &Polygon<f64>) -> Result<(), String> {
    let mut rings: Vec<Vec<[f64; 2]>> = Vec::new();
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        if ring.0.len() < 4 || ring.0.first() != ring.0.last() {
            return Err("多边形的每个环至少四个点，且首尾相同".into());
        }
        let mut coords: Vec<[f64; 2]> = ring.0.iter().map(|c| [c.x, c.y]).collect();
        coords.dedup();
        if coords.len() < 4 {
            return Err("多边形的每个环至少要有三个不同的点".into());
        }
        rings.push(coords);
    }
    let edges: Vec<Edge> = rings
        .iter()
        .enumerate()
        .flat_map(|(r, ring)| {
            ring.windows(2).enumerate().map(move |(s, w)| GeomWithData::new(Line::new(w[0], w[1]), (r, s)))
        })
        .collect();
    let tree = RTree::bulk_load(edges.clone());
    for e in &edges {
        let (r, s) = e.data;
        let segs = rings[r].len() - 1;
        for other in tree.locate_in_envelope_intersecting(&e.geom().envelope()) {
            let (r2, s2) = other.data;
            if (r2, s2) <= (r, s) {
                continue;
            }
            let line = |l: &Line<[f64; 2]>| geo::Line::new((l.from[0], l.from[1]), (l.to[0], l.to[1]));
            let Some(hit) = geo::line_intersection::line_intersection(line(e.geom()), line(other.geom())) else {
                continue;
            };
            // Neighbours along one ring meet at their common vertex, and only there.
            let neighbours = r == r2 && (s2 == s + 1 || (s == 0 && s2 == segs - 1));
            if neighbours && matches!(hit, geo::LineIntersection::SinglePoint { is_proper: false, .. }) {
                continue;
            }
            let at = match hit {
                geo::LineIntersection::SinglePoint { intersection, .. } => intersection,
                geo::LineIntersection::Collinear { intersection } => intersection.start,
            };
            return Err(format!("多边形自相交（在经度 {:.6}、纬度 {:.6} 附近），边界不能交叉、重叠或折回", at.x, at.y));
        }
    }
    Ok(())
}

/// An area (a county's polygon or multipolygon) indexed for point-in tests: a horizontal
/// ray from the point crosses the boundary an odd number of times when it is inside, and
/// only the edges the ray meets are looked at.
pub struct Area {
    edges: RTree<Line<[f64; 2]>>,
    max_x: f64,
}

impl Area {
    /// The area of a GeoJSON Polygon or MultiPolygon; None for anything else.
    pub fn of(g: &geojson::Geometry) -> Option<Area> {
        let shape = geo::Geometry::<f64>::try_from(g.value.clone()).ok()?;
        let polygons: Vec<Polygon<f64>> = match shape {
            geo::Geometry::Polygon(p) => vec![p],
            geo::Geometry::MultiPolygon(m) => m.0,
            _ => return None,
        };
        let mut lines = Vec::new();
        for p in &polygons {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                lines.extend(ring.0.windows(2).map(|w| Line::new([w[0].x, w[0].y], [w[1].x, w[1].y])));
            }
        }
        let max_x = lines.iter().flat_map(|l| [l.from[0], l.to[0]]).fold(f64::NEG_INFINITY, f64::max);
        Some(Area { edges: RTree::bulk_load(lines), max_x })
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        if x > self.max_x {
            return false;
        }
        let ray = AABB::from_corners([x, y], [self.max_x, y]);
        let mut crossings = 0usize;
        for l in self.edges.locate_in_envelope_intersecting(&ray) {
            let ([x1, y1], [x2, y2]) = (l.from, l.to);
            // Half-open in y, so a vertex on the ray is counted once.
            if (y1 > y) != (y2 > y) {
                let cx = x1 + (y - y1) * (x2 - x1) / (y2 - y1);
                if cx > x {
                    crossings += 1;
                }
            }
        }
        crossings % 2 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn polygon(coords: &[(f64, f64)]) -> Polygon<f64> {
        Polygon::new(LineString::from(coords.to_vec()), vec![])
    }

    #[test]
    fn vertices_are_counted_in_every_geometry_type() {
        assert_eq!(vertex_count(&json!({"type": "Point", "coordinates": [1.0, 2.0]})), 1);
        assert_eq!(vertex_count(&json!({"type": "LineString", "coordinates": [[1, 2], [3, 4], [5, 6]]})), 3);
        let multi = json!({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]]});
        assert_eq!(vertex_count(&multi), 8);
        assert_eq!(vertex_count(&json!({"type": "Nope"})), 0);
    }

    #[test]
    fn a_bow_tie_and_a_ring_doubling_back_are_not_simple() {
        let square = polygon(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]);
        assert!(check_simple(&square).is_ok());
        let bow_tie = polygon(&[(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)]);
        assert!(check_simple(&bow_tie).unwrap_err().contains("自相交"));
        let spike = polygon(&[(0.0, 0.0), (2.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]);
        assert!(check_simple(&spike).is_err());
        let hole_across = Polygon::new(
            LineString::from(vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]),
            vec![LineString::from(vec![(1.0, 1.0), (5.0, 1.0), (5.0, 2.0), (1.0, 2.0), (1.0, 1.0)])],
        );
        assert!(check_simple(&hole_across).is_err());
    }

    #[test]
    fn an_area_contains_what_its_polygon_does() {
        let g: geojson::Geometry = serde_json::from_value(json!({"type": "Polygon", "coordinates": [
            [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
            [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]]
        ]}))
        .unwrap();
        let a = Area::of(&g).unwrap();
        assert!(a.contains(3.0, 3.0));
        assert!(!a.contains(1.5, 1.5), "inside the hole");
        assert!(!a.contains(5.0, 1.0));
        assert!(!a.contains(-1.0, 1.0));
    }
}
