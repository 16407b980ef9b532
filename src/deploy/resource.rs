//! One AWS resource as both targets deploy it: the typed description the
//! two printers print (`emit::cloudformation::neutral` and
//! `emit::terraform::neutral`), so that a resource is decided once and
//! written by neither printer by hand.
//!
//! A [`Resource`] has an [`Id`] per target (CloudFormation logical id,
//! Terraform label), a [`Type`] per target (either may be absent where a
//! target has no such resource, e.g. Terraform's separate bucket-policy
//! blocks), its properties as a tree of [`Prop`]s, what it depends on, its
//! deletion policy and whether it carries the app's tags, and the model
//! resource it was made for (provenance, nested-stack membership).
//!
//! A property's [`Key`] names it in each target and says how Terraform
//! writes it ([`Form`]): an argument, a nested block, a `jsonencode(...)`
//! document, or properties CloudFormation nests under the key and Terraform
//! writes in the enclosing block. Values are target-neutral: strings,
//! numbers, lists, objects of properties, maps with keys as given, text
//! with references and pseudo parameters in it ([`Part`]), references to
//! another neutral resource ([`Ref`]) and to a model resource's readable
//! field. A new feature builds its resources here, in a module of
//! `deploy` named after it, and both printers print them:
//!
//! ```
//! use lambdaform::deploy::resource::{Form, Id, Key, Resource, Type, Value};
//! let mut group = Resource::new(
//!     Id::new("WorkerLogs", "worker"),
//!     Type::both("AWS::Logs::LogGroup", "aws_cloudwatch_log_group"),
//! );
//! group.set(Key::new("LogGroupName", "name"), "/aws/lambda/worker");
//! group.set(Key::new("RetentionInDays", "retention_in_days"), 30);
//! assert_eq!(group.props.len(), 2);
//! assert_eq!(Key::block("AccessLogSettings", "access_log_settings").form, Form::Block);
//! # let _ = Value::Int(1);
//! ```

use crate::grants::SharedName;
use crate::model::ResourceId;
use std::borrow::Cow;

/// One AWS resource of the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub id: Id,
    pub ty: Type,
    pub props: Vec<Prop>,
    /// Resources that must exist first, beyond those its values refer to.
    pub depends_on: Vec<Ref>,
    pub keep: Keep,
    /// Properties set once at creation and never updated from the output
    /// again (Terraform's `ignore_changes`; CloudFormation never re-reads
    /// what it generated).
    pub made_once: Vec<&'static str>,
    /// Whether it carries the app's tags (where its type takes tags).
    pub tagged: bool,
    /// Whether its replacement is created before it is destroyed (Terraform's
    /// `create_before_destroy`; CloudFormation always replaces that way).
    pub create_before_destroy: bool,
    /// The model resource it was made for.
    pub owner: Option<ResourceId>,
    /// CloudFormation `Metadata` (where it comes from in the source);
    /// Terraform has no such thing.
    pub metadata: Option<Value>,
}

impl Resource {
    pub fn new(id: Id, ty: Type) -> Resource {
        Resource {
            id,
            ty,
            props: Vec::new(),
            depends_on: Vec::new(),
            keep: Keep::Default,
            made_once: Vec::new(),
            tagged: false,
            create_before_destroy: false,
            owner: None,
            metadata: None,
        }
    }

    /// Sets a property (after the ones set before it).
    pub fn set(&mut self, key: Key, value: impl Into<Value>) -> &mut Resource {
        self.props.push(Prop { key, value: value.into() });
        self
    }

    /// Carries the app's tags.
    pub fn tagged(mut self) -> Resource {
        self.tagged = true;
        self
    }

    /// A reference to one of this resource's attributes.
    pub fn attr(&self, attr: Attr) -> Value {
        Value::reference(self.reference(attr))
    }

    /// A reference to this resource's attribute `attr`.
    pub fn reference(&self, attr: Attr) -> Ref {
        Ref { id: self.id.clone(), ty: self.ty.clone(), attr }
    }
}

/// A resource's name in each target: the CloudFormation logical id
/// (`OrdersApiStage`) and the Terraform label (`orders_api`). Every
/// reference to the resource holds them, so they are shared, not copied:
/// a reference costs no allocation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Id {
    pub cloudformation: SharedName,
    pub terraform: SharedName,
}

