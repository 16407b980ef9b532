//! What gets deployed, decided once for both outputs: the layer between
//! grants and the printers in `emit`. It owns every AWS fact the two
//! targets would otherwise each decide: physical names and which target
//! sets them (`names`), logical ids that depend on names alone (`ids`),
//! the attributes whose stdlib defaults they always print (`defaults`),
//! unit conversions, log retention, the access-log line, secret
//! generation and provenance (`facts`), the outputs (`outputs`), the
//! app's inputs as parameters and variables (`inputs`), and the
//! check that no two resources get one physical name (`collisions`).
//!
//! `resource` is the typed, target-neutral description of one AWS
//! resource; the resources described that way ([`made_for`]: HTTP APIs in
//! `api`, tables, queues, topics, streams, parameters, buses and the
//! app's own kinds in `stores`, state machines and what starts them in
//! `states`, push triggers, invoke permissions, bucket notifications and
//! a queue's subscription to a topic, a bus or a bucket in `triggers`)
//! are printed by both printers without a decision of their own.
//! The printers in `emit/cloudformation` and `emit/terraform` ask here and
//! only choose how to write the answer.

pub mod api;
pub mod auth;
pub mod bucket;
pub mod collisions;
pub mod domain;
pub mod existing;
pub mod facts;
pub mod function;
pub mod function_url;
pub mod ids;
pub mod inputs;
pub mod key;
pub mod names;
pub mod outputs;
pub mod policy;
pub mod resource;
pub mod rest;
pub mod rest_cors;
pub mod states;
pub mod stores;
pub mod table;
pub mod tags;
pub mod triggers;
pub mod versions;
pub mod websocket;

pub use collisions::check_physical_names;

use crate::check::Checked;
use crate::grants::{Grants, SharedName};
use crate::model::{self, Model, ResourceId};
use ids::LogicalIds;
use resource::{Id, Resource, Type};

/// What every builder of neutral resources reads.
pub struct Scope<'a> {
    pub model: &'a Model,
    /// The source files, for provenance.
    pub sources: &'a crate::source::Sources,
    pub stage: &'a str,
    pub ids: &'a LogicalIds,
    /// Terraform labels and the triggers each source feeds.
    pub triggers: &'a triggers::Index,
}

impl Scope<'_> {
    /// Whether the printer reading this scope prints what CloudFormation
    /// alone has: logical ids and `Metadata`. Terraform's does not, and
    /// the layer skips making them for it.
    pub fn cloudformation(&self) -> bool {
        self.ids.printed()
    }

    /// The Terraform label of what is made for `resource` alone: its
    /// name, shared.
    pub fn label(&self, resource: &model::Resource) -> SharedName {
        self.triggers.label(resource)
    }

    /// A resource made for the model resource `owner`: `id` in
    /// CloudFormation, the owner's name as its Terraform label.
    pub fn resource(
        &self,
        owner: &model::Resource,
        id: SharedName,
        cloudformation: impl Into<resource::Name>,
        terraform: impl Into<resource::Name>,
    ) -> Resource {
        let mut resource = Resource::new(Id::new(id, self.label(owner)), Type::both(cloudformation, terraform));
        resource.owner = Some(owner.id);
        resource
    }
}

/// The app's neutral resources, as each unit made them: the model's
/// resources that are not functions, each function's, then the app's.
/// Built on two threads when `threads`; [`Made::assemble`] lays them out.
pub fn made_for_all<'a>(scope: &Scope, checked: &'a Checked, threads: bool) -> Made<'a> {
    let units = Unit::all(checked);
    let make = |unit: &Unit| -> Vec<Resource> {
        match unit {
            Unit::Resource(resource) => made_for(scope, resource),
            Unit::Function(grants) => {
                let function = scope.model.resource(grants.principal);
                let mut made = function::own(scope, function, grants);
                made.extend(made_for_function(scope, function, grants));
                made
            }
            Unit::App => made_for_app(scope),
        }
    };
    let made = if threads {
        // In turns of a few units: what a function makes varies with its
        // triggers and grants, and two fixed halves ended up to 6 ms apart
        // at 1,000 functions.
        crate::parallel::in_turn(&units, UNITS_A_TURN, make)
    } else {
        units.iter().map(make).collect()
    };
    Made { units, made }
}

