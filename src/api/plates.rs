//! Door-plate routes for police (公安): suggestion, issuance, validation, retirement, and the
//! buildings, units and rooms behind a plate.

use actix_web::web;

use super::RouteSpec;

pub const ROUTES: &[RouteSpec] = &[];

pub fn configure(_cfg: &mut web::ServiceConfig) {}
