//! ARNs a program writes (`existing` resources, `allow` sources): their six
//! fields, the partitions AWS has, and wildcards, which make one ARN name
//! many resources.

/// The partitions of AWS's endpoint data (aws-sdk-js-v3
/// `util-endpoints/src/lib/aws/partitions.json`): the commercial regions,
/// China, GovCloud, the ISO regions and the European Sovereign Cloud.
pub const PARTITIONS: &[&str] =
    &["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// The fields of an ARN, or `None` for text with fewer than six.
pub fn split(arn: &str) -> Option<Parts<'_>> {
    let mut fields = arn.splitn(6, ':');
    if fields.next()? != "arn" {
        return None;
    }
    Some(Parts {
        partition: fields.next()?,
        service: fields.next()?,
        region: fields.next()?,
        account: fields.next()?,
        resource: fields.next()?,
    })
}

pub fn is_partition(text: &str) -> bool {
    PARTITIONS.contains(&text)
}

/// IAM matches `*` and `?` in ARNs as wildcards.
pub fn has_wildcard(text: &str) -> bool {
    text.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_six_fields_and_keeps_colons_in_the_resource() {
        let parts = split("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf").expect("an ARN");
        assert_eq!((parts.partition, parts.service, parts.resource), ("aws", "secretsmanager", "secret:db-AbCdEf"));
        assert_eq!(split("arn:aws:s3:::bucket").map(|p| (p.region, p.account)), Some(("", "")));
        assert_eq!(split("arn:aws:s3"), None);
        assert_eq!(split("urn:aws:s3:::bucket"), None);
        assert!(is_partition("aws-iso-f") && !is_partition("aws-xx") && !is_partition(""));
        assert!(has_wildcard("partner-*") && has_wildcard("q?") && !has_wildcard("partner"));
    }
}
