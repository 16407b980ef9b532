//! What a function's callers name, in Terraform: the alias of a function
//! with one (`deploy::versions`), else the function. Every neutral
//! `ArnAfter` asks here (destinations, mappings, `deploy::triggers`).

use super::expr::attr_ref;
use super::Ctx;
use crate::model::ResourceId;
use hcl::expr::Expression;

const ALIAS: &str = "aws_lambda_alias";

impl Ctx<'_> {
    /// The ARN callers of `target` invoke: a function's alias where it
    /// has one, else the resource's ARN.
    pub fn destination_arn(&self, target: ResourceId) -> Expression {
        let resource = self.model.resource(target);
        match resource.alias() {
            Some(_) => attr_ref(ALIAS, &resource.name, "arn"),
            None => self.arn(target),
        }
    }
}
