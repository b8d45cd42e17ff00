//! Where the settings of an AWS service, or of an S3-compatible store, come from: the
//! environment variables and the two shared files, in the order the AWS CLI reads them, so
//! that a machine set up for `aws` works unchanged.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::credentials::Sigv4Credentials;
use super::profile_file::{FileKind, ProfileFile};
use crate::env::{EnvLookup, optional, process_env};
use crate::error::{Error, Result};

/// The profile used when `AWS_PROFILE` names none.
const DEFAULT_PROFILE: &str = "default";

/// The variables that hold the token of short-term keys, the current name first (the
/// CLI still reads the old one).
const TOKEN_VARIABLES: [&str; 2] = ["AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"];
/// The same, as profile settings.
const TOKEN_SETTINGS: [&str; 2] = ["aws_session_token", "aws_security_token"];
/// Any of these makes the CLI sign in through IAM Identity Center instead of using keys.
const SSO_SETTINGS: [&str; 5] = [
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
];

/// Everything needed to call an AWS service or S3-compatible store.
///
/// Each setting is taken from the first place that has it, in the order the AWS CLI
/// follows, so that a machine set up for `aws` needs nothing more:
///
/// - **Profile**: `AWS_PROFILE`, else `default`. A profile that `AWS_PROFILE` names must
///   exist in one of the two files.
/// - **Files**: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`; `AWS_CONFIG_FILE`,
///   else `~/.aws/config`. The home directory is `HOME`, else `USERPROFILE`, and a leading
///   `~/` in the two variables is expanded. A file that does not exist is empty.
/// - **Credentials**:
///   1. `AWS_ACCESS_KEY_ID` with `AWS_SECRET_ACCESS_KEY`, and `AWS_SESSION_TOKEN` (or
///      its old name `AWS_SECURITY_TOKEN`) if set. These win even when `AWS_PROFILE` is
///      set: only the CLI's `--profile` option hides them. One of the pair without the
///      other is an error.
///   2. The profile's `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`
///      (or `aws_security_token`) in the credentials file.
///   3. The same three in the profile's section of the config file.
///
///   The three always come from one place: a profile with keys in the credentials file
///   hides the config file's keys and token entirely; they are not mixed key by key.
///   Where the CLI would get credentials another way first (assume `role_arn`, a web
///   identity token, IAM Identity Center, and, before the config file's keys only,
///   `credential_process`), signed-api refuses to guess: it fetches no credentials
///   itself, and signing with the profile's keys instead would act as someone else. The
///   error suggests exporting the keys the CLI gets:
///   `eval "$(aws configure export-credentials --format env)"`.
/// - **Region**: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`. Required.
/// - **Endpoint**: `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, `endpoint_url` under
///   the service in the `[services name]` section the profile's `services` names (a
///   section that does not exist is an error), the profile's `endpoint_url`. None of
///   them when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (else the profile's
///   `ignore_configured_endpoint_urls`) is `true`.
///
/// A profile setting other than the keys (`region`, `endpoint_url`, `role_arn`, …) found
/// in both files is taken from the credentials file, which the CLI lays over the config
/// file.
#[derive(Debug, Clone)]
pub struct Sigv4Config {
    /// The keys, from the environment or the profile.
    pub credentials: Sigv4Credentials,
    /// The region requests are signed for, such as `us-east-1`.
    pub region: String,
    /// An endpoint configured in place of the service's usual one (a local S3-compatible
    /// store, a VPC endpoint), or `None` to use the usual one.
    pub endpoint_url: Option<String>,
    /// The profile used: `AWS_PROFILE`, or `default`.
    pub profile: String,
}

impl Sigv4Config {
    /// Reads the process environment and the shared files. `service` is the service's
    /// identifier as AWS lists it for endpoints (`s3`, `dynamodb`, `Elastic Beanstalk`):
    /// it selects `AWS_ENDPOINT_URL_<SERVICE>` (upper-cased, spaces and `-` as `_`) and
    /// the service's entry in a `[services …]` section (lower-cased, the same way).
    pub fn from_env(service: &str) -> Result<Self> {
        Self::from_lookup(&process_env, service)
    }

    /// As [`from_env`](Self::from_env), from another environment. The environment also
    /// locates the files (`HOME`, `AWS_CONFIG_FILE`, …), so a test can point them at a
    /// directory of its own.
    pub fn from_lookup(env: EnvLookup<'_>, service: &str) -> Result<Self> {
        let service = ServiceId::new(service)?;
        let named = optional(env, "AWS_PROFILE").map(|name| name.trim().to_owned());
        let profile = named.clone().unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
        let mut files = SharedFiles::load(env)?;
        if named.is_some() && !files.has_profile(&profile) {
            return Err(Error::Config(format!(
                "AWS_PROFILE names the profile `{profile}`, which is neither `[{profile}]` in \
                 {} nor `{}` in {}",
                files.credentials.name(),
                config_header(&profile),
                files.config.name()
            )));
        }
        let credentials = credentials(env, &mut files, &profile)?;
        let region = region(env, &files, &profile)?;
        let endpoint_url = endpoint_url(env, &files, &profile, &service)?;
        Ok(Sigv4Config {
            credentials,
            region,
            endpoint_url,
            profile,
        })
    }
}

