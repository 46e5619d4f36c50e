-- A counter per kind of rarely changed data that nearly every page reads (`directory`: the
-- portal, its bodies and its calendar). Every change of such data adds one to its counter in
-- the same transaction, so a node that keeps a copy in memory learns by one small query
-- whether the copy is still current, whichever node made the change.
CREATE TABLE versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