/// What [`made_for_all`] made, by unit.
pub struct Made<'a> {
    units: Vec<Unit<'a>>,
    made: Vec<Vec<Resource>>,
}

impl Made<'_> {
    /// The resources that `keep` keeps, each with the model resource it
    /// was made for (the app's own go with the unit before them), in
    /// output order.
    pub fn assemble(self, keep: impl Fn(&Resource) -> bool) -> Vec<(Option<ResourceId>, Resource)> {
        let mut owner = None;
        // Sized once: grown by doubling, the vector was copied a dozen
        // times into fresh memory (4 MB at 1,000 functions).
        let mut resources = Vec::with_capacity(self.made.iter().map(Vec::len).sum());
        for (unit, made) in self.units.iter().zip(self.made) {
            owner = match unit {
                Unit::Resource(resource) => Some(resource.id),
                Unit::Function(grants) => Some(grants.principal),
                Unit::App => owner,
            };
            resources.extend(made.into_iter().filter(|r| keep(r)).map(|r| (owner, r)));
        }
        resources
    }
}

/// What makes resources: a model resource that is not a function, a
/// function with its grants, the app. In output order.
enum Unit<'a> {
    Resource(&'a model::Resource),
    Function(&'a Grants),
    App,
}

impl<'a> Unit<'a> {
    fn all(checked: &'a Checked) -> Vec<Unit<'a>> {
        let resources = checked.model.resources.iter().filter(|r| r.function.is_none()).map(Unit::Resource);
        resources.chain(checked.grants.iter().map(Unit::Function)).chain([Unit::App]).collect()
    }
}

/// The units a thread takes at a time in [`made_for_all`]: a few
/// functions' worth, so that taking the next is rare.
const UNITS_A_TURN: usize = 16;

/// The neutral resources made for a function beside the printers' own:
/// its version, alias and provisioned concurrency, its URL, the wiring
/// of its WebSocket routes, and what its push triggers make with its
/// invoke permissions (`grants` are the function's), in output order.
pub fn made_for_function(scope: &Scope, function: &model::Resource, grants: &Grants) -> Vec<Resource> {
    let mut out = versions::for_function(scope, function);
    out.extend(function_url::function_url(scope, function));
    out.extend(websocket::routes(scope, function));
    out.extend(triggers::for_function(scope, function, grants));
    out
}

/// The neutral resources made for the app as a whole, after every
/// function's: Terraform's bucket notifications (`triggers`).
pub fn made_for_app(scope: &Scope) -> Vec<Resource> {
    triggers::bucket_notifications(scope)
}

/// The neutral resources made for a created model resource, in output
/// order; none for the kinds the printers still build themselves.
pub fn made_for(scope: &Scope, resource: &model::Resource) -> Vec<Resource> {
    if !resource.is_created() {
        return Vec::new();
    }
    let mut made = match resource.kind.as_str() {
        "api" if resource.is_rest_api() => rest::rest_api(scope, resource),
        "api" => {
            let mut made = if crate::resolve::routes::is_websocket(resource) {
                websocket::websocket_api(scope, resource)
            } else {
                api::http_api(scope, resource)
            };
            made.extend(auth::authorizers(scope, resource));
            made
        }
        "layer" => versions::layer(scope, resource),
        "bucket" => bucket::bucket(scope, resource),
        kind if stores::describes(kind) => {
            let mut made = stores::store(scope, resource);
            made.extend(triggers::queue_subscription(scope, resource));
            made
        }
        _ => Vec::new(),
    };
    // State machines, and the schedules and buses that start them.
    made.extend(states::made_for(scope, resource));
    made
}
