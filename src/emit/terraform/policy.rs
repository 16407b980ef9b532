//! The policy language version of the documents Terraform writes by hand
//! (a queue's policy); role policies are described in `deploy::policy`.

pub const VERSION: &str = crate::deploy::policy::VERSION;