/// The two shared files, read.
struct SharedFiles {
    credentials: ProfileFile,
    config: ProfileFile,
}

impl SharedFiles {
    fn load(env: EnvLookup<'_>) -> Result<Self> {
        let home = optional(env, "HOME").or_else(|| optional(env, "USERPROFILE"));
        let home = home.as_deref();
        Ok(SharedFiles {
            credentials: open(
                env,
                "AWS_SHARED_CREDENTIALS_FILE",
                "credentials",
                home,
                FileKind::Credentials,
            )?,
            config: open(env, "AWS_CONFIG_FILE", "config", home, FileKind::Config)?,
        })
    }

    fn has_profile(&self, profile: &str) -> bool {
        self.credentials.has_profile(profile) || self.config.has_profile(profile)
    }

    /// A profile setting that is not a key, the credentials file first, and where it was
    /// found, for messages.
    fn setting(&self, profile: &str, key: &str) -> Option<(&str, String)> {
        [&self.credentials, &self.config]
            .into_iter()
            .find_map(|file| {
                let value = file.get(profile, key)?;
                let source = format!("`{key}` in profile `{profile}` of {}", file.name());
                Some((value, source))
            })
    }

    /// Where a profile setting is set, for messages.
    fn describe(&self, profile: &str, key: &str) -> Option<String> {
        self.setting(profile, key).map(|(_, source)| source)
    }
}

/// One shared file: the one `variable` names, else `~/.aws/<file_name>`.
fn open(
    env: EnvLookup<'_>,
    variable: &str,
    file_name: &str,
    home: Option<&str>,
    kind: FileKind,
) -> Result<ProfileFile> {
    let path = match optional(env, variable) {
        Some(value) => expand_home(value.trim(), home).ok_or_else(|| {
            Error::Config(format!(
                "{variable} starts with `~` but neither HOME nor USERPROFILE is set"
            ))
        })?,
        None => match home {
            Some(home) => Path::new(home).join(".aws").join(file_name),
            // Without a home directory there is no default file to read, as for the CLI.
            None => return Ok(ProfileFile::empty(format!("~/.aws/{file_name}"))),
        },
    };
    ProfileFile::load(&path, kind)
}

/// `path` with a leading `~` (alone, or followed by `/` or `\`) replaced by `home`, or
/// `None` when it has one and there is no home; `~user/…` is left as written.
fn expand_home(path: &str, home: Option<&str>) -> Option<PathBuf> {
    let Some(rest) = path.strip_prefix('~') else {
        return Some(PathBuf::from(path));
    };
    if rest.is_empty() {
        return home.map(PathBuf::from);
    }
    match rest.strip_prefix(['/', '\\']) {
        Some(rest) => home.map(|home| Path::new(home).join(rest)),
        None => Some(PathBuf::from(path)),
    }
}

/// How a profile's section starts in the config file.
fn config_header(profile: &str) -> String {
    if profile == DEFAULT_PROFILE {
        "[default]".to_owned()
    } else {
        format!("[profile {profile}]")
    }
}

/// The credentials, in the order described on [`Sigv4Config`].
fn credentials(
    env: EnvLookup<'_>,
    files: &mut SharedFiles,
    profile: &str,
) -> Result<Sigv4Credentials> {
    if let Some(credentials) = from_environment(env)? {
        return Ok(credentials);
    }
    if let Some((way, source)) = fetched_before_the_keys(env, files, profile) {
        return Err(not_fetched(way, &source, profile));
    }
    if let Some(credentials) = from_profile(&mut files.credentials, profile)? {
        return Ok(credentials);
    }
    // The CLI runs `credential_process` after the credentials file, before the config file.
    if let Some(source) = files.describe(profile, "credential_process") {
        return Err(not_fetched(
            "a `credential_process` command",
            &source,
            profile,
        ));
    }
    if let Some(credentials) = from_profile(&mut files.config, profile)? {
        return Ok(credentials);
    }
    Err(Error::Config(format!(
        "no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, and \
         profile `{profile}` has no aws_access_key_id in {} or {}. signed-api signs with \
         keys it is given and fetches none (no roles, SSO, instance or container \
         credentials); export short-term keys first: {}",
        files.credentials.name(),
        files.config.name(),
        export_command(profile)
    )))
}

/// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, when either is set.
fn from_environment(env: EnvLookup<'_>) -> Result<Option<Sigv4Credentials>> {
    let key_id = optional(env, "AWS_ACCESS_KEY_ID");
    let secret = optional(env, "AWS_SECRET_ACCESS_KEY").map(Zeroizing::new);
    let half = |set: &str, unset: &str| {
        Error::Config(format!("{set} is set but {unset} is not (or is empty)"))
    };
    let (key_id, secret) = match (key_id, secret) {
        (None, None) => return Ok(None),
        (Some(key_id), Some(secret)) => (key_id, secret),
        (Some(_), None) => return Err(half("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")),
        (None, Some(_)) => return Err(half("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")),
    };
    let token = TOKEN_VARIABLES
        .iter()
        .find_map(|name| optional(env, name))
        .map(Zeroizing::new);
    build(&key_id, secret, token)
        .map(Some)
        .map_err(|e| located(e, "the environment"))
}

