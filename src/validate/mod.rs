//! The AWS rules a deployment would otherwise discover twenty minutes in
//! (AWS-RULES.md): one function per rule, each with its own code. [H] facts
//! are errors, [R] recommendations warnings.

mod allow;
mod app;
mod auth;
mod buckets;
mod events;
mod function;
mod inputs;
mod keys;
mod patterns;
mod principals;
mod push;
mod rest;
pub mod runtimes;
mod states;
mod tables;
pub mod url;
mod versions;
mod vpc;
pub mod websocket;

use crate::date::Date;
use crate::diagnostic::{Diagnostic, Edit};
use crate::graph::Graph;
use crate::model::{Model, Resource};
use crate::source::Span;

/// Runs every rule on a model without resolution errors, on the day
/// `today` (runtimes are judged by date).
pub fn validate(model: &Model, graph: &Graph, today: Date) -> Vec<Diagnostic> {
    let called = events::called(model);
    let mut out = Vec::new();
    for resource in &model.resources {
        match resource.kind.as_str() {
            "function" => function_rules(model, resource, today, &called, &mut out),
            "network" => {
                vpc::network_ids(model, resource, &mut out);
                vpc::single_subnet(resource, &mut out);
            }
            "table" => {
                tables::time_to_live(resource, &mut out);
                tables::indexes(resource, &mut out);
            }
            "queue" => {
                events::redrive(model, resource, &mut out);
                events::subscription_fifo(model, resource, &mut out);
                events::subscription_settings(model, resource, &mut out);
                push::existing_bucket_subscription(model, resource, &mut out);
                patterns::subscription_patterns(resource, &mut out);
            }
            "key" => {
                keys::existing_key_for_service(model, resource, &mut out);
                keys::key_in_other_region(model, resource, &mut out);
            }
            "parameter" => keys::created_parameter_key(resource, &mut out),
            "bucket" => buckets::lifecycle(resource, &mut out),
            "schedule" => {
                push::schedule_expression(resource, &mut out);
                states::timezone(resource, &mut out);
                states::one_time(resource, today, &mut out);
            }
            "api" => {
                websocket::connections(model, resource, &mut out);
                rest::api(model, resource, &mut out);
            }
            "state_machine" => {
                states::execution_data(resource, &mut out);
                patterns::pattern_shape(model, resource, &mut out);
            }
            "layer" => {
                versions::layer_runtimes(resource, &mut out);
                function::code_path(resource, &mut out);
            }
            _ => {}
        }
    }
    auth::api_access(model, &mut out);
    events::shared_consumers(model, &mut out);
    events::stream_consumers(model, &mut out);
    push::s3_overlap(model, &mut out);
    app::unused(model, graph, &mut out);
    app::invoke_cycles(model, graph, &mut out);
    app::recursion(model, &mut out);
    inputs::unused(model, &mut out);
    out
}

fn function_rules(model: &Model, function: &Resource, today: Date, called: &[bool], out: &mut Vec<Diagnostic>) {
    function::runtime(function, today, out);
    function::handler(function, out);
    function::code_path(function, out);
    function::environment(function, out);
    function::memory_quota(function, out);
    function::layers(model, function, out);
    function::concurrency_zero(function, out);
    function::log_levels(function, out);
    vpc::needs_network(model, function, out);
    states::start_sync(model, function, out);
    states::respond_without_callback(model, function, out);
    vpc::database_users(model, function, out);
    vpc::mounts(function, out);
    vpc::vpc_services(model, function, out);
    events::queue_triggers(model, function, out);
    events::visibility_recommendation(model, function, out);
    events::table_triggers(model, function, out);
    events::unbounded_retries(model, function, out);
    events::fifo_targets(model, function, out);
    events::async_unused(model, function, called, out);
    events::self_destination(function, out);
    push::api_timeout(model, function, out);
    patterns::pattern_shape(model, function, out);
    patterns::filter_count(model, function, out);
    allow::principals(model, function, out);
    push::existing_bucket_trigger(model, function, out);
    url::stream_runtime(function, out);
    versions::snapstart(function, out);
    versions::needs_alias(function, out);
    versions::provisioned_within_reserved(function, out);
    versions::layer_compatibility(model, function, out);
    versions::same_region(model, function, out);
    keys::nothing_to_encrypt(function, out);
}

/// Offers setting `attr = value` on a resource the app creates: its
/// written value replaced, or the statement added to its block.
pub(crate) fn set(diagnostic: Diagnostic, resource: &Resource, attr: &str, value: &str) -> Diagnostic {
    if !resource.is_created() {
        return diagnostic;
    }
    let title = format!("Set `{attr} = {value}` on `{}`", resource.name);
    let edit = match resource.attrs.span(attr) {
        Some(span) => Edit::Replace { span, text: value.to_string() },
        None => Edit::AddStatement { block: resource.span, statement: format!("{attr} = {value}") },
    };
    diagnostic.fix(title, edit)
}

pub(crate) fn span_of(resource: &Resource, attr: &str) -> Span {
    resource.attrs.span(attr).unwrap_or(resource.name_span)
}
