//! The resource-based policy a function URL needs. With `auth = iam`
//! nothing is added: a caller of the function's account signs its request
//! and needs `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` in its
//! own identity policy, which this app does not write. With `auth = none`
//! AWS requires the policy to be open to every principal (`*`): that is
//! what a public URL is. Each statement keeps to the URL by condition:
//! `lambda:FunctionUrlAuthType = NONE` for `InvokeFunctionUrl`, and since
//! October 2025 `lambda:InvokedViaFunctionUrl = true` for the
//! `InvokeFunction` a new URL needs too, so neither opens `Invoke` to the
//! world (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).

use crate::model::Resource;
use crate::source::Span;

/// What narrows a URL permission to calls through the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlCondition {
    /// `lambda:FunctionUrlAuthType` (CloudFormation `FunctionUrlAuthType`).
    AuthType(&'static str),
    /// `lambda:InvokedViaFunctionUrl = true` (`InvokedViaFunctionUrl`).
    ViaUrl,
}

impl UrlCondition {
    /// As `explain` shows it.
    pub fn describe(self) -> String {
        match self {
            UrlCondition::AuthType(auth) => format!("lambda:FunctionUrlAuthType = {auth}"),
            UrlCondition::ViaUrl => "lambda:InvokedViaFunctionUrl = true".into(),
        }
    }
}

/// One statement of a public URL's policy; the principal is `*`.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlPermission {
    pub sid: &'static str,
    pub action: &'static str,
    pub condition: UrlCondition,
    /// The `url` value.
    pub span: Span,
}

/// The statements a function's URL needs: none for `auth = iam`.
pub fn permissions(function: &Resource) -> Vec<UrlPermission> {
    let Some(url) = function.function_url() else { return Vec::new() };
    if url.auth != "none" {
        return Vec::new();
    }
    vec![
        UrlPermission {
            sid: "FunctionUrlPublic",
            action: "lambda:InvokeFunctionUrl",
            condition: UrlCondition::AuthType("NONE"),
            span: url.span,
        },
        UrlPermission {
            sid: "FunctionUrlPublicInvoke",
            action: "lambda:InvokeFunction",
            condition: UrlCondition::ViaUrl,
            span: url.span,
        },
    ]
}