/// The profile's keys in one file, when it has either of them.
fn from_profile(file: &mut ProfileFile, profile: &str) -> Result<Option<Sigv4Credentials>> {
    let place = format!("profile `{profile}` in {}", file.name());
    let key_id = file.take(profile, "aws_access_key_id");
    let secret = file.take(profile, "aws_secret_access_key");
    let half = |set: &str, unset: &str| Error::Config(format!("{place} has {set} but no {unset}"));
    let (key_id, secret) = match (key_id, secret) {
        (None, None) => return Ok(None),
        (Some(key_id), Some(secret)) => (key_id, secret),
        (Some(_), None) => return Err(half("aws_access_key_id", "aws_secret_access_key")),
        (None, Some(_)) => return Err(half("aws_secret_access_key", "aws_access_key_id")),
    };
    let token = TOKEN_SETTINGS
        .iter()
        .find_map(|key| file.take(profile, key));
    build(&key_id, secret, token)
        .map(Some)
        .map_err(|e| located(e, &place))
}

/// The credentials, each secret moved from its wiped buffer into its `Secret`.
fn build(
    key_id: &str,
    secret: Zeroizing<String>,
    token: Option<Zeroizing<String>>,
) -> Result<Sigv4Credentials> {
    let credentials = Sigv4Credentials::new(key_id, secret)?;
    match token {
        Some(token) => credentials.with_session_token(token),
        None => Ok(credentials),
    }
}

/// A configuration error that also says where the value was read.
fn located(error: Error, place: &str) -> Error {
    match error {
        Error::Config(message) => Error::Config(format!("{message} (read from {place})")),
        other => other,
    }
}

/// The first way of getting credentials that the CLI tries before the profile's keys and
/// that signed-api does not run: what it is, and the setting that asks for it.
fn fetched_before_the_keys(
    env: EnvLookup<'_>,
    files: &SharedFiles,
    profile: &str,
) -> Option<(&'static str, String)> {
    // With a token file, `role_arn` is the role of the web identity, handled below.
    let token_file_set = files.setting(profile, "web_identity_token_file").is_some();
    if !token_file_set {
        if let Some(source) = files.describe(profile, "role_arn") {
            return Some(("an assumed role", source));
        }
    }
    let token_file = optional(env, "AWS_WEB_IDENTITY_TOKEN_FILE")
        .map(|_| "AWS_WEB_IDENTITY_TOKEN_FILE".to_owned())
        .or_else(|| files.describe(profile, "web_identity_token_file"));
    if let Some(source) = token_file {
        return Some(("a web identity token", source));
    }
    SSO_SETTINGS.iter().find_map(|key| {
        let source = files.describe(profile, key)?;
        Some(("IAM Identity Center (SSO)", source))
    })
}

fn not_fetched(way: &str, source: &str, profile: &str) -> Error {
    Error::Config(format!(
        "{source} asks for credentials from {way}, which signed-api does not fetch: it signs \
         with keys it is given. Export short-term keys first: {}",
        export_command(profile)
    ))
}

/// The shell line that puts the CLI's credentials for `profile` into the environment.
fn export_command(profile: &str) -> String {
    let profile = if profile == DEFAULT_PROFILE {
        String::new()
    } else {
        format!(" --profile {profile}")
    };
    format!("eval \"$(aws configure export-credentials{profile} --format env)\"")
}

fn region(env: EnvLookup<'_>, files: &SharedFiles, profile: &str) -> Result<String> {
    for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(region) = optional(env, variable) {
            return checked_region(region.trim(), variable);
        }
    }
    if let Some((region, source)) = files.setting(profile, "region") {
        return checked_region(region, &source);
    }
    Err(Error::Config(format!(
        "no AWS region: AWS_REGION and AWS_DEFAULT_REGION are not set, and profile \
         `{profile}` has no `region` in {} or {}",
        files.config.name(),
        files.credentials.name()
    )))
}

/// A region goes into the credential scope and, usually, the host name: anything but a
/// plain name such as `eu-west-3` would be a signature for somewhere else.
fn checked_region(region: &str, source: &str) -> Result<String> {
    let plain = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !plain {
        return Err(Error::Config(format!(
            "{source} is not a region name: only lower-case letters, digits and `-` are \
             allowed, as in `us-east-1`"
        )));
    }
    Ok(region.to_owned())
}

