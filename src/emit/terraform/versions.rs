//! What a function's callers name, in Terraform: the alias of a function
//! with one (`deploy::versions`), else the function. Event source
//! mappings ask here, and so does every neutral `ArnAfter` of a function
//! (destinations, `deploy::triggers`).

use super::expr::attr_ref;
use super::function::FUNCTION;
use super::Ctx;
use crate::model::{Resource, ResourceId};
use hcl::expr::Expression;

const ALIAS: &str = "aws_lambda_alias";

impl Ctx<'_> {
    /// The ARN callers invoke (`arn`), or API Gateway's (`invoke_arn`).
    pub fn invoke_arn(&self, function: &Resource, attr: &str) -> Expression {
        match function.alias() {
            Some(_) => attr_ref(ALIAS, &function.name, attr),
            None => attr_ref(FUNCTION, &function.name, attr),
        }
    }

    /// A destination's ARN: a function's alias where it has one.
    pub fn destination_arn(&self, target: ResourceId) -> Expression {
        let resource = self.model.resource(target);
        match resource.alias() {
            Some(_) => self.invoke_arn(resource, "arn"),
            None => self.arn(target),
        }
    }
}
