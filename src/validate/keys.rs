//! The KMS keys of `encryption`: an existing key is one this app cannot
//! give the policy statements a delivering service needs (LF3096), a key
//! serves the resources of its own region only (LF3097), a function's
//! key needs something of the function's to encrypt (LF3098), and only an
//! existing parameter is a SecureString under a key (LF3099).

use super::span_of;
use crate::diagnostic::{Code, Diagnostic};
use crate::grants::key::SERVICE_ACTIONS;
use crate::model::{Model, Resource};

/// LF3096: a queue encrypted with an existing key, into which SNS, S3 or
/// EventBridge delivers: the key's policy, which the app cannot write,
/// must let that service use the key.
pub fn existing_key_for_service(model: &Model, key: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(existing) = &key.existing else { return };
    let actions = SERVICE_ACTIONS.map(|action| format!("\"{action}\"")).join(", ");
    for user in crate::grants::key::services(model, key.id) {
        let queue = model.resource(user.queue);
        out.push(
            Diagnostic::new(
                Code::ExistingKeyForService,
                user.span,
                format!(
                    "`{}` delivers into `{}`, encrypted with the existing key `{}`, whose policy this app cannot write",
                    user.principal, queue.name, key.name
                ),
            )
            .label(format!("{} encrypts each message with `{}`", user.principal, key.name))
            .secondary(span_of(queue, "encryption"), "encrypted here")
            .secondary(existing.span, "declared existing here")
            .help(format!(
                "add to the key policy of {}: {{\"Effect\": \"Allow\", \"Principal\": {{\"Service\": \"{}\"}}, \
                 \"Action\": [{}], \"Resource\": \"*\"}}; or encrypt `{}` with a key this app declares",
                existing.arn, user.principal, actions, queue.name
            )),
        );
    }
}

/// LF3097: a resource encrypted with an existing key of another region
/// than its own. SQS, SNS, S3, Kinesis, Secrets Manager, SSM and Lambda
/// take a key of their own region (a multi-Region key's replica there has
/// an ARN of that region).
pub fn key_in_other_region(model: &Model, key: &Resource, out: &mut Vec<Diagnostic>) {
    let Some((existing, key_region)) = key.existing.as_ref().and_then(|e| Some((e, e.known_region()?))) else {
        return;
    };
    let encrypted = model.resources.iter().filter(|r| r.attrs.reference("encryption") == Some(key.id));
    for resource in encrypted {
        // An existing resource is where its ARN says; a created one, or one
        // given by name, where the app deploys.
        let is = if resource.is_created() { "deploys to" } else { "is in" };
        let Some(region) = resource.existing.as_ref().and_then(|e| e.known_region()).or(model.app.region.as_deref())
        else {
            continue;
        };
        if key_region == region {
            continue;
        }
        out.push(
            Diagnostic::new(
                Code::KeyInOtherRegion,
                span_of(resource, "encryption"),
                format!("the key `{}` is in {key_region}, but `{}` {is} {region}", key.name, resource.name),
            )
            .label("a key of another region")
            .secondary(existing.span, "declared existing here")
            .help(format!(
                "a {} is encrypted with a key of its own region: use a key in {region} (a multi-Region key's replica there)",
                resource.kind
            )),
        );
    }
}

/// LF3098: a function's key encrypts its environment variables, SnapStart
/// snapshots and image (Lambda's KMSKeyArn); a function with none of them
/// gives it nothing to do.
pub fn nothing_to_encrypt(function: &Resource, out: &mut Vec<Diagnostic>) {
    let Some(key) = function.attrs.reference("encryption") else { return };
    let has_variables = function.environment_key() == Some(key);
    let image = function.attrs.value("image").is_some();
    if has_variables || image || function.attrs.bool("snapstart") {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::NothingToEncrypt,
            span_of(function, "encryption"),
            format!("`{}` has no environment variables, SnapStart or image for its key to encrypt", function.name),
        )
        .label("this key encrypts nothing")
        .help("remove `encryption`: the function's code and configuration are encrypted with Lambda's own keys; or give it `env`"),
    );
}

/// LF3099: a parameter the app creates is a plain String (CloudFormation
/// cannot create a SecureString): `encryption` is for existing ones.
pub fn created_parameter_key(parameter: &Resource, out: &mut Vec<Diagnostic>) {
    if !parameter.is_created() || parameter.attrs.reference("encryption").is_none() {
        return;
    }
    out.push(
        Diagnostic::new(
            Code::CreatedParameterKey,
            span_of(parameter, "encryption"),
            format!("`{}` is created by the app as a plain String parameter, which no key encrypts", parameter.name),
        )
        .label("only an existing SecureString parameter has a key")
        .help(format!(
            "declare it `existing parameter {} = \"NAME\" {{ encryption = KEY }}` if it is a SecureString made outside the app, or keep a secret in a `secret`",
            parameter.name
        )),
    );
}