fn endpoint_url(
    env: EnvLookup<'_>,
    files: &SharedFiles,
    profile: &str,
    service: &ServiceId,
) -> Result<Option<String>> {
    if ignores_configured_endpoints(env, files, profile)? {
        return Ok(None);
    }
    for variable in [service.variable.as_str(), "AWS_ENDPOINT_URL"] {
        if let Some(url) = optional(env, variable) {
            return checked_url(&url, variable).map(Some);
        }
    }
    if let Some((section, source)) = files.setting(profile, "services") {
        // A name that leads nowhere is more likely a typo than a wish for no endpoint.
        if !files.config.has_services(section) {
            return Err(Error::Config(format!(
                "{source} names `[services {section}]`, which is not in {}",
                files.config.name()
            )));
        }
        if let Some(url) = files
            .config
            .service_setting(section, &service.key, "endpoint_url")
        {
            let source = format!(
                "`endpoint_url` under `{}` in `[services {section}]` of {}",
                service.key,
                files.config.name()
            );
            return checked_url(url, &source).map(Some);
        }
    }
    if let Some((url, source)) = files.setting(profile, "endpoint_url") {
        return checked_url(url, &source).map(Some);
    }
    Ok(None)
}

fn ignores_configured_endpoints(
    env: EnvLookup<'_>,
    files: &SharedFiles,
    profile: &str,
) -> Result<bool> {
    const VARIABLE: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
    if let Some(value) = optional(env, VARIABLE) {
        return boolean(&value, VARIABLE);
    }
    match files.setting(profile, "ignore_configured_endpoint_urls") {
        Some((value, source)) => boolean(value, &source),
        None => Ok(false),
    }
}

/// `true` or `false` in any case. Anything else is refused rather than read as `false`:
/// a misspelt `true` would otherwise send requests to the configured endpoint.
fn boolean(value: &str, source: &str) -> Result<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(Error::Config(format!("{source} must be `true` or `false`")))
    }
}

/// An endpoint must say how to reach it: a bare host name would leave the scheme to guess.
fn checked_url(url: &str, source: &str) -> Result<String> {
    let url = url.trim();
    let scheme = ["http://", "https://"].into_iter().find(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
    });
    let usable = scheme.is_some_and(|scheme| url.len() > scheme.len())
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !usable {
        return Err(Error::Config(format!(
            "{source} must be an http:// or https:// URL without spaces"
        )));
    }
    Ok(url.to_owned())
}

/// The names a service goes by in the endpoint settings.
struct ServiceId {
    /// `AWS_ENDPOINT_URL_ELASTIC_BEANSTALK`.
    variable: String,
    /// `elastic_beanstalk`, in a `[services …]` section.
    key: String,
}

impl ServiceId {
    fn new(service: &str) -> Result<Self> {
        let service = service.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_');
        if service.is_empty() || !service.chars().all(allowed) {
            return Err(Error::Config(format!(
                "{service:?} is not an AWS service identifier (letters, digits, spaces, `-` \
                 and `_`, as in `s3`)"
            )));
        }
        let joined: String = service
            .chars()
            .map(|c| if matches!(c, ' ' | '-') { '_' } else { c })
            .collect();
        Ok(ServiceId {
            variable: format!("AWS_ENDPOINT_URL_{}", joined.to_ascii_uppercase()),
            key: joined.to_ascii_lowercase(),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const SECRET: &str = "sentinel-secret-wJalrXUtnFEMI/K7MDENG";
    const TOKEN: &str = "sentinel-token-IQoJb3JpZ2luX2Vj";

    /// A home directory of its own, removed when the test ends (passed or not).
    struct Home(PathBuf);

    impl Home {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "signed-api-sigv4-config-{name}-{}",
                std::process::id()
            ));
            std::fs::create_dir_all(dir.join(".aws")).unwrap();
            Home(dir)
        }

        fn credentials(self, text: &str) -> Self {
            std::fs::write(self.0.join(".aws/credentials"), text).unwrap();
            self
        }

        fn config(self, text: &str) -> Self {
            std::fs::write(self.0.join(".aws/config"), text).unwrap();
            self
        }

        fn path(&self, relative: &str) -> String {
            self.0.join(relative).display().to_string()
        }

        /// `vars` with `HOME` set to this directory (unless `vars` sets it).
        fn env(&self, vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
            let mut vars: HashMap<String, String> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            vars.entry("HOME".into())
                .or_insert_with(|| self.0.display().to_string());
            move |name: &str| vars.get(name).cloned()
        }

        fn load(&self, vars: &[(&str, &str)]) -> Result<Sigv4Config> {
            Sigv4Config::from_lookup(&self.env(vars), "s3")
        }

        fn error(&self, vars: &[(&str, &str)]) -> String {
            let err = self.load(vars).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{err:?}");
            let text = err.to_string();
            assert!(!text.contains("sentinel"), "a secret in: {text}");
            text
        }
    }

    impl Drop for Home {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn secret(config: &Sigv4Config) -> &str {
        config.credentials.secret_access_key().expose()
    }

    fn token(config: &Sigv4Config) -> Option<&str> {
        config
            .credentials
            .session_token()
            .map(|token| token.expose())
    }

    const REGION: (&str, &str) = ("AWS_REGION", "eu-west-3");

