-- What a body publishes on its site: pages, documents, news, announcements, vacancies. Each is a
-- series of versions, only ever added to; `version` is the one in force. A withdrawn item keeps
-- every version and says when and why it was withdrawn.

-- The file of a document (its act as the body signed it: .docx, .odt, .pdf, a spreadsheet) and
-- the text read from it, for the page and for search. A version names its file; a new version
-- without a new file keeps the one before. The bytes are in the file storage under
-- `site/files/{sha256}`: the same file uploaded twice is stored once.
CREATE TABLE site_files (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    -- The text as the page shows it (paragraphs and tables, escaped), written once at upload.
    html TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

-- A news item's photo, as published: upright, at most 1200 pixels on its longer side, written
-- again as a JPEG without what the camera stored; bytes under `site/images/{sha256}.jpg`.
CREATE TABLE site_images (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    size BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE site_content (
    id IDENTITY_KEY,
    body_id BIGINT NOT NULL REFERENCES bodies(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    -- The catalogue item it publishes ('' for none).
    code TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    changed_at BIGINT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX site_content_body ON site_content(body_id, kind, published_at);
CREATE INDEX site_content_changed ON site_content(changed_at);

CREATE TABLE site_content_versions (
    content_id BIGINT NOT NULL REFERENCES site_content(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    -- The Markdown made safe HTML, written once when the version is saved.
    html TEXT NOT NULL DEFAULT '',
    act_kind TEXT NOT NULL DEFAULT '',
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    file_id BIGINT REFERENCES site_files(id),
    image_id BIGINT REFERENCES site_images(id),
    -- What the photo shows, for those who cannot see it (required with a photo).
    image_alt TEXT NOT NULL DEFAULT '',
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (content_id, version)
);
