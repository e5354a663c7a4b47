//! TLS with libpq's meanings of `sslmode`, on rustls (the ring provider).
//!
//! | sslmode | TLS | the server's certificate |
//! |---|---|---|
//! | `disable` | never | — |
//! | `allow` | only if the server refuses a plain connection | not checked |
//! | `prefer` (default) | whenever the server offers it | not checked |
//! | `require` | always | not checked; with a root certificate (`sslrootcert`, or `~/.postgresql/root.crt`), as `verify-ca` |
//! | `verify-ca` | always | signed by a trusted root |
//! | `verify-full` | always | signed by a trusted root, and naming the host |

use std::path::{Path, PathBuf};
use std::sync::Arc;

use keyway::{Error, Result};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub(crate) fn parse(s: &str) -> Result<SslMode> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(invalid(format!(
                    "sslmode `{other}` (disable, allow, prefer, require, verify-ca or verify-full)"
                )));
            }
        })
    }
}

/// Where the trusted roots come from: `sslrootcert=<file>` or
/// `sslrootcert=system` (the platform's store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Roots {
    File(PathBuf),
    System,
}

/// The TLS settings of a connection string.
#[derive(Debug, Clone, Default)]
pub(crate) struct TlsOptions {
    pub(crate) root_cert: Option<Roots>,
    pub(crate) cert: Option<PathBuf>,
    pub(crate) key: Option<PathBuf>,
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::Invalid {
        what: "PostgreSQL URL",
        detail: detail.into(),
    }
}

/// libpq's default root certificate file, `~/.postgresql/root.crt`.
fn default_root() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let path = Path::new(&home).join(".postgresql/root.crt");
    path.is_file().then_some(path)
}

/// How the server's certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Nothing,
    Chain,
    ChainAndName,
}

/// The rustls connector for `mode` and `options`: roots and client
/// certificate read now, so that a missing or malformed file fails
/// `connect` with `Error::Invalid`.
pub(crate) fn connector(mode: SslMode, options: &TlsOptions) -> Result<MakeRustlsConnect> {
    let roots = options
        .root_cert
        .clone()
        .or_else(|| default_root().map(Roots::File));
    let check = match (mode, &roots) {
        (SslMode::VerifyFull, _) => Check::ChainAndName,
        (SslMode::VerifyCa, _) => Check::Chain,
        // libpq: require with a root certificate verifies it as verify-ca.
        (SslMode::Require, Some(_)) => Check::Chain,
        _ => Check::Nothing,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS: {e}")))?;
    let algorithms = provider.signature_verification_algorithms;
    let builder = if check == Check::Nothing {
        let verifier = Lenient {
            chain: None,
            algorithms,
        };
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
    } else {
        let Some(roots) = roots else {
            return Err(invalid(
                "sslmode=verify-ca and verify-full need trusted roots: give sslrootcert=<file> \
                 (the CA's PEM certificates) or sslrootcert=system (the platform's roots)",
            ));
        };
        let store = Arc::new(root_store(&roots)?);
        let webpki = WebPkiServerVerifier::builder_with_provider(store, provider.clone())
            .build()
            .map_err(|e| invalid(format!("TLS roots: {e}")))?;
        match check {
            Check::Chain => {
                let verifier = Lenient {
                    chain: Some(webpki),
                    algorithms,
                };
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(verifier))
            }
            _ => builder.with_webpki_verifier(webpki),
        }
    };
    let config = match (&options.cert, &options.key) {
        (Some(cert), Some(key)) => {
            let chain = certificates(cert, "sslcert")?;
            let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
                invalid(format!(
                    "sslkey={}: no private key read: {e}",
                    key.display()
                ))
            })?;
            builder
                .with_client_auth_cert(chain, key)
                .map_err(|e| invalid(format!("sslcert/sslkey: {e}")))?
        }
        (None, None) => builder.with_no_client_auth(),
        (Some(_), None) => return Err(invalid("sslcert is given without sslkey")),
        (None, Some(_)) => return Err(invalid("sslkey is given without sslcert")),
    };
    Ok(MakeRustlsConnect::new(config))
}

fn root_store(roots: &Roots) -> Result<RootCertStore> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::File(path) => {
            for cert in certificates(path, "sslrootcert")? {
                store
                    .add(cert)
                    .map_err(|e| invalid(format!("sslrootcert={}: {e}", path.display())))?;
            }
        }
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(found.certs);
            if store.is_empty() {
                return Err(invalid(format!(
                    "sslrootcert=system: the platform has no root certificates ({} errors)",
                    found.errors.len()
                )));
            }
        }
    }
    Ok(store)
}

/// The PEM certificates of `path` (at least one).
fn certificates(path: &Path, option: &str) -> Result<Vec<CertificateDer<'static>>> {
    let read = |e: &dyn std::fmt::Display| invalid(format!("{option}={}: {e}", path.display()));
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| read(&e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| read(&e))?;
    if certs.is_empty() {
        return Err(read(&"no PEM certificate in it"));
    }
    Ok(certs)
}

/// The server's certificate check of `prefer`, `require` (nothing: the
/// connection is encrypted, the server not authenticated, as libpq does)
/// and `verify-ca` (signed by a trusted root, whatever host it names). The
/// handshake's signatures are always checked.
#[derive(Debug)]
struct Lenient {
    /// The chain's check, for `verify-ca`.
    chain: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        // The name is checked last, once the chain is known good.
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
