//! What a function's callers name, in CloudFormation: the alias of a
//! function with one (`deploy::versions`), else the function. Event source
//! mappings ask here, and so does every neutral `ArnAfter` of a function
//! (destinations, `deploy::triggers`).
//!
//! The alias ARN is the function's known ARN and `:ALIAS`, with a
//! `DependsOn` on the alias where the referrer needs it to exist: the same
//! ARN its callers' roles are granted, and no `Ref` to a type that moto
//! (one of the validators) does not model.

use super::{append, arns, get_att, literal, Ctx, Res};
use crate::deploy::versions;
use crate::model::Resource;
use serde_json::Value;

impl Ctx<'_> {
    /// The ARN callers invoke: the alias's, which `referrer` then waits
    /// for, else the function's.
    pub fn invoke_arn(&self, function: &Resource, referrer: Option<&mut Res>) -> Value {
        match self.alias_arn(function, referrer) {
            Some(arn) => arn,
            None => get_att(&self.id(function), "Arn"),
        }
    }

    fn alias_arn(&self, function: &Resource, referrer: Option<&mut Res>) -> Option<Value> {
        let alias = function.alias()?;
        if let Some(referrer) = referrer {
            wait_for(referrer, versions::alias_id(&self.ids, function));
        }
        Some(append(arns::arn(self, function.id), &format!(":{}", literal(alias))))
    }
}

fn wait_for(referrer: &mut Res, id: String) {
    if !referrer.depends_on.contains(&id) {
        referrer.depends_on.push(id);
    }
}
