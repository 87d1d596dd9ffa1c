//! HTTPS for the shop's own network. Tablets reach the server by a LAN address, which browsers
//! treat as a secure context only over HTTPS: without it there is no service worker (so no
//! offline), no camera and no install. A shop without certificates runs `kefu-server tls init`
//! once: it makes the shop's own certificate authority (installed once on each tablet, from
//! `/shop-ca.crt`) and a server certificate for the names and addresses given, signed by it.
//! Running `tls init` again (a new address, a certificate near its end) keeps the authority,
//! so the tablets need nothing new.

use chrono::{Datelike, Duration, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The authority's certificate, which tablets install, and its key, which stays on the server.
pub const CA_CERT: &str = "shop-ca.crt";
pub const CA_KEY: &str = "shop-ca.key";
/// The server's certificate (followed by the authority's, so browsers get the whole chain)
/// and key, for `--tls-cert` and `--tls-key`.
pub const SERVER_CERT: &str = "server.crt";
pub const SERVER_KEY: &str = "server.key";

/// Apple's devices refuse a server certificate valid for more than 825 days.
const SERVER_DAYS: i64 = 800;
const CA_YEARS: i32 = 20;

#[derive(Debug, Error)]
pub enum TlsError {
    #[error(transparent)]
    Certificate(#[from] rcgen::Error),
    #[error("{path}: {error}")]
    File {
        path: PathBuf,
        error: std::io::Error,
    },
}

fn read(path: &Path) -> Result<Option<String>, TlsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(TlsError::File {
            path: path.into(),
            error,
        }),
    }
}

fn write(path: &Path, text: &str) -> Result<(), TlsError> {
    std::fs::write(path, text).map_err(|error| TlsError::File {
        path: path.into(),
        error,
    })
}

fn ymd(at: chrono::DateTime<Utc>) -> (i32, u8, u8) {
    (at.year(), at.month() as u8, at.day() as u8)
}

/// The authority as it signs: the same name and key every time, so certificates it issues
/// later chain to the certificate the tablets installed.
fn authority_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "Kefu shop certificate authority");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let now = Utc::now();
    let (year, month, day) = ymd(now - Duration::days(1));
    params.not_before = rcgen::date_time_ymd(year, month, day);
    params.not_after = rcgen::date_time_ymd(now.year() + CA_YEARS, 1, 1);
    params
}

/// What `init` made, for the operator.
pub struct Issued {
    pub made_authority: bool,
    pub names: Vec<String>,
}

/// Writes the authority (unless `dir` has one) and a server certificate for `names` (host
/// names and IP addresses; `localhost` and `127.0.0.1` are always included) into `dir`.
pub fn init(dir: &Path, names: &[String]) -> Result<Issued, TlsError> {
    std::fs::create_dir_all(dir).map_err(|error| TlsError::File {
        path: dir.into(),
        error,
    })?;
    let (ca_cert_path, ca_key_path) = (dir.join(CA_CERT), dir.join(CA_KEY));
    let existing = match (read(&ca_cert_path)?, read(&ca_key_path)?) {
        (Some(cert), Some(key)) => Some((cert, KeyPair::from_pem(&key)?)),
        _ => None,
    };
    let made_authority = existing.is_none();
    let (ca_pem, ca_key) = match existing {
        Some(existing) => existing,
        None => {
            let key = KeyPair::generate()?;
            let cert = authority_params().self_signed(&key)?;
            write(&ca_key_path, &key.serialize_pem())?;
            write(&ca_cert_path, &cert.pem())?;
            (cert.pem(), key)
        }
    };
    let issuer = Issuer::new(authority_params(), ca_key);

    let mut all_names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    for name in names {
        if !all_names.contains(name) {
            all_names.push(name.clone());
        }
    }
    let mut params = CertificateParams::new(all_names.clone())?;
    params.distinguished_name.push(
        DnType::CommonName,
        all_names.last().cloned().unwrap_or_default(),
    );
    params.use_authority_key_identifier_extension = true;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = Utc::now();
    let (year, month, day) = ymd(now - Duration::days(1));
    params.not_before = rcgen::date_time_ymd(year, month, day);
    let (year, month, day) = ymd(now + Duration::days(SERVER_DAYS));
    params.not_after = rcgen::date_time_ymd(year, month, day);
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    write(&dir.join(SERVER_KEY), &key.serialize_pem())?;
    write(&dir.join(SERVER_CERT), &format!("{}{}", cert.pem(), ca_pem))?;
    Ok(Issued {
        made_authority,
        names: all_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_init_keeps_the_authority_and_chains_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = init(dir.path(), &["192.168.1.20".into()]).unwrap();
        assert!(first.made_authority);
        assert_eq!(first.names, ["localhost", "127.0.0.1", "192.168.1.20"]);
        let authority = std::fs::read_to_string(dir.path().join(CA_CERT)).unwrap();
        let second = init(dir.path(), &["kefu.shop.lan".into(), "localhost".into()]).unwrap();
        assert!(!second.made_authority);
        assert_eq!(second.names, ["localhost", "127.0.0.1", "kefu.shop.lan"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CA_CERT)).unwrap(),
            authority
        );
        let chain = std::fs::read_to_string(dir.path().join(SERVER_CERT)).unwrap();
        assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2);
        assert!(chain.ends_with(&authority));
    }
}