    #[test]
    fn environment_keys_win_even_when_aws_profile_is_set() {
        let home = Home::new("env-keys")
            .credentials("[dev]\naws_access_key_id = FILE\naws_secret_access_key = file\n");
        let config = home
            .load(&[
                ("AWS_ACCESS_KEY_ID", "ENVKEY"),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
                ("AWS_SESSION_TOKEN", TOKEN),
                ("AWS_PROFILE", "dev"),
                REGION,
            ])
            .unwrap();
        assert_eq!(config.credentials.access_key_id(), "ENVKEY");
        assert_eq!(secret(&config), SECRET);
        assert_eq!(token(&config), Some(TOKEN));
        assert_eq!(config.profile, "dev");
        let shown = format!("{config:?}");
        assert!(
            !shown.contains("sentinel") && shown.contains("ENVKEY"),
            "{shown}"
        );
    }

    #[test]
    fn the_old_token_variable_is_read_after_the_current_one() {
        let home = Home::new("env-token");
        let keys = [
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            REGION,
        ];
        let config = home
            .load(&[keys[0], keys[1], keys[2], ("AWS_SECURITY_TOKEN", "old")])
            .unwrap();
        assert_eq!(token(&config), Some("old"));
        let config = home
            .load(&[
                keys[0],
                keys[1],
                keys[2],
                ("AWS_SECURITY_TOKEN", "old"),
                ("AWS_SESSION_TOKEN", "new"),
            ])
            .unwrap();
        assert_eq!(token(&config), Some("new"));
        let config = home.load(&keys).unwrap();
        assert_eq!(token(&config), None);
    }

    #[test]
    fn half_of_the_environment_pair_is_an_error_naming_the_other_half() {
        let home = Home::new("env-half")
            .credentials("[default]\naws_access_key_id = A\naws_secret_access_key = s\n");
        let err = home.error(&[("AWS_ACCESS_KEY_ID", "AKID"), REGION]);
        assert!(err.contains("AWS_SECRET_ACCESS_KEY is not"), "{err}");
        let err = home.error(&[("AWS_SECRET_ACCESS_KEY", SECRET), REGION]);
        assert!(err.contains("AWS_ACCESS_KEY_ID is not"), "{err}");
        // Blank counts as unset.
        let err = home.error(&[
            ("AWS_ACCESS_KEY_ID", " "),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
        ]);
        assert!(err.contains("AWS_ACCESS_KEY_ID is not"), "{err}");
    }

    #[test]
    fn unusable_environment_keys_are_refused_saying_where_they_were_read() {
        let home = Home::new("env-bad");
        let err = home.error(&[
            ("AWS_ACCESS_KEY_ID", "AK/ID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            REGION,
        ]);
        assert!(
            err.contains("access key id") && err.contains("environment"),
            "{err}"
        );
        let err = home.error(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_SESSION_TOKEN", "sentinel token"),
            REGION,
        ]);
        assert!(err.contains("session token"), "{err}");
    }

    #[test]
    fn the_credentials_file_wins_over_the_config_file_as_a_whole() {
        let home = Home::new("files")
            .credentials(&format!(
                "[default]\naws_access_key_id = CREDS\naws_secret_access_key = {SECRET}\n"
            ))
            .config(
                "[default]\naws_access_key_id = CONFIG\naws_secret_access_key = config\n\
                 aws_session_token = config-token\nregion = us-west-2\n",
            );
        let config = home.load(&[]).unwrap();
        assert_eq!(config.credentials.access_key_id(), "CREDS");
        assert_eq!(secret(&config), SECRET);
        // The config file's token belongs to the config file's keys: not mixed in.
        assert_eq!(token(&config), None);
        assert_eq!(config.region, "us-west-2");
        assert_eq!(config.profile, "default");
        assert!(!format!("{config:?}").contains("sentinel"));
    }

    #[test]
    fn the_config_file_keys_are_used_when_the_credentials_file_has_none() {
        let home = Home::new("config-keys")
            .credentials("[dev]\nregion = ca-central-1\n")
            .config(&format!(
                "[profile dev]\naws_access_key_id = CONFIG\naws_secret_access_key = {SECRET}\n\
                 aws_session_token = {TOKEN}\n[dev]\naws_access_key_id = NOT-A-PROFILE\n"
            ));
        let config = home.load(&[("AWS_PROFILE", "dev")]).unwrap();
        assert_eq!(config.credentials.access_key_id(), "CONFIG");
        assert_eq!(secret(&config), SECRET);
        assert_eq!(token(&config), Some(TOKEN));
        assert_eq!(config.region, "ca-central-1");
    }

    #[test]
    fn half_a_pair_in_a_file_is_an_error_naming_the_file_and_the_profile() {
        let home = Home::new("file-half")
            .credentials(&format!("[dev]\naws_secret_access_key = {SECRET}\n"))
            .config("[profile dev]\naws_access_key_id = A\naws_secret_access_key = b\n");
        let err = home.error(&[("AWS_PROFILE", "dev"), REGION]);
        let file = home.path(".aws/credentials");
        assert!(err.contains(&file) && err.contains("`dev`"), "{err}");
        assert!(err.contains("no aws_access_key_id"), "{err}");

        let home = Home::new("file-half-2").config("[default]\naws_access_key_id = A\n");
        let err = home.error(&[REGION]);
        assert!(err.contains(&home.path(".aws/config")), "{err}");
        assert!(err.contains("no aws_secret_access_key"), "{err}");
    }