impl Id {
    pub fn new(cloudformation: impl Into<SharedName>, terraform: impl Into<SharedName>) -> Id {
        Id { cloudformation: cloudformation.into(), terraform: terraform.into() }
    }
}

/// A resource's type in each target; `None` where the target has none.
/// Most are the compiler's own constants; a kind's declaration gives the
/// rest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Type {
    pub cloudformation: Option<Name>,
    pub terraform: Option<Name>,
    /// Terraform reads it at plan time (a `data` block) rather than
    /// manages it.
    pub lookup: bool,
}

impl Type {
    pub fn both(cloudformation: impl Into<Name>, terraform: impl Into<Name>) -> Type {
        Type { cloudformation: Some(cloudformation.into()), terraform: Some(terraform.into()), lookup: false }
    }

    /// A resource only CloudFormation has.
    pub fn cloudformation(cloudformation: impl Into<Name>) -> Type {
        Type { cloudformation: Some(cloudformation.into()), terraform: None, lookup: false }
    }

    /// A resource only Terraform has.
    pub fn terraform(terraform: impl Into<Name>) -> Type {
        Type { cloudformation: None, terraform: Some(terraform.into()), lookup: false }
    }

    /// A Terraform data source (`data "TYPE" "LABEL"`).
    pub fn terraform_lookup(terraform: impl Into<Name>) -> Type {
        Type { lookup: true, ..Type::terraform(terraform) }
    }
}

/// What happens to the deployed resource when the app no longer has it or
/// replaces it: CloudFormation's `DeletionPolicy` and
/// `UpdateReplacePolicy`, Terraform's `prevent_destroy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// The target's default (deleted), written nowhere.
    Default,
    /// Kept: `Retain`, `prevent_destroy = true`.
    Retain,
    /// Deleted, written out: `Delete`.
    Delete,
}

/// One property: its key and value.
#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    pub key: Key,
    pub value: Value,
}

/// A property's name in each target (`None` where the target has no such
/// property) and its form in Terraform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub cloudformation: Option<Name>,
    pub terraform: Option<Name>,
    pub form: Form,
}

/// A property name: most are the compiler's own, some come from a kind's
/// declaration.
pub type Name = Cow<'static, str>;

/// How Terraform writes a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `name = value`.
    Argument,
    /// A nested block `name { ... }` of an object, or one block per object
    /// of a list.
    Block,
    /// `name = jsonencode(value)`: a JSON document that CloudFormation
    /// takes as an object.
    Json,
    /// A string holding a JSON document: CloudFormation gets it printed
    /// compactly, Terraform as `jsonencode(value)`.
    JsonText,
    /// CloudFormation nests the object's properties under the key;
    /// Terraform writes them in the enclosing block.
    Flat,
}

impl Key {
    /// A property both targets have, a Terraform argument.
    pub const fn new(cloudformation: &'static str, terraform: &'static str) -> Key {
        Key {
            cloudformation: Some(Cow::Borrowed(cloudformation)),
            terraform: Some(Cow::Borrowed(terraform)),
            form: Form::Argument,
        }
    }

    /// A property both targets have, a nested block in Terraform.
    pub const fn block(cloudformation: &'static str, terraform: &'static str) -> Key {
        Key {
            cloudformation: Some(Cow::Borrowed(cloudformation)),
            terraform: Some(Cow::Borrowed(terraform)),
            form: Form::Block,
        }
    }

    /// A JSON document: an object in CloudFormation, `jsonencode` in Terraform.
    pub const fn json(cloudformation: &'static str, terraform: &'static str) -> Key {
        Key {
            cloudformation: Some(Cow::Borrowed(cloudformation)),
            terraform: Some(Cow::Borrowed(terraform)),
            form: Form::Json,
        }
    }

    /// A string holding a JSON document (see [`Form::JsonText`]).
    pub const fn json_text(cloudformation: &'static str, terraform: &'static str) -> Key {
        Key {
            cloudformation: Some(Cow::Borrowed(cloudformation)),
            terraform: Some(Cow::Borrowed(terraform)),
            form: Form::JsonText,
        }
    }

