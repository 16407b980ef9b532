//! What both targets can say about each resource type: per CloudFormation
//! type, rows of (property, where CloudFormation says it, where Terraform
//! says it, how to compare, the value AWS takes when it is left out), and
//! which properties identify a resource (to pair the two sides).

use serde_json::{json, Value};

/// Where one target says a property.
pub enum Get {
    /// A dotted path; a one-element list (a Terraform block) is stepped into.
    Path(&'static str),
    /// Read by a function, from the listed top-level properties.
    With(&'static [&'static str], fn(&Value) -> Option<Value>),
}

/// How two values compare once references are canonical.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Canon {
    Plain,
    /// A list whose order AWS ignores.
    Set,
    /// A JSON document, given as an object or as JSON text.
    Json,
    /// An IAM policy document: its statements as a set of
    /// (effect, action, resource, principal, condition).
    Policy,
    /// A reference to a resource, by name or by ARN alike (`FunctionName`,
    /// `EventBusName`, an integration's function).
    Referent,
}

pub struct Row {
    pub property: &'static str,
    pub cloudformation: Get,
    pub terraform: Get,
    pub canon: Canon,
    /// What AWS takes when the property is left out (JSON text).
    pub default: Option<&'static str>,
}

const fn row(property: &'static str, cloudformation: &'static str, terraform: &'static str) -> Row {
    Row {
        property,
        cloudformation: Get::Path(cloudformation),
        terraform: Get::Path(terraform),
        canon: Canon::Plain,
        default: None,
    }
}

impl Row {
    const fn or(mut self, default: &'static str) -> Row {
        self.default = Some(default);
        self
    }
    const fn canon(mut self, canon: Canon) -> Row {
        self.canon = canon;
        self
    }
    const fn cf(mut self, get: Get) -> Row {
        self.cloudformation = get;
        self
    }
    const fn tf(mut self, get: Get) -> Row {
        self.terraform = get;
        self
    }
}

