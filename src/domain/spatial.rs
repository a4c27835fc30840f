//! A spatial index over the register's own geometry, for reverse lookup: the nearest
//! issued plate and active thoroughfare to a point.
//!
//! Points are indexed in a local plane where a degree of longitude is shrunk by the cosine
//! of the register's latitude, so that nearest-neighbour order matches ground distance;
//! distances reported are computed on the ground.

use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

use super::geometry;
use super::model::{NameStatus, PlateStatus};
use super::register::Register;

/// Metres in a degree of latitude, or of longitude once shrunk by the cosine of the
/// latitude: near enough for distances of kilometres.
pub const METRES_PER_DEGREE: f64 = 111_000.0;

type PointEntry = GeomWithData<[f64; 2], String>;
type SegmentEntry = GeomWithData<Line<[f64; 2]>, String>;

pub struct SpatialIndex {
    /// Longitude scale: the cosine of the register's mean latitude.
    k: f64,
    plates: RTree<PointEntry>,
    segments: RTree<SegmentEntry>,
}

/// The nearest plate or street, with its ground distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Nearest {
    pub id: String,
    pub distance_m: f64,
}

impl SpatialIndex {
    pub fn build(reg: &Register) -> SpatialIndex {
        let lats: Vec<f64> = reg.plates.values().map(|p| p.location.y()).collect();
        let mean = if lats.is_empty() { 30.0 } else { lats.iter().sum::<f64>() / lats.len() as f64 };
        let k = mean.to_radians().cos().max(0.01);
        let plates = reg
            .plates
            .values()
            .filter(|p| p.status == PlateStatus::Issued)
            .map(|p| GeomWithData::new([p.location.x() * k, p.location.y()], p.id.clone()))
            .collect();
        let mut segs = Vec::new();
        for t in reg.thoroughfares.values().filter(|t| t.status == NameStatus::Active) {
            for part in t.geometry.parts() {
                for w in part.0.windows(2) {
                    segs.push(GeomWithData::new(Line::new([w[0].x * k, w[0].y], [w[1].x * k, w[1].y]), t.id.clone()));
                }
            }
        }
        SpatialIndex { k, plates: RTree::bulk_load(plates), segments: RTree::bulk_load(segs) }
    }

    /// The nearest issued plate to a lon/lat point.
    pub fn nearest_plate(&self, reg: &Register, lon: f64, lat: f64) -> Option<Nearest> {
        let e = self.plates.nearest_neighbor(&[lon * self.k, lat])?;
        let p = reg.plates.get(&e.data)?;
        let d = geometry::length_m(&geo::LineString::from(vec![(lon, lat), (p.location.x(), p.location.y())]));
        Some(Nearest { id: e.data.clone(), distance_m: d })
    }

    /// The nearest issued plate or active street (its nearest segment alone measured, so the
    /// cost does not grow with the street's length), with an approximate ground distance.
    pub fn nearest_feature(&self, lon: f64, lat: f64) -> Option<Nearest> {
        use rstar::PointDistance;
        let q = [lon * self.k, lat];
        let plate = self.plates.nearest_neighbor(&q).map(|e| (e.data.clone(), e.geom().distance_2(&q)));
        let street = self.segments.nearest_neighbor(&q).map(|e| (e.data.clone(), e.geom().distance_2(&q)));
        let (id, d2) = match (plate, street) {
            (Some(p), Some(s)) => {
                if p.1 <= s.1 {
                    p
                } else {
                    s
                }
            }
            (p, s) => p.or(s)?,
        };
        Some(Nearest { id, distance_m: d2.sqrt() * METRES_PER_DEGREE })
    }

    /// The nearest active thoroughfare to a lon/lat point.
    pub fn nearest_thoroughfare(&self, reg: &Register, lon: f64, lat: f64) -> Option<Nearest> {
        let e = self.segments.nearest_neighbor(&[lon * self.k, lat])?;
        let t = reg.thoroughfares.get(&e.data)?;
        let at = geometry::project(&t.geometry, geo::Point::new(lon, lat))?;
        Some(Nearest { id: e.data.clone(), distance_m: at.distance_m })
    }
}