    /// Properties nested in CloudFormation, flat in Terraform.
    pub const fn flat(cloudformation: &'static str) -> Key {
        Key { cloudformation: Some(Cow::Borrowed(cloudformation)), terraform: None, form: Form::Flat }
    }

    /// A property only CloudFormation has.
    pub const fn cloudformation(name: &'static str) -> Key {
        Key { cloudformation: Some(Cow::Borrowed(name)), terraform: None, form: Form::Argument }
    }

    /// An argument named by a kind's declaration (an attribute's
    /// `cloudformation` and `terraform` names).
    pub fn declared(cloudformation: Option<&str>, terraform: Option<&str>) -> Key {
        let owned = |name: &str| Cow::Owned(name.to_string());
        Key { cloudformation: cloudformation.map(owned), terraform: terraform.map(owned), form: Form::Argument }
    }

    /// A property only Terraform has.
    pub const fn terraform(name: &'static str) -> Key {
        Key { cloudformation: None, terraform: Some(Cow::Borrowed(name)), form: Form::Argument }
    }

    /// The same key in another Terraform form
    /// (`Key::terraform("policy").in_form(Form::Json)`).
    pub fn in_form(self, form: Form) -> Key {
        Key { form, ..self }
    }
}

/// A target-neutral value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Text: most of it the compiler's own and borrowed, the rest owned.
    Str(Name),
    Int(i64),
    Bool(bool),
    List(Vec<Value>),
    /// An object of properties, keyed per target.
    Object(Vec<Prop>),
    /// An object whose keys are the same in both targets (environment
    /// variables, log fields, filter patterns): written as given.
    Map(Vec<(Name, Value)>),
    /// A string with references and pseudo parameters in it.
    Text(Vec<Part>),
    /// An attribute of another neutral resource (boxed: a reference is
    /// four times the size of any other value).
    Ref(Box<Ref>),
    /// A readable field of a model resource (`arn`, `name`, `url`...), as
    /// the printers read it for created and existing resources alike.
    Field(ResourceId, String),
    /// A model resource's ARN, created or existing.
    Arn(ResourceId),
    /// A package of the app folder at this key (`build/shared.zip`, as
    /// [`super::names::package_key`] writes it):
    /// CloudFormation's S3 key in the artifacts bucket, Terraform's
    /// `${path.module}/build/shared.zip`, which `build` copies it to.
    Package(String),
    /// The hash Terraform compares to redeploy the package at this key
    /// (`filebase64sha256(...)`); CloudFormation has none.
    PackageHash(String),
    /// A model resource's ARN, which the resource holding it must be
    /// created after even where the ARN is built from a known name (a
    /// queue's dead-letter target, a destination): a function's alias
    /// where it has one, as every caller of a function names it.
    ArnAfter(ResourceId),
    /// An input's value, given at deploy time: a parameter's `Ref`, a
    /// `var.NAME` (`deploy::inputs` names both).
    Input(crate::model::InputId),
    /// A list of strings the grants hold, shared rather than copied: a
    /// statement's actions, one list for the functions of one shape.
    Names(std::sync::Arc<[crate::grants::SharedName]>),
    /// A value two properties hold, built once: a role's policy document,
    /// which CloudFormation writes inside the role and Terraform in a
    /// policy resource of its own.
    Shared(std::sync::Arc<Value>),
}

/// A copy of the text; [`Value::lit`] borrows the compiler's own.
impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(Cow::Owned(s.to_string()))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(Cow::Owned(s))
    }
}

impl Value {
    /// An attribute of another neutral resource.
    pub fn reference(r: Ref) -> Value {
        Value::Ref(Box::new(r))
    }

