//! The two shared files of the AWS tools, `~/.aws/credentials` and `~/.aws/config`, read
//! the way the AWS CLI reads them, so that a file the CLI accepts means the same here.
//!
//! The format, and where this reader stands:
//! - `[name]` starts a section. In the credentials file every section is a profile, named
//!   exactly as written (so `[profile x]` there is a profile called `profile x`, which the
//!   CLI never selects either). In the config file a profile is `[profile name]`, or
//!   `[default]`; `[profile default]` is the default profile too, and both sections are
//!   merged. `[services name]` sections are kept (they hold per-service endpoints);
//!   `[sso-session name]` and any other section are checked for errors and otherwise
//!   ignored, as is a `[profile …]` whose name has a space in it (the CLI skips those
//!   too).
//! - `name = value`, both sides trimmed. Names are matched as written, as the SDKs match
//!   them (the CLI also takes them in upper case). Only `=` separates: `name: value`,
//!   which the CLI would take, is an error here rather than a silent difference.
//! - A line whose first non-blank character is `#` or `;` is a comment. A `#` or `;`
//!   later in a line is part of the value, as for the CLI, which reads no comments after
//!   a value: `region = eu-west-1 # Ireland` is refused by the CLI and here alike. (The
//!   SDKs cut ` #…` off; following the CLI keeps `aws` the tool to check a file with.)
//!   After a section header's `]`, a comment is allowed, as the CLI allows it.
//! - A line indented deeper than the setting above it continues that setting. Under a
//!   setting with an empty value (`s3 =`) such lines are sub-settings `name = value`,
//!   kept under the parent's name; under a setting with a value they extend the value,
//!   joined with a newline, as the CLI does. No credential, region or URL holds a
//!   newline, so such a value is later refused rather than silently cut.
//! - A setting given twice, or a section given twice, is merged with the later line
//!   winning (the CLI refuses such a file; the SDKs take the later value).
//!
//! Values are kept only in buffers wiped on drop, since the credentials file holds the
//! secret keys; an error names the file and the line number, never the line's text.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret_file::read_wiped;

/// Far larger than any real shared file (a few KiB even with dozens of profiles); a
/// bigger file is refused rather than read into memory.
pub(super) const MAX_FILE_BYTES: usize = 1024 * 1024;

/// Which of the two shared files a text comes from: they name their profiles differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    /// `~/.aws/credentials`: `[name]`.
    Credentials,
    /// `~/.aws/config`: `[profile name]` and `[default]`, among other sections.
    Config,
}

/// The settings of one section.
#[derive(Default)]
pub(super) struct Section {
    values: HashMap<String, Zeroizing<String>>,
    /// Sub-settings by (parent, name): `s3 =` followed by `  endpoint_url = …`.
    nested: HashMap<(String, String), Zeroizing<String>>,
}

impl Section {
    fn insert(&mut self, key: &str, value: Zeroizing<String>) {
        self.values.insert(key.to_owned(), value);
    }
}

/// One shared file, read: its profiles and its `[services …]` sections.
pub(super) struct ProfileFile {
    /// The file as errors name it.
    name: String,
    profiles: HashMap<String, Section>,
    services: HashMap<String, Section>,
}

impl ProfileFile {
    /// A file with no sections (one that does not exist, or cannot be located), named
    /// `name` in errors.
    pub(super) fn empty(name: impl Into<String>) -> Self {
        ProfileFile {
            name: name.into(),
            profiles: HashMap::new(),
            services: HashMap::new(),
        }
    }