    #[test]
    fn unusable_keys_in_a_file_are_refused_naming_the_file() {
        // A value continued on an indented line holds a newline.
        let home = Home::new("file-bad").credentials(&format!(
            "[default]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\n  {SECRET}\n"
        ));
        let err = home.error(&[REGION]);
        assert!(err.contains("control characters"), "{err}");
        assert!(err.contains(&home.path(".aws/credentials")), "{err}");
    }

    #[test]
    fn a_named_profile_must_exist_in_one_of_the_files() {
        let home = Home::new("missing-profile")
            .credentials("[default]\naws_access_key_id = A\naws_secret_access_key = b\n");
        let err = home.error(&[
            ("AWS_PROFILE", "prod"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            REGION,
        ]);
        assert!(
            err.contains("`prod`") && err.contains("[profile prod]"),
            "{err}"
        );
        assert!(err.contains(&home.path(".aws/credentials")), "{err}");
        assert!(err.contains(&home.path(".aws/config")), "{err}");
        // Named explicitly, even `default` must exist (the CLI's rule too).
        let empty = Home::new("missing-default");
        let err = empty.error(&[("AWS_PROFILE", "default"), REGION]);
        assert!(
            err.contains("`default`") && err.contains("[default]"),
            "{err}"
        );
        // Unnamed, a missing default profile is simply empty.
        let config = empty
            .load(&[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
                REGION,
            ])
            .unwrap();
        assert_eq!(config.profile, "default");
    }

    #[test]
    fn no_credentials_anywhere_says_where_it_looked_and_what_to_run() {
        let home = Home::new("no-credentials").config("[profile dev]\nregion = eu-north-1\n");
        let err = home.error(&[("AWS_PROFILE", "dev")]);
        assert!(err.contains("AWS_ACCESS_KEY_ID"), "{err}");
        assert!(err.contains(&home.path(".aws/credentials")), "{err}");
        assert!(err.contains(&home.path(".aws/config")), "{err}");
        assert!(
            err.contains("eval \"$(aws configure export-credentials --profile dev --format env)\""),
            "{err}"
        );
        let err = Home::new("no-credentials-default").error(&[REGION]);
        assert!(
            err.contains("eval \"$(aws configure export-credentials --format env)\""),
            "{err}"
        );
    }

    #[test]
    fn what_the_cli_would_fetch_before_the_keys_is_refused() {
        let keys = format!("aws_access_key_id = A\naws_secret_access_key = {SECRET}\n");
        let cases = [
            (
                "role_arn = arn:aws:iam::1:role/r\nsource_profile = base\n",
                "`role_arn`",
                "role",
            ),
            (
                "sso_session = corp\nsso_account_id = 1\n",
                "`sso_session`",
                "SSO",
            ),
            (
                "sso_start_url = https://x.awsapps.com/start\n",
                "`sso_start_url`",
                "SSO",
            ),
            (
                "role_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t\n",
                "`web_identity_token_file`",
                "web identity",
            ),
        ];
        for (settings, key, way) in cases {
            // Without keys, and with keys (the CLI would still not use them).
            for with_keys in [false, true] {
                let keys = if with_keys { keys.as_str() } else { "" };
                let home = Home::new("fetched")
                    .config(&format!("[profile dev]\n{settings}"))
                    .credentials(&format!("[dev]\n{keys}"));
                let err = home.error(&[("AWS_PROFILE", "dev"), REGION]);
                assert!(err.contains(key) && err.contains(way), "{err}");
                assert!(err.contains(&home.path(".aws/config")), "{err}");
                assert!(
                    err.contains("aws configure export-credentials --profile dev --format env"),
                    "{err}"
                );
            }
        }
        // Environment keys come first and are used.
        let home = Home::new("fetched-env").config("[default]\nrole_arn = arn:aws:iam::1:role/r\n");
        let config = home
            .load(&[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", SECRET),
                REGION,
            ])
            .unwrap();
        assert_eq!(config.credentials.access_key_id(), "AKID");
        // A web identity in the environment (as on EKS) comes before the files.
        let home = Home::new("fetched-eks").credentials(&format!("[default]\n{keys}"));
        let err = home.error(&[
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/r"),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
            REGION,
        ]);
        assert!(err.contains("AWS_WEB_IDENTITY_TOKEN_FILE") && err.contains("web identity"));
    }

    #[test]
    fn credential_process_comes_between_the_two_files() {
        let keys = format!("aws_access_key_id = A\naws_secret_access_key = {SECRET}\n");
        let process = "credential_process = /usr/bin/vault-creds\n";
        let home = Home::new("process-creds")
            .credentials(&format!("[default]\n{keys}"))
            .config(&format!("[default]\n{process}"));
        assert_eq!(
            home.load(&[REGION]).unwrap().credentials.access_key_id(),
            "A"
        );

        let home = Home::new("process-config").config(&format!("[default]\n{keys}{process}"));
        let err = home.error(&[REGION]);
        assert!(err.contains("`credential_process`"), "{err}");
        assert!(err.contains("export-credentials --format env"), "{err}");
    }

    #[test]
    fn region_precedence_and_validation() {
        let keys = format!("aws_access_key_id = A\naws_secret_access_key = {SECRET}\n");
        let home = Home::new("region")
            .credentials(&format!("[default]\n{keys}region = eu-south-1\n"))
            .config("[default]\nregion = eu-central-1\n[profile other]\nregion = ap-east-1\n");
        let region = |vars: &[(&str, &str)]| home.load(vars).unwrap().region;
        assert_eq!(
            region(&[
                ("AWS_REGION", "us-east-2"),
                ("AWS_DEFAULT_REGION", "us-west-1")
            ]),
            "us-east-2"
        );
        assert_eq!(
            region(&[("AWS_DEFAULT_REGION", " us-west-1 ")]),
            "us-west-1"
        );
        // The credentials file is laid over the config file.
        assert_eq!(region(&[]), "eu-south-1");

        let home = Home::new("region-config")
            .credentials(&format!("[default]\n{keys}"))
            .config("[default]\nregion = eu-central-1\n");
        assert_eq!(home.load(&[]).unwrap().region, "eu-central-1");

        let err = home.error(&[("AWS_REGION", "us east 1")]);
        assert!(err.contains("AWS_REGION is not a region name"), "{err}");
        let err = home.error(&[("AWS_REGION", "us-east-1/x")]);
        assert!(err.contains("AWS_REGION"), "{err}");
        let err = home.error(&[("AWS_DEFAULT_REGION", "EU-WEST-1")]);
        assert!(err.contains("AWS_DEFAULT_REGION"), "{err}");

        let home = Home::new("region-bad")
            .credentials(&format!("[default]\n{keys}region = eu-west-1 # Ireland\n"));
        let err = home.error(&[]);
        assert!(err.contains("`region` in profile `default`"), "{err}");
        assert!(err.contains(&home.path(".aws/credentials")), "{err}");

        let home = Home::new("region-none").credentials(&format!("[default]\n{keys}"));
        let err = home.error(&[]);
        assert!(
            err.contains("AWS_REGION") && err.contains("AWS_DEFAULT_REGION"),
            "{err}"
        );
        assert!(err.contains(&home.path(".aws/config")), "{err}");
    }

    #[test]
    fn endpoint_precedence() {
        let home = Home::new("endpoint")
            .credentials(&format!(
                "[default]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\n"
            ))
            .config(
                "[default]\nregion = us-east-1\nendpoint_url = https://profile.example\n\
                 services = local\n[services local]\ns3 =\n  endpoint_url = http://localhost:9000\n\
                 elastic_beanstalk =\n  endpoint_url = http://localhost:9001\n",
            );
        let endpoint = |vars: &[(&str, &str)], service: &str| {
            Sigv4Config::from_lookup(&home.env(vars), service)
                .unwrap()
                .endpoint_url
        };
        let both = [
            ("AWS_ENDPOINT_URL_S3", "http://service.example"),
            ("AWS_ENDPOINT_URL", "http://global.example"),
        ];
        assert_eq!(
            endpoint(&both, "s3").as_deref(),
            Some("http://service.example")
        );
        assert_eq!(
            endpoint(&both[1..], "s3").as_deref(),
            Some("http://global.example")
        );
        assert_eq!(
            endpoint(&[], "s3").as_deref(),
            Some("http://localhost:9000")
        );
        assert_eq!(
            endpoint(&[], "Elastic Beanstalk").as_deref(),
            Some("http://localhost:9001")
        );
        assert_eq!(
            endpoint(
                &[("AWS_ENDPOINT_URL_ELASTIC_BEANSTALK", "https://eb.example")],
                "elastic-beanstalk"
            )
            .as_deref(),
            Some("https://eb.example")
        );
        assert_eq!(
            endpoint(&[], "sqs").as_deref(),
            Some("https://profile.example")
        );

        let home = Home::new("endpoint-services-missing")
            .credentials(&format!(
                "[default]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\n"
            ))
            .config("[default]\nservices = locla\n[services local]\n");
        let err = home.error(&[REGION]);
        assert!(err.contains("`services` in profile `default`"), "{err}");
        assert!(err.contains("[services locla]"), "{err}");
        // The environment is read first, as the CLI reads it.
        assert!(
            home.load(&[REGION, ("AWS_ENDPOINT_URL", "http://e")])
                .is_ok()
        );
    }

    #[test]
    fn configured_endpoints_can_be_ignored() {
        let keys = format!("aws_access_key_id = A\naws_secret_access_key = {SECRET}\n");
        let home = Home::new("ignore").credentials(&format!(
            "[default]\n{keys}endpoint_url = http://localhost:9000\n\
             [quiet]\n{keys}endpoint_url = http://localhost:9000\n\
             ignore_configured_endpoint_urls = TRUE\n"
        ));
        let endpoint = |vars: &[(&str, &str)]| home.load(vars).unwrap().endpoint_url;
        let url = ("AWS_ENDPOINT_URL", "http://env.example");
        let ignore = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        assert_eq!(endpoint(&[REGION]), Some("http://localhost:9000".into()));
        assert_eq!(endpoint(&[REGION, ignore, url]), None);
        assert_eq!(endpoint(&[REGION, ("AWS_PROFILE", "quiet"), url]), None);
        // The variable wins over the profile's setting.
        let keep = ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
        assert_eq!(
            endpoint(&[REGION, ("AWS_PROFILE", "quiet"), keep]),
            Some("http://localhost:9000".into())
        );
        let err = home.error(&[REGION, ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "yes")]);
        assert!(err.contains("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "{err}");
    }

    #[test]
    fn an_endpoint_must_be_an_http_url() {
        let home = Home::new("endpoint-bad")
            .credentials(&format!(
                "[default]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\n"
            ))
            .config("[default]\nendpoint_url = localhost:9000\n");
        for (variable, value) in [
            ("AWS_ENDPOINT_URL_S3", "s3.example"),
            ("AWS_ENDPOINT_URL", "ftp://x"),
            ("AWS_ENDPOINT_URL", "https://"),
            ("AWS_ENDPOINT_URL", "https://a b"),
        ] {
            let err = home.error(&[REGION, (variable, value)]);
            assert!(err.contains(variable) && err.contains("http://"), "{err}");
        }
        assert_eq!(
            home.load(&[
                REGION,
                ("AWS_ENDPOINT_URL", " HTTPS://Store.Example:9000/ ")
            ])
            .unwrap()
            .endpoint_url
            .as_deref(),
            Some("HTTPS://Store.Example:9000/")
        );
        let err = home.error(&[REGION]);
        assert!(err.contains("`endpoint_url` in profile `default`"), "{err}");
        assert!(err.contains(&home.path(".aws/config")), "{err}");
    }

    #[test]
    fn the_file_variables_and_the_home_directory_locate_the_files() {
        let home = Home::new("locate");
        std::fs::create_dir_all(home.0.join("elsewhere")).unwrap();
        std::fs::write(
            home.0.join("elsewhere/creds"),
            format!("[default]\naws_access_key_id = MOVED\naws_secret_access_key = {SECRET}\n"),
        )
        .unwrap();
        std::fs::write(
            home.0.join("elsewhere/conf"),
            "[default]\nregion = sa-east-1\n",
        )
        .unwrap();
        let conf = home.path("elsewhere/conf");
        let moved = [
            ("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds"),
            ("AWS_CONFIG_FILE", conf.as_str()),
        ];
        let config = home.load(&moved).unwrap();
        assert_eq!(config.credentials.access_key_id(), "MOVED");
        assert_eq!(config.region, "sa-east-1");

        // USERPROFILE when HOME is not set.
        let home_dir = home.0.display().to_string();
        let vars = HashMap::from([
            ("USERPROFILE".to_owned(), home_dir.clone()),
            (
                "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
                "~/elsewhere/creds".to_owned(),
            ),
            ("AWS_CONFIG_FILE".to_owned(), "~\\elsewhere/conf".to_owned()),
        ]);
        let lookup = move |name: &str| vars.get(name).cloned();
        let config = Sigv4Config::from_lookup(&lookup, "s3");
        assert_eq!(config.unwrap().credentials.access_key_id(), "MOVED");

        // No home at all: the default files are absent, and a `~` cannot be expanded.
        let none = |name: &str| (name == "AWS_REGION").then(|| "us-east-1".to_owned());
        let err = Sigv4Config::from_lookup(&none, "s3")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("~/.aws/credentials") && err.contains("~/.aws/config"),
            "{err}"
        );
        let tilde = |name: &str| (name == "AWS_CONFIG_FILE").then(|| "~/conf".to_owned());
        let err = Sigv4Config::from_lookup(&tilde, "s3")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("AWS_CONFIG_FILE") && err.contains("HOME"),
            "{err}"
        );
    }