    /// Text the compiler writes itself (`Allow`, a policy version), borrowed.
    pub const fn lit(s: &'static str) -> Value {
        Value::Str(Cow::Borrowed(s))
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Ref> for Value {
    fn from(r: Ref) -> Value {
        Value::reference(r)
    }
}

impl Part {
    /// An attribute of another neutral resource, in a text.
    pub fn reference(r: Ref) -> Part {
        Part::Ref(Box::new(r))
    }
}

impl From<Vec<Prop>> for Value {
    fn from(props: Vec<Prop>) -> Value {
        Value::Object(props)
    }
}

/// An object of `props` in their order.
pub fn object(props: impl IntoIterator<Item = (Key, Value)>) -> Value {
    Value::Object(props.into_iter().map(|(key, value)| Prop { key, value }).collect())
}

/// One piece of a [`Value::Text`].
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Partition,
    Region,
    Account,
    /// The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`).
    UrlSuffix,
    /// Boxed, as in [`Value::Ref`].
    Ref(Box<Ref>),
    Field(ResourceId, String),
    /// A string or number input's value.
    Input(crate::model::InputId),
}

/// An attribute of a neutral resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Ref {
    pub id: Id,
    pub ty: Type,
    pub attr: Attr,
}

impl Ref {
    /// The account deployed to, referred to on its own: CloudFormation's
    /// `AWS::AccountId` pseudo parameter, Terraform's caller identity
    /// (`data.aws_caller_identity.current.account_id`).
    pub fn account() -> Ref {
        Ref {
            id: Id::new("AWS::AccountId", "current"),
            ty: Type::terraform_lookup("aws_caller_identity"),
            attr: Attr::reference("account_id"),
        }
    }
}

/// An attribute's name in each target: CloudFormation's `Fn::GetAtt`
/// attribute (`None` for what `Ref` returns) and Terraform's attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr {
    pub cloudformation: Option<&'static str>,
    pub terraform: &'static str,
}

impl Attr {
    /// What `Ref` returns in CloudFormation, `terraform` in Terraform.
    pub const fn reference(terraform: &'static str) -> Attr {
        Attr { cloudformation: None, terraform }
    }

    /// `Fn::GetAtt` in CloudFormation.
    pub const fn get(cloudformation: &'static str, terraform: &'static str) -> Attr {
        Attr { cloudformation: Some(cloudformation), terraform }
    }
}

/// How a CloudFormation resource type takes the app's tags (its resource
/// schema): a list of `Key`/`Value` objects, a map, or not at all.
/// Terraform tags every resource that takes tags through the provider's
/// `default_tags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagStyle {
    List,
    Map,
    None,
}

/// The tag style of each CloudFormation type the compiler emits.
pub fn tag_style(cloudformation_type: &str) -> TagStyle {
    match cloudformation_type {
        "AWS::DynamoDB::Table"
        | "AWS::SQS::Queue"
        | "AWS::SNS::Topic"
        | "AWS::S3::Bucket"
        | "AWS::Events::EventBus"
        | "AWS::Events::Rule"
        | "AWS::Kinesis::Stream"
        | "AWS::SecretsManager::Secret"
        | "AWS::Lambda::Function"
        | "AWS::Lambda::EventSourceMapping"
        | "AWS::IAM::Role"
        | "AWS::Logs::LogGroup"
        | "AWS::ApiGateway::RestApi"
        | "AWS::ApiGateway::Stage"
        | "AWS::ApiGateway::ApiKey"
        | "AWS::ApiGateway::UsagePlan"
        | "AWS::ApiGateway::DomainName"
        | "AWS::StepFunctions::StateMachine" => TagStyle::List,
        "AWS::SSM::Parameter"
        | "AWS::ApiGatewayV2::Api"
        | "AWS::ApiGatewayV2::Stage"
        | "AWS::ApiGatewayV2::DomainName" => TagStyle::Map,
        _ => TagStyle::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reference holds its resource's names, not copies of them: every
    /// reference to a resource costs no allocation for its id and label.
    #[test]
    fn a_reference_holds_the_resources_names_not_copies() {
        let table =
            Resource::new(Id::new("OrdersTable", "orders"), Type::both("AWS::DynamoDB::Table", "aws_dynamodb_table"));
        let reference = table.reference(Attr::get("Arn", "arn"));
        assert_eq!(reference.id, table.id);
        assert_eq!(reference.id.cloudformation.as_ptr(), table.id.cloudformation.as_ptr());
        assert_eq!(reference.id.terraform.as_ptr(), table.id.terraform.as_ptr());
    }
}
