//! Naming routes for civil affairs (民政): checks, proposals, approval, renaming, retirement.

use actix_web::web;

use super::RouteSpec;

pub const ROUTES: &[RouteSpec] = &[];

pub fn configure(_cfg: &mut web::ServiceConfig) {}