    #[test]
    fn a_malformed_file_is_an_error_naming_it() {
        let home = Home::new("malformed")
            .credentials(&format!("[default]\naws_access_key_id = A\n{SECRET}\n"));
        let err = home.error(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            REGION,
        ]);
        assert!(
            err.contains(&home.path(".aws/credentials")) && err.contains("line 3"),
            "{err}"
        );
    }

    #[test]
    fn service_ids_become_variable_and_section_names() {
        let id = ServiceId::new("Elastic Beanstalk").unwrap();
        assert_eq!(id.variable, "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK");
        assert_eq!(id.key, "elastic_beanstalk");
        let id = ServiceId::new("s3").unwrap();
        assert_eq!(
            (id.variable.as_str(), id.key.as_str()),
            ("AWS_ENDPOINT_URL_S3", "s3")
        );
        for bad in ["", "  ", "s3/x", "s3.x", "é"] {
            let err = Sigv4Config::from_lookup(&|_: &str| -> Option<String> { None }, bad)
                .unwrap_err()
                .to_string();
            assert!(err.contains("service identifier"), "{bad:?}: {err}");
        }
        assert_eq!(expand_home("~", Some("/h")), Some(PathBuf::from("/h")));
        assert_eq!(expand_home("~bob/x", None), Some(PathBuf::from("~bob/x")));
        assert_eq!(expand_home("/abs", None), Some(PathBuf::from("/abs")));
        assert_eq!(expand_home("~/x", None), None);
    }
}
