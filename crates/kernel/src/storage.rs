//! File storage behind one interface: a folder on local disk by default, any S3-compatible
//! service by URL (`s3://bucket`, endpoint and keys from the usual `AWS_*` variables).

use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use futures::TryStreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    /// The folder of a local store: what `put` syncs to disk before it returns.
    local: Option<std::path::PathBuf>,
}

impl Storage {
    pub fn open(url: &str) -> anyhow::Result<Storage> {
        let local = url.strip_prefix("file://").map(std::path::PathBuf::from);
        let store: Arc<dyn ObjectStore> = if let Some(dir) = url.strip_prefix("file://") {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create the file storage folder {dir}"))?;
            Arc::new(LocalFileSystem::new_with_prefix(dir).with_context(|| format!("file storage at {dir}"))?)
        } else if url.starts_with("s3://") {
            // s3://bucket?endpoint=…&region=…&access_key_id=…&secret_access_key=…;
            // anything not in the URL comes from the usual AWS_* environment variables.
            let parsed = url::Url::parse(url)
                .with_context(|| format!("storage_url is not a URL: {}", crate::db::redact_url(url)))?;
            let bucket = parsed.host_str().context("storage_url names no bucket: s3://BUCKET")?;
            let mut builder = AmazonS3Builder::from_env().with_url(format!("s3://{bucket}"));
            // A plain-http endpoint (a MinIO in the same network) is meant as written.
            let plain = parsed.query_pairs().any(|(k, v)| k == "endpoint" && v.starts_with("http://"));
            if plain && !parsed.query_pairs().any(|(k, _)| k == "allow_http") {
                builder = builder.with_allow_http(true);
            }
            for (k, v) in parsed.query_pairs() {
                let key: AmazonS3ConfigKey =
                    k.parse().with_context(|| format!("storage_url: unknown S3 option `{k}`"))?;
                builder = builder.with_config(key, v.into_owned());
            }
            Arc::new(builder.build().with_context(|| format!("S3 storage at s3://{bucket}"))?)
        } else {
            anyhow::bail!("storage_url must start with file:// or s3://, got {}", crate::db::redact_url(url));
        };
        Ok(Storage { store, local })
    }

    fn key(key: &str) -> anyhow::Result<ObjectPath> {
        ObjectPath::parse(key).with_context(|| format!("not a valid storage key: {key}"))
    }

    pub async fn put(&self, key: &str, data: Bytes) -> anyhow::Result<()> {
        self.store
            .put(&Self::key(key)?, PutPayload::from(data))
            .await
            .with_context(|| format!("cannot store {key}"))?;
        if let Some(root) = &self.local {
            // On local disk a stored file survives a power cut only once it and every folder
            // created for it are synced (an S3 service answers only after storing durably).
            let (root, owned) = (root.clone(), key.to_string());
            tokio::task::spawn_blocking(move || sync_path(&root, &owned))
                .await
                .context("file sync task")?
                .with_context(|| format!("cannot sync {key} to disk"))?;
        }
        Ok(())
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<Bytes> {
        let r = self.store.get(&Self::key(key)?).await.with_context(|| format!("cannot read {key}"))?;
        Ok(r.bytes().await?)
    }

    /// The first `n` bytes of a stored file (all of it when shorter): a preview that does not
    /// read a large file whole.
    pub async fn head_bytes(&self, key: &str, n: u64) -> anyhow::Result<Bytes> {
        let path = Self::key(key)?;
        let size = self.store.head(&path).await.with_context(|| format!("cannot read {key}"))?.size;
        if size == 0 {
            return Ok(Bytes::new());
        }
        self.store.get_range(&path, 0..size.min(n)).await.with_context(|| format!("cannot read {key}"))
    }

    pub async fn delete(&self, key: &str) -> anyhow::Result<()> {
        self.store.delete(&Self::key(key)?).await.with_context(|| format!("cannot delete {key}"))?;
        Ok(())
    }

    /// Every key in the store, for backups.
    pub async fn keys(&self) -> anyhow::Result<Vec<String>> {
        let list: Vec<_> = self.store.list(None).try_collect().await.context("cannot list the file storage")?;
        Ok(list.into_iter().map(|m| m.location.to_string()).collect())
    }

    /// The keys under a folder, each with when it was last written (ms since the epoch).
    pub async fn keys_under(&self, folder: &str) -> anyhow::Result<Vec<(String, i64)>> {
        let prefix = Self::key(folder)?;
        let list: Vec<_> =
            self.store.list(Some(&prefix)).try_collect().await.with_context(|| format!("cannot list {folder}"))?;
        Ok(list.into_iter().map(|m| (m.location.to_string(), m.last_modified.timestamp_millis())).collect())
    }
}

/// Syncs a stored file, then each folder from its own up to the store's root.
fn sync_path(root: &std::path::Path, key: &str) -> std::io::Result<()> {
    let mut path = root.join(key);
    std::fs::File::open(&path)?.sync_all()?;
    while path.pop() && path.starts_with(root) {
        std::fs::File::open(&path)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_round_trip() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("glasnost-storage-{}", crate::staff::random_token()));
        let s = Storage::open(&format!("file://{}", dir.display()))?;
        s.put("a/b.txt", Bytes::from_static("привет".as_bytes())).await?;
        assert_eq!(s.get("a/b.txt").await?, Bytes::from_static("привет".as_bytes()));
        assert_eq!(s.keys().await?, vec!["a/b.txt".to_string()]);
        s.delete("a/b.txt").await?;
        assert!(s.get("a/b.txt").await.is_err());
        std::fs::remove_dir_all(dir)?;
        Ok(())
    }
}
