//! What a function's callers name, in Terraform: the alias of a function
//! with one (`deploy::versions`), else the function. Every neutral
//! `ArnAfter` asks here (destinations, mappings, `deploy::triggers`).

use super::{Ctx, Read};
use crate::deploy::resource::{Attr, Value};
use crate::deploy::versions::alias_ref;
use crate::model::ResourceId;

impl Ctx<'_> {
    /// The ARN callers of `target` invoke: a function's alias where it
    /// has one, else the resource's ARN.
    pub fn destination_arn(&self, target: ResourceId) -> Read<'_> {
        let resource = self.model.resource(target);
        match alias_ref(&self.scope(), resource, Attr::reference("arn")) {
            Some(alias) => Read::Value(Value::reference(alias)),
            None => self.arn(target),
        }
    }
}
