-- What a body tells citizens beyond its pages (seed 000 §16, §39): where and when its information
-- may be read on its premises, who answers for its stands, its official pages in social networks
-- and the rules of interaction there; one JSON object per body (`site::premises::Profile`).
CREATE TABLE site_profiles (
    body_id BIGINT PRIMARY KEY REFERENCES bodies(id) ON DELETE CASCADE,
    profile TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
