//! Which backend stores the files, read from `LYCEUM_STORAGE_DIR` and `LYCEUM_S3_*`, and how
//! each is opened.

use std::{path::PathBuf, sync::Arc};

use anyhow::Context;
use object_store::{ObjectStore, aws::AmazonS3Builder, local::LocalFileSystem, signer::Signer};

use crate::secret::Secret;

/// Where files are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageConfig {
    /// A folder on this machine (the default, `./data/storage`); created when missing.
    Local {
        /// The folder.
        dir: PathBuf,
    },
    /// A bucket on an S3-compatible service (AWS, DigitalOcean Spaces, MinIO).
    S3(S3Config),
}

/// An S3-compatible bucket. `Debug` never shows the secret key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct S3Config {
    /// The bucket's name.
    pub bucket: String,
    /// The service's URL (`https://nyc3.digitaloceanspaces.com`, `http://127.0.0.1:9000`);
    /// AWS itself when unset.
    pub endpoint: Option<String>,
    /// The region (`us-east-1` unless set).
    pub region: String,
    /// Access key id; without it the service's usual credential chain (instance role) is used.
    pub access_key_id: Option<String>,
    /// Secret access key.
    pub secret_access_key: Option<Secret>,
    /// Address the bucket as `endpoint/bucket/key` rather than `bucket.endpoint/key`.
    pub path_style: bool,
}

impl StorageConfig {
    /// Reads the settings through `var` (the environment, in production).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let Some(bucket) = var("LYCEUM_S3_BUCKET") else {
            let dir = var("LYCEUM_STORAGE_DIR").unwrap_or_else(|| "./data/storage".into());
            return Ok(Self::Local { dir: dir.into() });
        };
        let endpoint = var("LYCEUM_S3_ENDPOINT").map(|e| e.trim_end_matches('/').to_string());
        if let Some(endpoint) = &endpoint {
            check_endpoint(endpoint)?;
        }
        let path_style = match var("LYCEUM_S3_PATH_STYLE").as_deref() {
            None => endpoint.is_some(),
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(other) => anyhow::bail!("LYCEUM_S3_PATH_STYLE must be true or false, not {other:?}"),
        };
        let access_key_id = var("LYCEUM_S3_ACCESS_KEY_ID");
        let secret_access_key = var("LYCEUM_S3_SECRET_ACCESS_KEY").map(Secret::from);
        if access_key_id.is_some() != secret_access_key.is_some() {
            anyhow::bail!("set both LYCEUM_S3_ACCESS_KEY_ID and LYCEUM_S3_SECRET_ACCESS_KEY, or neither");
        }
        Ok(Self::S3(S3Config {
            bucket,
            endpoint,
            region: var("LYCEUM_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
            access_key_id,
            secret_access_key,
            path_style,
        }))
    }
}

/// An endpoint must be an http(s) URL; plain http only on this machine (a local MinIO, tests).
fn check_endpoint(endpoint: &str) -> anyhow::Result<()> {
    let rest = if let Some(rest) = endpoint.strip_prefix("https://") {
        rest
    } else if let Some(rest) = endpoint.strip_prefix("http://") {
        if !is_loopback(rest) {
            anyhow::bail!("LYCEUM_S3_ENDPOINT must use https unless the service runs on this machine: {endpoint}");
        }
        rest
    } else {
        anyhow::bail!("LYCEUM_S3_ENDPOINT must start with https:// (or http:// on this machine): {endpoint}");
    };
    anyhow::ensure!(!rest.is_empty(), "LYCEUM_S3_ENDPOINT has no host: {endpoint}");
    Ok(())
}

