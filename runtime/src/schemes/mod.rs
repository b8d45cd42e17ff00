//! The built-in schemes, one folder each: credentials, configuration (environment and
//! files), the string to sign, the signer (client side), the verifier (server side) and
//! how the vendor's answers are read, in files named for what they hold. Each scheme's
//! rule is written out in `docs/schemes/<name>.md`.

pub mod armor;
pub mod nops;
pub mod ovh;
pub mod qredo;

pub use armor::{ArmorConfig, ArmorCredentials, ArmorNonce, ArmorScheme, ArmorVerifier};
pub use nops::{NopsConfig, NopsCredentials, NopsKeyPlacement, NopsScheme, NopsVerifier};
pub use ovh::{OvhConfig, OvhCredentials, OvhScheme, OvhVerifier};
pub use qredo::{
    QredoConfig, QredoCredentials, QredoEnvironment, QredoScheme, QredoTimeMode, QredoVerifier,
};