/// The rows of a CloudFormation type.
pub fn rows(ty: &str) -> Vec<Row> {
    use Canon::*;
    match ty {
        "AWS::Lambda::Function" => vec![
            row("name", "FunctionName", "function_name"),
            row("runtime", "Runtime", "runtime"),
            row("handler", "Handler", "handler"),
            row("description", "Description", "description"),
            row("memory", "MemorySize", "memory_size").or("128"),
            row("timeout", "Timeout", "timeout").or("3"),
            row("role", "Role", "role"),
            row("architectures", "Architectures", "architectures").or(r#"["x86_64"]"#),
            row("storage", "EphemeralStorage.Size", "ephemeral_storage.size").or("512"),
            row("concurrency", "ReservedConcurrentExecutions", "reserved_concurrent_executions"),
            row("tracing", "TracingConfig.Mode", "tracing_config.mode").or(r#""PassThrough""#),
            row("layers", "Layers", "layers").or("[]"),
            row("environment", "Environment.Variables", "environment.variables").or("{}"),
            row("subnets", "VpcConfig.SubnetIds", "vpc_config.subnet_ids").canon(Set),
            row("security_groups", "VpcConfig.SecurityGroupIds", "vpc_config.security_group_ids").canon(Set),
            row("ipv6", "VpcConfig.Ipv6AllowedForDualStack", "vpc_config.ipv6_allowed_for_dual_stack").or("false"),
            row("file_systems", "", "")
                .cf(Get::With(&["FileSystemConfigs"], |p| {
                    pairs(p.get("FileSystemConfigs")?, "Arn", "LocalMountPath")
                }))
                .tf(Get::With(&["file_system_config"], |p| pairs(p.get("file_system_config")?, "arn", "local_mount_path")))
                .canon(Set),
            row("dead_letter", "DeadLetterConfig.TargetArn", "dead_letter_config.target_arn"),
            row("kms_key", "KmsKeyArn", "kms_key_arn"),
            row("log_format", "LoggingConfig.LogFormat", "logging_config.log_format").or(r#""Text""#),
            row("application_log_level", "LoggingConfig.ApplicationLogLevel", "logging_config.application_log_level"),
            row("system_log_level", "LoggingConfig.SystemLogLevel", "logging_config.system_log_level"),
            row("package_type", "PackageType", "package_type").or(r#""Zip""#),
            row("snap_start", "SnapStart.ApplyOn", "snap_start.apply_on").or(r#""None""#),
            // A published version: CloudFormation's `AWS::Lambda::Version`
            // (folded into its function, `read::fold_versions`), Terraform's
            // `publish`. A version that says more than its function shows.
            row("publish", "", "publish")
                .cf(Get::With(&["+AWS::Lambda::Version"], |p| {
                    let version = p.get("+AWS::Lambda::Version")?;
                    Some(if version.as_object().is_some_and(|m| m.is_empty()) { json!(true) } else { version.clone() })
                }))
                .or("false"),
            row("image", "Code.ImageUri", "image_uri"),
            row("package", "Code.S3Key", "").tf(Get::With(&["filename"], package_key)),
        ],
        "AWS::IAM::Role" => vec![
            row("name", "RoleName", "name"),
            row("path", "Path", "path").or(r#""/""#),
            row("trust", "AssumeRolePolicyDocument", "assume_role_policy").canon(Policy),
            row("permissions_boundary", "PermissionsBoundary", "permissions_boundary"),
            row("managed_policies", "ManagedPolicyArns", "")
                .tf(Get::With(&["+aws_iam_role_policy_attachment", "managed_policy_arns"], |p| {
                    let mut arns: Vec<Value> = p.get("managed_policy_arns").and_then(Value::as_array).cloned().unwrap_or_default();
                    for part in p.get("+aws_iam_role_policy_attachment").and_then(Value::as_array).into_iter().flatten() {
                        arns.extend(part.get("policy_arn").cloned());
                    }
                    Some(Value::Array(arns))
                }))
                .canon(Set)
                .or("[]"),
            row("inline_policies", "", "")
                .cf(Get::With(&["Policies"], |p| named_documents(p.get("Policies")?, "PolicyName", "PolicyDocument")))
                .tf(Get::With(&["+aws_iam_role_policy", "inline_policy"], |p| {
                    let mut all = Vec::new();
                    for key in ["+aws_iam_role_policy", "inline_policy"] {
                        all.extend(p.get(key).and_then(Value::as_array).cloned().unwrap_or_default());
                    }
                    named_documents(&Value::Array(all), "name", "policy")
                }))
                .canon(Policy)
                .or("{}"),
        ],
        "AWS::DynamoDB::Table" => vec![
            row("name", "TableName", "name"),
            row("billing_mode", "BillingMode", "billing_mode").or(r#""PROVISIONED""#),
            row("hash_key", "", "hash_key").cf(Get::With(&["KeySchema"], |p| key_of(p, "HASH"))),
            row("range_key", "", "range_key").cf(Get::With(&["KeySchema"], |p| key_of(p, "RANGE"))),
            row("attributes", "", "")
                .cf(Get::With(&["AttributeDefinitions"], |p| pairs(p.get("AttributeDefinitions")?, "AttributeName", "AttributeType")))
                .tf(Get::With(&["attribute"], |p| pairs(p.get("attribute")?, "name", "type")))
                .canon(Set),
            row("stream_view", "StreamSpecification.StreamViewType", "stream_view_type"),
            row("stream_enabled", "", "stream_enabled")
                .cf(Get::With(&[], |p| Some(json!(p.get("StreamSpecification").is_some()))))
                .or("false"),
            row("point_in_time_recovery", "PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", "point_in_time_recovery.enabled").or("false"),
            row("encryption", "SSESpecification.SSEEnabled", "server_side_encryption.enabled").or("false"),
            row("ttl_attribute", "TimeToLiveSpecification.AttributeName", "ttl.attribute_name"),
            row("ttl_enabled", "TimeToLiveSpecification.Enabled", "ttl.enabled"),
            row("global_indexes", "", "")
                .cf(Get::With(&["GlobalSecondaryIndexes"], |p| cloudformation_indexes(p.get("GlobalSecondaryIndexes")?)))
                .tf(Get::With(&["global_secondary_index"], |p| terraform_indexes(p.get("global_secondary_index")?)))
                .canon(Set)
                .or("[]"),
            row("deletion_protection", "DeletionProtectionEnabled", "deletion_protection_enabled").or("false"),
        ],
        "AWS::SQS::Queue" => vec![
            row("name", "QueueName", "name"),
            row("visibility_timeout", "VisibilityTimeout", "visibility_timeout_seconds").or("30"),
            row("retention", "MessageRetentionPeriod", "message_retention_seconds").or("345600"),
            row("fifo", "FifoQueue", "fifo_queue").or("false"),
            row("content_deduplication", "ContentBasedDeduplication", "content_based_deduplication").or("false"),
            row("managed_encryption", "SqsManagedSseEnabled", "sqs_managed_sse_enabled"),
            row("kms_key", "KmsMasterKeyId", "kms_master_key_id"),
            row("redrive", "RedrivePolicy", "redrive_policy").canon(Json),
            row("delay", "DelaySeconds", "delay_seconds").or("0"),
        ],
        "AWS::SNS::Topic" => vec![
            row("name", "TopicName", "name"),
            row("fifo", "FifoTopic", "fifo_topic").or("false"),
            row("content_deduplication", "ContentBasedDeduplication", "content_based_deduplication").or("false"),
            row("kms_key", "KmsMasterKeyId", "kms_master_key_id"),
        ],
        "AWS::S3::Bucket" => vec![
            row("name", "BucketName", "bucket"),
            row(
                "encryption",
                "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.SSEAlgorithm",
                "+aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm",
            ),
            row(
                "kms_key",
                "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID",
                "+aws_s3_bucket_server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.kms_master_key_id",
            ),
            row(
                "bucket_key",
                "BucketEncryption.ServerSideEncryptionConfiguration.BucketKeyEnabled",
                "+aws_s3_bucket_server_side_encryption_configuration.rule.bucket_key_enabled",
            )
            .or("false"),
            row("block_public_acls", "PublicAccessBlockConfiguration.BlockPublicAcls", "+aws_s3_bucket_public_access_block.block_public_acls").or("false"),
            row("block_public_policy", "PublicAccessBlockConfiguration.BlockPublicPolicy", "+aws_s3_bucket_public_access_block.block_public_policy").or("false"),
            row("ignore_public_acls", "PublicAccessBlockConfiguration.IgnorePublicAcls", "+aws_s3_bucket_public_access_block.ignore_public_acls").or("false"),
            row("restrict_public_buckets", "PublicAccessBlockConfiguration.RestrictPublicBuckets", "+aws_s3_bucket_public_access_block.restrict_public_buckets").or("false"),
            row("versioning", "VersioningConfiguration.Status", "+aws_s3_bucket_versioning.versioning_configuration.status").or(r#""Disabled""#),
            row("lifecycle_rule", "LifecycleConfiguration.Rules.Id", "+aws_s3_bucket_lifecycle_configuration.rule.id"),
            row("lifecycle_status", "LifecycleConfiguration.Rules.Status", "+aws_s3_bucket_lifecycle_configuration.rule.status"),
            row("expire_days", "LifecycleConfiguration.Rules.ExpirationInDays", "+aws_s3_bucket_lifecycle_configuration.rule.expiration.days"),
            row(
                "expire_versions_days",
                "LifecycleConfiguration.Rules.NoncurrentVersionExpiration.NoncurrentDays",
                "+aws_s3_bucket_lifecycle_configuration.rule.noncurrent_version_expiration.noncurrent_days",
            ),
            row(
                "abort_uploads_days",
                "LifecycleConfiguration.Rules.AbortIncompleteMultipartUpload.DaysAfterInitiation",
                "+aws_s3_bucket_lifecycle_configuration.rule.abort_incomplete_multipart_upload.days_after_initiation",
            ),
            row("notifications", "", "")
                .cf(Get::With(&["NotificationConfiguration"], cloudformation_notifications))
                .tf(Get::With(&["+aws_s3_bucket_notification"], terraform_notifications))
                .canon(Set)
                .or("[]"),
        ],
        "AWS::Events::EventBus" => vec![row("name", "Name", "name")],
        "AWS::KMS::Key" => vec![
            row("description", "Description", "description"),
            row("deletion_window_days", "PendingWindowInDays", "deletion_window_in_days").or("30"),
            row("rotation", "EnableKeyRotation", "enable_key_rotation").or("false"),
            row("policy", "KeyPolicy", "policy").canon(Json),
        ],
        "AWS::StepFunctions::StateMachine" => vec![
            row("name", "StateMachineName", "name"),
            row("type", "StateMachineType", "type").or(r#""STANDARD""#),
            row("role", "RoleArn", "role_arn"),
            row("definition", "DefinitionString", "definition"),
            row("log_level", "LoggingConfiguration.Level", "logging_configuration.level").or(r#""OFF""#),
            row("log_data", "LoggingConfiguration.IncludeExecutionData", "logging_configuration.include_execution_data").or("false"),
            row("tracing", "TracingConfiguration.Enabled", "tracing_configuration.enabled").or("false"),
        ],
        "AWS::Scheduler::Schedule" => vec![
            row("name", "Name", "name"),
            row("schedule", "ScheduleExpression", "schedule_expression"),
            row("timezone", "ScheduleExpressionTimezone", "schedule_expression_timezone").or(r#""UTC""#),
            row("window_mode", "FlexibleTimeWindow.Mode", "flexible_time_window.mode"),
            row("window", "FlexibleTimeWindow.MaximumWindowInMinutes", "flexible_time_window.maximum_window_in_minutes"),
            row("target", "Target.Arn", "target.arn"),
            row("role", "Target.RoleArn", "target.role_arn"),
        ],
        "AWS::Events::Rule" => vec![
            row("name", "Name", "name"),
            row("description", "Description", "description"),
            row("schedule", "ScheduleExpression", "schedule_expression"),
            row("pattern", "EventPattern", "event_pattern").canon(Json),
            row("bus", "EventBusName", "event_bus_name").canon(Referent).or(r#""default""#),
            row("state", "State", "").tf(Get::With(&["state", "is_enabled"], |p| {
                p.get("state").cloned().or_else(|| {
                    p.get("is_enabled").and_then(Value::as_bool).map(|on| json!(if on { "ENABLED" } else { "DISABLED" }))
                })
            }))
            .or(r#""ENABLED""#),
            row("targets", "", "")
                .cf(Get::With(&["Targets"], |p| {
                    Some(Value::Array(p.get("Targets")?.as_array()?.iter().filter_map(|t| t.get("Arn").cloned()).collect()))
                }))
                .tf(Get::With(&["+aws_cloudwatch_event_target"], |p| {
                    let targets = p.get("+aws_cloudwatch_event_target")?.as_array()?;
                    Some(Value::Array(targets.iter().filter_map(|t| t.get("arn").cloned()).collect()))
                }))
                .canon(Set)
                .or("[]"),
        ],
        "AWS::Kinesis::Stream" => vec![
            row("name", "Name", "name"),
            row("shards", "ShardCount", "shard_count"),
            row("retention_hours", "RetentionPeriodHours", "retention_period").or("24"),
            row("encryption", "StreamEncryption.EncryptionType", "encryption_type").or(r#""NONE""#),
            row("kms_key", "StreamEncryption.KeyId", "kms_key_id"),
            row("mode", "StreamModeDetails.StreamMode", "stream_mode_details.stream_mode").or(r#""PROVISIONED""#),
        ],
        "AWS::Kinesis::StreamConsumer" => vec![
            row("name", "ConsumerName", "name"),
            row("stream", "StreamARN", "stream_arn"),
        ],
        "AWS::SecretsManager::Secret" => vec![
            row("name", "Name", "name"),
            row("description", "Description", "description"),
            row("kms_key", "KmsKeyId", "kms_key_id"),
            row("generated_value", "", "")
                .cf(Get::With(&["GenerateSecretString"], |p| {
                    let generate = p.get("GenerateSecretString")?;
                    Some(json!({ "length": generate.get("PasswordLength").cloned().unwrap_or(json!(32)) }))
                }))
                .tf(Get::With(&["+aws_secretsmanager_secret_version"], |p| {
                    let generator = p.pointer("/+aws_secretsmanager_secret_version/0/generator")?;
                    let length = generator.get("length").or(generator.get("password_length")).cloned();
                    Some(json!({ "length": length.unwrap_or(json!(32)) }))
                }))
                .or(r#""none: the secret has no value""#),
        ],
        "AWS::SSM::Parameter" => vec![
            row("name", "Name", "name"),
            row("type", "Type", "type"),
            row("value", "Value", "value"),
            row("description", "Description", "description"),
            row("tier", "Tier", "tier").or(r#""Standard""#),
        ],
        "AWS::Logs::LogGroup" => vec![
            row("name", "LogGroupName", "name"),
            row("retention_days", "RetentionInDays", "retention_in_days").or(r#""never expire""#),
            row("kms_key", "KmsKeyId", "kms_key_id"),
        ],
        "AWS::Lambda::Permission" => vec![
            row("function", "", "")
                .cf(Get::With(&["FunctionName", "Qualifier"], |p| qualified(p, "FunctionName", "Qualifier")))
                .tf(Get::With(&["function_name", "qualifier"], |p| qualified(p, "function_name", "qualifier")))
                .canon(Referent),
            row("action", "Action", "action"),
            row("principal", "Principal", "principal"),
            row("source_arn", "SourceArn", "source_arn"),
            row("source_account", "SourceAccount", "source_account"),
            row("principal_org_id", "PrincipalOrgID", "principal_org_id"),
            row("url_auth_type", "FunctionUrlAuthType", "function_url_auth_type"),
            row("via_url", "InvokedViaFunctionUrl", "invoked_via_function_url"),
        ],
        "AWS::Lambda::Alias" => vec![
            row("function", "FunctionName", "function_name").canon(Referent),
            // Not `name`: an alias's name is unique within its function only.
            row("alias_name", "Name", "name"),
            row("version", "FunctionVersion", "function_version"),
            row("description", "Description", "description"),
            row(
                "provisioned",
                "ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
                "+aws_lambda_provisioned_concurrency_config.provisioned_concurrent_executions",
            ),
        ],
        "AWS::Lambda::LayerVersion" => vec![
            row("name", "LayerName", "layer_name"),
            row("description", "Description", "description"),
            row("runtimes", "CompatibleRuntimes", "compatible_runtimes").canon(Set).or("[]"),
            row("architectures", "CompatibleArchitectures", "compatible_architectures").canon(Set).or("[]"),
            row("license", "LicenseInfo", "license_info"),
            row("package", "Content.S3Key", "").tf(Get::With(&["filename"], package_key)),
        ],
        "AWS::Lambda::Url" => vec![
            row("function", "TargetFunctionArn", "function_name").canon(Referent),
            row("auth", "AuthType", "authorization_type"),
            row("invoke_mode", "InvokeMode", "invoke_mode").or(r#""BUFFERED""#),
            row("cors_origins", "Cors.AllowOrigins", "cors.allow_origins").canon(Set),
            row("cors_methods", "Cors.AllowMethods", "cors.allow_methods").canon(Set),
            row("cors_headers", "Cors.AllowHeaders", "cors.allow_headers").canon(Set),
            row("cors_expose", "Cors.ExposeHeaders", "cors.expose_headers").canon(Set),
            row("cors_credentials", "Cors.AllowCredentials", "cors.allow_credentials"),
            row("cors_max_age", "Cors.MaxAge", "cors.max_age"),
        ],
        "AWS::Lambda::EventSourceMapping" => vec![
            row("function", "FunctionName", "function_name").canon(Referent),
            row("event_source", "EventSourceArn", "event_source_arn"),
            row("starting_position", "StartingPosition", "starting_position"),
            row("batch_size", "BatchSize", "batch_size"),
            row("batching_window", "MaximumBatchingWindowInSeconds", "maximum_batching_window_in_seconds").or("0"),
            row("retries", "MaximumRetryAttempts", "maximum_retry_attempts").or("-1"),
            row("record_age", "MaximumRecordAgeInSeconds", "maximum_record_age_in_seconds").or("-1"),
            row("bisect", "BisectBatchOnFunctionError", "bisect_batch_on_function_error").or("false"),
            row("parallelization", "ParallelizationFactor", "parallelization_factor").or("1"),
            row("tumbling_window", "TumblingWindowInSeconds", "tumbling_window_in_seconds").or("0"),
            row("response_types", "FunctionResponseTypes", "function_response_types").canon(Set).or("[]"),
            row("max_concurrency", "ScalingConfig.MaximumConcurrency", "scaling_config.maximum_concurrency"),
            row("on_failure", "DestinationConfig.OnFailure.Destination", "destination_config.on_failure.destination_arn"),
            row("filters", "", "")
                .cf(Get::With(&["FilterCriteria"], |p| patterns(p.pointer("/FilterCriteria/Filters")?, "Pattern")))
                .tf(Get::With(&["filter_criteria"], |p| patterns(p.pointer("/filter_criteria/0/filter")?, "pattern")))
                .canon(Set),
            row("enabled", "Enabled", "enabled").or("true"),
        ],
        "AWS::Lambda::EventInvokeConfig" => vec![
            row("function", "FunctionName", "function_name").canon(Referent),
            row("qualifier", "Qualifier", "qualifier").or(r#""$LATEST""#),
            row("retries", "MaximumRetryAttempts", "maximum_retry_attempts").or("2"),
            row("event_age", "MaximumEventAgeInSeconds", "maximum_event_age_in_seconds").or("21600"),
            row("on_success", "DestinationConfig.OnSuccess.Destination", "destination_config.on_success.destination"),
            row("on_failure", "DestinationConfig.OnFailure.Destination", "destination_config.on_failure.destination"),
        ],
        "AWS::ApiGatewayV2::Api" => vec![
            row("name", "Name", "name"),
            row("protocol", "ProtocolType", "protocol_type"),
            row("route_selection", "RouteSelectionExpression", "route_selection_expression"),
            row("description", "Description", "description"),
            row("cors_origins", "CorsConfiguration.AllowOrigins", "cors_configuration.allow_origins").canon(Set),
            row("cors_methods", "CorsConfiguration.AllowMethods", "cors_configuration.allow_methods").canon(Set),
            row("cors_headers", "CorsConfiguration.AllowHeaders", "cors_configuration.allow_headers").canon(Set),
            row("cors_expose", "CorsConfiguration.ExposeHeaders", "cors_configuration.expose_headers").canon(Set),
            row("cors_credentials", "CorsConfiguration.AllowCredentials", "cors_configuration.allow_credentials"),
            row("cors_max_age", "CorsConfiguration.MaxAge", "cors_configuration.max_age"),
        ],
        "AWS::ApiGatewayV2::Authorizer" => vec![
            row("api", "ApiId", "api_id"),
            row("name", "Name", "name"),
            row("type", "AuthorizerType", "authorizer_type"),
            row("identity", "IdentitySource", "identity_sources").canon(Set).or("[]"),
            row("issuer", "JwtConfiguration.Issuer", "jwt_configuration.issuer"),
            row("audience", "JwtConfiguration.Audience", "jwt_configuration.audience").canon(Set),
            row("uri", "AuthorizerUri", "authorizer_uri"),
            row("payload_format", "AuthorizerPayloadFormatVersion", "authorizer_payload_format_version"),
            row("cache_ttl", "AuthorizerResultTtlInSeconds", "authorizer_result_ttl_in_seconds"),
            row("simple_responses", "EnableSimpleResponses", "enable_simple_responses").or("false"),
        ],
        "AWS::ApiGatewayV2::Stage" => vec![
            row("api", "ApiId", "api_id"),
            // Unique within its API only (every WebSocket API's is `live`):
            // not a physical name.
            row("stage_name", "StageName", "name"),
            row("auto_deploy", "AutoDeploy", "auto_deploy").or("false"),
            row("access_log_destination", "AccessLogSettings.DestinationArn", "access_log_settings.destination_arn"),
            row("access_log_format", "AccessLogSettings.Format", "access_log_settings.format").canon(Json),
            row("default_route_settings", "DefaultRouteSettings", "default_route_settings").canon(Json),
        ],
        "AWS::ApiGatewayV2::Route" => vec![
            row("api", "ApiId", "api_id"),
            row("route_key", "RouteKey", "route_key"),
            row("authorization", "AuthorizationType", "authorization_type").or(r#""NONE""#),
            row("authorizer", "AuthorizerId", "authorizer_id"),
            row("scopes", "AuthorizationScopes", "authorization_scopes").canon(Set).or("[]"),
            row("target", "Target", "target"),
        ],
        "AWS::ApiGatewayV2::Integration" => vec![
            row("api", "ApiId", "api_id"),
            row("type", "IntegrationType", "integration_type"),
            row("method", "IntegrationMethod", "integration_method"),
            row("function", "IntegrationUri", "integration_uri").canon(Referent),
            row("payload_format", "PayloadFormatVersion", "payload_format_version"),
            row("timeout_ms", "TimeoutInMillis", "timeout_milliseconds").or("30000"),
        ],
        "AWS::ApiGateway::RestApi" => vec![
            row("name", "Name", "name"),
            row("endpoint_types", "EndpointConfiguration.Types", "endpoint_configuration.types").or(r#"["EDGE"]"#),
        ],
        "AWS::ApiGateway::Resource" => vec![
            row("api", "RestApiId", "rest_api_id"),
            row("parent", "ParentId", "parent_id"),
            row("path_part", "PathPart", "path_part"),
        ],
        "AWS::ApiGateway::Method" => vec![
            row("api", "RestApiId", "rest_api_id"),
            row("resource", "ResourceId", "resource_id"),
            row("method", "HttpMethod", "http_method"),
            row("authorization", "AuthorizationType", "authorization"),
            row("api_key", "ApiKeyRequired", "api_key_required").or("false"),
            row("authorizer", "AuthorizerId", "authorizer_id"),
            row("scopes", "AuthorizationScopes", "authorization_scopes"),
            row("integration_type", "Integration.Type", "+aws_api_gateway_integration.type"),
            row("integration_method", "Integration.IntegrationHttpMethod", "+aws_api_gateway_integration.integration_http_method"),
            row("integration_uri", "Integration.Uri", "+aws_api_gateway_integration.uri"),
            row("request_templates", "Integration.RequestTemplates", "+aws_api_gateway_integration.request_templates"),
            row("response_status", "MethodResponses.StatusCode", "+aws_api_gateway_method_response.status_code"),
            row(
                "response_parameters",
                "MethodResponses.ResponseParameters",
                "+aws_api_gateway_method_response.response_parameters",
            ),
            row(
                "integration_response_parameters",
                "Integration.IntegrationResponses.ResponseParameters",
                "+aws_api_gateway_integration_response.response_parameters",
            ),
            row(
                "integration_response_templates",
                "Integration.IntegrationResponses.ResponseTemplates",
                "+aws_api_gateway_integration_response.response_templates",
            ),
        ],
        "AWS::ApiGateway::GatewayResponse" => vec![
            row("api", "RestApiId", "rest_api_id"),
            row("type", "ResponseType", "response_type"),
            row("parameters", "ResponseParameters", "response_parameters"),
        ],
        "AWS::ApiGateway::Authorizer" => vec![
            row("api", "RestApiId", "rest_api_id"),
            row("name", "Name", "name"),
            row("type", "Type", "type"),
            row("providers", "ProviderARNs", "provider_arns"),
            row("identity", "IdentitySource", "identity_source"),
            row("uri", "AuthorizerUri", "authorizer_uri"),
            row("ttl", "AuthorizerResultTtlInSeconds", "authorizer_result_ttl_in_seconds").or("300"),
        ],
        "AWS::ApiGateway::Deployment" => vec![
            row("api", "RestApiId", "rest_api_id"),
            row("description", "Description", "description"),
        ],
        "AWS::ApiGateway::Stage" => vec![
            row("api", "RestApiId", "rest_api_id"),
            row("deployment", "DeploymentId", "deployment_id"),
            row("name", "StageName", "stage_name"),
            row("tracing", "TracingEnabled", "xray_tracing_enabled").or("false"),
            row("access_log_destination", "AccessLogSetting.DestinationArn", "access_log_settings.destination_arn"),
            row("access_log_format", "AccessLogSetting.Format", "access_log_settings.format").canon(Json),
        ],
        "AWS::ApiGateway::ApiKey" => vec![row("name", "Name", "name"), row("enabled", "Enabled", "enabled").or("false")],
        "AWS::ApiGateway::UsagePlan" => vec![
            row("name", "UsagePlanName", "name"),
            row("api", "ApiStages.ApiId", "api_stages.api_id"),
            row("stage", "ApiStages.Stage", "api_stages.stage"),
            row("burst", "Throttle.BurstLimit", "throttle_settings.burst_limit"),
            row("rate", "Throttle.RateLimit", "throttle_settings.rate_limit"),
            row("quota", "Quota.Limit", "quota_settings.limit"),
            row("period", "Quota.Period", "quota_settings.period"),
        ],
        "AWS::ApiGateway::UsagePlanKey" => vec![
            row("key", "KeyId", "key_id"),
            row("key_type", "KeyType", "key_type"),
            row("plan", "UsagePlanId", "usage_plan_id"),
        ],
        "AWS::ApiGateway::DomainName" => vec![
            row("name", "DomainName", "domain_name"),
            row("endpoint_types", "EndpointConfiguration.Types", "endpoint_configuration.types"),
            row("certificate", "CertificateArn", "certificate_arn"),
            row("regional_certificate", "RegionalCertificateArn", "regional_certificate_arn"),
            row("security_policy", "SecurityPolicy", "security_policy"),
        ],
        "AWS::ApiGateway::BasePathMapping" => vec![
            row("domain", "DomainName", "domain_name"),
            row("api", "RestApiId", "api_id"),
            row("stage", "Stage", "stage_name"),
            row("base_path", "BasePath", "base_path"),
        ],
        "AWS::ApiGatewayV2::DomainName" => vec![
            row("name", "DomainName", "domain_name"),
            row("certificate", "DomainNameConfigurations.CertificateArn", "domain_name_configuration.certificate_arn"),
            row("endpoint_type", "DomainNameConfigurations.EndpointType", "domain_name_configuration.endpoint_type"),
            row("security_policy", "DomainNameConfigurations.SecurityPolicy", "domain_name_configuration.security_policy"),
        ],
        "AWS::ApiGatewayV2::ApiMapping" => vec![
            row("api", "ApiId", "api_id"),
            row("domain", "DomainName", "domain_name"),
            row("stage", "Stage", "stage"),
            row("key", "ApiMappingKey", "api_mapping_key"),
        ],
        "AWS::SQS::QueuePolicy" => vec![
            row("queue", "", "queue_url").cf(Get::With(&["Queues"], |p| p.get("Queues")?.get(0).cloned())),
            row("policy", "PolicyDocument", "policy").canon(Policy),
        ],
        "AWS::SNS::Subscription" => vec![
            row("topic", "TopicArn", "topic_arn"),
            row("protocol", "Protocol", "protocol"),
            row("endpoint", "Endpoint", "endpoint"),
            row("filter", "FilterPolicy", "filter_policy").canon(Json),
            row("filter_scope", "FilterPolicyScope", "filter_policy_scope").or(r#""MessageAttributes""#),
            row("raw_delivery", "RawMessageDelivery", "raw_message_delivery").or("false"),
            row("redrive", "RedrivePolicy", "redrive_policy").canon(Json),
        ],
        _ => Vec::new(),
    }
}

/// The properties that identify a resource among those of its type, in
/// both targets alike (a reference counts by what it refers to, not by
/// which attribute). Types without any are paired through the references
/// of paired resources.
pub fn key(ty: &str) -> &'static [&'static str] {
    match ty {
        "AWS::Lambda::Function"
        | "AWS::Logs::LogGroup"
        | "AWS::S3::Bucket"
        | "AWS::Events::EventBus"
        | "AWS::ApiGatewayV2::Api" => &["name"],
        "AWS::Lambda::Permission" => &["function", "action", "principal", "source_arn"],
        "AWS::Lambda::EventSourceMapping" => &["function", "event_source"],
        "AWS::Kinesis::StreamConsumer" => &["stream", "name"],
        "AWS::Lambda::EventInvokeConfig" | "AWS::Lambda::Url" => &["function"],
        "AWS::Lambda::Alias" => &["function", "alias_name"],
        "AWS::Lambda::LayerVersion" => &["name"],
        "AWS::ApiGatewayV2::Stage" => &["api", "stage_name"],
        "AWS::ApiGatewayV2::Route" => &["api", "route_key"],
        "AWS::ApiGatewayV2::Authorizer" => &["api", "name"],
        "AWS::ApiGatewayV2::Integration" => &["api", "function"],
        "AWS::SNS::Subscription" => &["topic", "endpoint"],
        "AWS::SQS::QueuePolicy" => &["queue"],
        "AWS::Events::Rule" => &["targets", "bus"],
        "AWS::StepFunctions::StateMachine" => &["name"],
        "AWS::Scheduler::Schedule" => &["target"],
        _ => &[],
    }
}

/// Reads a dotted path; a list of one (a Terraform block, or a
/// CloudFormation list of one) is stepped into.
pub fn at(value: &Value, path: &str) -> Option<Value> {
    let mut current = value.clone();
    for segment in path.split('.') {
        if let Value::Array(items) = &current {
            if items.len() != 1 {
                return None;
            }
            current = items[0].clone();
        }
        current = current.get(segment)?.clone();
    }
    Some(current)
}

pub fn read(get: &Get, props: &Value) -> Option<Value> {
    match get {
        Get::Path("") => None,
        Get::Path(path) => at(props, path).filter(|v| !v.is_null()),
        Get::With(_, read) => read(props),
    }
}

/// The top-level properties a getter reads.
pub fn reads(get: &Get) -> Vec<&'static str> {
    match get {
        Get::Path("") => Vec::new(),
        Get::Path(path) => vec![path.split('.').next().unwrap_or(path)],
        Get::With(keys, _) => keys.to_vec(),
    }
}

/// A package's `filename` under `path.module`, as the S3 key
/// CloudFormation reads it from (the artifacts bucket is its only).
fn package_key(props: &Value) -> Option<Value> {
    let file = props.get("filename")?.as_str()?;
    Some(json!(file.trim_start_matches("${path.module}/")))
}

/// The function a permission is on: the function itself, or the alias or
/// version its qualifier names (CloudFormation names an alias by its ARN,
/// Terraform by the function and the alias's name).
fn qualified(props: &Value, function: &str, qualifier: &str) -> Option<Value> {
    let function = props.get(function)?.as_str()?;
    let Some(qualifier) = props.get(qualifier).and_then(Value::as_str) else { return Some(json!(function)) };
    // `⟦aws_lambda_alias.x|name⟧`: the alias itself.
    let alias = qualifier.strip_prefix('⟦').and_then(|q| q.strip_suffix("|name⟧")).filter(|id| !id.contains('⟧'));
    Some(match alias {
        Some(id) => json!(format!("⟦{id}|arn⟧")),
        None => json!(format!("{function}:{qualifier}")),
    })
}

fn pairs(list: &Value, first: &str, second: &str) -> Option<Value> {
    let items = list.as_array()?;
    Some(Value::Array(items.iter().map(|i| json!([i.get(first), i.get(second)])).collect()))
}

/// Each filter's pattern, as JSON whether written as text or as an object.
fn patterns(filters: &Value, key: &str) -> Option<Value> {
    let filters = filters.as_array()?;
    Some(Value::Array(
        filters
            .iter()
            .map(|f| match f.get(key) {
                Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| json!(text)),
                other => other.cloned().unwrap_or(Value::Null),
            })
            .collect(),
    ))
}

/// Each global secondary index as `[name, hash key, range key, projection]`.
fn cloudformation_indexes(list: &Value) -> Option<Value> {
    let index = |i: &Value| {
        json!([i.get("IndexName"), key_of(i, "HASH"), key_of(i, "RANGE"), i.pointer("/Projection/ProjectionType")])
    };
    Some(Value::Array(list.as_array()?.iter().map(index).collect()))
}

/// Terraform's `global_secondary_index` blocks as [`cloudformation_indexes`] reads CloudFormation's.
fn terraform_indexes(list: &Value) -> Option<Value> {
    let index = |i: &Value| json!([i.get("name"), i.get("hash_key"), i.get("range_key"), i.get("projection_type")]);
    Some(Value::Array(list.as_array()?.iter().map(index).collect()))
}

fn key_of(props: &Value, key_type: &str) -> Option<Value> {
    let schema = props.get("KeySchema")?.as_array()?;
    schema.iter().find(|k| k.get("KeyType").and_then(Value::as_str) == Some(key_type))?.get("AttributeName").cloned()
}

/// Policies by name: `{ name: document }`.
fn named_documents(list: &Value, name: &str, document: &str) -> Option<Value> {
    let items = list.as_array()?;
    Some(Value::Object(
        items
            .iter()
            .map(|p| {
                let key = p.get(name).and_then(Value::as_str).unwrap_or("(unnamed)").to_string();
                (key, p.get(document).cloned().unwrap_or(Value::Null))
            })
            .collect(),
    ))
}

/// S3 → Lambda and S3 → SQS notifications as (event, function or queue,
/// prefix, suffix).
fn cloudformation_notifications(props: &Value) -> Option<Value> {
    let configuration = props.get("NotificationConfiguration")?;
    let mut out = Vec::new();
    for (list, target) in [("LambdaConfigurations", "Function"), ("QueueConfigurations", "Queue")] {
        for config in configuration.get(list).and_then(Value::as_array).into_iter().flatten() {
            let rules = config.pointer("/Filter/S3Key/Rules").and_then(Value::as_array).cloned().unwrap_or_default();
            let rule = |name: &str| {
                rules
                    .iter()
                    .find(|r| {
                        r.get("Name").and_then(Value::as_str).map(str::to_ascii_lowercase).as_deref() == Some(name)
                    })
                    .and_then(|r| r.get("Value").cloned())
            };
            out.push(json!([config.get("Event"), config.get(target), rule("prefix"), rule("suffix")]));
        }
    }
    Some(Value::Array(out))
}

fn terraform_notifications(props: &Value) -> Option<Value> {
    let notifications = props.get("+aws_s3_bucket_notification")?.as_array()?;
    let mut out = Vec::new();
    for notification in notifications {
        for (block, target) in [("lambda_function", "lambda_function_arn"), ("queue", "queue_arn")] {
            for config in notification.get(block).and_then(Value::as_array).into_iter().flatten() {
                for event in config.get("events").and_then(Value::as_array).into_iter().flatten() {
                    out.push(json!([
                        event,
                        config.get(target),
                        config.get("filter_prefix"),
                        config.get("filter_suffix")
                    ]));
                }
            }
        }
    }
    Some(Value::Array(out))
}