/// Whether the authority part of a URL (`host[:port][/…]`) names this machine.
fn is_loopback(authority: &str) -> bool {
    let authority = authority.split('/').next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An opened backend: the store, and a URL signer when the backend can sign.
pub(super) struct Opened {
    pub store: Arc<dyn ObjectStore>,
    pub signer: Option<Arc<dyn Signer>>,
    /// Whether the backend keeps attributes such as the content type.
    pub keeps_attributes: bool,
}

/// Opens the configured backend.
pub(super) fn open(config: &StorageConfig) -> anyhow::Result<Opened> {
    match config {
        StorageConfig::Local { dir } => {
            std::fs::create_dir_all(dir).with_context(|| format!("create the storage folder {}", dir.display()))?;
            let store = LocalFileSystem::new_with_prefix(dir)
                .with_context(|| format!("open the storage folder {}", dir.display()))?
                .with_automatic_cleanup(true)
                .with_fsync(true);
            Ok(Opened { store: Arc::new(store), signer: None, keeps_attributes: false })
        }
        StorageConfig::S3(s3) => {
            super::install_crypto_provider();
            let mut builder = AmazonS3Builder::new()
                .with_bucket_name(&s3.bucket)
                .with_region(&s3.region)
                .with_virtual_hosted_style_request(!s3.path_style);
            if let Some(endpoint) = &s3.endpoint {
                check_endpoint(endpoint)?;
                builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
            }
            if let (Some(id), Some(secret)) = (&s3.access_key_id, &s3.secret_access_key) {
                builder = builder.with_access_key_id(id).with_secret_access_key(secret.expose());
            }
            let store = Arc::new(builder.build().context("configure the S3 bucket")?);
            Ok(Opened { store: store.clone(), signer: Some(store), keeps_attributes: true })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::StorageConfig;

    fn read(vars: &[(&str, &str)]) -> anyhow::Result<StorageConfig> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        StorageConfig::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn local_disk_is_the_default() {
        assert_eq!(read(&[]).unwrap(), StorageConfig::Local { dir: "./data/storage".into() });
        assert_eq!(
            read(&[("LYCEUM_STORAGE_DIR", "/srv/files")]).unwrap(),
            StorageConfig::Local { dir: "/srv/files".into() }
        );
    }

    #[test]
    fn a_bucket_selects_s3_with_path_style_for_custom_endpoints() {
        let StorageConfig::S3(s3) = read(&[
            ("LYCEUM_S3_BUCKET", "lyceum"),
            ("LYCEUM_S3_ENDPOINT", "http://127.0.0.1:9000/"),
            ("LYCEUM_S3_ACCESS_KEY_ID", "AKID"),
            ("LYCEUM_S3_SECRET_ACCESS_KEY", "very-secret-value"),
        ])
        .unwrap() else {
            panic!("not S3")
        };
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(s3.region, "us-east-1");
        assert!(s3.path_style);
        assert!(!format!("{s3:?}").contains("very-secret-value"), "the secret never reaches Debug");

        let StorageConfig::S3(aws) = read(&[("LYCEUM_S3_BUCKET", "b"), ("LYCEUM_S3_REGION", "eu-west-1")]).unwrap()
        else {
            panic!("not S3")
        };
        assert!(!aws.path_style && aws.endpoint.is_none() && aws.region == "eu-west-1");
        let StorageConfig::S3(spaces) = read(&[
            ("LYCEUM_S3_BUCKET", "b"),
            ("LYCEUM_S3_ENDPOINT", "https://nyc3.digitaloceanspaces.com"),
            ("LYCEUM_S3_PATH_STYLE", "false"),
        ])
        .unwrap() else {
            panic!("not S3")
        };
        assert!(!spaces.path_style);
    }

    #[test]
    fn plain_http_is_refused_off_this_machine() {
        for endpoint in
            ["http://localhost:9000", "http://127.0.0.1:9000", "http://[::1]:9000", "https://s3.example.com"]
        {
            assert!(read(&[("LYCEUM_S3_BUCKET", "b"), ("LYCEUM_S3_ENDPOINT", endpoint)]).is_ok(), "{endpoint}");
        }
        for endpoint in ["http://s3.example.com", "http://10.0.0.5:9000", "ftp://127.0.0.1", "https://"] {
            assert!(read(&[("LYCEUM_S3_BUCKET", "b"), ("LYCEUM_S3_ENDPOINT", endpoint)]).is_err(), "{endpoint}");
        }
        assert!(read(&[("LYCEUM_S3_BUCKET", "b"), ("LYCEUM_S3_PATH_STYLE", "maybe")]).is_err());
        assert!(read(&[("LYCEUM_S3_BUCKET", "b"), ("LYCEUM_S3_ACCESS_KEY_ID", "only-half")]).is_err());
    }
}
