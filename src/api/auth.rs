//! Access on every `/v1` route: a middleware that turns the bearer token into an
//! [`Actor`] and refuses callers without one of the roles the route declares.

use std::future::{ready, Future, Ready};
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::EitherBody;
use actix_web::dev::{forward_ready, Payload, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest, ResponseError};

use super::deadline;
use crate::app::{Actor, App, AppError, Role};

/// Wraps a `/v1` resource: admits, for each method, the roles [`super::routes`] declares.
#[derive(Clone, Copy)]
pub struct Require(pub &'static str);

impl<S, B> Transform<S, ServiceRequest> for Require
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = RequireService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequireService { service: Rc::new(service), path: self.0 }))
    }
}

pub struct RequireService<S> {
    service: Rc<S>,
    path: &'static str,
}

type LocalBoxFuture<T> = Pin<Box<dyn Future<Output = T>>>;

impl<S, B> Service<ServiceRequest> for RequireService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        let Some(route) = super::route(req.method().as_str(), self.path) else {
            // Not a method of this route: the resource answers 405.
            return Box::pin(async move { service.call(req).await.map(ServiceResponse::map_into_left_body) });
        };
        Box::pin(async move {
            match authorise(&req, route.roles).await {
                Ok(actor) => {
                    req.extensions_mut().insert(actor);
                    deadline::bound_body(&mut req, route);
                    if !deadline::bounds_answer(route) {
                        return service.call(req).await.map(ServiceResponse::map_into_left_body);
                    }
                    let http = req.request().clone();
                    match deadline::within(service.call(req)).await {
                        Some(answer) => answer.map(ServiceResponse::map_into_left_body),
                        None => Ok(ServiceResponse::new(http, deadline::answer_too_slow()).map_into_right_body()),
                    }
                }
                Err(e) => {
                    let resp = e.error_response();
                    Ok(req.into_response(resp).map_into_right_body())
                }
            }
        })
    }
}

async fn authorise(req: &ServiceRequest, roles: &[Role]) -> Result<Actor, AppError> {
    let secret = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme is case-insensitive (RFC 9110 §11.1): Bearer, bearer, BEARER.
        .and_then(|v| v.trim_start().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, secret)| secret)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or(AppError::Unauthenticated)?;
    let app = req.app_data::<web::Data<App>>().cloned().ok_or_else(|| AppError::Internal("应用未配置".into()))?;
    let request_id = req.extensions().get::<tracing_actix_web::RequestId>().map(|r| r.to_string());
    let actor = web::block(move || app.authenticate(&secret, request_id))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    if let Some(id) = &actor.token_id {
        super::RateLimiter::global().check(id).map_err(AppError::RateLimited)?;
    }
    actor.require(roles)?;
    Ok(actor)
}

/// The authenticated caller of a route wrapped in [`Require`].
pub struct Caller(pub Actor);

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Actor>().cloned().map(Caller).ok_or(AppError::Unauthenticated))
    }
}
