//! A spatial index over the register's own geometry, for reverse lookup: the nearest
//! issued plate and active thoroughfare to a point.
//!
//! Points are indexed in a local plane where a degree of longitude is shrunk by the cosine
//! of the register's latitude, so that nearest-neighbour order matches ground distance;
//! distances reported are computed on the ground.

use std::collections::BTreeSet;
use std::sync::Arc;

use imbl::{OrdMap, OrdSet};
use rstar::primitives::{GeomWithData, Line};
use rstar::RTree;

use super::geometry;
use super::ids::IdKind;
use super::model::{NameStatus, PlateStatus};
use super::register::Register;

/// Metres in a degree of latitude, or of longitude once shrunk by the cosine of the
/// latitude: near enough for distances of kilometres.
pub const METRES_PER_DEGREE: f64 = 111_000.0;

type PointEntry = GeomWithData<[f64; 2], String>;
type SegmentEntry = GeomWithData<Line<[f64; 2]>, String>;

/// The latitude whose cosine shrinks longitude in the index's plane: the middle of Enshi
/// prefecture (29.1°–31.4°N), so that distance order is right to within 2% anywhere in
/// it. Fixed rather than taken from the register, so that an index updated change by
/// change and one built afresh are the same.
const PLANE_LATITUDE: f64 = 30.3;

/// Plates issued, moved or retired since the last full build are kept aside, up to this
/// many, so that a change costs a small rebuild rather than one over every plate.
const MAX_ASIDE: usize = 4096;

/// Cheap to copy: the trees are shared, and a change makes a new index beside the old.
#[derive(Clone)]
pub struct SpatialIndex {
    /// Longitude scale: the cosine of [`PLANE_LATITUDE`].
    k: f64,
    /// Issued plates as of the last full build.
    plates: Arc<RTree<PointEntry>>,
    /// Plates of `plates` that changed since (moved, retired or gone).
    hidden: OrdSet<String>,
    /// Plates issued or moved since, where they stand now.
    aside: OrdMap<String, [f64; 2]>,
    aside_tree: Arc<RTree<PointEntry>>,
    segments: Arc<RTree<SegmentEntry>>,
}

/// The nearest plate or street, with its ground distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Nearest {
    pub id: String,
    pub distance_m: f64,
}

impl SpatialIndex {
    pub fn build(reg: &Register) -> SpatialIndex {
        let k = PLANE_LATITUDE.to_radians().cos();
        let plates = reg
            .plates
            .values()
            .filter(|p| p.status == PlateStatus::Issued)
            .map(|p| GeomWithData::new([p.location.x() * k, p.location.y()], p.id.clone()))
            .collect();
        SpatialIndex {
            k,
            plates: Arc::new(RTree::bulk_load(plates)),
            hidden: OrdSet::new(),
            aside: OrdMap::new(),
            aside_tree: Arc::new(RTree::new()),
            segments: Arc::new(segments(reg, k)),
        }
    }

    /// The index over `reg`, which differs from the register this index was built over by
    /// the records `ids` (any kind), `streets` telling whether a thoroughfare is among them.
    pub fn updated(&self, reg: &Register, ids: &BTreeSet<String>, streets: bool) -> SpatialIndex {
        // A plate's ID says so by its prefix, whether the plate is still in the register or not.
        let prefix = format!("{}_", IdKind::Plate.prefix());
        let plates: Vec<&String> = ids.iter().filter(|id| id.starts_with(&prefix)).collect();
        if self.aside.len() + plates.len() > MAX_ASIDE || self.hidden.len() + plates.len() > 4 * MAX_ASIDE {
            return SpatialIndex::build(reg);
        }
        let mut next = self.clone();
        for id in plates {
            next.hidden.insert(id.clone());
            next.aside.remove(id);
            if let Some(p) = reg.plates.get(id).filter(|p| p.status == PlateStatus::Issued) {
                next.aside.insert(id.clone(), [p.location.x() * self.k, p.location.y()]);
            }
        }
        next.aside_tree =
            Arc::new(RTree::bulk_load(next.aside.iter().map(|(id, at)| GeomWithData::new(*at, id.clone())).collect()));
        if streets {
            next.segments = Arc::new(segments(reg, self.k));
        }
        next
    }

    /// The nearest issued plate to a point of the index's plane, and its squared distance.
    fn nearest_plate_entry(&self, q: &[f64; 2]) -> Option<(&PointEntry, f64)> {
        use rstar::PointDistance;
        let built = self.plates.nearest_neighbor_iter(q).find(|e| !self.hidden.contains(&e.data));
        let aside = self.aside_tree.nearest_neighbor(q);
        [built, aside].into_iter().flatten().map(|e| (e, e.geom().distance_2(q))).min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The nearest issued plate to a lon/lat point.
    pub fn nearest_plate(&self, reg: &Register, lon: f64, lat: f64) -> Option<Nearest> {
        let (e, _) = self.nearest_plate_entry(&[lon * self.k, lat])?;
        let p = reg.plates.get(&e.data)?;
        let d = geometry::length_m(&geo::LineString::from(vec![(lon, lat), (p.location.x(), p.location.y())]));
        Some(Nearest { id: e.data.clone(), distance_m: d })
    }

    /// The nearest issued plate or active street (its nearest segment alone measured, so the
    /// cost does not grow with the street's length), with an approximate ground distance.
    pub fn nearest_feature(&self, lon: f64, lat: f64) -> Option<Nearest> {
        use rstar::PointDistance;
        let q = [lon * self.k, lat];
        let plate = self.nearest_plate_entry(&q).map(|(e, d2)| (e.data.clone(), d2));
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

/// Every segment of every active thoroughfare.
fn segments(reg: &Register, k: f64) -> RTree<SegmentEntry> {
    let mut segs = Vec::new();
    for t in reg.thoroughfares.values().filter(|t| t.status == NameStatus::Active) {
        for part in t.geometry.parts() {
            for w in part.0.windows(2) {
                segs.push(GeomWithData::new(Line::new([w[0].x * k, w[0].y], [w[1].x * k, w[1].y]), t.id.clone()));
            }
        }
    }
    RTree::bulk_load(segs)
}
