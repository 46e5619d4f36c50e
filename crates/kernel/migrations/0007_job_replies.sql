-- What the mail server answered when it took a letter ("250 2.0.0 Ok: queued as …"): a mailing's
-- delivery ledger shows it per recipient.
ALTER TABLE jobs ADD COLUMN reply TEXT;
