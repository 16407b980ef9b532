//! The parts of an `api` block the generic attribute check cannot read:
//! `usage_plan NAME { ... }` blocks (their keys with spans, for LF3065)
//! and `domain = { name, certificate, base_path }`, whose `certificate` is
//! a reference inside an object (LF1040, LF1041).

use super::{Scope, Wanted};
use crate::ast::{Body, Entry, Ident, Statement, Value, ValueKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::api::ApiType;
use crate::model::api::{ApiSetup, Domain, UsagePlan};
use crate::model::AuthorizerType;
use crate::source::Span;
use crate::stdlib::KindDef;

/// The `domain` keys, in the order the help lists them.
const DOMAIN_KEYS: [&str; 3] = ["name", "certificate", "base_path"];

impl Scope<'_> {
    /// `rest`: the api says `type = rest` (its base path is one segment).
    pub(super) fn api_setup(&mut self, kind: &KindDef, body: &Body, rest: bool) -> ApiSetup {
        let mut api = ApiSetup::default();
        let mut domain_at: Option<Span> = None;
        for statement in &body.statements {
            match statement {
                Statement::Assignment { name, value } if name.text == "domain" => match domain_at {
                    // Of a value that is no object, LF1005 from the attribute check.
                    _ if !matches!(value.kind, ValueKind::Object(_)) => {}
                    Some(first) => self.diagnostics.push(
                        Diagnostic::new(Code::DuplicateAttribute, name.span, "`domain` is set twice")
                            .label("set again here")
                            .secondary(first, "first set here")
                            .help("an api has one custom domain: remove one of the two"),
                    ),
                    None => {
                        domain_at = Some(name.span);
                        api.domain = self.domain(value, rest);
                    }
                },
                Statement::Assignment { .. } => {}
                Statement::Nested { kind: block, name: Some(name), body } if block.text == "usage_plan" => {
                    if let Some(plan) = self.usage_plan(kind, &api, block, name, body) {
                        api.usage_plans.push(plan);
                    }
                }
                Statement::Nested { kind: block, name: None, .. } if block.text == "usage_plan" => {
                    self.diagnostics.push(
                        Diagnostic::new(Code::BadUsagePlan, block.span, "a usage plan needs a name")
                            .label("no name")
                            .help("write `usage_plan partners { keys = [\"acme\"] ... }`"),
                    );
                }
                // Authorizers, and what stands in no api block, are the
                // access reader's (`resolve::auth`).
                _ => {}
            }
        }
        api
    }

    /// Cognito and token authorizers are REST APIs', JWT authorizers HTTP
    /// APIs' (LF1043); request authorizers serve both.
    pub(super) fn authorizer_on_api_type(&mut self, ty: AuthorizerType, span: Span, api_type: ApiType) {
        let (api, help) = match (ty, api_type) {
            (AuthorizerType::Cognito | AuthorizerType::Token, ApiType::Http) => {
                ("an HTTP API", "make the api a REST API with `type = rest`, or use `type = jwt` (issuer = the user pool) or `type = request`")
            }
            (AuthorizerType::Jwt, ApiType::Rest) => {
                ("a REST API", "a REST API checks a Cognito user pool's tokens with `type = cognito` and `user_pools = [POOL]`")
            }
            (AuthorizerType::Jwt | AuthorizerType::Cognito | AuthorizerType::Token, ApiType::WebSocket) => {
                ("a WebSocket API", "a WebSocket API calls a Lambda `request` authorizer on `$connect`: write `type = request` and `function = NAME`, and check the token in that function")
            }
            _ => return,
        };
        self.diagnostics.push(
            Diagnostic::new(Code::AuthorizerApiType, span, format!("{api} has no {} authorizers", ty.word()))
                .label(format!("not an authorizer of {api}"))
                .help(help),
        );
    }

    fn usage_plan(
        &mut self,
        kind: &KindDef,
        api: &ApiSetup,
        block: &Ident,
        name: &Ident,
        body: &Body,
    ) -> Option<UsagePlan> {
        self.check_name(name);
        if let Some(first) = api.usage_plans.iter().find(|p| p.name == name.text) {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::BadUsagePlan,
                    name.span,
                    format!("the usage plan `{}` is declared twice", name.text),
                )
                .label("declared again here")
                .secondary(first.name_span, "first declared here")
                .help("merge the two plans, or rename one"),
            );
            return None;
        }
        let def = kind.block("usage_plan")?;
        let assignments = self.block_assignments(body, def);
        let keys = assignments.iter().find(|(n, _)| n.text == "keys").map(|(_, v)| self.plan_keys(v));
        let attrs = self.attrs(&def.attributes, assignments.into_iter(), "usage_plan block", block.span.to(name.span));
        Some(UsagePlan {
            name: name.text.clone(),
            name_span: name.span,
            attrs,
            keys: keys.unwrap_or_default(),
            span: block.span.to(body.span),
        })
    }

    /// The names of a plan's API keys: 1 to 128 letters, digits, `-`, `_`
    /// and `.`, so that each stays one key's name in both targets.
    fn plan_keys(&mut self, value: &Value) -> Vec<(String, Span)> {
        let ValueKind::List(items) = &value.kind else { return Vec::new() };
        if items.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(Code::BadUsagePlan, value.span, "a usage plan needs at least one API key")
                    .label("no keys")
                    .help("name each client's key: `keys = [\"acme\"]`"),
            );
        }
        let mut keys = Vec::new();
        for item in items {
            match &item.kind {
                ValueKind::String(key) if is_key_name(key) => keys.push((key.clone(), item.span)),
                _ => self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadUsagePlan,
                        item.span,
                        "an API key's name is a string of 1 to 128 letters, digits, `-`, `_` or `.`",
                    )
                    .label("not a key name")
                    .help("name the client the key is for: `\"acme\"`"),
                ),
            }
        }
        keys
    }

    fn domain(&mut self, value: &Value, rest: bool) -> Option<Domain> {
        let ValueKind::Object(entries) = &value.kind else {
            // A value of the wrong type is LF1005 from the attribute check.
            return None;
        };
        self.duplicate_keys(entries);
        let mut name = None;
        let mut certificate = None;
        let mut base_path = None;
        for entry in entries {
            match entry.key.text.as_str() {
                "name" => name = self.domain_name(entry),
                "certificate" => certificate = self.certificate(entry),
                "base_path" => base_path = self.base_path(entry, rest),
                other => {
                    self.diagnostics.push(
                        Diagnostic::new(Code::BadDomain, entry.key.span, format!("a domain has no `{other}`"))
                            .label("unknown key")
                            .help(format!("a domain takes {}", crate::stdlib::quoted(&DOMAIN_KEYS.map(String::from)))),
                    );
                }
            }
        }
        let missing: Vec<&str> = [("name", name.is_some()), ("certificate", certificate.is_some())]
            .iter()
            .filter(|(key, given)| !given && !entries.iter().any(|e| e.key.text == *key))
            .map(|(key, _)| *key)
            .collect();
        if !missing.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(Code::BadDomain, value.span, format!("this domain needs `{}`", missing.join("` and `")))
                    .label("incomplete domain")
                    .help("write `domain = { name = \"api.example.com\", certificate = CERT }`, CERT an `existing certificate`"),
            );
        }
        let ((name, name_span), (certificate, certificate_span)) = (name?, certificate?);
        Some(Domain { name, certificate, base_path, span: value.span, name_span, certificate_span })
    }

    fn domain_name(&mut self, entry: &Entry) -> Option<(String, Span)> {
        match &entry.value.kind {
            ValueKind::String(name) if is_domain_name(name) => Some((name.clone(), entry.value.span)),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::BadDomain,
                        entry.value.span,
                        "a domain's `name` is a fully qualified domain name",
                    )
                    .label("not a domain name")
                    .help("write lower-case labels of letters, digits and `-`, joined by dots: `\"api.example.com\"`"),
                );
                None
            }
        }
    }

    fn certificate(&mut self, entry: &Entry) -> Option<(crate::model::ResourceId, Span)> {
        let ValueKind::Reference(name, None) = &entry.value.kind else {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::BadDomain,
                    entry.value.span,
                    "a domain's `certificate` is the name of a certificate",
                )
                .label("not a name")
                .help("declare `existing certificate cert = \"arn:aws:acm:...\"` and write `certificate = cert`"),
            );
            return None;
        };
        let id = self.lookup_as(name, Wanted::Kind("certificate"))?;
        let kind = self.kind_name(id).to_string();
        if kind != "certificate" {
            self.wrong_kind(name, &kind, &["certificate".to_string()], "certificate");
            return None;
        }
        Some((id, entry.value.span))
    }

    fn base_path(&mut self, entry: &Entry, rest: bool) -> Option<String> {
        match &entry.value.kind {
            ValueKind::String(path) if rest && is_base_path(path) && path.contains('/') => {
                self.diagnostics.push(
                    Diagnostic::new(Code::RestBasePath, entry.value.span, "a REST API's base path is one segment")
                        .label("a path of several segments")
                        .help("a REST API's base path mapping takes one segment, such as `\"v1\"`: route the rest of the path in the API"),
                );
                None
            }
            ValueKind::String(path) if is_base_path(path) => Some(path.clone()),
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(Code::BadDomain, entry.value.span, "a base path is one or more segments of letters, digits, `-`, `_`, `.` and `~`, joined by `/`")
                        .label("not a base path")
                        .help("write it without a leading or trailing `/`: `\"v1\"`, `\"orders/v2\"`; leave it out to serve the API at the domain's root"),
                );
                None
            }
        }
    }
}

fn is_key_name(key: &str) -> bool {
    (1..=128).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// At least two labels of 1 to 63 lower-case letters, digits and `-`
/// (not at either end), 253 characters in all; a leading `*.` for a
/// wildcard domain.
fn is_domain_name(name: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name);
    let labels: Vec<&str> = name.split('.').collect();
    name.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn is_base_path(path: &str) -> bool {
    path.split('/').all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b)))
}

#[cfg(test)]
mod tests {
    use super::{is_base_path, is_domain_name, is_key_name};

    #[test]
    fn names_of_domains_paths_and_keys() {
        assert!(is_domain_name("api.shop.example.com"));
        assert!(is_domain_name("*.example.com"));
        assert!(!is_domain_name("localhost"));
        assert!(!is_domain_name("API.example.com"));
        assert!(!is_domain_name("-a.example.com"));
        assert!(is_base_path("v1") && is_base_path("orders/v2"));
        assert!(!is_base_path("/v1") && !is_base_path("v1/") && !is_base_path(""));
        assert!(is_key_name("acme") && !is_key_name("a b") && !is_key_name(""));
    }
}
