//! What a function's callers name, in CloudFormation: the alias of a
//! function with one (`deploy::versions`), else the function. Event source
//! mappings ask here, and so does every neutral `ArnAfter` of a function
//! (destinations, `deploy::triggers`).
//!
//! The alias ARN is the function's known ARN and `:ALIAS`, with a
//! `DependsOn` on the alias where the referrer needs it to exist: the same
//! ARN its callers' roles are granted, and no `Ref` to a type that moto
//! (one of the validators) does not model.

use super::intrinsic::{append, literal, Cf};
use super::{arns, Ctx};
use crate::deploy::versions;
use crate::grants::SharedName;
use crate::model::Resource;

impl Ctx<'_> {
    /// The ARN callers invoke: the alias's, which the referrer (whose
    /// `DependsOn` is `referrer`) then waits for, else the function's.
    pub fn invoke_arn(&self, function: &Resource, referrer: Option<&mut Vec<String>>) -> Cf {
        match self.alias_arn(function, referrer) {
            Some(arn) => arn,
            None => Cf::get_att(&self.id(function), "Arn"),
        }
    }

    fn alias_arn(&self, function: &Resource, referrer: Option<&mut Vec<String>>) -> Option<Cf> {
        let alias = function.alias()?;
        if let Some(referrer) = referrer {
            wait_for(referrer, versions::alias_id(&self.ids, function));
        }
        Some(append(arns::arn(self, function.id), &format!(":{}", literal(alias))))
    }
}

fn wait_for(depends_on: &mut Vec<String>, id: SharedName) {
    if !depends_on.iter().any(|d| *d == *id) {
        depends_on.push(id.to_string());
    }
}
