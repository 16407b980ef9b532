//! The code table: every diagnostic code, its severity, a short title and
//! the explanation `explain-code` and `docs/codes.md` show. `LF0xxx` syntax,
//! `LF1xxx` names and types, `LF2xxx` graph, `LF3xxx` rules, `LF4xxx`
//! grants and limits.

use super::Severity;
use serde::Serialize;

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $title:literal, $explanation:literal;)*) => {
        /// A diagnostic code. `LF0xxx` syntax, `LF1xxx` names and types,
        /// `LF2xxx` graph, `LF3xxx` rules, `LF4xxx` grants and limits.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The code's name as an identifier (`VisibilityTimeout`), for
            /// tools that show rule names (SARIF).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => stringify!($variant),)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A short title, as `lambdaform explain-code` lists it.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// What the problem is and how to fix it.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explanation,)* }
            }
        }
    };
}

/// Where each code is explained: `docs/codes.md`, one heading per code.
pub const CODES_URL: &str = "https://github.com/lambdaform/lambdaform/blob/main/docs/codes.md";

impl Code {
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }

    /// `…/codes.md#lf1002`: the heading that explains this code.
    pub fn help_uri(self) -> String {
        format!("{CODES_URL}#{}", self.as_str().to_ascii_lowercase())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

codes! {
    Syntax = "LF0001", Error, "syntax error",
        "The text does not follow the grammar (docs/language.md) at this point. The message says what the parser expected; the rest of the file is still checked, block by block. Inside a block, each statement that does not parse is reported (a line, or the lines its brackets hold), and the block is checked without it; an attribute written on a broken line is not also reported missing. A block whose first line, closing brace or brackets are broken is reported once and left out.";
    TooDeep = "LF0002", Error, "nesting too deep",
        "Lists and objects may nest at most 64 levels. Deeper nesting is refused before parsing so that the compiler never exhausts its stack.";
    InvalidUtf8 = "LF0003", Error, "file is not UTF-8",
        "Lambdaform sources must be UTF-8. The label points at the first byte that is not; re-save the file as UTF-8.";
    NumberTooLarge = "LF0004", Error, "number too large",
        "An integer, duration or size literal does not fit in 64 bits once its unit is applied.";
    BadEscape = "LF0005", Error, "unknown string escape",
        "Strings know the escapes \\\" \\\\ \\n and \\t only.";
    DuplicateName = "LF1001", Error, "duplicate name",
        "Names are unique in an app, whatever their kind: two blocks with one name would share one logical id in the output. Rename one of them.";
    UnknownName = "LF1002", Error, "unknown name",
        "A reference names nothing declared in the app. Fix the spelling (the help suggests the closest name), or declare the resource: the help shows a declaration of a kind that fits where the name is written (an `api` for a route, a `queue` for `send`, the kinds a verb is done to).";
    UnknownKind = "LF1003", Error, "unknown kind",
        "The first word of a top-level block is its kind: one of the stdlib kinds, a built-in kind (function, network, api, schedule) or a kind declared with `kind NAME { ... }`. The help suggests the kind likely meant, also for a resource type as CloudFormation or Terraform name it (`dynamodb_table` or `SqsQueue`).";
    UnknownAttribute = "LF1004", Error, "unknown attribute",
        "The kind does not define this attribute. The help lists the attributes it does define, names the kinds that take the attribute where others do (`retention` is a queue's or a stream's), and otherwise suggests the one likely meant, also for a key written as SAM, CloudFormation or Terraform write it (`MemorySize` or `memory_size` for `memory`).";
    WrongType = "LF1005", Error, "wrong value type",
        "The attribute expects another type of value, for example a size with a unit (`512MB`) or a duration (`10s`) rather than a bare number. The help writes the value in the type expected where it can: a bare number with the unit that puts it in the attribute's range (`timeout = 900` is `900s`, `log_retention = 14` is `14d`), a quoted literal without its quotes (`\"1GB\"` is `1GB`).";
    OutOfRange = "LF1006", Error, "value out of range",
        "The value is outside the range AWS accepts for this setting (AWS-RULES.md gives the source).";
    MissingAttribute = "LF1007", Error, "missing required attribute",
        "The kind requires this attribute and has no default for it.";
    WrongKind = "LF1008", Error, "reference to the wrong kind",
        "The attribute or statement needs a resource of another kind, for example `network = private` must name a `network` block.";
    UnknownVerb = "LF1009", Error, "verb not defined for the target",
        "A function may only use on a resource the verbs its kind defines (`read` a table, `send` to a queue ...). The help lists the valid verbs, names the kinds a verb is for where it is another kind's (`publish` is for a topic), and otherwise suggests the verb likely meant (`SendMessage` for `send`).";
    BadName = "LF1010", Error, "invalid name",
        "Names are lower case: a letter, then letters, digits and underscores (`[a-z][a-z0-9_]*`). They become parts of logical ids and physical names.";
    UnknownTriggerOption = "LF1011", Error, "unknown trigger option",
        "Each source kind has its own trigger options (docs/language.md, section Triggers). The help lists the valid ones, names the triggers that take the option where others do, and otherwise suggests the option likely meant (`BatchSize` for `batch`).";
    NotATrigger = "LF1012", Error, "kind cannot trigger a function",
        "Only queues, tables (their stream), streams, topics, buckets, buses, schedules and apis invoke functions.";
    BadExistingArn = "LF1013", Error, "existing resource of the wrong service",
        "An `existing` resource is given by its ARN (or, where the kind allows, its name). The ARN must belong to the kind's service and resource type.";
    DuplicateAttribute = "LF1014", Error, "attribute set twice",
        "An attribute may be set once per block.";
    DuplicateApp = "LF1015", Error, "more than one app block",
        "An app has at most one `app` block, in any of its files.";
    InvalidValue = "LF1016", Error, "invalid value",
        "The value is not one of those the attribute accepts, or does not have the form it needs (the message says which).";
    NotCreatable = "LF1017", Error, "kind can only be existing",
        "Lambdaform v0 wires to this kind but does not create it: declare it with `existing KIND NAME = \"ARN\"`.";
    UnknownField = "LF1018", Error, "unknown readable attribute",
        "`name.attr` reads an attribute the kind exposes (for example `orders.name`, `jobs.url`, `jobs.arn`). The help lists them.";
    BadKindDeclaration = "LF1019", Error, "invalid kind declaration",
        "A `kind NAME { ... }` block (in the stdlib or in an app) is malformed: the message says which part.";
    BadRoute = "LF1020", Error, "invalid route",
        "An api trigger takes a route `\"METHOD /path\"` (METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY; path starting with `/`) or `\"$default\"`. Other sources take no route. A method in lower case, a path without its method and SAM's `{ method = ..., path = ... }` are each answered with the route to write.";
    MisplacedStatement = "LF1021", Error, "statement not allowed here",
        "Verbs, triggers, mounts, `allow` and `async` belong inside a `function` block; other blocks hold attributes only.";
    NotExistable = "LF1022", Error, "kind cannot be existing",
        "This kind is declared by the app itself and cannot refer to an existing resource.";
    DuplicateRoute = "LF1023", Error, "route used twice",
        "An HTTP API route (method and path), or a WebSocket API's route key (`$connect`, `sendMessage`), may lead to one function only.";
    ExistingWildcard = "LF1024", Error, "existing resource given with a wildcard",
        "An `existing` resource is one resource, given by its exact name or ARN, and the functions that use it are granted on exactly that string. `*` and `?` are wildcards in IAM: `arn:aws:s3:::*` would grant on every bucket, `partner-*` on every queue so named, in any app and any account the ARN allows. Give the exact name or ARN, and declare each resource the app uses.";
    ArnMissingField = "LF1025", Error, "ARN without its region or account",
        "The service's ARNs carry the region and the account of the resource (`arn:aws:sqs:eu-west-1:123456789012:jobs`). An ARN with an empty field names no resource of the service: write the resource's region and account. (S3 bucket ARNs are the exception, with neither.)";
    UnknownPartition = "LF1026", Error, "unknown partition",
        "The second field of an ARN is its partition: `aws`, `aws-cn` (China), `aws-us-gov` (GovCloud), `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f` (the isolated regions) or `aws-eusc` (the European Sovereign Cloud). Any other value names nothing AWS has.";
    UnjustifiedGrant = "LF1027", Error, "wide grant without a reason",
        "A grant in a kind the app declares must say why when it reaches beyond one resource's ordinary use: an action with a wildcard (`*`, `s3:*`, `s3:Get*`) grants every action it matches, including those AWS adds later; an action of IAM, STS or Organizations lets the function change permissions, assume roles or act on the organization; the resource `any` is every resource. Write `why = \"...\"` in the grant, saying why nothing narrower serves: `explain` shows the reason beside the statement, and the CloudFormation role's metadata keeps it. Better still, list the exact actions on the exact resource.";
    DuplicateKey = "LF1028", Error, "key set twice",
        "A key appears once per object: AWS takes one value per environment variable and per tag, and of a pattern or filter written with a key twice, one value would be dropped without a word. Keep one of the two.";
    BadTag = "LF1029", Error, "invalid tag",
        "AWS's tagging rules: a key has 1 to 128 characters and a value at most 256; both hold letters, digits and spaces of any script and `_ . : / = + - @` only; keys starting with `aws:` are AWS's own, and keys starting with `lambdaform:` are the two Lambdaform puts on every resource (`lambdaform:app`, `lambdaform:stage`); a resource takes at most 50 tags, so an app sets at most 48.";
    BadDomain = "LF1040", Error, "invalid custom domain",
        "An api's custom domain is written `domain = { name = \"api.example.com\", certificate = CERT, base_path = \"v1\" }`: `name` a fully qualified domain name in lower case (a leading `*.` for a wildcard), `certificate` the name of an `existing certificate` (an ACM certificate's ARN) that covers it, and `base_path`, optional, the path under the domain the API answers at (segments of letters, digits, `-`, `_`, `.` and `~` joined by `/`, without a leading `/`; the root when left out). `name` and `certificate` are required; no other key is known.";
    BadUsagePlan = "LF1041", Error, "invalid usage plan",
        "A REST API's usage plan is a named block `usage_plan NAME { keys = [\"acme\"], rate = 50, burst = 100, quota = 10000, period = month }`. It needs a name, unique in its api, and at least one API key; each key is named by a string of 1 to 128 letters, digits, `-`, `_` or `.`, and becomes one API key of that name whose value API Gateway generates.";
    RestBasePath = "LF1042", Error, "REST API base path of several segments",
        "A REST API's custom domain maps it with a base path mapping (`AWS::ApiGateway::BasePathMapping`, `aws_api_gateway_base_path_mapping`), whose base path is one segment (`v1`). Paths of several segments (`orders/v1`) are API mappings of regional domains, which Lambdaform writes for HTTP APIs only. Use one segment, and route the rest of the path in the API.";
    UnknownAuthorizer = "LF1030", Error, "unknown authorizer",
        "`auth` names who may call a route: `none`, `iam`, or one of the authorizers declared in the route's API (`authorizer NAME { ... }` inside the `api` block). The name given is none of them; an authorizer of another API does not count.";
    BadIssuer = "LF1031", Error, "invalid JWT issuer",
        "A JWT authorizer's `issuer` is an existing Cognito user pool (`existing user_pool users = \"arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID\"`, named without quotes), whose issuer URL Lambdaform derives, or the issuer's URL as a string beginning with `https://`, as API Gateway requires.";
    BadCors = "LF1032", Error, "invalid CORS configuration",
        "`cors` is an object with `origins`, `methods`, `headers` and `expose` (lists of strings), `credentials` (`true` or `false`) and `max_age` (a duration up to 86400s). Methods are HTTP methods or `*`; an origin is `*` or `scheme://host[:port]`.";
    BadIdentitySource = "LF1033", Error, "invalid identity source",
        "A request authorizer's `identity` lists where API Gateway reads the caller's identity: `$request.header.NAME`, `$request.querystring.NAME`, `$context.NAME` or `$stageVariables.NAME`; a WebSocket API's, on `$connect`, writes them without the `$`: `route.request.header.NAME`, `route.request.querystring.NAME`, `context.NAME`, `stageVariables.NAME`. A request that lacks one of them is refused with 401 before the authorizer runs.";
    UnnamedAuthorizer = "LF1034", Error, "authorizer without a name",
        "An authorizer is declared inside its API's block as `authorizer NAME { type = ... }`; routes and the API's `auth` refer to it by that name, and the name must be unique within the API.";
    AuthorizerApiType = "LF1043", Error, "authorizer type of the other API type",
        "API Gateway's API types have different authorizers. An HTTP API checks JSON Web Tokens itself (`type = jwt`, with a Cognito user pool as its `issuer`) and calls Lambda `request` authorizers. A REST API checks a Cognito user pool's tokens with `type = cognito` (`user_pools = [POOL]`) and calls Lambda `token` authorizers (one header) and `request` authorizers; it has no JWT authorizer. A WebSocket API calls `request` authorizers only, on `$connect`. Use the type the API has, or change the api's `type`.";
    RestCorsOrigin = "LF1044", Error, "REST API CORS without exactly one origin",
        "A REST API answers CORS preflight requests with an `OPTIONS` method whose mock integration returns fixed headers, and its error responses with gateway responses: both carry one `Access-Control-Allow-Origin` value, chosen when the API is built, not per request as an HTTP API does. So `cors` on a REST API names exactly one origin: `origins = [\"https://shop.example.com\"]`, or `[\"*\"]` (without `credentials`). To serve several origins, use an HTTP API, or answer `OPTIONS` in a function of your own (remove `cors`, add an `OPTIONS` route).";
    BadWebSocketRoute = "LF1035", Error, "invalid WebSocket route key",
        "A WebSocket API's route key is `$connect` (a client connects), `$disconnect` (it left), `$default` (a message no other route matches) or a message route key: 1 to 128 letters, digits and `_ - . :`, the value the route selection expression (`route_selection`, default `$request.body.action`) reads from each message, such as `sendMessage`. API Gateway reserves every other key that starts with `$`.";
    RouteForOtherApiType = "LF1036", Error, "route of the other API type",
        "HTTP APIs route requests by `\"METHOD /path\"` (or `\"$default\"`); WebSocket APIs route messages by route key (`$connect`, `$disconnect`, `$default`, `sendMessage`). A `\"METHOD /path\"` route on a `type = websocket` API, or a `$connect`/`$disconnect` route on an HTTP API, would never be called: write the route of the API's type, or set the API's `type`.";
    ManageNotWebSocket = "LF1037", Error, "manage on an API that is not a WebSocket API",
        "`manage API` grants `execute-api:ManageConnections` on the connections of a WebSocket API's stage, so that the function can send messages to connected clients (POST to `@connections/{id}`). HTTP APIs have no connections: set `type = websocket` on the API, or remove the statement.";
    RouteAuthNotConnect = "LF1038", Error, "authorization on a route that takes none",
        "A WebSocket API authorizes a client once, when it connects: only the `$connect` route takes `auth` (AWS refuses authorization on other WebSocket routes). Move `auth` to the `$connect` route, or to the API (`auth = iam` or `auth = none`).";
    WebSocketOnly = "LF1039", Error, "WebSocket setting on an HTTP API",
        "`route_selection` and the readable `callback_url` belong to WebSocket APIs (`type = websocket`): an HTTP API has no route selection expression, no connections and no callback URL. Set `type = websocket`, or remove the setting.";
    NotAMachineTrigger = "LF1055", Error, "kind cannot start a state machine",
        "A state machine is started by a schedule (`on nightly`: an EventBridge rule or Scheduler schedule whose role may start it) or by a bus (`on orders_bus { pattern = { ... } }`: a rule on the bus), and by functions that say `start NAME`. Queues, tables, streams, topics, buckets and apis invoke functions only.";
    UnknownPlaceholder = "LF1056", Error, "unknown placeholder in a state machine definition",
        "A state machine's definition names the app's resources as `${name}` (the resource's ARN) or `${name.field}` (a readable field such as `${jobs.url}`), and the compiler fills them in for both outputs. The name must be one the app declares, and the field one its kind exposes; `$` followed by anything else is kept as written (JSONPath such as `$.order` is untouched). The help suggests the closest name.";
    BadDefinitionFile = "LF1057", Error, "state machine definition cannot be read as JSON",
        "A state machine's `definition` is the path of an Amazon States Language file relative to the app: a UTF-8 JSON object of at most 1 MB (Step Functions' limit on a definition) nested at most 64 levels. The message says what is wrong and where in the file: a file that cannot be read, bytes that are not UTF-8, or JSON that does not parse (line and column in that file).";
    BadDefinition = "LF1058", Error, "invalid Amazon States Language",
        "The definition parses as JSON but is not a valid state machine: `StartAt` must name a state of `States`; every `Next`, `Default` and Choice rule's `Next`, and every Catch's `Next`, must name a state of the same `States` object; a state has a known `Type`; a Task has a `Resource`; a Choice has `Choices`; a Parallel has `Branches` and a Map an `ItemProcessor` (or `Iterator`), each itself a state machine; every state but Choice, Succeed and Fail either goes `Next` or is `End`. Step Functions refuses such a definition when the stack is deployed; the compiler says so at the line.";
    UninferableTask = "LF1059", Error, "Task whose permissions cannot be inferred",
        "The compiler grants the state machine's role exactly what its Task states call: Lambda functions (`arn:aws:states:::lambda:invoke` with `FunctionName`, or a function's ARN as the Resource), DynamoDB `getItem`, `putItem`, `updateItem` and `deleteItem` on a table, SQS `sendMessage`, SNS `publish`, EventBridge `putEvents` and Step Functions `startExecution` (also `.sync` and `.sync:2`), and AWS SDK calls (`aws-sdk:s3:putObject`) on DynamoDB, S3, SQS, SNS, EventBridge, Secrets Manager, SSM parameters and Kinesis whose IAM action a verb of the target's kind grants, on the ARN forms that verb grants it on. The target must be an app resource written as a placeholder (`\"TableName\": \"${orders}\"`, `\"QueueUrl\": \"${jobs.url}\"`) of the kind the integration acts on. Any other Resource, or a target given as a literal ARN or a JSONPath (`TableName.$`), would need a grant the compiler cannot bound: name the resource with a placeholder, or move the call into a function the state machine invokes.";
    NotAStateMachine = "LF1060", Error, "start on something that is not a state machine",
        "`start NAME` lets a function start executions of a state machine (`states:StartExecution` on it), and `start_sync NAME` run an Express state machine synchronously. The target must be a `state_machine`.";
    InputNeedsValue = "LF1045", Error, "input where the compiler needs the value",
        "An input's value is known when the app is deployed, never when it is built. It may stand where the compiler only passes a value on to AWS: a network's `subnets` and `security_groups`, a function's `env` values, an `existing` ARN, and the account, role or organization of `allow invoke from`. Elsewhere the compiler needs the value itself (to check a range or a runtime, read a package, convert a unit, wire a resource, or read a queue's URL out of an ARN): the message names the attribute and why.";
    InputDefaultMismatch = "LF1046", Error, "input default does not match its pattern",
        "CloudFormation (`AllowedPattern`) and Terraform (`validation`) refuse a value the input's pattern does not match whole, the default included: correct one of the two.";
    InputWrongType = "LF1047", Error, "input of the wrong type",
        "A list attribute (`subnets`) takes a `list` input; an item of a list, an environment value, an ARN or an account takes a `string` input; a verb, trigger or `network =` takes a resource, never an input.";
    InputArnUnchecked = "LF1048", Error, "input ARN of an unchecked service",
        "An existing resource given by an input is granted its kind's actions, so the input must hold an ARN of that kind: its `pattern` writes the service (and the resource type, such as `table/`) literally, `^arn:aws:sqs:…`, and its default, if any, is such an ARN.";
    BadInputPattern = "LF1049", Error, "invalid input pattern",
        "An input's `pattern` is a regular expression that both CloudFormation (Java) and Terraform (RE2) apply to the whole value: classes, repetitions and groups, no lookaround or backreferences.";
    Cycle = "LF2001", Error, "dependency cycle",
        "Resources reference each other in a circle (a queue redriving into a queue that redrives back, environment values that read each other), so no order exists in which to create them. The message lists the whole cycle; break it by removing one reference.";
    BadAlias = "LF1050", Error, "invalid alias name",
        "An alias name is 1 to 128 letters, digits, `-` and `_`, and not only digits (Lambda reads a number as a version). Write a word such as `alias = \"live\"`.";
    ZipAttributeOnImage = "LF1051", Error, "package attribute on an image function",
        "A function whose package is a container image (`image`) takes its runtime, entry point and code from the image: Lambda refuses `Runtime`, `Handler` and `Layers` with `PackageType: Image` (AWS-RULES.md §1), and `code` would be a second package. Remove the attribute, or remove `image` to ship a .zip package. A function with neither `image` nor `code` needs `runtime`, `handler` and `code` (LF1007).";
    BadImageUri = "LF1052", Error, "image URI is not an Amazon ECR image",
        "Lambda runs images from Amazon ECR private repositories only, named `ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG` or `…/REPOSITORY@sha256:DIGEST`. Push the image to ECR in the app's region and write its URI.";
    BadLayerRuntimes = "LF1053", Error, "invalid layer runtimes",
        "A layer lists 1 to 15 compatible runtimes (`CompatibleRuntimes`), each a Lambda runtime identifier such as `\"python3.12\"`, each once.";
    ReferenceInPattern = "LF1065", Error, "reference in an event pattern",
        "An EventBridge rule's `pattern`, an SNS `filter` and an event source mapping's `filters` are matched against the content of each event exactly as written. A `resource.field` reference there would have to be filled in with a value known only at deploy time, which not every output can write inside a pattern; rather than leave an empty string or drop the key, the compiler refuses it. Write the value the events carry as a string (the physical name or ARN the app gives the resource, which `lambdaform build` shows in its outputs).";
    PlaceholderForm = "LF1067", Error, "a Task parameter's placeholder in a form its API refuses",
        "A Task names its target in a parameter, and each API takes the target in one form: SQS's `QueueUrl` a queue's URL (`${jobs.url}`), S3's `Bucket` and Kinesis's `StreamName` a name (`${exports.name}`), SNS's `TopicArn` and Step Functions' `StateMachineArn` an ARN (`${alerts}`); DynamoDB's `TableName`, Lambda's `FunctionName`, EventBridge's `EventBusName`, Secrets Manager's `SecretId` and SSM's `Name` take a name or an ARN. A placeholder in another form is filled in and deployed, and the call fails each time the Task runs. Write the placeholder the parameter takes.";
    ExistingFieldUnknown = "LF1066", Error, "field not in an existing resource's ARN",
        "The fields of an `existing` resource are read from the ARN (or name) the app gives, the same value in both outputs: its `arn`, its `name`, a queue's `url`, and a table's `stream_arn` when the ARN is the stream's (LF3036). A field that a declared kind adds is not in the ARN, and CloudFormation has no way to look it up when the stack deploys. Nor is the ARN of a secret given by name: Secrets Manager ends it in six characters of its own, so the grants use it as a pattern (`…:secret:NAME-??????`), which names nothing as a value. Write the value as a string where it is used (a secret's name serves where its ARN would), give the full ARN, or give the value as an input.";
    EnvInterpolation = "LF1068", Warning, "`${...}` in an environment variable",
        "Lambdaform strings take no interpolation: a variable written `\"${orders.name}\"` (as CloudFormation's `Fn::Sub`, Serverless's `${self:...}` or Terraform's `${...}` would read it) is set to that text as written, and the function reads the text, not the table's name. Write the reference as the value, `TABLE = orders.name`, which both outputs fill in at deploy time; text around it is joined in the function's code. Lambda sets `AWS_REGION` in every function's environment.";
    DuplicateDefaults = "LF1069", Error, "more than one defaults block for a kind",
        "A kind has one `defaults KIND { ... }` block: two could give one attribute two values, and which one a resource takes would depend on the order of the files. Merge them into one.";
    NotADefault = "LF1070", Error, "attribute that takes no default",
        "A few attributes belong to one resource alone, and a defaults block cannot give them: a function's `url` (the function's own endpoint), an api's `domain` (a custom domain maps to one API) and its `cors` (what each API answers to browsers). Set them in the block of the resource that has them.";
    UnusedDefault = "LF1071", Warning, "defaults no resource takes",
        "A `defaults KIND { ... }` block gives its attributes to every resource of the kind the app creates that does not write its own. A block of a kind the app creates none of, or an attribute every such resource writes itself (or, for a function's `runtime`, `handler`, `code` and `layers`, that every function without its own ships an image, which takes none of them), is taken by none: it changes nothing, and reads as if it did.";
    ExistingNameRefused = "LF1072", Error, "existing name AWS does not accept",
        "An `existing` resource given by name (or by an ARN that ends in one) is granted on that name, so a name AWS does not accept for the kind names nothing, and the grant never matches what the function sends from. An SES `email_identity` is a verified domain (`mail.example.com`) or email address (`support@example.com`); a `configuration_set` or `email_template` name is up to 64 letters, digits, `-` and `_`. A Bedrock `model` is a model id, `PROVIDER.MODEL` (`amazon.nova-lite-v1:0`); an id with a geography in front (`eu.anthropic.…`) is a cross-Region `inference_profile`, and a profile's id must have one. A `knowledge_base` id is 10 letters and digits, a `guardrail` id lower-case letters and digits, an `agent` the agent's and the alias's ids (`AGENT12345/ALIAS12345`), a `delivery_stream` name up to 64 letters, digits, `_`, `.` and `-`.";
    RuntimeUnknown = "LF3001", Error, "runtime unknown or blocked",
        "The runtime is not one Lambda accepts for new functions: it is misspelt, or Lambda has blocked it, from the day AWS blocks creating functions on it (the table in src/validate/runtimes.rs holds AWS's dates). Every stage an app is deployed to creates its functions, so a runtime that only existing functions may keep cannot serve. The day is the one given with `--today`, else `LAMBDAFORM_TODAY`, else the clock's. The help names a supported runtime of the same family.";
    RuntimeDeprecated = "LF3002", Warning, "runtime deprecated",
        "AWS has deprecated the runtime: it no longer gets security patches, and Lambda will refuse new functions on it from the date the message names (then updates too). The help names a supported runtime of the same family.";
    BadHandler = "LF3003", Error, "handler does not fit the runtime",
        "Each runtime family writes its handler its own way: `file.function` for Python, Node.js and Ruby, `package.Class::method` for Java, `Assembly::Namespace.Class::Method` for .NET.";
    BadEnvironment = "LF3004", Error, "invalid environment",
        "Environment variable names start with a letter and have at least two characters of letters, digits and `_`; Lambda reserves some names (AWS_REGION, _HANDLER, ...); all keys and values together hold at most 4 KB.";
    NeedsNetwork = "LF3005", Error, "needs a network",
        "EFS mounts and RDS proxies are reached inside a VPC only: the function needs `network = NAME`.";
    VisibilityTimeout = "LF3006", Error, "queue visibility timeout below the function timeout",
        "Lambda refuses an SQS event source whose queue hides messages for less time than the function may run (InvalidParameterValueException). AWS recommends 6 × the function timeout.";
    BatchWindow = "LF3007", Error, "queue batch needs a window",
        "An SQS mapping with a batch above 10 needs `window` of at least 1s; a FIFO queue takes batches of at most 10, and no `window` (Lambda supports batching windows on standard queues only).";
    TableWithoutStream = "LF3008", Error, "table has no stream",
        "A table triggers a function through its stream: set `stream` on the table.";
    FifoTarget = "LF3009", Error, "FIFO queue or topic as a destination",
        "Lambda delivers destinations and dead letters to standard queues and topics only; a FIFO target drops the record.";
    BadNetwork = "LF3010", Error, "invalid network",
        "A network lists 1 to 16 subnet ids (`subnet-` and 8 or 17 hex digits) and 1 to 5 security group ids (`sg-` ...).";
    MemoryQuota = "LF3011", Warning, "memory above the default quota",
        "New AWS accounts may run functions with at most 3008MB until their quota is raised; a larger function fails to deploy there.";
    BadLayers = "LF3012", Error, "invalid layers",
        "A function takes at most 5 layers, each given as a layer version ARN (`arn:aws:lambda:REGION:ACCOUNT:layer:NAME:VERSION`).";
    ConcurrencyZero = "LF3013", Warning, "reserved concurrency 0",
        "Reserving 0 concurrent executions throttles every invocation: the function never runs, and asynchronous events go straight to the dead letter target.";
    SingleSubnet = "LF3014", Warning, "single subnet",
        "A network with one subnet places its functions in one Availability Zone; list subnets in at least two.";
    BadMount = "LF3015", Error, "invalid mount",
        "A function mounts at most one EFS access point, at `/mnt/NAME` (letters, digits, `-`, `_`, `.`; 160 characters at most).";
    VpcNeedsEndpoints = "LF3016", Info, "VPC function calls AWS services",
        "A function in a VPC has no internet access of its own: its calls to AWS services need a NAT gateway or VPC endpoints in the subnets.";
    AsyncUnused = "LF3017", Warning, "async settings on a function nothing invokes asynchronously",
        "`async { ... }` and `dead_letter` apply to asynchronous invocations (S3, SNS, EventBridge, other functions). A function triggered only by queues, streams or APIs never uses them.";
    SelfDestination = "LF3018", Warning, "destination is the function itself",
        "A function whose destination is itself invokes itself with every result, until the event grows too old.";
    VisibilityBelowRecommended = "LF3019", Warning, "visibility timeout below AWS's recommendation",
        "AWS recommends a queue visibility timeout of at least 6 × the function timeout plus the batching window, so that retried batches do not overlap.";
    RedriveMismatch = "LF3020", Error, "dead letter queue of the other type",
        "A queue's dead letter queue must be FIFO when the queue is, and standard when it is not.";
    SharedQueue = "LF3021", Warning, "two functions consume one queue",
        "Each message goes to one consumer only, so two functions on one queue split its messages. Use a topic to fan out.";
    ApiTimeout = "LF3022", Warning, "function outlasts the HTTP API",
        "An HTTP API integration waits at most 30 seconds, a REST API's 29 seconds (AWS may raise a regional REST API's on request); a longer function timeout only means the client gets an error first (503 from an HTTP API, 504 from a REST API).";
    S3Overlap = "LF3023", Error, "overlapping S3 notifications",
        "S3 rejects two notification configurations on one bucket for the same event type when their prefix and suffix filters can both match one key, whatever receives them: a function's trigger (`on BUCKET { ... }`) and a queue's subscription (`subscribe = BUCKET` with its `events`, `prefix` and `suffix`) are configurations of the same bucket. Give them prefixes or suffixes that cannot both match one key, or different event types.";
    BadSchedule = "LF3024", Error, "invalid schedule expression",
        "A schedule is `rate(1 minute)`, `rate(N minutes|hours|days)` or a 6-field `cron(min hour day month weekday year)` with `?` in day or weekday.";
    BadPattern = "LF3025", Error, "pattern leaf is not a list",
        "EventBridge patterns and SNS filter policies match lists of values: every leaf is a list (`source = [\"shop\"]`).";
    BadAllow = "LF3026", Error, "invalid allow principal",
        "`allow invoke from account` takes a 12-digit account id; `from role` an IAM role ARN (`arn:aws:iam::123456789012:role/NAME`, no wildcard); `from organization` an AWS Organization id (`o-` and 10 to 32 lowercase letters or digits).";
    Unused = "LF3027", Warning, "unused resource",
        "No function or resource refers to this resource: it is created and paid for, and does nothing.";
    InvokeCycle = "LF3028", Warning, "functions invoke each other in a loop",
        "Functions that invoke each other, directly or through destinations, in a circle can run forever and bill for it.";
    Recursion = "LF3029", Warning, "function triggers itself",
        "A function that writes to the bucket, or sends to the queue or topic, that triggers it invokes itself with its own output; so does one that writes to the bucket, topic or bus that a queue triggering it subscribes to, the loop passing through the queue. Lambda stops some loops after 16 rounds; a prefix or suffix filter the function never writes breaks the loop.";
    BadCodePath = "LF3030", Error, "invalid code path",
        "`code` is the path of the deployment package, relative to the app's folder and inside it (no `..`, not absolute), ending in `.zip` or `.jar`.";
    UnknownServicePrincipal = "LF3031", Error, "unknown service principal",
        "`allow invoke from service` names one AWS service that invokes Lambda functions, by its service principal (`events.amazonaws.com`, `s3.amazonaws.com`, `logs.amazonaws.com` ...; src/validate/principals.rs keeps the list). A misspelt principal grants nothing, and a pattern such as `*.amazonaws.com` is not accepted by AWS and would mean every service.";
    AllowWithoutSource = "LF3032", Error, "service permission without a source",
        "A permission for an AWS service without `source` lets any resource of that service, in any AWS account, invoke the function: any bucket's notifications, any topic, any rule. Every service Lambdaform knows is limited by the ARN of one of its resources: add `source \"ARN\"` (for S3 the bucket's ARN; Lambdaform adds `SourceAccount`, as bucket ARNs name no account). Alexa is limited by a skill id (an event source token), which Lambdaform does not write yet, so an Alexa permission is refused.";
    BadAllowSource = "LF3033", Error, "allow source is not one resource of the service",
        "The `source` of `allow invoke from service` is the ARN of the one resource that may invoke: of the principal's own service (a rule's ARN for `events.amazonaws.com`), with its region and account (none for S3 buckets), and without wildcards, which would match every resource of the service. AWS documents two wildcards that stay inside one resource, and they are accepted: an API's stage, method and path after its id (`arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/*/GET/orders`), and a log group's `:*`.";
    ExistingTableStreamUnknown = "LF3036", Error, "existing table's stream not given",
        "A function triggered by a table reads the table's stream, and a stream's ARN ends in a label that AWS chooses when the stream is turned on (`table/orders/stream/2024-05-01T10:00:00.000`). For a table the app creates, both outputs read it from the table; for an `existing` table nothing can, whether it triggers a function or its `stream_arn` is read, so give the stream's ARN as the table's (`existing table orders = \"arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-05-01T10:00:00.000\"`). The table's own ARN, for `read` and `write`, is the part before `/stream/`.";
    ExistingBucketTrigger = "LF3037", Error, "existing bucket as a trigger",
        "S3 keeps one notification configuration per bucket and replaces it whole. CloudFormation sets it only on a bucket its stack creates, and Terraform's `aws_s3_bucket_notification` on an existing bucket would replace every notification its owner set. So `on` an `existing` bucket, and a queue's `subscribe` of one, are refused in both targets: add the notification where the bucket is managed, and grant S3 the invoke here with `allow invoke from service \"s3.amazonaws.com\" source \"arn:aws:s3:::BUCKET\"` (for a queue, a queue policy there that lets `s3.amazonaws.com` send from that bucket).";
    EveryDatabaseUser = "LF3040", Warning, "connect grants every database user",
        "`connect PROXY` grants `rds-db:connect` on `dbuser:prx-…/*`: the function may sign in as any database user the proxy serves, the administrator included. Name the one it uses: `connect PROXY as \"app_user\"` grants that user's ARN alone.";
    BadDatabaseUser = "LF3041", Error, "invalid database user",
        "`as \"user\"` names the database user of `connect` to a proxy, and nothing else takes it. The name becomes the last part of an IAM resource ARN (`dbuser:prx-…/app_user`): 1 to 63 letters, digits and `_`, starting with a letter or `_`, so that no `*` or `?` can widen it to other users.";
    TooManyFilters = "LF3045", Error, "more than 5 filters on a trigger",
        "Lambda applies at most 5 filters (event patterns) to one event source mapping by default; a record that matches any of them is passed to the function. Merge filters on one field into one (a leaf list matches any of its values), or filter in the function.";
    BadPatternOperator = "LF3046", Error, "invalid matcher in a pattern",
        "A leaf of an event pattern, SNS filter policy or event source mapping filter is a list of values and matchers. A matcher is an object with one operator and its operand: `prefix`, `suffix`, `equals-ignore-case` (a string), `anything-but` (a value, a list of values, or one `prefix`/`suffix` matcher), `numeric` (`[\">\", 0, \"<=\", 5]`), `exists` (`true` or `false`); EventBridge adds `cidr` and `wildcard`, SNS `cidr`. The service refuses any other operator or shape when the stack is deployed. A pattern holds literal values only: a resource's attribute (`orders.arn`) cannot stand in it.";
    SubscriptionFifoMismatch = "LF3047", Error, "FIFO queue subscribed to a standard topic",
        "SNS delivers a standard topic's messages to standard queues only; a FIFO topic delivers to FIFO and standard queues. A FIFO queue whose `subscribe` names a standard topic would be refused when the subscription is created: make the topic FIFO (`fifo = true`), or the queue standard. An existing topic is FIFO when its ARN ends `.fifo`; one given by an input is judged by the input's default, which a deployment that gives no ARN gets, and without a default the rule cannot tell and says nothing (the deployment's topic decides, and SNS refuses a standard one when the subscription is created).";
    LogLevelWithoutJson = "LF3048", Error, "log level with text logs",
        "Lambda filters a function's logs by level (`log_level`, the application's; `system_log_level`, Lambda's own) only when they are JSON: with the text format, the default, the levels are refused (`LoggingConfig`). Set `log_format = json`, or remove the levels.";
    FilterNotPattern = "LF3049", Error, "filter is not a pattern object",
        "Each of a trigger's `filters` is one event pattern, an object such as `{ body = { status = [\"paid\"] } }`; a string or a list cannot be a filter.";
    OpenRoute = "LF3050", Warning, "route without authorization",
        "Every route of an API is public unless something says otherwise: with no `auth` on the route and none on its API, anyone on the internet may call the function. Say who may call: an authorizer of the API (`auth = members`), `auth = iam` (requests signed by an IAM principal whose policy allows `execute-api:Invoke`), or, for a route meant to be public, `auth = none` on the route or on the API.";
    JwtIncomplete = "LF3051", Error, "JWT authorizer without issuer or audience",
        "API Gateway accepts a JSON Web Token only when it checks both who issued it and for whom: a JWT authorizer needs `issuer` (an existing `user_pool`, or the issuer's `\"https://...\"` URL) and `audience` (a non-empty list: the app client ids of a user pool, or the `aud` values the issuer writes). AWS refuses to create one without them.";
    AuthorizerAuthorizesItself = "LF3052", Error, "authorizer function behind its own authorizer",
        "A request authorizer's function is invoked by API Gateway before the route's function. When the function is also the target of a route guarded by that same authorizer, each request to the route asks the function to authorize a call to itself: it answers for its own access, and its code must tell the two kinds of event apart. Give the authorizer its own function, or guard the route with another authorizer.";
    ScopesWithoutJwt = "LF3053", Error, "scopes on a route without a JWT authorizer",
        "`scopes` lists the OAuth scopes a route's token must carry (AuthorizationScopes), and only a JWT authorizer reads a token's scopes. On a route authorized by a request authorizer, `iam` or `none`, AWS refuses them. Remove `scopes`, or guard the route with a JWT authorizer.";
    CorsCredentialsWithAnyOrigin = "LF3054", Error, "CORS credentials with any origin",
        "Browsers refuse a response that allows credentials (`Access-Control-Allow-Credentials: true`) to every origin (`Access-Control-Allow-Origin: *`), and API Gateway refuses the configuration. List the origins that may send credentials (`origins = [\"https://shop.example.com\"]`), or drop `credentials`.";
    CacheWithoutIdentity = "LF3055", Error, "cached request authorizer without identity sources",
        "API Gateway caches a request authorizer's answer per identity: the values of its identity sources. With caching on (`cache` over 0s) and no `identity`, there would be nothing to key the cache by, and AWS refuses it. Name the sources (`identity = [\"$request.header.Authorization\"]`), or set `cache = 0s`.";
    AuthorizerAttributeMismatch = "LF3056", Error, "attribute of another authorizer type",
        "Each authorizer type reads its own attributes: a `jwt` authorizer `issuer` and `audience`; a `request` authorizer `function`, `identity` and `cache`. An attribute of another type would be ignored by AWS, so it is refused: remove it, or change `type`.";
    WebSocketOpen = "LF3057", Warning, "WebSocket connections without authorization",
        "Anyone who knows a WebSocket API's address can connect to it when its `$connect` route checks nothing (or it has none), and each connection may then send messages that invoke the app's functions. Authorize connections with `auth = iam` (SigV4-signed requests) on the `$connect` route or the API, or say that the API is public with `auth = none`, which silences this warning.";
    StreamRuntime = "LF3058", Error, "response streaming on a runtime that cannot stream",
        "A function URL with `invoke_mode = stream` sends the response as the function writes it. Lambda streams responses from Node.js managed runtimes (`nodejs*`) and OS-only runtimes (`provided.al2`, `provided.al2023`, where the custom runtime or web adapter streams); the other managed runtimes (Python, Java, .NET, Ruby) cannot on their own. A function with `layers` is not judged: the Lambda Web Adapter, a layer, streams on any runtime. Use `invoke_mode = buffered`, a runtime that streams, or the adapter.";
    AuthWithoutConnect = "LF3059", Error, "WebSocket authorization without a $connect route",
        "API Gateway authorizes a WebSocket client on its `$connect` route: `auth = iam` or an authorizer on an API without one would check nothing, and every client could connect. Add a function `on API \"$connect\"`.";
    WebSocketUnsupported = "LF3060", Error, "setting a WebSocket API does not take",
        "A WebSocket API authorizes its clients on `$connect`, with `auth = iam` (SigV4-signed connection requests), a `request` authorizer (a function of the app), or, said explicitly, `auth = none`. API Gateway calls a WebSocket authorizer once per connection and keeps no result, so it takes no `cache`. CORS and route `scopes` are HTTP API settings: a browser opens a WebSocket without a CORS preflight. Remove the setting, or use an HTTP API.";
    UnusedInput = "LF3070", Warning, "unused input",
        "The input is declared but nothing uses it: it would still be asked for at every deployment. Use it, or remove it.";
    SnapStartRuntime = "LF3075", Error, "SnapStart on a runtime without it",
        "Lambda offers SnapStart on Java 11 and later, Python 3.12 and later and .NET 8 and later (the table in src/validate/runtimes.rs, from https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html); other runtimes, OS-only runtimes and container images are refused. Use a runtime that has it, or remove `snapstart`.";
    SnapStartProvisioned = "LF3076", Error, "SnapStart with provisioned concurrency",
        "Lambda refuses provisioned concurrency on a version published with SnapStart: both answer cold starts, and a version has one or the other. Keep `snapstart` or `provisioned`.";
    SnapStartEfs = "LF3077", Error, "SnapStart with an EFS mount",
        "SnapStart does not support Amazon EFS: a function with a `mount` cannot publish a version with SnapStart. Remove the mount or `snapstart`.";
    SnapStartStorage = "LF3078", Error, "SnapStart with large ephemeral storage",
        "SnapStart does not support ephemeral storage above 512 MB (`storage`). Lower `storage` to 512MB, or remove `snapstart`.";
    VersionSettingWithoutAlias = "LF3079", Error, "version setting without an alias",
        "Provisioned concurrency and SnapStart apply to published versions, and Lambdaform publishes versions for a function with an `alias`, which triggers and callers invoke. Without an alias every caller invokes `$LATEST`, which has neither: the setting would cost without effect (provisioned) or do nothing (SnapStart). Add `alias = \"live\"`. The compiler does not invent an alias: its name is part of every caller's ARN.";
    ProvisionedAboveReserved = "LF3080", Error, "provisioned concurrency above reserved concurrency",
        "Provisioned concurrency comes out of the function's reserved concurrency when it has one: Lambda refuses more provisioned than reserved executions. Raise `concurrency` or lower `provisioned`.";
    LayerIncompatible = "LF3081", Error, "layer incompatible with a function using it",
        "A layer the app builds says which runtimes and architectures it works with (`runtimes`, `arch`); a function whose runtime or architecture is not among them would load a layer built for another platform. Add the function's runtime or architecture to the layer, or use another layer.";
    OtherRegion = "LF3082", Error, "layer or image in another region",
        "Lambda reads a function's layers and container image in the function's own region: a layer ARN or an ECR image URI of another region than the app's fails when the function is created. Publish the layer or replicate the image to the app's region and use that ARN or URI.";
    ApiKeysOnHttpApi = "LF3063", Error, "API keys on an HTTP API",
        "API keys and usage plans belong to REST APIs (API Gateway v1): an HTTP API has neither, and a method cannot require a key there. Make the api a REST API (`type = rest`), or remove the `usage_plan` blocks and the routes' `api_key = true` and limit access with an authorizer.";
    CertificateRegion = "LF3064", Error, "certificate in the wrong region for the endpoint",
        "API Gateway reads a custom domain's ACM certificate from one region: an edge-optimized domain (`endpoint = edge` on a REST API) is served by CloudFront, which reads certificates in us-east-1 only; a regional domain (HTTP APIs, and REST APIs with the default `endpoint = regional`) needs a certificate in the app's own region. A certificate elsewhere is refused when the domain is created. Request or import the certificate in the region the message names, and give its ARN.";
    DuplicateApiKey = "LF3065", Error, "API key named twice",
        "Each name in an api's usage plans is one API key, and API Gateway adds a key to at most one usage plan per API stage: a name written twice, in one plan or in two plans of the api, would be two keys of one name or one key refused by the second plan. Name each client's key once, in the plan it belongs to.";
    ApiKeyWithoutPlan = "LF3066", Error, "API key required, but no usage plan",
        "A method with `api_key = true` accepts only requests with an API key of a usage plan of its API's stage; with no `usage_plan` in the api, no key exists and every request is refused with 403. Declare a `usage_plan NAME { keys = [...] }` in the api, or remove `api_key = true`.";
    RestOnlySetting = "LF3067", Error, "REST-only setting on an HTTP API",
        "An edge-optimized endpoint (`endpoint = edge`, served through CloudFront) and X-Ray tracing on the stage (`tracing = true`) are settings of REST APIs (API Gateway v1); an HTTP API has only regional endpoints and does not trace. Make the api a REST API (`type = rest`), or remove the setting.";
    RestDefaultRoute = "LF3068", Error, "`$default` route on a REST API",
        "`$default` is a route of HTTP APIs: a REST API has resources and methods, and catches every other request with a greedy path variable. Write `\"ANY /{proxy+}\"` (and `\"ANY /\"` for the root) instead.";
    RestPathVariables = "LF3069", Error, "path variables of two names at one place",
        "A REST API's routes form a tree of resources, one per path segment, and a resource has at most one variable child: `/orders/{id}` and `/orders/{order_id}/items` would need two (API Gateway refuses the second: \"A sibling ({id}) of this resource already has a variable path part\"). Give the variable one name in every route; a greedy `{proxy+}` counts as a variable too.";
    RestCorsOptionsRoute = "LF3087", Error, "OPTIONS route on a REST API with CORS",
        "`cors` on a REST API gives each of its paths an `OPTIONS` method that answers the browser's preflight; a route `OPTIONS /path` of a function would be a second `OPTIONS` method on that path, which API Gateway refuses. Remove the route, or remove `cors` and answer the preflight in the function.";
    BadTimezone = "LF3083", Error, "not an IANA time zone",
        "An EventBridge Scheduler schedule reads its cron or `at(...)` expression in the time zone `timezone` names: an IANA time zone name such as `Europe/Paris`, `America/New_York` or `UTC` (the tz database's names; abbreviations such as `CET` or offsets such as `+02:00` are refused by the Scheduler).";
    AtInPast = "LF3084", Error, "one-time schedule in the past",
        "`at = \"at(yyyy-mm-ddThh:mm:ss)\"` runs the target once, at that time; a time already past when the app is checked would never run (the Scheduler accepts it and does nothing). The day is the one given with `--today`, else `LAMBDAFORM_TODAY`, else the clock's. Write a later time, or remove the schedule.";
    StartSyncOnStandard = "LF3085", Error, "start_sync on a Standard state machine",
        "`StartSyncExecution` runs Express state machines only; Step Functions refuses it on a Standard one. Set `type = express` on the state machine, or use `start` (asynchronous `StartExecution`).";
    BadAt = "LF3086", Error, "invalid one-time schedule",
        "A one-time `at(yyyy-mm-ddThh:mm:ss)` expression is an EventBridge Scheduler expression with a date and time (no time zone suffix, no fraction of a second); it must be whole and valid: month 1 to 12, a day the month has, hour 0 to 23, minutes and seconds 0 to 59.";
    NestedAttributeFilter = "LF3088", Error, "nested filter on message attributes",
        "An SNS subscription's filter policy matches the message's attributes unless it says otherwise, and attributes are one level of names: SNS refuses a nested policy in that scope at deploy time (`FilterPolicyScope` `MessageAttributes`). A filter whose keys hold objects (`{ detail = { amount = [...] } }`) matches the message body: say so with `filter_scope = body`, or match attributes with one level of keys.";
    UnboundedStreamRetries = "LF3089", Warning, "stream retries without a bound",
        "A table or stream trigger retries a failing batch until it succeeds or its records expire (`MaximumRetryAttempts` and `MaximumRecordAgeInSeconds` are unlimited unless set). With `on_failure` or `bisect`, a bad record then holds its shard back for as long as the stream keeps records (24 hours to a year for Kinesis, 24 hours for a table's stream) before it is split off or sent on: set `retries` or `max_age` so that it is sent to `on_failure` sooner.";
    TimeToLiveOnKey = "LF3090", Error, "time to live on a key",
        "DynamoDB deletes an item once the number of seconds since the epoch in its `ttl` attribute has passed, and reads only a top-level Number there. A table's `key` and `sort` are strings unless `key_type` or `sort_type` says `number`, and naming a string or binary key as `ttl` would never delete anything: name the attribute that holds the expiry time.";
    BadTableIndex = "LF3092", Error, "invalid table index",
        "`index NAME { key = \"...\", sort = \"...\" }` in a table declares a global secondary index: NAME is a name of at least 3 characters (DynamoDB's minimum), unique in its table; its `key` and `sort` are two different attributes; a table has at most 20 such indexes (DynamoDB's default quota); an attribute that keys both the table and an index, or two indexes, has one type (`key_type`, `sort_type`).";
    SubscriptionSettingForOtherSource = "LF3093", Error, "subscription setting for another source",
        "A queue's `subscribe` names a topic, a bus or a bucket, and the settings that shape the delivery are the source's own: `raw_delivery`, `filter` and `filter_scope` are an SNS subscription's, `pattern` is an EventBridge rule's, `events`, `prefix` and `suffix` are an S3 event notification's (a bucket trigger's options). A setting of another source would be silently ignored. A FIFO queue subscribes to a FIFO topic only: EventBridge sends to a FIFO queue only with a message group id, which Lambdaform does not write, and S3 event notifications do not support FIFO queues as destinations. Remove the setting, or subscribe to the source it belongs to; make the queue standard to subscribe it to a bus or a bucket.";
    RespondWithoutCallback = "LF3094", Warning, "no task waits for a token",
        "`respond NAME` grants a function `states:SendTaskSuccess`, `SendTaskFailure` and `SendTaskHeartbeat`, which end (or keep alive) a Task that waits for its token: one whose `Resource` ends in `.waitForTaskToken` and hands `$$.Task.Token` to the worker. AWS grants these actions only on `*`, so the grant is wide, and a state machine with no such Task never gives out a token to send back. Make the Task wait for a token (`arn:aws:states:::sqs:sendMessage.waitForTaskToken`), or remove `respond`.";
    TooManyStreamConsumers = "LF3095", Error, "more than 20 dedicated consumers of one stream",
        "A stream trigger with `consumer = dedicated` registers a Kinesis stream consumer of its own (enhanced fan-out), and Kinesis registers at most 20 consumers per data stream (the default quota). Registering the 21st fails when the stack or plan is applied, after everything before it was created. The count is of the dedicated triggers in this app, every function's; an existing stream may already have consumers of other apps or stages besides. Read the stream through `consumer = shared` (the default) where a function can share the shard's read throughput, or fan the records out through fewer functions; request a higher quota from AWS before raising the count.";
    ExistingKeyForService = "LF3096", Warning, "a service needs an existing key",
        "A queue that subscribes to a topic, a bucket or a bus receives its messages from SNS, S3 or EventBridge, and when the queue is encrypted with a KMS key (`encryption`), that service encrypts each message with the key. An IAM policy cannot grant a service: the key's own policy must let it use the key (`kms:GenerateDataKey` and `kms:Decrypt`), or every delivery fails and the messages are lost without an error in the app. Lambdaform writes that statement into the policy of a key the app creates, and cannot into an existing key's. Add the statement where the key is managed (the help shows it), or encrypt the queue with a key the app declares.";
    KeyInOtherRegion = "LF3097", Error, "key in another region",
        "KMS keys are regional, and SQS, SNS, S3, Kinesis, Secrets Manager, SSM and Lambda encrypt with a key of their own region only: a queue, topic, bucket, stream, secret, parameter or function whose `encryption` names an existing key of another region than the app's fails when it is created. Use a key in the app's region; a multi-Region key has a replica there, with an ARN of that region.";
    NothingToEncrypt = "LF3098", Warning, "a function's key has nothing to encrypt",
        "A function's `encryption` key encrypts its environment variables, the snapshots of its SnapStart versions and an image function (Lambda's KMSKeyArn); a .zip function's code and configuration are encrypted with keys of Lambda's own. A function with none of the three gives the key nothing to do, and a reader would think its data is under the app's key. Remove `encryption`, or keep it for the `env` the function is about to get.";
    CreatedParameterKey = "LF3099", Error, "a created parameter is not a SecureString",
        "A parameter the app creates holds a value written in its source, so it is plain configuration: CloudFormation's `AWS::SSM::Parameter` cannot create a SecureString, and a value in the source is no secret. `encryption` says which key an existing SecureString parameter is encrypted with, so that its readers are granted `kms:Decrypt` and its writers `kms:Encrypt`. Declare the parameter `existing` with its key, or keep a secret the app creates in a `secret` (which takes `encryption` and generates its value).";
    VersionsWithoutVersioning = "LF3100", Error, "versions expire in a bucket without versioning",
        "`expire_versions` deletes each version of an object some time after a newer one replaced it (S3's NoncurrentVersionExpiration). A bucket without `versioning = true` keeps no versions: an overwritten or deleted object is gone at once, and the rule would never apply. Turn versioning on, or remove `expire_versions` (`expire` deletes the objects themselves).";
    VersionsKeptForever = "LF3101", Warning, "expired objects' versions are kept",
        "In a versioned bucket, `expire` does not delete an object's data: S3 puts a delete marker in front of it and keeps every version, billed as before, for ever. Say how long the versions are kept with `expire_versions`, or turn versioning off if the objects need no history.";
    ExecutionDataWithoutLogging = "LF3091", Error, "execution data without logging",
        "`log_execution_data = true` makes a state machine's logged events carry each state's input and output (Step Functions' `IncludeExecutionData`). It only applies to events that are logged: with `logging = off` (the default) nothing is logged, and the setting would be silently ignored. Set `logging` to `all`, `error` or `fatal`, or remove `log_execution_data`. Execution data may hold personal or secret values: it is off unless asked for.";
    RolePolicyTooLarge = "LF4001", Error, "role policy too large",
        "IAM allows 10,240 characters of inline policy per role. Every target of a function adds a statement; a function that reaches very many resources needs splitting. Lambdaform does not spill grants into customer managed policies on its own: they count against the account's quota of managed policies and 10 attachments per role, and a silent split would hide how much one function may do.";
    ResourcePolicyTooLarge = "LF4002", Error, "resource-based policy too large",
        "Lambda allows 20 KB of resource-based policy per function; each push trigger (an API route, a bucket, a topic, a rule) and each `allow` adds a statement.";
    PackageMissing = "LF4003", Warning, "code package not found",
        "`build` copies each function's package into the output folder at its `code` path: the key the CloudFormation template expects in the artifacts bucket, and the file the Terraform configuration hashes. A package that does not exist yet is reported, and the outputs are written anyway.";
    TemplateTooLarge = "LF4004", Error, "template over 1 MB",
        "CloudFormation reads templates of at most 1 MB from S3. build splits a large app into nested stacks, and the root template creates them and passes each one every value it reads from another stack: an ARN, a name, a URL. When the stacks read so many values from each other that the root alone is over 1 MB (with functions that each read resources spread over the whole app, past about 4,000 functions), nothing is written. A second level of nesting would not lift the limit for such apps, since a nested stack takes at most 200 parameters, and build does not write one. Split the app into apps that reference each other with `existing`, or build it for Terraform, which has no such limit.";
    PackageOutside = "LF4005", Error, "package outside the app folder",
        "`build` copies each function's package from the app's folder into the output folder. A package that is a symbolic link is followed, and the file it leads to must be inside the app's folder too: a link to `/etc/shadow` or to another project's files would copy them into the outputs, and from there to S3. Put the package in the app's folder, or make the link point inside it. Nothing is written.";
    PackageNotAFile = "LF4006", Error, "package is not a regular file",
        "A function's package is a .zip or .jar file. `build` refuses a folder, a named pipe (FIFO), a device or a socket at the `code` path, without opening it: reading a pipe would wait forever for a writer, and a device has no end. Build the package at that path, relative to the app's folder. Nothing is written.";
    PackageUnreadable = "LF4007", Error, "package cannot be read",
        "The package at the `code` path exists but cannot be read: the user who runs `build` has no permission to read it or a folder on its way, or symbolic links there form a loop. Fix the permissions or the links. Nothing is written.";
    PhysicalNameCollision = "LF4010", Error, "two resources share a physical name",
        "Physical names are `{app}-{stage}-{name}`; a name longer than AWS allows for its kind is cut and ends with an 8-digit hash of the whole, so that it stays unique. Two long names can still share that hash, and then both resources would be one to AWS: the second deployment fails or replaces the first. `build` checks the names of the stage it builds and refuses such an app; shortening either name (so it fits uncut) resolves it.";
    RootTooCrowded = "LF4011", Error, "root template over 500 resources",
        "CloudFormation takes at most 500 resources in one template. A split app's root template holds one `AWS::CloudFormation::Stack` per nested stack, so an app cut into more than 500 nested stacks (a small `--stack-budget` on a large app) cannot deploy; `build` refuses it and writes nothing. Raise `--stack-budget` (up to 490 resources per nested stack), or split the app into apps that reference each other with `existing`.";
}
