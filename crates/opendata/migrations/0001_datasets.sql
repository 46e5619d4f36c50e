-- Open datasets of a body (seed 000 §18–24; recommendations v3.0): the passport, structure
-- versions and data versions. Versions are appended, never changed or deleted: what was
-- published stays published, each file under its own timestamp.
CREATE TABLE datasets (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    identifier TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    keywords TEXT NOT NULL DEFAULT '',
    publisher_name TEXT NOT NULL DEFAULT '',
    publisher_phone TEXT NOT NULL DEFAULT '',
    publisher_mbox TEXT NOT NULL DEFAULT '',
    schedule TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL DEFAULT '',
    published BIGINT NOT NULL DEFAULT 0,
    first_published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX datasets_body ON datasets(body_id);

CREATE TABLE dataset_structures (
    id IDENTITY_KEY,
    dataset_id BIGINT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    stamp TEXT NOT NULL,
    fields TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (dataset_id, stamp)
);

CREATE TABLE dataset_versions (
    id IDENTITY_KEY,
    dataset_id BIGINT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES dataset_structures(id),
    stamp TEXT NOT NULL,
    provenance TEXT NOT NULL DEFAULT '',
    valid_until TEXT NOT NULL DEFAULT '',
    file_key TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    rows BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    user_id BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (dataset_id, stamp)
);