    /// Reads `path`. A file that does not exist is empty, as it is for the CLI (a machine
    /// configured through environment variables has neither file); one that exists but
    /// cannot be read, is too large, is not UTF-8 or does not parse is an error naming it.
    pub(super) fn load(path: &Path, kind: FileKind) -> Result<Self> {
        let name = path.display().to_string();
        let error =
            |reason: &dyn fmt::Display| Error::Config(format!("cannot read {name}: {reason}"));
        let bytes = match read_wiped(path, MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::empty(name));
            }
            Err(e) => return Err(error(&e)),
        };
        let text = std::str::from_utf8(&bytes).map_err(|_| error(&"it is not UTF-8 text"))?;
        Self::parse(&name, kind, text).map_err(|reason| error(&reason))
    }

    /// Parses `text`; an error is `line N: what is wrong`, without the line's text.
    pub(super) fn parse(
        name: &str,
        kind: FileKind,
        text: &str,
    ) -> std::result::Result<Self, String> {
        let mut file = Self::empty(name);
        let mut parser = Parser::default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, line) in text.lines().enumerate() {
            parser.line(&mut file, kind, index + 1, line)?;
        }
        parser.close_setting(&mut file);
        Ok(file)
    }

    /// The file as errors name it.
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Whether the file has a section for `profile` (even an empty one).
    pub(super) fn has_profile(&self, profile: &str) -> bool {
        self.profiles.contains_key(profile)
    }

    /// A setting of `profile`, when it is set and not empty. For settings that are not
    /// secret: the secrets are [taken](Self::take) instead.
    pub(super) fn get(&self, profile: &str, key: &str) -> Option<&str> {
        let value = self.profiles.get(profile)?.values.get(key)?;
        Some(value.as_str()).filter(|value| !value.is_empty())
    }

    /// Moves a non-empty setting out of the file, so that the buffer holding a secret is
    /// the one handed on, not a copy.
    pub(super) fn take(&mut self, profile: &str, key: &str) -> Option<Zeroizing<String>> {
        self.profiles
            .get_mut(profile)?
            .values
            .remove(key)
            .filter(|value| !value.is_empty())
    }

    /// Whether the file has a `[services <section>]` section (even an empty one).
    pub(super) fn has_services(&self, section: &str) -> bool {
        self.services.contains_key(section)
    }

    /// `key` under `service =` in the section `[services <section>]`, when it is set and
    /// not empty.
    pub(super) fn service_setting(&self, section: &str, service: &str, key: &str) -> Option<&str> {
        let nested = &self.services.get(section)?.nested;
        let value = nested.get(&(service.to_owned(), key.to_owned()))?;
        Some(value.as_str()).filter(|value| !value.is_empty())
    }

    /// The section lines are added to (created empty by its header).
    fn section_mut(&mut self, target: &Target) -> Option<&mut Section> {
        match target {
            Target::Profile(name) => Some(self.profiles.entry(name.clone()).or_default()),
            Target::Services(name) => Some(self.services.entry(name.clone()).or_default()),
            Target::Skipped => None,
        }
    }
}

/// The file and the names of its sections: never a value, since some are secrets.
impl fmt::Debug for ProfileFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut profiles: Vec<&String> = self.profiles.keys().collect();
        let mut services: Vec<&String> = self.services.keys().collect();
        profiles.sort();
        services.sort();
        f.debug_struct("ProfileFile")
            .field("name", &self.name)
            .field("profiles", &profiles)
            .field("services", &services)
            .finish()
    }
}

/// Where the lines under a header go.
enum Target {
    Profile(String),
    Services(String),
    Skipped,
}

/// The setting that indented lines below it continue.
struct OpenSetting<'a> {
    key: &'a str,
    indent: usize,
    first: &'a str,
    /// The further lines of a value written over several lines (not of sub-settings,
    /// which are stored as they come).
    more: Vec<&'a str>,
}

#[derive(Default)]
struct Parser<'a> {
    /// `None` before the first header.
    target: Option<Target>,
    open: Option<OpenSetting<'a>>,
}

impl<'a> Parser<'a> {
    fn line(
        &mut self,
        file: &mut ProfileFile,
        kind: FileKind,
        number: usize,
        line: &'a str,
    ) -> std::result::Result<(), String> {
        let content = line.trim_start_matches([' ', '\t']);
        if content.trim().is_empty() || content.starts_with(['#', ';']) {
            return Ok(());
        }
        let indent = line.len() - content.len();
        let content = content.trim_end();
        if let Some(open) = self.open.as_mut().filter(|open| indent > open.indent) {
            if !open.first.is_empty() {
                open.more.push(content);
                return Ok(());
            }
            let (key, value) = split_setting(content).map_err(|_| {
                format!(
                    "line {number}: an indented line under a setting without a value must be \
                     `name = value`"
                )
            })?;
            let parent = open.key;
            let target = self
                .target
                .as_ref()
                .expect("a setting is only open in a section");
            if let Some(section) = file.section_mut(target) {
                let value = Zeroizing::new(value.to_owned());
                section
                    .nested
                    .insert((parent.to_owned(), key.to_owned()), value);
            }
            return Ok(());
        }
        self.close_setting(file);
        if let Some(header) = content.strip_prefix('[') {
            let target = section_target(header, kind).map_err(|e| format!("line {number}: {e}"))?;
            file.section_mut(&target);
            self.target = Some(target);
            return Ok(());
        }
        let (key, value) = split_setting(content).map_err(|e| format!("line {number}: {e}"))?;
        if self.target.is_none() {
            return Err(format!(
                "line {number}: a setting before the first `[section]`"
            ));
        }
        self.open = Some(OpenSetting {
            key,
            indent,
            first: value,
            more: Vec::new(),
        });
        Ok(())
    }

