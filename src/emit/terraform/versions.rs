//! What a function's callers name, in Terraform: the alias of a function
//! with one (`deploy::versions`), else the function. Every neutral
//! `ArnAfter` asks here (destinations, mappings, `deploy::triggers`).

use super::{neutral, Ctx};
use crate::deploy::resource::{Attr, Value};
use crate::deploy::versions::alias_ref;
use crate::model::ResourceId;
use hcl::expr::Expression;

impl Ctx<'_> {
    /// The ARN callers of `target` invoke: a function's alias where it
    /// has one, else the resource's ARN.
    pub fn destination_arn(&self, target: ResourceId) -> Expression {
        let resource = self.model.resource(target);
        match alias_ref(&self.scope(), resource, Attr::reference("arn")) {
            Some(alias) => neutral::standalone(self, &Value::Ref(alias)),
            None => self.arn(target),
        }
    }
}
