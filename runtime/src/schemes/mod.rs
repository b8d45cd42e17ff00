//! The four built-in schemes. Each module holds the scheme (client side), its verifier
//! (server side), its credentials and where they are read from.

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
