//! The tags every resource that takes tags carries, in both targets: the
//! app's own, then `lambdaform:app` and `lambdaform:stage`.

use crate::model::Model;

/// The tag naming the app; its value is [`super::names::app`].
pub const APP: &str = "lambdaform:app";
/// The tag naming the stage.
pub const STAGE: &str = "lambdaform:stage";

/// The app's tags, then the two Lambdaform puts on every resource (the
/// checker refuses an app tag of either key, LF1029).
pub fn tags(model: &Model, stage: &str) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> =
        model.app.tags.iter().filter(|(k, _)| k != APP && k != STAGE).cloned().collect();
    tags.push((APP.into(), super::names::app(model).into()));
    tags.push((STAGE.into(), stage.into()));
    tags
}
