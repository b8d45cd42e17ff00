//! The built-in schemes, one folder each: credentials, configuration (environment and
//! files), the string to sign, the signer (client side), the verifier (server side) and
//! how the vendor's answers are read, in files named for what they hold. Each scheme's
//! rule is written out in `docs/schemes/<name>.md`.

pub mod armor;
pub mod nops;
pub mod ovh;
pub mod qredo;
pub mod sigv4;

use crate::scheme::SchemeDescriptor;

/// Every built-in scheme, in the order the command line lists them. Adding a scheme adds
/// its folder above and one line here.
pub static BUILTIN: &[&SchemeDescriptor] = &[
    &nops::DESCRIPTOR,
    &ovh::DESCRIPTOR,
    &qredo::DESCRIPTOR,
    &armor::DESCRIPTOR,
];

/// The built-in scheme called `name` (`"ovh"`).
pub fn builtin(name: &str) -> Option<&'static SchemeDescriptor> {
    BUILTIN.iter().copied().find(|scheme| scheme.name == name)
}

pub use armor::{ArmorConfig, ArmorCredentials, ArmorNonce, ArmorScheme, ArmorVerifier};
pub use nops::{NopsConfig, NopsCredentials, NopsKeyPlacement, NopsScheme, NopsVerifier};
pub use ovh::{OvhConfig, OvhCredentials, OvhScheme, OvhVerifier};
pub use qredo::{
    QredoConfig, QredoCredentials, QredoEnvironment, QredoScheme, QredoTimeMode, QredoVerifier,
};
