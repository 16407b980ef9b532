//! The names AWS accepts for the kinds whose `existing` resources are named
//! by something narrower than an ARN's characters: an SES identity is a
//! domain or an address, a Bedrock model a `PROVIDER.MODEL` id. A name of
//! another form names nothing, and the grant made on it would never match
//! what the function calls (LF1072). Also which kinds' ARNs end in the
//! whole name, `:` and `/` included.

/// Kinds whose names hold `:` or `/`, given by name as they are (a Bedrock
/// model id ends in its version, `amazon.nova-lite-v1:0`; an agent is named
/// by its agent and alias ids, `AGENT12345/ALIAS12345`), and whose ARNs end
/// in the whole name.
pub(super) fn named_whole(kind: &str) -> bool {
    matches!(kind, "model" | "inference_profile" | "agent")
}

/// A kind's rule: whether a name is one AWS accepts, and what the help asks
/// for in its place.
struct Rule {
    kind: &'static str,
    accepts: fn(&str) -> bool,
    help: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        kind: "email_identity",
        accepts: |name| is_domain(name) || is_address(name),
        help: "give a verified domain (`mail.example.com`) or email address (`support@example.com`)",
    },
    Rule { kind: "configuration_set", accepts: is_ses_name, help: "give a name of up to 64 letters, digits, `-` and `_`" },
    Rule { kind: "email_template", accepts: is_ses_name, help: "give a name of up to 64 letters, digits, `-` and `_`" },
    Rule { kind: "model", accepts: is_model_id, help: "give a model id, `PROVIDER.MODEL` (`amazon.nova-lite-v1:0`)" },
    Rule {
        kind: "inference_profile",
        accepts: |name| geography(name).is_some(),
        help: "give a cross-Region profile's id, a geography in front of a model id (`eu.amazon.nova-lite-v1:0`); a model invoked in the app's Region alone is an `existing model`",
    },
    Rule {
        kind: "inference_profile",
        accepts: |name| is_model_id(crate::stdlib::routed_model(name)),
        help: "give a cross-Region profile's id, a geography in front of a model id (`eu.amazon.nova-lite-v1:0`)",
    },
    Rule {
        kind: "knowledge_base",
        accepts: |name| name.len() == 10 && name.bytes().all(|b| b.is_ascii_alphanumeric()),
        help: "give the knowledge base's id, 10 letters and digits (`KB12345678`), or its ARN",
    },
    Rule {
        kind: "guardrail",
        accepts: |name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        help: "give the guardrail's id, lower-case letters and digits (`abcdef123456`), or its ARN",
    },
    Rule {
        kind: "agent",
        accepts: is_agent_alias,
        help: "give the agent's id and the alias's, `AGENT12345/ALIAS12345` (10 letters and digits each), or the alias's ARN",
    },
    Rule { kind: "delivery_stream", accepts: is_delivery_stream, help: "give a name of up to 64 letters, digits, `_`, `.` and `-`" },
];

/// What to give in place of `name`, a `kind` resource's (LF1072): `None`
/// when AWS accepts it. A model id with a geography in front is a profile's,
/// and the help names that kind.
pub(super) fn refused(kind: &str, name: &str) -> Option<String> {
    if let ("model", Some(geography)) = (kind, geography(name)) {
        return Some(format!(
            "`{name}` is a cross-Region inference profile (`{geography}.` in front): declare it as `existing inference_profile`, which grants the model in every Region the profile routes to"
        ));
    }
    RULES.iter().find(|rule| rule.kind == kind && !(rule.accepts)(name)).map(|rule| rule.help.to_string())
}

/// The geographies of Bedrock's cross-Region inference profiles, the first
/// part of a profile's id (Bedrock User Guide, "Supported Regions and models
/// for inference profiles").
const GEOGRAPHIES: &[&str] = &["us", "us-gov", "eu", "apac", "jp", "au", "ca", "global"];

/// The geography of a profile id (`eu` of `eu.anthropic.claude-…`).
fn geography(name: &str) -> Option<&'static str> {
    let (first, _) = name.split_once('.')?;
    GEOGRAPHIES.iter().find(|g| **g == first).copied()
}

/// A domain name: two or more labels of letters, digits and inner `-`,
/// each at most 63 characters, at most 253 in all.
fn is_domain(name: &str) -> bool {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    name.len() <= 253 && name.split('.').count() >= 2 && name.split('.').all(label)
}

/// An email address: a local part of at most 64 printable characters
/// without spaces or `@`, then `@` and a domain.
fn is_address(name: &str) -> bool {
    let Some((local, domain)) = name.split_once('@') else { return false };
    (1..=64).contains(&local.len()) && local.bytes().all(|b| b.is_ascii_graphic() && b != b'@') && is_domain(domain)
}

/// An SES configuration set's or template's name (SES API Reference,
/// `ConfigurationSet` and `Template`).
fn is_ses_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A Bedrock agent alias: the agent's id and the alias's, 10 letters and
/// digits each (the test alias is `TSTALIASID`).
fn is_agent_alias(name: &str) -> bool {
    let id = |s: &str| s.len() == 10 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    name.split_once('/').is_some_and(|(agent, alias)| id(agent) && id(alias))
}

/// A Firehose stream's name (Firehose API Reference, `DeliveryStreamName`).
fn is_delivery_stream(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// A Bedrock model id: a provider, `.`, then the model's name and version
/// in lower-case letters, digits, `.`, `-` and `:`, at most 128 in all.
fn is_model_id(name: &str) -> bool {
    let Some((provider, model)) = name.split_once('.') else { return false };
    let word = |s: &str, more: &[u8]| {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || more.contains(&b))
    };
    word(provider, &[]) && word(model, b".:") && name.len() <= 128
}

#[cfg(test)]
mod tests {
    use super::refused;

    #[test]
    fn names_aws_accepts_pass_and_others_say_what_to_give() {
        for (kind, name) in [
            ("email_identity", "mail.example.com"),
            ("email_identity", "support+orders@example.com"),
            ("configuration_set", "transactional_v2"),
            ("model", "amazon.nova-lite-v1:0"),
            ("inference_profile", "us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0"),
            ("knowledge_base", "KB12345678"),
            ("guardrail", "abcdef123456"),
            ("agent", "AGENT12345/TSTALIASID"),
            ("delivery_stream", "clickstream.raw-1"),
            ("queue", "any name the rules do not cover"),
        ] {
            assert_eq!(refused(kind, name), None, "{kind} {name}");
        }
        for (kind, name, asks) in [
            ("email_identity", "support@", "verified domain"),
            ("email_identity", "mail..example.com", "verified domain"),
            ("model", "eu.amazon.nova-lite-v1:0", "`existing inference_profile`"),
            ("model", "Amazon.Nova", "PROVIDER.MODEL"),
            ("inference_profile", "amazon.nova-lite-v1:0", "`existing model`"),
            ("inference_profile", "eu.", "a geography in front"),
            ("agent", "AGENT12345/", "AGENT12345/ALIAS12345"),
            ("delivery_stream", "", "up to 64"),
        ] {
            let help = refused(kind, name).unwrap_or_default();
            assert!(help.contains(asks), "{kind} {name}: {help}");
        }
    }
}
