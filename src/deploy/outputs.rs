//! The outputs both targets declare: each api's URL, each function's ARN,
//! each queue's URL, each table's and bucket's name, with one description.

use crate::model::{Model, Resource};

/// One output: the resource, the readable field it shows, the suffix of
/// its name (`OrdersTableName`, `orders_name`) and its description.
pub struct Output<'a> {
    pub resource: &'a Resource,
    pub field: &'static str,
    pub suffix: &'static str,
    pub description: String,
}

/// The outputs of the created resources, in source order.
pub fn outputs(model: &Model) -> Vec<Output<'_>> {
    model
        .resources
        .iter()
        .filter(|r| r.is_created())
        .filter_map(|resource| {
            let (field, suffix, what) = match resource.kind.as_str() {
                "api" => ("url", "Url", "URL"),
                "function" => ("arn", "Arn", "ARN"),
                "queue" => ("url", "Url", "URL"),
                "table" | "bucket" => ("name", "Name", "name"),
                _ => return None,
            };
            let description = format!("The {what} of {} {}", resource.kind, resource.name);
            Some(Output { resource, field, suffix, description })
        })
        .collect()
}
