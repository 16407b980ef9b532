//! `lambdaform init [DIR] [--name NAME]`: a new app folder that checks and
//! builds clean as written: a commented `main.lf` (an HTTP API, a table and
//! one Python function), the function's handler and its package, and a
//! `.gitignore` for the build output. It never overwrites: a folder that
//! already holds `.lf` files, or any of these files, is refused.

use super::{lf_files, out, usage_error};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The handler's source, `app.handler` inside the package.
const HANDLER: &str = r#""""The handler of `hello` (main.lf): answers GET /hello with the item "hello"."""

import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE"])


def handler(event, context):
    item = TABLE.get_item(Key={"id": "hello"}).get("Item", {"id": "hello", "count": 0})
    item["count"] = int(item["count"]) + 1
    TABLE.put_item(Item=item)
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"message": "hello", "count": item["count"]}),
    }
"#;

/// Where each file goes, relative to the app's folder.
const MAIN: &str = "main.lf";
const HANDLER_PATH: &str = "src/app.py";
const PACKAGE: &str = "build/hello.zip";
const GITIGNORE: &str = ".gitignore";

/// `main.lf` for an app named `name`, in the canonical layout of `fmt`.
pub fn main_lf(name: &str) -> String {
    format!(
        r#"# {name}: a Lambdaform app, made by `lambdaform init`.
# The language: docs/language.md in the Lambdaform repository.
#   lambdaform check .                 what is wrong, with a fix for each problem
#   lambdaform explain . hello         every IAM grant of `hello`, and the line behind it
#   lambdaform build . --out out       CloudFormation (out/template.json) and Terraform (out/main.tf)

app {name} {{
  region = "eu-west-1"
}}

# An HTTP API: each `on web "METHOD /path"` in a function adds a route.
# `auth = none` says its routes are public; an `authorizer` block, or
# `auth = iam`, would guard them (docs/language.md, "Who may call").
api web {{
  auth = none
}}

# A DynamoDB table with a string partition key.
table items {{
  key = "id"
}}

# One function. Its code is src/app.py, packaged as build/hello.zip:
# rebuild the package when you change the code (cd src && zip ../build/hello.zip app.py).
function hello {{
  runtime = "python3.12"
  handler = "app.handler"
  code    = "build/hello.zip"
  env     = {{ TABLE = items.name }}

  # Each verb grants exactly what it needs, on this table only.
  read  items
  write items

  on web "GET /hello"
}}
"#
    )
}

/// `lambdaform init DIR [--name NAME]`.
pub fn run_init(dir: &Path, name: Option<&str>) -> ExitCode {
    let name = match name {
        Some(name) if is_name(name) => name.to_string(),
        Some(name) => {
            return usage_error(&format!(
                "`{name}` is not an app name: lower case letters, digits and `_`, starting with a letter"
            ))
        }
        None => name_from(dir),
    };
    if let Err(message) = refuse_to_overwrite(dir) {
        return usage_error(&message);
    }
    match write_app(dir, &name) {
        Ok(written) => {
            for path in written {
                out(&format!("wrote {}\n", path.display()));
            }
            out(&format!("next: lambdaform check {0} && lambdaform build {0} --out {0}/out\n", dir.display()));
            ExitCode::SUCCESS
        }
        Err(message) => usage_error(&message),
    }
}

fn is_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// An app name from the folder's name: `My Shop-2` → `my_shop_2`.
fn name_from(dir: &Path) -> String {
    let folder = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let raw = folder.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
    let mut name: String =
        raw.chars().map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' }).collect();
    name = name.trim_matches('_').to_string();
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        name = format!("app{}{name}", if name.is_empty() { "" } else { "_" });
    }
    name
}

/// `Err` when the folder holds an app already, or any file init writes.
fn refuse_to_overwrite(dir: &Path) -> Result<(), String> {
    if dir.exists() && !dir.is_dir() {
        return Err(format!("{} is not a folder", dir.display()));
    }
    if dir.is_dir() {
        let sources = lf_files(dir)?;
        if !sources.is_empty() {
            let names: Vec<String> = sources.iter().map(|lf| lf.path.display().to_string()).collect();
            return Err(format!("{} already holds an app ({}); nothing was written", dir.display(), names.join(", ")));
        }
    }
    let taken: Vec<String> = [MAIN, HANDLER_PATH, PACKAGE, GITIGNORE]
        .iter()
        .map(|file| dir.join(file))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    match taken.is_empty() {
        true => Ok(()),
        false => Err(format!("{} exist already; nothing was written", taken.join(", "))),
    }
}

/// Writes the app's files; returns their paths.
fn write_app(dir: &Path, name: &str) -> Result<Vec<PathBuf>, String> {
    let files: [(&str, Vec<u8>); 4] = [
        (MAIN, main_lf(name).into_bytes()),
        (HANDLER_PATH, HANDLER.as_bytes().to_vec()),
        (PACKAGE, package()?),
        (GITIGNORE, b"# lambdaform build --out out\nout/\n".to_vec()),
    ];
    let mut written = Vec::new();
    for (file, bytes) in files {
        let path = dir.join(file);
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The deployment package: a zip with `app.py` at its root, stored
/// uncompressed with a fixed date so that it is the same bytes every time.
fn package() -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    zip.start_file("app.py", options).map_err(|e| format!("cannot make the package: {e}"))?;
    zip.write_all(HANDLER.as_bytes()).map_err(|e| format!("cannot make the package: {e}"))?;
    let cursor = zip.finish().map_err(|e| format!("cannot make the package: {e}"))?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_folders() {
        assert_eq!(name_from(Path::new("/tmp/My Shop-2")), "my_shop_2");
        assert_eq!(name_from(Path::new("/tmp/2fast")), "app_2fast");
        assert_eq!(name_from(Path::new("/tmp/__")), "app");
        assert!(is_name("orders") && !is_name("Orders") && !is_name("1st") && !is_name(""));
    }

    #[test]
    fn main_lf_is_in_canonical_form() {
        let text = main_lf("shop");
        assert_eq!(crate::format::format(&text).ok().as_deref(), Some(text.as_str()));
    }

    #[test]
    fn the_package_is_the_same_bytes_every_time() {
        let package = package().expect("a package");
        assert_eq!(package, super::package().expect("a package"));
        assert_eq!(&package[..4], b"PK\x03\x04");
    }
}