    /// Stores the open setting, its continuation lines joined into one buffer of the
    /// exact size (growing a buffer would leave pieces of a secret in freed memory).
    fn close_setting(&mut self, file: &mut ProfileFile) {
        let Some(open) = self.open.take() else {
            return;
        };
        let target = self
            .target
            .as_ref()
            .expect("a setting is only open in a section");
        let Some(section) = file.section_mut(target) else {
            return;
        };
        let length = open.first.len() + open.more.iter().map(|l| l.len() + 1).sum::<usize>();
        let mut value = Zeroizing::new(String::with_capacity(length));
        value.push_str(open.first);
        for line in &open.more {
            value.push('\n');
            value.push_str(line);
        }
        section.insert(open.key, value);
    }
}

/// `name = value`, both trimmed.
fn split_setting(line: &str) -> std::result::Result<(&str, &str), &'static str> {
    let (key, value) = line
        .split_once('=')
        .ok_or("expected `name = value`, a `[section]` header or a comment")?;
    let key = key.trim();
    if key.is_empty() {
        return Err("a value without a name");
    }
    Ok((key, value.trim()))
}

/// What the header `[…` (without its `[`) opens.
fn section_target(header: &str, kind: FileKind) -> std::result::Result<Target, &'static str> {
    let (name, rest) = header
        .split_once(']')
        .ok_or("a section header without `]`")?;
    let rest = rest.trim();
    if !rest.is_empty() && !rest.starts_with(['#', ';']) {
        return Err("text after a section header's `]`");
    }
    let name = name.trim();
    if name.is_empty() {
        return Err("a section header without a name");
    }
    if kind == FileKind::Credentials {
        return Ok(Target::Profile(name.to_owned()));
    }
    if name == "default" {
        return Ok(Target::Profile(name.to_owned()));
    }
    // `[profile x]`, `[services x]`: a word, white space, then one name without spaces.
    let typed = name.split_once([' ', '\t']).and_then(|(kind, rest)| {
        let rest = rest.trim();
        (!rest.contains([' ', '\t'])).then_some((kind, rest))
    });
    Ok(match typed {
        Some(("profile", profile)) => Target::Profile(profile.to_owned()),
        Some(("services", services)) => Target::Services(services.to_owned()),
        _ => Target::Skipped,
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn parse(kind: FileKind, text: &str) -> ProfileFile {
        ProfileFile::parse("test", kind, text).unwrap()
    }

    fn parse_err(kind: FileKind, text: &str) -> String {
        match ProfileFile::parse("test", kind, text) {
            Ok(_) => panic!("{text:?} parsed"),
            Err(e) => e,
        }
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "signed-api-sigv4-profile-{name}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn credentials_file_sections_are_profiles_named_as_written() {
        let file = parse(
            FileKind::Credentials,
            "[default]\naws_access_key_id = A\n[ work ]\naws_access_key_id=B\n\
             [profile x]\naws_access_key_id = C\n",
        );
        assert_eq!(file.get("default", "aws_access_key_id"), Some("A"));
        assert_eq!(file.get("work", "aws_access_key_id"), Some("B"));
        assert_eq!(file.get("profile x", "aws_access_key_id"), Some("C"));
        assert!(!file.has_profile("x"));
    }

    #[test]
    fn config_file_profiles_need_the_profile_word_except_default() {
        let file = parse(
            FileKind::Config,
            "[default]\nregion = a\noutput = json\n[profile  dev ]\nregion = b\n\
             [dev]\nregion = skipped\n[profile default]\nregion = c\n\
             [sso-session corp]\nsso_region = d\n[profile two words]\nregion = e\n\
             [profile]\nregion = f\n[profiledev]\nregion = g\n[plugins]\nx = y\n",
        );
        // `[profile default]` is the default profile too: merged, the later line winning.
        assert_eq!(file.get("default", "region"), Some("c"));
        assert_eq!(file.get("default", "output"), Some("json"));
        assert_eq!(file.get("dev", "region"), Some("b"));
        for skipped in [
            "corp",
            "sso-session corp",
            "two words",
            "profile",
            "profiledev",
            "plugins",
        ] {
            assert!(!file.has_profile(skipped), "{skipped}");
        }
    }

    #[test]
    fn comments_blank_lines_crlf_and_a_bom_are_skipped() {
        let file = parse(
            FileKind::Credentials,
            "\u{feff}# top\r\n; also\r\n\r\n   \r\n[default] # trailing comment\r\n\
             \t# indented comment\r\naws_access_key_id = AKID\r\n\
             aws_secret_access_key=se#cret;x\r\n[other];c\r\n",
        );
        assert_eq!(file.get("default", "aws_access_key_id"), Some("AKID"));
        assert_eq!(
            file.get("default", "aws_secret_access_key"),
            Some("se#cret;x")
        );
        assert!(file.has_profile("other"));
    }

    #[test]
    fn a_comment_after_a_value_stays_in_the_value_as_for_the_cli() {
        let file = parse(
            FileKind::Config,
            "[default]\nregion = eu-west-1 # Ireland\nendpoint_url = http://h ; x\n",
        );
        assert_eq!(file.get("default", "region"), Some("eu-west-1 # Ireland"));
        assert_eq!(file.get("default", "endpoint_url"), Some("http://h ; x"));
    }

    #[test]
    fn indented_lines_are_sub_settings_or_continue_a_value() {
        let file = parse(
            FileKind::Config,
            "[default]\ns3 =\n  addressing_style = path\n\n  # note\n\tmax_concurrent_requests=10\n\
             region = us-east-1\nnote = first\n   second\n  third\n\
             [services local]\ns3 =\n  endpoint_url = http://localhost:9000\n\
             dynamodb =\n  endpoint_url = http://localhost:8000\n",
        );
        let default = &file.profiles["default"];
        assert_eq!(
            default.nested[&("s3".to_owned(), "addressing_style".to_owned())].as_str(),
            "path"
        );
        assert_eq!(
            default.nested[&("s3".to_owned(), "max_concurrent_requests".to_owned())].as_str(),
            "10"
        );
        assert_eq!(
            file.get("default", "s3"),
            None,
            "an empty value reads as unset"
        );
        assert_eq!(file.get("default", "region"), Some("us-east-1"));
        assert_eq!(file.get("default", "note"), Some("first\nsecond\nthird"));
        assert_eq!(
            file.service_setting("local", "s3", "endpoint_url"),
            Some("http://localhost:9000")
        );
        assert_eq!(
            file.service_setting("local", "dynamodb", "endpoint_url"),
            Some("http://localhost:8000")
        );
        assert_eq!(file.service_setting("local", "sqs", "endpoint_url"), None);
        assert_eq!(file.service_setting("other", "s3", "endpoint_url"), None);
        assert!(file.has_services("local") && !file.has_services("other"));
    }

    #[test]
    fn settings_indented_alike_are_siblings_not_continuations() {
        let file = parse(
            FileKind::Credentials,
            "[default]\n  aws_access_key_id = A\n  aws_secret_access_key = B\n",
        );
        assert_eq!(file.get("default", "aws_access_key_id"), Some("A"));
        assert_eq!(file.get("default", "aws_secret_access_key"), Some("B"));
    }

    #[test]
    fn a_later_setting_or_section_wins() {
        let file = parse(
            FileKind::Credentials,
            "[a]\nk = 1\nk = 2\nj = x\n[b]\nk = 3\n[a]\nj = y\nl =\n",
        );
        assert_eq!(file.get("a", "k"), Some("2"));
        assert_eq!(file.get("a", "j"), Some("y"));
        assert_eq!(file.get("a", "l"), None);
        assert_eq!(file.get("b", "k"), Some("3"));
    }

    #[test]
    fn debug_names_sections_but_never_values() {
        let file = parse(
            FileKind::Config,
            "[profile b]\naws_secret_access_key = sentinel\n[default]\n[services s]\n",
        );
        let shown = format!("{file:?}");
        assert_eq!(
            shown,
            r#"ProfileFile { name: "test", profiles: ["b", "default"], services: ["s"] }"#
        );
    }

    #[test]
    fn take_moves_the_buffer_out_and_skips_empty_values() {
        let mut file = parse(FileKind::Credentials, "[a]\nsecret = s3cr3t\nempty =\n");
        let address = file.profiles["a"].values["secret"].as_ptr();
        let secret = file.take("a", "secret").unwrap();
        assert_eq!(secret.as_str(), "s3cr3t");
        assert_eq!(secret.as_ptr(), address);
        assert!(file.take("a", "secret").is_none());
        assert!(file.take("a", "empty").is_none());
        assert!(file.take("missing", "secret").is_none());
    }

    #[test]
    fn malformed_lines_are_named_by_number_without_their_text() {
        let cases = [
            (
                "[default]\nsentinel-alone-on-its-line\n",
                "line 2: expected `name = value`",
            ),
            ("[default\nk = v\n", "line 1: a section header without `]`"),
            (
                "[default] sentinel\n",
                "line 1: text after a section header's `]`",
            ),
            ("[ ]\n", "line 1: a section header without a name"),
            (
                "k = sentinel\n",
                "line 1: a setting before the first `[section]`",
            ),
            ("[a]\n= sentinel\n", "line 2: a value without a name"),
            ("[a]\nname: sentinel\n", "line 2: expected `name = value`"),
            (
                "[a]\ns3 =\n  sentinel\n",
                "line 3: an indented line under a setting",
            ),
            (
                "  k = sentinel\n",
                "line 1: a setting before the first `[section]`",
            ),
        ];
        for (text, expected) in cases {
            let err = parse_err(FileKind::Credentials, text);
            assert!(err.starts_with(expected), "{text:?}: {err}");
            assert!(!err.contains("sentinel"), "{err}");
        }
        // Lines of a skipped section are checked all the same, as the CLI checks them.
        let err = parse_err(FileKind::Config, "[sso-session x]\nsentinel\n");
        assert!(err.starts_with("line 2:"), "{err}");
    }

    #[test]
    fn a_missing_file_is_empty() {
        let dir = temp_dir("missing");
        let file = ProfileFile::load(&dir.join("credentials"), FileKind::Credentials).unwrap();
        assert!(!file.has_profile("default"));
        assert!(file.name().ends_with("credentials"), "{}", file.name());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_is_read_and_its_errors_name_it() {
        let dir = temp_dir("errors");
        let path = dir.join("config");
        std::fs::write(&path, "[profile p]\nregion = eu-west-3\n").unwrap();
        let file = ProfileFile::load(&path, FileKind::Config).unwrap();
        assert_eq!(file.get("p", "region"), Some("eu-west-3"));

        std::fs::write(
            &path,
            "[default]\naws_secret_access_key = sentinel\nsentinel\n",
        )
        .unwrap();
        let err = ProfileFile::load(&path, FileKind::Config)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&path.display().to_string()) && err.contains("line 3"),
            "{err}"
        );
        assert!(!err.contains("sentinel"), "{err}");

        std::fs::write(&path, b"[default]\nregion = \xff\xfe\n").unwrap();
        let err = ProfileFile::load(&path, FileKind::Config)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&path.display().to_string()) && err.contains("UTF-8"),
            "{err}"
        );

        let err = ProfileFile::load(&dir, FileKind::Config)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_oversized_file_is_refused_not_read() {
        let dir = temp_dir("oversized");
        let path = dir.join("credentials");
        let mut text = "[default]\naws_access_key_id = A\n".to_owned();
        text.push_str(&"# padding\n".repeat(MAX_FILE_BYTES / 10 + 1));
        std::fs::write(&path, &text).unwrap();
        let err = ProfileFile::load(&path, FileKind::Credentials).unwrap_err();
        assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
        // Exactly the limit is read.
        text.truncate(MAX_FILE_BYTES);
        std::fs::write(&path, &text).unwrap();
        assert!(ProfileFile::load(&path, FileKind::Credentials).is_ok());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
