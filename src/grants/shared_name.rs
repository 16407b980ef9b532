//! A name held in many places: shared, not copied. The stdlib's grant
//! table (and a kind an app declares) writes each IAM action once; every
//! statement of every function that is granted it holds the same text, so
//! inferring grants allocates no string per action. The layer's logical
//! ids and Terraform labels are shared the same way: each reference to a
//! resource holds its names (`deploy::resource::Id`).

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// Compares, orders and prints as the text it holds.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedName(Arc<str>);

impl SharedName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The empty name (a resource with no id in one target), shared too.
    pub fn empty() -> SharedName {
        static EMPTY: std::sync::LazyLock<SharedName> = std::sync::LazyLock::new(|| SharedName("".into()));
        EMPTY.clone()
    }
}

impl Deref for SharedName {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SharedName {
    fn from(text: &str) -> SharedName {
        if text.is_empty() {
            return SharedName::empty();
        }
        SharedName(text.into())
    }
}

impl From<&String> for SharedName {
    fn from(text: &String) -> SharedName {
        SharedName::from(text.as_str())
    }
}

impl From<String> for SharedName {
    fn from(text: String) -> SharedName {
        if text.is_empty() {
            return SharedName::empty();
        }
        SharedName(text.into())
    }
}

impl PartialEq<str> for SharedName {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<String> for SharedName {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<&str> for SharedName {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl fmt::Display for SharedName {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

/// As a `String` prints: `"s3:GetObject"`.
impl fmt::Debug for SharedName {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}
